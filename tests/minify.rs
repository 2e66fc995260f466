//! gongkai's own minifier keeps every page the same document: over every page of the default
//! content, the county fixture and a synthetic plan, published and preview, minify-html gives
//! the same output whether it reads the page as the templates wrote it or as gongkai minified
//! it; and the minified pages are about as small as minify-html's.

mod common;
use common::reference::{minify_css_reference, minify_reference};
use gongkai::render::{RenderOptions, Renderer, minify::minify, theme::Theme};
use std::path::{Path, PathBuf};

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
        gongkai::build::gate(site, &verdicts).0
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
    let pages = r.render_pages_unminified().unwrap();
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

fn synth_site(tasks: usize) -> tempfile::TempDir {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_gongkai"));
    let synth = exe.parent().unwrap().join("examples").join("synth");
    assert!(
        synth.exists(),
        "{} is built by `cargo test` (examples/synth.rs)",
        synth.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    let st = std::process::Command::new(&synth)
        .args(["--tasks", &tasks.to_string(), "--seed", "7", "--out"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    tmp
}

#[test]
fn minified_pages_are_the_same_documents() {
    let default = common::default_site();
    let county = common::repo().join("tests/fixtures/sites/county");
    let synth = synth_site(300);
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
