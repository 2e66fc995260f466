//! The home page and each plan's overview: document metadata, status summary, overdue and
//! upcoming tasks, latest progress.

use super::common::{
    Count, Meta, PlanHead, RecordView, TaskRow, counts, counts_line, crumb, crumbs,
};
use super::view::{Fields, Shared, view};
use super::{FrameParts, Renderer};
use crate::compute::TaskStatus;
use crate::deadline::DeadlineKind;
use crate::route::{PAGE_SIZE, url};
use crate::status::Status;
use chrono::NaiveDate;
use tera::Context;

view! {
    /// A plan's status summary: counts in total and per category.
    pub struct Summary {
        /// Tasks.
        pub total: usize,
        /// Count and percentage of each status.
        pub counts: Vec<Count>,
        /// Per category.
        pub categories: Vec<Shared<CategorySummary>>,
    }
}

view! {
    /// One category's row of the summary (also the tally on its own pages).
    pub struct CategorySummary {
        /// 序号.
        pub number: u32,
        /// Title.
        pub title: String,
        /// First page.
        pub href: String,
        /// Tasks.
        pub total: usize,
        /// Count and percentage of each status.
        pub counts: Vec<Count>,
        /// The counts in words, only those above zero: 已完成 2 项，未报送 3 项.
        pub line: String,
    }
}

view! {
    /// An overview (home page and plan pages).
    pub struct Overview {
        /// The plan.
        pub plan: Shared<PlanHead>,
        /// Its summary.
        pub summary: Shared<Summary>,
        /// Overdue tasks (at most a page).
        pub overdue: Vec<Shared<TaskRow>>,
        /// All overdue tasks.
        pub overdue_total: usize,
        /// Tasks due in the next 30 days (at most a page).
        pub upcoming: Vec<Shared<TaskRow>>,
        /// All of them.
        pub upcoming_total: usize,
        /// Records of the plan after the as-of date, not counted.
        pub later_notice: Option<String>,
        /// The 10 latest records.
        pub latest: Vec<RecordView>,
    }
}

/// Field names of this family's views.
pub(super) const FIELDS: &[&[&str]] = &[Summary::FIELDS, CategorySummary::FIELDS, Overview::FIELDS];

impl Renderer<'_> {
    /// The summary row of every category of plan `pi`.
    pub(super) fn category_summaries(&self, pi: usize) -> Vec<Shared<CategorySummary>> {
        let plan = &self.site.plans[pi];
        plan.categories
            .iter()
            .map(|c| {
                let t = self.cx.tally(pi, Some(c.number));
                Shared::new(&CategorySummary {
                    number: c.number,
                    title: c.title.value.clone(),
                    href: url::category(&plan.id, c.number, 1),
                    total: t.total,
                    counts: counts(&t, true),
                    line: counts_line(&t),
                })
            })
            .collect()
    }

    /// The summary of plan `pi`, with its categories' rows.
    pub(super) fn summary(&self, pi: usize, categories: Vec<Shared<CategorySummary>>) -> Summary {
        let total = self.cx.tally(pi, None);
        Summary {
            total: total.total,
            counts: counts(&total, true),
            categories,
        }
    }

    fn overview(&self, pi: usize) -> Overview {
        let plan = &self.site.plans[pi];
        let as_of = self.cx.rules.as_of;
        let tasks = &self.cx.tasks[pi];
        // Long lists are capped on the overview; the timeline and open data have them all.
        let overdue_all: Vec<usize> = tasks
            .iter()
            .enumerate()
            .filter(|(_, t)| t.outcome.status == Status::Overdue)
            .map(|(ti, _)| ti)
            .collect();
        let mut upcoming: Vec<(NaiveDate, usize)> = tasks
            .iter()
            .enumerate()
            .filter_map(|(ti, t)| match t.task.deadline {
                DeadlineKind::Date(d) if due_soon(t, d, as_of) => Some((d, ti)),
                _ => None,
            })
            .collect();
        upcoming.sort_by_key(|a| a.0);
        let mut latest: Vec<(NaiveDate, usize)> = tasks
            .iter()
            .flat_map(|t| {
                t.records
                    .iter()
                    .map(move |r| (plan.records[*r].entry.date.value.0, *r))
            })
            .collect();
        latest.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
        Overview {
            later_notice: self.later_notice(self.cx.later_records[pi]),
            plan: self.plan_heads[pi].clone(),
            summary: self.summaries[pi].clone(),
            overdue: overdue_all
                .iter()
                .take(PAGE_SIZE)
                .map(|ti| self.row(pi, *ti))
                .collect(),
            overdue_total: overdue_all.len(),
            upcoming_total: upcoming.len(),
            upcoming: upcoming
                .iter()
                .take(PAGE_SIZE)
                .map(|(_, ti)| self.row(pi, *ti))
                .collect(),
            latest: latest
                .iter()
                .take(10)
                .map(|(_, r)| self.record_view(pi, *r, true))
                .collect(),
        }
    }

    pub(super) fn home(&self, c: &mut Context) -> FrameParts {
        let title = &self.site.config.title;
        let meta = Meta::list(
            title.value.clone(),
            "首页",
            "首页",
            format!("{title}：任务分工与落实情况"),
            "政务公开,工作要点,分工,落实情况",
        );
        if !self.site.plans.is_empty() {
            self.overview(0).insert_into(c);
        }
        (meta, Vec::new())
    }

    pub(super) fn plan_overview(&self, pi: usize, c: &mut Context) -> FrameParts {
        let title = &self.site.plans[pi].meta.title;
        let meta = Meta::list(
            title.value.clone(),
            title.clone(),
            "工作要点",
            format!("{title}的任务分工与落实情况"),
            "政务公开,工作要点",
        );
        self.overview(pi).insert_into(c);
        (meta, crumbs(vec![crumb(title.clone(), None)]))
    }
}

/// Due within 30 days of `as_of` and not done.
fn due_soon(t: &TaskStatus<'_>, d: NaiveDate, as_of: NaiveDate) -> bool {
    d >= as_of
        && (d - as_of).num_days() <= 30
        && !matches!(t.outcome.status, Status::Done | Status::DoneLate)
}
