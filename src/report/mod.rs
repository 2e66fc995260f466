//! The progress report for leaders (进展通报): per unit and group, the overdue tasks, what falls
//! due soon, and who has not reported for long, as typed rows computed from the same
//! [`Computed`] the site is rendered from. No status rule lives here: every figure is a count of
//! the site's own outcomes (the ledger lines of `units/` pages, the task outcomes of
//! `data/tasks.csv`), so the report and the site cannot disagree.
//!
//! Which records count is decided as `build` decides it: [`crate::publish::gate`] keeps the
//! records whose 终审 matches and whose attribute is 主动公开. [`Scope::All`] counts every record
//! instead (as the preview shows them) and marks what rests on records the gate holds back.
//!
//! [`text`] prints the report, [`xlsx`] writes it as a workbook.

pub mod text;
pub mod xlsx;

use crate::compute::{Computed, LedgerLine};
use crate::deadline::DeadlineKind;
use crate::review::Verdicts;
use crate::site::Site;
use crate::status::{Rules, Status, Tally};
use chrono::NaiveDate;
use serde::Serialize;

/// Which records the report counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Only what the site publishes (the build's gate).
    Published,
    /// Every record, signed or not (figures resting on unsigned ones are marked).
    All,
}

/// What to report on.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The as-of date (the build's: `--as-of`, else `site.yaml`'s `as_of`, else today).
    pub as_of: NaiveDate,
    /// Which records count.
    pub scope: Scope,
    /// A party with open tasks whose latest report is older than this many days (or who never
    /// reported) is listed as 久未报送.
    pub stale_days: u32,
    /// Tasks whose date deadline falls within this many days from the as-of date (inclusive)
    /// and are not done are listed as due soon.
    pub horizon_days: u32,
}

/// The report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The site's title.
    pub site: String,
    /// The as-of date.
    #[serde(serialize_with = "ser_date")]
    pub as_of: NaiveDate,
    /// Which records count.
    pub scope: Scope,
    /// Records dated on or before the as-of date that the gate holds back: counted with
    /// [`Scope::All`], left out otherwise.
    pub unsigned_records: usize,
    /// The 久未报送 threshold in days.
    pub stale_days: u32,
    /// The due-soon window in days.
    pub horizon_days: u32,
    /// Last day of the due-soon window.
    #[serde(serialize_with = "ser_date")]
    pub horizon_end: NaiveDate,
    /// Every unit (by kind, in `units.yaml` order), then every group: what `units/index.html`
    /// lists.
    pub units: Vec<UnitRow>,
    /// Tasks overdue (已逾期), most days overdue first.
    pub overdue: Vec<TaskLine>,
    /// Tasks with a date deadline in the window that are not done, soonest first.
    pub due_soon: Vec<TaskLine>,
    /// Units and groups with open tasks and no report for more than `stale_days` days (or none
    /// at all), longest silence first.
    pub stale: Vec<StaleRow>,
}

/// One unit or group: its ledger counted.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind (单位组 for a group).
    pub kind: &'static str,
    /// A group.
    pub is_group: bool,
    /// Tasks in its ledger (任务数 of `units/index.html`).
    pub tasks: usize,
    /// Its tasks by its own status on each, keyed by [`Status::key`], every status present.
    pub counts: std::collections::BTreeMap<&'static str, usize>,
    /// Its tasks not done whose date deadline falls in the due-soon window.
    pub due_soon: usize,
    /// The latest report counted for it on any of its tasks (its own, or a group's for
    /// everyone), as its ledger shows.
    #[serde(serialize_with = "ser_opt_date")]
    pub latest: Option<NaiveDate>,
    /// Days from that report to the as-of date.
    pub days_since: Option<i64>,
    /// Tasks whose latest report counted for it is held back by the gate (only with
    /// [`Scope::All`]).
    pub unsigned: usize,
}

impl UnitRow {
    /// Count of one status.
    pub fn count(&self, s: Status) -> usize {
        self.counts.get(s.key()).copied().unwrap_or(0)
    }
}

/// One assignee of a listed task.
#[derive(Debug, Clone, Serialize)]
pub struct AssigneeCell {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// 牵头, 责任 or 配合.
    pub role: &'static str,
    /// Its own status on the task.
    pub status: &'static str,
}

/// A task in the overdue or due-soon list.
#[derive(Debug, Clone, Serialize)]
pub struct TaskLine {
    /// Plan folder.
    pub plan: String,
    /// Plan year.
    pub year: i32,
    /// Task id.
    pub task: String,
    /// Task text.
    pub text: String,
    /// Every assignee with its role and own status, in the table's order.
    pub assignees: Vec<AssigneeCell>,
    /// The deadline as written.
    pub deadline_text: String,
    /// The deadline date.
    #[serde(serialize_with = "ser_date")]
    pub deadline: NaiveDate,
    /// Days overdue (overdue list) or days left (due-soon list).
    pub days: i64,
    /// The task's status label.
    pub status: &'static str,
    /// The latest report on the task.
    #[serde(serialize_with = "ser_opt_date")]
    pub latest: Option<NaiveDate>,
    /// A record counted on the task is held back by the gate (only with [`Scope::All`]).
    pub unsigned: bool,
}

impl TaskLine {
    /// The assignees as one cell: 甲局（牵头，已逾期）、乙局（配合，已完成）.
    pub fn assignees_text(&self) -> String {
        self.assignees
            .iter()
            .map(|a| format!("{}（{}，{}）", a.name, a.role, a.status))
            .collect::<Vec<_>>()
            .join("、")
    }

    /// The assignees that are not done on the task (those that keep it open).
    pub fn behind_text(&self) -> String {
        self.assignees
            .iter()
            .filter(|a| a.status != Status::Done.label() && a.status != Status::DoneLate.label())
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// A unit or group that has not reported for long.
#[derive(Debug, Clone, Serialize)]
pub struct StaleRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind (单位组 for a group).
    pub kind: &'static str,
    /// Its tasks not done.
    pub open: usize,
    /// Of which overdue.
    pub overdue: usize,
    /// Its latest report counted, if any.
    #[serde(serialize_with = "ser_opt_date")]
    pub latest: Option<NaiveDate>,
    /// Days since (none: never reported).
    pub days_since: Option<i64>,
}

fn ser_date<S: serde::Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.format("%Y-%m-%d").to_string())
}

fn ser_opt_date<S: serde::Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => ser_date(d, s),
        None => s.serialize_none(),
    }
}

/// Compute the report of `site` (checked, without errors) with its review `verdicts`.
pub fn compute(site: &Site, verdicts: &Verdicts, opts: &Options) -> Report {
    let rules = Rules {
        as_of: opts.as_of,
        stale_after_days: site.config.stale_after_days,
    };
    // Held-back records dated within the as-of date: left out, or counted and marked.
    let unsigned_records = site
        .plans
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            p.records
                .iter()
                .enumerate()
                .filter(|(ri, r)| {
                    !verdicts.records[pi][*ri].publishable() && r.entry.date.value.0 <= opts.as_of
                })
                .count()
        })
        .sum();
    match opts.scope {
        Scope::Published => {
            // Exactly the build's path: the gate, then status over what it keeps.
            let (public, _) = crate::publish::gate(site.clone(), verdicts);
            let cx = Computed::new(&public, rules, &|_, _| true);
            assemble(&public, &cx, opts, unsigned_records, &|_, _| false)
        }
        Scope::All => {
            let cx = Computed::new(site, rules, &|_, _| true);
            let held = |pi: usize, ri: usize| !verdicts.records[pi][ri].publishable();
            assemble(site, &cx, opts, unsigned_records, &held)
        }
    }
}

/// The rows from the computed site; `held(plan, record)` says whether a counted record is
/// held back by the gate.
fn assemble(
    site: &Site,
    cx: &Computed<'_>,
    opts: &Options,
    unsigned_records: usize,
    held: &dyn Fn(usize, usize) -> bool,
) -> Report {
    let as_of = opts.as_of;
    let horizon_end = as_of + chrono::Duration::days(i64::from(opts.horizon_days));
    let in_window =
        |d: DeadlineKind| matches!(d, DeadlineKind::Date(x) if x >= as_of && x <= horizon_end);
    let days_since = |d: Option<NaiveDate>| d.map(|d| (as_of - d).num_days());

    // Units by kind in file order (as units/index.html lists them), then groups.
    let mut parties: Vec<(&str, &'static str)> = Vec::new();
    let mut units: Vec<&crate::model::Unit> = site.units.iter().collect();
    units.sort_by_key(|u| u.kind);
    let mut seen = std::collections::BTreeSet::new();
    for u in units {
        if seen.insert(u.id.value.as_str()) {
            parties.push((&u.id.value, u.kind.label()));
        }
    }
    for g in &site.groups {
        if seen.insert(g.id.value.as_str()) {
            parties.push((&g.id.value, "单位组"));
        }
    }

    let mut rows = Vec::new();
    let mut stale = Vec::new();
    for (id, kind) in parties {
        let lines: &[LedgerLine] = cx.ledgers.get(id).map_or(&[][..], Vec::as_slice);
        let mut tally = Tally::default();
        for l in lines {
            tally.add(l.outcome.status);
        }
        let latest = lines.iter().filter_map(|l| l.outcome.last_update).max();
        let unsigned = lines
            .iter()
            .filter(|l| l.outcome.latest.is_some_and(|r| held(l.plan, r)))
            .count();
        let due_soon = lines
            .iter()
            .filter(|l| {
                !l.outcome.status.is_done() && in_window(cx.tasks[l.plan][l.task].task.deadline)
            })
            .count();
        let name = cx.dir.name(id).to_string();
        let is_group = cx.dir.is_group(id);
        let open = lines.iter().filter(|l| !l.outcome.status.is_done()).count();
        let since = days_since(latest);
        if open > 0 && since.is_none_or(|d| d > i64::from(opts.stale_days)) {
            stale.push(StaleRow {
                id: id.to_string(),
                name: name.clone(),
                kind,
                open,
                overdue: tally.get(Status::Overdue),
                latest,
                days_since: since,
            });
        }
        rows.push(UnitRow {
            id: id.to_string(),
            name,
            kind,
            is_group,
            tasks: lines.len(),
            counts: Status::ALL
                .iter()
                .map(|s| (s.key(), tally.get(*s)))
                .collect(),
            due_soon,
            latest,
            days_since: since,
            unsigned,
        });
    }
    // Never reported first, then the longest silence; ties in the order above.
    stale.sort_by_key(|s| std::cmp::Reverse(s.days_since.unwrap_or(i64::MAX)));

    let mut overdue = Vec::new();
    let mut due_soon = Vec::new();
    for (pi, plan) in site.plans.iter().enumerate() {
        for ts in &cx.tasks[pi] {
            let DeadlineKind::Date(deadline) = ts.task.deadline else {
                continue;
            };
            let line = |days: i64| TaskLine {
                plan: plan.id.clone(),
                year: plan.meta.year.value,
                task: ts.task.id().to_string(),
                text: ts.task.entry.text.value.clone(),
                assignees: ts
                    .assignees
                    .iter()
                    .map(|a| AssigneeCell {
                        id: a.id.to_string(),
                        name: cx.dir.name(a.id).to_string(),
                        role: a.role.label(),
                        status: a.outcome.status.label(),
                    })
                    .collect(),
                deadline_text: ts
                    .task
                    .entry
                    .deadline
                    .as_ref()
                    .map_or(String::new(), |d| d.value.clone()),
                deadline,
                days,
                status: ts.outcome.status.label(),
                latest: ts.outcome.last_update,
                unsigned: ts.records.iter().any(|r| held(pi, *r)),
            };
            if ts.outcome.status == Status::Overdue {
                overdue.push(line((as_of - deadline).num_days()));
            } else if !ts.outcome.status.is_done() && in_window(ts.task.deadline) {
                due_soon.push(line((deadline - as_of).num_days()));
            }
        }
    }
    // Stable sorts: ties keep plan (newest year first) and table order.
    overdue.sort_by_key(|t| std::cmp::Reverse(t.days));
    due_soon.sort_by_key(|t| t.days);

    Report {
        site: site.config.title.value.clone(),
        as_of,
        scope: opts.scope,
        unsigned_records,
        stale_days: opts.stale_days,
        horizon_days: opts.horizon_days,
        horizon_end,
        units: rows,
        overdue,
        due_soon,
        stale,
    }
}

/// `2024-06-15`.
pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The note at the top of every view: what the figures count.
pub fn scope_note(r: &Report) -> String {
    match r.scope {
        Scope::Published => {
            if r.unsigned_records > 0 {
                format!(
                    "只计已签发（三审通过、主动公开）的进展记录，与网站一致；另有 {} 条记录未签发或不公开，未计入（加 --all 可计入）。",
                    r.unsigned_records
                )
            } else {
                "只计已签发（三审通过、主动公开）的进展记录，与网站一致。".to_string()
            }
        }
        Scope::All => format!(
            "含未签发：计入了 {} 条未签发或不公开的进展记录，数字与网站不同，仅供内部掌握；“含未签发”栏标出依据未签发记录的数字。",
            r.unsigned_records
        ),
    }
}

/// One cell of a view, typed: text, a whole number, a date, or empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A count or a number of days.
    Number(i64),
    /// A date (a real date in the workbook).
    Date(NaiveDate),
    /// Nothing.
    Blank,
}

impl Cell {
    /// As printed: dates as 2024-06-15.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => iso(*d),
            Cell::Blank => String::new(),
        }
    }
}

fn count(n: usize) -> Cell {
    Cell::Number(i64::try_from(n).unwrap_or(i64::MAX))
}

/// One view of the report: a sheet of the workbook and a section of the printed report, with
/// the same cells.
#[derive(Debug, Clone)]
pub struct View {
    /// Sheet name (also the section's heading).
    pub name: &'static str,
    /// The heading line: what the view lists and for which date.
    pub title: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Cell>>,
    /// Columns of long text (wrapped in the workbook, shortened when printed).
    pub long: Vec<usize>,
}

/// The four views, in order: 按单位, 逾期任务, 30日内到期, 久未报送.
pub fn views(r: &Report) -> Vec<View> {
    let all = r.scope == Scope::All;
    let mark = |b: bool| Cell::Text(if b { "是".into() } else { String::new() });
    let date = |d: Option<NaiveDate>| d.map_or(Cell::Blank, Cell::Date);

    let mut headers: Vec<String> = ["单位", "类别", "任务数"].map(String::from).to_vec();
    headers.extend(Status::ALL.iter().map(|s| s.label().to_string()));
    headers.extend([
        format!("{}日内到期", r.horizon_days),
        "最近报送".into(),
        "距今天数".into(),
    ]);
    if all {
        headers.push("含未签发".into());
    }
    let rows = r
        .units
        .iter()
        .map(|u| {
            let mut row = vec![
                Cell::Text(u.name.clone()),
                Cell::Text(u.kind.into()),
                count(u.tasks),
            ];
            row.extend(Status::ALL.iter().map(|s| count(u.count(*s))));
            row.push(count(u.due_soon));
            row.push(date(u.latest));
            row.push(u.days_since.map_or(Cell::Blank, Cell::Number));
            if all {
                row.push(if u.unsigned > 0 {
                    count(u.unsigned)
                } else {
                    Cell::Blank
                });
            }
            row
        })
        .collect();
    let units = View {
        name: "按单位",
        title: format!(
            "各单位和单位组任务完成情况（{} 个，数据截至 {}）",
            r.units.len(),
            iso(r.as_of)
        ),
        headers,
        rows,
        long: Vec::new(),
    };

    let task_view = |name: &'static str, title: String, days: &str, list: &[TaskLine]| {
        let mut headers: Vec<String> = [
            "计划",
            "任务编号",
            "任务内容",
            "责任单位及完成情况",
            "未完成单位",
            "完成时限",
            "截止日期",
            days,
            "完成情况",
            "最近进展",
        ]
        .map(String::from)
        .to_vec();
        if all {
            headers.push("含未签发".into());
        }
        let rows = list
            .iter()
            .map(|t| {
                let mut row = vec![
                    Cell::Text(t.plan.clone()),
                    Cell::Text(t.task.clone()),
                    Cell::Text(t.text.clone()),
                    Cell::Text(t.assignees_text()),
                    Cell::Text(t.behind_text()),
                    Cell::Text(t.deadline_text.clone()),
                    Cell::Date(t.deadline),
                    Cell::Number(t.days),
                    Cell::Text(t.status.into()),
                    date(t.latest),
                ];
                if all {
                    row.push(mark(t.unsigned));
                }
                row
            })
            .collect();
        View {
            name,
            title,
            headers,
            rows,
            long: vec![2, 3],
        }
    };
    let overdue = task_view(
        "逾期任务",
        format!(
            "已逾期任务（{} 项，截至 {}）",
            r.overdue.len(),
            iso(r.as_of)
        ),
        "逾期天数",
        &r.overdue,
    );
    let due = task_view(
        "30日内到期",
        format!(
            "{} 至 {} 到期、尚未完成的任务（{} 项）",
            iso(r.as_of),
            iso(r.horizon_end),
            r.due_soon.len()
        ),
        "剩余天数",
        &r.due_soon,
    );

    let stale = View {
        name: "久未报送",
        title: format!(
            "有未完成任务、超过 {} 天未报送进展的单位（{} 个，截至 {}）",
            r.stale_days,
            r.stale.len(),
            iso(r.as_of)
        ),
        headers: [
            "单位",
            "类别",
            "未完成任务",
            "其中已逾期",
            "最近报送",
            "距今天数",
        ]
        .map(String::from)
        .to_vec(),
        rows: r
            .stale
            .iter()
            .map(|s| {
                vec![
                    Cell::Text(s.name.clone()),
                    Cell::Text(s.kind.into()),
                    count(s.open),
                    count(s.overdue),
                    s.latest.map_or(Cell::Text("从未报送".into()), Cell::Date),
                    s.days_since.map_or(Cell::Blank, Cell::Number),
                ]
            })
            .collect(),
        long: Vec::new(),
    };
    vec![units, overdue, due, stale]
}
