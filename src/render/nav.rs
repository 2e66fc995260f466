//! The pages that help people find things: the site map (网站地图) and the search page.

use super::common::{Link, Meta, PlanHead, crumb, crumbs};
use super::view::{Fields, Shared, view};
use super::{FrameParts, Renderer};
use crate::route::url;
use tera::Context;

view! {
    /// 网站地图: every section of the site, for people.
    pub struct SiteMapPage {
        /// Every plan with its categories, timeline and pilots.
        pub map_plans: Vec<Shared<PlanHead>>,
        /// Unit groups, in `units.yaml` order.
        pub map_groups: Vec<Shared<Link>>,
        /// Units by kind.
        pub map_kinds: Vec<MapKind>,
        /// Markdown pages.
        pub map_pages: Vec<MapPage>,
        /// Each plan's own open-data files, when there is more than one plan.
        pub map_data: Vec<PlanData>,
    }
}

view! {
    /// One plan's open-data files on the site map.
    pub struct PlanData {
        /// The plan's title.
        pub title: String,
        /// Tasks as CSV.
        pub tasks_csv: String,
        /// Each assignee's status as CSV.
        pub assignees_csv: String,
        /// Every published record as CSV.
        pub progress_csv: String,
        /// Tasks as JSON.
        pub tasks_json: String,
    }
}

view! {
    /// Units of one kind on the site map.
    pub struct MapKind {
        /// 政府工作部门, 乡镇 …
        pub label: &'static str,
        /// Their ledgers.
        pub units: Vec<Shared<Link>>,
    }
}

view! {
    /// A Markdown page on the site map.
    pub struct MapPage {
        /// Title.
        pub title: String,
        /// Address.
        pub href: String,
    }
}

view! {
    /// The search page.
    pub struct SearchPage {
        /// Where the search index is, from the output root.
        pub index_dir: &'static str,
        /// Whether this build writes a search index (not the preview; the page exists only
        /// when the site offers search).
        pub search_enabled: bool,
    }
}

/// Field names of this family's views.
pub(super) const FIELDS: &[&[&str]] = &[
    SiteMapPage::FIELDS,
    MapKind::FIELDS,
    MapPage::FIELDS,
    PlanData::FIELDS,
    SearchPage::FIELDS,
];

impl Renderer<'_> {
    pub(super) fn site_map(&self, c: &mut Context) -> FrameParts {
        let mut kinds: std::collections::BTreeMap<crate::model::UnitKind, Vec<Shared<Link>>> =
            std::collections::BTreeMap::new();
        for u in &self.site.units {
            kinds
                .entry(u.kind)
                .or_default()
                .push(self.unit_link(&u.id.value));
        }
        SiteMapPage {
            map_plans: self.plan_heads.clone(),
            map_groups: self
                .site
                .groups
                .iter()
                .map(|g| self.unit_link(&g.id.value))
                .collect(),
            map_kinds: kinds
                .into_iter()
                .map(|(k, units)| MapKind {
                    label: k.label(),
                    units,
                })
                .collect(),
            map_pages: self
                .site
                .pages
                .iter()
                .map(|p| MapPage {
                    title: p.front.title.value.clone(),
                    href: url::page(&p.slug),
                })
                .collect(),
            map_data: if self.site.plans.len() > 1 {
                self.site
                    .plans
                    .iter()
                    .map(|p| PlanData {
                        title: p.meta.title.value.clone(),
                        tasks_csv: url::plan_data(&p.id, url::TASKS_CSV),
                        assignees_csv: url::plan_data(&p.id, url::ASSIGNEES_CSV),
                        progress_csv: url::plan_data(&p.id, url::PROGRESS_CSV),
                        tasks_json: url::plan_data(&p.id, url::TASKS_JSON),
                    })
                    .collect()
            } else {
                Vec::new()
            },
        }
        .insert_into(c);
        let meta = Meta::list(
            "网站地图".into(),
            "网站地图",
            "网站地图",
            format!("{}的全部栏目", self.site.config.title.value),
            "网站地图,栏目",
        );
        (meta, crumbs(vec![crumb("网站地图", None)]))
    }

    pub(super) fn search_page(&self, c: &mut Context) -> FrameParts {
        SearchPage {
            index_dir: url::SEARCH_INDEX,
            search_enabled: !self.opts.preview,
        }
        .insert_into(c);
        let meta = Meta::list(
            "站内搜索".into(),
            "站内搜索",
            "搜索",
            format!("搜索{}的任务、单位和进展", self.site.config.title.value),
            "搜索",
        );
        (meta, crumbs(vec![crumb("站内搜索", None)]))
    }
}
