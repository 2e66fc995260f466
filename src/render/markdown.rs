//! Markdown pages: pulldown-cmark (tables, heading anchors) then ammonia, so raw HTML and
//! `javascript:` links in content cannot reach the published page.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};
use std::collections::HashSet;

/// Render Markdown to sanitised HTML. Headings get ids `h-<n>` (ASCII, stable) and their
/// levels are shifted so the page's own `h1` stays the only one.
pub fn render(md: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    let mut n = 0;
    let events = Parser::new_ext(md, opts).map(|ev| match ev {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => {
            n += 1;
            let level = match level {
                HeadingLevel::H1 | HeadingLevel::H2 => HeadingLevel::H2,
                HeadingLevel::H3 => HeadingLevel::H3,
                HeadingLevel::H4 => HeadingLevel::H4,
                HeadingLevel::H5 => HeadingLevel::H5,
                HeadingLevel::H6 => HeadingLevel::H6,
            };
            let id = id
                .filter(|i| crate::validate::is_valid_id(i))
                .unwrap_or_else(|| format!("h-{n}").into());
            Event::Start(Tag::Heading {
                level,
                id: Some(id),
                classes,
                attrs,
            })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(match level {
            HeadingLevel::H1 => HeadingLevel::H2,
            l => l,
        })),
        // Raw HTML is shown as text, never interpreted.
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        e => e,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    let out = out
        .replace("<th>", "<th scope=\"col\">")
        .replace("<th style=", "<th scope=\"col\" style=");
    sanitize(&out)
}

/// Sanitise HTML: allow ordinary document markup, `id` on headings, safe URL schemes only.
pub fn sanitize(html: &str) -> String {
    let schemes: HashSet<&str> = ["http", "https", "mailto"].into_iter().collect();
    ammonia::Builder::default()
        .url_schemes(schemes)
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .add_tag_attributes("th", ["scope"])
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_and_script_links_are_neutralised() {
        let out = render(
            "# 标题\n\n<script>alert(1)</script>\n\n[点我](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("javascript:"), "{out}");
        assert!(
            !out.contains("<img"),
            "raw HTML is shown as text, never as a tag: {out}"
        );
        assert!(out.contains("<h2 id=\"h-1\">标题</h2>"), "{out}");
    }

    #[test]
    fn tables_render() {
        let out = render("| 状态 | 含义 |\n|---|---|\n| 已完成 | 按时 |\n");
        assert!(
            out.contains("<table>") && out.contains("<td>已完成</td>"),
            "{out}"
        );
    }
}
