//! Render: the list of pages to produce (jobs), their view data, and Tera templates.
//! Rendering runs in parallel (rayon) through one compiled `Tera`.

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
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use tera::{Context, Tera};

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
    /// Status summary of each plan, computed once (category pages show one row of it).
    summaries: Vec<Value>,
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

fn status_json(o: &Outcome) -> Value {
    json!({
        "key": o.status.key(),
        "label": o.status.label(),
        "stale": o.stale,
        "last_update": o.last_update.map(cn_date),
    })
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
            timelines: Vec::new(),
        };
        r.summaries = (0..site.plans.len()).map(|pi| r.summary(pi)).collect();
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

    /// Render every page, asset and data file. Fails on the first template error, naming it.
    pub fn render_all(&self) -> Result<Vec<OutFile>, RenderError> {
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
                order
                    .par_iter()
                    .with_max_len(1)
                    .map(|i| {
                        let (path, job) = &jobs[*i];
                        let t0 = std::time::Instant::now();
                        let html = self.render_job(path, job)?;
                        let t1 = std::time::Instant::now();
                        let bytes = minify(&html);
                        STAGE_NS[0].fetch_add(nanos(t1 - t0), Relaxed);
                        STAGE_NS[1].fetch_add(nanos(t1.elapsed()), Relaxed);
                        Ok(OutFile {
                            path: path.clone(),
                            bytes,
                        })
                    })
                    .collect::<Result<Vec<OutFile>, RenderError>>()
            },
            || data::machine_files(self.site, self.cx, &html_paths),
        );
        let mut files = pages?;
        for (path, bytes) in &self.assets {
            files.push(OutFile {
                path: path.clone(),
                bytes: bytes.clone(),
            });
        }
        files.extend(data);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// Every HTML page as the templates write it, before minification (path, HTML): what the
    /// tests compare the minifier against.
    pub fn render_pages_unminified(&self) -> Result<Vec<(String, String)>, RenderError> {
        self.jobs()
            .par_iter()
            .map(|(path, job)| Ok((path.clone(), self.render_job(path, job)?)))
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
        let mut files: Vec<OutFile> = jobs
            .par_iter()
            .filter(|(path, _)| keep(path))
            .map(|(path, job)| {
                let html = self.render_job(path, job)?;
                Ok(OutFile {
                    path: path.clone(),
                    bytes: minify(&html),
                })
            })
            .collect::<Result<_, RenderError>>()?;
        files.extend(data::machine_files(self.site, self.cx, &html_paths));
        Ok(files)
    }

    fn render_job(&self, path: &str, job: &Job) -> Result<String, RenderError> {
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
        self.tera.render(template, &c).map_err(|e| {
            RenderError(format!(
                "生成页面 {path} 失败（模板 {template}）：{}",
                error_chain(&e)
            ))
        })
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
        let min = minify_reference(&format!("<style>{css}</style>"));
        let min = String::from_utf8_lossy(&min);
        min.strip_prefix("<style>")
            .and_then(|m| m.strip_suffix("</style>"))
            .unwrap_or(&css)
            .to_string()
    }

    fn unit_link(&self, id: &str) -> Value {
        json!({"id": id, "name": self.cx.dir.name(id), "href": format!("units/{id}.html")})
    }

    fn deadline_json(&self, ts: &TaskStatus<'_>) -> Value {
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
        json!({"text": text, "kind": kind, "kind_label": t.deadline.label(), "meaning": meaning})
    }

    /// A light summary of a task for list pages (no records, no member lists).
    fn task_row(&self, plan: &Plan, ts: &TaskStatus<'_>) -> Value {
        let t = ts.task;
        let units: Vec<Value> = t
            .assignees()
            .into_iter()
            .filter(|id| self.cx.dir.by_id.contains_key(id))
            .map(|id| self.unit_link(id))
            .collect();
        json!({
            "id": t.id(),
            "href": format!("{}/tasks/{}.html", plan.id, t.id()),
            "text": t.entry.text,
            "units": units,
            "and_others": t.entry.and_others,
            "deadline": self.deadline_json(ts),
            "status": status_json(&ts.outcome),
        })
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
        let overdue: Vec<Value> = overdue_all
            .iter()
            .take(PAGE_SIZE)
            .map(|t| self.task_row(plan, t))
            .collect();
        let mut upcoming: Vec<(NaiveDate, Value)> = tasks
            .iter()
            .filter_map(|t| match t.task.deadline {
                DeadlineKind::Date(d)
                    if d >= as_of
                        && (d - as_of).num_days() <= 30
                        && !matches!(t.outcome.status, Status::Done | Status::DoneLate) =>
                {
                    Some((d, self.task_row(plan, t)))
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
        let latest: Vec<Value> = latest
            .iter()
            .take(10)
            .map(|(_, r, _)| self.record_json(pi, *r, true))
            .collect();
        c.insert("plan", &self.plan_json(plan));
        c.insert("summary", &self.summaries[pi]);
        c.insert("overdue", &overdue);
        c.insert("overdue_total", &overdue_all.len());
        c.insert("upcoming_total", &upcoming.len());
        c.insert(
            "upcoming",
            &upcoming
                .into_iter()
                .take(PAGE_SIZE)
                .map(|x| x.1)
                .collect::<Vec<_>>(),
        );
        c.insert("latest", &latest);
    }

    fn badge(&self, pi: usize, ri: usize) -> Option<String> {
        self.opts
            .verdicts
            .as_ref()
            .and_then(|v| v.records[pi][ri].badge())
    }

    fn record_json(&self, pi: usize, ri: usize, with_task: bool) -> Value {
        let plan = &self.site.plans[pi];
        let r = &plan.records[ri].entry;
        let mut v = json!({
            "id": r.id.value,
            "date": cn_date(r.date.value.0),
            "date_iso": r.date.value.to_string(),
            "unit": self.unit_link(&r.unit.value),
            "status": r.status.value.label(),
            "status_key": match r.status.value { crate::model::ProgressStatus::Done => "done", crate::model::ProgressStatus::InProgress => "in-progress", crate::model::ProgressStatus::NotStarted => "not-started" },
            "summary": r.summary,
            "evidence": r.evidence.iter().map(|e| json!({"title": e.title, "url": e.url.value})).collect::<Vec<_>>(),
            "badge": self.badge(pi, ri),
        });
        if with_task {
            v["task"] = json!({"id": r.task.value, "href": format!("{}/tasks/{}.html", plan.id, r.task.value)});
        }
        v
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
                    let ti = self.cx.task_index[pi][t.id()];
                    rows.push(self.task_row(plan, &self.cx.tasks[pi][ti]));
                }
                i += 1;
            }
            if !rows.is_empty() {
                subs.push(json!({"number": sub.number, "title": sub.title, "tasks": rows, "anchor": format!("s{}", sub.number)}));
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
        c.insert("plan", &self.plan_json(plan));
        c.insert(
            "category",
            &json!({"number": cat.number, "title": cat.title, "heading": page_title}),
        );
        c.insert("subcategories", &subs);
        c.insert("tally", &self.summaries[pi]["categories"][ci]);
        c.insert(
            "pagination",
            &pagination(
                &format!("{}/categories/{}", plan.id, cat.number),
                page,
                pages,
            ),
        );
    }

    fn segments(&self, text: &str) -> Vec<Value> {
        let mut out = Vec::new();
        let mut pos = 0;
        for (s, e, id) in self.cx.dir.find_names(text) {
            if s > pos {
                out.push(json!({"text": &text[pos..s]}));
            }
            out.push(json!({"text": &text[s..e], "href": format!("units/{id}.html")}));
            pos = e;
        }
        if pos < text.len() {
            out.push(json!({"text": &text[pos..]}));
        }
        out
    }

    fn task(&self, pi: usize, ti: usize, c: &mut Context) {
        let plan = &self.site.plans[pi];
        let ts = &self.cx.tasks[pi][ti];
        let t = ts.task;
        let cat = plan.categories.iter().find(|x| x.number == t.category);
        let sub = cat.and_then(|x| x.subcategories.iter().find(|s| s.number == t.subcategory));
        let cells: Vec<Value> = [
            ("责任单位", &t.entry.responsible_text),
            ("牵头单位", &t.entry.lead_text),
            ("配合单位", &t.entry.cooperating_text),
        ]
        .into_iter()
        .filter_map(|(label, text)| {
            text.as_ref()
                .map(|x| json!({"label": label, "segments": self.segments(&x.value)}))
        })
        .collect();
        let assignees: Vec<Value> = ts
            .assignees
            .iter()
            .map(|a| {
                let members: Vec<Value> = a.members.iter().map(|(m, o)| json!({"unit": self.unit_link(m), "status": status_json(o)})).collect();
                json!({"unit": self.unit_link(a.id), "role": a.role.label(), "status": status_json(&a.outcome), "is_group": self.cx.dir.is_group(a.id), "members": members})
            })
            .collect();
        let records: Vec<Value> = ts
            .records
            .iter()
            .map(|r| self.record_json(pi, *r, false))
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
        c.insert("plan", &self.plan_json(plan));
        c.insert("task", &json!({
            "id": t.id(), "text": t.entry.text, "category": cat_title, "subcategory": sub.map_or("", |s| s.title.as_str()),
            "cells": cells, "and_others": t.entry.and_others, "deadline": self.deadline_json(ts), "status": status_json(&ts.outcome),
            "assignees": assignees, "records": records,
        }));
    }

    fn units(&self, c: &mut Context) {
        let mut kinds: BTreeMap<crate::model::UnitKind, Vec<Value>> = BTreeMap::new();
        for u in &self.site.units {
            let lines = self
                .cx
                .ledgers
                .get(u.id.value.as_str())
                .map_or(&[][..], Vec::as_slice);
            kinds.entry(u.kind).or_default().push(json!({"unit": self.unit_link(&u.id.value), "tasks": lines.len(), "overdue": Computed::overdue_count(lines)}));
        }
        let groups: Vec<Value> = self.site.groups.iter().map(|g| {
            let lines = self.cx.ledgers.get(g.id.value.as_str()).map_or(&[][..], Vec::as_slice);
            json!({"unit": self.unit_link(&g.id.value), "tasks": lines.len(), "overdue": Computed::overdue_count(lines), "members": self.cx.dir.members.get(g.id.value.as_str()).map_or(0, Vec::len)})
        }).collect();
        let kinds: Vec<Value> = kinds
            .into_iter()
            .map(|(k, v)| json!({"label": k.label(), "units": v}))
            .collect();
        c.insert("meta", &json!({"title": "工作台账：责任单位", "kind": "list", "column_name": "工作台账", "column_type": "责任单位",
            "description": "各责任单位和单位组的工作台账", "keywords": "工作台账,责任单位"}));
        c.insert("crumbs", &self.crumbs(&[("工作台账", None)]));
        c.insert("kinds", &kinds);
        c.insert("groups", &groups);
    }

    fn ledger(&self, id: &str, page: usize, pages: usize, c: &mut Context) {
        let lines: &[LedgerLine] = self.cx.ledgers.get(id).map_or(&[][..], Vec::as_slice);
        let mut tally = crate::status::Tally::default();
        for l in lines {
            tally.add(l.outcome.status);
        }
        let start = ((page - 1) * PAGE_SIZE).min(lines.len());
        let end = (start + PAGE_SIZE).min(lines.len());
        let rows: Vec<Value> = lines[start..end]
            .iter()
            .map(|l| {
                let plan = &self.site.plans[l.plan];
                let ts = &self.cx.tasks[l.plan][l.task];
                let latest = ts
                    .records
                    .iter()
                    .rev()
                    .find(|r| plan.records[**r].entry.unit.value == id)
                    .map(|r| self.record_json(l.plan, *r, false));
                json!({
                    "plan": plan.meta.title, "plan_id": plan.id,
                    "task": self.task_row(plan, ts), "role": l.role.label(),
                    "via": l.via.as_deref().map(|g| self.unit_link(g)),
                    "status": status_json(&l.outcome), "latest": latest,
                })
            })
            .collect();
        let party = self.cx.dir.by_id.get(id).copied();
        let (kind, members, groups, note, aliases) = match party {
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
        let counts: Vec<Value> = Status::ALL
            .iter()
            .map(|s| json!({"key": s.key(), "label": s.label(), "count": tally.get(*s)}))
            .collect();
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
        c.insert(
            "pagination",
            &pagination(&format!("units/{id}"), page, pages),
        );
        c.insert("unit", &json!({"id": id, "name": name, "kind": kind, "is_group": self.cx.dir.is_group(id), "members": members,
            "groups": groups, "note": note, "aliases": aliases, "overdue": Computed::overdue_count(lines), "total": lines.len(), "counts": counts}));
        c.insert("rows", &rows);
    }

    fn pilots(&self, pi: usize, c: &mut Context) {
        let plan = &self.site.plans[pi];
        let batches: Vec<Value> = plan.pilots.iter().map(|b| {
            let tasks: Vec<Value> = b.tasks.iter().filter_map(|t| self.cx.task_index[pi].get(t.value.as_str())).map(|ti| self.task_row(plan, &self.cx.tasks[pi][*ti])).collect();
            json!({"id": b.id.value, "name": b.name, "source": b.source,
                "townships": b.townships.iter().map(|u| self.unit_link(&u.value)).collect::<Vec<_>>(),
                "departments": b.departments.iter().map(|u| self.unit_link(&u.value)).collect::<Vec<_>>(),
                "tasks": tasks})
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
        c.insert("plan", &self.plan_json(plan));
        c.insert("batches", &batches);
    }

    fn timeline(&self, pi: usize, c: &mut Context) {
        let plan = &self.site.plans[pi];
        let sections: Vec<Value> = self.timelines[pi]
            .iter()
            .map(|sec| {
                let rows: Vec<Value> = if sec.inline {
                    sec.tasks.iter().map(|ti| self.task_row(plan, &self.cx.tasks[pi][*ti])).collect()
                } else {
                    Vec::new()
                };
                let mut tally = crate::status::Tally::default();
                for ti in &sec.tasks {
                    tally.add(self.cx.tasks[pi][*ti].outcome.status);
                }
                let counts: Vec<Value> = Status::ALL.iter().filter(|s| tally.get(**s) > 0).map(|s| json!({"label": s.label(), "count": tally.get(*s)})).collect();
                json!({"title": sec.title, "anchor": sec.key, "total": sec.tasks.len(), "tasks": rows, "counts": counts,
                    "more": (!sec.inline).then(|| numbered(&format!("{}/timeline/{}", plan.id, sec.key), 1))})
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
        c.insert("plan", &self.plan_json(plan));
        c.insert("sections", &sections);
    }

    /// One page of a timeline section too long for the timeline page itself.
    fn timeline_list(&self, pi: usize, si: usize, page: usize, pages: usize, c: &mut Context) {
        let plan = &self.site.plans[pi];
        let sec = &self.timelines[pi][si];
        let start = ((page - 1) * PAGE_SIZE).min(sec.tasks.len());
        let end = (start + PAGE_SIZE).min(sec.tasks.len());
        let rows: Vec<Value> = sec.tasks[start..end]
            .iter()
            .map(|ti| self.task_row(plan, &self.cx.tasks[pi][*ti]))
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
        c.insert("plan", &self.plan_json(plan));
        c.insert(
            "section",
            &json!({"title": sec.title, "heading": heading, "tasks": rows}),
        );
        c.insert(
            "pagination",
            &pagination(&format!("{}/timeline/{}", plan.id, sec.key), page, pages),
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
fn pagination(base: &str, page: usize, pages: usize) -> Value {
    let links: Vec<Value> = (1..=pages)
        .map(|p| json!({"n": p, "href": numbered(base, p), "current": p == page}))
        .collect();
    json!({"page": page, "pages": pages, "links": links,
        "prev": (page > 1).then(|| numbered(base, page - 1)),
        "next": (page < pages).then(|| numbered(base, page + 1))})
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

/// minify-html, configured to keep pages valid for HTML checkers: the reference that
/// [`minify::minify`] is tested against, and the CSS minifier of the 404 page's inline styles.
pub fn minify_reference(html: &str) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_css = true;
    cfg.minify_js = false;
    minify_html::minify(html.as_bytes(), &cfg)
}
