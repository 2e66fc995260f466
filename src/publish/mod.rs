//! Publish: the one path from checked content to output. [`build`] runs the publication gate
//! (only items through 终审 and 主动公开), the privacy check, status, the route table, rendering
//! into a staging folder, the atomic swap and the publication register; [`preview`] runs the
//! same set-up in memory for `gongkai serve`. Nothing here prints: what happened is returned
//! ([`BuildRun`], with [`Timings`] as a value) for `cmd` to show.

pub mod incremental;
pub mod preview;
pub mod register;
pub mod release;
pub mod remote;
pub mod scan;
#[cfg(feature = "search")]
pub mod search;
pub mod write;

use crate::compute::Computed;
use crate::diag::{Diagnostic, Report};
use crate::render::{Emit, RenderError, RenderOptions, Renderer, StageClock, theme::Theme};
use crate::review::Verdicts;
use crate::route::Routes;
use crate::site::Site;
use crate::status::Rules;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};
use write::{Staging, WriteError};

/// What a build wrote.
#[derive(Debug, Clone, Copy, Default)]
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

/// How long each stage of a build took.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Load, validate, review checks and the source privacy scan.
    pub check: Duration,
    /// The publication gate.
    pub gate: Duration,
    /// Status computation.
    pub status: Duration,
    /// Templates compiled and shared rows built.
    pub setup: Duration,
    /// Rendering, minifying and writing, wall time.
    pub render_wall: Duration,
    /// Template time summed over threads.
    pub templates_cpu: Duration,
    /// Minify time summed over threads.
    pub minify_cpu: Duration,
    /// Write time summed over threads.
    pub write_cpu: Duration,
    /// Privacy scan of the output, summed over threads.
    pub scan_cpu: Duration,
    /// Rendering threads.
    pub threads: usize,
    /// The search index, built from the scanned pages (feature `search`).
    pub search: Duration,
    /// The swap into the output folder.
    pub swap: Duration,
    /// Appending to the register.
    pub register: Duration,
    /// The build cache: digests of the inputs, reading and writing the cache file.
    pub cache: Duration,
}

impl Timings {
    /// The `timings:` lines that `GONGKAI_TIMINGS=1` prints (the benchmark reads them).
    pub fn lines(&self) -> [String; 2] {
        let s = |d: Duration| d.as_secs_f64();
        [
            format!(
                "timings: status {:.3}s, templates+shared rows {:.3}s, render+minify+scan+write {:.3}s wall (render {:.3}s + minify {:.3}s + scan {:.3}s + write {:.3}s thread time on {} threads), search index {:.3}s, publish {:.3}s",
                s(self.status),
                s(self.setup),
                s(self.render_wall),
                s(self.templates_cpu),
                s(self.minify_cpu),
                s(self.scan_cpu),
                s(self.write_cpu),
                self.threads,
                s(self.search),
                s(self.swap),
            ),
            format!(
                "timings: load+validate+privacy {:.3}s, review gate {:.3}s, build {:.3}s, register {:.3}s, build cache {:.3}s",
                s(self.check),
                s(self.gate),
                s(self.status + self.setup + self.render_wall + self.search + self.swap),
                s(self.register),
                s(self.cache),
            ),
        ]
    }
}

/// An item left out of the published site, and why.
#[derive(Debug, Clone)]
pub struct Held {
    /// `path#id` of the item.
    pub item: String,
    /// Why (待初审, 不予公开, changed after 终审 …).
    pub reason: String,
}

/// Why a build published nothing. The previous output is untouched in every case.
#[derive(Debug)]
pub enum BuildError {
    /// `content/` missing or unreadable (environment).
    Env(crate::load::EnvError),
    /// Content errors, listed in the run's report.
    Content(usize),
    /// Personal data or sensitive words in items that would be published.
    Privacy(Vec<crate::privacy::Finding>),
    /// The theme could not be loaded (environment).
    Theme(String),
    /// A template failed (the theme or content must be fixed).
    Render(RenderError),
    /// Two outputs would be written to one file (located content errors).
    Collisions(Vec<Diagnostic>),
    /// Writing failed or the output folder is not ours.
    Write(WriteError),
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BuildError::Env(e) => write!(f, "{e}"),
            BuildError::Content(n) => write!(f, "发现 {n} 个错误，未生成站点"),
            BuildError::Privacy(v) => write!(
                f,
                "发布前检查发现 {} 处疑似个人信息或敏感内容，拒绝发布",
                v.len()
            ),
            BuildError::Theme(s) => f.write_str(s),
            BuildError::Render(e) => write!(f, "{e}"),
            BuildError::Collisions(v) => write!(f, "{} 处输出文件冲突", v.len()),
            BuildError::Write(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// A publishing build: the site at `root` into `output` as of `as_of` (else the pinned or
/// today's date).
#[derive(Debug, Clone)]
pub struct BuildRequest {
    /// Site folder.
    pub root: PathBuf,
    /// Output folder.
    pub output: PathBuf,
    /// As-of date override.
    pub as_of: Option<chrono::NaiveDate>,
    /// How long to wait for another build of the same output.
    pub wait: Duration,
    /// The publication register (`<output>.publication-register.jsonl` beside the output for
    /// `build`; the target's own for `publish`).
    pub register: PathBuf,
    /// Replace the output even when it holds files gongkai did not write.
    pub force: bool,
    /// The lock file that serialises builds of this output or target (`None`: the caller
    /// holds the target's lock).
    pub lock: Option<PathBuf>,
    /// For a release build (`publish --to`): the live release, whose unchanged files are
    /// hard-linked and whose hashed assets are carried over; `None` when the output itself is
    /// what is live (`build`).
    pub previous: Option<PathBuf>,
    /// Whether the build cache beside the output is used and kept ([`incremental`]).
    pub cache: BuildCache,
}

/// What a build does with the build cache beside its output ([`incremental`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildCache {
    /// Neither read nor written (release and archive builds: their output is not what is live).
    Off,
    /// Not read (every route is rendered), written for the next build (`build --full`).
    Refresh,
    /// Read, and the build is incremental where it allows; written for the next build.
    Use,
}

impl BuildRequest {
    /// A `build` of the site at `root` into `output` (register beside it, a minute's wait).
    pub fn new(root: PathBuf, output: PathBuf, as_of: Option<chrono::NaiveDate>) -> Self {
        BuildRequest {
            register: register::path_for(&output),
            lock: Some(write::beside(&output, |name| format!(".{name}.lock"))),
            root,
            output,
            as_of,
            wait: Duration::from_secs(60),
            force: false,
            previous: None,
            cache: BuildCache::Use,
        }
    }
}

/// What a publishing build did.
#[derive(Debug)]
pub struct Published {
    /// Files written.
    pub stats: Stats,
    /// The as-of date in force.
    pub as_of: chrono::NaiveDate,
    /// Where.
    pub output: PathBuf,
    /// Stage timings.
    pub timings: Timings,
    /// The register could not be written (the site is published).
    pub register_error: Option<std::io::Error>,
    /// The publication's id (in the output's marker and the register).
    pub id: String,
    /// What an incremental build did (`None`: every route was rendered).
    pub reuse: Option<Reuse>,
    /// The build cache to keep beside the output once the register has committed.
    pub cache: Option<incremental::State>,
}

/// What an incremental build did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Reuse {
    /// Routes rendered (those showing a changed task, and new ones).
    pub rendered: usize,
    /// Files of the output replaced (their bytes changed) or added.
    pub replaced: usize,
    /// Files removed (their routes are gone).
    pub removed: usize,
}

/// The result of [`build`] with everything the user should see: the check's report (warnings
/// on success, errors on failure) and the items held back, whatever the outcome.
pub struct BuildRun {
    /// Findings of the check.
    pub report: Report,
    /// Items left out by the gate.
    pub held: Vec<Held>,
    /// Published items whose sign-offs are made with the example keys (the default content's).
    pub example_signed: usize,
    /// Items on the site of the last publication that this build takes off, with the reason.
    pub withdrawing: Vec<register::Off>,
    /// What the build found and repaired before it started: an interrupted swap or register
    /// transaction, leftover folders of killed builds.
    pub recovered: Vec<String>,
    /// What happened.
    pub outcome: Result<Published, BuildError>,
}

/// The publication gate: `site` holding only the records and pages whose 终审 matches and
/// whose attribute is 主动公开, and the list of what was held back.
pub fn gate(site: Site, verdicts: &Verdicts) -> (Site, Vec<Held>) {
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

/// Whether a privacy finding lies in content that would be published: site, units and plan
/// files always are; a record or page only when it passes the gate.
pub fn finding_published(verdicts: &Verdicts, f: &crate::privacy::Finding) -> bool {
    use crate::privacy::Owner;
    match f.owner {
        Owner::Site | Owner::Plan(_) => true,
        Owner::Record(pi, ri) => verdicts.records[pi][ri].publishable(),
        Owner::Page(i) => verdicts.pages[i].publishable(),
    }
}

/// Everything a render needs, set up once: status, theme, templates, shared rows, routes.
pub struct Prepared<'r, 'a> {
    /// The renderer.
    pub renderer: &'r Renderer<'a>,
    /// The route table.
    pub routes: &'r Routes,
    /// The computed status.
    pub cx: &'r Computed<'a>,
}

/// Set up rendering of `site` as of `as_of` (status → theme → templates → routes) and run `f`
/// with it. The route table's collisions are errors. `timings` gets the set-up's stages.
pub fn with_renderer<T>(
    root: &Path,
    site: &Site,
    as_of: chrono::NaiveDate,
    opts: RenderOptions,
    timings: &mut Timings,
    f: impl FnOnce(Prepared<'_, '_>, &mut Timings) -> Result<T, BuildError>,
) -> Result<T, BuildError> {
    let t0 = Instant::now();
    let rules = Rules {
        as_of,
        stale_after_days: site.config.stale_after_days,
    };
    let preview = opts.preview;
    let cx = Computed::new(site, rules, &|_, _| true);
    let t1 = Instant::now();
    let mut theme = Theme::load(root, &site.config.theme).map_err(BuildError::Theme)?;
    // The emblem and 党政机关 mark `site.yaml` names (check has reported any it cannot use).
    theme
        .assets
        .extend(crate::render::theme::portal_images(root, &site.config.portal).0);
    let renderer = Renderer::new(site, &cx, theme, opts).map_err(BuildError::Render)?;
    let routes = Routes::new(site, &cx, renderer.asset_names(), preview);
    let clashes = crate::route::collisions(site, &routes);
    if !clashes.is_empty() {
        return Err(BuildError::Collisions(clashes));
    }
    timings.status = t1 - t0;
    timings.setup = t1.elapsed();
    f(
        Prepared {
            renderer: &renderer,
            routes: &routes,
            cx: &cx,
        },
        timings,
    )
}

/// Build the published site: check, gate, privacy, render into staging, swap, register.
pub fn build(req: &BuildRequest, progress: &Progress) -> BuildRun {
    build_with(req, progress, &|_| Ok(None))
}

/// The step that makes a new site live after it is in place (the publication's digest given);
/// returns where the site ended up when it moved it.
pub type GoLive<'a> = &'a (dyn Fn(&str) -> Result<Option<PathBuf>, WriteError> + Sync);

/// [`build`], calling `go_live` right after the new site is in place and before the register
/// records it as committed (`publish --to` switches `current` there).
pub fn build_with(req: &BuildRequest, progress: &Progress, go_live: GoLive<'_>) -> BuildRun {
    let start = Instant::now();
    let mut timings = Timings::default();
    // One build of this output at a time; first repair what a killed one left.
    let _lock = match req
        .lock
        .as_ref()
        .map(|l| write::OutputLock::acquire(l, req.wait))
        .transpose()
    {
        Ok(l) => l,
        Err(e) => {
            return BuildRun {
                report: Report::default(),
                held: Vec::new(),
                example_signed: 0,
                withdrawing: Vec::new(),
                recovered: Vec::new(),
                outcome: Err(BuildError::Write(e)),
            };
        }
    };
    let real = if req.output.is_symlink() {
        std::fs::canonicalize(&req.output).unwrap_or_else(|_| req.output.clone())
    } else {
        req.output.clone()
    };
    let mut recovered = Vec::new();
    let foreign = if req.force || req.previous.is_some() {
        Vec::new()
    } else {
        write::foreign_files(&real)
    };
    if !foreign.is_empty() {
        return BuildRun {
            report: Report::default(),
            held: Vec::new(),
            example_signed: 0,
            withdrawing: Vec::new(),
            recovered,
            outcome: Err(BuildError::Write(WriteError::NotOurs(real, foreign))),
        };
    }
    match write::recover(&real) {
        Ok(r) => {
            recovered.extend(r.swap);
            recovered.extend(
                r.removed
                    .iter()
                    .map(|p| format!("已清理上次中断的生成留下的临时文件夹 {}", p.display())),
            );
        }
        Err(e) => {
            return BuildRun {
                report: Report::default(),
                held: Vec::new(),
                example_signed: 0,
                withdrawing: Vec::new(),
                recovered: Vec::new(),
                outcome: Err(BuildError::Write(e)),
            };
        }
    }
    // Only `build` keeps a build cache: its output is what is live.
    let cache_path = (req.previous.is_none() && req.cache != BuildCache::Off)
        .then(|| incremental::path_for(&req.output));
    let t_cache = Instant::now();
    let prev_cache = cache_path
        .as_deref()
        .filter(|_| req.cache == BuildCache::Use)
        .and_then(incremental::load);
    timings.cache = t_cache.elapsed();
    let checked = match crate::check_site_with(&req.root, req.as_of, None) {
        Ok(c) => c,
        Err(e) => {
            return BuildRun {
                report: Report::default(),
                held: Vec::new(),
                example_signed: 0,
                withdrawing: Vec::new(),
                recovered,
                outcome: Err(BuildError::Env(e)),
            };
        }
    };
    timings.check = start.elapsed().saturating_sub(timings.cache);
    let mut run = BuildRun {
        report: checked.report,
        held: Vec::new(),
        example_signed: 0,
        withdrawing: Vec::new(),
        recovered,
        outcome: Err(BuildError::Content(0)),
    };
    let errors = run.report.errors();
    let Some(site) = checked.site.filter(|_| errors == 0) else {
        run.outcome = Err(BuildError::Content(errors));
        return run;
    };
    let verdicts = checked
        .verdicts
        .unwrap_or_else(|| Verdicts::new(&site, crate::check::today_shanghai()));
    let t_cache = Instant::now();
    let inputs = cache_path
        .as_ref()
        .map(|_| incremental::inputs(&run.report.sources, &site, &verdicts, checked.as_of));
    let cache_time = timings.cache + t_cache.elapsed();
    // The texts of the task and progress files (the bulk of the content) are not needed past
    // the check, unless a warning quotes them.
    run.report.forget_sources(site.plans.iter().flat_map(|p| {
        p.categories
            .iter()
            .flat_map(|c| &c.subcategories)
            .flat_map(|s| s.tasks.iter().map(|t| t.path.as_str()))
            .chain(p.records.iter().map(|r| r.path.as_str()))
    }));
    let t_gate = Instant::now();
    let blocking: Vec<crate::privacy::Finding> = checked
        .findings
        .iter()
        .filter(|f| f.allowed.is_none())
        .filter(|f| finding_published(&verdicts, f))
        .cloned()
        .collect();
    if !blocking.is_empty() {
        run.outcome = Err(BuildError::Privacy(blocking));
        return run;
    }
    let detector = crate::check::detector(&site);
    run.example_signed = verdicts.example_count();
    let publication = match register::publication(&req.register, &site, &verdicts, checked.as_of) {
        Ok(p) => p,
        Err(e) => {
            run.outcome = Err(BuildError::Write(WriteError::Io(req.register.clone(), e)));
            return run;
        }
    };
    run.withdrawing = publication.withdrawn.clone();
    let live = req.previous.clone().unwrap_or_else(|| real.clone());
    let register_ready = register::check_writable(&req.register)
        .and_then(|()| register::reconcile(&req.register, &live))
        .and_then(|note| register::digest(&publication).map(|d| (note, d)));
    let digest = match register_ready {
        Ok((note, d)) => {
            run.recovered.extend(note);
            d
        }
        Err(e) => {
            run.outcome = Err(BuildError::Write(WriteError::Io(req.register.clone(), e)));
            return run;
        }
    };
    let (mut public, held) = gate(site, &verdicts);
    // The review blocks have done their work (the verdicts and the register are made); no
    // page or data file shows them.
    for r in public.plans.iter_mut().flat_map(|p| &mut p.records) {
        r.entry.review = None;
    }
    run.held = held;
    timings.gate = t_gate.elapsed();
    let scan = Scan {
        detector: &detector,
        sources: &checked.findings,
        published: &|f| finding_published(&verdicts, f),
    };
    let commit = Commit {
        digest: &digest,
        as_of: checked.as_of,
        go_live,
    };
    let cache = Cache {
        prev: prev_cache.as_ref(),
        inputs,
        path: cache_path.as_deref(),
    };
    run.outcome = write_site(
        req,
        &public,
        checked.as_of,
        progress,
        &scan,
        &commit,
        &cache,
        timings,
    )
    .map(|mut p| {
        let t = Instant::now();
        p.register_error =
            register::append(&req.register, &p.output, &publication, &p.id, checked.as_of).err();
        p.timings.register = t.elapsed();
        // The cache last, once the register has committed: a build killed before this leaves
        // none (or one of an older publication), and the next build is a full one.
        let t = Instant::now();
        if let (Some(state), Some(path)) = (p.cache.take(), cache.path) {
            let _ = incremental::store(path, &state);
        }
        p.timings.cache = cache_time + t.elapsed();
        p
    });
    if let Err(BuildError::Collisions(clashes)) = &run.outcome {
        for d in clashes {
            run.report.push(d.clone());
        }
        run.report.sort();
    }
    run
}

/// The register transaction around the swap: `prepared` with this digest just before it.
struct Commit<'a> {
    digest: &'a str,
    as_of: chrono::NaiveDate,
    go_live: GoLive<'a>,
}

/// The build cache: the last build's (when there is one) and this build's inputs.
struct Cache<'a> {
    prev: Option<&'a incremental::State>,
    inputs: Option<incremental::Inputs>,
    path: Option<&'a Path>,
}

/// What the scan of the output needs: the detector, the source findings (to locate and allow
/// what the output holds) and which of them are in published items.
struct Scan<'a> {
    detector: &'a crate::privacy::Detector,
    sources: &'a [crate::privacy::Finding],
    published: &'a dyn Fn(&crate::privacy::Finding) -> bool,
}

/// Render `public` into a staging folder beside the output, scanning every file as it is
/// written, and swap it in when the scan found nothing. When the build cache describes the
/// output and only progress records changed, only the routes showing the changed tasks are
/// rendered and the files whose bytes changed are replaced in place ([`incremental`]).
#[allow(clippy::too_many_arguments)]
fn write_site(
    req: &BuildRequest,
    public: &Site,
    as_of: chrono::NaiveDate,
    progress: &Progress,
    privacy: &Scan<'_>,
    commit: &Commit<'_>,
    cache: &Cache<'_>,
    mut timings: Timings,
) -> Result<Published, BuildError> {
    // An output that is a symlink (to the folder the web server serves) stays one: the folder
    // it points to is what is swapped.
    let resolved = if req.output.is_symlink() {
        std::fs::canonicalize(&req.output)
            .map_err(|e| BuildError::Write(WriteError::Io(req.output.clone(), e)))?
    } else {
        req.output.clone()
    };
    let out = &resolved;
    let mut output = req.output.clone();
    let mut publication_id = String::new();
    let mut reused = None;
    let mut new_cache = None;
    write::check_output(out).map_err(BuildError::Write)?;
    let opts = RenderOptions::default();
    let stats = with_renderer(
        &req.root,
        public,
        as_of,
        opts,
        &mut timings,
        |p, timings| {
            let t0 = Instant::now();
            // Pages are written into the staging folder as they are rendered.
            let mut staging = Staging::new(out).map_err(BuildError::Write)?;
            if let Some(prev) = &req.previous {
                staging = staging.linking_from(prev);
            }
            let scan_ns = std::sync::atomic::AtomicU64::new(0);
            let clock = StageClock::default();
            let found = scan::OutputScan::default();
            let digest = scan::digest(privacy.detector, &public.allow);
            let trusted = scan::previous_matches(out, &digest);
            // Incremental when the cache describes this very output (same publication, theme
            // and scan) and nothing but progress records changed.
            let reuse = cache
                .prev
                .zip(cache.inputs.as_ref())
                .filter(|_| req.previous.is_none() && trusted)
                .filter(|(s, _)| s.theme == p.renderer.theme_digest() && s.scan == digest)
                .filter(|(s, _)| register::live_id(out).as_deref() == Some(s.id.as_str()))
                .and_then(|(s, now)| {
                    incremental::changes(&s.inputs, now, public, p.cx).map(|c| (s, c))
                });
            // The routes not rendered: unchanged inputs, and their file as it was written.
            let skip: std::collections::HashSet<&str> = match &reuse {
                None => Default::default(),
                Some((s, ch)) => p
                    .routes
                    .list
                    .iter()
                    .filter(|r| {
                        s.files.get(&r.path).is_some_and(|f| {
                            f.hash().is_some()
                                && !Routes::touches(r, p.cx, public, ch)
                                && f.intact(&out.join(&r.path))
                        })
                    })
                    .map(|r| r.path.as_str())
                    .collect(),
            };
            progress.pages_total.store(
                p.routes
                    .pages()
                    .filter(|r| !skip.contains(r.path.as_str()))
                    .count(),
                Relaxed,
            );
            let bytes = AtomicUsize::new(0);
            // Paths whose bytes differ from the previous output's (an incremental build moves
            // these into the output; a full build swaps the whole folder and needs no list).
            let changed: std::sync::Mutex<Vec<String>> = Default::default();
            let note_changed = |path: &str| {
                if reuse.is_none() {
                    return;
                }
                changed
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(path.to_string());
            };
            let whole = |f: crate::render::OutFile| {
                let unchanged = staging.write(&f)?;
                if !unchanged {
                    note_changed(&f.path);
                }
                // A file the previous output held with the same bytes, scanned then with the
                // same detector and allow-list, is not scanned again.
                if !(unchanged && trusted) {
                    let t = Instant::now();
                    found.file(privacy.detector, &f.path, &f.bytes);
                    scan_ns.fetch_add(u64::try_from(t.elapsed().as_nanos()).unwrap_or(0), Relaxed);
                }
                if f.path.ends_with(".html") {
                    progress.pages_done.fetch_add(1, Relaxed);
                }
                bytes.fetch_add(f.bytes.len(), Relaxed);
                Ok(())
            };
            // The open data, written and scanned a piece at a time: each piece that is whole
            // units alone, and the frame around them once (see `render::data::Piece`).
            let in_pieces = |path: &str, pieces: crate::render::data::Pieces<'_>| {
                let mut frame = Vec::new();
                let mut scan = std::time::Duration::ZERO;
                // The previous file's digest from the cache, when it is as the cache says.
                let old = reuse
                    .as_ref()
                    .and_then(|(s, _)| s.files.get(path))
                    .filter(|f| f.intact(&out.join(path)))
                    .and_then(incremental::OutputFile::hash);
                let (same, len) = staging.write_pieces(path, pieces, old, &mut |p| {
                    if p.frame {
                        frame.extend_from_slice(&p.bytes);
                    } else {
                        let t = Instant::now();
                        found.file(privacy.detector, path, &p.bytes);
                        scan += t.elapsed();
                    }
                })?;
                if !same {
                    note_changed(path);
                }
                bytes.fetch_add(usize::try_from(len).unwrap_or(usize::MAX), Relaxed);
                let t = Instant::now();
                if !frame.is_empty() {
                    found.file(privacy.detector, path, &frame);
                }
                scan += t.elapsed();
                scan_ns.fetch_add(u64::try_from(scan.as_nanos()).unwrap_or(0), Relaxed);
                Ok(())
            };
            p.renderer
                .render_each(
                    p.routes,
                    &|r| !skip.contains(r.path.as_str()),
                    &clock,
                    &crate::render::Both(whole, in_pieces),
                )
                .map_err(|e| match e {
                    Emit::Render(e) => BuildError::Render(e),
                    Emit::Sink(e) => BuildError::Write(e),
                })?;
            let blocking = found.blocking(privacy.sources, privacy.published);
            if !blocking.is_empty() {
                // The staging folder is removed when dropped; the output is untouched.
                return Err(BuildError::Privacy(blocking));
            }
            let t_search = Instant::now();
            // The search index, from the pages just scanned (all of which passed); an
            // incremental build first links the pages it did not render into the staging
            // folder, so the index is made from exactly the pages a full build would have.
            // Pages whose bytes are all as before make the same index: an incremental build
            // keeps the previous one.
            let pages_changed = changed
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .iter()
                .any(|p| p.ends_with(".html"));
            let keep_index = reuse.is_some() && !pages_changed;
            #[cfg(feature = "search")]
            let index = if public.search() && !keep_index {
                if reuse.is_some() {
                    for r in p.routes.pages() {
                        if skip.contains(r.path.as_str()) {
                            staging.link_previous(&r.path).map_err(BuildError::Write)?;
                        }
                    }
                }
                search::index(staging.dir())
                    .map_err(|e| BuildError::Render(crate::render::RenderError(e)))?
            } else {
                Vec::new()
            };
            #[cfg(feature = "search")]
            for f in index {
                let out = crate::render::OutFile {
                    path: f.path,
                    bytes: f.bytes,
                };
                if !staging.write(&out).map_err(BuildError::Write)? {
                    note_changed(&out.path);
                }
                bytes.fetch_add(out.bytes.len(), Relaxed);
            }
            timings.search = t_search.elapsed();
            let t1 = Instant::now();
            let mut changed = changed
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            changed.sort();
            changed.dedup();
            // The digest describes the output folder: gone while it changes, written once the
            // new site is in place (a failed build leaves none, and the next build scans all).
            let digest_file = scan::digest_path(out);
            let remove_digest = || -> Result<(), BuildError> {
                if digest_file.exists() {
                    std::fs::remove_file(&digest_file)
                        .map_err(|e| BuildError::Write(WriteError::Io(digest_file.clone(), e)))?;
                }
                Ok(())
            };
            // The register's `prepared` entry, just before the output changes.
            let prepare = |id: &str, in_place: bool| {
                register::prepare(
                    &req.register,
                    &req.output,
                    commit.digest,
                    id,
                    commit.as_of,
                    in_place,
                )
                .map_err(|e| BuildError::Write(WriteError::Io(req.register.clone(), e)))
            };
            let list = if let Some((prev, _)) = &reuse {
                // Incremental: this build's files (rendered) and the previous build's (not).
                let written: std::collections::BTreeMap<String, [u8; 32]> =
                    staging.take_written().into_iter().collect();
                let mut files: std::collections::BTreeMap<String, [u8; 32]> = written.clone();
                for r in &p.routes.list {
                    if skip.contains(r.path.as_str())
                        && let Some(h) = prev.files.get(&r.path).and_then(|f| f.hash())
                    {
                        files.insert(r.path.clone(), h);
                    }
                }
                if keep_index && public.search() {
                    for (path, f) in prev
                        .files
                        .range(crate::route::url::SEARCH_INDEX.to_string()..)
                    {
                        if !path.starts_with(crate::route::url::SEARCH_INDEX) {
                            break;
                        }
                        if let Some(h) = f.hash() {
                            files.insert(path.clone(), h);
                        }
                    }
                }
                let list: Vec<(String, [u8; 32])> = files.into_iter().collect();
                let vanished: Vec<String> = prev
                    .files
                    .keys()
                    .filter(|k| list.binary_search_by(|(p, _)| p.cmp(k)).is_err())
                    .cloned()
                    .collect();
                let id = write::publication_id(&list);
                let marker = write::marker_text(&id, commit.digest, &list);
                // From here the output changes: first the cache and the scan digest go, so a
                // build killed from now on leaves the next one a full build.
                if let Some(path) = cache.path {
                    incremental::invalidate(path)
                        .map_err(|e| BuildError::Write(WriteError::Io(path.to_path_buf(), e)))?;
                }
                remove_digest()?;
                prepare(&id, true)?;
                staging
                    .replace_in_place(&changed, &vanished, &marker)
                    .map_err(BuildError::Write)?;
                reused = Some(Reuse {
                    rendered: p.routes.list.len() - skip.len(),
                    replaced: changed.len(),
                    removed: vanished.len(),
                });
                publication_id = id;
                list
            } else {
                remove_digest()?;
                if req.previous.is_some() {
                    staging.carry("assets").map_err(BuildError::Write)?;
                }
                let id = staging.seal(commit.digest).map_err(BuildError::Write)?;
                publication_id = id.clone();
                prepare(&id, false)?;
                let list = staging.sealed().to_vec();
                staging.publish().map_err(BuildError::Write)?;
                list
            };
            let moved = (commit.go_live)(commit.digest).map_err(BuildError::Write)?;
            if let Some(m) = moved {
                output = m;
            }
            // Without the digest the next build scans every file: nothing is lost but time.
            let _ = std::fs::write(&digest_file, format!("{digest}\n"));
            // The cache for the next build: each file's digest, size and time as written.
            if let Some(inputs) = cache.inputs.as_ref().filter(|_| cache.path.is_some()) {
                let changed: std::collections::HashSet<&str> =
                    changed.iter().map(String::as_str).collect();
                let files: Option<std::collections::BTreeMap<String, incremental::OutputFile>> =
                    list.iter()
                        .map(|(path, h)| {
                            let kept = reuse
                                .as_ref()
                                .filter(|_| !changed.contains(path.as_str()))
                                .and_then(|(prev, _)| prev.files.get(path))
                                .filter(|f| f.hash() == Some(*h));
                            let entry = match kept {
                                Some(f) => Some(f.clone()),
                                None => incremental::OutputFile::stat(&out.join(path), h),
                            };
                            entry.map(|e| (path.clone(), e))
                        })
                        .collect();
                new_cache = files.map(|files| incremental::State {
                    format: incremental::FORMAT,
                    id: publication_id.clone(),
                    inputs: inputs.clone(),
                    theme: p.renderer.theme_digest().to_string(),
                    scan: digest.clone(),
                    files,
                });
            }
            let ns = |a: &std::sync::atomic::AtomicU64| Duration::from_nanos(a.load(Relaxed));
            timings.render_wall = t_search - t0;
            timings.templates_cpu = ns(&clock.templates);
            timings.minify_cpu = ns(&clock.minify);
            timings.scan_cpu = ns(&scan_ns);
            timings.write_cpu = ns(&clock.sink).saturating_sub(timings.scan_cpu);
            timings.threads = rayon::current_num_threads();
            timings.swap = t1.elapsed();
            // An incremental build wrote only some files: the site's size is the cache's sum.
            let whole_site = new_cache
                .as_ref()
                .filter(|_| reuse.is_some())
                .map(|c| c.files.values().map(|f| f.len).sum::<u64>());
            Ok(Stats {
                files: list.len(),
                pages: list.iter().filter(|(p, _)| p.ends_with(".html")).count(),
                bytes: whole_site.map_or_else(
                    || bytes.into_inner(),
                    |b| usize::try_from(b).unwrap_or(usize::MAX),
                ),
            })
        },
    )?;
    Ok(Published {
        id: publication_id,
        stats,
        as_of,
        output,
        timings,
        register_error: None,
        reuse: reused,
        cache: new_cache,
    })
}

/// The path of every file a publishing build of `req` would write (the route table after the
/// gate), in route order: what link checks compare a built site against.
pub fn planned_paths(req: &BuildRequest) -> Result<Vec<String>, BuildError> {
    let checked = crate::check_site_with(&req.root, req.as_of, None).map_err(BuildError::Env)?;
    let errors = checked.report.errors();
    let site = checked
        .site
        .filter(|_| errors == 0)
        .ok_or(BuildError::Content(errors))?;
    let verdicts = checked
        .verdicts
        .unwrap_or_else(|| Verdicts::new(&site, crate::check::today_shanghai()));
    let (public, _) = gate(site, &verdicts);
    let opts = RenderOptions::default();
    let mut timings = Timings::default();
    with_renderer(
        &req.root,
        &public,
        checked.as_of,
        opts,
        &mut timings,
        |p, _| Ok(p.routes.list.iter().map(|r| r.path.clone()).collect()),
    )
}
