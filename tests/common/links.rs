//! The link check: a built site holds exactly the files of its route table, and every
//! internal link and anchor of every page points at one of them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Undo the HTML escapes the templates write in attribute values.
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x2F;", "/")
        .replace("&#47;", "/")
        .replace("&amp;", "&")
}

/// The text of `html` without its tags.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Every attribute value of `attr` in `html`.
pub fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let mut v = Vec::new();
    for quote in ['"', '\''] {
        let pat = format!(" {attr}={quote}");
        let mut rest = html;
        while let Some(p) = rest.find(&pat) {
            let after = &rest[p + pat.len()..];
            let end = after.find(quote).unwrap_or(after.len());
            v.push(&after[..end]);
            rest = &after[end..];
        }
    }
    // Minified HTML may drop the quotes: href=x
    let pat = format!(" {attr}=");
    let mut rest = html;
    while let Some(p) = rest.find(&pat) {
        let after = &rest[p + pat.len()..];
        if !after.starts_with(['"', '\'']) {
            let end = after.find([' ', '>']).unwrap_or(after.len());
            v.push(&after[..end]);
        }
        rest = after;
    }
    v
}

/// `a/b/../c` → `a/c`.
pub fn normalize(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

/// Check the site built from `root` into `out`: its files are exactly the route table's
/// (`gongkai::publish::planned_paths`), and every `href`/`src` that is not off-site resolves to
/// one of them, with its `#anchor` when it has one. Returns how many links were checked.
pub fn check(root: &Path, out: &Path) -> usize {
    let planned: BTreeSet<String> = gongkai::publish::planned_paths(
        &gongkai::publish::BuildRequest::new(root.to_path_buf(), out.to_path_buf(), None),
    )
    .expect("the site builds")
    .into_iter()
    .collect();
    let files = super::tree(out);
    // The search index is made after the pages (from them), not by a route: its folder is
    // checked on its own.
    let written: BTreeSet<String> = files
        .keys()
        .filter(|p| !p.starts_with(".gongkai") && !p.starts_with("pagefind/"))
        .cloned()
        .collect();
    // An index exactly when the site has a search page (site.yaml `search`, the cargo feature).
    let search = planned.contains(gongkai::route::url::SEARCH);
    for needed in ["pagefind/pagefind.js", "pagefind/pagefind-entry.json"] {
        assert_eq!(
            files.contains_key(needed),
            search,
            "the search index is written exactly when search.html is: {needed}"
        );
    }
    if !search {
        assert!(
            !files.keys().any(|p| p.starts_with("pagefind/")),
            "no search page, yet files under pagefind/"
        );
    }
    assert_eq!(
        written.symmetric_difference(&planned).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "the output holds exactly the route table's files"
    );
    let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (path, bytes) in &files {
        if path.ends_with(".html") {
            let html = String::from_utf8_lossy(bytes);
            let found = attr_values(&html, "id")
                .into_iter()
                .map(String::from)
                .collect();
            ids.insert(path, found);
        }
    }
    let mut checked = 0;
    let mut broken = Vec::new();
    for (path, bytes) in &files {
        if !path.ends_with(".html") || path == "404.html" {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for link in attr_values(&html, "href")
            .into_iter()
            .chain(attr_values(&html, "src"))
        {
            let link = unescape(link);
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            checked += 1;
            let (file, frag) = link.split_once('#').unwrap_or((&link, ""));
            let target = if file.is_empty() {
                path.clone()
            } else {
                let base = Path::new(path).parent().unwrap_or(Path::new(""));
                normalize(&base.join(file))
            };
            if !planned.contains(&target) {
                broken.push(format!("{path} → {link}"));
            } else if !frag.is_empty()
                && !ids.get(target.as_str()).is_some_and(|s| s.contains(frag))
            {
                broken.push(format!("{path} → {link} (anchor)"));
            }
        }
    }
    assert!(
        broken.is_empty(),
        "{} broken links in {}:\n{}",
        broken.len(),
        out.display(),
        broken.join("\n")
    );
    checked
}
