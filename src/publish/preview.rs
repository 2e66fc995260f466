//! The preview build, in memory: everything, signed or not, with review badges and the review
//! queue. After a change to progress records only, [`rebuild`] re-renders just the routes
//! whose dependencies (in the route table) include a task those records belong to, before or
//! after the change; anything else re-renders every route. Either way the result equals a full
//! build byte for byte (tested over random edit sequences).

use super::{BuildError, Timings, with_renderer};
use crate::render::{Emit, RenderOptions, StageClock};
use crate::review::Verdicts;
use crate::route::{Changes, Routes};
use crate::site::Site;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

/// Rendered files by path, shared (not copied) between the last build, the next one and the
/// server: a rebuild replaces only the pages it re-renders.
pub type Files = HashMap<String, Arc<Vec<u8>>>;

/// What the last good preview build was made from, for incremental rebuilds.
pub struct Cache {
    /// Source text of every content file, by relative path.
    pub sources: BTreeMap<String, String>,
    /// The loaded site.
    pub site: Site,
    /// The as-of date it was built for.
    pub as_of: chrono::NaiveDate,
    /// Digest of the theme it was built with.
    pub theme: String,
    /// The rendered files.
    pub files: Files,
    /// Parsed content files, reused by the next rebuild where their text is unchanged.
    pub parsed: Arc<crate::load::ParseCache>,
    /// Stage timings of the build that made it.
    pub timings: Timings,
}

/// Build the whole preview: files, or the located error text to show.
pub fn build(
    root: &Path,
    as_of: Option<chrono::NaiveDate>,
) -> Result<HashMap<String, Vec<u8>>, String> {
    rebuild(root, as_of, None).map(|(c, _)| {
        c.files
            .into_iter()
            .map(|(path, bytes)| (path, Arc::unwrap_or_clone(bytes)))
            .collect()
    })
}

/// Build the preview, reusing `prev` (the last good build) where the route table says a file
/// cannot have changed. Returns the new cache and whether the rebuild was incremental.
pub fn rebuild(
    root: &Path,
    as_of: Option<chrono::NaiveDate>,
    prev: Option<&Cache>,
) -> Result<(Cache, bool), String> {
    let start = std::time::Instant::now();
    let parsed = prev.map_or_else(Default::default, |p| Arc::clone(&p.parsed));
    let checked = crate::check_site_with(root, as_of, Some(&parsed)).map_err(|e| e.to_string())?;
    let mut text = checked.report.render();
    for f in &checked.findings {
        text.push_str(&crate::privacy::render(f));
        text.push('\n');
    }
    let Some(site) = checked.site.filter(|_| checked.report.errors() == 0) else {
        return Err(text);
    };
    let sources = checked.report.sources;
    let as_of = checked.as_of;
    let verdicts = Arc::new(
        checked
            .verdicts
            .unwrap_or_else(|| Verdicts::new(&site, crate::check::today_shanghai())),
    );
    let opts = RenderOptions {
        preview: true,
        verdicts: Some(verdicts),
    };
    let mut timings = Timings {
        check: start.elapsed(),
        ..Timings::default()
    };
    let prev = prev.filter(|p| p.as_of == as_of);
    let result = with_renderer(root, &site, as_of, opts, &mut timings, |p, timings| {
        let t0 = std::time::Instant::now();
        // A different theme (templates or assets) may change every page: no reuse.
        let prev = prev.filter(|old| old.theme == p.renderer.theme_digest());
        let changed = prev.and_then(|old| changes(old, &site, &sources, p.cx));
        let files: Mutex<Files> = Mutex::default();
        let clock = StageClock::default();
        let keep = |r: &crate::route::Route| match (&changed, prev) {
            (Some(ch), Some(old)) => {
                !old.files.contains_key(&r.path) || Routes::touches(r, p.cx, &site, ch)
            }
            _ => true,
        };
        p.renderer
            .render_each(p.routes, &keep, &clock, &|f: crate::render::OutFile| {
                files
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(f.path, Arc::new(f.bytes));
                Ok::<(), std::convert::Infallible>(())
            })
            .map_err(|e| match e {
                Emit::Render(e) => BuildError::Render(e),
                Emit::Sink(never) => match never {},
            })?;
        let mut files = files.into_inner().unwrap_or_else(PoisonError::into_inner);
        let incremental = changed.is_some();
        if let Some(old) = prev.filter(|_| incremental) {
            // Every route not re-rendered keeps its bytes from the previous build; files of
            // routes that no longer exist are dropped.
            for r in &p.routes.list {
                if !files.contains_key(&r.path)
                    && let Some(b) = old.files.get(&r.path)
                {
                    files.insert(r.path.clone(), Arc::clone(b));
                }
            }
        }
        timings.render_wall = t0.elapsed();
        Ok((files, incremental, p.renderer.theme_digest().to_string()))
    });
    let (files, incremental, theme) = result.map_err(|e| match e {
        BuildError::Collisions(clashes) => clashes
            .iter()
            .map(|d| d.render(sources.get(&d.path).map(String::as_str)))
            .collect::<String>(),
        e => e.to_string(),
    })?;
    Ok((
        Cache {
            sources,
            site,
            as_of,
            theme,
            files,
            parsed,
            timings,
        },
        incremental,
    ))
}

/// The tasks touched by a change from `old` to `site` when only progress files changed (their
/// records' tasks before and after); `None` when anything else changed (a full rebuild).
fn changes(
    old: &Cache,
    site: &Site,
    sources: &BTreeMap<String, String>,
    cx: &crate::compute::Computed<'_>,
) -> Option<Changes> {
    let changed: Vec<&String> = sources
        .iter()
        .filter(|(k, v)| old.sources.get(*k) != Some(*v))
        .map(|(k, _)| k)
        .chain(old.sources.keys().filter(|k| !sources.contains_key(*k)))
        .collect();
    if changed.is_empty() {
        return Some(Changes::default());
    }
    if !changed
        .iter()
        .all(|p| super::incremental::is_progress_file(p))
        || old.site.plans.len() != site.plans.len()
        || old
            .site
            .plans
            .iter()
            .zip(&site.plans)
            .any(|(a, b)| a.id != b.id)
    {
        return None;
    }
    let mut out = Changes::default();
    for s in [&old.site, site] {
        for (pi, plan) in s.plans.iter().enumerate() {
            for r in &plan.records {
                if changed.iter().any(|c| **c == r.path)
                    && let Some(ti) = cx.task_index[pi].get(r.entry.task.value.as_str())
                {
                    out.tasks.insert((pi, *ti));
                }
            }
        }
    }
    Some(out)
}
