//! The three-review (三审) trail: fingerprints of an item's published text, the review state
//! of every progress record and Markdown page, and the checks on the trail itself.
//!
//! A stage counts only when its fingerprint matches the item's current text; when any stage's
//! fingerprint no longer matches, the text changed after signing and the item drops back to
//! 待初审 (签发后改动须重新审核). The plan itself (tasks, units, pilots) is the already-published
//! document and is not gated.

use crate::diag::{Diagnostic, Report};
use crate::model::{ProgressEntry, Review, ReviewStage};
use crate::site::{Page, Site};
use crate::vocab::Disclosure;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

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
    /// The latest stage whose fingerprint no longer matches (the text changed after it).
    pub changed_after: Option<Stage>,
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

fn hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.len().to_le_bytes());
        h.update(p.as_bytes());
    }
    let d = h.finalize();
    let hex: String = d.iter().take(12).map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Fingerprint of a progress record's published text (everything that appears on the site,
/// plus its disclosure attribute).
pub fn record_fingerprint(r: &ProgressEntry) -> String {
    let status = format!("{:?}", r.status.value);
    let date = r.date.value.to_string();
    let mut parts: Vec<&str> = vec![
        "record",
        &r.id.value,
        &r.task.value,
        &r.unit.value,
        &date,
        &status,
        &r.summary,
    ];
    for e in &r.evidence {
        parts.push(&e.title);
        parts.push(&e.url.value);
    }
    let disclosure = r
        .review
        .as_ref()
        .map_or("", |v| v.disclosure.value.as_str());
    parts.push(disclosure);
    hash(&parts)
}

/// Fingerprint of a Markdown page's published text.
pub fn page_fingerprint(p: &Page) -> String {
    let disclosure = p
        .front
        .review
        .as_ref()
        .map_or("", |v| v.disclosure.value.as_str());
    hash(&[
        "page",
        &p.slug,
        &p.front.title,
        p.front
            .description
            .as_ref()
            .map_or("", |d| d.value.as_str()),
        &p.body,
        disclosure,
    ])
}

/// The verdict for an item with review block `review` and current fingerprint `fp`.
pub fn verdict(review: Option<&Review>, fp: &str) -> Verdict {
    let Some(r) = review else {
        return Verdict {
            state: State::AwaitFirst,
            disclosure: None,
            changed_after: None,
        };
    };
    let mut changed_after = None;
    let mut state = State::AwaitFirst;
    for stage in Stage::ALL {
        if let Some(s) = stage.of(r)
            && let Some(f) = &s.fingerprint
            && f != fp
        {
            changed_after = Some(stage);
        }
    }
    if changed_after.is_none() {
        let ok = |st: Stage| st.of(r).and_then(|s| s.fingerprint.as_deref()) == Some(fp);
        state = if ok(Stage::First) && ok(Stage::Second) && ok(Stage::Final) {
            State::Signed
        } else if ok(Stage::First) && ok(Stage::Second) {
            State::AwaitFinal
        } else if ok(Stage::First) {
            State::AwaitSecond
        } else {
            State::AwaitFirst
        };
    }
    Verdict {
        state,
        disclosure: r.attribute(),
        changed_after,
    }
}

/// Verdict of every record of every plan, by (plan index, record index), and of every page.
pub struct Verdicts {
    /// Per plan, per record.
    pub records: Vec<Vec<Verdict>>,
    /// Per page.
    pub pages: Vec<Verdict>,
}

impl Verdicts {
    /// Compute for the whole site.
    pub fn new(site: &Site) -> Self {
        Verdicts {
            records: site
                .plans
                .iter()
                .map(|p| {
                    p.records
                        .iter()
                        .map(|r| verdict(r.entry.review.as_ref(), &record_fingerprint(&r.entry)))
                        .collect()
                })
                .collect(),
            pages: site
                .pages
                .iter()
                .map(|p| verdict(p.front.review.as_ref(), &page_fingerprint(p)))
                .collect(),
        }
    }
}

/// Check every review trail: order of stages, dates, the disclosure attribute, and items that
/// changed after signing.
pub fn validate(site: &Site, verdicts: &Verdicts, report: &mut Report, today: NaiveDate) {
    for (pi, plan) in site.plans.iter().enumerate() {
        for (ri, r) in plan.records.iter().enumerate() {
            if let Some(rv) = &r.entry.review {
                check_trail(&r.path, rv, today, report);
            }
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
            check_trail(&p.path, rv, today, report);
        }
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

fn check_trail(path: &str, r: &Review, today: NaiveDate, report: &mut Report) {
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
    let mut prev: Option<(Stage, NaiveDate)> = None;
    for stage in Stage::ALL {
        let Some(s) = stage.of(r) else {
            continue;
        };
        let date = s.date.value.0;
        if stage != Stage::First {
            let before = Stage::ALL[Stage::ALL.iter().position(|x| *x == stage).unwrap_or(1) - 1];
            if before.of(r).is_none() {
                report.push(
                    Diagnostic::error(
                        path,
                        s.date.line,
                        s.date.col,
                        format!("有{}而没有{}", stage.label(), before.label()),
                    )
                    .width(10)
                    .hint(format!(
                        "三审须依次进行：先{}，再{}",
                        before.label(),
                        stage.label()
                    )),
                );
            }
        }
        if let Some((ps, pd)) = prev
            && date < pd
        {
            report.push(
                Diagnostic::error(
                    path,
                    s.date.line,
                    s.date.col,
                    format!(
                        "{}日期 {} 早于{}日期 {}",
                        stage.label(),
                        s.date.value,
                        ps.label(),
                        pd.format("%Y-%m-%d")
                    ),
                )
                .width(10)
                .hint("三审须依次进行，后一环节的日期不能早于前一环节"),
            );
        }
        if date > today {
            report.push(
                Diagnostic::error(
                    path,
                    s.date.line,
                    s.date.col,
                    format!("{}日期 {} 晚于今天", stage.label(), s.date.value),
                )
                .width(10),
            );
        }
        if s.by.trim().is_empty() {
            report.push(Diagnostic::error(
                path,
                s.date.line,
                s.date.col,
                format!("{}缺少审核人", stage.label()),
            ));
        }
        prev = Some((stage, date));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loc::Located;
    use crate::model::Date;

    fn stage(fp: Option<&str>, d: u32) -> Option<ReviewStage> {
        Some(ReviewStage {
            by: "审核人".into(),
            date: Located::new(Date(NaiveDate::from_ymd_opt(2023, 9, d).unwrap())),
            fingerprint: fp.map(String::from),
        })
    }

    fn review(f: Option<&str>, s: Option<&str>, fi: Option<&str>, disclosure: &str) -> Review {
        Review {
            disclosure: Located::new(disclosure.into()),
            withheld_reason: None,
            first: f.map(|x| stage(Some(x), 1)).unwrap_or(None),
            second: s.map(|x| stage(Some(x), 2)).unwrap_or(None),
            final_: fi.map(|x| stage(Some(x), 3)).unwrap_or(None),
        }
    }

    #[test]
    fn states() {
        let fp = "sha256:abc";
        assert_eq!(verdict(None, fp).state, State::AwaitFirst);
        assert_eq!(
            verdict(Some(&review(Some(fp), None, None, "主动公开")), fp).state,
            State::AwaitSecond
        );
        assert_eq!(
            verdict(Some(&review(Some(fp), Some(fp), None, "主动公开")), fp).state,
            State::AwaitFinal
        );
        let all = verdict(Some(&review(Some(fp), Some(fp), Some(fp), "主动公开")), fp);
        assert!(all.publishable());
        let withheld = verdict(Some(&review(Some(fp), Some(fp), Some(fp), "不予公开")), fp);
        assert!(!withheld.publishable());
        assert_eq!(withheld.badge().as_deref(), Some("不予公开"));
        // Changed after 终审: back to 待初审, and says after which stage.
        let changed = verdict(
            Some(&review(Some(fp), Some(fp), Some(fp), "主动公开")),
            "sha256:new",
        );
        assert_eq!(
            (changed.state, changed.changed_after),
            (State::AwaitFirst, Some(Stage::Final))
        );
        assert_eq!(
            changed.held_reason().unwrap(),
            "终审后内容有改动，须重新审核"
        );
        // Hand-written stages without fingerprints count as unsigned.
        let mut hand = review(None, None, None, "主动公开");
        hand.first = stage(None, 1);
        hand.second = stage(None, 2);
        hand.final_ = stage(None, 3);
        let v = verdict(Some(&hand), fp);
        assert_eq!((v.state, v.changed_after), (State::AwaitFirst, None));
    }
}
