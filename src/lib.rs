//! gongkai（公开）: a static site generator for Chinese government public-disclosure work plans.
//!
//! One pipeline: [`load`] (YAML/Markdown → typed model, every error located) →
//! [`validate`] → [`status`] → render (Tera) → write (minify, atomic swap).

#![warn(missing_docs, clippy::print_stderr, clippy::print_stdout)]

pub mod build;
pub mod cli;
#[allow(clippy::print_stderr, clippy::print_stdout)] // the CLI edge: only `cmd` prints
pub mod cmd;
pub mod compute;
pub mod deadline;
pub mod diag;
pub mod import;
pub mod load;
pub mod loc;
pub mod model;
pub mod privacy;
pub mod register;
pub mod render;
pub mod review;
pub mod schema;
#[allow(clippy::print_stderr)] // the preview server logs rebuilds to the terminal
pub mod serve;
pub mod site;
pub mod status;
pub mod validate;
pub mod vocab;
pub mod write;

use std::path::Path;

/// A loaded and validated site with its findings.
pub struct Checked {
    /// The site, when the required files parsed.
    pub site: Option<site::Site>,
    /// All findings except privacy ones, sorted.
    pub report: diag::Report,
    /// Privacy findings (allowed ones included, marked), in file order.
    pub findings: Vec<privacy::Finding>,
    /// The as-of date in force.
    pub as_of: chrono::NaiveDate,
    /// The review verdict of every record and page of `site` (computed once per check).
    pub verdicts: Option<review::Verdicts>,
}

/// Load and validate the site at `root`. `as_of` overrides the date pinned in `site.yaml`.
pub fn check_site(
    root: &Path,
    as_of: Option<chrono::NaiveDate>,
) -> Result<Checked, load::EnvError> {
    check_site_with(root, as_of, None)
}

/// [`check_site`], reusing the parsed files of `cache` whose text is unchanged (the preview).
pub fn check_site_with(
    root: &Path,
    as_of: Option<chrono::NaiveDate>,
    cache: Option<&load::ParseCache>,
) -> Result<Checked, load::EnvError> {
    let loaded = load::load_with(root, cache)?;
    let mut report = loaded.report;
    let today = cmd::today_shanghai();
    let mut findings = Vec::new();
    let mut verdicts = None;
    if let Some(site) = &loaded.site {
        validate::validate(site, &mut report, today, loaded.complete);
        let v = review::Verdicts::new(site);
        review::validate(site, &v, &mut report, today);
        verdicts = Some(v);
        findings = privacy_scan(site, &report);
    }
    report.sort();
    let as_of = as_of
        .or_else(|| {
            loaded
                .site
                .as_ref()
                .and_then(|s| s.config.as_of.as_ref().map(|d| d.value.0))
        })
        .unwrap_or(today);
    Ok(Checked {
        site: loaded.site,
        report,
        findings,
        as_of,
        verdicts,
    })
}

/// Scan every loaded content file (except the allow-list itself); the site's public contact
/// line is public by design and not scanned.
fn privacy_scan(site: &site::Site, report: &diag::Report) -> Vec<privacy::Finding> {
    let words: Vec<String> = site.config.sensitive_words.clone().unwrap_or_else(|| {
        privacy::DEFAULT_WORDS
            .iter()
            .map(|w| (*w).to_string())
            .collect()
    });
    use rayon::prelude::*;
    let files: Vec<(&String, &String)> = report
        .sources
        .iter()
        .filter(|(path, _)| *path != "content/allowlist.yaml")
        .collect();
    // Files are scanned in parallel; the findings stay in file order.
    files
        .par_iter()
        .map(|(path, text)| {
            let is_site = *path == "content/site.yaml";
            let skip = |line: &str| is_site && line.trim_start().starts_with("contact:");
            privacy::scan_file(path, text, &words, &site.allow, &skip)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}
