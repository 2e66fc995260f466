//! Completion status, computed for an as-of date from the progress records dated on or before
//! it. Pure: no IO. The rules are written as a truth table in `docs/status.md`; the tests at the
//! bottom cover it row by row.
//!
//! A status states only what the records support: a unit that filed nothing is 未报送 (not
//! reported), never 未开始; 未开始 needs a `not_started` report.

use crate::deadline::DeadlineKind;
use chrono::NaiveDate;
use serde::Serialize;

use crate::model::ProgressStatus;

/// Status of a task, or of one assignee on a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 已完成: done on or before the deadline (or done, where there is no date).
    Done,
    /// 逾期完成: done after the deadline.
    DoneLate,
    /// 推进中.
    InProgress,
    /// 未开始: the latest report says not started.
    NotStarted,
    /// 未报送: no report, deadline not passed (or no date to pass).
    NotReported,
    /// 已逾期: a date deadline passed and not done.
    Overdue,
    /// 持续推进: 及时公开 / 长期坚持 / 持续推进, which never end, with at least one report.
    Ongoing,
    /// 持续推进（暂无报送）: a duty that never ends and nobody has reported on.
    OngoingNotReported,
}

impl Status {
    /// Every status, in display order.
    pub const ALL: [Status; 8] = [
        Status::Done,
        Status::DoneLate,
        Status::InProgress,
        Status::NotStarted,
        Status::NotReported,
        Status::Overdue,
        Status::Ongoing,
        Status::OngoingNotReported,
    ];

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Status::Done => "已完成",
            Status::DoneLate => "逾期完成",
            Status::InProgress => "推进中",
            Status::NotStarted => "未开始",
            Status::NotReported => "未报送",
            Status::Overdue => "已逾期",
            Status::Ongoing => "持续推进",
            Status::OngoingNotReported => "持续推进（暂无报送）",
        }
    }

    /// Stable ASCII key (CSS class `st-<key>`, the open data's `status`). Keys are kebab-case,
    /// like every other key of the theme and the open data.
    pub fn key(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::DoneLate => "done-late",
            Status::InProgress => "in-progress",
            Status::NotStarted => "not-started",
            Status::NotReported => "not-reported",
            Status::Overdue => "overdue",
            Status::Ongoing => "ongoing",
            Status::OngoingNotReported => "ongoing-not-reported",
        }
    }

    /// Done, on time or late.
    pub fn is_done(self) -> bool {
        matches!(self, Status::Done | Status::DoneLate)
    }
}

/// One progress report as the status rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// Date of the report.
    pub date: NaiveDate,
    /// What it says.
    pub status: ProgressStatus,
    /// Position of the record in the plan's records (file, then entry order): it identifies the
    /// record, and of two reports of the same date the later one in file order is the later.
    pub record: usize,
}

impl Report {
    /// The order of reports and records everywhere: by date, then by file order.
    pub fn order_key(&self) -> (NaiveDate, usize) {
        (self.date, self.record)
    }
}

/// Result for one assignee or task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// The status.
    pub status: Status,
    /// Date of the latest report considered, if any.
    pub last_update: Option<NaiveDate>,
    /// For continuous duties: reported, but not within the stale window.
    pub stale: bool,
    /// The latest report considered (its [`Report::record`]).
    pub latest: Option<usize>,
}

/// Parameters shared by every computation of one build.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// The as-of date: reports after it are ignored.
    pub as_of: NaiveDate,
    /// Continuous duties whose latest report is older than this many days are flagged
    /// (超过 N 天未报送).
    pub stale_after_days: u32,
}

/// One assignee of a task, as [`Rules::task`] sees it.
#[derive(Debug, Clone, Copy)]
pub struct Part {
    /// Its outcome.
    pub outcome: Outcome,
    /// Named as 牵头单位.
    pub lead: bool,
}

impl Rules {
    /// Status of one unit (or a group reporting as itself) from its own reports.
    ///
    /// Reports dated after `as_of` are ignored; the latest remaining report decides (by date,
    /// then file order).
    pub fn unit(&self, deadline: DeadlineKind, reports: &[Report]) -> Outcome {
        let latest = reports
            .iter()
            .filter(|r| r.date <= self.as_of)
            .max_by_key(|r| r.order_key())
            .copied();
        let last_update = latest.map(|r| r.date);
        let latest_record = latest.map(|r| r.record);
        if deadline.is_continuous() {
            return self.continuous(last_update, latest_record);
        }
        let status = match (latest.map(|r| r.status), deadline) {
            (Some(ProgressStatus::Done), DeadlineKind::Date(d)) => {
                // Done late if the first report of "done" came after the deadline.
                let done_on = reports
                    .iter()
                    .filter(|r| r.date <= self.as_of && r.status == ProgressStatus::Done)
                    .map(|r| r.date)
                    .min()
                    .unwrap_or(self.as_of);
                if done_on <= d {
                    Status::Done
                } else {
                    Status::DoneLate
                }
            }
            (Some(ProgressStatus::Done), _) => Status::Done,
            (_, DeadlineKind::Date(d)) if self.as_of > d => Status::Overdue,
            (Some(ProgressStatus::InProgress), _) => Status::InProgress,
            (Some(ProgressStatus::NotStarted), _) => Status::NotStarted,
            (None, _) => Status::NotReported,
        };
        Outcome {
            status,
            last_update,
            stale: false,
            latest: latest_record,
        }
    }

    /// A duty that never ends: 持续推进 once anyone reported, flagged when the latest report is
    /// older than the stale window; 持续推进（暂无报送） when nobody has.
    fn continuous(&self, last_update: Option<NaiveDate>, latest: Option<usize>) -> Outcome {
        Outcome {
            status: if last_update.is_some() {
                Status::Ongoing
            } else {
                Status::OngoingNotReported
            },
            last_update,
            stale: last_update
                .is_some_and(|d| (self.as_of - d).num_days() > i64::from(self.stale_after_days)),
            latest,
        }
    }

    /// Combine several outcomes into one (a task from the assignees that decide it, or a group
    /// from its members):
    ///
    /// 1. continuous deadline → 持续推进 if any part reported (flagged when the latest report
    ///    is old), else 持续推进（暂无报送）;
    /// 2. any part overdue → 已逾期;
    /// 3. every part done → 逾期完成 if any part was late, else 已完成;
    /// 4. any part in progress or done → 推进中;
    /// 5. no parts and a date deadline passed → 已逾期;
    /// 6. any part reported not started → 未开始;
    /// 7. otherwise (nobody reported) → 未报送.
    pub fn combine(&self, deadline: DeadlineKind, parts: &[Outcome]) -> Outcome {
        let newest = parts
            .iter()
            .filter(|p| p.last_update.is_some())
            .max_by_key(|p| (p.last_update, p.latest));
        let last_update = newest.and_then(|p| p.last_update);
        let latest = newest.and_then(|p| p.latest);
        if deadline.is_continuous() {
            return self.continuous(last_update, latest);
        }
        let any = |f: &dyn Fn(Status) -> bool| parts.iter().any(|p| f(p.status));
        let status = if any(&|s| s == Status::Overdue) {
            Status::Overdue
        } else if !parts.is_empty() && parts.iter().all(|p| p.status.is_done()) {
            if any(&|s| s == Status::DoneLate) {
                Status::DoneLate
            } else {
                Status::Done
            }
        } else if any(&|s| s == Status::InProgress || s.is_done()) {
            Status::InProgress
        } else if matches!(deadline, DeadlineKind::Date(d) if self.as_of > d) {
            Status::Overdue
        } else if any(&|s| s == Status::NotStarted) {
            Status::NotStarted
        } else {
            Status::NotReported
        };
        Outcome {
            status,
            last_update,
            stale: false,
            latest,
        }
    }

    /// A group assignee: with known members, its members combined (each member's status
    /// already includes the group's own reports, see [`Rules::member`]); without known members,
    /// the group reports as one unit.
    pub fn group(&self, deadline: DeadlineKind, own: &[Report], members: &[Outcome]) -> Outcome {
        if members.is_empty() {
            self.unit(deadline, own)
        } else {
            self.combine(deadline, members)
        }
    }

    /// A member of one or more groups named on a task: its own reports and the reports its
    /// groups filed for everyone together, the latest (by date, then file order) deciding. So a
    /// group's report stands for every member that has not reported later for itself.
    pub fn member(&self, deadline: DeadlineKind, own: &[Report], groups: &[&[Report]]) -> Outcome {
        if groups.iter().all(|g| g.is_empty()) {
            return self.unit(deadline, own);
        }
        let mut all: Vec<Report> = own.to_vec();
        all.extend(groups.iter().flat_map(|g| g.iter().copied()));
        self.unit(deadline, &all)
    }

    /// A task from its assignees: when any is a lead unit (牵头单位), the leads decide and every
    /// other assignee is cooperating (its row keeps its own status, it does not block
    /// completion); otherwise every assignee decides.
    pub fn task(&self, deadline: DeadlineKind, parts: &[Part]) -> Outcome {
        let leads: Vec<Outcome> = parts.iter().filter(|p| p.lead).map(|p| p.outcome).collect();
        let deciding: Vec<Outcome> = if leads.is_empty() {
            parts.iter().map(|p| p.outcome).collect()
        } else {
            leads
        };
        let mut o = self.combine(deadline, &deciding);
        // The latest date shown for the task is the latest report of anyone on it.
        if let Some(p) = parts
            .iter()
            .filter(|p| p.outcome.last_update.is_some())
            .max_by_key(|p| (p.outcome.last_update, p.outcome.latest))
            && p.outcome.last_update > o.last_update
        {
            o.last_update = p.outcome.last_update;
            o.latest = p.outcome.latest;
            if deadline.is_continuous() {
                o = self.continuous(o.last_update, o.latest);
            }
        }
        o
    }
}

/// Counts of tasks by status.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tally {
    /// Count per status, in [`Status::ALL`] order.
    pub counts: [usize; Status::ALL.len()],
    /// Total.
    pub total: usize,
}

impl Tally {
    /// Count one more.
    pub fn add(&mut self, s: Status) {
        let i = Status::ALL.iter().position(|x| *x == s).unwrap_or(0);
        self.counts[i] += 1;
        self.total += 1;
    }

    /// Count of one status.
    pub fn get(&self, s: Status) -> usize {
        Status::ALL
            .iter()
            .position(|x| *x == s)
            .map_or(0, |i| self.counts[i])
    }

    /// Add another tally.
    pub fn merge(&mut self, other: &Tally) {
        for (a, b) in self.counts.iter_mut().zip(other.counts) {
            *a += b;
        }
        self.total += other.total;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeadlineKind as K;
    use ProgressStatus as P;
    use Status as S;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, m, d).unwrap()
    }
    fn r(m: u32, d: u32, s: P) -> Report {
        // Record positions follow the date here unless a test says otherwise.
        Report {
            date: day(m, d),
            status: s,
            record: (m * 100 + d) as usize,
        }
    }
    fn rules(m: u32, d: u32) -> Rules {
        Rules {
            as_of: day(m, d),
            stale_after_days: 60,
        }
    }
    const DL: K = K::Date(NaiveDate::from_ymd_opt(2023, 8, 31).unwrap());

    /// docs/status.md, table 1: one assignee with a date deadline (8月31日), as-of before, on and
    /// after the deadline.
    #[test]
    fn unit_date_deadline_rows() {
        let rows: &[(&[Report], (u32, u32), S)] = &[
            // no report
            (&[], (8, 30), S::NotReported),
            (&[], (8, 31), S::NotReported),
            (&[], (9, 1), S::Overdue),
            // not started
            (&[r(7, 1, P::NotStarted)], (8, 30), S::NotStarted),
            (&[r(7, 1, P::NotStarted)], (8, 31), S::NotStarted),
            (&[r(7, 1, P::NotStarted)], (9, 1), S::Overdue),
            // in progress
            (&[r(7, 1, P::InProgress)], (8, 30), S::InProgress),
            (&[r(7, 1, P::InProgress)], (8, 31), S::InProgress),
            (&[r(7, 1, P::InProgress)], (9, 1), S::Overdue),
            // done before the deadline
            (&[r(8, 20, P::Done)], (8, 30), S::Done),
            (&[r(8, 20, P::Done)], (8, 31), S::Done),
            (&[r(8, 20, P::Done)], (9, 1), S::Done),
            // done on the deadline day
            (&[r(8, 31, P::Done)], (8, 31), S::Done),
            (&[r(8, 31, P::Done)], (9, 30), S::Done),
            // done after the deadline
            (&[r(9, 5, P::Done)], (9, 5), S::DoneLate),
            (&[r(9, 5, P::Done)], (9, 4), S::Overdue),
            // a report after as-of is ignored: nothing left is 未报送
            (&[r(9, 1, P::Done)], (8, 30), S::NotReported),
            (
                &[r(8, 1, P::InProgress), r(9, 1, P::Done)],
                (8, 30),
                S::InProgress,
            ),
            // the latest report by date decides, whatever the file order
            (
                &[r(8, 10, P::InProgress), r(8, 1, P::Done)],
                (8, 30),
                S::InProgress,
            ),
            (
                &[r(8, 10, P::Done), r(8, 1, P::InProgress)],
                (8, 30),
                S::Done,
            ),
        ];
        for (i, (reports, (m, d), want)) in rows.iter().enumerate() {
            assert_eq!(rules(*m, *d).unit(DL, reports).status, *want, "row {i}");
        }
    }

    /// Same date: the later record in file order wins; `latest` names it.
    #[test]
    fn same_date_later_in_file_wins() {
        let a = Report {
            date: day(8, 1),
            status: P::Done,
            record: 7,
        };
        let b = Report {
            date: day(8, 1),
            status: P::InProgress,
            record: 3,
        };
        let o = rules(8, 30).unit(DL, &[a, b]);
        assert_eq!((o.status, o.latest), (S::Done, Some(7)));
        let o = rules(8, 30).unit(DL, &[b, Report { record: 9, ..b }, a]);
        assert_eq!((o.status, o.latest), (S::InProgress, Some(9)));
    }

    /// docs/status.md, table 2: continuous and unreadable deadlines.
    #[test]
    #[allow(clippy::type_complexity)]
    fn unit_other_deadline_rows() {
        let rows: &[(K, &[Report], (u32, u32), S, bool)] = &[
            (K::Timely, &[], (9, 30), S::OngoingNotReported, false),
            (
                K::Timely,
                &[r(9, 1, P::InProgress)],
                (9, 30),
                S::Ongoing,
                false,
            ),
            (K::Timely, &[r(6, 1, P::Done)], (9, 30), S::Ongoing, true),
            (
                K::Ongoing,
                &[r(8, 1, P::InProgress)],
                (9, 30),
                S::Ongoing,
                false,
            ),
            (
                K::Ongoing,
                &[r(7, 31, P::InProgress)],
                (9, 30),
                S::Ongoing,
                true,
            ),
            (K::Ongoing, &[], (1, 1), S::OngoingNotReported, false),
            (
                K::Ongoing,
                &[r(10, 1, P::Done)],
                (9, 30),
                S::OngoingNotReported,
                false,
            ),
            (K::Text, &[], (12, 31), S::NotReported, false),
            (
                K::Text,
                &[r(3, 1, P::NotStarted)],
                (12, 31),
                S::NotStarted,
                false,
            ),
            (
                K::Text,
                &[r(3, 1, P::InProgress)],
                (12, 31),
                S::InProgress,
                false,
            ),
            (K::Text, &[r(3, 1, P::Done)], (12, 31), S::Done, false),
            (K::None, &[], (12, 31), S::NotReported, false),
            (K::None, &[r(3, 1, P::Done)], (12, 31), S::Done, false),
        ];
        for (i, (k, reports, (m, d), want, stale)) in rows.iter().enumerate() {
            let o = rules(*m, *d).unit(*k, reports);
            assert_eq!((o.status, o.stale), (*want, *stale), "row {i}");
        }
    }

    fn o(s: S) -> Outcome {
        Outcome {
            status: s,
            last_update: None,
            stale: false,
            latest: None,
        }
    }

    /// docs/status.md, table 3: several outcomes combined.
    #[test]
    fn combine_rows() {
        let rows: &[(&[S], (u32, u32), S)] = &[
            (&[S::Done, S::Done], (9, 1), S::Done),
            (&[S::Done, S::DoneLate], (9, 30), S::DoneLate),
            (&[S::Done, S::InProgress], (8, 30), S::InProgress),
            (&[S::Done, S::NotStarted], (8, 30), S::InProgress),
            (&[S::Done, S::NotReported], (8, 30), S::InProgress),
            (&[S::NotStarted, S::NotStarted], (8, 30), S::NotStarted),
            (&[S::NotStarted, S::NotReported], (8, 30), S::NotStarted),
            (&[S::NotReported, S::NotReported], (8, 30), S::NotReported),
            (&[S::Done, S::Overdue], (9, 1), S::Overdue),
            (&[S::InProgress, S::Overdue], (9, 1), S::Overdue),
            (&[], (8, 30), S::NotReported),
            (&[], (9, 1), S::Overdue),
        ];
        for (i, (parts, (m, d), want)) in rows.iter().enumerate() {
            let parts: Vec<Outcome> = parts.iter().map(|s| o(*s)).collect();
            assert_eq!(rules(*m, *d).combine(DL, &parts).status, *want, "row {i}");
        }
        let rl = rules(9, 30);
        let un = [o(S::OngoingNotReported), o(S::OngoingNotReported)];
        assert_eq!(rl.combine(K::Timely, &un).status, S::OngoingNotReported);
        let one = [
            o(S::OngoingNotReported),
            rl.unit(K::Timely, &[r(9, 1, P::InProgress)]),
        ];
        let c = rl.combine(K::Timely, &one);
        assert_eq!((c.status, c.stale), (S::Ongoing, false));
        let old = [rl.unit(K::Timely, &[r(6, 1, P::InProgress)])];
        assert!(rl.combine(K::Timely, &old).stale, "超过 60 天未报送");
    }

    fn part(s: S, lead: bool) -> Part {
        Part {
            outcome: o(s),
            lead,
        }
    }

    /// docs/status.md, table 4: a task from its assignees, with and without lead units.
    #[test]
    #[allow(clippy::type_complexity)]
    fn task_rows() {
        let rows: &[(&[(S, bool)], (u32, u32), S)] = &[
            // no lead: every assignee decides
            (
                &[(S::Done, false), (S::NotReported, false)],
                (8, 30),
                S::InProgress,
            ),
            (&[(S::Done, false), (S::Done, false)], (8, 30), S::Done),
            // leads decide; cooperating units never block
            (
                &[(S::Done, true), (S::NotReported, false)],
                (8, 30),
                S::Done,
            ),
            (&[(S::Done, true), (S::Overdue, false)], (9, 1), S::Done),
            (
                &[(S::Done, true), (S::InProgress, true)],
                (8, 30),
                S::InProgress,
            ),
            (&[(S::Overdue, true), (S::Done, false)], (9, 1), S::Overdue),
            (
                &[(S::DoneLate, true), (S::Done, false)],
                (9, 30),
                S::DoneLate,
            ),
            (
                &[(S::NotReported, true), (S::Done, false)],
                (8, 30),
                S::NotReported,
            ),
            (
                &[(S::NotStarted, true), (S::NotReported, false)],
                (8, 30),
                S::NotStarted,
            ),
        ];
        for (i, (parts, (m, d), want)) in rows.iter().enumerate() {
            let parts: Vec<Part> = parts.iter().map(|(s, l)| part(*s, *l)).collect();
            assert_eq!(rules(*m, *d).task(DL, &parts).status, *want, "row {i}");
        }
        // A continuous task is reported on when any assignee, lead or not, reported.
        let rl = rules(9, 30);
        let parts = [
            Part {
                outcome: rl.unit(K::Ongoing, &[]),
                lead: true,
            },
            Part {
                outcome: rl.unit(K::Ongoing, &[r(9, 1, P::InProgress)]),
                lead: false,
            },
        ];
        let t = rl.task(K::Ongoing, &parts);
        assert_eq!((t.status, t.last_update), (S::Ongoing, Some(day(9, 1))));
    }

    /// docs/status.md, table 5: a group and its members.
    #[test]
    fn group_rows() {
        let rl = rules(9, 1);
        let group_done = [r(8, 20, P::Done)];
        // A group's report stands for each member that has not reported for itself.
        let silent = rl.member(DL, &[], &[&group_done]);
        assert_eq!(
            (silent.status, silent.latest),
            (S::Done, Some(group_done[0].record))
        );
        // A member's own later report takes precedence ...
        let later = rl.member(DL, &[r(8, 25, P::InProgress)], &[&group_done]);
        assert_eq!(later.status, S::Overdue);
        // ... and a group's later report stands over a member's earlier one.
        let earlier = rl.member(DL, &[r(8, 1, P::InProgress)], &[&group_done]);
        assert_eq!(earlier.status, S::Done);
        // The group is its members combined: it can never read 已完成 beside a member 已逾期.
        let g = rl.group(DL, &group_done, &[silent, later]);
        assert_eq!(g.status, S::Overdue);
        let g = rl.group(DL, &group_done, &[silent, earlier]);
        assert_eq!(g.status, S::Done);
        // A group with no known members reports as one unit.
        assert_eq!(rl.group(DL, &group_done, &[]).status, S::Done);
        assert_eq!(rl.group(DL, &[], &[]).status, S::Overdue);
        assert_eq!(rules(8, 30).group(DL, &[], &[]).status, S::NotReported);
        // Members with nothing from anyone: 未报送 before the deadline, never 未开始.
        let m = rules(8, 30).member(DL, &[], &[&[]]);
        assert_eq!(m.status, S::NotReported);
        // A group's report after as-of is ignored.
        let m = rules(8, 30).member(DL, &[r(8, 1, P::InProgress)], &[&[r(8, 31, P::Done)]]);
        assert_eq!(m.status, S::InProgress);
    }

    #[test]
    fn tally_counts() {
        let mut t = Tally::default();
        t.add(S::Done);
        t.add(S::Overdue);
        t.add(S::Overdue);
        t.add(S::OngoingNotReported);
        assert_eq!((t.get(S::Overdue), t.get(S::Done), t.total), (2, 1, 4));
        assert_eq!(
            t.get(S::Ongoing),
            0,
            "reported and unreported ongoing apart"
        );
        let mut u = Tally::default();
        u.merge(&t);
        u.merge(&t);
        assert_eq!((u.get(S::Overdue), u.total), (4, 8));
    }
}
