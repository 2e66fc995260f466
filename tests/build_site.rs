//! Integration tests: build the default content and fixture sites, and look at the output as a
//! publisher would: every task text on its pages, no broken link, byte-identical rebuilds, an
//! atomic swap that survives a failing build, and the output served under a sub-path by nginx.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::common;
use common::links::{attr_values, normalize, strip_tags, unescape};
use common::{default_site, fixture, gongkai_at, repo, temp_copy, tree};

/// `gongkai build --root <root> --output <out>`.
fn build(root: &Path, out: &str) -> std::process::Output {
    gongkai_at(root, &["build", "--output", out])
}

#[test]
fn no_broken_internal_link_or_anchor() {
    let site = default_site();
    assert!(build(site.path(), "output").status.success());
    let checked = common::links::check(site.path(), &site.path().join("output"));
    assert!(checked > 1000, "only {checked} links checked");
    let county = temp_copy(&fixture("sites/county"));
    assert!(build(county.path(), "output").status.success());
    common::links::check(county.path(), &county.path().join("output"));
}

fn read_html(path: &Path) -> String {
    unescape(&std::fs::read_to_string(path).unwrap())
}

#[test]
fn every_task_text_is_on_its_task_page_and_category_page() {
    let site = default_site();
    let o = build(site.path(), "output");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = site.path().join("output");
    let checked = gongkai::check_site(site.path(), None).unwrap();
    let s = checked.site.unwrap();
    let plan = &s.plans[0];
    let mut n = 0;
    for t in plan.tasks() {
        let task_page = read_html(&out.join(format!("2023/tasks/{}.html", t.id())));
        assert!(
            task_page.contains(t.entry.text.as_str()),
            "task {} text missing on its page",
            t.id()
        );
        let cell = &t.entry.responsible_text.as_ref().unwrap().value;
        // The verbatim cell is shown with unit names linked: strip tags and compare.
        let plain = strip_tags(&task_page);
        assert!(
            plain.contains(cell.as_str()),
            "task {} responsible cell missing",
            t.id()
        );
        let cat_page = read_html(&out.join(format!("2023/categories/{}.html", t.category)));
        assert!(
            cat_page.contains(t.entry.text.as_str()),
            "task {} text missing on category page",
            t.id()
        );
        n += 1;
    }
    assert_eq!(n, 50);
}

#[test]
fn builds_are_byte_identical_and_as_of_changes_status() {
    let site = default_site();
    assert!(build(site.path(), "a").status.success());
    assert!(build(site.path(), "b").status.success());
    let a = tree(&site.path().join("a"));
    let b = tree(&site.path().join("b"));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs between two builds");
    }
    // A past as-of date shows the site as it stood then: task 2-1-2 (8月31日) not yet done.
    let o = gongkai_at(
        site.path(),
        &["build", "--output", "past", "--as-of", "2023-08-01"],
    );
    assert!(o.status.success());
    let page = read_html(&site.path().join("past/2023/tasks/2-1-2.html"));
    assert!(page.contains("数据截至 2023年8月1日"));
    assert!(
        page.contains("未报送"),
        "nobody had reported on 2-1-2 by then"
    );
    assert!(!page.contains("未开始"), "and nobody said 未开始");
    let now = read_html(&site.path().join("a/2023/tasks/2-1-2.html"));
    assert!(now.contains("数据截至 2023年10月1日"));
    assert!(
        now.contains("完成情况</dt><dd><span class=\"st st-done\">"),
        "task 2-1-2 is done by 2023-10-01"
    );
    assert!(
        page.contains("完成情况</dt><dd><span class=\"st st-not-reported\">"),
        "and not reported on 2023-08-01"
    );
}

#[test]
fn failed_build_leaves_previous_output_intact() {
    let site = default_site();
    assert!(build(site.path(), "output").status.success());
    let before = tree(&site.path().join("output"));
    // A theme whose task page fails at render time (an undefined variable), after other pages
    // rendered fine.
    let tpl = site.path().join("themes/broken/templates");
    std::fs::create_dir_all(&tpl).unwrap();
    let task = std::fs::read_to_string(repo().join("themes/default/templates/task.html")).unwrap();
    std::fs::write(
        tpl.join("task.html"),
        task.replace("{{ task.text }}", "{{ task.no_such_field }}"),
    )
    .unwrap();
    let cfg = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace("theme: default", "theme: broken");
    std::fs::write(&cfg, text).unwrap();
    let o = build(site.path(), "output");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("task.html"), "{err}");
    assert!(err.contains("原有输出保持不变"), "{err}");
    assert_eq!(
        before,
        tree(&site.path().join("output")),
        "output changed by a failed build"
    );
    let leftovers: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The lock and the build cache (`build`'s own, see tests/build_incremental.rs) stay.
        .filter(|n| n.starts_with('.') && n != ".output.lock" && n != ".output.build-cache.json")
        .collect();
    assert!(leftovers.is_empty(), "staging left behind: {leftovers:?}");
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_create() {
    let site = default_site();
    let mine = site.path().join("documents");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("报告.docx"), "keep me").unwrap();
    let o = build(site.path(), "documents");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("拒绝覆盖"));
    assert_eq!(
        std::fs::read_to_string(mine.join("报告.docx")).unwrap(),
        "keep me"
    );
}

#[test]
fn a_site_with_only_content_builds_with_the_builtin_theme_and_overrides_apply() {
    let site = default_site();
    let tpl = site.path().join("themes/default/templates/partials");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(
        tpl.join("toolbar.html"),
        "<p id=\"custom-toolbar\">本地覆盖</p>",
    )
    .unwrap();
    assert!(build(site.path(), "output").status.success());
    let home = std::fs::read_to_string(site.path().join("output/index.html")).unwrap();
    assert!(
        home.contains("本地覆盖"),
        "site theme file overrides the built-in one"
    );
    assert!(
        home.contains("完成情况汇总"),
        "other templates still come from the built-in theme"
    );
}

#[test]
fn machine_readable_outputs() {
    let site = default_site();
    assert!(build(site.path(), "output").status.success());
    let out = site.path().join("output");
    let csv = std::fs::read(out.join("data/tasks.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "CSV has a BOM for Excel");
    assert_eq!(String::from_utf8_lossy(&csv).lines().count(), 51);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/tasks.json")).unwrap()).unwrap();
    assert_eq!(json["tasks"].as_array().unwrap().len(), 50);
    // sitemap.xml is the index of the sitemap's files; a small site needs one.
    let index = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(
        index.contains("<sitemap><loc>https://www.example.gov.cn/zwgk/gongkai/sitemap-1.xml</loc>")
    );
    assert!(!out.join("sitemap-2.xml").exists());
    let sitemap = std::fs::read_to_string(out.join("sitemap-1.xml")).unwrap();
    assert!(
        sitemap
            .contains("<loc>https://www.example.gov.cn/zwgk/gongkai/2023/tasks/1-1-1.html</loc>")
    );
    assert!(!sitemap.contains("404.html"));
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    assert!(feed.contains("<entry>") && feed.contains("xml:lang=\"zh-CN\""));
    assert!(
        std::fs::read_to_string(out.join("robots.txt"))
            .unwrap()
            .contains("Sitemap: https://")
    );
    // Pages load nothing from another host; they link off the site only to the portal, the
    // registration lookups and error-reporting platform of the footer, and evidence documents.
    for (path, bytes) in tree(&out) {
        if path.ends_with(".html") && path != "404.html" {
            let html = String::from_utf8_lossy(&bytes);
            for v in attr_values(&html, "src") {
                assert!(!v.contains("://"), "{path} loads {v}");
            }
            for v in attr_values(&html, "href") {
                let ok = !v.contains("://")
                    || v.starts_with("https://www.example.gov.cn/zwgk/gfxwj/")
                    || [
                        "https://www.example.gov.cn/",
                        "https://beian.miit.gov.cn/",
                        "https://beian.mps.gov.cn/#/query/webSearch?code=00000000000000",
                        "https://zfwzzc.www.gov.cn/",
                    ]
                    .contains(&v);
                assert!(ok, "{path} links to {v}");
            }
        }
    }
}

/// Compare the `<main>` of key pages with the checked-in snapshots under tests/snapshots/. A
/// missing or changed snapshot fails; after an intended change rewrite them with the command
/// below and review the diff.
#[test]
fn snapshots_of_key_pages() {
    let site = default_site();
    assert!(build(site.path(), "output").status.success());
    let out = site.path().join("output");
    let snapshots: Vec<(String, String)> = [
        "index.html",
        "2023/categories/2.html",
        "2023/tasks/2-1-2.html",
        "units/sifa.html",
        "units/xiangzhen.html",
        "2023/pilots.html",
        "2023/timeline.html",
    ]
    .into_iter()
    .map(|page| {
        let html = std::fs::read_to_string(out.join(page)).unwrap();
        let start = html.find("<main").unwrap();
        let end = html.find("</main>").unwrap() + "</main>".len();
        let main = html[start..end].replace("><", ">\n<");
        (page.replace('/', "__"), main)
    })
    .collect();
    common::snapshot::assert_snapshots(
        &repo().join("tests/snapshots"),
        &snapshots,
        "UPDATE_SNAPSHOTS=1 cargo test --release --test all snapshots_of_key_pages",
    );
}

/// Serve the output with nginx under a sub-path and fetch every file through it.
#[test]
fn works_under_a_sub_path_of_a_real_web_server() {
    let nginx = ["/usr/sbin/nginx", "/usr/bin/nginx"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    let Some(nginx) = nginx else {
        assert!(
            std::env::var("CI").is_err(),
            "nginx is required in CI (apt-get install nginx-light)"
        );
        eprintln!("nginx not installed: skipping the sub-path test");
        return;
    };
    let site = default_site();
    assert!(build(site.path(), "output").status.success());
    let out = site.path().join("output");
    let www = site.path().join("www/zwgk/2023gk");
    std::fs::create_dir_all(www.parent().unwrap()).unwrap();
    std::fs::rename(&out, &www).unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let conf = site.path().join("nginx.conf");
    let prefix = site.path().join("nginx");
    std::fs::create_dir_all(prefix.join("logs")).unwrap();
    std::fs::write(
        &conf,
        format!(
            "daemon off; master_process off; pid {p}/nginx.pid; error_log {p}/logs/error.log;\n\
             events {{ worker_connections 64; }}\n\
             http {{ include /etc/nginx/mime.types; access_log off; client_body_temp_path {p}/tmp; proxy_temp_path {p}/tmp; fastcgi_temp_path {p}/tmp; uwsgi_temp_path {p}/tmp; scgi_temp_path {p}/tmp;\n\
               server {{ listen 127.0.0.1:{port}; root {root}; error_page 404 /zwgk/2023gk/404.html; }} }}\n",
            p = prefix.display(),
            root = site.path().join("www").display()
        ),
    )
    .unwrap();
    let mut child = Command::new(nginx)
        .args(["-c", conf.to_str().unwrap(), "-p", prefix.to_str().unwrap()])
        .spawn()
        .expect("start nginx");
    let mut ok = false;
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            ok = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let result = std::panic::catch_unwind(|| {
        assert!(ok, "nginx did not start");
        let files = tree(&www);
        let mut fetched = 0;
        for (path, bytes) in &files {
            if path.starts_with('.') {
                continue;
            }
            let (status, body) = http_get(port, &format!("/zwgk/2023gk/{path}"));
            assert_eq!(status, 200, "{path}");
            assert_eq!(&body, bytes, "{path} served differently");
            fetched += 1;
        }
        assert!(fetched > 100);
        let (status, body) = http_get(port, "/zwgk/2023gk/no/such/page.html");
        assert_eq!(status, 404);
        assert!(String::from_utf8_lossy(&body).contains("页面不存在"));
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
}

fn http_get(port: u16, path: &str) -> (u16, Vec<u8>) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    let encoded: String = path
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    write!(s, "GET {encoded} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let head_end = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, buf[head_end + 4..].to_vec())
}

/// The most rows a list shows on one page.
const PAGE_SIZE: usize = 100;

/// The task ids of the rows of every task table in `html` (each row's `<th scope=row>`).
fn row_ids(html: &str) -> Vec<String> {
    html.replace("scope=\"row\"", "scope=row")
        .split("<th scope=row")
        .skip(1)
        .map(|rest| strip_tags(&format!("<th{}", &rest[..rest.find("</th>").unwrap()])))
        .collect()
}

/// One pager of a page (`<nav class=pager>`): `(href, label, rel)` of each link, in order.
type Pager = Vec<(String, String, String)>;

/// The pagers of `html`, in order.
fn pagers(html: &str) -> Vec<Pager> {
    let mut navs = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<nav") {
        let end = start + rest[start..].find("</nav>").unwrap();
        let nav = &rest[start..end];
        rest = &rest[end..];
        let open = &nav[..nav.find('>').unwrap()];
        if !attr_values(open, "class").contains(&"pager") {
            continue;
        }
        let links = nav
            .split("<a ")
            .skip(1)
            .map(|a| {
                let tag = format!(" {}", &a[..a.find('>').unwrap()]);
                let one = |attr: &str| {
                    attr_values(&tag, attr)
                        .first()
                        .map_or(String::new(), |v| unescape(v))
                };
                (one("href"), one("aria-label"), one("rel"))
            })
            .collect();
        navs.push(links);
    }
    navs
}

/// The pages of the paginated list whose first page is `first` (a path under `out`), found by
/// following the pager's links and never by spelling page file names: `(path, html)` in order.
/// Checks on the way that every page has the same pager above and below its list, that page 1's
/// pager links every page by number, and that each page marks itself as the current one.
fn list_pages(out: &Path, first: &str) -> Vec<(String, String)> {
    let resolve = |page: &str, href: &str| -> String {
        normalize(&Path::new(page).parent().unwrap().join(href))
    };
    let mut pages: Vec<(String, String)> = Vec::new();
    let mut next = Some(first.to_string());
    while let Some(path) = next.take() {
        assert!(
            pages.iter().all(|(p, _)| *p != path),
            "{first}: the pager goes round in a circle at {path}"
        );
        let html = std::fs::read_to_string(out.join(&path)).unwrap_or_else(|e| {
            panic!("{first}: the pager links {path}, which cannot be read: {e}")
        });
        let n = pages.len() + 1;
        let navs = pagers(&html);
        if !navs.is_empty() {
            assert_eq!(
                navs.len(),
                2,
                "{path}: one pager above and one below the list"
            );
            let hrefs = |nav: &Pager| nav.iter().map(|(h, _, _)| h.clone()).collect::<Vec<_>>();
            assert_eq!(
                hrefs(&navs[0]),
                hrefs(&navs[1]),
                "{path}: the two pagers differ"
            );
            let current: Vec<&String> = navs[0]
                .iter()
                .filter(|(_, label, _)| *label == format!("第{n}页（当前页）"))
                .map(|(href, _, _)| href)
                .collect();
            assert_eq!(current.len(), 1, "{path}: page {n} is marked current once");
            assert_eq!(
                resolve(&path, current[0]),
                path,
                "{path}: the current page links itself"
            );
            next = navs[0]
                .iter()
                .find(|(_, _, rel)| rel == "next")
                .map(|(href, _, _)| resolve(&path, href));
        }
        pages.push((path, html));
    }
    // Page 1's pager names every page by number (a short list has no gaps), in the same order.
    let (path1, html1) = &pages[0];
    let numbered: Vec<String> = pagers(html1)
        .first()
        .map(|nav| {
            nav.iter()
                .filter(|(_, label, _)| label.starts_with('第'))
                .map(|(href, _, _)| resolve(path1, href))
                .collect()
        })
        .unwrap_or_default();
    if pages.len() > 1 {
        let paths: Vec<String> = pages.iter().map(|(p, _)| p.clone()).collect();
        assert_eq!(
            numbered, paths,
            "{first}: page 1's pager against the pages reached by 下一页"
        );
    }
    pages
}

/// `total` rows on pages of PAGE_SIZE: e.g. 250 → [100, 100, 50].
fn page_sizes(total: usize) -> Vec<usize> {
    (0..total.div_ceil(PAGE_SIZE))
        .map(|i| PAGE_SIZE.min(total - i * PAGE_SIZE))
        .collect()
}

/// A list of tasks in the output.
#[derive(Clone, Copy, Debug)]
enum List {
    /// A list whose first page is this file (a category page, a unit's ledger).
    Page(&'static str),
    /// A section of the plan's timeline page, by its anchor: a short section is listed inline, a
    /// long one is linked to pages of its own.
    TimelineSection(&'static str),
}

/// The task ids of each page of `list` in the site built into `out`, page by page.
fn list_rows(out: &Path, list: List) -> Vec<Vec<String>> {
    let first = match list {
        List::Page(first) => first.to_string(),
        List::TimelineSection(anchor) => {
            let page = "2023/timeline.html";
            let html = std::fs::read_to_string(out.join(page)).unwrap();
            let open = format!("<section aria-labelledby={anchor}>");
            let start = html
                .find(&open)
                .unwrap_or_else(|| panic!("{page}: no {open}"));
            let section = &html[start..start + html[start..].find("</section>").unwrap()];
            let inline = row_ids(section);
            if !inline.is_empty() {
                return vec![inline];
            }
            let more = attr_values(section, "href");
            assert_eq!(
                more.len(),
                1,
                "{page}#{anchor}: one link to the section's pages"
            );
            normalize(&Path::new(page).parent().unwrap().join(unescape(more[0])))
        }
    };
    list_pages(out, &first)
        .iter()
        .map(|(_, html)| row_ids(html))
        .collect()
}

/// A large plan paginates: each long list runs over exactly as many pages as its rows need, every
/// page but the last holds exactly PAGE_SIZE rows, and every row is on exactly one page. Pages are
/// reached through the links the pages show, so the test does not depend on how page files are
/// named.
#[test]
fn long_lists_paginate() {
    // Each list with the rows the 250 added tasks add to it: all 250 are 市发改局's and in
    // category 1; odd ones are due 12月31日 (timeline month 2023-12), even ones 及时公开.
    let lists = [
        (List::Page("2023/categories/1.html"), 250),
        (List::Page("units/fagai.html"), 250),
        (List::TimelineSection("timely"), 125),
        (List::TimelineSection("m2023-12"), 125),
    ];
    let site = default_site();
    let o = build(site.path(), "before");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Before: each list fits on one page; its rows are the base the new tasks add to.
    let base: Vec<usize> = lists
        .iter()
        .map(|(list, _)| {
            let pages = list_rows(&site.path().join("before"), *list);
            assert_eq!(
                pages.len(),
                1,
                "{list:?} is one page in the default content"
            );
            assert!(
                !pages[0].is_empty(),
                "{list:?} lists tasks in the default content"
            );
            pages[0].len()
        })
        .collect();

    let file = site.path().join("content/plans/2023/tasks/1.yaml");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("  - title: \"分页测试\"\n    tasks:\n");
    for i in 1..=250 {
        let deadline = if i % 2 == 0 {
            "及时公开"
        } else {
            "12月31日"
        };
        text.push_str(&format!(
            "      - id: \"p-{i}\"\n        text: \"第{i}项分页测试任务。\"\n        responsible_text: \"市发改局\"\n        responsible: [fagai]\n        deadline: \"{deadline}\"\n"
        ));
    }
    std::fs::write(&file, text).unwrap();
    let o = build(site.path(), "output");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = site.path().join("output");
    common::links::check(site.path(), &out);

    for ((list, added), base) in lists.iter().zip(base) {
        let pages = list_rows(&out, *list);
        let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
        let expected = page_sizes(base + added);
        assert!(
            expected.len() > 1,
            "{list:?}: the test needs a list that paginates"
        );
        assert_eq!(
            sizes, expected,
            "{list:?}: rows per page ({base} + {added} rows)"
        );
        // Every row on exactly one page: no task repeated across pages, none of the new ones lost.
        let ids: Vec<&String> = pages.iter().flatten().collect();
        let unique: BTreeSet<&&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{list:?}: a task listed twice");
        let new = ids.iter().filter(|id| id.starts_with("p-")).count();
        assert_eq!(new, *added, "{list:?}: the added tasks listed");
    }
}

/// Another county's table shape, with no code changes: 牵头/配合 columns, 科室 as units, no
/// deadline column, text deadlines, a category repeated across a page break, two plan years.
#[test]
fn a_differently_shaped_plan_builds() {
    let tmp = temp_copy(&fixture("sites/county"));
    let o = gongkai_at(tmp.path(), &["check", "--deny-warnings"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = build(tmp.path(), "output");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("records.yaml#r1：待初审"));
    let out = tmp.path().join("output");
    common::links::check(tmp.path(), &out);
    let home = read_html(&out.join("index.html"));
    assert!(home.contains("示例县2024年政务公开重点工作分工") && home.contains("历年工作要点"));
    assert!(
        home.contains("示例县2023年政务公开重点工作分工"),
        "both plans are reachable"
    );
    assert!(out.join("2023/tasks/1-1.html").is_file() && out.join("2024/tasks/1-1.html").is_file());
    let cat = read_html(&out.join("2024/categories/1.html"));
    assert!(
        cat.contains("规范公开目录") && cat.contains("财政信息公开"),
        "the repeated category is merged"
    );
    let task = read_html(&out.join("2024/tasks/1-1.html"));
    assert!(task.contains("牵头单位（原文）") && task.contains("配合单位（原文）"));
    assert!(
        task.contains("<a href=../../units/xinxi-gu.html>信息化股</a>"),
        "an alias links to its unit"
    );
    assert!(
        task.contains("2024年12月31日前完成"),
        "年底前 read in the plan year"
    );
    let t3 = read_html(&out.join("2024/tasks/1-3.html"));
    assert!(t3.contains("原表未规定完成时限"));
    let ledger = read_html(&out.join("units/dongcheng.html"));
    assert!(
        ledger.contains("1-2")
            && ledger.contains("通过<a href=../units/ge-xiangzhen.html>各乡镇</a>"),
        "a member's ledger lists the group's task"
    );
    assert!(
        !strip_tags(&task).contains("主动公开目录初稿已完成"),
        "a 依申请公开 record is not published"
    );
    let guide = std::fs::read_to_string(out.join("pages/guide.html")).unwrap();
    assert!(
        !guide.contains("<script>alert"),
        "raw HTML in Markdown is not executed"
    );
    assert!(guide.contains("<th scope=col>栏目</th>"));
}

/// The pages say what is unknown and what was left out (issue 13): an as-of date before the
/// issue date and records after the as-of date are noticed on the pages; an issue date the
/// source does not give reads 未载明 (no invented date, no PubDate); optional fields left out are
/// omitted, not shown as 未标注; a table without sub-categories shows no invented level; a
/// deadline is shown as written.
#[test]
fn pages_say_what_is_unknown() {
    let site = temp_copy(&fixture("check/as_of_warnings"));
    assert!(build(site.path(), "output").status.success());
    let out = site.path().join("output");
    for page in [
        "index.html",
        "2023/index.html",
        "2023/categories/1.html",
        "2023/tasks/1-1-1.html",
    ] {
        let html = read_html(&out.join(page));
        assert!(
            html.contains("数据截至日期（2023年6月1日）早于本文件的印发日期（2023年6月16日）"),
            "{page}"
        );
    }
    // A published record after the as-of date (district 3-2, 2023-01-05; as of 2022-12-31).
    let district = temp_copy(&fixture("sites/district"));
    assert!(build(district.path(), "output").status.success());
    let out = district.path().join("output");
    for page in [
        "2022/index.html",
        "2022/categories/3.html",
        "2022/timeline.html",
    ] {
        let html = read_html(&out.join(page));
        assert!(
            html.contains(
                "另有 1 条进展记录的日期晚于数据截至日期（2022年12月31日），未计入完成情况。"
            ),
            "{page}"
        );
    }
    let c1 = read_html(&out.join("2022/categories/1.html"));
    assert!(!c1.contains("另有"), "category 1 has no such record");
    let task = read_html(&out.join("2022/tasks/3-2.html"));
    assert!(task.contains("本任务另有 1 条进展记录的日期晚于数据截至日期"));
    assert!(
        task.contains("st st-in-progress"),
        "the later done is not counted"
    );
    let other = read_html(&out.join("2022/tasks/3-1.html"));
    assert!(
        !other.contains("另有"),
        "only the task with the record says so"
    );

    let bureau = temp_copy(&fixture("sites/bureau"));
    assert!(build(bureau.path(), "output").status.success());
    let out = bureau.path().join("output");
    let home = read_html(&out.join("index.html"));
    assert!(
        home.contains("<dt>发布日期</dt><dd>未载明</dd>"),
        "the source is silent"
    );
    for absent in ["索引号", "成文日期", "未标注", "1月1日印发", "印发</dd>"] {
        assert!(!home.contains(absent), "{absent}");
    }
    let task = std::fs::read_to_string(out.join("2024/tasks/1-1.html")).unwrap();
    assert!(!task.contains("PubDate"), "no publication date is invented");
    assert!(!task.contains(" › "), "no invented sub-category level");
    let cat = read_html(&out.join("2024/categories/1.html"));
    assert!(
        !cat.contains("重点工作任务："),
        "no invented sub-category heading"
    );
    let ongoing = out.join("2024/tasks/2-1.html");
    let ongoing = read_html(&ongoing);
    assert!(ongoing.contains("<dt>完成时限（原文）</dt><dd>持续推进</dd>"));
    assert!(!ongoing.contains("长期坚持"), "持续推进 is not relabelled");
    assert!(ongoing.contains("持续推进（暂无报送）"), "nobody reported");
}

/// The open data carry the assignment (issue 13): the verbatim 牵头单位 / 配合单位 cells, each
/// assignee with its role and status in JSON and CSV, members reported for by their group, and
/// a JSON Schema beside it that names every field the file has.
#[test]
fn open_data_carry_the_assignment() {
    let site = temp_copy(&fixture("sites/district"));
    assert!(build(site.path(), "output").status.success());
    let out = site.path().join("output");
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/tasks.json")).unwrap()).unwrap();
    let t = doc["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "1-2")
        .unwrap();
    assert_eq!(
        t["responsible_text"], "",
        "the table has no 责任单位 column"
    );
    assert_eq!(t["lead_text"], "区政府办公室");
    assert!(
        t["cooperating_text"]
            .as_str()
            .unwrap()
            .contains("区直各有关单位")
    );
    assert_eq!(t["status"], "done", "the lead reported done");
    let roles: Vec<(&str, &str, &str)> = t["assignees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap(),
                a["role"].as_str().unwrap(),
                a["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(roles[0], ("qu-zhengfuban", "lead", "done"));
    assert!(
        roles[1..]
            .iter()
            .all(|r| r.1 == "cooperating" && r.2 == "not-reported"),
        "{roles:?}"
    );

    // Schema: published, and every field of the file is described in it.
    let schema: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("data/tasks.schema.json")).unwrap())
            .unwrap();
    let defs = &schema["$defs"];
    let props = |v: &serde_json::Value| -> BTreeSet<String> {
        v["properties"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    let keys = |v: &serde_json::Value| -> BTreeSet<String> {
        v.as_object().unwrap().keys().cloned().collect()
    };
    assert_eq!(keys(&doc), props(&schema));
    assert_eq!(keys(t), props(&defs["TaskData"]));
    assert_eq!(keys(&t["assignees"][0]), props(&defs["AssigneeData"]));
    for old in [
        "plan",
        "id",
        "responsible_text",
        "units",
        "status",
        "last_update",
    ] {
        assert!(keys(t).contains(old), "existing field {old} stays");
    }

    // CSV: the old columns first, the new ones after them; one row per assignee and member.
    let tasks_csv = std::fs::read_to_string(out.join("data/tasks.csv")).unwrap();
    assert!(tasks_csv.starts_with("\u{feff}计划,任务编号,工作任务,重点工作任务,任务内容,责任单位（原文）,责任单位编号,完成时限（原文）,时限类别,截止日期,完成情况,最近进展日期,牵头单位（原文）,配合单位（原文）,"));
    assert!(tasks_csv.contains("区政府办公室（牵头）：已完成；区直各有关单位（配合）：未报送"));
    let assignees = std::fs::read_to_string(out.join("data/assignees.csv")).unwrap();
    assert!(
        assignees.contains(
            "2022,3-3,dongcheng,东城街道,牵头,各街道办事处,done,已完成,2022-11-25,各街道办事处"
        ),
        "{assignees}"
    );
    assert!(
        assignees.contains("2022,1-2,qu-zhengfuban,区政府办公室,牵头,,done,已完成,2022-11-10,")
    );
}
