//! Portal-grade pages (issue 17 items 1 and 2): the government-website identity on every page
//! (portal link, 当前位置 from the portal, 信息公开 metadata, linked registrations, 党政机关 mark,
//! 我为政府网站找错), the site map for people, and the offline search index — made only from the
//! pages that went out, the same on every build.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common;
use common::links::{attr_values, strip_tags as text, unescape};
use common::{default_site, fixture, gongkai_at, stderr, temp_copy, tree};

fn build(root: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let o = gongkai_at(root, &["build", "--output", "output"]);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    tree(&root.join("output"))
}

fn html(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    unescape(&String::from_utf8_lossy(&files[path]))
}

fn pages(files: &BTreeMap<String, Vec<u8>>) -> Vec<&String> {
    files
        .keys()
        .filter(|p| p.ends_with(".html") && !p.starts_with("pagefind/"))
        .collect()
}

/// The 当前位置 breadcrumb of a page: (title, href) of each item.
fn crumbs(page: &str) -> Vec<(String, Option<String>)> {
    let start = page
        .find("aria-label=当前位置")
        .or_else(|| page.find("aria-label=\"当前位置\""))
        .expect("a 当前位置 breadcrumb");
    let nav = &page[start..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(text(nav).contains("当前位置："), "the label is visible");
    nav.split("<li>")
        .skip(1)
        .map(|li| {
            let href = attr_values(li, "href").first().map(|h| h.to_string());
            (text(li).trim().to_string(), href)
        })
        .collect()
}

#[test]
fn every_page_shows_the_portal_identity_and_where_it_is() {
    let site = temp_copy(&fixture("sites/county"));
    let files = build(site.path());
    let all = pages(&files);
    assert!(all.len() > 20);
    for p in &all {
        let page = html(&files, p);
        // Header: emblem, portal name linked to the portal, the site's own title.
        assert!(
            page.contains(
                "class=portal-name><a href=https://example.org/>示例县人民政府网站（示例）</a>"
            ),
            "{p}: portal name linked to the portal"
        );
        let srcs = attr_values(&page, "src");
        let images: Vec<&&str> = srcs.iter().filter(|s| s.contains("portal-")).collect();
        // The 404 page is served at any depth and links by absolute address: it shows no
        // images, which would load from the configured address.
        let want = if *p == "404.html" { 0 } else { 2 };
        assert_eq!(
            images.len(),
            want,
            "{p}: emblem and 党政机关 mark: {images:?}"
        );
        for src in images {
            let rel = src.trim_start_matches(&*"../".repeat(p.matches('/').count()));
            let rel = rel.trim_start_matches("https://example.org/county/");
            assert!(files.contains_key(rel), "{p}: image {src} is in the output");
        }
        // 当前位置 starts at the portal, then this site's home.
        let c = crumbs(&page);
        assert_eq!(c[0].0, "示例县人民政府网站（示例）", "{p}");
        assert_eq!(c[0].1.as_deref(), Some("https://example.org/"), "{p}");
        assert_eq!(c[1].0, "示例县政务公开重点工作台账", "{p}");
        if *p != "index.html" {
            assert!(c[1].1.as_deref().unwrap().ends_with("index.html"), "{p}");
        }
        assert!(
            c.last().unwrap().1.is_none(),
            "{p}: the last item is this page"
        );
        // Footer: linked registrations, error reporting, site map, 承办单位, 党政机关 mark.
        let hrefs = attr_values(&page, "href");
        for want in [
            "https://beian.miit.gov.cn/",
            "https://beian.mps.gov.cn/#/query/webSearch?code=00000000000001",
            "https://example.org/jiucuo",
            "https://example.org/conac",
        ] {
            assert!(hrefs.contains(&want), "{p}: a link to {want}");
        }
        assert!(
            hrefs.iter().any(|h| h.ends_with("sitemap.html")),
            "{p}: 网站地图 links to the page for people"
        );
        for want in [
            "承办单位",
            "示例县政务服务和大数据管理局（示例）",
            "我为政府网站找错",
            "任务清单下载（CSV，可用 Excel 打开）",
        ] {
            assert!(page.contains(want), "{p}: {want}");
        }
        assert_eq!(page.contains("alt=党政机关网站标识"), want == 2, "{p}");
    }
}

#[test]
fn detail_pages_show_the_disclosure_metadata_the_plan_holds_and_nothing_else() {
    let site = temp_copy(&fixture("sites/county"));
    let files = build(site.path());
    // 2024 declares 索引号, 文号 and 主题分类; 2023 declares none of them.
    let t2024 = files
        .keys()
        .find(|p| p.starts_with("2024/tasks/"))
        .unwrap()
        .clone();
    let t2023 = files
        .keys()
        .find(|p| p.starts_with("2023/tasks/"))
        .unwrap()
        .clone();
    let page = text(&html(&files, &t2024));
    for want in [
        "索引号：000000000/2024-00001（示例）",
        "发布机构：示例县人民政府办公室",
        "发布日期：2024年3月1日",
        "主题分类：政务公开",
    ] {
        let want = want.replace('：', "");
        assert!(page.contains(&want), "{t2024}: {want}");
    }
    let page = text(&html(&files, &t2023));
    assert!(page.contains("发布机构示例县人民政府办公室"), "{t2023}");
    for absent in ["索引号", "主题分类", "文号", "成文日期"] {
        assert!(!page.contains(absent), "{t2023}: {absent} is not invented");
    }
    // A plan that declares its 主题分类 unknown says so.
    let site = temp_copy(&fixture("sites/county"));
    let plan = site.path().join("content/plans/2023/plan.yaml");
    let yaml = std::fs::read_to_string(&plan).unwrap();
    std::fs::write(&plan, format!("{yaml}subject: 未载明\n")).unwrap();
    let files = build(site.path());
    assert!(text(&html(&files, &t2023)).contains("主题分类未载明"));
}

#[test]
fn without_portal_settings_nothing_is_made_up() {
    let site = default_site();
    let files = build(site.path());
    let page = html(&files, "2023/tasks/2-1-2.html");
    assert!(
        !page.contains("承办单位"),
        "no 承办单位 when site.yaml has none"
    );
    assert!(
        !page.contains("portal-emblem"),
        "no emblem when site.yaml has none"
    );
    assert!(!page.contains("党政机关网站标识"));
    // The site identification code is a placeholder: the platform's home page, not a link
    // built from it.
    assert!(attr_values(&page, "href").contains(&"https://zfwzzc.www.gov.cn/"));
    let c = crumbs(&page);
    assert_eq!(c[0].1.as_deref(), Some("https://www.example.gov.cn/"));
    // Without a portal address, 当前位置 starts at this site's 首页.
    let yaml = site.path().join("content/site.yaml");
    let text0 = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(
        &yaml,
        text0.replace("  url: https://www.example.gov.cn/\n", ""),
    )
    .unwrap();
    let files = build(site.path());
    let c = crumbs(&html(&files, "2023/tasks/2-1-2.html"));
    assert_eq!(c[0].0, "首页");
    assert_eq!(c[0].1.as_deref(), Some("../../index.html"));
    let home = crumbs(&html(&files, "index.html"));
    assert_eq!(home, vec![("首页".to_string(), None)]);
}

#[test]
fn site_map_lists_every_section() {
    let site = default_site();
    let files = build(site.path());
    let map = html(&files, "sitemap.html");
    let links: BTreeSet<&str> = attr_values(&map, "href").into_iter().collect();
    let checked = gongkai::check_site(site.path(), None).unwrap();
    let s = checked.site.unwrap();
    let mut want: Vec<String> = vec![
        "index.html".into(),
        "units/index.html".into(),
        "search.html".into(),
        "data/tasks.csv".into(),
        "sitemap.xml".into(),
    ];
    for plan in &s.plans {
        want.push(format!("{}/index.html", plan.id));
        want.push(format!("{}/timeline.html", plan.id));
        if !plan.pilots.is_empty() {
            want.push(format!("{}/pilots.html", plan.id));
        }
        for c in &plan.categories {
            want.push(format!("{}/categories/{}.html", plan.id, c.number));
        }
    }
    for u in &s.units {
        want.push(format!("units/{}.html", u.id.value));
    }
    for g in &s.groups {
        want.push(format!("units/{}.html", g.id.value));
    }
    for p in &s.pages {
        want.push(format!("pages/{}.html", p.slug));
    }
    for w in &want {
        assert!(links.contains(w.as_str()), "the site map links to {w}");
        assert!(files.contains_key(w), "{w} exists");
    }
    assert!(want.len() > 60, "{} sections", want.len());
}

/// Every fragment of the search index: (page URL, indexed text).
#[cfg(feature = "search")]
fn index_fragments(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (path, bytes) in files {
        if !(path.starts_with("pagefind/fragment/") && path.ends_with(".pf_fragment")) {
            continue;
        }
        let mut raw = Vec::new();
        use std::io::Read;
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_end(&mut raw)
            .unwrap();
        assert!(
            raw.starts_with(b"pagefind_dcd"),
            "{path}: a Pagefind fragment"
        );
        let v: serde_json::Value = serde_json::from_slice(&raw[12..]).unwrap();
        // Chinese text is stored as segmented words with zero-width spaces between them.
        let content: String = v["content"]
            .as_str()
            .unwrap()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\u{200b}')
            .collect();
        out.insert(v["url"].as_str().unwrap().to_string(), content);
    }
    out
}

#[cfg(feature = "search")]
#[test]
fn search_index_holds_the_published_pages_only_and_is_deterministic() {
    let site = default_site();
    let files = build(site.path());
    let index = index_fragments(&files);
    // Every content page is in the index; the 404, search and site-map pages are not.
    let expected: BTreeSet<String> = pages(&files)
        .into_iter()
        .filter(|p| !["404.html", "search.html", "sitemap.html"].contains(&p.as_str()))
        .map(|p| format!("/{p}"))
        .collect();
    let indexed: BTreeSet<String> = index.keys().cloned().collect();
    assert_eq!(indexed, expected);
    // A task's text is indexed with its page; a record held back from publication (待初审)
    // is in no page, so in no fragment.
    assert!(index["/2023/tasks/2-3-2.html"].contains("建设政策咨询库"));
    assert!(
        index.values().all(|t| !t.contains("个体劳动者协会")),
        "a record awaiting 初审 is not searchable"
    );
    // Header, navigation and footer are not indexed (only <main>).
    assert!(index.values().all(|t| !t.contains("网站标识码")));
    // The same content gives the same index, byte for byte.
    let again = build(site.path());
    let idx = |f: &BTreeMap<String, Vec<u8>>| -> BTreeMap<String, Vec<u8>> {
        f.iter()
            .filter(|(p, _)| p.starts_with("pagefind/"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect()
    };
    assert_eq!(idx(&files), idx(&again), "the index is rebuilt identically");
    // The other held record (待终审: two of three sign-offs) is not searchable either, while a
    // signed record of the same file is.
    assert!(index.values().all(|t| !t.contains("公报数据库已完成")));
    let progress = site
        .path()
        .join("content/plans/2023/progress/shizhengfu.yaml");
    let yaml = std::fs::read_to_string(&progress).unwrap();
    assert!(yaml.contains("（示例）公报数据库已完成2022年以前各期整理。"));
    assert!(
        index
            .values()
            .any(|t| t.contains("政策文件库已归集现行有效文件")),
        "a signed record is searchable"
    );
}

#[test]
fn a_site_without_search_offers_none_anywhere() {
    // `search: false` (the portal's own search covers the site, or a very large site): no
    // search page, no index, no box or link that would lead to a missing page.
    let site = temp_copy(&fixture("sites/county"));
    let yaml = site.path().join("content/site.yaml");
    let before = std::fs::read_to_string(&yaml).unwrap();
    assert!(!before.contains("\nsearch:"));
    std::fs::write(&yaml, format!("{before}search: false\n")).unwrap();
    let o = gongkai_at(site.path(), &["check"]);
    assert!(o.status.success(), "check agrees:\n{}", stderr(&o));
    let files = build(site.path());
    assert!(!files.contains_key("search.html"));
    assert!(
        !files.keys().any(|p| p.starts_with("pagefind/")),
        "no index"
    );
    assert!(
        !files
            .keys()
            .any(|p| p.contains("search.") && p.ends_with(".js")),
        "no search script"
    );
    let all = pages(&files);
    assert!(all.len() > 20);
    for p in &all {
        let page = html(&files, p);
        assert!(!page.contains("站内搜索"), "{p} offers search");
        assert!(!page.contains("role=search"), "{p} has a search box");
        assert!(
            !page.contains("data-pagefind-body"),
            "{p} is marked for an index"
        );
    }
    // Every link still leads somewhere, and the site map still lists every section.
    common::links::check(site.path(), &site.path().join("output"));
    assert!(html(&files, "sitemap.html").contains("开放数据"));
    // Turned back on, the same content has its search again.
    std::fs::write(&yaml, &before).unwrap();
    let files = build(site.path());
    assert_eq!(
        files.contains_key("search.html"),
        cfg!(feature = "search"),
        "search.html is back"
    );
}

#[test]
fn portal_settings_mistakes_are_reported_where_they_are_written() {
    let site = temp_copy(&fixture("sites/county"));
    let yaml = site.path().join("content/site.yaml");
    let text0 = std::fs::read_to_string(&yaml).unwrap();
    let bad = text0
        .replace("  url: https://example.org/\n", "  url: example.org\n")
        .replace(
            "  emblem: images/emblem.svg\n",
            "  emblem: ../images/emblem.svg\n",
        )
        .replace(
            "  conac_mark: images/dzjg.svg\n",
            "  conac_mark: images/missing.png\n",
        )
        .replace(
            "  report_error_url: https://example.org/jiucuo\n",
            "  report_error_url: javascript:alert(1)\n",
        );
    std::fs::write(&yaml, &bad).unwrap();
    let line = |needle: &str| {
        bad.lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap()
    };
    let o = gongkai_at(site.path(), &["check"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    for (needle, msg) in [
        (
            "url: example.org",
            "门户网站首页地址（portal.url） \"example.org\" 不是绝对网址",
        ),
        ("emblem:", "不在 content/ 文件夹里"),
        (
            "conac_mark:",
            "找不到 portal.conac_mark 的图片 content/images/missing.png",
        ),
        ("report_error_url:", "不是绝对网址"),
    ] {
        let at = format!("content/site.yaml:{}:", line(needle));
        assert!(
            err.lines().any(|l| l.contains(&at) && l.contains(msg)),
            "{at} {msg}\n{err}"
        );
    }
    // build agrees with check and leaves nothing behind.
    let o = gongkai_at(site.path(), &["build", "--output", "output"]);
    assert!(!o.status.success());
    assert!(!site.path().join("output").exists());
    // An image that is not one a browser shows.
    let bmp = text0.replace("images/emblem.svg", "images/emblem.bmp");
    std::fs::write(site.path().join("content/images/emblem.bmp"), b"BM").unwrap();
    std::fs::write(&yaml, bmp).unwrap();
    let err = stderr(&gongkai_at(site.path(), &["check"]));
    assert!(err.contains("不是网页能显示的图片"), "{err}");
}

#[test]
fn a_plan_folder_named_like_the_search_index_is_refused() {
    let site = temp_copy(&fixture("sites/county"));
    let plans = site.path().join("content/plans");
    std::fs::rename(plans.join("2023"), plans.join("pagefind")).unwrap();
    let o = gongkai_at(site.path(), &["build", "--output", "output"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("站内搜索索引的文件夹"), "{err}");
    assert!(!site.path().join("output").exists());
}
