//! The index of ledgers and each unit's or group's ledger (工作台账), paginated.

use super::common::{
    Count, Link, Meta, Pagination, RecordView, StatusView, TaskRow, counts, counts_line, crumb,
    crumbs, pagination,
};
use super::view::{Fields, Shared, view};
use super::{FrameParts, Renderer};
use crate::compute::{Computed, LedgerLine};
use crate::route::{Paged, url};
use crate::site::Party;
use std::collections::BTreeMap;
use tera::Context;

view! {
    /// The index of ledgers.
    pub struct UnitsPage {
        /// Units by kind.
        pub kinds: Vec<KindView>,
        /// Groups.
        pub groups: Vec<PartyCount>,
    }
}

view! {
    /// The units of one kind.
    pub struct KindView {
        /// Kind.
        pub label: &'static str,
        /// Units.
        pub units: Vec<PartyCount>,
    }
}

view! {
    /// A unit or group with its task counts.
    pub struct PartyCount {
        /// The unit or group.
        pub unit: Shared<Link>,
        /// Tasks in its ledger.
        pub tasks: usize,
        /// Of which overdue.
        pub overdue: usize,
        /// A group's known members.
        pub members: Option<usize>,
    }
}

view! {
    /// The head of a ledger: who, and counts by status (the same on each of its pages).
    pub struct UnitHead {
        /// Id.
        pub id: String,
        /// Name.
        pub name: String,
        /// Kind (单位组 for a group).
        pub kind: String,
        /// A group.
        pub is_group: bool,
        /// A group's known members.
        pub members: Vec<Shared<Link>>,
        /// A unit's groups.
        pub groups: Vec<Shared<Link>>,
        /// A group's note.
        pub note: Option<String>,
        /// Other spellings in the table.
        pub aliases: Vec<String>,
        /// Overdue tasks.
        pub overdue: usize,
        /// Tasks.
        pub total: usize,
        /// Count of each status.
        pub counts: Vec<Count>,
        /// The same per plan, newest year first.
        pub plans: Vec<PlanTally>,
    }
}

view! {
    /// A ledger's counts in one plan.
    pub struct PlanTally {
        /// The plan's year.
        pub year: i32,
        /// The plan's title.
        pub title: String,
        /// The plan's overview.
        pub href: String,
        /// Tasks.
        pub total: usize,
        /// Overdue tasks.
        pub overdue: usize,
        /// Count of each status.
        pub counts: Vec<Count>,
        /// The counts in words, only those above zero: 已完成 2 项，未报送 3 项.
        pub line: String,
    }
}

view! {
    /// A page of a ledger.
    pub struct LedgerPage {
        /// Whose.
        pub unit: Shared<UnitHead>,
        /// Its tasks on this page, one section per plan.
        pub sections: Vec<LedgerSection>,
        /// Pager.
        pub pagination: Pagination,
    }
}

view! {
    /// The rows of one plan on a page of a ledger.
    pub struct LedgerSection {
        /// The plan's year.
        pub year: i32,
        /// The plan's title.
        pub title: String,
        /// Plan folder.
        pub plan_id: String,
        /// The plan's overview.
        pub href: String,
        /// Anchor and heading id.
        pub anchor: String,
        /// Rows.
        pub rows: Vec<LedgerRow>,
    }
}

view! {
    /// One task in a ledger.
    pub struct LedgerRow {
        /// The task.
        pub task: Shared<TaskRow>,
        /// Role.
        pub role: &'static str,
        /// Through which group.
        pub via: Option<Shared<Link>>,
        /// This party's own status.
        pub status: StatusView,
        /// The latest record counted for it on the task: its own, or its group's for everyone.
        pub latest: Option<Shared<RecordView>>,
    }
}

/// Field names of this family's views.
pub(super) const FIELDS: &[&[&str]] = &[
    UnitsPage::FIELDS,
    KindView::FIELDS,
    PartyCount::FIELDS,
    UnitHead::FIELDS,
    PlanTally::FIELDS,
    LedgerPage::FIELDS,
    LedgerSection::FIELDS,
    LedgerRow::FIELDS,
];

impl Renderer<'_> {
    fn lines(&self, id: &str) -> &[LedgerLine] {
        self.cx.ledgers.get(id).map_or(&[][..], Vec::as_slice)
    }

    pub(super) fn units(&self, c: &mut Context) -> FrameParts {
        let mut kinds: BTreeMap<crate::model::UnitKind, Vec<PartyCount>> = BTreeMap::new();
        for u in &self.site.units {
            let lines = self.lines(&u.id.value);
            kinds.entry(u.kind).or_default().push(PartyCount {
                unit: self.unit_link(&u.id.value),
                tasks: lines.len(),
                overdue: Computed::overdue_count(lines),
                members: None,
            });
        }
        let groups = self
            .site
            .groups
            .iter()
            .map(|g| {
                let lines = self.lines(&g.id.value);
                PartyCount {
                    unit: self.unit_link(&g.id.value),
                    tasks: lines.len(),
                    overdue: Computed::overdue_count(lines),
                    members: Some(
                        self.cx
                            .dir
                            .members
                            .get(g.id.value.as_str())
                            .map_or(0, Vec::len),
                    ),
                }
            })
            .collect();
        UnitsPage {
            kinds: kinds
                .into_iter()
                .map(|(k, units)| KindView {
                    label: k.label(),
                    units,
                })
                .collect(),
            groups,
        }
        .insert_into(c);
        let meta = Meta::list(
            "工作台账：责任单位".into(),
            "工作台账",
            "责任单位",
            "各责任单位和单位组的工作台账".into(),
            "工作台账,责任单位",
        );
        (meta, crumbs(vec![crumb("工作台账", None)]))
    }

    pub(super) fn ledger(&self, id: &str, paged: Paged, c: &mut Context) -> FrameParts {
        let lines = self.lines(id);
        let mut sections: Vec<LedgerSection> = Vec::new();
        for l in &lines[paged.range(lines.len())] {
            let plan = &self.site.plans[l.plan];
            let row = LedgerRow {
                task: self.row(l.plan, l.task),
                role: l.role.label(),
                via: l.via.as_deref().map(|g| self.unit_link(g)),
                status: self.party_status(l.plan, id, &l.outcome),
                latest: l.outcome.latest.map(|r| self.record(l.plan, r)),
            };
            match sections.last_mut() {
                Some(s) if s.plan_id == plan.id => s.rows.push(row),
                _ => sections.push(LedgerSection {
                    year: plan.meta.year.value,
                    title: plan.meta.title.value.clone(),
                    plan_id: plan.id.clone(),
                    href: url::plan(&plan.id),
                    anchor: format!("p-{}", plan.id),
                    rows: vec![row],
                }),
            }
        }
        let name = self.cx.dir.name(id);
        let title = if paged.pages > 1 {
            format!("{name}工作台账（第{}页，共{}页）", paged.page, paged.pages)
        } else {
            format!("{name}工作台账")
        };
        let meta = Meta::list(
            title,
            "工作台账",
            "责任单位",
            format!("{name}牵头或参与的全部任务及完成情况"),
            format!("工作台账,{name}"),
        );
        LedgerPage {
            unit: self
                .unit_heads
                .get(id)
                .map_or_else(|| Shared::new(&self.unit_head(id)), Shared::new),
            sections,
            pagination: pagination(paged, |p| url::ledger(id, p)),
        }
        .insert_into(c);
        let crumbs = crumbs(vec![
            crumb("工作台账", Some(url::UNITS.into())),
            crumb(name, None),
        ]);
        (meta, crumbs)
    }

    /// The head of a unit's or group's ledger.
    pub(super) fn unit_head(&self, id: &str) -> UnitHead {
        let lines = self.lines(id);
        let mut tally = crate::status::Tally::default();
        let mut plans: Vec<PlanTally> = Vec::new();
        for (pi, plan) in self.site.plans.iter().enumerate() {
            let mine: Vec<&LedgerLine> = lines.iter().filter(|l| l.plan == pi).collect();
            if mine.is_empty() {
                continue;
            }
            let mut t = crate::status::Tally::default();
            for l in &mine {
                t.add(l.outcome.status);
            }
            tally.merge(&t);
            plans.push(PlanTally {
                year: plan.meta.year.value,
                title: plan.meta.title.value.clone(),
                href: url::plan(&plan.id),
                total: t.total,
                overdue: t.get(crate::status::Status::Overdue),
                counts: counts(&t, false),
                line: counts_line(&t),
            });
        }
        let links = |ids: Option<&Vec<&str>>| -> Vec<Shared<Link>> {
            ids.map(|v| v.iter().map(|m| self.unit_link(m)).collect())
                .unwrap_or_default()
        };
        let (kind, members, groups, note, aliases) = match self.cx.dir.by_id.get(id).copied() {
            Some(Party::Unit(u)) => (
                u.kind.label().to_string(),
                Vec::new(),
                links(self.cx.dir.groups_of.get(id)),
                None,
                u.aliases.iter().map(|a| a.value.clone()).collect(),
            ),
            Some(Party::Group(g)) => (
                "单位组".to_string(),
                links(self.cx.dir.members.get(id)),
                Vec::new(),
                g.note.clone(),
                g.aliases.iter().map(|a| a.value.clone()).collect(),
            ),
            None => (String::new(), Vec::new(), Vec::new(), None, Vec::new()),
        };
        UnitHead {
            id: id.into(),
            name: self.cx.dir.name(id).into(),
            kind,
            is_group: self.cx.dir.is_group(id),
            members,
            groups,
            note: note.map(String::from),
            aliases,
            overdue: Computed::overdue_count(lines),
            total: lines.len(),
            counts: counts(&tally, false),
            plans,
        }
    }
}
