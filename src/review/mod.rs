//! The three-review (三审) trail: fingerprints of an item's published content, the review state
//! of every progress record and Markdown page, and the checks on the trail itself.
//!
//! A stage counts only when it is signed by a reviewer of `content/reviewers.yaml` allowed to
//! sign it, with a key that is not revoked, over the canonical payload
//! ([`crate::signoff::StagePayload`]) of the item's current content, on a date not before the
//! item's or the previous stage's and not after today; a different reviewer signs each stage
//! (unless `same_reviewer_allowed`). A forged, copied or out-of-order stage is a located error and
//! counts as unsigned; a genuine stage whose content changed since is a warning and the item drops
//! back to 待初审 (签发后改动须重新审核). The plan itself (tasks, units, pilots) is the
//! already-published document and is not gated.

pub mod act;
pub mod edit;

use crate::diag::{Diagnostic, Report};
use crate::model::{ProgressEntry, ProgressStatus, Review, ReviewStage, Reviewer};
use crate::signoff::{PublicKey, StagePayload};
use crate::site::{Page, Site};
use crate::vocab::Disclosure;
use chrono::NaiveDate;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// A review stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// 初审.
    First,
    /// 复审.
    Second,
    /// 终审.
    Final,
}

impl Stage {
    /// All stages in order.
    pub const ALL: [Stage; 3] = [Stage::First, Stage::Second, Stage::Final];

    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Stage::First => "初审",
            Stage::Second => "复审",
            Stage::Final => "终审",
        }
    }

    /// YAML key.
    pub fn key(self) -> &'static str {
        match self {
            Stage::First => "first",
            Stage::Second => "second",
            Stage::Final => "final",
        }
    }

    /// Parse 初审/复审/终审 (or first/second/final).
    pub fn parse(s: &str) -> Option<Stage> {
        match s {
            "初审" | "first" => Some(Stage::First),
            "复审" | "second" => Some(Stage::Second),
            "终审" | "final" => Some(Stage::Final),
            _ => None,
        }
    }

    /// The stage of a review block.
    pub fn of(self, r: &Review) -> Option<&ReviewStage> {
        match self {
            Stage::First => r.first.as_ref(),
            Stage::Second => r.second.as_ref(),
            Stage::Final => r.final_.as_ref(),
        }
    }
}

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    /// Waits for 初审 (never signed, or changed after signing).
    AwaitFirst,
    /// Waits for 复审.
    AwaitSecond,
    /// Waits for 终审.
    AwaitFinal,
    /// 终审 matches: may be published if its attribute is 主动公开.
    Signed,
}

impl State {
    /// Chinese label (the badge in the preview).
    pub fn label(self) -> &'static str {
        match self {
            State::AwaitFirst => "待初审",
            State::AwaitSecond => "待复审",
            State::AwaitFinal => "待终审",
            State::Signed => "已终审",
        }
    }
}

/// The review verdict for one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Review state.
    pub state: State,
    /// Disclosure attribute, if a review block gives one of the three.
    pub disclosure: Option<Disclosure>,
    /// The latest genuinely signed stage whose content fingerprint no longer matches (the text
    /// changed after it).
    pub changed_after: Option<Stage>,
    /// A counted stage was signed with an example key.
    pub example: bool,
}

impl Verdict {
    /// Whether the item goes into the published site.
    pub fn publishable(&self) -> bool {
        self.state == State::Signed && self.disclosure == Some(Disclosure::Proactive)
    }

    /// Why it is held back (None when publishable).
    pub fn held_reason(&self) -> Option<String> {
        if self.publishable() {
            return None;
        }
        if let Some(s) = self.changed_after {
            return Some(format!("{}后内容有改动，须重新审核", s.label()));
        }
        if self.state != State::Signed {
            return Some(self.state.label().to_string());
        }
        Some(format!(
            "公开属性为{}",
            self.disclosure.map_or("未标注", Disclosure::label)
        ))
    }

    /// Badge text for the preview (None when publishable).
    pub fn badge(&self) -> Option<String> {
        if self.publishable() {
            None
        } else if self.state == State::Signed {
            Some(
                self.disclosure
                    .map_or("未标注公开属性", Disclosure::label)
                    .to_string(),
            )
        } else {
            Some(self.state.label().to_string())
        }
    }
}

/// `sha256:` and the 64 hex digits of the SHA-256 of the canonical lines `key=value` (values
/// JSON-encoded, so no value can add a line).
fn content_hash(kind: &str, fields: &[(&str, &str)]) -> String {
    let mut h = Sha256::new();
    h.update(format!(
        "gongkai-content-v1\nkind={}\n",
        serde_json::to_string(kind).unwrap_or_default()
    ));
    for (k, v) in fields {
        h.update(format!(
            "{k}={}\n",
            serde_json::to_string(v).unwrap_or_default()
        ));
    }
    let d = h.finalize();
    let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The stable key of a reported status (never the Rust name, which may change).
pub fn status_key(s: ProgressStatus) -> &'static str {
    match s {
        ProgressStatus::NotStarted => "not_started",
        ProgressStatus::InProgress => "in_progress",
        ProgressStatus::Done => "done",
    }
}

/// Fingerprint of every published field of a progress record: id, task, unit, date, status
/// (normalised: `done` and `已完成` are one value), summary and each supporting document. The
/// disclosure attribute is signed beside it ([`StagePayload::disclosure`]).
pub fn record_fingerprint(r: &ProgressEntry) -> String {
    let date = r.date.value.to_string();
    let mut fields: Vec<(&str, &str)> = vec![
        ("id", &r.id.value),
        ("task", &r.task.value),
        ("unit", &r.unit.value),
        ("date", &date),
        ("status", status_key(r.status.value)),
        ("summary", &r.summary.value),
    ];
    for e in &r.evidence {
        fields.push(("evidence.title", &e.title.value));
        fields.push(("evidence.url", &e.url.value));
    }
    content_hash("record", &fields)
}

/// Fingerprint of every published field of a Markdown page: slug, title, description, date,
/// order and body.
pub fn page_fingerprint(p: &Page) -> String {
    let f = &p.front;
    let date = f
        .date
        .as_ref()
        .map(|d| d.value.to_string())
        .unwrap_or_default();
    let order = f.order.to_string();
    content_hash(
        "page",
        &[
            ("slug", &p.slug),
            ("title", &f.title.value),
            (
                "description",
                f.description.as_ref().map_or("", |d| d.value.as_str()),
            ),
            ("date", &date),
            ("order", &order),
            ("body", &p.body),
        ],
    )
}

/// The reviewers' keys, as the verification needs them.
pub struct Keyring<'a> {
    by_id: HashMap<&'a str, (&'a Reviewer, Option<PublicKey>)>,
    production: bool,
    same_reviewer_allowed: bool,
}

impl<'a> Keyring<'a> {
    /// The keys of `site`.
    pub fn new(site: &'a Site) -> Self {
        let mut by_id = HashMap::new();
        for r in &site.reviewers {
            by_id
                .entry(r.id.value.as_str())
                .or_insert((r, PublicKey::parse(&r.public_key.value).ok()));
        }
        Keyring {
            by_id,
            production: site.config.production,
            same_reviewer_allowed: site.config.same_reviewer_allowed,
        }
    }
}

/// What is being verified: an item and where its trail is written.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a> {
    /// `record` or `page`.
    pub kind: &'static str,
    /// Record id or page slug.
    pub id: &'a str,
    /// The item's own date (a record's date; a page's date, if any).
    pub date: Option<NaiveDate>,
    /// Its review block.
    pub review: Option<&'a Review>,
    /// Its current content fingerprint.
    pub content: &'a str,
}

/// A problem with a stage of a trail, at its place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// An error (the stage does not count) or a warning.
    pub error: bool,
    /// Line and column.
    pub line: u32,
    /// Column.
    pub col: u32,
    /// Characters to underline.
    pub width: usize,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: String,
}

/// The payload of `stage` of `item` signed by `reviewer` on `date` over `content`.
pub fn payload(
    item: &Item<'_>,
    stage: Stage,
    content: &str,
    date: NaiveDate,
    reviewer: &str,
) -> String {
    StagePayload {
        kind: item.kind,
        id: item.id,
        content,
        disclosure: item.review.map_or("", |r| r.disclosure.value.as_str()),
        stage: stage.key(),
        date,
        reviewer,
        reason: None,
    }
    .text()
}

/// The verdict on `item` with `keys` as of `today`, and the problems of its trail.
pub fn verify(keys: &Keyring<'_>, item: &Item<'_>, today: NaiveDate) -> (Verdict, Vec<Problem>) {
    let mut problems = Vec::new();
    let Some(r) = item.review else {
        return (
            Verdict {
                state: State::AwaitFirst,
                disclosure: None,
                changed_after: None,
                example: false,
            },
            problems,
        );
    };
    let mut ok = [false; 3];
    let mut changed_after = None;
    let mut example = false;
    let mut prev: Option<(Stage, NaiveDate, String)> = None;
    let mut signers: Vec<(Stage, String)> = Vec::new();
    for (si, stage) in Stage::ALL.into_iter().enumerate() {
        let Some(s) = stage.of(r) else {
            continue;
        };
        let (line, col) = (s.date.line, s.date.col);
        let err = |problems: &mut Vec<Problem>,
                   at: Option<(u32, u32, usize)>,
                   message: String,
                   hint: &str| {
            let (line, col, width) = at.unwrap_or((line, col, 10));
            problems.push(Problem {
                error: true,
                line,
                col,
                width,
                message,
                hint: hint.to_string(),
            });
        };
        let date = s.date.value.0;
        let at =
            |l: &crate::loc::Located<String>| Some((l.line, l.col, l.value.chars().count().max(1)));
        let Some(rid) = &s.reviewer else {
            let message = if s.by.is_some() {
                format!(
                    "{}是旧格式（只写了审核人姓名，没有密钥签名），不再有效",
                    stage.label()
                )
            } else {
                format!("{}缺少审核人编号和签名", stage.label())
            };
            err(
                &mut problems,
                None,
                message,
                "请审核人用自己的密钥重新签署：gongkai sign 文件#编号 --stage 环节（见 docs/review.md）",
            );
            continue;
        };
        let (Some(fp), Some(sig)) = (&s.fingerprint, &s.signature) else {
            err(
                &mut problems,
                at(rid),
                format!("{}缺少内容指纹或签名", stage.label()),
                "签署记录只能由 gongkai sign 或审核网页写入，不能手写",
            );
            continue;
        };
        let Some((who, key)) = keys.by_id.get(rid.value.as_str()) else {
            err(
                &mut problems,
                at(rid),
                format!("审核人 \"{}\" 不在 content/reviewers.yaml 中", rid.value),
                "新审核人须先登记公钥：gongkai reviewer new，把输出的条目加进 content/reviewers.yaml",
            );
            continue;
        };
        let Some(key) = key else {
            err(
                &mut problems,
                at(rid),
                format!("审核人 \"{}\" 的公钥无效", rid.value),
                "检查 content/reviewers.yaml 中这位审核人的 public_key",
            );
            continue;
        };
        if !who
            .stages
            .iter()
            .any(|x| Stage::parse(&x.value) == Some(stage))
        {
            err(
                &mut problems,
                at(rid),
                format!("审核人 \"{}\" 不能签{}", rid.value, stage.label()),
                "content/reviewers.yaml 的 stages 列出每位审核人可签的环节",
            );
            continue;
        }
        if let Some(rv) = &who.revoked {
            err(
                &mut problems,
                at(rid),
                format!(
                    "审核人 \"{}\" 的密钥已于 {} 停用，签名不再有效",
                    rid.value, rv.value
                ),
                "请另一位审核人重新签署",
            );
            continue;
        }
        let is_example = crate::signoff::is_example_key(&who.public_key.value);
        if is_example && keys.production {
            err(
                &mut problems,
                at(rid),
                format!(
                    "{}用的是示例密钥（{}），正式站点不接受",
                    stage.label(),
                    rid.value
                ),
                "正式站点的每位审核人须登记自己的密钥（gongkai reviewer new）",
            );
            continue;
        }
        let signed = payload(item, stage, &fp.value, date, &rid.value);
        if !crate::signoff::cache::verify(key, &signed, &sig.value) {
            err(
                &mut problems,
                at(sig),
                format!(
                    "{}的签名无效（不是审核人 \"{}\" 用自己的密钥签的，或签署内容被改过）",
                    stage.label(),
                    rid.value
                ),
                "签署记录只能由 gongkai sign 或审核网页写入；请审核人重新签署",
            );
            continue;
        }
        if fp.value != item.content {
            // Genuine, but the content changed since: voided, not forged.
            changed_after = Some(stage);
            continue;
        }
        if let Some(d) = item.date.filter(|d| date < *d) {
            err(
                &mut problems,
                None,
                format!(
                    "{}日期 {} 早于条目本身的日期 {}",
                    stage.label(),
                    s.date.value,
                    d.format("%Y-%m-%d")
                ),
                "不能在内容形成之前审核",
            );
            continue;
        }
        if let Some((ps, pd, _)) = &prev
            && date < *pd
        {
            err(
                &mut problems,
                None,
                format!(
                    "{}日期 {} 早于{}日期 {}",
                    stage.label(),
                    s.date.value,
                    ps.label(),
                    pd.format("%Y-%m-%d")
                ),
                "三审须依次进行，后一环节的日期不能早于前一环节",
            );
            continue;
        }
        if date > today {
            err(
                &mut problems,
                None,
                format!("{}日期 {} 晚于今天", stage.label(), s.date.value),
                "审核日期只能是已经过去的日子",
            );
            continue;
        }
        if si > 0 && !ok[si - 1] {
            err(
                &mut problems,
                None,
                format!("有{}而前一环节没有有效签署", stage.label()),
                "三审须依次进行：先初审，再复审，再终审",
            );
            continue;
        }
        if let Some((os, _)) = signers.iter().find(|(_, who)| *who == rid.value) {
            if keys.same_reviewer_allowed {
                problems.push(Problem {
                    error: false,
                    line: rid.line,
                    col: rid.col,
                    width: rid.value.chars().count(),
                    message: format!(
                        "审核人 \"{}\" 同时签了{}和{}",
                        rid.value,
                        os.label(),
                        stage.label()
                    ),
                    hint: "site.yaml 写了 same_reviewer_allowed: true；三审一般应由不同的人进行"
                        .into(),
                });
            } else {
                err(
                    &mut problems,
                    at(rid),
                    format!(
                        "审核人 \"{}\" 已经签了{}，不能再签{}",
                        rid.value,
                        os.label(),
                        stage.label()
                    ),
                    "三审须由不同的人进行（确需同一人签，在 site.yaml 写 same_reviewer_allowed: true）",
                );
                continue;
            }
        }
        ok[si] = true;
        example |= is_example;
        signers.push((stage, rid.value.clone()));
        prev = Some((stage, date, rid.value.clone()));
    }
    history_problems(keys, item, r, today, &mut problems);
    let state = if changed_after.is_some() || !ok[0] {
        State::AwaitFirst
    } else if !ok[1] {
        State::AwaitSecond
    } else if !ok[2] {
        State::AwaitFinal
    } else {
        State::Signed
    };
    (
        Verdict {
            state,
            disclosure: r.attribute(),
            changed_after,
            example: example && state == State::Signed,
        },
        problems,
    )
}

/// The history entries (退回, 重签, 撤回) of `r`: each signed by a listed reviewer over its own
/// payload ([`act::payload_of_action`]), dated not after today. A forged entry is a located
/// error (it cannot publish anything — a return or withdrawal clears the stages — but the
/// history is what an auditor reads).
fn history_problems(
    keys: &Keyring<'_>,
    item: &Item<'_>,
    r: &Review,
    today: NaiveDate,
    problems: &mut Vec<Problem>,
) {
    for a in &r.history {
        let at = |l: &crate::loc::Located<String>, message: String, hint: &str| Problem {
            error: true,
            line: l.line,
            col: l.col,
            width: l.value.chars().count().max(1),
            message,
            hint: hint.to_string(),
        };
        let label = match a.action.value.as_str() {
            "return" => "退回",
            "redo" => "重签",
            "withdraw" => "撤回",
            _ => {
                problems.push(at(
                    &a.action,
                    format!("审核经过中的操作 \"{}\" 无效", a.action.value),
                    "只能是 return（退回）、redo（重签）或 withdraw（撤回），由 gongkai 写入",
                ));
                continue;
            }
        };
        if a.action.value != "withdraw"
            && a.stage
                .as_ref()
                .and_then(|s| Stage::parse(&s.value))
                .is_none()
        {
            problems.push(at(
                &a.action,
                format!("审核经过中的{label}没有写明环节"),
                "审核经过由 gongkai 写入，不能手写",
            ));
            continue;
        }
        let key = keys
            .by_id
            .get(a.reviewer.value.as_str())
            .and_then(|(_, k)| k.as_ref());
        let Some(key) = key else {
            problems.push(at(
                &a.reviewer,
                format!(
                    "审核经过中{label}的审核人 \"{}\" 不在 content/reviewers.yaml 中或公钥无效",
                    a.reviewer.value
                ),
                "审核经过由 gongkai 写入，不能手写",
            ));
            continue;
        };
        let payload = act::payload_of_action(item.kind, item.id, a);
        if !crate::signoff::cache::verify(key, &payload, &a.signature.value) {
            problems.push(at(
                &a.signature,
                format!(
                    "审核经过中{label}的签名无效（不是审核人 \"{}\" 签的，或被改过）",
                    a.reviewer.value
                ),
                "审核经过由 gongkai 写入，不能手写或修改",
            ));
            continue;
        }
        if a.date.value.0 > today {
            problems.push(Problem {
                error: true,
                line: a.date.line,
                col: a.date.col,
                width: 10,
                message: format!("审核经过中{label}的日期 {} 晚于今天", a.date.value),
                hint: "日期只能是已经过去的日子".into(),
            });
        }
    }
}

/// Verdict of every record of every plan, by (plan index, record index), and of every page,
/// with the problems of their trails.
pub struct Verdicts {
    /// Per plan, per record.
    pub records: Vec<Vec<Verdict>>,
    /// Per page.
    pub pages: Vec<Verdict>,
    /// Per plan, per record: problems of its trail.
    pub record_problems: Vec<Vec<Vec<Problem>>>,
    /// Per page: problems of its trail.
    pub page_problems: Vec<Vec<Problem>>,
}

impl Verdicts {
    /// Verify every trail of the site as of `today` (signatures in parallel).
    pub fn new(site: &Site, today: NaiveDate) -> Self {
        let keys = Keyring::new(site);
        let (records, record_problems) = site
            .plans
            .iter()
            .map(|p| {
                p.records
                    .par_iter()
                    .map(|r| {
                        let fp = record_fingerprint(&r.entry);
                        verify(
                            &keys,
                            &Item {
                                kind: "record",
                                id: &r.entry.id.value,
                                date: Some(r.entry.date.value.0),
                                review: r.entry.review.as_deref(),
                                content: &fp,
                            },
                            today,
                        )
                    })
                    .unzip()
            })
            .unzip();
        let (pages, page_problems) = site
            .pages
            .par_iter()
            .map(|p| {
                let fp = page_fingerprint(p);
                verify(
                    &keys,
                    &Item {
                        kind: "page",
                        id: &p.slug,
                        date: p.front.date.as_ref().map(|d| d.value.0),
                        review: p.front.review.as_ref(),
                        content: &fp,
                    },
                    today,
                )
            })
            .unzip();
        crate::signoff::cache::save();
        Verdicts {
            records,
            pages,
            record_problems,
            page_problems,
        }
    }

    /// How many publishable items carry an example signature.
    pub fn example_count(&self) -> usize {
        self.records
            .iter()
            .flatten()
            .chain(&self.pages)
            .filter(|v| v.example && v.publishable())
            .count()
    }
}

/// What waits for whom, for `gongkai review`.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Queue {
    /// Waiting for 初审 (never signed).
    pub first: Vec<QueueItem>,
    /// Waiting for 复审.
    pub second: Vec<QueueItem>,
    /// Waiting for 终审.
    pub final_: Vec<QueueItem>,
    /// Signed once, but changed after a stage: waits for 初审 again.
    pub voided: Vec<QueueItem>,
    /// Fully signed, not 主动公开: never published.
    pub not_proactive: Vec<QueueItem>,
    /// On the site now (last publication) but no longer publishable: taken off at the next
    /// build.
    pub to_withdraw: Vec<QueueItem>,
}

/// One item of the queue.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QueueItem {
    /// `path#id` for a record, the path for a page (what `gongkai sign` takes).
    pub item: String,
    /// Plan folder (records).
    pub plan: Option<String>,
    /// Task and reporting unit (records), or the page title.
    pub what: String,
    /// Why it is where it is.
    pub reason: String,
}

/// Sort every record and page of `site` into the [`Queue`]; `published` is the list of the last
/// publication (register names: `plan#id`, `page:slug`), if any.
pub fn queue(site: &Site, verdicts: &Verdicts, published: Option<&[String]>) -> Queue {
    let mut q = Queue::default();
    let published: Option<std::collections::HashSet<&str>> =
        published.map(|p| p.iter().map(String::as_str).collect());
    let place = |q: &mut Queue, v: &Verdict, key: String, item: QueueItem| {
        if published.as_ref().is_some_and(|p| p.contains(key.as_str())) && !v.publishable() {
            q.to_withdraw.push(QueueItem {
                reason: v.held_reason().unwrap_or_default(),
                ..item.clone()
            });
        }
        let list = match (v.changed_after, v.state) {
            (Some(_), _) => &mut q.voided,
            (None, State::AwaitFirst) => &mut q.first,
            (None, State::AwaitSecond) => &mut q.second,
            (None, State::AwaitFinal) => &mut q.final_,
            (None, State::Signed) if !v.publishable() => &mut q.not_proactive,
            (None, State::Signed) => return,
        };
        list.push(QueueItem {
            reason: v.held_reason().unwrap_or_default(),
            ..item
        });
    };
    for (pi, plan) in site.plans.iter().enumerate() {
        for (ri, r) in plan.records.iter().enumerate() {
            let e = &r.entry;
            place(
                &mut q,
                &verdicts.records[pi][ri],
                crate::publish::register::record_key(&plan.id, &e.id.value),
                QueueItem {
                    item: format!("{}#{}", r.path, e.id.value),
                    plan: Some(plan.id.clone()),
                    what: format!("任务 {}，{}，{}", e.task.value, e.unit.value, e.date.value),
                    reason: String::new(),
                },
            );
        }
    }
    for (i, p) in site.pages.iter().enumerate() {
        place(
            &mut q,
            &verdicts.pages[i],
            crate::publish::register::page_key(&p.slug),
            QueueItem {
                item: p.path.clone(),
                plan: None,
                what: format!("页面“{}”", p.front.title.value),
                reason: String::new(),
            },
        );
    }
    q
}

/// Check every review trail (the problems [`verify`] found, the disclosure attribute, items
/// changed after signing) and `content/reviewers.yaml`.
pub fn validate(site: &Site, verdicts: &Verdicts, report: &mut Report) {
    check_reviewers(site, report);
    let push = |report: &mut Report, path: &str, ps: &[Problem]| {
        for p in ps {
            let d = if p.error {
                Diagnostic::error(path, p.line, p.col, p.message.clone())
            } else {
                Diagnostic::warning(path, p.line, p.col, p.message.clone())
            };
            report.push(d.width(p.width).hint(p.hint.clone()));
        }
    };
    for (pi, plan) in site.plans.iter().enumerate() {
        for (ri, r) in plan.records.iter().enumerate() {
            if let Some(rv) = &r.entry.review {
                check_disclosure(&r.path, rv, report);
            }
            push(report, &r.path, &verdicts.record_problems[pi][ri]);
            if let Some(stage) = verdicts.records[pi][ri].changed_after {
                let id = &r.entry.id;
                report.push(
                    Diagnostic::warning(
                        &r.path,
                        id.line,
                        id.col,
                        format!(
                            "进展记录 \"{}\" 在{}后内容有改动，签发已失效，退回待初审",
                            id.value,
                            stage.label()
                        ),
                    )
                    .width(id.value.chars().count())
                    .hint("签发后改动须重新审核：请重新用 gongkai sign 完成初审、复审、终审"),
                );
            }
        }
    }
    for (i, p) in site.pages.iter().enumerate() {
        if let Some(rv) = &p.front.review {
            check_disclosure(&p.path, rv, report);
        }
        push(report, &p.path, &verdicts.page_problems[i]);
        if let Some(stage) = verdicts.pages[i].changed_after {
            report.push(
                Diagnostic::warning(
                    &p.path,
                    1,
                    1,
                    format!(
                        "页面 \"{}\" 在{}后内容有改动，签发已失效，退回待初审",
                        p.slug,
                        stage.label()
                    ),
                )
                .hint("签发后改动须重新审核：请重新用 gongkai sign 完成初审、复审、终审"),
            );
        }
    }
}

const REVIEWERS: &str = "content/reviewers.yaml";

/// `content/reviewers.yaml`: valid and unique ids, known stages, keys that parse; example keys
/// refused on a production site.
fn check_reviewers(site: &Site, report: &mut Report) {
    let mut seen: HashMap<&str, u32> = HashMap::new();
    for r in &site.reviewers {
        let id = &r.id;
        if !crate::validate::is_valid_id(&id.value) {
            report.push(
                Diagnostic::error(
                    REVIEWERS,
                    id.line,
                    id.col,
                    format!("审核人编号 \"{}\" 不合规", id.value),
                )
                .width(id.value.chars().count())
                .hint("只用小写字母、数字和连字符，例如 zhang-kezhang"),
            );
        }
        if let Some(first) = seen.insert(&id.value, id.line) {
            report.push(
                Diagnostic::error(
                    REVIEWERS,
                    id.line,
                    id.col,
                    format!("重复的审核人编号 \"{}\"", id.value),
                )
                .width(id.value.chars().count())
                .hint(format!("第 {first} 行已经用过这个编号")),
            );
        }
        if r.stages.is_empty() {
            report.push(
                Diagnostic::error(
                    REVIEWERS,
                    id.line,
                    id.col,
                    format!("审核人 \"{}\" 没有可签的环节", id.value),
                )
                .hint("stages 写初审、复审、终审中的一个或几个"),
            );
        }
        for st in &r.stages {
            if Stage::parse(&st.value).is_none() {
                report.push(
                    Diagnostic::error(
                        REVIEWERS,
                        st.line,
                        st.col,
                        format!("环节 \"{}\" 不对", st.value),
                    )
                    .width(st.value.chars().count())
                    .hint("只能是：初审、复审、终审"),
                );
            }
        }
        let k = &r.public_key;
        if let Err(e) = PublicKey::parse(&k.value) {
            report.push(
                Diagnostic::error(REVIEWERS, k.line, k.col, format!("公钥无效：{e}"))
                    .width(k.value.chars().count().min(60))
                    .hint("照抄 gongkai reviewer new 或审核网页登记页给出的整串字符"),
            );
        } else if site.config.production && crate::signoff::is_example_key(&k.value) {
            report.push(
                Diagnostic::error(
                    REVIEWERS,
                    k.line,
                    k.col,
                    format!("审核人 \"{}\" 用的是示例密钥，正式站点不接受", id.value),
                )
                .width(k.value.chars().count().min(60))
                .hint("删去示例审核人；每位审核人用 gongkai reviewer new 生成自己的密钥"),
            );
        }
    }
}

fn check_disclosure(path: &str, r: &Review, report: &mut Report) {
    let d = &r.disclosure;
    let attribute = r.attribute();
    if attribute.is_none() {
        report.push(
            Diagnostic::error(
                path,
                d.line,
                d.col,
                format!("公开属性 \"{}\" 不对", d.value),
            )
            .width(d.value.chars().count())
            .hint(format!("只能是：{}", Disclosure::choices())),
        );
    }
    if attribute == Some(Disclosure::Withheld)
        && r.withheld_reason
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
    {
        report.push(
            Diagnostic::error(path, d.line, d.col, "不予公开须写明理由")
                .width(d.value.chars().count())
                .hint("加一行 withheld_reason: 理由（例如：涉及个人隐私）"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loc::Located;
    use crate::model::Date;
    use crate::signoff::KeyPair;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, 9, d).unwrap()
    }

    struct World {
        keys: Vec<KeyPair>,
        reviewers: Vec<Reviewer>,
    }

    fn world() -> World {
        let keys: Vec<KeyPair> = ["a", "b", "c"]
            .iter()
            .map(|id| KeyPair::generate(id).unwrap())
            .collect();
        let reviewers = keys
            .iter()
            .zip(["初审", "复审", "终审"])
            .map(|(k, st)| Reviewer {
                id: Located::new(k.reviewer.clone()),
                name: Located::new(format!("审核人{}", k.reviewer)),
                stages: vec![Located::new(st.into())],
                public_key: Located::new(k.public().encode()),
                revoked: None,
            })
            .collect();
        World { keys, reviewers }
    }

    fn keyring(reviewers: &[Reviewer]) -> Keyring<'_> {
        Keyring {
            by_id: reviewers
                .iter()
                .map(|r| {
                    (
                        r.id.value.as_str(),
                        (r, PublicKey::parse(&r.public_key.value).ok()),
                    )
                })
                .collect(),
            production: false,
            same_reviewer_allowed: false,
        }
    }

    /// A review block signed at each stage by `who[i]` (index into the keys) on `dates[i]`.
    fn signed(w: &World, content: &str, who: &[usize], dates: &[u32], disclosure: &str) -> Review {
        let mut r = Review {
            disclosure: Located::new(disclosure.into()),
            withheld_reason: None,
            first: None,
            second: None,
            final_: None,
            history: Vec::new(),
        };
        for (i, (k, d)) in who.iter().zip(dates).enumerate() {
            let stage = Stage::ALL[i];
            let key = &w.keys[*k];
            let item = Item {
                kind: "record",
                id: "r1",
                date: Some(day(1)),
                review: Some(&r),
                content,
            };
            let sig = key.sign(&payload(&item, stage, content, day(*d), &key.reviewer));
            let st = Some(ReviewStage {
                reviewer: Some(Located::new(key.reviewer.clone())),
                by: None,
                date: Located::new(Date(day(*d))),
                fingerprint: Some(Located::new(content.into())),
                signature: Some(Located::new(sig)),
            });
            match stage {
                Stage::First => r.first = st,
                Stage::Second => r.second = st,
                Stage::Final => r.final_ = st,
            }
        }
        r
    }

    fn check(w: &World, r: &Review, content: &str) -> (Verdict, Vec<Problem>) {
        verify(
            &keyring(&w.reviewers),
            &Item {
                kind: "record",
                id: "r1",
                date: Some(day(1)),
                review: Some(r),
                content,
            },
            day(30),
        )
    }

    #[test]
    fn states_and_change_after_signing() {
        let w = world();
        let fp = "sha256:abc";
        let (v, p) = check(&w, &signed(&w, fp, &[0], &[2], "主动公开"), fp);
        assert_eq!((v.state, p.len()), (State::AwaitSecond, 0));
        let (v, _) = check(&w, &signed(&w, fp, &[0, 1], &[2, 3], "主动公开"), fp);
        assert_eq!(v.state, State::AwaitFinal);
        let (v, p) = check(&w, &signed(&w, fp, &[0, 1, 2], &[2, 3, 4], "主动公开"), fp);
        assert!(v.publishable() && p.is_empty(), "{p:?}");
        let (v, _) = check(&w, &signed(&w, fp, &[0, 1, 2], &[2, 3, 4], "不予公开"), fp);
        assert!(!v.publishable());
        // Changed after 终审: back to 待初审, a warning-free verdict, says after which stage.
        let (v, p) = check(
            &w,
            &signed(&w, fp, &[0, 1, 2], &[2, 3, 4], "主动公开"),
            "sha256:new",
        );
        assert_eq!(
            (v.state, v.changed_after, p.len()),
            (State::AwaitFirst, Some(Stage::Final), 0)
        );
        assert_eq!(v.held_reason().unwrap(), "终审后内容有改动，须重新审核");
    }

    #[test]
    fn forged_copied_and_out_of_order_stages_do_not_count() {
        let w = world();
        let fp = "sha256:abc";
        let good = signed(&w, fp, &[0, 1, 2], &[2, 3, 4], "主动公开");
        let errors = |r: &Review| {
            let (v, p) = check(&w, r, fp);
            assert!(!v.publishable(), "{p:?}");
            p.into_iter()
                .filter(|p| p.error)
                .map(|p| p.message)
                .collect::<Vec<_>>()
        };
        // 终审 with 初审's signature copied over.
        let mut copy = good.clone();
        copy.final_.as_mut().unwrap().signature = good.first.as_ref().unwrap().signature.clone();
        assert!(errors(&copy)[0].contains("终审的签名无效"));
        // A made-up signature.
        let mut made_up = good.clone();
        made_up.second.as_mut().unwrap().signature = Some(Located::new("ed25519:AAAA".into()));
        assert!(errors(&made_up)[0].contains("复审的签名无效"));
        // Another reviewer's id on a valid signature.
        let mut other = good.clone();
        other.final_.as_mut().unwrap().reviewer = Some(Located::new("b".into()));
        assert!(!errors(&other).is_empty());
        // The disclosure changed after signing: every signature is void.
        let mut disc = good.clone();
        disc.disclosure = Located::new("依申请公开".into());
        assert_eq!(errors(&disc).len(), 3);
        // Old hand-written stages.
        let mut old = good.clone();
        let f = old.first.as_mut().unwrap();
        f.reviewer = None;
        f.by = Some(Located::new("李主任".into()));
        assert!(errors(&old)[0].contains("旧格式"));
        // One person on two stages; a stage before the record; 复审 before 初审; in the future.
        assert!(
            errors(&signed(&w, fp, &[0, 0, 2], &[2, 3, 4], "主动公开"))
                .iter()
                .any(|m| m.contains("不能签复审") || m.contains("已经签了"))
        );
        assert!(errors(&signed(&w, fp, &[0, 1, 2], &[2, 1, 4], "主动公开"))[0].contains("早于"));
        let mut early = signed(&w, fp, &[0, 1, 2], &[2, 3, 4], "主动公开");
        early.first = None;
        assert!(errors(&early)[0].contains("前一环节"));
        let (_, p) = verify(
            &keyring(&w.reviewers),
            &Item {
                kind: "record",
                id: "r1",
                date: Some(day(3)),
                review: Some(&good),
                content: fp,
            },
            day(30),
        );
        assert!(p[0].message.contains("早于条目本身的日期"));
        let (_, p) = verify(
            &keyring(&w.reviewers),
            &Item {
                kind: "record",
                id: "r1",
                date: Some(day(1)),
                review: Some(&good),
                content: fp,
            },
            day(3),
        );
        assert!(p.iter().any(|p| p.message.contains("晚于今天")));
        // A revoked key, an unknown reviewer.
        let mut w2 = world();
        let again = signed(&w2, fp, &[0, 1, 2], &[2, 3, 4], "主动公开");
        w2.reviewers[2].revoked = Some(Located::new(Date(day(20))));
        let (v, p) = check(&w2, &again, fp);
        assert!(!v.publishable() && p[0].message.contains("停用"));
        w2.reviewers.remove(2);
        let (v, p) = check(&w2, &again, fp);
        assert!(!v.publishable() && p[0].message.contains("不在 content/reviewers.yaml"));
    }
}
