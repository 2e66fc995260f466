//! The route table: every file a build writes — page, paginated page, data file, asset — with
//! what it shows and what it depends on. This module is the only place a URL is spelled
//! ([`url`]); full builds, the preview's incremental rebuild, the sitemap and the link check
//! all take their paths from [`Routes`], and templates get every link from their view data.

use crate::compute::Computed;
use crate::diag::Diagnostic;
use crate::site::Site;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Rows per page of a paginated list (category pages, ledgers, timeline sections).
pub const PAGE_SIZE: usize = 100;

/// How every output path is spelled. Paginated lists keep page 1 at the plain name
/// (`units/sifa.html`) and put later pages in a folder of numbers (`units/sifa/2.html`), a path
/// no id can take (ids have no `/`), so a unit `sifa-2` never meets page 2 of `sifa`.
pub mod url {
    /// The home page.
    pub const HOME: &str = "index.html";
    /// The 404 page.
    pub const NOT_FOUND: &str = "404.html";
    /// The index of ledgers.
    pub const UNITS: &str = "units/index.html";
    /// The preview's review queue.
    pub const REVIEW: &str = "review.html";
    /// The sitemap, for search engines.
    pub const SITEMAP: &str = "sitemap.xml";
    /// The site map, for people (网站地图).
    pub const SITE_MAP: &str = "sitemap.html";
    /// The search page.
    pub const SEARCH: &str = "search.html";
    /// The folder of the search index (Pagefind's files), written after every page passed
    /// the privacy scan.
    pub const SEARCH_INDEX: &str = "pagefind/";
    /// The ICP registration lookup of the Ministry of Industry and Information Technology.
    pub const ICP_LOOKUP: &str = "https://beian.miit.gov.cn/";

    /// The public-security registration lookup of record `record` (its digits; the system's
    /// home page when it has none).
    pub fn police_lookup(record: &str) -> String {
        let digits: String = record.chars().filter(char::is_ascii_digit).collect();
        if digits.is_empty() {
            "https://beian.mps.gov.cn/".to_string()
        } else {
            format!("https://beian.mps.gov.cn/#/query/webSearch?code={digits}")
        }
    }

    /// 我为政府网站找错 of the national error-reporting platform for site identification code
    /// `code` (its home page when the code is not the ten letters and digits one looks like).
    pub fn report_error(code: &str) -> String {
        if code.len() == 10 && code.chars().all(|c| c.is_ascii_alphanumeric()) {
            format!(
                "https://zfwzzc.www.gov.cn/check_web/errorInfo_querySiteInfo.action?sitecode={code}"
            )
        } else {
            "https://zfwzzc.www.gov.cn/".to_string()
        }
    }
    /// robots.txt.
    pub const ROBOTS: &str = "robots.txt";
    /// The Atom feed of progress.
    pub const FEED: &str = "feed.xml";
    /// Open data: tasks as JSON.
    pub const TASKS_JSON: &str = "data/tasks.json";
    /// Open data: tasks as CSV.
    pub const TASKS_CSV: &str = "data/tasks.csv";
    /// Open data: progress records as CSV.
    pub const PROGRESS_CSV: &str = "data/progress.csv";
    /// Open data: each assignee of each task, with its role and status, as CSV.
    pub const ASSIGNEES_CSV: &str = "data/assignees.csv";
    /// Open data: the JSON Schema of `data/tasks.json`.
    pub const TASKS_SCHEMA: &str = "data/tasks.schema.json";

    /// Page `page` (1-based) of a list whose first page is `base.html`.
    pub fn numbered(base: &str, page: usize) -> String {
        if page <= 1 {
            format!("{base}.html")
        } else {
            format!("{base}/{page}.html")
        }
    }

    /// A plan's overview.
    pub fn plan(plan: &str) -> String {
        format!("{plan}/index.html")
    }

    /// Page `page` of a category.
    pub fn category(plan: &str, number: u32, page: usize) -> String {
        numbered(&format!("{plan}/categories/{number}"), page)
    }

    /// A task page.
    pub fn task(plan: &str, task: &str) -> String {
        format!("{plan}/tasks/{task}.html")
    }

    /// A record's place on its task page.
    pub fn record(plan: &str, task: &str, record: &str) -> String {
        format!("{}#r-{record}", self::task(plan, task))
    }

    /// Page `page` of a unit's or group's ledger.
    pub fn ledger(id: &str, page: usize) -> String {
        numbered(&format!("units/{id}"), page)
    }

    /// A plan's pilot units.
    pub fn pilots(plan: &str) -> String {
        format!("{plan}/pilots.html")
    }

    /// A plan's timeline.
    pub fn timeline(plan: &str) -> String {
        format!("{plan}/timeline.html")
    }

    /// Page `page` of a timeline section listed on pages of its own.
    pub fn timeline_section(plan: &str, key: &str, page: usize) -> String {
        numbered(&format!("{plan}/timeline/{key}"), page)
    }

    /// A Markdown page.
    pub fn page(slug: &str) -> String {
        format!("pages/{slug}.html")
    }

    /// A theme asset (its hashed name).
    pub fn asset(hashed: &str) -> String {
        format!("assets/{hashed}")
    }
}

/// Which page of how many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paged {
    /// 1-based page.
    pub page: usize,
    /// Number of pages (at least 1).
    pub pages: usize,
}

impl Paged {
    /// The rows of this page out of `len` rows.
    pub fn range(self, len: usize) -> std::ops::Range<usize> {
        let start = ((self.page - 1) * PAGE_SIZE).min(len);
        start..(start + PAGE_SIZE).min(len)
    }

    /// Every page of a list of `len` rows (one page when empty).
    fn all(len: usize) -> impl Iterator<Item = Paged> {
        let pages = len.div_ceil(PAGE_SIZE).max(1);
        (1..=pages).map(move |page| Paged { page, pages })
    }
}

/// A data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFile {
    /// sitemap.xml.
    Sitemap,
    /// robots.txt.
    Robots,
    /// feed.xml.
    Feed,
    /// data/tasks.json.
    TasksJson,
    /// data/tasks.csv.
    TasksCsv,
    /// data/progress.csv.
    ProgressCsv,
    /// data/assignees.csv.
    AssigneesCsv,
    /// data/tasks.schema.json.
    TasksSchema,
}

/// What a route produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The home page (the first plan's overview).
    Home,
    /// The 404 page.
    NotFound,
    /// The index of ledgers.
    Units,
    /// A plan's overview.
    Plan(usize),
    /// A page of a category.
    Category {
        /// Plan index.
        plan: usize,
        /// Category index in the plan.
        cat: usize,
        /// Which page.
        paged: Paged,
    },
    /// A task page.
    Task {
        /// Plan index.
        plan: usize,
        /// Task index in the plan.
        task: usize,
    },
    /// A page of a unit's or group's ledger.
    Ledger {
        /// Unit or group id.
        id: String,
        /// Which page.
        paged: Paged,
    },
    /// A plan's pilot units.
    Pilots(usize),
    /// A plan's timeline.
    Timeline(usize),
    /// A page of a timeline section too long for the timeline page.
    TimelineList {
        /// Plan index.
        plan: usize,
        /// Section index.
        section: usize,
        /// Which page.
        paged: Paged,
    },
    /// A Markdown page.
    Page(usize),
    /// The preview's review queue.
    ReviewQueue,
    /// The site map for people.
    SiteMap,
    /// The search page.
    Search,
    /// A data file.
    Data(DataFile),
    /// A theme asset: logical name (`style.css`).
    Asset(String),
}

/// What a route's bytes depend on, besides the site's configuration, units, plan documents and
/// theme (a change to any of those rebuilds everything): which tasks' status and records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deps {
    /// Nothing that progress records change.
    Fixed,
    /// Every record of the site.
    Site,
    /// Every task of a plan.
    Plan(usize),
    /// Every task of a category (its tally is on each of its pages).
    Category(usize, usize),
    /// One task.
    Task(usize, usize),
    /// Every task in a unit's or group's ledger (its tally is on each of its pages).
    Ledger(String),
    /// The tasks of a timeline section.
    Section(usize, usize),
    /// The tasks of a plan's pilot batches.
    Pilots(usize),
}

/// One output file.
#[derive(Debug, Clone)]
pub struct Route {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// What it shows.
    pub kind: Kind,
    /// What it depends on.
    pub deps: Deps,
}

impl Route {
    /// Whether this is an HTML page listed in the sitemap (not the 404 page or review queue).
    pub fn in_sitemap(&self) -> bool {
        self.path.ends_with(".html")
            && !matches!(self.kind, Kind::NotFound | Kind::ReviewQueue | Kind::Search)
    }
}

/// Tasks whose records changed, by (plan, task index).
#[derive(Debug, Default)]
pub struct Changes {
    /// Changed tasks.
    pub tasks: HashSet<(usize, usize)>,
}

/// Every output file of one build, in a fixed order.
pub struct Routes {
    /// The routes.
    pub list: Vec<Route>,
}

impl Routes {
    /// The routes of `site` as computed in `cx`. `preview` adds the review queue; `assets`
    /// maps each theme asset's logical name to its path ([`url::asset`] of its hashed name).
    pub fn new(
        site: &Site,
        cx: &Computed<'_>,
        assets: &BTreeMap<String, String>,
        preview: bool,
    ) -> Routes {
        let mut list = Vec::new();
        let mut add = |path: String, kind: Kind, deps: Deps| list.push(Route { path, kind, deps });
        let first_plan = if site.plans.is_empty() {
            Deps::Fixed
        } else {
            Deps::Plan(0)
        };
        add(url::HOME.into(), Kind::Home, first_plan);
        add(url::NOT_FOUND.into(), Kind::NotFound, Deps::Fixed);
        add(url::UNITS.into(), Kind::Units, Deps::Site);
        add(url::SITE_MAP.into(), Kind::SiteMap, Deps::Fixed);
        add(url::SEARCH.into(), Kind::Search, Deps::Fixed);
        for (pi, plan) in site.plans.iter().enumerate() {
            let p = &plan.id;
            add(url::plan(p), Kind::Plan(pi), Deps::Plan(pi));
            for (ci, cat) in plan.categories.iter().enumerate() {
                let n: usize = cat.subcategories.iter().map(|s| s.tasks.len()).sum();
                for paged in Paged::all(n) {
                    add(
                        url::category(p, cat.number, paged.page),
                        Kind::Category {
                            plan: pi,
                            cat: ci,
                            paged,
                        },
                        Deps::Category(pi, ci),
                    );
                }
            }
            for (ti, t) in cx.tasks[pi].iter().enumerate() {
                add(
                    url::task(p, t.task.id()),
                    Kind::Task { plan: pi, task: ti },
                    Deps::Task(pi, ti),
                );
            }
            if !plan.pilots.is_empty() {
                add(url::pilots(p), Kind::Pilots(pi), Deps::Pilots(pi));
            }
            add(url::timeline(p), Kind::Timeline(pi), Deps::Plan(pi));
            for (si, sec) in cx.timelines[pi].iter().enumerate() {
                if sec.inline {
                    continue;
                }
                for paged in Paged::all(sec.tasks.len()) {
                    add(
                        url::timeline_section(p, &sec.key, paged.page),
                        Kind::TimelineList {
                            plan: pi,
                            section: si,
                            paged,
                        },
                        Deps::Section(pi, si),
                    );
                }
            }
        }
        for id in party_ids(site) {
            let n = cx.ledgers.get(id).map_or(0, Vec::len);
            for paged in Paged::all(n) {
                add(
                    url::ledger(id, paged.page),
                    Kind::Ledger {
                        id: id.to_string(),
                        paged,
                    },
                    Deps::Ledger(id.to_string()),
                );
            }
        }
        for (i, p) in site.pages.iter().enumerate() {
            add(url::page(&p.slug), Kind::Page(i), Deps::Fixed);
        }
        if preview {
            add(url::REVIEW.into(), Kind::ReviewQueue, Deps::Site);
        }
        for (kind, path) in [
            (DataFile::Sitemap, url::SITEMAP),
            (DataFile::Robots, url::ROBOTS),
            (DataFile::Feed, url::FEED),
            (DataFile::TasksJson, url::TASKS_JSON),
            (DataFile::TasksCsv, url::TASKS_CSV),
            (DataFile::ProgressCsv, url::PROGRESS_CSV),
            (DataFile::AssigneesCsv, url::ASSIGNEES_CSV),
            (DataFile::TasksSchema, url::TASKS_SCHEMA),
        ] {
            let deps = if matches!(kind, DataFile::Robots | DataFile::TasksSchema) {
                Deps::Fixed
            } else {
                Deps::Site
            };
            add(path.into(), Kind::Data(kind), deps);
        }
        for (name, path) in assets {
            add(path.clone(), Kind::Asset(name.clone()), Deps::Fixed);
        }
        Routes { list }
    }

    /// HTML pages, in route order.
    pub fn pages(&self) -> impl Iterator<Item = &Route> {
        self.list.iter().filter(|r| r.path.ends_with(".html"))
    }

    /// Whether `route` shows anything that `changes` touched.
    pub fn touches(route: &Route, cx: &Computed<'_>, site: &Site, changes: &Changes) -> bool {
        let t = &changes.tasks;
        if t.is_empty() {
            return false;
        }
        match &route.deps {
            Deps::Fixed => false,
            Deps::Site => true,
            Deps::Plan(p) => t.iter().any(|(tp, _)| tp == p),
            Deps::Task(p, ti) => t.contains(&(*p, *ti)),
            Deps::Category(p, ci) => {
                let number = site.plans[*p].categories[*ci].number;
                t.iter()
                    .any(|(tp, ti)| tp == p && cx.tasks[*p][*ti].task.category == number)
            }
            Deps::Ledger(id) => cx
                .ledgers
                .get(id.as_str())
                .is_some_and(|lines| lines.iter().any(|l| t.contains(&(l.plan, l.task)))),
            Deps::Section(p, si) => cx.timelines[*p][*si]
                .tasks
                .iter()
                .any(|ti| t.contains(&(*p, *ti))),
            Deps::Pilots(p) => site.plans[*p].pilots.iter().any(|b| {
                b.tasks.iter().any(|id| {
                    cx.task_index[*p]
                        .get(id.value.as_str())
                        .is_some_and(|ti| t.contains(&(*p, *ti)))
                })
            }),
        }
    }
}

/// Every unit and group id, units first, in `units.yaml` order.
fn party_ids(site: &Site) -> impl Iterator<Item = &str> {
    site.units
        .iter()
        .map(|u| u.id.value.as_str())
        .chain(site.groups.iter().map(|g| g.id.value.as_str()))
}

/// Where a path comes from, for the message when two routes meet.
fn origin(site: &Site, kind: &Kind) -> (String, u32, u32, String) {
    let units = "content/units.yaml".to_string();
    match kind {
        Kind::Ledger { id, .. } => {
            let located = site
                .units
                .iter()
                .map(|u| &u.id)
                .chain(site.groups.iter().map(|g| &g.id))
                .find(|l| l.value == *id);
            let (line, col) = located.map_or((0, 0), |l| (l.line, l.col));
            (units, line, col, format!("单位“{id}”的工作台账"))
        }
        Kind::Plan(pi)
        | Kind::Pilots(pi)
        | Kind::Timeline(pi)
        | Kind::Category { plan: pi, .. }
        | Kind::Task { plan: pi, .. }
        | Kind::TimelineList { plan: pi, .. } => {
            let plan = &site.plans[*pi];
            (
                plan.path.clone(),
                1,
                1,
                format!("计划文件夹“{}”的页面", plan.id),
            )
        }
        Kind::Page(i) => {
            let p = &site.pages[*i];
            (p.path.clone(), 1, 1, format!("页面“{}”", p.slug))
        }
        Kind::Home => (String::new(), 0, 0, "首页".into()),
        Kind::NotFound => (String::new(), 0, 0, "404 页面".into()),
        Kind::Units => (String::new(), 0, 0, "工作台账总目录".into()),
        Kind::ReviewQueue => (String::new(), 0, 0, "待审核条目页".into()),
        Kind::SiteMap => (String::new(), 0, 0, "网站地图".into()),
        Kind::Search => (String::new(), 0, 0, "搜索页".into()),
        Kind::Data(_) => (String::new(), 0, 0, "开放数据文件".into()),
        Kind::Asset(name) => (String::new(), 0, 0, format!("主题文件 {name}")),
    }
}

/// Two routes that would write the same file: a located error at the later source, naming
/// both (one page would silently overwrite the other).
pub fn collisions(site: &Site, routes: &Routes) -> Vec<Diagnostic> {
    let mut first: HashMap<&str, &Route> = HashMap::new();
    let mut out = Vec::new();
    for r in &routes.list {
        if r.path.starts_with(url::SEARCH_INDEX) {
            let (path, line, col, what) = origin(site, &r.kind);
            out.push(
                Diagnostic::error(
                    &path,
                    line.max(1),
                    col.max(1),
                    format!(
                        "输出文件冲突：{what}会生成 {}，那是站内搜索索引的文件夹",
                        r.path
                    ),
                )
                .hint("请改用其他文件夹名或编号（pagefind 是搜索索引占用的名称）"),
            );
            continue;
        }
        let Some(earlier) = first.get(r.path.as_str()) else {
            first.insert(&r.path, r);
            continue;
        };
        let (a_path, ..) = origin(site, &earlier.kind);
        let (b_path, b_line, b_col, b_what) = origin(site, &r.kind);
        let (a_what, a_loc) = {
            let (p, l, c, w) = origin(site, &earlier.kind);
            (
                w,
                if p.is_empty() {
                    "gongkai 内置".to_string()
                } else {
                    format!("{p}:{l}:{c}")
                },
            )
        };
        let (path, line, col) = if b_path.is_empty() {
            (a_path, 1, 1)
        } else {
            (b_path, b_line.max(1), b_col.max(1))
        };
        out.push(
            Diagnostic::error(
                &path,
                line,
                col,
                format!(
                    "输出文件冲突：{b_what}和{a_what}（{a_loc}）都会生成 {}，后者会被覆盖",
                    r.path
                ),
            )
            .hint("请改用其他编号或文件夹名（例如不要用 index、units、pages、data、assets 这类站点已占用的名称）"),
        );
    }
    out
}
