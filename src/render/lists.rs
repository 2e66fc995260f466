//! A plan's pilot units (先行单位) and its timeline (tasks by deadline), whose long sections
//! continue on paginated pages of their own.

use super::common::{Link, Meta, Pagination, PlanHead, TaskRow, crumb, crumbs, pagination};
use super::view::{Fields, Shared, view};
use super::{FrameParts, Renderer};
use crate::route::{Paged, url};
use crate::status::Status;
use tera::Context;

view! {
    /// The pilot units page.
    pub struct PilotsPage {
        /// The plan.
        pub plan: Shared<PlanHead>,
        /// Batches.
        pub batches: Vec<BatchView>,
    }
}

view! {
    /// One batch of pilot units.
    pub struct BatchView {
        /// Id (anchor).
        pub id: String,
        /// Name.
        pub name: String,
        /// Where the list comes from.
        pub source: String,
        /// Townships.
        pub townships: Vec<Shared<Link>>,
        /// Departments.
        pub departments: Vec<Shared<Link>>,
        /// Pilot tasks.
        pub tasks: Vec<Shared<TaskRow>>,
    }
}

view! {
    /// The timeline page.
    pub struct TimelinePage {
        /// The plan.
        pub plan: Shared<PlanHead>,
        /// Sections.
        pub sections: Vec<SectionView>,
        /// Records of the plan after the as-of date, not counted.
        pub later_notice: Option<String>,
    }
}

view! {
    /// A timeline section on the timeline page.
    pub struct SectionView {
        /// Title.
        pub title: String,
        /// Anchor.
        pub anchor: String,
        /// Tasks in it.
        pub total: usize,
        /// Its tasks, when shown on the timeline page.
        pub tasks: Vec<Shared<TaskRow>>,
        /// Non-zero status counts.
        pub counts: Vec<LabelCount>,
        /// First page of its own list, when too long for the timeline page.
        pub more: Option<String>,
    }
}

view! {
    /// A status and how many.
    pub struct LabelCount {
        /// Label.
        pub label: &'static str,
        /// How many.
        pub count: usize,
    }
}

view! {
    /// A page of a long timeline section.
    pub struct TimelineListPage {
        /// The plan.
        pub plan: Shared<PlanHead>,
        /// The section.
        pub section: SectionPageView,
        /// Pager.
        pub pagination: Pagination,
    }
}

view! {
    /// The part of a timeline section on one page.
    pub struct SectionPageView {
        /// Title.
        pub title: String,
        /// Heading with the page number.
        pub heading: String,
        /// Tasks on this page.
        pub tasks: Vec<Shared<TaskRow>>,
    }
}

/// Field names of this family's views.
pub(super) const FIELDS: &[&[&str]] = &[
    PilotsPage::FIELDS,
    BatchView::FIELDS,
    TimelinePage::FIELDS,
    SectionView::FIELDS,
    LabelCount::FIELDS,
    TimelineListPage::FIELDS,
    SectionPageView::FIELDS,
];

impl Renderer<'_> {
    fn plan_crumbs(&self, pi: usize, rest: Vec<super::common::Crumb>) -> Vec<super::common::Crumb> {
        let plan = &self.site.plans[pi];
        let mut items = vec![crumb(plan.meta.title.clone(), Some(url::plan(&plan.id)))];
        items.extend(rest);
        crumbs(items)
    }

    pub(super) fn pilots(&self, pi: usize, c: &mut Context) -> FrameParts {
        let plan = &self.site.plans[pi];
        let batches = plan
            .pilots
            .iter()
            .map(|b| BatchView {
                id: b.id.value.clone(),
                name: b.name.value.clone(),
                source: b.source.value.clone(),
                townships: b
                    .townships
                    .iter()
                    .map(|u| self.unit_link(&u.value))
                    .collect(),
                departments: b
                    .departments
                    .iter()
                    .map(|u| self.unit_link(&u.value))
                    .collect(),
                tasks: b
                    .tasks
                    .iter()
                    .filter_map(|t| self.cx.task_index[pi].get(t.value.as_str()))
                    .map(|ti| self.row(pi, *ti))
                    .collect(),
            })
            .collect();
        PilotsPage {
            plan: self.plan_heads[pi].clone(),
            batches,
        }
        .insert_into(c);
        let meta = Meta::list(
            format!("先行单位 - {}", plan.meta.title),
            "先行单位",
            "先行单位",
            "深化政务公开促进基层政府治理能力提升先行单位名单".into(),
            "先行单位,基层政务公开",
        );
        (meta, self.plan_crumbs(pi, vec![crumb("先行单位", None)]))
    }

    pub(super) fn timeline(&self, pi: usize, c: &mut Context) -> FrameParts {
        let plan = &self.site.plans[pi];
        let sections = self.cx.timelines[pi]
            .iter()
            .map(|sec| {
                let mut tally = crate::status::Tally::default();
                for ti in &sec.tasks {
                    tally.add(self.cx.tasks[pi][*ti].outcome.status);
                }
                SectionView {
                    title: sec.title.clone(),
                    anchor: sec.key.clone(),
                    total: sec.tasks.len(),
                    tasks: if sec.inline {
                        sec.tasks.iter().map(|ti| self.row(pi, *ti)).collect()
                    } else {
                        Vec::new()
                    },
                    counts: Status::ALL
                        .iter()
                        .filter(|s| tally.get(**s) > 0)
                        .map(|s| LabelCount {
                            label: s.label(),
                            count: tally.get(*s),
                        })
                        .collect(),
                    more: (!sec.inline).then(|| url::timeline_section(&plan.id, &sec.key, 1)),
                }
            })
            .collect();
        TimelinePage {
            plan: self.plan_heads[pi].clone(),
            sections,
            later_notice: self.later_notice(self.cx.later_records[pi]),
        }
        .insert_into(c);
        let meta = Meta::list(
            format!("时间表 - {}", plan.meta.title),
            "时间表",
            "时间表",
            "按完成时限排列的全部任务".into(),
            "时间表,完成时限",
        );
        (meta, self.plan_crumbs(pi, vec![crumb("时间表", None)]))
    }

    pub(super) fn timeline_list(
        &self,
        pi: usize,
        si: usize,
        paged: Paged,
        c: &mut Context,
    ) -> FrameParts {
        let plan = &self.site.plans[pi];
        let sec = &self.cx.timelines[pi][si];
        let heading = format!(
            "{}（共 {} 项，第{}页，共{}页）",
            sec.title,
            sec.tasks.len(),
            paged.page,
            paged.pages
        );
        let meta = Meta::list(
            format!("时间表：{heading} - {}", plan.meta.title),
            "时间表",
            "时间表",
            format!("完成时限为{}的任务", sec.title),
            "时间表,完成时限",
        );
        TimelineListPage {
            plan: self.plan_heads[pi].clone(),
            section: SectionPageView {
                title: sec.title.clone(),
                heading,
                tasks: sec.tasks[paged.range(sec.tasks.len())]
                    .iter()
                    .map(|ti| self.row(pi, *ti))
                    .collect(),
            },
            pagination: pagination(paged, |p| url::timeline_section(&plan.id, &sec.key, p)),
        }
        .insert_into(c);
        let crumbs = self.plan_crumbs(
            pi,
            vec![
                crumb("时间表", Some(url::timeline(&plan.id))),
                crumb(sec.title.clone(), None),
            ],
        );
        (meta, crumbs)
    }
}
