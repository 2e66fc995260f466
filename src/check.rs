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
    // Nobody writes a review block while the files are read (see review::act::WriteLock).
    let lock = review::act::WriteLock::shared(root);
    let loaded = load::load_with(root, cache)?;
    drop(lock);
    let mut report = loaded.report;
    let today = today_shanghai();
    let mut findings = Vec::new();
    let mut verdicts = None;
    if let Some(site) = &loaded.site {
        validate::validate(site, &mut report, today, &loaded.unread);
        for d in crate::render::theme::portal_images(root, &site.config.portal).1 {
            report.push(d);
        }
        let v = review::Verdicts::new(site, today);
        review::validate(site, &v, &mut report);
        verdicts = Some(v);
        let detector = detector(site);
        findings = privacy::scan_site(&detector, site, &report.sources, &site.allow);
        findings.extend(theme_scan(root, site, &detector));
    }
    let as_of = as_of
        .or_else(|| {
            loaded
                .site
                .as_ref()
                .and_then(|s| s.config.as_of.as_ref().map(|d| d.value.0))
        })
        .unwrap_or(today);
    if let Some(site) = &loaded.site {
        validate::as_of_warnings(site, as_of, today, &mut report);
    }
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

/// The detector for `site`: its sensitive words (or the defaults), its public numbers and,
/// public by design, everything in its parsed `contact` value.
pub fn detector(site: &site::Site) -> privacy::Detector {
    let words: Vec<String> = site.config.sensitive_words.clone().unwrap_or_else(|| {
        privacy::DEFAULT_WORDS
            .iter()
            .map(|w| (*w).to_string())
            .collect()
    });
    let public: Vec<&str> = site
        .config
        .public_numbers
        .iter()
        .map(|n| n.value.as_str())
        .collect();
    privacy::Detector::new(&words, &public, &[] as &[&str])
        .with_public_text(&site.config.portal.contact.value)
}

/// Scan the theme's templates and text assets line by line: their text is published as it
/// is written. A theme that does not load is reported by the build, not here.
fn theme_scan(
    root: &Path,
    site: &site::Site,
    detector: &privacy::Detector,
) -> Vec<privacy::Finding> {
    let name = &site.config.theme;
    let Ok(theme) = crate::render::theme::Theme::load(root, name) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let files = theme
        .templates
        .iter()
        .map(|(n, t)| (format!("templates/{n}"), t.as_str()))
        .chain(theme.assets.iter().filter_map(|(n, b)| {
            std::str::from_utf8(b)
                .ok()
                .map(|t| (format!("static/{n}"), t))
        }));
    for (rel, text) in files {
        let on_disk = format!("themes/{name}/{rel}");
        let path = if root.join(&on_disk).is_file() {
            on_disk
        } else {
            format!("（内置 default 主题）{rel}")
        };
        out.extend(privacy::scan_file_with(
            detector,
            &path,
            text,
            &site.allow,
            &|_| false,
        ));
    }
    out
}
