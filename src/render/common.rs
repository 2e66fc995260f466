//! Views shared by several page families — the page frame, links, status badges, task rows,
//! progress records, plan headers, pagers — and the functions that build them.

use super::view::{Shared, view};
use super::{Renderer, cn_date};
use crate::compute::TaskStatus;
use crate::deadline::DeadlineKind;
use crate::route::{Paged, url};
use crate::status::{Outcome, Status, Tally};

view! {
    /// What every page has: where it is, its metadata and breadcrumb.
    pub struct Frame<'a> {
        /// `../` repeated to the output root (the configured address on the 404 page).
        pub root: String,
        /// The page's own path.
        pub path: &'a str,
        /// Its absolute address.
        pub url: String,
        /// Metadata for the `<head>`.
        pub meta: Meta,
        /// Whether the search index takes this page's `<main>` (not the 404, search, site
        /// map and review pages).
        pub searchable: bool,
        /// 当前位置: from the portal (when `site.yaml` names its address) through the
        /// site's home page to this page.
        pub crumbs: Vec<Crumb>,
    }
}

view! {
    /// Page metadata (the government-website `<meta>` tags).
    pub struct Meta {
        /// Page title.
        pub title: String,
        /// `list`, `detail` or `other`.
        pub kind: &'static str,
        /// ColumnName.
        pub column_name: Option<String>,
        /// ColumnType.
        pub column_type: Option<&'static str>,
        /// ArticleTitle (detail pages).
        pub article_title: Option<String>,
        /// PubDate (detail pages).
        pub pub_date: Option<String>,
        /// ContentSource (detail pages).
        pub content_source: Option<String>,
        /// Description.
        pub description: Option<String>,
        /// Keywords.
        pub keywords: Option<String>,
    }
}

impl Meta {
    /// A list page's metadata.
    pub fn list(
        title: String,
        column_name: impl Into<String>,
        column_type: &'static str,
        description: String,
        keywords: impl Into<String>,
    ) -> Meta {
        Meta {
            title,
            kind: "list",
            column_name: Some(column_name.into()),
            column_type: Some(column_type),
            article_title: None,
            pub_date: None,
            content_source: None,
            description: Some(description),
            keywords: Some(keywords.into()),
        }
    }
}

view! {
    /// One breadcrumb item.
    pub struct Crumb {
        /// Title.
        pub title: String,
        /// Link, none for the current page.
        pub href: Option<String>,
        /// `href` is an absolute address off the site (the portal), not a path in it.
        pub external: bool,
    }
}

view! {
    /// A link to a unit's or group's ledger.
    pub struct Link {
        /// Unit or group id.
        pub id: String,
        /// Display name.
        pub name: String,
        /// Ledger address.
        pub href: String,
    }
}

view! {
    /// A completion status badge.
    pub struct StatusView {
        /// CSS key (`done`, `overdue` …).
        pub key: &'static str,
        /// Chinese label.
        pub label: &'static str,
        /// A continuous duty whose latest report is older than the configured days.
        pub stale: bool,
        /// What `stale` means, in words: 超过 N 天未报送.
        pub stale_note: Option<String>,
        /// Date of the latest report counted.
        pub last_update: Option<String>,
        /// The latest report counted was filed by a group for all its members: the group's name
        /// (由 … 统一报送).
        pub by_group: Option<String>,
    }
}

/// The badge of an outcome, `stale_days` being the site's `stale_after_days`.
pub fn status_view(o: &Outcome, stale_days: u32) -> StatusView {
    StatusView {
        key: o.status.key(),
        label: o.status.label(),
        stale: o.stale,
        stale_note: o.stale.then(|| format!("超过{stale_days}天未报送")),
        last_update: o.last_update.map(cn_date),
        by_group: None,
    }
}

view! {
    /// How many of something have a status.
    pub struct Count {
        /// CSS key.
        pub key: &'static str,
        /// Chinese label.
        pub label: &'static str,
        /// How many.
        pub count: usize,
        /// Percentage of the total, as text (summary tables only).
        pub pct: Option<String>,
    }
}

/// The count of every status in `t`, with percentages when `pct`.
pub fn counts(t: &Tally, with_pct: bool) -> Vec<Count> {
    Status::ALL
        .iter()
        .map(|s| Count {
            key: s.key(),
            label: s.label(),
            count: t.get(*s),
            pct: with_pct.then(|| pct(t.get(*s), t.total)),
        })
        .collect()
}

/// The counts of `t` in words, only those above zero, in display order: 已完成 2 项，未报送 3 项.
pub fn counts_line(t: &Tally) -> String {
    Status::ALL
        .iter()
        .filter(|s| t.get(**s) > 0)
        .map(|s| format!("{} {} 项", s.label(), t.get(*s)))
        .collect::<Vec<_>>()
        .join("，")
}

fn pct(n: usize, total: usize) -> String {
    if total == 0 {
        "0".into()
    } else {
        let v = n as f64 * 100.0 / total as f64;
        let s = format!("{v:.1}");
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    }
}

view! {
    /// A task's deadline as written and as read.
    pub struct DeadlineView {
        /// As written.
        pub text: String,
        /// `date`, `timely`, `ongoing`, `text` or `none`.
        pub kind: &'static str,
        /// Label of the kind.
        pub kind_label: &'static str,
        /// What it means, in words.
        pub meaning: String,
    }
}

view! {
    /// A task in a list (no records, no member lists): made for each page that lists it.
    pub struct TaskRow {
        /// Task number.
        pub id: String,
        /// Task page.
        pub href: String,
        /// Task text.
        pub text: String,
        /// Assignees with a ledger.
        pub units: Vec<Shared<Link>>,
        /// The table says 等 (and others).
        pub and_others: bool,
        /// Deadline.
        pub deadline: DeadlineView,
        /// Status.
        pub status: StatusView,
    }
}

view! {
    /// A supporting document of a record.
    pub struct Evidence {
        /// Title.
        pub title: String,
        /// Address.
        pub url: String,
    }
}

view! {
    /// The task a record belongs to.
    pub struct TaskRef {
        /// Task number.
        pub id: String,
        /// Task page.
        pub href: String,
    }
}

view! {
    /// A progress record.
    pub struct RecordView {
        /// Record id (the anchor on the task page).
        pub id: String,
        /// Date, 2023年9月30日.
        pub date: String,
        /// Date, ISO.
        pub date_iso: String,
        /// Reporting unit.
        pub unit: Shared<Link>,
        /// Reported status, in Chinese.
        pub status: &'static str,
        /// Reported status key.
        pub status_key: &'static str,
        /// Summary.
        pub summary: String,
        /// Supporting documents.
        pub evidence: Vec<Evidence>,
        /// Review badge (preview only).
        pub badge: Option<String>,
        /// Its task, where the record is listed away from its task page.
        pub task: Option<TaskRef>,
    }
}

view! {
    /// A link to a category.
    pub struct CategoryLink {
        /// 序号.
        pub number: u32,
        /// Title.
        pub title: String,
        /// First page.
        pub href: String,
    }
}

view! {
    /// A plan's document metadata and links, shown on most of its pages.
    pub struct PlanHead {
        /// Folder name.
        pub id: String,
        /// Title.
        pub title: String,
        /// Year.
        pub year: i32,
        /// 发布机构.
        pub issuer: String,
        /// Issue date, 2023年6月16日, or 未载明 when the document does not give it.
        pub issue_date: String,
        /// Issue date, ISO, when known.
        pub issue_date_iso: Option<String>,
        /// 成文日期.
        pub written_date: Option<String>,
        /// 文号.
        pub doc_number: Option<String>,
        /// 索引号.
        pub index_number: Option<String>,
        /// 主题分类.
        pub subject: Option<String>,
        /// 公开方式.
        pub disclosure: String,
        /// 抄送.
        pub cc: Vec<String>,
        /// Overview page.
        pub href: String,
        /// Timeline page.
        pub timeline_href: String,
        /// Pilot units page, when the plan has pilots.
        pub pilots_href: Option<String>,
        /// Categories.
        pub categories: Vec<CategoryLink>,
        /// What a reader of any page of the plan must know to read its statuses right (an as-of
        /// date before the issue date).
        pub notices: Vec<String>,
    }
}

view! {
    /// A pager.
    pub struct Pagination {
        /// Current page.
        pub page: usize,
        /// Number of pages.
        pub pages: usize,
        /// Page links and gaps.
        pub links: Vec<PagerLink>,
        /// Previous page.
        pub prev: Option<String>,
        /// Next page.
        pub next: Option<String>,
    }
}

view! {
    /// One item of a pager: a page link, or a gap where pages are left out.
    pub struct PagerLink {
        /// A gap.
        pub gap: bool,
        /// Page number.
        pub n: Option<usize>,
        /// Page address.
        pub href: Option<String>,
        /// The current page.
        pub current: bool,
    }
}

/// Pages linked from a pager: the first, the last and two either side of the current one,
/// with a gap (`None`) where pages are left out, so the pager stays short however long the
/// list (and costs the same on every page).
pub fn pager_window(page: usize, pages: usize) -> Vec<Option<usize>> {
    let shown = |n: usize| n == 1 || n == pages || n.abs_diff(page) <= 2;
    let mut out = Vec::new();
    let mut n = 1;
    while n <= pages {
        if shown(n) {
            out.push(Some(n));
            n += 1;
        } else {
            out.push(None);
            // Skip to the next shown page.
            n = if n < page {
                page.saturating_sub(2)
            } else {
                pages
            };
        }
    }
    out
}

/// The pager of page `paged` of a list whose page N is at `href(N)`.
pub fn pagination(paged: Paged, href: impl Fn(usize) -> String) -> Pagination {
    let Paged { page, pages } = paged;
    let links = pager_window(page, pages)
        .into_iter()
        .map(|n| PagerLink {
            gap: n.is_none(),
            n,
            href: n.map(&href),
            current: n == Some(page),
        })
        .collect();
    Pagination {
        page,
        pages,
        links,
        prev: (page > 1).then(|| href(page - 1)),
        next: (page < pages).then(|| href(page + 1)),
    }
}

/// A breadcrumb item.
pub fn crumb(title: impl Into<String>, href: Option<String>) -> Crumb {
    Crumb {
        title: title.into(),
        href,
        external: false,
    }
}

/// 首页 followed by `items`.
pub fn crumbs(items: Vec<Crumb>) -> Vec<Crumb> {
    let mut v = vec![crumb("首页", Some(url::HOME.into()))];
    v.extend(items);
    v
}

impl Renderer<'_> {
    /// The badge of an outcome.
    pub(super) fn status_view(&self, o: &Outcome) -> StatusView {
        status_view(o, self.cx.rules.stale_after_days)
    }

    /// The badge of unit or group `id`'s outcome on a task of plan `pi`: says so when the
    /// latest report counted was filed by a group on everyone's behalf.
    pub(super) fn party_status(&self, pi: usize, id: &str, o: &Outcome) -> StatusView {
        let mut v = self.status_view(o);
        if let Some(ri) = o.latest {
            let by = &self.site.plans[pi].records[ri].entry.unit.value;
            if by != id && self.cx.dir.is_group(by) {
                v.by_group = Some(self.cx.dir.name(by).to_string());
            }
        }
        v
    }

    /// The shared link of unit or group `id` (ids are checked to exist before rendering).
    pub(super) fn unit_link(&self, id: &str) -> Shared<Link> {
        self.links.get(id).cloned().unwrap_or_else(|| {
            Shared::new(&Link {
                id: id.into(),
                name: self.cx.dir.name(id).into(),
                href: url::ledger(id, 1),
            })
        })
    }

    pub(super) fn deadline_view(&self, ts: &TaskStatus<'_>) -> DeadlineView {
        let t = ts.task;
        let text = t
            .entry
            .deadline
            .as_ref()
            .map_or("未规定", |d| d.value.as_str());
        let (kind, meaning) = match t.deadline {
            DeadlineKind::Date(d) => ("date", format!("{}前完成", cn_date(d))),
            DeadlineKind::Timely => ("timely", "有信息即公开，持续进行".to_string()),
            DeadlineKind::Ongoing => ("ongoing", "长期任务，持续推进".to_string()),
            DeadlineKind::Text => ("text", "原文时限，未能解读为具体日期，不计逾期".to_string()),
            DeadlineKind::None => ("none", "原表未规定完成时限".to_string()),
        };
        DeadlineView {
            text: text.into(),
            kind,
            kind_label: t.deadline.label(),
            meaning,
        }
    }

    /// The list row of a task.
    pub(super) fn task_row(&self, plan_id: &str, ts: &TaskStatus<'_>) -> TaskRow {
        let t = ts.task;
        TaskRow {
            id: t.id().into(),
            href: url::task(plan_id, t.id()),
            text: t.entry.text.value.clone(),
            units: t
                .assignees()
                .into_iter()
                .filter(|id| self.cx.dir.by_id.contains_key(id))
                .map(|id| self.unit_link(id))
                .collect(),
            and_others: t.entry.and_others,
            deadline: self.deadline_view(ts),
            status: self.status_view(&ts.outcome),
        }
    }

    /// The list row of task `ti` of plan `pi`, made for the page that lists it (holding every
    /// row of the site for the build would cost memory in proportion to the plan).
    pub(super) fn row(&self, pi: usize, ti: usize) -> Shared<TaskRow> {
        Shared::new(&self.task_row(&self.site.plans[pi].id, &self.cx.tasks[pi][ti]))
    }

    /// Record `ri` of plan `pi` as shown under its task, made for the page that shows it.
    pub(super) fn record(&self, pi: usize, ri: usize) -> Shared<RecordView> {
        Shared::new(&self.record_view(pi, ri, false))
    }

    /// Record `ri` of plan `pi`; `with_task` adds the link to its task.
    pub(super) fn record_view(&self, pi: usize, ri: usize, with_task: bool) -> RecordView {
        let plan = &self.site.plans[pi];
        let r = &plan.records[ri].entry;
        let status_key = match r.status.value {
            crate::model::ProgressStatus::Done => "done",
            crate::model::ProgressStatus::InProgress => "in-progress",
            crate::model::ProgressStatus::NotStarted => "not-started",
        };
        RecordView {
            id: r.id.value.clone(),
            date: cn_date(r.date.value.0),
            date_iso: r.date.value.to_string(),
            unit: self.unit_link(&r.unit.value),
            status: r.status.value.label(),
            status_key,
            summary: r.summary.value.clone(),
            evidence: r
                .evidence
                .iter()
                .map(|e| Evidence {
                    title: e.title.value.clone(),
                    url: e.url.value.clone(),
                })
                .collect(),
            badge: self
                .opts
                .verdicts
                .as_ref()
                .and_then(|v| v.records[pi][ri].badge()),
            task: with_task.then(|| TaskRef {
                id: r.task.value.clone(),
                href: url::task(&plan.id, &r.task.value),
            }),
        }
    }

    /// The header of plan `pi`.
    pub(super) fn plan_head(&self, pi: usize) -> PlanHead {
        let plan = &self.site.plans[pi];
        let m = &plan.meta;
        PlanHead {
            id: plan.id.clone(),
            title: m.title.value.clone(),
            year: m.year.value,
            issuer: m.issuer.value.clone(),
            issue_date: m
                .issue_date
                .value
                .known()
                .map_or_else(|| crate::model::UNSTATED.to_string(), cn_date),
            issue_date_iso: m.issue_date.value.known().map(|d| d.to_string()),
            written_date: m.written_date.clone().map(String::from),
            doc_number: m.doc_number.clone().map(String::from),
            index_number: m.index_number.clone().map(String::from),
            subject: m.subject.clone().map(String::from),
            disclosure: m.disclosure.to_string(),
            cc: m.cc.iter().map(|c| c.value.clone()).collect(),
            href: url::plan(&plan.id),
            timeline_href: url::timeline(&plan.id),
            pilots_href: (!plan.pilots.is_empty()).then(|| url::pilots(&plan.id)),
            categories: plan
                .categories
                .iter()
                .map(|c| CategoryLink {
                    number: c.number,
                    title: c.title.value.clone(),
                    href: url::category(&plan.id, c.number, 1),
                })
                .collect(),
            notices: self.plan_notices(pi),
        }
    }

    /// The notice that `n` published records of what a page lists are dated after the as-of
    /// date and not counted (said on the overview, the timeline and category pages for what
    /// they list, and on a task page for its own records).
    pub(super) fn later_notice(&self, n: usize) -> Option<String> {
        (n > 0).then(|| {
            format!(
                "另有 {n} 条进展记录的日期晚于数据截至日期（{}），未计入完成情况。",
                cn_date(self.cx.rules.as_of)
            )
        })
    }

    /// The notices of plan `pi` (see [`PlanHead::notices`]).
    fn plan_notices(&self, pi: usize) -> Vec<String> {
        let m = &self.site.plans[pi].meta;
        let as_of = self.cx.rules.as_of;
        let mut out = Vec::new();
        if let Some(issued) = m.issue_date.value.known()
            && as_of < issued
        {
            out.push(format!(
                "数据截至日期（{}）早于本文件的印发日期（{}），本页的完成情况不是文件印发后的落实情况。",
                cn_date(as_of),
                cn_date(issued)
            ));
        }
        out
    }
}
