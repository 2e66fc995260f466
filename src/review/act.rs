//! Acting on an item's trail — signing a stage, returning it (退回), withdrawing it (撤回) — in
//! two steps, so the one who signs can be elsewhere: [`prepare`] checks that the act is
//! allowed and gives the canonical payload to sign; [`Prepared::write`] verifies the signature
//! against the reviewer's registered key and writes the new `review:` block through
//! [`super::edit::replace`], atomically and under the site's write lock. `gongkai sign`,
//! `gongkai withdraw` and the review server all go through here.

use super::edit::{self, Action, Block, SignedStage, Target};
use super::{Item, Stage, State};
use crate::check::Checked;
use crate::privacy::Owner;
use crate::signoff::{PublicKey, StagePayload};
use crate::vocab::Disclosure;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// What the reviewer does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Sign this stage.
    Sign(Stage),
    /// Send the item back at this stage (退回): the trail restarts at 初审.
    Return(Stage),
    /// Take a published item off the site (撤回): the trail restarts at 初审.
    Withdraw,
}

/// A request to act on one item.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// `PATH#ID` of a record or `PATH` of a page, relative to the site folder, `/` separators.
    pub target: &'a str,
    /// What to do.
    pub act: Act,
    /// Reviewer id.
    pub reviewer: &'a str,
    /// Date of the act.
    pub date: NaiveDate,
    /// New disclosure attribute (signing only; `None` keeps the current one).
    pub disclosure: Option<&'a str>,
    /// Reason: of 不予公开 when signing, of the re-signing with `redo`, of a return or withdrawal.
    pub reason: Option<&'a str>,
    /// Re-sign a stage that is already validly signed.
    pub redo: bool,
}

/// Why an act was refused: a problem of the content, or of the request / environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The site or the item is not in a state that allows it.
    Content(String),
    /// The request or the machine (files, keys).
    Env(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Content(m) | Refusal::Env(m) => f.write_str(m),
        }
    }
}

fn content<T>(m: impl Into<String>) -> Result<T, Refusal> {
    Err(Refusal::Content(m.into()))
}

/// An allowed act waiting for its signature.
#[derive(Debug, Clone)]
pub struct Prepared {
    path: String,
    id: Option<String>,
    /// The item's content fingerprint and block when prepared: another item of the file may
    /// change meanwhile (another signer), this one must not.
    before: (String, Option<Block>),
    block: Block,
    /// What the signatures complete, each with its payload: a re-signing's history entry,
    /// then the act itself.
    pending: Vec<(Pending, String)>,
    key: PublicKey,
    /// The item's kind, id and a short description for lists and messages.
    pub what: String,
    /// The message to show when it is written.
    pub done: String,
}

/// Where the signature goes in the new block.
#[derive(Debug, Clone)]
enum Pending {
    Stage(SignedStage),
    Action(Action),
}

/// The review state an item is in, as the review pages show it.
pub fn state_of(checked: &Checked, target: &str) -> Result<(State, Option<Disclosure>), Refusal> {
    let (site, verdicts) = ready(checked)?;
    let owner = owner(site, target)?;
    let v = match owner {
        Owner::Record(pi, ri) => &verdicts.records[pi][ri],
        Owner::Page(i) => &verdicts.pages[i],
        _ => return content("只能审核进展记录和页面"),
    };
    Ok((v.state, v.disclosure))
}

fn ready(checked: &Checked) -> Result<(&crate::site::Site, &super::Verdicts), Refusal> {
    match (&checked.site, &checked.verdicts) {
        (Some(s), Some(v)) if checked.report.errors() == 0 => Ok((s, v)),
        _ => content("内容有错误，请先用 gongkai check 修正后再签"),
    }
}

/// The item `target` names.
pub fn owner(site: &crate::site::Site, target: &str) -> Result<Owner, Refusal> {
    match target.split_once('#') {
        Some((path, id)) => site
            .plans
            .iter()
            .enumerate()
            .find_map(|(pi, p)| {
                p.records
                    .iter()
                    .position(|r| r.path == path && r.entry.id.value == id)
                    .map(|ri| Owner::Record(pi, ri))
            })
            .ok_or_else(|| {
                Refusal::Content(format!("在 {path} 中找不到编号为 \"{id}\" 的进展记录"))
            }),
        None => site
            .pages
            .iter()
            .position(|p| p.path == target)
            .map(Owner::Page)
            .ok_or_else(|| {
                Refusal::Content(format!("找不到页面 {target}（进展记录请写 文件#记录编号）"))
            }),
    }
}

fn req_target(path: &str, id: Option<&str>) -> String {
    match id {
        Some(id) => format!("{path}#{id}"),
        None => path.to_string(),
    }
}

/// Check that `req` is allowed on the checked site at `root` and give what is to be signed.
pub fn prepare(checked: &Checked, req: &Request<'_>) -> Result<Prepared, Refusal> {
    let (site, verdicts) = ready(checked)?;
    let owner = owner(site, req.target)?;
    let (path, id) = match req.target.split_once('#') {
        Some((p, i)) => (p.to_string(), Some(i.to_string())),
        None => (req.target.to_string(), None),
    };
    // Nothing with personal data is signed: the finding must be removed or allow-listed first.
    if let Act::Sign(_) = req.act {
        let n = checked
            .findings
            .iter()
            .filter(|f| f.owner == owner && f.allowed.is_none())
            .count();
        if n > 0 {
            return content(format!(
                "{} 含 {n} 处疑似个人信息或敏感内容，不能签署：先删除或改写（确需公开的在 content/allowlist.yaml 登记）再签",
                req.target
            ));
        }
    }
    let (kind, item_id, item_date, review, fp, what, verdict) = match owner {
        Owner::Record(pi, ri) => {
            let r = &site.plans[pi].records[ri];
            let e = &r.entry;
            let short: String = e.summary.value.chars().take(30).collect();
            (
                "record",
                e.id.value.clone(),
                Some(e.date.value.0),
                e.review.as_deref().cloned(),
                super::record_fingerprint(e),
                format!(
                    "{}（{}，任务 {}）{short}",
                    req.target, e.unit.value, e.task.value
                ),
                &verdicts.records[pi][ri],
            )
        }
        Owner::Page(i) => {
            let p = &site.pages[i];
            (
                "page",
                p.slug.clone(),
                p.front.date.as_ref().map(|d| d.value.0),
                p.front.review.clone(),
                super::page_fingerprint(p),
                format!("{}（页面）{}", req.target, p.front.title.value),
                &verdicts.pages[i],
            )
        }
        _ => return content("只能审核进展记录和页面"),
    };
    // The reviewer: listed, allowed, not revoked.
    let rid = req.reviewer.trim();
    let who = site
        .reviewers
        .iter()
        .find(|r| r.id.value == rid)
        .ok_or_else(|| Refusal::Content(format!("审核人 \"{rid}\" 不在 content/reviewers.yaml 中：新审核人先运行 gongkai reviewer new（或在审核网页登记），把给出的条目交给站点管理员登记")))?;
    let needed = match req.act {
        Act::Sign(s) | Act::Return(s) => s,
        Act::Withdraw => Stage::Final,
    };
    if !who
        .stages
        .iter()
        .any(|x| Stage::parse(&x.value) == Some(needed))
    {
        let doing = match req.act {
            Act::Sign(s) => format!("签{}", s.label()),
            Act::Return(s) => format!("在{}退回", s.label()),
            Act::Withdraw => "撤回（须可签终审）".to_string(),
        };
        return content(format!(
            "审核人 \"{rid}\" 不能{doing}（content/reviewers.yaml 的 stages）"
        ));
    }
    if who.revoked.is_some() {
        return content(format!("审核人 \"{rid}\" 的密钥已停用"));
    }
    let key = PublicKey::parse(&who.public_key.value)
        .map_err(|e| Refusal::Content(format!("审核人 \"{rid}\" 的公钥无效：{e}")))?;
    if req.date > crate::check::today_shanghai() {
        return Err(Refusal::Env(format!(
            "日期 {} 晚于今天",
            req.date.format("%Y-%m-%d")
        )));
    }
    let mut block = review.as_ref().map_or_else(
        || Block::new(Disclosure::Proactive.label()),
        Block::from_review,
    );
    let date = req.date.format("%Y-%m-%d").to_string();
    let reason = req.reason.map(str::trim).filter(|r| !r.is_empty());
    let item = |review| Item {
        kind,
        id: &item_id,
        date: item_date,
        review,
        content: &fp,
    };
    let mut redo = None;
    let (pending, payload, done) = match req.act {
        Act::Sign(stage) => {
            let written = req
                .disclosure
                .map(str::to_string)
                .unwrap_or_else(|| block.disclosure.clone());
            let Some(disclosure) = Disclosure::parse(&written) else {
                return Err(Refusal::Env(format!(
                    "公开属性应为 {} 之一，而不是 \"{written}\"",
                    Disclosure::choices()
                )));
            };
            let restarted = Disclosure::parse(&block.disclosure) != Some(disclosure)
                && !block.stages.is_empty();
            if restarted {
                block.stages.clear();
            }
            block.disclosure = disclosure.label().to_string();
            if disclosure == Disclosure::Withheld {
                if let Some(r) = req.reason.filter(|_| !req.redo) {
                    block.withheld_reason = Some(r.trim().to_string());
                }
                if block
                    .withheld_reason
                    .as_deref()
                    .is_none_or(|r| r.trim().is_empty())
                {
                    return Err(Refusal::Env("不予公开须写明理由（--reason）".into()));
                }
            } else {
                block.withheld_reason = None;
            }
            // The state with the disclosure it will have.
            let state = if restarted {
                State::AwaitFirst
            } else {
                verdict.state
            };
            let waits = awaited(state);
            let already = Some(stage) < waits || waits.is_none();
            if already {
                let old = block.stages.iter().find(|s| s.stage == stage);
                let by = old.map_or(String::new(), |s| {
                    format!("已由 {} 于 {} 签署", s.reviewer, s.date)
                });
                if !req.redo {
                    return content(format!(
                        "该条目的{}{by}；确需重签，请加 --redo --reason 理由（理由记入审核经过）",
                        stage.label()
                    ));
                }
                let Some(why) = reason else {
                    return Err(Refusal::Env("重签须用 --reason 写明理由".into()));
                };
                let text = action_payload(
                    kind,
                    &item_id,
                    &fp,
                    &format!("redo-{}", stage.key()),
                    req.date,
                    rid,
                    why,
                );
                redo = Some((
                    Pending::Action(Action {
                        action: "redo".into(),
                        stage: Some(stage.key().into()),
                        reviewer: rid.into(),
                        date: date.clone(),
                        reason: why.into(),
                        replaced: old.map(|s| (s.reviewer.clone(), s.date.clone())),
                        fingerprint: fp.clone(),
                        signature: String::new(),
                    }),
                    text,
                ));
            } else if Some(stage) != waits {
                let why = if restarted {
                    "公开属性改了，三审须从初审重新开始"
                } else {
                    "三审须依次进行（初审 → 复审 → 终审），内容改动后须从初审重新开始"
                };
                return content(format!(
                    "该条目现在{}，不能签{}：{why}",
                    state.label(),
                    stage.label()
                ));
            }
            block.stages.retain(|s| s.stage < stage);
            if let Some(d) = item_date.filter(|d| req.date < *d) {
                return Err(Refusal::Env(format!(
                    "审核日期 {date} 早于条目本身的日期 {}：不能在内容形成之前审核",
                    d.format("%Y-%m-%d")
                )));
            }
            if let Some(p) = block.stages.last().filter(|p| date < p.date) {
                return Err(Refusal::Env(format!(
                    "审核日期 {date} 早于{}日期 {}：三审须依次进行",
                    p.stage.label(),
                    p.date
                )));
            }
            // The same reviewer on two stages is refused here already (check would refuse it).
            if !site.config.same_reviewer_allowed
                && let Some(s) = block.stages.iter().find(|s| s.reviewer == rid)
            {
                return content(format!(
                    "审核人 \"{rid}\" 已经签了{}，三审须由不同的人进行",
                    s.stage.label()
                ));
            }
            let probe = {
                let mut r = review.clone().unwrap_or_else(empty_review);
                r.disclosure.value = disclosure.label().to_string();
                r
            };
            let payload = super::payload(&item(Some(&probe)), stage, &fp, req.date, rid);
            let after = match (stage, disclosure) {
                (Stage::First, _) => "待复审".to_string(),
                (Stage::Second, _) => "待终审".to_string(),
                (Stage::Final, Disclosure::Proactive) => "已终审，下次生成站点时发布".to_string(),
                (Stage::Final, d) => format!("已终审；公开属性为{}，不会发布到站点上", d.label()),
            };
            let restart = if restarted {
                "公开属性已改，之前的签署作废，三审从初审重新开始。"
            } else {
                ""
            };
            (
                Pending::Stage(SignedStage {
                    stage,
                    reviewer: rid.into(),
                    date: date.clone(),
                    fingerprint: fp.clone(),
                    signature: String::new(),
                }),
                payload,
                format!(
                    "{restart}已签{}：{}（审核人 {rid}，{date}）。现在{after}。",
                    stage.label(),
                    req.target
                ),
            )
        }
        Act::Return(stage) => {
            let Some(why) = reason else {
                return Err(Refusal::Env("退回须写明理由".into()));
            };
            if awaited(verdict.state) != Some(stage) {
                return content(format!(
                    "该条目现在{}，不能在{}退回",
                    verdict.state.label(),
                    stage.label()
                ));
            }
            let key = format!("return-{}", stage.key());
            let payload = action_payload(kind, &item_id, &fp, &key, req.date, rid, why);
            block.stages.clear();
            (
                Pending::Action(Action {
                    action: "return".into(),
                    stage: Some(stage.key().into()),
                    reviewer: rid.into(),
                    date: date.clone(),
                    reason: why.into(),
                    replaced: None,
                    fingerprint: fp.clone(),
                    signature: String::new(),
                }),
                payload,
                format!(
                    "已在{}退回：{}（审核人 {rid}，{date}，理由：{why}）。修改后须从初审重新审核。",
                    stage.label(),
                    req.target
                ),
            )
        }
        Act::Withdraw => {
            let Some(why) = reason else {
                return Err(Refusal::Env("撤回须用 --reason 写明理由".into()));
            };
            if verdict.state != State::Signed {
                return content(format!(
                    "该条目现在{}，没有通过终审，本来就不会发布，无需撤回",
                    verdict.state.label()
                ));
            }
            let payload = action_payload(kind, &item_id, &fp, "withdraw", req.date, rid, why);
            block.stages.clear();
            let public = verdict.disclosure == Some(Disclosure::Proactive);
            (
                Pending::Action(Action {
                    action: "withdraw".into(),
                    stage: None,
                    reviewer: rid.into(),
                    date: date.clone(),
                    reason: why.into(),
                    replaced: None,
                    fingerprint: fp.clone(),
                    signature: String::new(),
                }),
                payload,
                format!(
                    "已撤回：{}（审核人 {rid}，{date}，理由：{why}）。{}要重新公开须从初审重新审核。",
                    req.target,
                    if public {
                        "下次生成站点时从所有页面、统计、订阅、开放数据、站点地图和搜索中撤下；"
                    } else {
                        ""
                    }
                ),
            )
        }
    };
    Ok(Prepared {
        path,
        id,
        before: (fp.clone(), review.as_ref().map(Block::from_review)),
        block,
        pending: redo.into_iter().chain([(pending, payload)]).collect(),
        key,
        what,
        done,
    })
}

/// The payload of a history action (退回, 重签, 撤回): like a stage's, with its reason, and no
/// disclosure attribute (the action stands whatever the attribute becomes later).
fn action_payload(
    kind: &str,
    id: &str,
    content: &str,
    stage: &str,
    date: NaiveDate,
    reviewer: &str,
    reason: &str,
) -> String {
    StagePayload {
        kind,
        id,
        content,
        disclosure: "",
        stage,
        date,
        reviewer,
        reason: Some(reason),
    }
    .text()
}

/// The payload of `action` of an item (for verification).
pub fn payload_of_action(kind: &str, id: &str, a: &crate::model::ReviewAction) -> String {
    let stage = match (&a.action.value[..], &a.stage) {
        ("withdraw", _) => "withdraw".to_string(),
        (act, Some(s)) => format!("{act}-{}", s.value),
        (act, None) => act.to_string(),
    };
    action_payload(
        kind,
        id,
        &a.fingerprint.value,
        &stage,
        a.date.value.0,
        &a.reviewer.value,
        &a.reason.value,
    )
}

fn empty_review() -> crate::model::Review {
    crate::model::Review {
        disclosure: crate::loc::Located::new(String::new()),
        withheld_reason: None,
        first: None,
        second: None,
        final_: None,
        history: Vec::new(),
    }
}

/// The stage an item in `state` waits for (`None` when it has all three).
fn awaited(state: State) -> Option<Stage> {
    match state {
        State::AwaitFirst => Some(Stage::First),
        State::AwaitSecond => Some(Stage::Second),
        State::AwaitFinal => Some(Stage::Final),
        State::Signed => None,
    }
}

/// A signer: something that signs a payload (the CLI's decrypted key; the browser's is
/// represented by the signature it sent).
pub trait Signer {
    /// The signature (`ed25519:…` / `p256:…`) of `payload`.
    fn sign(&self, payload: &str) -> String;
}

impl Signer for crate::signoff::KeyPair {
    fn sign(&self, payload: &str) -> String {
        crate::signoff::KeyPair::sign(self, payload)
    }
}

impl Prepared {
    /// Every payload the reviewer signs, in order: a re-signing's history entry, then the act.
    pub fn payloads(&self) -> Vec<String> {
        self.pending.iter().map(|(_, p)| p.clone()).collect()
    }

    /// The file to be edited, relative to the site folder.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Verify `signatures` (one per [`Self::payloads`]) against the reviewer's registered key
    /// and write the new block; the file is untouched on any error.
    pub fn write(mut self, root: &Path, signatures: &[String]) -> Result<String, Refusal> {
        if signatures.len() != self.pending.len() {
            return Err(Refusal::Env("签名个数不对".into()));
        }
        for ((pending, payload), sig) in std::mem::take(&mut self.pending)
            .into_iter()
            .zip(signatures)
        {
            if !self.key.verify(&payload, sig) {
                return content("签名与登记的审核人公钥不符：不是这位审核人的密钥签的");
            }
            match pending {
                Pending::Stage(mut s) => {
                    s.signature = sig.clone();
                    self.block.stages.push(s);
                }
                Pending::Action(mut a) => {
                    a.signature = sig.clone();
                    self.block.history.push(a);
                }
            }
        }
        let full = root.join(&self.path);
        let _lock = WriteLock::exclusive(root)?;
        let raw = std::fs::read(&full)
            .map_err(|e| Refusal::Env(format!("无法读取 {}：{e}", self.path)))?;
        let text = String::from_utf8(raw)
            .map_err(|_| Refusal::Content(format!("{} 不是 UTF-8 编码", self.path)))?;
        let target = match &self.id {
            Some(id) => Target::Record(id),
            None => Target::Page,
        };
        let now = edit::current(&text, target)
            .map_err(|e| Refusal::Content(format!("{}：{e}", self.path)))?;
        if now != self.before {
            return content(format!(
                "{} 在签署过程中被改动了（内容或审核记录），未写入；请重新查看后再签",
                req_target(&self.path, self.id.as_deref())
            ));
        }
        let new = edit::replace(&text, target, &self.block)
            .map_err(|e| Refusal::Content(format!("{}：{e}", self.path)))?;
        write_atomic(&full, new.as_bytes())
            .map_err(|e| Refusal::Env(format!("无法写入 {}：{e}", self.path)))?;
        Ok(self.done)
    }
}

/// Write `bytes` to a temporary file beside `path`, flush it to disk, and rename it over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.gongkai-tmp"));
    let mut f = std::fs::File::create(&tmp)?;
    // Whatever fails after the temporary file exists, it goes: never a half file left behind.
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .and_then(|()| {
            drop(f);
            std::fs::rename(&tmp, path)
        })
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
}

/// The site's write lock (`.gongkai.lock` in the site folder): writers of content (sign,
/// withdraw, the review server) hold it exclusively while they write, readers (check, build,
/// the preview) share it while they read, so a build never reads a half-written file and two
/// signers never interleave.
pub struct WriteLock(std::fs::File);

impl WriteLock {
    fn open(root: &Path) -> std::io::Result<std::fs::File> {
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path(root))
    }

    /// Wait for the exclusive lock.
    pub fn exclusive(root: &Path) -> Result<WriteLock, Refusal> {
        let f = Self::open(root).map_err(|e| Refusal::Env(format!("无法打开写入锁：{e}")))?;
        f.lock()
            .map_err(|e| Refusal::Env(format!("无法取得写入锁：{e}")))?;
        Ok(WriteLock(f))
    }

    /// Wait for the shared lock, if anyone ever wrote through gongkai here (the lock file is
    /// made by the first writer; every write is a rename, so a reader never sees half a file —
    /// the lock keeps a reader from seeing one item signed and the next not yet).
    pub fn shared(root: &Path) -> Option<WriteLock> {
        let f = std::fs::File::open(lock_path(root)).ok()?;
        f.lock_shared().ok()?;
        Some(WriteLock(f))
    }
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

/// The lock file of the site at `root`.
pub fn lock_path(root: &Path) -> PathBuf {
    root.join(".gongkai.lock")
}
