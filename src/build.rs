//! The build pipeline after loading: compute status → render (parallel) → write (staging,
//! atomic swap).

use crate::compute::Computed;
use crate::render::{RenderError, RenderOptions, Renderer, theme::Theme};
use crate::site::Site;
use crate::status::Rules;
use crate::write::{Staging, WriteError};
use rayon::prelude::*;
use std::path::Path;

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
    let rules = Rules { as_of, stale_after_days: site.config.stale_after_days };
    let cx = Computed::new(site, rules, &|_, _| true);
    let theme = Theme::load(root, &site.config.theme).map_err(BuildError::Theme)?;
    let r = Renderer::new(site, &cx, theme, opts).map_err(BuildError::Render)?;
    r.render_all().map_err(BuildError::Render)
}

/// Build the published site into `out`.
pub fn build(root: &Path, site: &Site, as_of: chrono::NaiveDate, out: &Path) -> Result<Stats, BuildError> {
    crate::write::check_output(out).map_err(BuildError::Write)?;
    let files = render_site(root, site, as_of, RenderOptions::default())?;
    let staging = Staging::new(out).map_err(BuildError::Write)?;
    files.par_iter().try_for_each(|f| staging.write(f)).map_err(BuildError::Write)?;
    staging.publish().map_err(BuildError::Write)?;
    Ok(Stats {
        files: files.len(),
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        bytes: files.iter().map(|f| f.bytes.len()).sum(),
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

/// The publication gate: a copy of `site` holding only the records and pages whose 终审
/// matches and whose attribute is 主动公开, and the list of what was held back.
pub fn gate(site: &Site, verdicts: &crate::review::Verdicts) -> (Site, Vec<Held>) {
    let mut out = site.clone();
    let mut held = Vec::new();
    for (pi, plan) in out.plans.iter_mut().enumerate() {
        let mut keep = Vec::with_capacity(plan.records.len());
        for (ri, r) in std::mem::take(&mut plan.records).into_iter().enumerate() {
            match verdicts.records[pi][ri].held_reason() {
                None => keep.push(r),
                Some(reason) => held.push(Held { item: format!("{}#{}", r.path, r.entry.id.value), reason }),
            }
        }
        plan.records = keep;
    }
    let mut pages = Vec::new();
    for (i, p) in std::mem::take(&mut out.pages).into_iter().enumerate() {
        match verdicts.pages[i].held_reason() {
            None => pages.push(p),
            Some(reason) => held.push(Held { item: p.path.clone(), reason }),
        }
    }
    out.pages = pages;
    (out, held)
}

/// Whether a privacy finding at `path:line` lies in content that would be published: the plan
/// document and site files always are; a record or page only when it passes the gate.
pub fn finding_published(site: &Site, verdicts: &crate::review::Verdicts, path: &str, line: u32) -> bool {
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
            let e = &r.entry;
            let start = [e.id.line, e.task.line, e.unit.line, e.date.line, e.status.line]
                .into_iter()
                .min()
                .unwrap_or(0);
            if start <= line {
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
