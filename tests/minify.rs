//! gongkai's own minifier keeps every page the same document: over every page of the default
//! content, the county fixture and a synthetic plan, published and preview, minify-html gives
//! the same output whether it reads the page as the templates wrote it or as gongkai minified
//! it; and the minified pages are about as small as minify-html's.

mod common;
use gongkai::render::{RenderOptions, Renderer, minify::minify, minify_reference, theme::Theme};
use std::path::Path;

/// minify-html until it settles (it is not idempotent around comments).
fn settled(html: &str) -> Vec<u8> {
    let once = minify_reference(html);
    minify_reference(std::str::from_utf8(&once).unwrap())
}

/// Compare every page of the site at `root`; returns (pages, our bytes, minify-html's bytes).
fn check_site(root: &Path, preview: bool) -> (usize, usize, usize) {
    let checked = gongkai::check_site(root, None).unwrap();
    assert_eq!(checked.report.errors(), 0, "{}", checked.report.render());
    let site = checked.site.unwrap();
    let verdicts = std::sync::Arc::new(gongkai::review::Verdicts::new(&site));
    let site = if preview {
        site
    } else {
        gongkai::publish::gate(site, &verdicts).0
    };
    let rules = gongkai::status::Rules {
        as_of: checked.as_of,
        stale_after_days: site.config.stale_after_days,
    };
    let cx = gongkai::compute::Computed::new(&site, rules, &|_, _| true);
    let theme = Theme::load(root, &site.config.theme).unwrap();
    let opts = RenderOptions {
        preview,
        verdicts: preview.then_some(verdicts),
    };
    let r = Renderer::new(&site, &cx, theme, opts).unwrap();
    let routes = gongkai::route::Routes::new(&site, &cx, r.asset_names(), preview);
    let pages = r.render_pages_unminified(&routes).unwrap();
    assert!(!pages.is_empty());
    let (mut ours_total, mut theirs_total) = (0, 0);
    for (path, html) in &pages {
        let ours = minify(html);
        let ours = std::str::from_utf8(&ours).unwrap();
        let theirs = minify_reference(html);
        assert!(
            settled(ours) == settled(html),
            "{}: {path} is not the same document after minification",
            root.display()
        );
        ours_total += ours.len();
        theirs_total += theirs.len();
    }
    (pages.len(), ours_total, theirs_total)
}

#[test]
fn minified_pages_are_the_same_documents() {
    let default = common::default_site();
    let county = common::fixture("sites/county");
    let synth = common::synth_site(300, 7);
    for root in [default.path(), county.as_path(), synth.path()] {
        for preview in [false, true] {
            let (pages, ours, theirs) = check_site(root, preview);
            eprintln!("{}: {pages} pages, {ours} / {theirs} bytes", root.display());
            // Attribute order and entities are left as written, so a little larger.
            assert!(
                ours as f64 <= theirs as f64 * 1.03,
                "{}: {pages} pages, {ours} bytes against minify-html's {theirs}",
                root.display()
            );
        }
    }
}
