//! Compute: status of every task, assignee, unit and group for the as-of date, with the
//! indexes the pages need (unit ledgers, group membership), built once in linear time.

use crate::deadline::DeadlineKind;
use crate::route::PAGE_SIZE;
use crate::site::{Directory, Plan, Site, Task};
use crate::status::{Outcome, Part, Report, Rules, Status, Tally};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// How a unit or group is involved in a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// 牵头单位.
    Lead,
    /// 责任单位 (the table does not distinguish).
    Responsible,
    /// 配合单位.
    Cooperating,
}

impl Role {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Role::Lead => "牵头",
            Role::Responsible => "责任",
            Role::Cooperating => "配合",
        }
    }
}

/// Status of one assignee of a task.
#[derive(Debug, Clone)]
pub struct AssigneeStatus<'a> {
    /// Unit or group id.
    pub id: &'a str,
    /// Role in the task (with lead units named, every other assignee is [`Role::Cooperating`]).
    pub role: Role,
    /// Outcome.
    pub outcome: Outcome,
    /// For a group: its known members' outcomes.
    pub members: Vec<(&'a str, Outcome)>,
}

/// Status of a task.
#[derive(Debug, Clone)]
pub struct TaskStatus<'a> {
    /// Plan index in `site.plans`.
    pub plan: usize,
    /// The task.
    pub task: &'a Task,
    /// Overall outcome.
    pub outcome: Outcome,
    /// Per assignee, in the order the table names them.
    pub assignees: Vec<AssigneeStatus<'a>>,
    /// Indexes into the plan's records for this task, dated on or before the as-of date, in
    /// [`sort_records`] order (newest first).
    pub records: Vec<usize>,
    /// Published records of this task dated after the as-of date (not counted).
    pub later_records: usize,
}

/// One line of a unit's or group's ledger.
#[derive(Debug, Clone)]
pub struct LedgerLine {
    /// Plan index.
    pub plan: usize,
    /// Index into [`Computed::tasks`] of that plan.
    pub task: usize,
    /// Role.
    pub role: Role,
    /// Through which group, when not named directly.
    pub via: Option<String>,
    /// This party's own outcome on the task.
    pub outcome: Outcome,
}

/// Everything computed for one build.
pub struct Computed<'a> {
    /// The rules in force.
    pub rules: Rules,
    /// Unit directory.
    pub dir: Directory<'a>,
    /// Per plan, per task (in plan order).
    pub tasks: Vec<Vec<TaskStatus<'a>>>,
    /// Per plan: task id → index into `tasks[plan]`.
    pub task_index: Vec<HashMap<&'a str, usize>>,
    /// Ledger lines per unit or group id.
    pub ledgers: BTreeMap<&'a str, Vec<LedgerLine>>,
    /// Timeline sections of each plan (by deadline month, then deadline kind).
    pub timelines: Vec<Vec<TimelineSection>>,
    /// Per plan: published records dated after the as-of date (not counted).
    pub later_records: Vec<usize>,
}

/// The one order of progress records on every page and in every file: newest first by date;
/// of two records with the same date, the later one in file order first.
pub fn sort_records(plan: &Plan, records: &mut [usize]) {
    records.sort_by_key(|ri| std::cmp::Reverse((plan.records[*ri].entry.date.value.0, *ri)));
}

impl<'a> Computed<'a> {
    /// Compute for `site`. `include` says which records count (the publication gate).
    pub fn new(site: &'a Site, rules: Rules, include: &dyn Fn(&Plan, usize) -> bool) -> Self {
        let dir = Directory::new(&site.units, &site.groups);
        let mut all_tasks = Vec::new();
        let mut task_index = Vec::new();
        let mut later = Vec::new();
        let mut ledgers: BTreeMap<&'a str, Vec<LedgerLine>> = BTreeMap::new();
        for (pi, plan) in site.plans.iter().enumerate() {
            // (task id, unit id) → reports, and task id → record indexes.
            let mut reports: HashMap<(&str, &str), Vec<Report>> = HashMap::new();
            let mut by_task: HashMap<&str, Vec<usize>> = HashMap::new();
            let mut after: HashMap<&str, usize> = HashMap::new();
            for (ri, r) in plan.records.iter().enumerate() {
                if !include(plan, ri) {
                    continue;
                }
                if r.entry.date.value.0 > rules.as_of {
                    *after.entry(&r.entry.task.value).or_default() += 1;
                    continue;
                }
                reports
                    .entry((&r.entry.task.value, &r.entry.unit.value))
                    .or_default()
                    .push(Report {
                        date: r.entry.date.value.0,
                        status: r.entry.status.value,
                        record: ri,
                    });
                by_task.entry(&r.entry.task.value).or_default().push(ri);
            }
            let get = |t: &'a str, u: &'a str| -> &[Report] {
                reports.get(&(t, u)).map_or(&[], Vec::as_slice)
            };
            let mut tasks = Vec::new();
            let mut index = HashMap::new();
            for (ti, task) in plan.tasks().enumerate() {
                let tid = task.id();
                index.insert(tid, ti);
                let e = &task.entry;
                let has_lead = e
                    .lead
                    .iter()
                    .any(|l| dir.by_id.contains_key(l.value.as_str()));
                let named: Vec<(&'a str, Role)> = {
                    let mut v: Vec<(&'a str, Role)> = Vec::new();
                    let roles = e
                        .lead
                        .iter()
                        .map(|l| (l, Role::Lead))
                        .chain(e.responsible.iter().map(|l| (l, Role::Responsible)))
                        .chain(e.cooperating.iter().map(|l| (l, Role::Cooperating)));
                    for (l, role) in roles {
                        let id = l.value.as_str();
                        if v.iter().any(|a| a.0 == id) || !dir.by_id.contains_key(id) {
                            continue;
                        }
                        // With lead units named, everyone else cooperates.
                        let role = if has_lead && role != Role::Lead {
                            Role::Cooperating
                        } else {
                            role
                        };
                        v.push((id, role));
                    }
                    v
                };
                let groups_here: Vec<&'a str> = named
                    .iter()
                    .map(|a| a.0)
                    .filter(|id| dir.is_group(id))
                    .collect();
                // A unit's status on this task: its own reports and those of every group on the
                // task it belongs to.
                let effective = |u: &'a str| -> Outcome {
                    let via: Vec<&[Report]> = dir
                        .groups_of
                        .get(u)
                        .map(|gs| {
                            gs.iter()
                                .filter(|g| groups_here.contains(g))
                                .map(|g| get(tid, g))
                                .collect()
                        })
                        .unwrap_or_default();
                    rules.member(task.deadline, get(tid, u), &via)
                };
                let mut assignees: Vec<AssigneeStatus<'a>> = Vec::new();
                for &(id, role) in &named {
                    if dir.is_group(id) {
                        let members: Vec<(&'a str, Outcome)> = dir
                            .members
                            .get(id)
                            .map(|ms| ms.iter().map(|m| (*m, effective(m))).collect())
                            .unwrap_or_default();
                        let outs: Vec<Outcome> = members.iter().map(|m| m.1).collect();
                        let outcome = rules.group(task.deadline, get(tid, id), &outs);
                        assignees.push(AssigneeStatus {
                            id,
                            role,
                            outcome,
                            members,
                        });
                    } else {
                        assignees.push(AssigneeStatus {
                            id,
                            role,
                            outcome: effective(id),
                            members: Vec::new(),
                        });
                    }
                }
                let parts: Vec<Part> = assignees
                    .iter()
                    .map(|a| Part {
                        outcome: a.outcome,
                        lead: a.role == Role::Lead,
                    })
                    .collect();
                let outcome = rules.task(task.deadline, &parts);
                for a in &assignees {
                    ledgers.entry(a.id).or_default().push(LedgerLine {
                        plan: pi,
                        task: ti,
                        role: a.role,
                        via: None,
                        outcome: a.outcome,
                    });
                    for (m, mo) in &a.members {
                        if assignees.iter().any(|x| x.id == *m) {
                            continue; // named directly too: one line, the direct one
                        }
                        let lines = ledgers.entry(m).or_default();
                        // Lines are appended in task order: a line for this task is the last.
                        if lines.last().is_some_and(|l| l.plan == pi && l.task == ti) {
                            continue; // already through another group
                        }
                        lines.push(LedgerLine {
                            plan: pi,
                            task: ti,
                            role: a.role,
                            via: Some(a.id.to_string()),
                            outcome: *mo,
                        });
                    }
                }
                let mut records = by_task.get(tid).cloned().unwrap_or_default();
                sort_records(plan, &mut records);
                tasks.push(TaskStatus {
                    plan: pi,
                    task,
                    outcome,
                    assignees,
                    records,
                    later_records: after.get(tid).copied().unwrap_or(0),
                });
            }
            all_tasks.push(tasks);
            task_index.push(index);
            later.push(after.values().sum());
        }
        let timelines = all_tasks.iter().map(|t| timeline_sections(t)).collect();
        Computed {
            rules,
            dir,
            tasks: all_tasks,
            task_index,
            ledgers,
            timelines,
            later_records: later,
        }
    }

    /// Tally of a plan's tasks, optionally of one category.
    pub fn tally(&self, plan: usize, category: Option<u32>) -> Tally {
        let mut t = Tally::default();
        for ts in &self.tasks[plan] {
            if category.is_none_or(|c| ts.task.category == c) {
                t.add(ts.outcome.status);
            }
        }
        t
    }

    /// Overdue count in a ledger.
    pub fn overdue_count(lines: &[LedgerLine]) -> usize {
        lines
            .iter()
            .filter(|l| l.outcome.status == Status::Overdue)
            .count()
    }
}

/// A group of tasks on the timeline: one deadline month, or one kind of deadline.
#[derive(Debug, Clone)]
pub struct TimelineSection {
    /// ASCII key (anchor and file name): `m2023-08`, `timely`, `ongoing`, `text`, `none`.
    pub key: String,
    /// Title: 2023年8月到期, 及时公开 …
    pub title: String,
    /// Task indexes in deadline order.
    pub tasks: Vec<usize>,
    /// Shown in full on the timeline page; otherwise the page gives its counts and links to
    /// paginated list pages. Sections are inlined in order while the page stays within
    /// [`PAGE_SIZE`] rows.
    pub inline: bool,
}

fn timeline_sections(tasks: &[TaskStatus<'_>]) -> Vec<TimelineSection> {
    let mut months: BTreeMap<(i32, u32), Vec<(NaiveDate, usize)>> = BTreeMap::new();
    let mut others: BTreeMap<u8, Vec<usize>> = BTreeMap::new();
    for (ti, ts) in tasks.iter().enumerate() {
        match ts.task.deadline {
            DeadlineKind::Date(d) => months
                .entry((d.year(), d.month()))
                .or_default()
                .push((d, ti)),
            DeadlineKind::Timely => others.entry(0).or_default().push(ti),
            DeadlineKind::Ongoing => others.entry(1).or_default().push(ti),
            DeadlineKind::Text => others.entry(2).or_default().push(ti),
            DeadlineKind::None => others.entry(3).or_default().push(ti),
        }
    }
    let mut out: Vec<TimelineSection> = months
        .into_iter()
        .map(|((y, m), mut v)| {
            v.sort_by_key(|x| x.0);
            TimelineSection {
                key: format!("m{y}-{m:02}"),
                title: format!("{y}年{m}月到期"),
                tasks: v.into_iter().map(|x| x.1).collect(),
                inline: false,
            }
        })
        .collect();
    for (o, v) in others {
        let (key, title) = match o {
            0 => ("timely", "及时公开类"),
            1 => ("ongoing", "长期任务"),
            2 => ("text", "其他时限"),
            _ => ("none", "未规定时限"),
        };
        out.push(TimelineSection {
            key: key.into(),
            title: title.into(),
            tasks: v,
            inline: false,
        });
    }
    let mut budget = PAGE_SIZE;
    for sec in &mut out {
        if sec.tasks.len() <= budget {
            sec.inline = true;
            budget -= sec.tasks.len();
        }
    }
    out
}
