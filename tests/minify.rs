//! gongkai's own minifier keeps every page the same document: over every page of the default
//! content, the county fixture and a synthetic plan, published and preview, minify-html gives
//! the same output whether it reads the page as the templates wrote it or as gongkai minified
//! it; and the minified pages are about as small as minify-html's.

use crate::common;
use common::reference::{minify_css_reference, minify_reference};
use gongkai::render::{RenderOptions, minify::minify};
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
    let verdicts = std::sync::Arc::new(gongkai::review::Verdicts::new(
        &site,
        gongkai::check::today_shanghai(),
    ));
    let site = if preview {
        site
    } else {
        gongkai::publish::gate(site, &verdicts).0
    };
    let opts = RenderOptions {
        preview,
        verdicts: preview.then_some(verdicts),
    };
    let mut timings = gongkai::publish::Timings::default();
    let pages =
        gongkai::publish::with_renderer(root, &site, checked.as_of, opts, &mut timings, |p, _| {
            p.renderer
                .render_pages_unminified(p.routes)
                .map_err(gongkai::publish::BuildError::Render)
        })
        .unwrap();
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

/// The 404 page's inline style sheet is minified by `src/render/css.rs` (no CSS parser in the
/// binary); before, minify-html's CSS minifier (lightningcss) did it. lightningcss parses the
/// sheet, so feeding it the sheet as written and as `css::minify` left it must give the same
/// bytes: the same rules, selectors and declarations. What lightningcss does beyond removing
/// comments and whitespace (and why the own output is larger) is rewriting values — shorter
/// colours (`#ffffff` → `#fff`), numbers without a leading zero (`0.5rem` → `.5rem`), `bold` →
/// `700`, shorthand merging — which needs a parser; those are the only differences allowed.
#[test]
fn css_minifier_keeps_the_builtin_style_sheet() {
    let css = include_str!("../themes/default/static/style.css");
    let ours = gongkai::render::css::minify(css);
    let theirs = minify_css_reference(css);
    assert_eq!(
        minify_css_reference(&ours),
        theirs,
        "lightningcss reads the minified sheet otherwise than the original"
    );
    eprintln!(
        "style.css: {} bytes as written, {} by css::minify, {} by minify-html",
        css.len(),
        ours.len(),
        theirs.len()
    );
    assert!(ours.len() < css.len() * 9 / 10);
}
