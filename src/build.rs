//! The build pipeline after loading: compute status → render (parallel) → write (staging,
//! atomic swap).

use crate::compute::Computed;
use crate::render::{Emit, RenderError, RenderOptions, Renderer, theme::Theme};
use crate::site::Site;
use crate::status::Rules;
use crate::write::{Staging, WriteError};
use std::path::Path;
use std::sync::atomic::AtomicUsize;

/// What a build produced.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    /// Files written.
    pub files: usize,
    /// HTML pages.
    pub pages: usize,
    /// Bytes written.
    pub bytes: usize,
}

/// How far a build is, for a progress display: updated from the rendering threads, read from
/// another.
#[derive(Debug, Default)]
pub struct Progress {
    /// HTML pages written so far.
    pub pages_done: AtomicUsize,
    /// HTML pages to write (0 until rendering starts).
    pub pages_total: AtomicUsize,
}

/// Why a build failed.
#[derive(Debug)]
pub enum BuildError {
    /// Theme could not be loaded (environment).
    Theme(String),
    /// A template failed (the theme or content must be fixed).
    Render(RenderError),
    /// Writing failed or the output folder is not ours.
    Write(WriteError),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Theme(s) => f.write_str(s),
            BuildError::Render(e) => write!(f, "{e}"),
            BuildError::Write(e) => write!(f, "{e}"),
        }
    }
}

/// Render every file of the site in memory.
pub fn render_site(
    root: &Path,
    site: &Site,
    as_of: chrono::NaiveDate,
    opts: RenderOptions,
) -> Result<Vec<crate::render::OutFile>, BuildError> {
    let rules = Rules {
        as_of,
        stale_after_days: site.config.stale_after_days,
    };
    let cx = Computed::new(site, rules, &|_, _| true);
    let theme = Theme::load(root, &site.config.theme).map_err(BuildError::Theme)?;
    let r = Renderer::new(site, &cx, theme, opts).map_err(BuildError::Render)?;
    r.render_all().map_err(BuildError::Render)
}

/// Build the published site into `out`.
///
/// With `GONGKAI_TIMINGS=1` in the environment, prints the time of each stage to stderr (the
/// work done is the same).
pub fn build(
    root: &Path,
    site: &Site,
    as_of: chrono::NaiveDate,
    out: &Path,
    progress: &Progress,
) -> Result<Stats, BuildError> {
    use std::sync::atomic::Ordering::Relaxed;
    use std::time::Instant;
    crate::write::check_output(out).map_err(BuildError::Write)?;
    let t0 = Instant::now();
    let rules = Rules {
        as_of,
        stale_after_days: site.config.stale_after_days,
    };
    let cx = Computed::new(site, rules, &|_, _| true);
    let t1 = Instant::now();
    let theme = Theme::load(root, &site.config.theme).map_err(BuildError::Theme)?;
    let r =
        Renderer::new(site, &cx, theme, RenderOptions::default()).map_err(BuildError::Render)?;
    let t2 = Instant::now();
    let ns0 = crate::render::STAGE_NS.each_ref().map(|a| a.load(Relaxed));
    // Pages are written into the staging folder as they are rendered.
    let staging = Staging::new(out).map_err(BuildError::Write)?;
    progress.pages_total.store(r.page_count(), Relaxed);
    let (files, pages, bytes) = (
        AtomicUsize::new(0),
        AtomicUsize::new(0),
        AtomicUsize::new(0),
    );
    let write_ns = std::sync::atomic::AtomicU64::new(0);
    r.render_each(&|f| {
        let w0 = Instant::now();
        staging.write(&f)?;
        write_ns.fetch_add(
            u64::try_from(w0.elapsed().as_nanos()).unwrap_or(u64::MAX),
            Relaxed,
        );
        files.fetch_add(1, Relaxed);
        if f.path.ends_with(".html") {
            pages.fetch_add(1, Relaxed);
            progress.pages_done.fetch_add(1, Relaxed);
        }
        bytes.fetch_add(f.bytes.len(), Relaxed);
        Ok(())
    })
    .map_err(|e| match e {
        Emit::Render(e) => BuildError::Render(e),
        Emit::Sink(e) => BuildError::Write(e),
    })?;
    let t3 = Instant::now();
    staging.publish().map_err(BuildError::Write)?;
    let t4 = Instant::now();
    if std::env::var_os("GONGKAI_TIMINGS").is_some_and(|v| v == "1") {
        let cpu = |i: usize| (crate::render::STAGE_NS[i].load(Relaxed) - ns0[i]) as f64 / 1e9;
        #[allow(clippy::print_stderr)]
        {
            eprintln!(
                "timings: status {:.3}s, templates+shared rows {:.3}s, render+minify+write {:.3}s wall (render {:.3}s + minify {:.3}s + write {:.3}s thread time on {} threads), publish {:.3}s",
                (t1 - t0).as_secs_f64(),
                (t2 - t1).as_secs_f64(),
                (t3 - t2).as_secs_f64(),
                cpu(0),
                cpu(1),
                write_ns.into_inner() as f64 / 1e9,
                rayon::current_num_threads(),
                (t4 - t3).as_secs_f64(),
            );
        }
    }
    Ok(Stats {
        files: files.into_inner(),
        pages: pages.into_inner(),
        bytes: bytes.into_inner(),
    })
}

/// An item left out of the published site, and why.
#[derive(Debug, Clone)]
pub struct Held {
    /// `path#id` of the item.
    pub item: String,
    /// Why (待初审, 不予公开, changed after 终审 …).
    pub reason: String,
}

/// The publication gate: `site` holding only the records and pages whose 终审 matches and
/// whose attribute is 主动公开, and the list of what was held back.
pub fn gate(site: Site, verdicts: &crate::review::Verdicts) -> (Site, Vec<Held>) {
    let mut out = site;
    let mut held = Vec::new();
    for (pi, plan) in out.plans.iter_mut().enumerate() {
        let mut keep = Vec::with_capacity(plan.records.len());
        for (ri, r) in std::mem::take(&mut plan.records).into_iter().enumerate() {
            match verdicts.records[pi][ri].held_reason() {
                None => keep.push(r),
                Some(reason) => held.push(Held {
                    item: format!("{}#{}", r.path, r.entry.id.value),
                    reason,
                }),
            }
        }
        plan.records = keep;
    }
    let mut pages = Vec::new();
    for (i, p) in std::mem::take(&mut out.pages).into_iter().enumerate() {
        match verdicts.pages[i].held_reason() {
            None => pages.push(p),
            Some(reason) => held.push(Held {
                item: p.path.clone(),
                reason,
            }),
        }
    }
    out.pages = pages;
    (out, held)
}

/// Whether a privacy finding at `path:line` lies in content that would be published: the plan
/// document and site files always are; a record or page only when it passes the gate.
pub fn finding_published(
    site: &Site,
    verdicts: &crate::review::Verdicts,
    path: &str,
    line: u32,
) -> bool {
    if let Some(i) = site.pages.iter().position(|p| p.path == path) {
        return verdicts.pages[i].publishable();
    }
    for (pi, plan) in site.plans.iter().enumerate() {
        let mut owner: Option<usize> = None;
        let mut in_file = false;
        for (ri, r) in plan.records.iter().enumerate() {
            if r.path != path {
                continue;
            }
            in_file = true;
            if r.entry.first_line() <= line {
                owner = Some(ri);
            }
        }
        if in_file {
            // Before the first record (file comments) nothing is published.
            return owner.is_some_and(|ri| verdicts.records[pi][ri].publishable());
        }
    }
    true
}
