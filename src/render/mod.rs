//! Render: the list of pages to produce (jobs), their view data, and Tera templates.
//! Rendering runs in parallel (rayon) through one compiled `Tera`.

pub mod css;
pub mod data;
pub mod markdown;
pub mod minify;
pub mod theme;

use crate::compute::{Computed, LedgerLine, TaskStatus};
use crate::deadline::DeadlineKind;
use crate::site::{Party, Plan, Site};
use crate::status::{Outcome, Status};
use chrono::{Datelike, NaiveDate};
use minify::minify;
use rayon::prelude::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use tera::{Context, Tera, Value as TValue};

/// A Tera map value: `tmap! { "key" => value, … }`, each value anything `TValue::from` takes.
/// View data is built straight into Tera's values (maps and lists behind `Arc`), so a row
/// built once can be shared by every page that lists it.
macro_rules! tmap {
    ($($k:literal => $v:expr),* $(,)?) => {{
        let mut m = tera::Map::default();
        $( m.insert(tera::value::Key::Str($k), TValue::from($v)); )*
        TValue::from(m)
    }};
}

/// CPU time (nanoseconds, summed over threads) spent in templates (`[0]`) and in minify
/// (`[1]`) by [`Renderer::render_all`] in this process; read for `GONGKAI_TIMINGS=1`.
pub static STAGE_NS: [AtomicU64; 2] = [AtomicU64::new(0), AtomicU64::new(0)];

fn nanos(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// Tasks per page on category pages.
pub const PAGE_SIZE: usize = 100;

/// One output file.
pub struct OutFile {
    /// Path relative to the output folder, `/`-separated.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
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

/// Date as 2023年9月30日.
pub fn cn_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// An HTML page to render.
enum Job {
    Home,
    Plan(usize),
    Category {
        plan: usize,
        cat: usize,
        page: usize,
        pages: usize,
    },
    Task {
        plan: usize,
        task: usize,
    },
    Units,
    Ledger {
        id: String,
        page: usize,
        pages: usize,
    },
    Pilots(usize),
    Timeline(usize),
    TimelineList {
        plan: usize,
        section: usize,
        page: usize,
        pages: usize,
    },
    Page(usize),
    NotFound,
    ReviewQueue,
}

/// Options that change what a build looks like.
#[derive(Clone, Default)]
pub struct RenderOptions {
    /// Preview mode: banner on every page, noindex, the review queue page.
    pub preview: bool,
    /// Review verdicts of the full site, for the badges of unsigned items (preview only).
    pub verdicts: Option<std::sync::Arc<crate::review::Verdicts>>,
}

/// Everything needed to render.
pub struct Renderer<'a> {
    site: &'a Site,
    cx: &'a Computed<'a>,
    tera: Tera,
    assets: BTreeMap<String, Vec<u8>>,
    /// Hashed asset file names by logical name.
    asset_names: BTreeMap<String, String>,
    opts: RenderOptions,
    /// Status summary of each plan, computed once.
    summaries: Vec<TValue>,
    /// The summary row of each category of each plan (category pages show it).
    category_tallies: Vec<Vec<TValue>>,
    /// Header data of each plan (shown on most pages), built once.
    plan_values: Vec<TValue>,
    /// Link (id, name, href) of every unit and group, built once.
    links: HashMap<String, TValue>,
    /// The list row of every task of every plan, built once and shared by the category,
    /// ledger, timeline and overview pages that list it.
    rows: Vec<Vec<TValue>>,
    /// Every progress record of every plan as shown under its task, built once.
    records: Vec<Vec<TValue>>,
    /// The head of every unit's and group's ledger (the same on each of its pages).
    unit_heads: HashMap<String, TValue>,
    /// Timeline sections of each plan (by deadline month, then deadline kind), computed once.
    timelines: Vec<Vec<TimelineSection>>,
}

fn short_hash(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(bytes);
    h.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

fn pct(n: usize, total: usize) -> String {
    if total == 0 {
        "0".into()
    } else {
        let v = n as f64 * 100.0 / total as f64;
        let s = format!("{v:.1}");
        s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
    }
}

fn status_value(o: &Outcome) -> TValue {
    tmap! {
        "key" => o.status.key(),
        "label" => o.status.label(),
        "stale" => o.stale,
        "last_update" => o.last_update.map(cn_date),
    }
}

impl<'a> Renderer<'a> {
    /// Compile the theme's templates once.
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
        tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
            .map_err(|e| RenderError(format!("模板错误：{}", error_chain(&e))))?;
        let mut asset_names = BTreeMap::new();
        let mut assets = BTreeMap::new();
        for (name, bytes) in theme.assets {
            let hashed = match name.rsplit_once('.') {
                Some((stem, ext)) if ext == "css" || ext == "js" => {
                    format!("{stem}.{}.{ext}", short_hash(&bytes))
                }
                _ => name.clone(),
            };
            asset_names.insert(name, format!("assets/{hashed}"));
            assets.insert(format!("assets/{hashed}"), bytes);
        }
        let mut r = Renderer {
            site,
            cx,
            tera,
            assets,
            asset_names,
            opts,
            summaries: Vec::new(),
            category_tallies: Vec::new(),
            plan_values: Vec::new(),
            links: HashMap::new(),
            rows: Vec::new(),
            records: Vec::new(),
            unit_heads: HashMap::new(),
            timelines: Vec::new(),
        };
        r.links = site
            .units
            .iter()
            .map(|u| &u.id.value)
            .chain(site.groups.iter().map(|g| &g.id.value))
            .map(|id| {
                let link = tmap! {"id" => id.as_str(), "name" => cx.dir.name(id), "href" => format!("units/{id}.html")};
                (id.clone(), link)
            })
            .collect();
        let summaries: Vec<Value> = (0..site.plans.len()).map(|pi| r.summary(pi)).collect();
        r.category_tallies = summaries
            .iter()
            .map(|s| {
                s["categories"]
                    .as_array()
                    .map(|cs| cs.iter().map(TValue::from_serializable).collect())
                    .unwrap_or_default()
            })
            .collect();
        r.summaries = summaries.iter().map(TValue::from_serializable).collect();
        r.plan_values = site
            .plans
            .iter()
            .map(|p| TValue::from_serializable(&r.plan_json(p)))
            .collect();
        let (rows, records) = rayon::join(
            || {
                (0..site.plans.len())
                    .map(|pi| {
                        let plan = &site.plans[pi];
                        cx.tasks[pi]
                            .par_iter()
                            .map(|ts| r.task_row(plan, ts))
                            .collect()
                    })
                    .collect()
            },
            || {
                (0..site.plans.len())
                    .map(|pi| {
                        (0..site.plans[pi].records.len())
                            .into_par_iter()
                            .map(|ri| r.record_value(pi, ri, false))
                            .collect()
                    })
                    .collect()
            },
        );
        r.rows = rows;
        r.records = records;
        r.unit_heads = r
            .links
            .keys()
            .map(|id| (id.clone(), r.unit_head(id)))
            .collect();
        r.timelines = (0..site.plans.len())
            .map(|pi| timeline_sections(&cx.tasks[pi]))
            .collect();
        let globals = r.globals();
        *r.tera.global_context() = globals;
        Ok(r)
    }

    fn globals(&self) -> Context {
        let s = self.site;
        let mut c = Context::new();
        c.insert(
            "site",
            &json!({
                "title": s.config.title,
                "base_url": s.config.base_url.value,
                "portal": s.config.portal,
            }),
        );
        c.insert("as_of", &cn_date(self.cx.rules.as_of));
        c.insert(
            "as_of_iso",
            &self.cx.rules.as_of.format("%Y-%m-%d").to_string(),
        );
        c.insert("assets", &self.asset_names);
        c.insert("preview", &self.opts.preview);
        let plans: Vec<Value> = s
            .plans
            .iter()
            .map(|p| json!({"id": p.id, "title": p.meta.title, "year": p.meta.year.value}))
            .collect();
        c.insert("plans", &plans);
        let pages: Vec<Value> = s
            .pages
            .iter()
            .map(|p| json!({"slug": p.slug, "title": p.front.title}))
            .collect();
        c.insert("pages", &pages);
        c
    }

    /// How many HTML pages [`Renderer::render_each`] will produce.
    pub fn page_count(&self) -> usize {
        self.jobs().len()
    }

    fn jobs(&self) -> Vec<(String, Job)> {
        let mut jobs = vec![
            ("index.html".to_string(), Job::Home),
            ("404.html".to_string(), Job::NotFound),
            ("units/index.html".to_string(), Job::Units),
        ];
        for (pi, plan) in self.site.plans.iter().enumerate() {
            let p = &plan.id;
            jobs.push((format!("{p}/index.html"), Job::Plan(pi)));
            for (ci, cat) in plan.categories.iter().enumerate() {
                let n: usize = cat.subcategories.iter().map(|s| s.tasks.len()).sum();
                let pages = n.div_ceil(PAGE_SIZE).max(1);
                for page in 1..=pages {
                    jobs.push((
                        category_path(p, cat.number, page),
                        Job::Category {
                            plan: pi,
                            cat: ci,
                            page,
                            pages,
                        },
                    ));
                }
            }
            for (ti, t) in self.cx.tasks[pi].iter().enumerate() {
                jobs.push((
                    format!("{p}/tasks/{}.html", t.task.id()),
                    Job::Task { plan: pi, task: ti },
                ));
            }
            if !plan.pilots.is_empty() {
                jobs.push((format!("{p}/pilots.html"), Job::Pilots(pi)));
            }
            jobs.push((format!("{p}/timeline.html"), Job::Timeline(pi)));
            for (si, sec) in self.timelines[pi].iter().enumerate() {
                if !sec.inline {
                    let pages = sec.tasks.len().div_ceil(PAGE_SIZE);
                    for page in 1..=pages {
                        jobs.push((
                            numbered(&format!("{p}/timeline/{}", sec.key), page),
                            Job::TimelineList {
                                plan: pi,
                                section: si,
                                page,
                                pages,
                            },
                        ));
                    }
                }
            }
        }
        for id in self
            .site
            .units
            .iter()
            .map(|u| &u.id.value)
            .chain(self.site.groups.iter().map(|g| &g.id.value))
        {
            let n = self.cx.ledgers.get(id.as_str()).map_or(0, Vec::len);
            let pages = n.div_ceil(PAGE_SIZE).max(1);
            for page in 1..=pages {
                jobs.push((
                    numbered(&format!("units/{id}"), page),
                    Job::Ledger {
                        id: id.clone(),
                        page,
                        pages,
                    },
                ));
            }
        }
        for (i, p) in self.site.pages.iter().enumerate() {
            jobs.push((format!("pages/{}.html", p.slug), Job::Page(i)));
        }
        if self.opts.preview {
            jobs.push(("review.html".to_string(), Job::ReviewQueue));
        }
        jobs
    }

    /// Render every page, asset and data file, in memory, sorted by path. Fails on the first
    /// template error, naming it.
    pub fn render_all(&self) -> Result<Vec<OutFile>, RenderError> {
        let files = std::sync::Mutex::new(Vec::new());
        self.render_each(&|f| {
            files.lock().map_err(|_| ())?.push(f);
            Ok(())
        })
        .map_err(|e| match e {
            Emit::Render(e) => e,
            Emit::Sink(()) => RenderError("内部错误：输出列表不可用".into()),
        })?;
        let mut files = files
            .into_inner()
            .map_err(|_| RenderError("内部错误：输出列表不可用".into()))?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Render every page, asset and data file and hand each to `sink` as soon as it is ready,
    /// from the rendering threads (a build writes pages while others are still rendering, and
    /// never holds the whole site in memory). Stops at the first template or sink error.
    pub fn render_each<E: Send>(
        &self,
        sink: &(dyn Fn(OutFile) -> Result<(), E> + Sync),
    ) -> Result<(), Emit<E>> {
        let jobs = self.jobs();
        let html_paths: Vec<&str> = jobs
            .iter()
            .filter(|(_, j)| !matches!(j, Job::NotFound | Job::ReviewQueue))
            .map(|(p, _)| p.as_str())
            .collect();
        // The few pages that list every task (overviews, timeline, ledgers) go first, one job
        // at a time, so that no thread is left rendering a large page alone at the end; the
        // data files are made alongside the pages.
        let mut order: Vec<usize> = (0..jobs.len()).collect();
        order.sort_by_key(|i| {
            !matches!(
                jobs[*i].1,
                Job::Home | Job::Plan(_) | Job::Timeline(_) | Job::Ledger { .. }
            )
        });
        let (pages, data) = rayon::join(
            || {
                order.par_iter().with_max_len(1).try_for_each(|i| {
                    let (path, job) = &jobs[*i];
                    let t0 = std::time::Instant::now();
                    let html = self.render_job(path, job).map_err(Emit::Render)?;
                    let t1 = std::time::Instant::now();
                    let bytes = minify(&html);
                    drop(html);
                    STAGE_NS[0].fetch_add(nanos(t1 - t0), Relaxed);
                    STAGE_NS[1].fetch_add(nanos(t1.elapsed()), Relaxed);
                    sink(OutFile {
                        path: path.clone(),
                        bytes,
                    })
                    .map_err(Emit::Sink)
                })
            },
            || {
                data::machine_files(self.site, self.cx, &html_paths)
                    .into_iter()
                    .chain(self.assets.iter().map(|(path, bytes)| OutFile {
                        path: path.clone(),
                        bytes: bytes.clone(),
                    }))
                    .try_for_each(|f| sink(f).map_err(Emit::Sink))
            },
        );
        pages?;
        data
    }

    /// Every HTML page as the templates write it, before minification (path, HTML): what the
    /// tests compare the minifier against.
    pub fn render_pages_unminified(&self) -> Result<Vec<(String, String)>, RenderError> {
        self.jobs()
            .par_iter()
            .map(|(path, job)| {
                let html = self.render_job(path, job)?;
                let html = String::from_utf8(html)
                    .map_err(|_| RenderError(format!("生成页面 {path} 失败：输出不是 UTF-8")))?;
                Ok((path.clone(), html))
            })
            .collect()
    }

    /// Render only the pages whose path `keep` accepts, plus the machine-readable files (the
    /// preview's incremental rebuild; assets are unchanged and not returned).
    pub fn render_selected(
        &self,
        keep: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<Vec<OutFile>, RenderError> {
        let jobs = self.jobs();
        let html_paths: Vec<&str> = jobs
            .iter()
            .filter(|(_, j)| !matches!(j, Job::NotFound | Job::ReviewQueue))
            .map(|(p, _)| p.as_str())
            .collect();
        // The open-data files are made alongside the pages, as in a full build.
        let (pages, data) = rayon::join(
            || {
                jobs.par_iter()
                    .filter(|(path, _)| keep(path))
                    .map(|(path, job)| {
                        let html = self.render_job(path, job)?;
                        Ok(OutFile {
                            path: path.clone(),
                            bytes: minify(&html),
                        })
                    })
                    .collect::<Result<Vec<OutFile>, RenderError>>()
            },
            || data::machine_files(self.site, self.cx, &html_paths),
        );
        let mut files = pages?;
        files.extend(data);
        Ok(files)
    }

    fn render_job(&self, path: &str, job: &Job) -> Result<Vec<u8>, RenderError> {
        let depth = path.matches('/').count();
        let root = "../".repeat(depth);
        let mut c = Context::new();
        c.insert("root", &root);
        c.insert("path", path);
        c.insert(
            "url",
            &format!("{}{}", self.site.config.base_url.value, path),
        );
        let template = match job {
            Job::Home => {
                self.home(&mut c);
                "index.html"
            }
            Job::Plan(p) => {
                self.plan_overview(*p, &mut c);
                "plan.html"
            }
            Job::Category {
                plan,
                cat,
                page,
                pages,
            } => {
                self.category(*plan, *cat, *page, *pages, &mut c);
                "category.html"
            }
            Job::Task { plan, task } => {
                self.task(*plan, *task, &mut c);
                "task.html"
            }
            Job::Units => {
                self.units(&mut c);
                "units.html"
            }
            Job::Ledger { id, page, pages } => {
                self.ledger(id, *page, *pages, &mut c);
                "unit.html"
            }
            Job::Pilots(p) => {
                self.pilots(*p, &mut c);
                "pilots.html"
            }
            Job::TimelineList {
                plan,
                section,
                page,
                pages,
            } => {
                self.timeline_list(*plan, *section, *page, *pages, &mut c);
                "timeline_list.html"
            }
            Job::Timeline(p) => {
                self.timeline(*p, &mut c);
                "timeline.html"
            }
            Job::Page(i) => {
                self.page(*i, &mut c);
                "page.html"
            }
            Job::ReviewQueue => {
                self.review_queue(&mut c);
                "review.html"
            }
            Job::NotFound => {
                // Served at any depth: links go to the configured address, styles are inline.
                c.insert("root", &self.site.config.base_url.value);
                c.insert("inline_css", &self.inline_css());
                c.insert("meta", &json!({"title": "页面不存在", "kind": "other"}));
                c.insert("crumbs", &Vec::<Value>::new());
                "404.html"
            }
        };
        let mut html = Vec::with_capacity(32 * 1024);
        self.tera.render_to(template, &c, &mut html).map_err(|e| {
            RenderError(format!(
                "生成页面 {path} 失败（模板 {template}）：{}",
                error_chain(&e)
            ))
        })?;
        Ok(html)
    }

    /// The style sheet, minified, for the 404 page's `<style>` element.
    fn inline_css(&self) -> String {
        let css = self
            .asset_names
            .get("style.css")
            .and_then(|n| self.assets.get(n))
            .map_or(std::borrow::Cow::Borrowed(""), |b| {
                String::from_utf8_lossy(b)
            });
        css::minify(&css)
    }

    /// The link of unit or group `id` (ids are checked to exist before rendering).
    fn unit_link(&self, id: &str) -> TValue {
        self.links.get(id).cloned().unwrap_or_else(|| {
            tmap! {"id" => id, "name" => self.cx.dir.name(id), "href" => format!("units/{id}.html")}
        })
    }

    fn deadline_value(&self, ts: &TaskStatus<'_>) -> TValue {
        let t = ts.task;
        let text = t
            .entry
            .deadline
            .as_ref()
            .map_or("未规定", |d| d.value.as_str());
        let (kind, meaning) = match t.deadline {
            DeadlineKind::Date(d) => ("date", format!("{}前完成", cn_date(d))),
            DeadlineKind::Timely => ("timely", "有信息即公开，持续进行".to_string()),
            DeadlineKind::Ongoing => ("ongoing", "长期任务，持续推进".to_string()),
            DeadlineKind::Text => ("text", "原文时限，未能解读为具体日期，不计逾期".to_string()),
            DeadlineKind::None => ("none", "原表未规定完成时限".to_string()),
        };
        tmap! {"text" => text, "kind" => kind, "kind_label" => t.deadline.label(), "meaning" => meaning}
    }

    /// A light summary of a task for list pages (no records, no member lists).
    fn task_row(&self, plan: &Plan, ts: &TaskStatus<'_>) -> TValue {
        let t = ts.task;
        let units: Vec<TValue> = t
            .assignees()
            .into_iter()
            .filter(|id| self.cx.dir.by_id.contains_key(id))
            .map(|id| self.unit_link(id))
            .collect();
        tmap! {
            "id" => t.id(),
            "href" => format!("{}/tasks/{}.html", plan.id, t.id()),
            "text" => t.entry.text.as_str(),
            "units" => units,
            "and_others" => t.entry.and_others,
            "deadline" => self.deadline_value(ts),
            "status" => status_value(&ts.outcome),
        }
    }

    /// The cached row of task `ti` of plan `pi`.
    fn row(&self, pi: usize, ti: usize) -> TValue {
        self.rows[pi][ti].clone()
    }

    fn crumbs(&self, items: &[(&str, Option<String>)]) -> Vec<Value> {
        let mut v = vec![json!({"title": "首页", "href": "index.html"})];
        v.extend(items.iter().map(|(t, h)| json!({"title": t, "href": h})));
        v
    }

    fn summary(&self, pi: usize) -> Value {
        let plan = &self.site.plans[pi];
        let total = self.cx.tally(pi, None);
        let row = |t: &crate::status::Tally| -> Vec<Value> {
            Status::ALL
                .iter()
                .map(|s| json!({"key": s.key(), "label": s.label(), "count": t.get(*s), "pct": pct(t.get(*s), t.total)}))
                .collect()
        };
        let cats: Vec<Value> = plan
            .categories
            .iter()
            .map(|c| {
                let t = self.cx.tally(pi, Some(c.number));
                json!({"number": c.number, "title": c.title, "href": category_path(&plan.id, c.number, 1), "total": t.total, "counts": row(&t)})
            })
            .collect();
        json!({"total": total.total, "counts": row(&total), "categories": cats})
    }

    fn plan_json(&self, plan: &Plan) -> Value {
        let m = &plan.meta;
        json!({
            "id": plan.id,
            "title": m.title,
            "year": m.year.value,
            "issuer": m.issuer,
            "issue_date": cn_date(m.issue_date.value.0),
            "issue_date_iso": m.issue_date.value.to_string(),
            "written_date": m.written_date,
            "doc_number": m.doc_number,
            "index_number": m.index_number,
            "disclosure": m.disclosure,
            "cc": m.cc,
            "annexes": m.annexes,
            "has_pilots": !plan.pilots.is_empty(),
            "categories": plan.categories.iter().map(|c| json!({"number": c.number, "title": c.title, "href": category_path(&plan.id, c.number, 1)})).collect::<Vec<_>>(),
        })
    }

    fn overview(&self, pi: usize, c: &mut Context) {
        let plan = &self.site.plans[pi];
        let as_of = self.cx.rules.as_of;
        let tasks = &self.cx.tasks[pi];
        // Long lists are capped on the overview; the timeline and open data have them all.
        let overdue_all: Vec<&TaskStatus<'_>> = tasks
            .iter()
            .filter(|t| t.outcome.status == Status::Overdue)
            .collect();
        let overdue: Vec<TValue> = overdue_all
            .iter()
            .take(PAGE_SIZE)
            .map(|t| self.row(pi, self.cx.task_index[pi][t.task.id()]))
            .collect();
        let mut upcoming: Vec<(NaiveDate, TValue)> = tasks
            .iter()
            .enumerate()
            .filter_map(|(ti, t)| match t.task.deadline {
                DeadlineKind::Date(d)
                    if d >= as_of
                        && (d - as_of).num_days() <= 30
                        && !matches!(t.outcome.status, Status::Done | Status::DoneLate) =>
                {
                    Some((d, self.row(pi, ti)))
                }
                _ => None,
            })
            .collect();
        upcoming.sort_by_key(|a| a.0);
        let mut latest: Vec<(NaiveDate, usize, usize)> = tasks
            .iter()
            .flat_map(|t| {
                t.records
                    .iter()
                    .map(move |r| (plan.records[*r].entry.date.value.0, *r, 0))
            })
            .collect();
        latest.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
        let latest: Vec<TValue> = latest
            .iter()
            .take(10)
            .map(|(_, r, _)| self.record_value(pi, *r, true))
            .collect();
        c.insert_value("plan", self.plan_values[pi].clone());
        c.insert_value("summary", self.summaries[pi].clone());
        c.insert_value("overdue", TValue::from(overdue));
        c.insert("overdue_total", &overdue_all.len());
        c.insert("upcoming_total", &upcoming.len());
        c.insert_value(
            "upcoming",
            TValue::from(
                upcoming
                    .into_iter()
                    .take(PAGE_SIZE)
                    .map(|x| x.1)
                    .collect::<Vec<_>>(),
            ),
        );
        c.insert_value("latest", TValue::from(latest));
    }

    fn badge(&self, pi: usize, ri: usize) -> Option<String> {
        self.opts
            .verdicts
            .as_ref()
            .and_then(|v| v.records[pi][ri].badge())
    }

    fn record_value(&self, pi: usize, ri: usize, with_task: bool) -> TValue {
        let plan = &self.site.plans[pi];
        let r = &plan.records[ri].entry;
        let evidence: Vec<TValue> = r
            .evidence
            .iter()
            .map(|e| tmap! {"title" => e.title.as_str(), "url" => e.url.value.as_str()})
            .collect();
        let status_key = match r.status.value {
            crate::model::ProgressStatus::Done => "done",
            crate::model::ProgressStatus::InProgress => "in-progress",
            crate::model::ProgressStatus::NotStarted => "not-started",
        };
        let task = with_task.then(|| {
            tmap! {"id" => r.task.value.as_str(), "href" => format!("{}/tasks/{}.html", plan.id, r.task.value)}
        });
        tmap! {
            "id" => r.id.value.as_str(),
            "date" => cn_date(r.date.value.0),
            "date_iso" => r.date.value.to_string(),
            "unit" => self.unit_link(&r.unit.value),
            "status" => r.status.value.label(),
            "status_key" => status_key,
            "summary" => r.summary.as_str(),
            "evidence" => evidence,
            "badge" => self.badge(pi, ri),
            "task" => task,
        }
    }

    fn home(&self, c: &mut Context) {
        c.insert("meta", &json!({
            "title": self.site.config.title, "kind": "list", "column_name": "首页", "column_type": "首页",
            "description": format!("{}：任务分工与落实情况", self.site.config.title),
            "keywords": "政务公开,工作要点,分工,落实情况",
        }));
        c.insert("crumbs", &Vec::<Value>::new());
        if !self.site.plans.is_empty() {
            self.overview(0, c);
        }
    }

    fn plan_overview(&self, pi: usize, c: &mut Context) {
        let plan = &self.site.plans[pi];
        c.insert("meta", &json!({
            "title": plan.meta.title, "kind": "list", "column_name": plan.meta.title, "column_type": "工作要点",
            "description": format!("{}的任务分工与落实情况", plan.meta.title), "keywords": "政务公开,工作要点",
        }));
        c.insert("crumbs", &self.crumbs(&[(&plan.meta.title, None)]));
        self.overview(pi, c);
    }

    fn category(&self, pi: usize, ci: usize, page: usize, pages: usize, c: &mut Context) {
        let plan = &self.site.plans[pi];
        let cat = &plan.categories[ci];
        let start = (page - 1) * PAGE_SIZE;
        let end = start + PAGE_SIZE;
        let mut i = 0;
        let mut subs = Vec::new();
        for sub in &cat.subcategories {
            let mut rows = Vec::new();
            for t in &sub.tasks {
                if i >= start && i < end {
                    rows.push(self.row(pi, self.cx.task_index[pi][t.id()]));
                }
                i += 1;
            }
            if !rows.is_empty() {
                subs.push(tmap! {"number" => sub.number, "title" => sub.title.as_str(), "tasks" => rows, "anchor" => format!("s{}", sub.number)});
            }
        }
        let title = format!("{}　{}", cat.number, cat.title);
        let page_title = if pages > 1 {
            format!("{title}（第{page}页，共{pages}页）")
        } else {
            title.clone()
        };
        c.insert("meta", &json!({
            "title": format!("{page_title} - {}", plan.meta.title), "kind": "list", "column_name": cat.title, "column_type": "工作任务",
            "description": format!("{}：{}的全部任务、责任单位、完成时限和完成情况", plan.meta.title, cat.title), "keywords": format!("政务公开,{}", cat.title),
        }));
        c.insert(
            "crumbs",
            &self.crumbs(&[
                (&plan.meta.title, Some(format!("{}/index.html", plan.id))),
                (&title, None),
            ]),
        );
        c.insert_value("plan", self.plan_values[pi].clone());
        c.insert(
            "category",
            &json!({"number": cat.number, "title": cat.title, "heading": page_title}),
        );
        c.insert_value("subcategories", TValue::from(subs));
        c.insert_value("tally", self.category_tallies[pi][ci].clone());
        c.insert_value(
            "pagination",
            pagination(
                &format!("{}/categories/{}", plan.id, cat.number),
                page,
                pages,
            ),
        );
    }

    fn segments(&self, text: &str) -> Vec<TValue> {
        let mut out = Vec::new();
        let mut pos = 0;
        for (s, e, id) in self.cx.dir.find_names(text) {
            if s > pos {
                out.push(tmap! {"text" => &text[pos..s]});
            }
            out.push(tmap! {"text" => &text[s..e], "href" => format!("units/{id}.html")});
            pos = e;
        }
        if pos < text.len() {
            out.push(tmap! {"text" => &text[pos..]});
        }
        out
    }

    fn task(&self, pi: usize, ti: usize, c: &mut Context) {
        let plan = &self.site.plans[pi];
        let ts = &self.cx.tasks[pi][ti];
        let t = ts.task;
        let cat = plan.categories.iter().find(|x| x.number == t.category);
        let sub = cat.and_then(|x| x.subcategories.iter().find(|s| s.number == t.subcategory));
        let cells: Vec<TValue> = [
            ("责任单位", &t.entry.responsible_text),
            ("牵头单位", &t.entry.lead_text),
            ("配合单位", &t.entry.cooperating_text),
        ]
        .into_iter()
        .filter_map(|(label, text)| {
            text.as_ref()
                .map(|x| tmap! {"label" => label, "segments" => self.segments(&x.value)})
        })
        .collect();
        let assignees: Vec<TValue> = ts
            .assignees
            .iter()
            .map(|a| {
                let members: Vec<TValue> = a.members.iter().map(|(m, o)| tmap! {"unit" => self.unit_link(m), "status" => status_value(o)}).collect();
                tmap! {"unit" => self.unit_link(a.id), "role" => a.role.label(), "status" => status_value(&a.outcome), "is_group" => self.cx.dir.is_group(a.id), "members" => members}
            })
            .collect();
        let records: Vec<TValue> = ts
            .records
            .iter()
            .map(|r| self.records[pi][*r].clone())
            .collect();
        let cat_title = cat.map_or(String::new(), |x| format!("{}　{}", x.number, x.title));
        let title = format!("任务 {}", t.id());
        c.insert("meta", &json!({
            "title": format!("{title} - {}", plan.meta.title), "kind": "detail", "column_name": cat.map_or("", |x| x.title.as_str()), "column_type": "工作任务",
            "article_title": format!("{}（任务 {}）", sub.map_or("", |s| s.title.as_str()), t.id()),
            "pub_date": format!("{} 00:00", plan.meta.issue_date.value), "content_source": plan.meta.issuer,
            "description": t.entry.text.chars().take(120).collect::<String>(), "keywords": format!("政务公开,{}", sub.map_or("", |s| s.title.as_str())),
        }));
        c.insert(
            "crumbs",
            &self.crumbs(&[
                (&plan.meta.title, Some(format!("{}/index.html", plan.id))),
                (&cat_title, Some(category_path(&plan.id, t.category, 1))),
                (&title, None),
            ]),
        );
        c.insert_value("plan", self.plan_values[pi].clone());
        c.insert_value("task", tmap! {
            "id" => t.id(), "text" => t.entry.text.as_str(), "category" => cat_title, "subcategory" => sub.map_or("", |s| s.title.as_str()),
            "cells" => cells, "and_others" => t.entry.and_others, "deadline" => self.deadline_value(ts), "status" => status_value(&ts.outcome),
            "assignees" => assignees, "records" => records,
        });
    }

    fn units(&self, c: &mut Context) {
        let mut kinds: BTreeMap<crate::model::UnitKind, Vec<TValue>> = BTreeMap::new();
        for u in &self.site.units {
            let lines = self
                .cx
                .ledgers
                .get(u.id.value.as_str())
                .map_or(&[][..], Vec::as_slice);
            kinds.entry(u.kind).or_default().push(tmap! {"unit" => self.unit_link(&u.id.value), "tasks" => lines.len(), "overdue" => Computed::overdue_count(lines)});
        }
        let groups: Vec<TValue> = self.site.groups.iter().map(|g| {
            let lines = self.cx.ledgers.get(g.id.value.as_str()).map_or(&[][..], Vec::as_slice);
            tmap! {"unit" => self.unit_link(&g.id.value), "tasks" => lines.len(), "overdue" => Computed::overdue_count(lines), "members" => self.cx.dir.members.get(g.id.value.as_str()).map_or(0, Vec::len)}
        }).collect();
        let kinds: Vec<TValue> = kinds
            .into_iter()
            .map(|(k, v)| tmap! {"label" => k.label(), "units" => v})
            .collect();
        c.insert("meta", &json!({"title": "工作台账：责任单位", "kind": "list", "column_name": "工作台账", "column_type": "责任单位",
            "description": "各责任单位和单位组的工作台账", "keywords": "工作台账,责任单位"}));
        c.insert("crumbs", &self.crumbs(&[("工作台账", None)]));
        c.insert_value("kinds", TValue::from(kinds));
        c.insert_value("groups", TValue::from(groups));
    }

    fn ledger(&self, id: &str, page: usize, pages: usize, c: &mut Context) {
        let lines: &[LedgerLine] = self.cx.ledgers.get(id).map_or(&[][..], Vec::as_slice);
        let start = ((page - 1) * PAGE_SIZE).min(lines.len());
        let end = (start + PAGE_SIZE).min(lines.len());
        let rows: Vec<TValue> = lines[start..end]
            .iter()
            .map(|l| {
                let plan = &self.site.plans[l.plan];
                let ts = &self.cx.tasks[l.plan][l.task];
                let latest = ts
                    .records
                    .iter()
                    .rev()
                    .find(|r| plan.records[**r].entry.unit.value == id)
                    .map(|r| self.records[l.plan][*r].clone());
                tmap! {
                    "plan" => plan.meta.title.as_str(), "plan_id" => plan.id.as_str(),
                    "task" => self.row(l.plan, l.task), "role" => l.role.label(),
                    "via" => l.via.as_deref().map(|g| self.unit_link(g)),
                    "status" => status_value(&l.outcome), "latest" => latest,
                }
            })
            .collect();
        let name = self.cx.dir.name(id);
        c.insert("meta", &json!({"title": format!("{name}工作台账"), "kind": "list", "column_name": "工作台账", "column_type": "责任单位",
            "description": format!("{name}牵头或参与的全部任务及完成情况"), "keywords": format!("工作台账,{name}")}));
        if pages > 1 {
            c.insert("meta", &json!({"title": format!("{name}工作台账（第{page}页，共{pages}页）"), "kind": "list", "column_name": "工作台账", "column_type": "责任单位",
                "description": format!("{name}牵头或参与的全部任务及完成情况"), "keywords": format!("工作台账,{name}")}));
        }
        c.insert(
            "crumbs",
            &self.crumbs(&[("工作台账", Some("units/index.html".into())), (name, None)]),
        );
        c.insert_value(
            "pagination",
            pagination(&format!("units/{id}"), page, pages),
        );
        let head = self
            .unit_heads
            .get(id)
            .cloned()
            .unwrap_or_else(|| self.unit_head(id));
        c.insert_value("unit", head);
        c.insert_value("rows", TValue::from(rows));
    }

    /// The head of a unit's or group's ledger (who, counts by status): the same on every page
    /// of the ledger, so built once per build.
    fn unit_head(&self, id: &str) -> TValue {
        let lines: &[LedgerLine] = self.cx.ledgers.get(id).map_or(&[][..], Vec::as_slice);
        let mut tally = crate::status::Tally::default();
        for l in lines {
            tally.add(l.outcome.status);
        }
        let party = self.cx.dir.by_id.get(id).copied();
        let (kind, members, groups, note, aliases): (
            String,
            Vec<TValue>,
            Vec<TValue>,
            _,
            Vec<String>,
        ) = match party {
            Some(Party::Unit(u)) => (
                u.kind.label().to_string(),
                Vec::new(),
                self.cx
                    .dir
                    .groups_of
                    .get(id)
                    .map(|gs| gs.iter().map(|g| self.unit_link(g)).collect())
                    .unwrap_or_default(),
                None,
                u.aliases
                    .iter()
                    .map(|a| a.value.clone())
                    .collect::<Vec<_>>(),
            ),
            Some(Party::Group(g)) => (
                "单位组".to_string(),
                self.cx
                    .dir
                    .members
                    .get(id)
                    .map(|ms| ms.iter().map(|m| self.unit_link(m)).collect())
                    .unwrap_or_default(),
                Vec::new(),
                g.note.clone(),
                g.aliases.iter().map(|a| a.value.clone()).collect(),
            ),
            None => (String::new(), Vec::new(), Vec::new(), None, Vec::new()),
        };
        let name = self.cx.dir.name(id);
        let counts: Vec<TValue> = Status::ALL
            .iter()
            .map(|s| tmap! {"key" => s.key(), "label" => s.label(), "count" => tally.get(*s)})
            .collect();
        tmap! {"id" => id, "name" => name, "kind" => kind, "is_group" => self.cx.dir.is_group(id), "members" => members,
        "groups" => groups, "note" => note, "aliases" => aliases, "overdue" => Computed::overdue_count(lines), "total" => lines.len(), "counts" => counts}
    }

    fn pilots(&self, pi: usize, c: &mut Context) {
        let plan = &self.site.plans[pi];
        let batches: Vec<TValue> = plan.pilots.iter().map(|b| {
            let tasks: Vec<TValue> = b.tasks.iter().filter_map(|t| self.cx.task_index[pi].get(t.value.as_str())).map(|ti| self.row(pi, *ti)).collect();
            tmap! {"id" => b.id.value.as_str(), "name" => b.name.as_str(), "source" => TValue::from_serializable(&b.source),
                "townships" => b.townships.iter().map(|u| self.unit_link(&u.value)).collect::<Vec<_>>(),
                "departments" => b.departments.iter().map(|u| self.unit_link(&u.value)).collect::<Vec<_>>(),
                "tasks" => tasks}
        }).collect();
        c.insert("meta", &json!({"title": format!("先行单位 - {}", plan.meta.title), "kind": "list", "column_name": "先行单位", "column_type": "先行单位",
            "description": "深化政务公开促进基层政府治理能力提升先行单位名单", "keywords": "先行单位,基层政务公开"}));
        c.insert(
            "crumbs",
            &self.crumbs(&[
                (&plan.meta.title, Some(format!("{}/index.html", plan.id))),
                ("先行单位", None),
            ]),
        );
        c.insert_value("plan", self.plan_values[pi].clone());
        c.insert_value("batches", TValue::from(batches));
    }

    fn timeline(&self, pi: usize, c: &mut Context) {
        let plan = &self.site.plans[pi];
        let sections: Vec<TValue> = self.timelines[pi]
            .iter()
            .map(|sec| {
                let rows: Vec<TValue> = if sec.inline {
                    sec.tasks.iter().map(|ti| self.row(pi, *ti)).collect()
                } else {
                    Vec::new()
                };
                let mut tally = crate::status::Tally::default();
                for ti in &sec.tasks {
                    tally.add(self.cx.tasks[pi][*ti].outcome.status);
                }
                let counts: Vec<TValue> = Status::ALL.iter().filter(|s| tally.get(**s) > 0).map(|s| tmap! {"label" => s.label(), "count" => tally.get(*s)}).collect();
                tmap! {"title" => sec.title.as_str(), "anchor" => sec.key.as_str(), "total" => sec.tasks.len(), "tasks" => rows, "counts" => counts,
                    "more" => (!sec.inline).then(|| numbered(&format!("{}/timeline/{}", plan.id, sec.key), 1))}
            })
            .collect();
        c.insert("meta", &json!({"title": format!("时间表 - {}", plan.meta.title), "kind": "list", "column_name": "时间表", "column_type": "时间表",
            "description": "按完成时限排列的全部任务", "keywords": "时间表,完成时限"}));
        c.insert(
            "crumbs",
            &self.crumbs(&[
                (&plan.meta.title, Some(format!("{}/index.html", plan.id))),
                ("时间表", None),
            ]),
        );
        c.insert_value("plan", self.plan_values[pi].clone());
        c.insert_value("sections", TValue::from(sections));
    }

    /// One page of a timeline section too long for the timeline page itself.
    fn timeline_list(&self, pi: usize, si: usize, page: usize, pages: usize, c: &mut Context) {
        let plan = &self.site.plans[pi];
        let sec = &self.timelines[pi][si];
        let start = ((page - 1) * PAGE_SIZE).min(sec.tasks.len());
        let end = (start + PAGE_SIZE).min(sec.tasks.len());
        let rows: Vec<TValue> = sec.tasks[start..end]
            .iter()
            .map(|ti| self.row(pi, *ti))
            .collect();
        let heading = format!(
            "{}（共 {} 项，第{page}页，共{pages}页）",
            sec.title,
            sec.tasks.len()
        );
        c.insert("meta", &json!({"title": format!("时间表：{heading} - {}", plan.meta.title), "kind": "list", "column_name": "时间表", "column_type": "时间表",
            "description": format!("完成时限为{}的任务", sec.title), "keywords": "时间表,完成时限"}));
        c.insert(
            "crumbs",
            &self.crumbs(&[
                (&plan.meta.title, Some(format!("{}/index.html", plan.id))),
                ("时间表", Some(format!("{}/timeline.html", plan.id))),
                (&sec.title, None),
            ]),
        );
        c.insert_value("plan", self.plan_values[pi].clone());
        c.insert_value(
            "section",
            tmap! {"title" => sec.title.as_str(), "heading" => heading, "tasks" => rows},
        );
        c.insert_value(
            "pagination",
            pagination(&format!("{}/timeline/{}", plan.id, sec.key), page, pages),
        );
    }

    fn page(&self, i: usize, c: &mut Context) {
        let p = &self.site.pages[i];
        let date = p
            .front
            .date
            .as_ref()
            .map_or(self.cx.rules.as_of, |d| d.value.0);
        c.insert("meta", &json!({"title": p.front.title, "kind": "detail", "column_name": p.front.title, "column_type": "页面",
            "article_title": p.front.title, "pub_date": format!("{} 00:00", date.format("%Y-%m-%d")), "content_source": self.site.config.portal.sponsor,
            "description": p.front.description.clone().unwrap_or_else(|| p.front.title.clone()), "keywords": p.front.title}));
        c.insert("crumbs", &self.crumbs(&[(&p.front.title, None)]));
        let badge = self.opts.verdicts.as_ref().and_then(|v| v.pages[i].badge());
        c.insert(
            "page",
            &json!({"title": p.front.title, "html": markdown::render(&p.body), "badge": badge}),
        );
    }

    /// Preview only: everything awaiting each review stage, linked to where it shows.
    fn review_queue(&self, c: &mut Context) {
        use crate::review::State;
        let Some(v) = self.opts.verdicts.as_ref() else {
            return;
        };
        let mut groups: BTreeMap<(u8, String), Vec<Value>> = BTreeMap::new();
        for (pi, plan) in self.site.plans.iter().enumerate() {
            for (ri, r) in plan.records.iter().enumerate() {
                let vd = &v.records[pi][ri];
                if vd.publishable() {
                    continue;
                }
                let order = match vd.state {
                    State::AwaitFirst => 0,
                    State::AwaitSecond => 1,
                    State::AwaitFinal => 2,
                    State::Signed => 3,
                };
                let e = &r.entry;
                groups.entry((order, vd.badge().unwrap_or_default())).or_default().push(json!({
                    "title": format!("{} 报送的任务 {} 进展（{}）", self.cx.dir.name(&e.unit.value), e.task.value, e.date.value),
                    "href": format!("{}/tasks/{}.html#r-{}", plan.id, e.task.value, e.id.value),
                    "source": format!("{}#{}", r.path, e.id.value),
                    "note": vd.changed_after.map(|s| format!("{}后内容有改动", s.label())),
                }));
            }
        }
        for (i, p) in self.site.pages.iter().enumerate() {
            let vd = &v.pages[i];
            if vd.publishable() {
                continue;
            }
            let order = match vd.state {
                State::AwaitFirst => 0,
                State::AwaitSecond => 1,
                State::AwaitFinal => 2,
                State::Signed => 3,
            };
            groups.entry((order, vd.badge().unwrap_or_default())).or_default().push(json!({
                "title": format!("页面：{}", p.front.title), "href": format!("pages/{}.html", p.slug), "source": p.path,
                "note": vd.changed_after.map(|s| format!("{}后内容有改动", s.label())),
            }));
        }
        let groups: Vec<Value> = groups
            .into_iter()
            .map(|((_, label), items)| json!({"label": label, "items": items}))
            .collect();
        c.insert("meta", &json!({"title": "待审核条目", "kind": "list", "column_name": "待审核", "column_type": "预览",
            "description": "预览：等待初审、复审、终审的条目", "keywords": "三审"}));
        c.insert("crumbs", &self.crumbs(&[("待审核条目", None)]));
        c.insert("groups", &groups);
    }
}

/// A group of tasks on the timeline: one deadline month, or one kind of deadline.
struct TimelineSection {
    /// ASCII key (anchor and file name): `m2023-08`, `timely`, `ongoing`, `text`, `none`.
    key: String,
    /// Title: 2023年8月, 及时公开 …
    title: String,
    /// Task indexes in deadline order.
    tasks: Vec<usize>,
    /// Shown in full on the timeline page; otherwise the page gives its counts and links to
    /// paginated list pages. Sections are inlined in order while the page stays within
    /// [`PAGE_SIZE`] rows.
    inline: bool,
}

fn timeline_sections(tasks: &[TaskStatus<'_>]) -> Vec<TimelineSection> {
    let mut months: BTreeMap<(i32, u32), Vec<(NaiveDate, usize)>> = BTreeMap::new();
    let mut others: BTreeMap<u8, Vec<usize>> = BTreeMap::new();
    for (ti, ts) in tasks.iter().enumerate() {
        match ts.task.deadline {
            DeadlineKind::Date(d) => months
                .entry((d.year(), d.month()))
                .or_default()
                .push((d, ti)),
            DeadlineKind::Timely => others.entry(0).or_default().push(ti),
            DeadlineKind::Ongoing => others.entry(1).or_default().push(ti),
            DeadlineKind::Text => others.entry(2).or_default().push(ti),
            DeadlineKind::None => others.entry(3).or_default().push(ti),
        }
    }
    let mut out: Vec<TimelineSection> = months
        .into_iter()
        .map(|((y, m), mut v)| {
            v.sort_by_key(|x| x.0);
            TimelineSection {
                key: format!("m{y}-{m:02}"),
                title: format!("{y}年{m}月到期"),
                tasks: v.into_iter().map(|x| x.1).collect(),
                inline: false,
            }
        })
        .collect();
    for (o, v) in others {
        let (key, title) = match o {
            0 => ("timely", "及时公开"),
            1 => ("ongoing", "长期坚持"),
            2 => ("text", "其他时限"),
            _ => ("none", "未规定时限"),
        };
        out.push(TimelineSection {
            key: key.into(),
            title: title.into(),
            tasks: v,
            inline: false,
        });
    }
    let mut budget = PAGE_SIZE;
    for sec in &mut out {
        if sec.tasks.len() <= budget {
            sec.inline = true;
            budget -= sec.tasks.len();
        }
    }
    out
}

/// `base.html` for page 1, `base-N.html` after.
fn numbered(base: &str, page: usize) -> String {
    if page <= 1 {
        format!("{base}.html")
    } else {
        format!("{base}-{page}.html")
    }
}

/// Pagination context for `partials/pagination.html`.
/// Pages linked from a pager: the first, the last and two either side of the current one,
/// with a gap (`None`) where pages are left out, so the pager stays short however long the
/// list (and costs the same on every page).
fn pager_window(page: usize, pages: usize) -> Vec<Option<usize>> {
    let shown = |n: usize| n == 1 || n == pages || n.abs_diff(page) <= 2;
    let mut out = Vec::new();
    let mut n = 1;
    while n <= pages {
        if shown(n) {
            out.push(Some(n));
            n += 1;
        } else {
            out.push(None);
            // Skip to the next shown page.
            n = if n < page {
                page.saturating_sub(2)
            } else {
                pages
            };
        }
    }
    out
}

fn pagination(base: &str, page: usize, pages: usize) -> TValue {
    let links: Vec<TValue> = pager_window(page, pages)
        .into_iter()
        .map(|n| match n {
            Some(p) => tmap! {"n" => p, "href" => numbered(base, p), "current" => p == page},
            None => tmap! {"gap" => true},
        })
        .collect();
    tmap! {"page" => page, "pages" => pages, "links" => links,
    "prev" => (page > 1).then(|| numbered(base, page - 1)),
    "next" => (page < pages).then(|| numbered(base, page + 1))}
}

/// Path of a category page (page 1 has no suffix).
pub fn category_path(plan: &str, number: u32, page: usize) -> String {
    numbered(&format!("{plan}/categories/{number}"), page)
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

#[cfg(test)]
mod tests {
    use super::pager_window;

    #[test]
    fn pager_shows_ends_and_neighbours_with_gaps() {
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
