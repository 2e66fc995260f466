//! Check: load and validate everything, run the review checks and the privacy scan of the
//! source files, and collect every finding (the first half of every pipeline: `check`, `build`
//! and the preview all start here).

use crate::{diag, load, privacy, review, site, validate};
use std::path::Path;

/// Today's date in Asia/Shanghai (UTC+8, no daylight saving).
pub fn today_shanghai() -> chrono::NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

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

/// Load and validate the site at `root`, including the route table's check that no two
/// outputs share a file. `as_of` overrides the date pinned in `site.yaml`.
pub fn check_site(
    root: &Path,
    as_of: Option<chrono::NaiveDate>,
) -> Result<Checked, load::EnvError> {
    let mut checked = check_site_with(root, as_of, None)?;
    if let Some(site) = &checked.site
        && checked.report.errors() == 0
    {
        for d in output_collisions(site, checked.as_of) {
            checked.report.push(d);
        }
        checked.report.sort();
    }
    Ok(checked)
}

/// [`check_site`] without the route table (the build and the preview make theirs and check
/// it themselves), reusing the parsed files of `cache` whose text is unchanged.
pub fn check_site_with(
    root: &Path,
    as_of: Option<chrono::NaiveDate>,
    cache: Option<&load::ParseCache>,
) -> Result<Checked, load::EnvError> {
    let loaded = load::load_with(root, cache)?;
    let mut report = loaded.report;
    let today = today_shanghai();
    let mut findings = Vec::new();
    let mut verdicts = None;
    if let Some(site) = &loaded.site {
        validate::validate(site, &mut report, today, loaded.complete);
        let v = review::Verdicts::new(site);
        review::validate(site, &v, &mut report, today);
        verdicts = Some(v);
        findings = privacy_scan(site, &report);
    }
    let as_of = as_of
        .or_else(|| {
            loaded
                .site
                .as_ref()
                .and_then(|s| s.config.as_of.as_ref().map(|d| d.value.0))
        })
        .unwrap_or(today);
    report.sort();
    Ok(Checked {
        site: loaded.site,
        report,
        findings,
        as_of,
        verdicts,
    })
}

/// Two outputs that would be written to one file (a unit id `index`, a plan folder `units`):
/// located errors from the route table of the whole site.
fn output_collisions(site: &site::Site, as_of: chrono::NaiveDate) -> Vec<diag::Diagnostic> {
    let rules = crate::status::Rules {
        as_of,
        stale_after_days: site.config.stale_after_days,
    };
    let cx = crate::compute::Computed::new(site, rules, &|_, _| true);
    let routes = crate::route::Routes::new(site, &cx, &Default::default(), true);
    crate::route::collisions(site, &routes)
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
