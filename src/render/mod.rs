//! Render: turn each route of the route table into bytes. View data are typed structs
//! ([`view`]); plan headers, summaries, unit links and ledger heads (one per plan or unit) are
//! built once per build and shared by every page that shows them; task rows and records (one per
//! task or record) are made for each page that shows them, so memory does not grow with the plan.
//! Rendering runs in parallel (rayon) through one compiled `Tera`.
//!
//! One module per page family: [`overview`] (home, plan), [`tasks`] (category, task),
//! [`units`] (ledger index, ledgers), [`lists`] (pilots, timeline), [`pages`] (Markdown pages,
//! review queue, 404), [`data`] (sitemap, feed, open data).

pub mod common;
pub mod css;
pub mod data;
pub mod globals;
pub mod lists;
pub mod markdown;
pub mod minify;
pub mod nav;
pub mod overview;
pub mod pages;
pub mod tasks;
pub mod theme;
pub mod units;
pub mod view;

use crate::compute::Computed;
use crate::route::{Kind, Route, Routes, url};
use crate::site::Site;
use chrono::{Datelike, NaiveDate};
use common::{Frame, Link};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use tera::{Context, Tera};
use view::{Fields, Shared};

/// One output file.
pub struct OutFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Where [`Renderer::render_each`] puts the files it makes. A closure taking an [`OutFile`]
/// is one (it gets the files in pieces put together).
pub trait Sink: Sync {
    /// Why it refused a file.
    type Error: Send;
    /// One whole file.
    fn file(&self, f: OutFile) -> Result<(), Self::Error>;
    /// One file in pieces ([`data::Piece`]: the open data, which grows with the plan): by
    /// default put together and taken whole.
    fn pieces(&self, path: &str, pieces: data::Pieces<'_>) -> Result<(), Self::Error> {
        self.file(OutFile {
            path: path.to_string(),
            bytes: pieces.flat_map(|p| p.bytes).collect(),
        })
    }
}

impl<E: Send, F: Fn(OutFile) -> Result<(), E> + Sync> Sink for F {
    type Error = E;
    fn file(&self, f: OutFile) -> Result<(), E> {
        self(f)
    }
}

/// A sink of two closures: one for whole files, one for files in pieces.
pub struct Both<F, P>(pub F, pub P);

impl<E, F, P> Sink for Both<F, P>
where
    E: Send,
    F: Fn(OutFile) -> Result<(), E> + Sync,
    P: Fn(&str, data::Pieces<'_>) -> Result<(), E> + Sync,
{
    type Error = E;
    fn file(&self, f: OutFile) -> Result<(), E> {
        (self.0)(f)
    }
    fn pieces(&self, path: &str, pieces: data::Pieces<'_>) -> Result<(), E> {
        (self.1)(path, pieces)
    }
}

/// Why [`Renderer::render_each`] stopped: a template failed, or the sink did.
#[derive(Debug)]
pub enum Emit<E> {
    /// A template failed.
    Render(RenderError),
    /// The sink refused a file.
    Sink(E),
}

/// A rendering failure, naming the page and the template error.
#[derive(Debug)]
pub struct RenderError(pub String);

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RenderError {}

/// Date as 2023年9月30日.
pub fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Options that change what a build looks like.
#[derive(Clone, Default)]
pub struct RenderOptions {
    /// Preview mode: banner on every page, noindex, the review queue page.
    pub preview: bool,
    /// Review verdicts of the full site, for the badges of unsigned items (preview only).
    pub verdicts: Option<std::sync::Arc<crate::review::Verdicts>>,
}

/// Thread time spent rendering, summed over threads: templates, minify, and the sink.
#[derive(Debug, Default)]
pub struct StageClock {
    /// Templates (nanoseconds).
    pub templates: AtomicU64,
    /// Minification (nanoseconds).
    pub minify: AtomicU64,
    /// The sink, e.g. writing to disk (nanoseconds).
    pub sink: AtomicU64,
}

fn nanos(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Everything needed to render.
pub struct Renderer<'a> {
    site: &'a Site,
    cx: &'a Computed<'a>,
    tera: Tera,
    /// Asset bytes by logical name.
    assets: BTreeMap<String, Vec<u8>>,
    /// Hashed asset file names (`assets/style.1a2b3c4d5e.css`) by logical name.
    asset_names: BTreeMap<String, String>,
    /// Digest of every template and asset: a theme change means every page may change.
    theme_digest: String,
    opts: RenderOptions,
    /// Header of each plan (shown on most pages), built once.
    plan_heads: Vec<Shared<common::PlanHead>>,
    /// Status summary of each plan, computed once.
    summaries: Vec<Shared<overview::Summary>>,
    /// The summary row of each category of each plan (its pages show it too).
    category_tallies: Vec<Vec<Shared<overview::CategorySummary>>>,
    /// Link of every unit and group, built once.
    links: HashMap<String, Shared<Link>>,
    /// The head of every unit's and group's ledger (the same on each of its pages), as a
    /// struct: its Tera value (some forty maps of counts, 29 KB a unit) is made for each page.
    unit_heads: HashMap<String, units::UnitHead>,
}

fn short_hash(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(bytes);
    h.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

impl<'a> Renderer<'a> {
    /// Compile the theme's templates once and build the shared view parts.
    pub fn new(
        site: &'a Site,
        cx: &'a Computed<'a>,
        theme: theme::Theme,
        opts: RenderOptions,
    ) -> Result<Self, RenderError> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        let mut sources: Vec<(String, String)> = theme.templates.into_iter().collect();
        sources.sort();
        let theme_digest = {
            use sha2::{Digest, Sha256};
            let mut h = Sha256::new();
            for (name, text) in &sources {
                h.update(name.as_bytes());
                h.update([0]);
                h.update(text.as_bytes());
                h.update([0]);
            }
            for (name, bytes) in &theme.assets {
                h.update(name.as_bytes());
                h.update([0]);
                h.update(bytes);
                h.update([0]);
            }
            h.finalize().iter().map(|b| format!("{b:02x}")).collect()
        };
        tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
            .map_err(|e| RenderError(format!("模板错误：{}", error_chain(&e))))?;
        let asset_names = theme
            .assets
            .iter()
            .map(|(name, bytes)| {
                let hashed = match name.rsplit_once('.') {
                    Some((stem, ext)) if ext == "css" || ext == "js" => {
                        format!("{stem}.{}.{ext}", short_hash(bytes))
                    }
                    _ => name.clone(),
                };
                (name.clone(), url::asset(&hashed))
            })
            .collect();
        let mut r = Renderer {
            site,
            cx,
            tera,
            assets: theme.assets,
            asset_names,
            theme_digest,
            opts,
            plan_heads: Vec::new(),
            summaries: Vec::new(),
            category_tallies: Vec::new(),
            links: HashMap::new(),
            unit_heads: HashMap::new(),
        };
        r.links = party_ids(site)
            .map(|id| {
                let link = Link {
                    id: id.into(),
                    name: cx.dir.name(id).into(),
                    href: url::ledger(id, 1),
                };
                (id.to_string(), Shared::new(&link))
            })
            .collect();
        r.plan_heads = (0..site.plans.len())
            .map(|pi| Shared::new(&r.plan_head(pi)))
            .collect();
        r.category_tallies = (0..site.plans.len())
            .map(|pi| r.category_summaries(pi))
            .collect();
        r.summaries = (0..site.plans.len())
            .map(|pi| Shared::new(&r.summary(pi, r.category_tallies[pi].clone())))
            .collect();
        r.unit_heads = party_ids(site)
            .map(|id| (id.to_string(), r.unit_head(id)))
            .collect();
        let globals = r.globals();
        globals.insert_into(r.tera.global_context());
        Ok(r)
    }

    /// Digest of the theme's templates and assets.
    pub fn theme_digest(&self) -> &str {
        &self.theme_digest
    }

    /// Hashed asset paths by logical name (what the route table lists).
    pub fn asset_names(&self) -> &BTreeMap<String, String> {
        &self.asset_names
    }

    /// Render the routes `keep` accepts and hand each file to `sink` as soon as it is ready,
    /// from the rendering threads (a build writes pages while others are still rendering, and
    /// never holds the whole site in memory). Stops at the first template or sink error.
    pub fn render_each<S: Sink + ?Sized>(
        &self,
        routes: &Routes,
        keep: &(dyn Fn(&Route) -> bool + Sync),
        clock: &StageClock,
        sink: &S,
    ) -> Result<(), Emit<S::Error>> {
        let chosen: Vec<&Route> = routes.list.iter().filter(|r| keep(r)).collect();
        // The few pages that list every task (overviews, timeline, ledgers) go first, one
        // route at a time, so that no thread is left rendering a large page alone at the end;
        // the data files are made alongside the pages.
        let (mut pages, data): (Vec<&Route>, Vec<&Route>) = chosen
            .into_iter()
            .partition(|r| !matches!(r.kind, Kind::Data(_) | Kind::Asset(_)));
        pages.sort_by_key(|r| {
            !matches!(
                r.kind,
                Kind::Home | Kind::Plan(_) | Kind::Timeline(_) | Kind::Ledger { .. }
            )
        });
        let (pages, data) = rayon::join(
            || {
                pages.par_iter().with_max_len(1).try_for_each(|r| {
                    let t0 = std::time::Instant::now();
                    let html = self.render_page(r).map_err(Emit::Render)?;
                    let t1 = std::time::Instant::now();
                    let bytes = minify::minify(&html);
                    drop(html);
                    let t2 = std::time::Instant::now();
                    clock.templates.fetch_add(nanos(t1 - t0), Relaxed);
                    clock.minify.fetch_add(nanos(t2 - t1), Relaxed);
                    let out = sink.file(OutFile {
                        path: r.path.clone(),
                        bytes,
                    });
                    clock.sink.fetch_add(nanos(t2.elapsed()), Relaxed);
                    out.map_err(Emit::Sink)
                })
            },
            || {
                data.into_iter().try_for_each(|r| {
                    let bytes = match &r.kind {
                        Kind::Data(d) => {
                            let pieces = data::pieces(self.site, self.cx, routes, *d);
                            return sink.pieces(&r.path, pieces).map_err(Emit::Sink);
                        }
                        Kind::Asset(name) => self.assets.get(name).cloned().unwrap_or_default(),
                        _ => Vec::new(),
                    };
                    sink.file(OutFile {
                        path: r.path.clone(),
                        bytes,
                    })
                    .map_err(Emit::Sink)
                })
            },
        );
        pages?;
        data
    }

    /// Every file of `routes` in memory, sorted by path.
    pub fn render_all(&self, routes: &Routes) -> Result<Vec<OutFile>, RenderError> {
        let files = std::sync::Mutex::new(Vec::new());
        let clock = StageClock::default();
        self.render_each(routes, &|_| true, &clock, &|f: OutFile| {
            files
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(f);
            Ok::<(), std::convert::Infallible>(())
        })
        .map_err(|e| match e {
            Emit::Render(e) => e,
            Emit::Sink(never) => match never {},
        })?;
        let mut files = files
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Every HTML page of `routes` as the templates write it, before minification (path,
    /// HTML): what the tests compare the minifier against.
    pub fn render_pages_unminified(
        &self,
        routes: &Routes,
    ) -> Result<Vec<(String, String)>, RenderError> {
        routes
            .pages()
            .collect::<Vec<_>>()
            .par_iter()
            .map(|r| {
                let html = self.render_page(r)?;
                let html = String::from_utf8(html).map_err(|_| {
                    RenderError(format!("生成页面 {} 失败：输出不是 UTF-8", r.path))
                })?;
                Ok((r.path.clone(), html))
            })
            .collect()
    }

    /// One HTML page, unminified.
    fn render_page(&self, route: &Route) -> Result<Vec<u8>, RenderError> {
        let path = route.path.as_str();
        let mut c = Context::new();
        let (template, frame) = match &route.kind {
            Kind::Home => ("index.html", self.home(&mut c)),
            Kind::Plan(p) => ("plan.html", self.plan_overview(*p, &mut c)),
            Kind::Category { plan, cat, paged } => {
                ("category.html", self.category(*plan, *cat, *paged, &mut c))
            }
            Kind::Task { plan, task } => ("task.html", self.task(*plan, *task, &mut c)),
            Kind::Units => ("units.html", self.units(&mut c)),
            Kind::Ledger { id, paged } => ("unit.html", self.ledger(id, *paged, &mut c)),
            Kind::Pilots(p) => ("pilots.html", self.pilots(*p, &mut c)),
            Kind::Timeline(p) => ("timeline.html", self.timeline(*p, &mut c)),
            Kind::TimelineList {
                plan,
                section,
                paged,
            } => (
                "timeline_list.html",
                self.timeline_list(*plan, *section, *paged, &mut c),
            ),
            Kind::Page(i) => ("page.html", self.page(*i, &mut c)),
            Kind::ReviewQueue => ("review.html", self.review_queue(&mut c)),
            Kind::NotFound => ("404.html", self.not_found(&mut c)),
            Kind::SiteMap => ("sitemap.html", self.site_map(&mut c)),
            Kind::Search => ("search.html", self.search_page(&mut c)),
            Kind::Data(_) | Kind::Asset(_) => {
                return Err(RenderError(format!("内部错误：{path} 不是页面")));
            }
        };
        let depth = path.matches('/').count();
        let root = if matches!(route.kind, Kind::NotFound) {
            // Served at any depth: links go to the configured address.
            self.site.config.base_url.value.clone()
        } else {
            "../".repeat(depth)
        };
        Frame {
            root,
            path,
            url: format!("{}{}", self.site.config.base_url.value, path),
            // Later pages of a paginated list would only repeat its heading in the results.
            searchable: self.site.search()
                && !matches!(
                    route.kind,
                    Kind::NotFound | Kind::Search | Kind::SiteMap | Kind::ReviewQueue
                )
                && !matches!(
                    route.kind,
                    Kind::Category { paged, .. }
                        | Kind::Ledger { paged, .. }
                        | Kind::TimelineList { paged, .. } if paged.page > 1
                ),
            crumbs: self.where_am_i(&route.kind, frame.1),
            meta: frame.0,
        }
        .insert_into(&mut c);
        let mut html = Vec::with_capacity(32 * 1024);
        self.tera.render_to(template, &c, &mut html).map_err(|e| {
            RenderError(format!(
                "生成页面 {path} 失败（模板 {template}）：{}",
                error_chain(&e)
            ))
        })?;
        Ok(html)
    }
}

impl Renderer<'_> {
    /// 当前位置 of a page whose family made `crumbs` (首页 first, or nothing on the home and
    /// 404 pages): the portal first when `site.yaml` names its address, then this site.
    fn where_am_i(&self, kind: &Kind, crumbs: Vec<common::Crumb>) -> Vec<common::Crumb> {
        let config = &self.site.config;
        let mut out = Vec::new();
        let portal = config.portal.url.as_ref();
        if let Some(u) = portal {
            out.push(common::Crumb {
                title: config.portal.site_name.value.clone(),
                href: Some(u.value.clone()),
                external: true,
            });
        }
        // With the portal before it, this site's home is named by its title.
        let home = |href: Option<String>| {
            let title = if portal.is_some() {
                config.title.value.clone()
            } else {
                "首页".to_string()
            };
            common::crumb(title, href)
        };
        match kind {
            Kind::Home => out.push(home(None)),
            Kind::NotFound => {
                out.push(home(Some(url::HOME.into())));
                out.push(common::crumb("页面不存在", None));
            }
            _ => {
                let mut rest = crumbs.into_iter();
                if let Some(first) = rest.next() {
                    out.push(home(first.href));
                }
                out.extend(rest);
            }
        }
        out
    }
}

/// What each page family returns besides its own variables: metadata and breadcrumb.
type FrameParts = (common::Meta, Vec<common::Crumb>);

/// Every unit and group id, units first, in `units.yaml` order.
fn party_ids(site: &Site) -> impl Iterator<Item = &str> {
    site.units
        .iter()
        .map(|u| u.id.value.as_str())
        .chain(site.groups.iter().map(|g| g.id.value.as_str()))
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(inner) = cur {
        s.push('：');
        s.push_str(&inner.to_string());
        cur = inner.source();
    }
    s
}

/// Every field name of every view, for the test that templates read only fields that exist.
pub fn view_fields() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = Vec::new();
    for f in [
        common::Frame::FIELDS,
        common::Meta::FIELDS,
        common::Crumb::FIELDS,
        common::Link::FIELDS,
        common::StatusView::FIELDS,
        common::Count::FIELDS,
        common::DeadlineView::FIELDS,
        common::TaskRow::FIELDS,
        common::Evidence::FIELDS,
        common::TaskRef::FIELDS,
        common::RecordView::FIELDS,
        common::CategoryLink::FIELDS,
        common::PlanHead::FIELDS,
        common::Pagination::FIELDS,
        common::PagerLink::FIELDS,
    ]
    .into_iter()
    .chain(globals::FIELDS.iter().copied())
    .chain(overview::FIELDS.iter().copied())
    .chain(tasks::FIELDS.iter().copied())
    .chain(units::FIELDS.iter().copied())
    .chain(lists::FIELDS.iter().copied())
    .chain(pages::FIELDS.iter().copied())
    .chain(nav::FIELDS.iter().copied())
    {
        all.extend_from_slice(f);
    }
    all.sort_unstable();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    /// Attribute names read in template expressions (`plan.title` → `title`), string literals
    /// left out.
    fn attributes(template: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = template;
        while let Some(open) = rest.find(['{']) {
            let after = &rest[open + 1..];
            let close = match after.chars().next() {
                Some('{') => "}}",
                Some('%') => "%}",
                _ => {
                    rest = after;
                    continue;
                }
            };
            let Some(end) = after.find(close) else { break };
            let expr = &after[1..end];
            rest = &after[end + 2..];
            // Drop string literals.
            let mut code = String::new();
            let mut quote = None;
            for c in expr.chars() {
                match quote {
                    Some(q) if c == q => quote = None,
                    Some(_) => {}
                    None if c == '"' || c == '\'' => quote = Some(c),
                    None => code.push(c),
                }
            }
            let chars: Vec<char> = code.chars().collect();
            for (i, c) in chars.iter().enumerate() {
                if *c == '.' && i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_') {
                    let name: String = chars[i + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                        .collect();
                    if !name.is_empty() && !name.chars().all(|c| c.is_ascii_digit()) {
                        out.push(name);
                    }
                }
            }
        }
        out
    }

    #[test]
    fn templates_read_only_fields_the_views_have() {
        let fields = super::view_fields();
        // Tera's own loop variables.
        let builtin = ["first", "last", "index", "index0"];
        let mut unknown = Vec::new();
        for (name, source) in super::theme::BUILTIN_TEMPLATES {
            for attr in attributes(source) {
                if !fields.contains(&attr.as_str()) && !builtin.contains(&attr.as_str()) {
                    unknown.push(format!("{name}: .{attr}"));
                }
            }
        }
        assert!(unknown.is_empty(), "fields no view has: {unknown:?}");
        // The scanner itself finds a misspelt field.
        assert_eq!(
            attributes("{{ t.dedline }} x.y {% if \"a.b\" %}"),
            ["dedline"]
        );
    }

    #[test]
    fn pager_shows_ends_and_neighbours_with_gaps() {
        use super::common::pager_window;
        let n = |v: &[usize]| v.iter().map(|&x| (x > 0).then_some(x)).collect::<Vec<_>>();
        // 0 stands for a gap.
        assert_eq!(pager_window(1, 1), n(&[1]));
        assert_eq!(pager_window(1, 4), n(&[1, 2, 3, 4]));
        assert_eq!(pager_window(1, 9), n(&[1, 2, 3, 0, 9]));
        assert_eq!(pager_window(4, 9), n(&[1, 2, 3, 4, 5, 6, 0, 9]));
        assert_eq!(pager_window(6, 20), n(&[1, 0, 4, 5, 6, 7, 8, 0, 20]));
        assert_eq!(pager_window(20, 20), n(&[1, 0, 18, 19, 20]));
        assert_eq!(pager_window(500, 1000).len(), 9);
    }
}
