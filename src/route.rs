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

/// The theme asset only the search page uses (left out when the site offers no search).
const SEARCH_SCRIPT: &str = "search.js";

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
    /// The sitemap, for search engines: an index of the sitemap files ([`sitemap_part`]).
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

    /// File `k` (1-based) of the sitemap. Beside the index at the root: a sitemap may only
    /// list addresses under its own folder.
    pub fn sitemap_part(k: usize) -> String {
        format!("sitemap-{k}.xml")
    }

    /// One plan's own copy of open-data file `whole` (one of the `data/…` paths above): the
    /// same name inside the plan's folder, e.g. `2023/data/tasks.csv`.
    pub fn plan_data(plan: &str, whole: &str) -> String {
        format!("{plan}/{whole}")
    }

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

/// At most this many addresses in one sitemap file (the sitemap protocol's limit).
pub const SITEMAP_URLS: usize = 50_000;
/// At most this many bytes in one sitemap file, uncompressed (the protocol's 50 MiB).
pub const SITEMAP_BYTES: usize = 50 * 1024 * 1024;
/// The bytes of one sitemap entry around its escaped address:
/// `<url><loc>…</loc><lastmod>YYYY-MM-DD</lastmod></url>\n`.
pub const SITEMAP_ENTRY: usize = "<url><loc></loc><lastmod>2023-01-01</lastmod></url>\n".len();
/// The bytes of a sitemap file around its entries (XML declaration, `<urlset>`).
pub const SITEMAP_FRAME: usize = 160;

/// Which plans an open-data file covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every plan (`data/…`).
    Site,
    /// One plan (`<plan>/data/…`).
    Plan(usize),
}

/// A data file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFile {
    /// sitemap.xml: the index of the sitemap files.
    Sitemap,
    /// sitemap-K.xml: file K (0-based here, 1-based in its name) of the sitemap.
    SitemapPart(usize),
    /// robots.txt.
    Robots,
    /// feed.xml: the latest progress records.
    Feed,
    /// data/tasks.json.
    TasksJson(Scope),
    /// data/tasks.csv.
    TasksCsv(Scope),
    /// data/progress.csv: every published record.
    ProgressCsv(Scope),
    /// data/assignees.csv.
    AssigneesCsv(Scope),
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
    /// The sitemap's files: for each, the indices in `list` of the pages it lists, by path.
    pub sitemap: Vec<Vec<usize>>,
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
        if site.search() {
            add(url::SEARCH.into(), Kind::Search, Deps::Fixed);
        }
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
        let whole = Scope::Site;
        for (kind, path) in [
            (DataFile::Sitemap, url::SITEMAP),
            (DataFile::Robots, url::ROBOTS),
            (DataFile::Feed, url::FEED),
            (DataFile::TasksJson(whole), url::TASKS_JSON),
            (DataFile::TasksCsv(whole), url::TASKS_CSV),
            (DataFile::ProgressCsv(whole), url::PROGRESS_CSV),
            (DataFile::AssigneesCsv(whole), url::ASSIGNEES_CSV),
            (DataFile::TasksSchema, url::TASKS_SCHEMA),
        ] {
            let deps = if matches!(kind, DataFile::Robots | DataFile::TasksSchema) {
                Deps::Fixed
            } else {
                Deps::Site
            };
            add(path.into(), Kind::Data(kind), deps);
        }
        // Each plan's open data on its own: a country's files are too big to download whole.
        for (pi, plan) in site.plans.iter().enumerate() {
            let one = Scope::Plan(pi);
            for (kind, path) in [
                (DataFile::TasksJson(one), url::TASKS_JSON),
                (DataFile::TasksCsv(one), url::TASKS_CSV),
                (DataFile::ProgressCsv(one), url::PROGRESS_CSV),
                (DataFile::AssigneesCsv(one), url::ASSIGNEES_CSV),
            ] {
                add(
                    url::plan_data(&plan.id, path),
                    Kind::Data(kind),
                    Deps::Plan(pi),
                );
            }
        }
        for (name, path) in assets {
            if name == SEARCH_SCRIPT && !site.search() {
                continue;
            }
            add(path.clone(), Kind::Asset(name.clone()), Deps::Fixed);
        }
        let sitemap = sitemap_files(&list, &site.config.base_url.value);
        for k in 0..sitemap.len() {
            list.push(Route {
                path: url::sitemap_part(k + 1),
                kind: Kind::Data(DataFile::SitemapPart(k)),
                deps: Deps::Site,
            });
        }
        Routes { list, sitemap }
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
        Kind::Data(_) => (String::new(), 0, 0, "开放数据或站点地图文件".into()),
        Kind::Asset(name) => (String::new(), 0, 0, format!("主题文件 {name}")),
    }
}

/// The pages of the sitemap (by path) in files within the protocol's limits
/// ([`SITEMAP_URLS`], [`SITEMAP_BYTES`]); always at least one file.
fn sitemap_files(list: &[Route], base: &str) -> Vec<Vec<usize>> {
    let mut pages: Vec<usize> = (0..list.len()).filter(|&i| list[i].in_sitemap()).collect();
    pages.sort_unstable_by(|&a, &b| list[a].path.cmp(&list[b].path));
    let base = crate::xml::escaped_len(base);
    split_sitemap(
        pages,
        |&i| SITEMAP_ENTRY + base + crate::xml::escaped_len(&list[i].path),
        SITEMAP_URLS,
        SITEMAP_BYTES,
    )
}

/// `items` in order, in runs of at most `max_items` whose entry lengths (`len`) and the
/// file's frame add up to at most `max_bytes` (a single entry longer than that gets a file of
/// its own); at least one run, empty when there are no items.
pub fn split_sitemap<T>(
    items: Vec<T>,
    len: impl Fn(&T) -> usize,
    max_items: usize,
    max_bytes: usize,
) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let mut run = Vec::new();
    let mut bytes = SITEMAP_FRAME;
    for item in items {
        let n = len(&item);
        if !run.is_empty() && (run.len() == max_items || bytes + n > max_bytes) {
            out.push(std::mem::take(&mut run));
            bytes = SITEMAP_FRAME;
        }
        bytes += n;
        run.push(item);
    }
    if !run.is_empty() || out.is_empty() {
        out.push(run);
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_files_keep_to_both_limits_and_lose_nothing() {
        let one = |_: &u32| 10;
        // By count: 7 items, 3 per file.
        let runs = split_sitemap((0..7).collect(), one, 3, usize::MAX);
        assert_eq!(runs, vec![vec![0, 1, 2], vec![3, 4, 5], vec![6]]);
        // Exactly full files: no empty file after them.
        assert_eq!(split_sitemap((0..6).collect(), one, 3, usize::MAX).len(), 2);
        // By bytes: the frame plus two 10-byte entries fit, a third does not.
        let runs = split_sitemap((0..5).collect(), one, 100, SITEMAP_FRAME + 20);
        assert_eq!(runs, vec![vec![0, 1], vec![2, 3], vec![4]]);
        // An entry longer than a file on its own still goes out, alone.
        let runs = split_sitemap(
            vec![1u32, 500, 2],
            |n| *n as usize,
            100,
            SITEMAP_FRAME + 100,
        );
        assert_eq!(runs, vec![vec![1], vec![500], vec![2]]);
        // No pages: one empty file (the index always names at least one).
        assert_eq!(
            split_sitemap(Vec::<u32>::new(), one, 3, 100),
            vec![Vec::<u32>::new()]
        );
        // Random lengths and limits: order kept, every run within both limits.
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200 {
            let mut next = || {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            };
            let n = (next() % 300) as usize;
            let lens: Vec<usize> = (0..n).map(|_| 1 + (next() % 50) as usize).collect();
            let max_items = 1 + (next() % 20) as usize;
            let max_bytes = SITEMAP_FRAME + 50 + (next() % 200) as usize;
            let runs = split_sitemap((0..n).collect(), |&i| lens[i], max_items, max_bytes);
            let flat: Vec<usize> = runs.iter().flatten().copied().collect();
            assert_eq!(flat, (0..n).collect::<Vec<_>>());
            for r in &runs {
                assert!(r.len() <= max_items);
                assert!(SITEMAP_FRAME + r.iter().map(|&i| lens[i]).sum::<usize>() <= max_bytes);
            }
        }
    }
}
