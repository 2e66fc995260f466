//! Completion status, computed for an as-of date from the progress records dated on or before
//! it. Pure: no IO. The rules are written as a truth table in `docs/status.md`; the tests at the
//! bottom cover it row by row.

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
    /// 未开始.
    NotStarted,
    /// 已逾期: a date deadline passed and not done.
    Overdue,
    /// 持续推进: 及时公开 / 长期坚持, which never end.
    Ongoing,
}

impl Status {
    /// Every status, in display order.
    pub const ALL: [Status; 6] = [
        Status::Done,
        Status::DoneLate,
        Status::InProgress,
        Status::NotStarted,
        Status::Overdue,
        Status::Ongoing,
    ];

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Status::Done => "已完成",
            Status::DoneLate => "逾期完成",
            Status::InProgress => "推进中",
            Status::NotStarted => "未开始",
            Status::Overdue => "已逾期",
            Status::Ongoing => "持续推进",
        }
    }

    /// Stable ASCII key (CSS class, JSON).
    pub fn key(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::DoneLate => "done-late",
            Status::InProgress => "in-progress",
            Status::NotStarted => "not-started",
            Status::Overdue => "overdue",
            Status::Ongoing => "ongoing",
        }
    }
}

/// One progress report as the status rules see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// Date of the report.
    pub date: NaiveDate,
    /// What it says.
    pub status: ProgressStatus,
}

/// Result for one assignee or task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// The status.
    pub status: Status,
    /// Date of the latest report considered, if any.
    pub last_update: Option<NaiveDate>,
    /// For continuous duties: no report within the stale window.
    pub stale: bool,
}

/// Parameters shared by every computation of one build.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// The as-of date: reports after it are ignored.
    pub as_of: NaiveDate,
    /// Continuous duties without a report in this many days are flagged stale.
    pub stale_after_days: u32,
}

impl Rules {
    /// Status of one unit (or a group reporting as itself) from its own reports.
    ///
    /// Reports dated after `as_of` are ignored; the latest remaining report decides (on equal
    /// dates, the later one in the input wins).
    pub fn unit(&self, deadline: DeadlineKind, reports: &[Report]) -> Outcome {
        let latest = reports
            .iter()
            .enumerate()
            .filter(|(_, r)| r.date <= self.as_of)
            .max_by_key(|(i, r)| (r.date, *i))
            .map(|(_, r)| *r);
        let last_update = latest.map(|r| r.date);
        if deadline.is_continuous() {
            return Outcome {
                status: Status::Ongoing,
                last_update,
                stale: self.is_stale(last_update),
            };
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
            _ => Status::NotStarted,
        };
        Outcome {
            status,
            last_update,
            stale: false,
        }
    }

    fn is_stale(&self, last: Option<NaiveDate>) -> bool {
        match last {
            None => true,
            Some(d) => (self.as_of - d).num_days() > i64::from(self.stale_after_days),
        }
    }

    /// Combine several assignees' outcomes into one (a task from its assignees, or a group from
    /// its members):
    ///
    /// 1. continuous deadline → 持续推进 (stale when every part is stale);
    /// 2. any part overdue → 已逾期;
    /// 3. every part done → 逾期完成 if any part was late, else 已完成;
    /// 4. any part in progress or done → 推进中;
    /// 5. otherwise 未开始 (also when there are no parts and the deadline has not passed).
    pub fn combine(&self, deadline: DeadlineKind, parts: &[Outcome]) -> Outcome {
        let last_update = parts.iter().filter_map(|p| p.last_update).max();
        if deadline.is_continuous() {
            return Outcome {
                status: Status::Ongoing,
                last_update,
                stale: self.is_stale(last_update),
            };
        }
        let any = |s: Status| parts.iter().any(|p| p.status == s);
        let all_done = !parts.is_empty()
            && parts
                .iter()
                .all(|p| matches!(p.status, Status::Done | Status::DoneLate));
        let status = if any(Status::Overdue) {
            Status::Overdue
        } else if all_done {
            if any(Status::DoneLate) {
                Status::DoneLate
            } else {
                Status::Done
            }
        } else if any(Status::InProgress) || any(Status::Done) || any(Status::DoneLate) {
            Status::InProgress
        } else if matches!(deadline, DeadlineKind::Date(d) if self.as_of > d) {
            Status::Overdue
        } else {
            Status::NotStarted
        };
        Outcome {
            status,
            last_update,
            stale: false,
        }
    }

    /// A group assignee: its own reports (filed under the group's id) decide when there are
    /// any; otherwise its known members' outcomes are combined; a group with neither counts as
    /// one assignee with no reports.
    pub fn group(&self, deadline: DeadlineKind, own: &[Report], members: &[Outcome]) -> Outcome {
        if !own.is_empty() && own.iter().any(|r| r.date <= self.as_of) || members.is_empty() {
            self.unit(deadline, own)
        } else {
            self.combine(deadline, members)
        }
    }
}

/// Counts of tasks by status.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Tally {
    /// Count per status, in [`Status::ALL`] order.
    pub counts: [usize; 6],
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
        Report {
            date: day(m, d),
            status: s,
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
            (&[], (8, 30), S::NotStarted),
            (&[], (8, 31), S::NotStarted),
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
            // a report after as-of is ignored
            (
                &[r(8, 1, P::InProgress), r(9, 1, P::Done)],
                (8, 30),
                S::InProgress,
            ),
            // the latest report decides
            (
                &[r(8, 1, P::Done), r(8, 10, P::InProgress)],
                (8, 30),
                S::InProgress,
            ),
        ];
        for (i, (reports, (m, d), want)) in rows.iter().enumerate() {
            assert_eq!(rules(*m, *d).unit(DL, reports).status, *want, "row {i}");
        }
    }

    /// docs/status.md, table 2: continuous and unreadable deadlines.
    #[test]
    #[allow(clippy::type_complexity)]
    fn unit_other_deadline_rows() {
        let rows: &[(K, &[Report], (u32, u32), S, bool)] = &[
            (K::Timely, &[], (9, 30), S::Ongoing, true),
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
            (K::Ongoing, &[], (1, 1), S::Ongoing, true),
            (K::Text, &[], (12, 31), S::NotStarted, false),
            (
                K::Text,
                &[r(3, 1, P::InProgress)],
                (12, 31),
                S::InProgress,
                false,
            ),
            (K::Text, &[r(3, 1, P::Done)], (12, 31), S::Done, false),
            (K::None, &[], (12, 31), S::NotStarted, false),
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
        }
    }

    /// docs/status.md, table 3: a task from its assignees.
    #[test]
    fn combine_rows() {
        let rows: &[(&[S], (u32, u32), S)] = &[
            (&[S::Done, S::Done], (9, 1), S::Done),
            (&[S::Done, S::DoneLate], (9, 30), S::DoneLate),
            (&[S::Done, S::InProgress], (8, 30), S::InProgress),
            (&[S::Done, S::NotStarted], (8, 30), S::InProgress),
            (&[S::NotStarted, S::NotStarted], (8, 30), S::NotStarted),
            (&[S::Done, S::Overdue], (9, 1), S::Overdue),
            (&[S::InProgress, S::Overdue], (9, 1), S::Overdue),
            (&[], (8, 30), S::NotStarted),
            (&[], (9, 1), S::Overdue),
        ];
        for (i, (parts, (m, d), want)) in rows.iter().enumerate() {
            let parts: Vec<Outcome> = parts.iter().map(|s| o(*s)).collect();
            assert_eq!(rules(*m, *d).combine(DL, &parts).status, *want, "row {i}");
        }
        let p = [o(S::Ongoing), o(S::Ongoing)];
        assert_eq!(rules(9, 30).combine(K::Timely, &p).status, S::Ongoing);
    }

    /// docs/status.md, table 4: a group assignee (各乡镇人民政府) — direct vs through members.
    #[test]
    fn group_rows() {
        let rl = rules(8, 30);
        // Members decide when the group filed nothing itself.
        assert_eq!(rl.group(DL, &[], &[o(S::Done), o(S::Done)]).status, S::Done);
        assert_eq!(
            rl.group(DL, &[], &[o(S::Done), o(S::NotStarted)]).status,
            S::InProgress
        );
        // A report filed under the group's own id decides.
        assert_eq!(
            rl.group(DL, &[r(8, 1, P::Done)], &[o(S::NotStarted)])
                .status,
            S::Done
        );
        // A group with no known members and no reports counts as one unit with no reports.
        assert_eq!(rl.group(DL, &[], &[]).status, S::NotStarted);
        assert_eq!(rules(9, 1).group(DL, &[], &[]).status, S::Overdue);
        // Own reports after as-of are ignored, so members decide.
        assert_eq!(
            rl.group(DL, &[r(9, 10, P::Done)], &[o(S::InProgress)])
                .status,
            S::InProgress
        );
    }

    #[test]
    fn tally_counts() {
        let mut t = Tally::default();
        t.add(S::Done);
        t.add(S::Overdue);
        t.add(S::Overdue);
        assert_eq!((t.get(S::Overdue), t.get(S::Done), t.total), (2, 1, 3));
    }
}
