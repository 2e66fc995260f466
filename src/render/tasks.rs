//! Category pages (paginated task lists with the category's tally) and task pages.

use super::common::{
    DeadlineView, Link, Meta, Pagination, PlanHead, RecordView, StatusView, TaskRow, crumb, crumbs,
    pagination,
};
use super::overview::CategorySummary;
use super::view::{Fields, Shared, view};
use super::{FrameParts, Renderer};
use crate::route::{Paged, url};
use tera::Context;

view! {
    /// A page of a category.
    pub struct CategoryPage {
        /// The plan.
        pub plan: Shared<PlanHead>,
        /// The category.
        pub category: CategoryHead,
        /// Its sub-categories with tasks on this page.
        pub subcategories: Vec<SubcategoryView>,
        /// The category's tally (all its pages).
        pub tally: Shared<CategorySummary>,
        /// Pager.
        pub pagination: Pagination,
        /// Records of the category's tasks after the as-of date, not counted.
        pub later_notice: Option<String>,
    }
}

view! {
    /// A category's heading.
    pub struct CategoryHead {
        /// 序号.
        pub number: u32,
        /// Title.
        pub title: String,
        /// Heading with the page number when paginated.
        pub heading: String,
    }
}

view! {
    /// A sub-category and its tasks on this page.
    pub struct SubcategoryView {
        /// Number within the category.
        pub number: u32,
        /// Title; none where the table has no 重点工作任务 level.
        pub title: Option<String>,
        /// Tasks.
        pub tasks: Vec<Shared<TaskRow>>,
        /// Anchor.
        pub anchor: String,
    }
}

view! {
    /// A task page.
    pub struct TaskPage {
        /// The plan.
        pub plan: Shared<PlanHead>,
        /// The task.
        pub task: TaskDetail,
    }
}

view! {
    /// Everything about one task.
    pub struct TaskDetail {
        /// Task number.
        pub id: String,
        /// Task text.
        pub text: String,
        /// The page heading: the task text, shortened to its first sentence or
        /// `HEADING_CHARS` characters (with …) when longer.
        pub heading: String,
        /// The heading is shorter than the text (the full text follows it).
        pub shortened: bool,
        /// Category, numbered.
        pub category: String,
        /// Sub-category title, where the table has that level and it differs from the category's.
        pub subcategory: Option<String>,
        /// The verbatim 责任单位 / 牵头单位 / 配合单位 cells.
        pub cells: Vec<Cell>,
        /// The table says 等.
        pub and_others: bool,
        /// Deadline.
        pub deadline: DeadlineView,
        /// Status.
        pub status: StatusView,
        /// Lead units are named: they decide the task's status.
        pub has_lead: bool,
        /// Each assignee's status.
        pub assignees: Vec<AssigneeView>,
        /// Progress records counted, newest first (by date, then the later in file order).
        pub records: Vec<Shared<RecordView>>,
        /// Records of this task dated after the as-of date, not counted.
        pub later_records: usize,
    }
}

view! {
    /// A verbatim cell, with known unit names linked.
    pub struct Cell {
        /// 责任单位, 牵头单位 or 配合单位.
        pub label: &'static str,
        /// Text pieces.
        pub segments: Vec<Segment>,
    }
}

view! {
    /// A piece of a verbatim cell: plain text, or a unit name linking to its ledger.
    pub struct Segment {
        /// Text.
        pub text: String,
        /// Ledger of the unit named.
        pub href: Option<String>,
    }
}

view! {
    /// One assignee of a task.
    pub struct AssigneeView {
        /// Unit or group.
        pub unit: Shared<Link>,
        /// 牵头, 责任 or 配合.
        pub role: &'static str,
        /// Its status.
        pub status: StatusView,
        /// A group.
        pub is_group: bool,
        /// A group's known members.
        pub members: Vec<MemberView>,
    }
}

view! {
    /// A member of a group assignee.
    pub struct MemberView {
        /// The member.
        pub unit: Shared<Link>,
        /// Its status.
        pub status: StatusView,
    }
}

/// Field names of this family's views.
pub(super) const FIELDS: &[&[&str]] = &[
    CategoryPage::FIELDS,
    CategoryHead::FIELDS,
    SubcategoryView::FIELDS,
    TaskPage::FIELDS,
    TaskDetail::FIELDS,
    Cell::FIELDS,
    Segment::FIELDS,
    AssigneeView::FIELDS,
    MemberView::FIELDS,
];

impl Renderer<'_> {
    pub(super) fn category(
        &self,
        pi: usize,
        ci: usize,
        paged: Paged,
        c: &mut Context,
    ) -> FrameParts {
        let plan = &self.site.plans[pi];
        let cat = &plan.categories[ci];
        let n: usize = cat.subcategories.iter().map(|s| s.tasks.len()).sum();
        let range = paged.range(n);
        let mut i = 0;
        let mut subs = Vec::new();
        for sub in &cat.subcategories {
            let mut rows = Vec::new();
            for t in &sub.tasks {
                if range.contains(&i) {
                    rows.push(self.row(pi, self.cx.task_index[pi][t.id()]));
                }
                i += 1;
            }
            if !rows.is_empty() {
                subs.push(SubcategoryView {
                    number: sub.number,
                    // A sub-category titled like its category is not a second level.
                    title: sub
                        .title
                        .as_ref()
                        .filter(|t| t.value != cat.title.value)
                        .map(|t| t.value.clone()),
                    tasks: rows,
                    anchor: format!("s{}", sub.number),
                });
            }
        }
        let title = format!("{}　{}", cat.number, cat.title);
        let heading = if paged.pages > 1 {
            format!("{title}（第{}页，共{}页）", paged.page, paged.pages)
        } else {
            title.clone()
        };
        let meta = Meta::list(
            format!("{heading} - {}", plan.meta.title),
            cat.title.clone(),
            "工作任务",
            format!(
                "{}：{}的全部任务、责任单位、完成时限和完成情况",
                plan.meta.title, cat.title
            ),
            format!("政务公开,{}", cat.title),
        );
        CategoryPage {
            plan: self.plan_heads[pi].clone(),
            category: CategoryHead {
                number: cat.number,
                title: cat.title.value.clone(),
                heading,
            },
            subcategories: subs,
            tally: self.category_tallies[pi][ci].clone(),
            pagination: pagination(paged, |p| url::category(&plan.id, cat.number, p)),
            later_notice: self.later_notice(
                self.cx.tasks[pi]
                    .iter()
                    .filter(|t| t.task.category == cat.number)
                    .map(|t| t.later_records)
                    .sum(),
            ),
        }
        .insert_into(c);
        let crumbs = crumbs(vec![
            crumb(plan.meta.title.clone(), Some(url::plan(&plan.id))),
            crumb(title, None),
        ]);
        (meta, crumbs)
    }

    /// The verbatim text `text` with every known unit name linked.
    fn segments(&self, text: &str) -> Vec<Segment> {
        let mut out = Vec::new();
        let mut pos = 0;
        for (s, e, id) in self.cx.dir.find_names(text) {
            if s > pos {
                out.push(Segment {
                    text: text[pos..s].into(),
                    href: None,
                });
            }
            out.push(Segment {
                text: text[s..e].into(),
                href: Some(url::ledger(id, 1)),
            });
            pos = e;
        }
        if pos < text.len() {
            out.push(Segment {
                text: text[pos..].into(),
                href: None,
            });
        }
        out
    }

    pub(super) fn task(&self, pi: usize, ti: usize, c: &mut Context) -> FrameParts {
        let plan = &self.site.plans[pi];
        let ts = &self.cx.tasks[pi][ti];
        let t = ts.task;
        let cat = plan.categories.iter().find(|x| x.number == t.category);
        let sub = cat.and_then(|x| x.subcategories.iter().find(|s| s.number == t.subcategory));
        let sub_title = sub.and_then(|s| s.title.as_ref()).map(|t| t.as_str());
        let cat_name = cat.map_or("", |x| x.title.as_str());
        let (heading, shortened) = heading(&t.entry.text.value);
        let cells = [
            ("责任单位", &t.entry.responsible_text),
            ("牵头单位", &t.entry.lead_text),
            ("配合单位", &t.entry.cooperating_text),
        ]
        .into_iter()
        .filter_map(|(label, text)| {
            text.as_ref().map(|x| Cell {
                label,
                segments: self.segments(&x.value),
            })
        })
        .collect();
        let assignees = ts
            .assignees
            .iter()
            .map(|a| AssigneeView {
                unit: self.unit_link(a.id),
                role: a.role.label(),
                status: self.party_status(pi, a.id, &a.outcome),
                is_group: self.cx.dir.is_group(a.id),
                members: a
                    .members
                    .iter()
                    .map(|(m, o)| MemberView {
                        unit: self.unit_link(m),
                        status: self.party_status(pi, m, o),
                    })
                    .collect(),
            })
            .collect();
        let cat_title = cat.map_or(String::new(), |x| format!("{}　{}", x.number, x.title));
        let title = format!("任务 {}", t.id());
        let meta = Meta {
            title: format!("{title} - {}", plan.meta.title),
            kind: "detail",
            column_name: Some(cat_name.into()),
            column_type: Some("工作任务"),
            article_title: Some(format!(
                "{}（任务 {}）",
                sub_title.unwrap_or(cat_name),
                t.id()
            )),
            pub_date: plan
                .meta
                .issue_date
                .value
                .known()
                .map(|d| format!("{} 00:00", d.format("%Y-%m-%d"))),
            content_source: Some(plan.meta.issuer.value.clone()),
            description: Some(t.entry.text.chars().take(120).collect()),
            keywords: Some(format!("政务公开,{}", sub_title.unwrap_or(cat_name))),
        };
        TaskPage {
            plan: self.plan_heads[pi].clone(),
            task: TaskDetail {
                id: t.id().into(),
                text: t.entry.text.value.clone(),
                heading,
                shortened,
                category: cat_title.clone(),
                subcategory: sub_title.filter(|s| *s != cat_name).map(String::from),
                cells,
                and_others: t.entry.and_others,
                deadline: self.deadline_view(ts),
                status: self.status_view(&ts.outcome),
                has_lead: ts
                    .assignees
                    .iter()
                    .any(|a| a.role == crate::compute::Role::Lead),
                assignees,
                records: ts.records.iter().map(|r| self.record(pi, *r)).collect(),
                later_records: ts.later_records,
            },
        }
        .insert_into(c);
        let crumbs = crumbs(vec![
            crumb(plan.meta.title.clone(), Some(url::plan(&plan.id))),
            crumb(cat_title, Some(url::category(&plan.id, t.category, 1))),
            crumb(title, None),
        ]);
        (meta, crumbs)
    }
}

/// Longest task heading, in characters, before it is shortened.
const HEADING_CHARS: usize = 60;

/// The heading of a task page: the whole text when it is short, else its first sentence (when
/// that is short enough) or its first [`HEADING_CHARS`] characters, followed by …; and whether
/// it was shortened.
fn heading(text: &str) -> (String, bool) {
    let text = text.trim();
    if text.chars().count() <= HEADING_CHARS {
        return (text.to_string(), false);
    }
    let first: String = text
        .chars()
        .take_while(|c| !matches!(c, '。' | '；' | '！' | '？'))
        .collect();
    let n = first.chars().count();
    let head = if (10..=HEADING_CHARS).contains(&n) {
        first
    } else {
        text.chars().take(HEADING_CHARS).collect()
    };
    (
        format!("{}…", head.trim_end_matches(['，', '、', '：'])),
        true,
    )
}

#[cfg(test)]
mod tests {
    use super::heading;

    #[test]
    fn short_text_is_the_heading() {
        assert_eq!(heading("推进政务公开。"), ("推进政务公开。".into(), false));
    }

    #[test]
    fn long_text_is_cut_at_its_first_sentence_or_sixty_characters() {
        let long = format!("完善政务公开制度规范。{}", "加强".repeat(40));
        assert_eq!(heading(&long), ("完善政务公开制度规范…".into(), true));
        let (h, cut) = heading(&"公开".repeat(40));
        assert!(cut);
        assert_eq!(h.chars().count(), 61);
        assert!(h.ends_with('…'));
    }
}
