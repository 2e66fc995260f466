//! Template variables every page has: the site's identity, the as-of date, asset paths, the
//! main navigation and the site-wide links.

use super::view::{Fields, view};
use super::{Renderer, cn_date};
use crate::route::url;
use std::collections::BTreeMap;

view! {
    /// Template variables every page has.
    pub struct Globals {
        /// The site.
        pub site: SiteView,
        /// As-of date, 2023年9月30日.
        pub as_of: String,
        /// As-of date, ISO.
        pub as_of_iso: String,
        /// Hashed asset paths by logical name.
        pub assets: BTreeMap<String, String>,
        /// The preview.
        pub preview: bool,
        /// Every plan.
        pub plans: Vec<PlanLink>,
        /// The main navigation.
        pub nav: Vec<NavLink>,
        /// Addresses of the site-wide pages and files.
        pub links: SiteLinks,
    }
}

view! {
    /// The site's configuration as pages show it.
    pub struct SiteView {
        /// Title.
        pub title: String,
        /// Absolute address, ending in `/`.
        pub base_url: String,
        /// Portal identity.
        pub portal: PortalView,
    }
}

view! {
    /// The government-website identity of the portal.
    pub struct PortalView {
        /// SiteName.
        pub site_name: String,
        /// SiteDomain.
        pub domain: String,
        /// 网站标识码.
        pub site_id_code: String,
        /// 主办单位.
        pub sponsor: String,
        /// ICP备案号.
        pub icp: String,
        /// 公安备案号.
        pub police_record: String,
        /// 联系我们.
        pub contact: String,
        /// The portal's home page (absolute), when configured.
        pub url: Option<String>,
        /// 承办单位.
        pub organiser: Option<String>,
        /// The emblem image (asset path), when configured.
        pub emblem: Option<String>,
        /// The 党政机关网站标识 image (asset path), when configured.
        pub conac_mark: Option<String>,
        /// Where the 党政机关 mark links to.
        pub conac_url: Option<String>,
        /// 我为政府网站找错.
        pub report_error_url: String,
        /// The ICP registration lookup (工业和信息化部备案管理系统).
        pub icp_href: &'static str,
        /// The 公安备案 lookup for this record number.
        pub police_href: String,
    }
}

view! {
    /// A link to a plan.
    pub struct PlanLink {
        /// Folder name.
        pub id: String,
        /// Title.
        pub title: String,
        /// Year.
        pub year: i32,
        /// Overview page.
        pub href: String,
    }
}

view! {
    /// An item of the main navigation.
    pub struct NavLink {
        /// Label.
        pub title: String,
        /// Address.
        pub href: String,
    }
}

view! {
    /// Site-wide addresses.
    pub struct SiteLinks {
        /// Home page.
        pub home: &'static str,
        /// Ledger index.
        pub units: &'static str,
        /// Atom feed.
        pub feed: &'static str,
        /// Sitemap.
        pub sitemap: &'static str,
        /// Open data, CSV.
        pub tasks_csv: &'static str,
        /// Open data, JSON.
        pub tasks_json: &'static str,
        /// Progress records, CSV.
        pub progress_csv: &'static str,
        /// Assignees with role and status, CSV.
        pub assignees_csv: &'static str,
        /// JSON Schema of the JSON open data.
        pub tasks_schema: &'static str,
        /// Review queue (preview).
        pub review: &'static str,
        /// The search page, when the site offers search.
        pub search: Option<&'static str>,
        /// The human-readable site map.
        pub site_map: &'static str,
        /// The 404 page.
        pub not_found: &'static str,
    }
}

/// Field names of this family's views.
pub(super) const FIELDS: &[&[&str]] = &[
    Globals::FIELDS,
    SiteView::FIELDS,
    PortalView::FIELDS,
    PlanLink::FIELDS,
    NavLink::FIELDS,
    SiteLinks::FIELDS,
];

impl Renderer<'_> {
    pub(super) fn globals(&self) -> Globals {
        let s = self.site;
        let p = &s.config.portal;
        let mut nav = vec![NavLink {
            title: "总览".into(),
            href: url::HOME.into(),
        }];
        if let Some(plan) = s.plans.first() {
            nav.push(NavLink {
                title: "时间表".into(),
                href: url::timeline(&plan.id),
            });
            if !plan.pilots.is_empty() {
                nav.push(NavLink {
                    title: "先行单位".into(),
                    href: url::pilots(&plan.id),
                });
            }
        }
        nav.push(NavLink {
            title: "工作台账".into(),
            href: url::UNITS.into(),
        });
        nav.extend(s.pages.iter().map(|pg| NavLink {
            title: pg.front.title.value.clone(),
            href: url::page(&pg.slug),
        }));
        Globals {
            site: SiteView {
                title: s.config.title.value.clone(),
                base_url: s.config.base_url.value.clone(),
                portal: PortalView {
                    site_name: p.site_name.value.clone(),
                    domain: p.domain.value.clone(),
                    site_id_code: p.site_id_code.value.clone(),
                    sponsor: p.sponsor.value.clone(),
                    icp: p.icp.value.clone(),
                    police_record: p.police_record.value.clone(),
                    contact: p.contact.value.clone(),
                    url: p.url.as_ref().map(|u| u.value.clone()),
                    organiser: p.organiser.as_ref().map(|o| o.value.clone()),
                    emblem: image(&self.asset_names, "portal-emblem"),
                    conac_mark: image(&self.asset_names, "portal-conac-mark"),
                    conac_url: p.conac_url.as_ref().map(|u| u.value.clone()),
                    report_error_url: p.report_error_url.as_ref().map_or_else(
                        || url::report_error(&p.site_id_code.value),
                        |u| u.value.clone(),
                    ),
                    icp_href: url::ICP_LOOKUP,
                    police_href: url::police_lookup(&p.police_record.value),
                },
            },
            as_of: cn_date(self.cx.rules.as_of),
            as_of_iso: self.cx.rules.as_of.format("%Y-%m-%d").to_string(),
            assets: self.asset_names.clone(),
            preview: self.opts.preview,
            plans: s
                .plans
                .iter()
                .map(|p| PlanLink {
                    id: p.id.clone(),
                    title: p.meta.title.value.clone(),
                    year: p.meta.year.value,
                    href: url::plan(&p.id),
                })
                .collect(),
            nav,
            links: SiteLinks {
                home: url::HOME,
                units: url::UNITS,
                feed: url::FEED,
                sitemap: url::SITEMAP,
                tasks_csv: url::TASKS_CSV,
                tasks_json: url::TASKS_JSON,
                progress_csv: url::PROGRESS_CSV,
                assignees_csv: url::ASSIGNEES_CSV,
                tasks_schema: url::TASKS_SCHEMA,
                review: url::REVIEW,
                search: s.search().then_some(url::SEARCH),
                site_map: url::SITE_MAP,
                not_found: url::NOT_FOUND,
            },
        }
    }
}

/// The asset path of the portal image whose asset name starts with `stem` (any extension).
fn image(assets: &BTreeMap<String, String>, stem: &str) -> Option<String> {
    assets
        .iter()
        .find(|(name, _)| name.rsplit_once('.').is_some_and(|(s, _)| s == stem))
        .map(|(_, path)| path.clone())
}
