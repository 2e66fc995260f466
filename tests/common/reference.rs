//! minify-html (a dev-dependency) as the reference the own minifiers are tested against:
//! `src/render/minify.rs` for pages, `src/render/css.rs` for style sheets. Shared by the
//! integration tests (through `tests/common`) and the library's unit tests (through `#[path]`).

/// minify-html, configured to keep pages valid for HTML checkers (as gongkai used it before
/// its own minifier), with its CSS minifier (lightningcss) on.
pub fn minify_reference(html: &str) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_css = true;
    cfg.minify_js = false;
    minify_html::minify(html.as_bytes(), &cfg)
}

/// A style sheet as minify-html minifies it inside `<style>` (how the 404 page's inline style
/// sheet was made before `src/render/css.rs`).
pub fn minify_css_reference(css: &str) -> String {
    let min = minify_reference(&format!("<style>{css}</style>"));
    let min = String::from_utf8(min).expect("minify-html writes UTF-8");
    min.strip_prefix("<style>")
        .and_then(|m| m.strip_suffix("</style>"))
        .expect("a lone <style> element")
        .to_string()
}
