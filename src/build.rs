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
