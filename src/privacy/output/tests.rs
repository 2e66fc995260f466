use super::*;

const MOBILE: &str = "13812345678";
const ID: &str = "11010519491231002X";

fn scan(path: &str, bytes: &[u8]) -> Vec<OutputHit> {
    let mut out = Vec::new();
    scan_output(&Detector::default(), path, bytes, &mut out);
    out
}

/// The (kind, value) pairs found.
fn found(path: &str, text: &str) -> Vec<(Kind, String)> {
    scan(path, text.as_bytes())
        .into_iter()
        .map(|h| (h.kind, h.value))
        .collect()
}

fn mobile() -> Vec<(Kind, String)> {
    vec![(Kind::Mobile, MOBILE.to_string())]
}

fn page(body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=zh-CN><head><title>任务</title></head><body>{body}</body></html>"
    )
}

#[test]
fn character_references_are_decoded() {
    for body in [
        "<p>电话&#49;3812345678</p>",
        "<p>电话&#x31;3812345678</p>",
        "<p>电话&#X31;&#x33;&#56;12345678</p>",
        // Without the `;`, as browsers read it.
        "<p>电话&#49&#51&#56 12345678</p>",
        // Named references: NBSP (with and without `;`) and an en dash from Windows-1252.
        "<p>电话138&nbsp;1234&nbsp5678</p>",
        "<p>电话138&#150;1234&ndash;5678</p>",
        // Double escaping, as in a feed whose summary holds HTML.
        "<p>电话&amp;#49;3812345678</p>",
    ] {
        assert_eq!(found("a.html", &page(body)), mobile(), "{body}");
        // Written as is, the same text holds no finding: the decoding is what finds it.
        assert!(
            Detector::default().scan(body).is_empty(),
            "{body} must need decoding"
        );
    }
    let email = vec![(Kind::Email, "zhang@example.com".to_string())];
    assert_eq!(
        found("a.html", &page("<p>zhang&#64;example.com</p>")),
        email
    );
    assert_eq!(
        found("a.html", &page("<p>zhang&commat;example.com</p>")),
        email
    );
    assert_eq!(
        found("a.xml", "<a title='zhang&#x40;example.com'>x</a>"),
        email
    );
    // An unknown name stays as written; nothing is found or broken.
    assert!(found("a.html", &page("<p>&madeup;13812345&foo</p>")).is_empty());
}

#[test]
fn escaped_markup_is_read_as_html() {
    // An Atom summary with escaped HTML: decoded once it is `<p>电话138…</p>`.
    let feed = "<feed><entry><summary type=\"html\">&lt;p&gt;电话&amp;#49;3812345678&lt;/p&gt;</summary></entry></feed>";
    assert_eq!(found("feed.xml", feed), mobile());
    // Escaped cells are still cells: `<td>50</td><td>1</td>…` does not join.
    let cells: String = "13812345678"
        .chars()
        .map(|c| format!("&lt;td&gt;{c}&lt;/td&gt;"))
        .collect();
    assert!(found("feed.xml", &format!("<summary>{cells}</summary>")).is_empty());
}

#[test]
fn percent_encoded_urls_are_decoded() {
    for body in [
        "<a href=/u/%31%33%38%31%32%33%34%35%36%37%38.html>x</a>",
        "<a href=\"tel:%2B86%20138%201234%205678\">x</a>",
        "<a href=\"?tel=%2B86-138-1234-5678\">x</a>",
        // Double encoding.
        "<a href=\"/u/%2531%2533%2538%2531%2532%2533%2534%2535%2536%2537%2538\">x</a>",
        // A form-encoded query: `+` is a space.
        "<a href=\"/s?q=138+1234+5678&amp;x=1\">x</a>",
    ] {
        assert_eq!(found("a.html", &page(body)), mobile(), "{body}");
    }
    assert!(Detector::default().scan("?q=138+1234+5678").is_empty());
    assert_eq!(
        found("a.txt", "https://example.com/?m=zhang%40example.com"),
        vec![(Kind::Email, "zhang@example.com".to_string())]
    );
}

#[test]
fn json_strings_are_unescaped_and_numbers_read() {
    let json = r#"{"a": [{"tel": "电话\u00313812345678"}], "k": 1}"#;
    assert_eq!(found("data/x.json", json), mobile());
    // A key, a surrogate pair next to it, and an escaped quote.
    let json = r#"{"\u0031\u0033\u00381234 5678": 1, "\ud83d\ude00 x\"y": 2}"#;
    assert_eq!(found("data/x.json", json), mobile());
    let json = r#"["\"\u0031\u0033\u0038\ud83d\ude00", "x\"13812345678\""]"#;
    assert_eq!(found("data/x.json", json), mobile());
    // A number's text.
    assert_eq!(found("data/x.json", r#"{"n": 13812345678}"#), mobile());
    assert_eq!(found("data/x.json", "[-1, 2.5e3, 13812345678]"), mobile());
    // A string holding HTML.
    assert_eq!(
        found("data/x.json", r#"{"html": "<p>&#49;3812345678</p>"}"#),
        mobile()
    );
    // Numbers and strings are separate units.
    assert!(found("data/x.json", r#"[138, "1234", 5678]"#).is_empty());
    assert!(found("data/x.json", r#"[1,3,8,1,2,3,4,5,6,7,8]"#).is_empty());
    // Not JSON: read line by line, so nothing is lost.
    assert_eq!(
        found("data/x.json", "{\"a\": \"电话13812345678\n"),
        mobile()
    );
}

#[test]
fn csv_cells_are_units_and_a_quoted_cell_may_span_lines() {
    let csv = "计划,摘要\r\n2023,\"电话138\n1234 5678\"\r\n";
    assert_eq!(found("data/p.csv", csv), mobile());
    let csv = "计划,摘要\n2023,\"她说\"\"电话 138 1234 5678\"\"\"\n";
    assert_eq!(found("data/p.csv", csv), mobile());
    // A tally row: cells are not joined.
    let csv = "a,b,c,d,e,f,g,h,i,j,k\n1,3,8,1,2,3,4,5,6,7,8\n138,1234,5678\n";
    assert!(found("data/p.csv", csv).is_empty());
    // Unterminated quote: read to the end.
    assert_eq!(found("data/p.csv", "a,\"138 1234 5678"), mobile());
}

#[test]
fn table_cells_and_elements_end_a_number() {
    let row: String = "13812345678"
        .chars()
        .map(|c| format!("<td>{c}</td>"))
        .collect();
    assert!(found("a.html", &page(&format!("<table><tr>{row}</tr></table>"))).is_empty());
    let row: String = "13812345678"
        .chars()
        .map(|c| format!("<td data-label=数>{c}</td>\n"))
        .collect();
    assert!(found("a.html", &page(&format!("<table><tr>{row}</tr></table>"))).is_empty());
    assert!(found("a.html", &page("<p>138<em>1234</em>5678</p>")).is_empty());
    assert!(found("a.html", &page("<td>138</td> <td>1234</td> <td>5678</td>")).is_empty());
    // Within one text node the separators join.
    assert_eq!(found("a.html", &page("<td>138 1234 5678</td>")), mobile());
}

#[test]
fn pager_links_are_not_joined() {
    let links: String = "13812345678"
        .chars()
        .map(|c| format!("<li><a href=../units/x/{c}.html aria-label=第{c}页>{c}</a></li> "))
        .collect();
    let pager = format!("<nav class=pager aria-label=分页><ul>{links}</ul></nav>");
    assert!(found("units/x.html", &page(&pager)).is_empty());
    // Bare links with only spaces between them.
    let links: String = "13812345678"
        .chars()
        .map(|c| format!("<a>{c}</a> "))
        .collect();
    assert!(found("units/x.html", &page(&links)).is_empty());
}

#[test]
fn names_and_addresses_do_not_cross_units() {
    assert!(found("a.html", &page("<dt>联系人</dt><dd>张三</dd>")).is_empty());
    assert_eq!(
        found("a.html", &page("<p>联系人张三</p>")),
        vec![(Kind::PersonName, "张三".to_string())]
    );
    assert!(found("a.html", &page("<p>人民路</p><p>12号</p>")).is_empty());
    // The units of the path and of the content are separate too.
    assert!(found("a/联系人.html", "张三").is_empty());
}

#[test]
fn output_paths_are_scanned() {
    assert_eq!(found("units/13812345678.html", ""), mobile());
    assert_eq!(
        found("2023/pages/11010519491231002x.html", ""),
        vec![(Kind::IdNumber, ID.to_string())]
    );
    assert_eq!(
        found("2023/%31%33%38%31%32%33%34%35%36%37%38/index.html", ""),
        mobile()
    );
    // Components are separate units.
    assert!(found("138/1234/5678.html", "").is_empty());
    assert!(found("2023/tasks/2-1-2.html", "").is_empty());
}

#[test]
fn script_style_comments_cdata_and_doctype_are_text() {
    for body in [
        "<script>var tel = '13812345678';</script>",
        "<script type=module>if (a < b && c) { x = \"138 1234 5678\" }</script>",
        "<style>.x::after { content: \"13812345678\" }</style>",
        "<!-- 电话 13812345678 -->",
        "<!-- <p>电话&#49;3812345678</p> -->",
        "<![CDATA[电话 13812345678]]>",
        "</ 13812345678>",
    ] {
        assert_eq!(found("a.html", &page(body)), mobile(), "{body}");
    }
    assert_eq!(found("a.html", "<!DOCTYPE html 13812345678>"), mobile());
    assert_eq!(
        found("a.xml", "<?xml version=\"1.0\" x=\"13812345678\"?><a/>"),
        mobile()
    );
    // The raw text of a script runs to its closing tag, whatever it holds.
    assert_eq!(
        found(
            "a.html",
            "<script>document.write('<p>')</script><p>13812345678</p>"
        ),
        mobile()
    );
    assert_eq!(
        found("a.html", "<SCRIPT>x='13812345678'</SCRIPT >"),
        mobile()
    );
}

#[test]
fn attribute_values_quoted_or_not() {
    for body in [
        "<a href=tel:13812345678>电话</a>",
        "<a title=电话138-1234-5678>x</a>",
        "<meta name=Description content=联系电话13812345678>",
        "<a title='138 1234 5678' href=x>x</a>",
        "<a title = \"138 1234 5678\">x</a>",
        "<img alt=x data-x=13812345678/>",
        "<a data-13812345678>x</a>",
        "<a13812345678>x</a>",
    ] {
        assert_eq!(found("a.html", &page(body)), mobile(), "{body}");
    }
    // Two attribute values never join.
    assert!(found("a.html", &page("<a x=138 y=1234 z=5678>x</a>")).is_empty());
    assert!(found("a.html", &page("<a x=\"138\" y='1234'z=5678>x</a>")).is_empty());
}

#[test]
fn other_text_is_read_by_line_and_binaries_by_printable_runs() {
    assert_eq!(
        found("assets/a.js", "var a = 1;\nvar t = '138 1234 5678';\n"),
        mobile()
    );
    assert_eq!(found("robots.txt", "电话：138-1234-5678"), mobile());
    // Lines are separate units.
    assert!(found("assets/a.css", "a{b:138}\n1234\n5678\n").is_empty());
    // A binary: a run of printable text, and UTF-16 in both byte orders.
    let mut bin = vec![0u8, 0xFF, 0xFE, 0x80];
    bin.extend_from_slice(b"tel 13812345678");
    bin.extend_from_slice(&[0, 0xC3, 0x28]);
    assert_eq!(scan("assets/f.woff2", &bin).len(), 1);
    for be in [false, true] {
        for pad in 0..2 {
            let mut bin = vec![0xFFu8; pad];
            for c in "Copyright 1381234 5678".bytes() {
                bin.extend_from_slice(&if be { [0, c] } else { [c, 0] });
            }
            bin.extend_from_slice(&[0xFF, 0xFE]);
            assert_eq!(
                scan("assets/f.ttf", &bin)
                    .into_iter()
                    .map(|h| (h.kind, h.value))
                    .collect::<Vec<_>>(),
                mobile(),
                "big endian {be}, padding {pad}"
            );
        }
    }
}

#[test]
fn a_finding_is_reported_once_per_file() {
    let body = "<p>13812345678</p><a href=tel:13812345678 title=\"138 1234 5678\">&#49;3812345678</a>\
                <script>'13812345678'</script><a href=/u/%31%33%38%31%32%33%34%35%36%37%38>x</a>";
    let hits = scan("units/13812345678.html", page(body).as_bytes());
    assert_eq!(
        hits,
        vec![OutputHit {
            kind: Kind::Mobile,
            value: MOBILE.to_string()
        }]
    );
    // A large file, scanned in several parts: still once, and every value is found.
    let mut big = String::new();
    for i in 0..20_000 {
        big.push_str(&format!(
            "<tr><td>{i}</td><td>电话 138 1234 5678</td></tr>\n"
        ));
    }
    big.push_str("<p>zhang@example.com</p><p>联系人张三</p>");
    assert!(big.len() > 4 * FLUSH);
    assert_eq!(
        found("big.html", &big),
        vec![
            (Kind::Mobile, MOBILE.to_string()),
            (Kind::Email, "zhang@example.com".to_string()),
            (Kind::PersonName, "张三".to_string()),
        ]
    );
    // Hits are appended to what the caller already has.
    let mut out = vec![OutputHit {
        kind: Kind::Mobile,
        value: MOBILE.to_string(),
    }];
    scan_output(&Detector::default(), "a.txt", MOBILE.as_bytes(), &mut out);
    assert_eq!(out.len(), 2);
}

#[test]
fn exemptions_are_the_detectors() {
    let d = Detector::new(
        super::super::DEFAULT_WORDS,
        &["0818-12345678", MOBILE],
        &[] as &[&str],
    );
    let mut out = Vec::new();
    scan_output(
        &d,
        "a.html",
        page("<p>电话13812345678</p>").as_bytes(),
        &mut out,
    );
    assert!(out.is_empty());
}

#[test]
fn the_separator_is_a_break_for_every_rule() {
    // What the buffer relies on: NUL ends a number, an e-mail address, a name, an address and
    // a word exactly as the end of a unit does.
    let d = Detector::default();
    for (a, b) in [
        ("138", "12345678"),
        ("138 ", " 1234 5678"),
        ("1 3 8 1 2", "3 4 5 6 7 8"),
        ("zhang@", "example.com"),
        ("zhang", "@example.com"),
        ("联系人", "张三"),
        ("人民路", "12号"),
        ("内部", "资料"),
        ("110105", "19491231002X"),
    ] {
        let joined = format!("{a}{SEP}{b}");
        let values = |hits: Vec<Hit>| -> Vec<(Kind, String)> {
            hits.into_iter().map(|h| (h.kind, h.value)).collect()
        };
        let mut apart = values(d.scan(a));
        apart.extend(values(d.scan(b)));
        assert_eq!(values(d.scan(&joined)), apart, "{a:?} | {b:?}");
    }
}

/// A tiny xorshift64* generator (fixed seed: the same cases every run).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn malformed_input_never_panics() {
    // Truncations of a real-looking page at every byte.
    let doc = page(
        "<table><tr><td data-label=任务数>3012</td><td>电话&#49;3812345678&amp;&lt;b&gt;</td></tr></table>\
         <a href=\"/u/%31%3\">x</a><a title='x y=1<!-- c --><![CDATA[ d ]]><script>if(a<b)</scr",
    );
    for end in 0..=doc.len() {
        let _ = scan("a.html", &doc.as_bytes()[..end]);
        let _ = scan("a.json", &doc.as_bytes()[..end]);
        let _ = scan("a.csv", &doc.as_bytes()[..end]);
    }
    for s in [
        "<",
        "<a",
        "<a ",
        "<a x",
        "<a x=",
        "<a x=\"",
        "<a x='1",
        "</",
        "</a",
        "<!",
        "<!-",
        "<!--",
        "<![CDATA[",
        "<?",
        "&",
        "&#",
        "&#x",
        "&#x;",
        "&#99999999999999;",
        "&#xD800;",
        "&#0;",
        "&amp",
        "&CounterClockwiseContourIntegral;",
        "<script>",
        "<style",
        "<a =x>",
        "%",
        "%3",
        "%zz",
        "\"",
        "\\",
        "{\"a\":\"\\",
        "{\"a\":\"\\u12",
        "\"\\ud800\\u",
        "\"\\ud800\"",
    ] {
        for path in [
            "a.html", "a.json", "a.csv", "a.txt", "a.bin", "%", "/", "", "a/%e4%b8",
        ] {
            let _ = scan(path, s.as_bytes());
        }
    }
    // Random bytes drawn from a palette of markup, references, quotes, digits and Han text,
    // and plain random bytes.
    const PALETTE: &[&str] = &[
        "<",
        ">",
        "</",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<?",
        "<script>",
        "</script>",
        "<style>",
        "</style",
        "=",
        "\"",
        "'",
        " ",
        "\n",
        "\r",
        "/",
        "&",
        "&#",
        "&#x",
        ";",
        "amp",
        "lt;",
        "nbsp",
        "commat;",
        "%",
        "%3",
        "%31",
        "%E4%B8%AD",
        "+",
        ",",
        "\\",
        "\\u",
        "00",
        "d83d",
        "1",
        "3",
        "8",
        "138",
        "1234",
        "5678",
        "@",
        "example.com",
        "a",
        "td",
        "联系人",
        "张三",
        "路",
        "号",
        "\u{200B}",
        "\u{FEFF}",
        "{",
        "}",
        "[",
        "]",
        ":",
        "X",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let paths = ["a.html", "a.xml", "a.json", "a.csv", "a.js", "a.woff"];
    for case in 0..4000 {
        let bytes: Vec<u8> = if case % 4 == 3 {
            (0..rng.below(300)).map(|_| rng.next() as u8).collect()
        } else {
            let mut s = String::new();
            for _ in 0..rng.below(120) {
                s.push_str(PALETTE[rng.below(PALETTE.len())]);
            }
            s.into_bytes()
        };
        let path = paths[case % paths.len()];
        let hits = scan(path, &bytes);
        // Never twice the same finding.
        let mut seen: Vec<_> = hits.iter().map(|h| (h.kind, h.value.clone())).collect();
        seen.dedup();
        assert_eq!(seen.len(), hits.len(), "case {case}");
        // Whatever comes before it, a number planted on its own line is found.
        if case % 10 == 0 {
            let mut planted = bytes.clone();
            planted.extend_from_slice(b"\n<p>13812345678</p>\n");
            assert!(
                scan(path, &planted)
                    .iter()
                    .any(|h| h.kind == Kind::Mobile && h.value == MOBILE),
                "case {case}: {:?}",
                String::from_utf8_lossy(&planted)
            );
        }
    }
}

#[test]
fn the_entity_tables_are_sorted_and_complete() {
    // `reference` searches them by bisection.
    assert!(entities::NAMED.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(entities::LEGACY.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(entities::NAMED.len() + entities::LEGACY.len(), 2231);
    for name in entities::LEGACY {
        assert!(entities::NAMED.iter().any(|(n, _)| n == name), "{name}");
    }
    let decode = |s: &str| {
        let mut out = String::new();
        decode_entities(s, &mut out);
        out
    };
    assert_eq!(
        decode("&amp;&lt;&gt;&quot;&apos;&nbsp;&commat;"),
        "&<>\"'\u{a0}@"
    );
    assert_eq!(decode("&copy2023 &notit; &ampx"), "\u{a9}2023 \u{ac}it; &x");
    assert_eq!(
        decode("&#0;&#xD800;&#x110000;&#128;&#x41"),
        "\u{FFFD}\u{FFFD}\u{FFFD}\u{20AC}A"
    );
    assert_eq!(decode("&unknown; & &# &#x; &;"), "&unknown; & &# &#x; &;");
}

#[test]
fn the_format_follows_the_extension() {
    assert_eq!(format_of("a/b.HTML"), Format::Markup);
    assert_eq!(format_of("feed.xml"), Format::Markup);
    assert_eq!(format_of("i.svg"), Format::Markup);
    assert_eq!(format_of("data/t.json"), Format::Json);
    assert_eq!(format_of("data/t.CSV"), Format::Csv);
    assert_eq!(format_of("robots.txt"), Format::Other);
    assert_eq!(format_of("html"), Format::Other);
    assert_eq!(format_of("a.html/b"), Format::Other);
}

fn thread_cpu_secs() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Not run by default: scan every file under `$OUTPUT_SCAN_DIR` (a built output folder) with
/// the default detector, `$OUTPUT_SCAN_REPS` times (default 3), on this thread; print the
/// throughput of the fastest pass (thread CPU time) and every finding.
#[test]
#[ignore]
#[allow(clippy::print_stderr)]
fn scan_a_built_output_folder() {
    let Some(dir) = std::env::var_os("OUTPUT_SCAN_DIR") else {
        eprintln!("SKIPPED: set OUTPUT_SCAN_DIR");
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(&dir).sort_by_file_name() {
        let e = e.expect("walk");
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(&dir).expect("prefix");
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.push((rel, std::fs::read(e.path()).expect("read")));
        }
    }
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let reps: usize = std::env::var("OUTPUT_SCAN_REPS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let d = Detector::default();
    let mut best = f64::MAX;
    let mut out = Vec::new();
    let mut findings = Vec::new();
    for _ in 0..reps {
        findings.clear();
        let cpu = thread_cpu_secs().unwrap_or(0.0);
        let wall = std::time::Instant::now();
        for (path, b) in &files {
            out.clear();
            scan_output(&d, path, b, &mut out);
            for h in out.drain(..) {
                findings.push(format!("{path}: {:?} {}", h.kind, h.value));
            }
        }
        let secs = match thread_cpu_secs() {
            Some(c) => c - cpu,
            None => wall.elapsed().as_secs_f64(),
        };
        best = best.min(secs);
    }
    eprintln!(
        "{} files, {:.1} MB: best of {reps} passes {best:.3} s of thread CPU, {:.0} MB/s ({})",
        files.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / best,
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );
    for f in &findings {
        eprintln!("{f}");
    }
    assert!(findings.is_empty(), "{} findings", findings.len());
}

/// The caches (clean chunks and units) never hide a finding: the same detector reads the
/// same chrome many times, with the number placed in a repeated chunk's neighbour, inside a
/// look-alike chunk tag in a comment or an attribute, in a unit seen clean before with one
/// character changed, and in a file read twice (a unit with a finding is never remembered).
#[test]
fn the_caches_never_hide_a_finding() {
    let d = Detector::default();
    let scan_with = |d: &Detector, path: &str, text: &str| {
        let mut out = Vec::new();
        scan_output(d, path, text.as_bytes(), &mut out);
        out.into_iter()
            .map(|h| (h.kind, h.value))
            .collect::<Vec<_>>()
    };
    let chrome = "<header class=top><nav><ul><li><a href=index.html>首页，各责任单位落实情况一览</a></ul></nav></header>";
    let clean = page(&format!(
        "{chrome}<main><div><p>已完成，共 3 项。</p></div></main>"
    ));
    for _ in 0..3 {
        assert!(scan_with(&d, "a.html", &clean).is_empty());
    }
    // A planted number next to the remembered chunks.
    let dirty = page(&format!(
        "{chrome}<main><div><p>已完成，电话 138 1234 5678。</p></div></main>"
    ));
    for _ in 0..3 {
        assert_eq!(scan_with(&d, "b.html", &dirty), mobile(), "read twice");
    }
    // A chunk tag inside a comment and inside an attribute value: the chunk does not end there.
    for body in [
        format!("{chrome}<div><!-- <div> --> 138 1234 5678</div>"),
        format!("{chrome}<div title=\"<div> 138 1234 5678\">x</div>"),
        format!("{chrome}<script>var s = '<div> 138 1234 5678';</script><div>x</div>"),
    ] {
        for _ in 0..2 {
            assert_eq!(scan_with(&d, "c.html", &page(&body)), mobile(), "{body}");
        }
    }
    // A chunk that ends at a look-alike tag inside an attribute value is never remembered:
    // skipping it would resume reading inside the value as if it were markup.
    let clean_value = page(&format!("{chrome}<div title=\"<div x=1>\">a</div>"));
    let dirty_value = page(&format!(
        "{chrome}<div title=\"<div x=138 1234 5678>\">a</div>"
    ));
    for _ in 0..2 {
        assert!(scan_with(&d, "f.html", &clean_value).is_empty());
    }
    assert_eq!(scan_with(&d, "f.html", &dirty_value), mobile());
    // A long unit seen clean, then the same unit with one character changed.
    let long = "各乡镇人民政府、街道办事处按季度报送政务公开工作进展情况，联系";
    assert!(scan_with(&d, "d.html", &page(&format!("<p>{long}</p>"))).is_empty());
    assert_eq!(
        scan_with(
            &d,
            "d.html",
            &page(&format!("<p>{long}电话13812345678</p>"))
        ),
        mobile()
    );
    // A detector with the number public remembers chunks clean; another detector does not
    // inherit them.
    let public = Detector::new(DEFAULT_WORDS_FOR_TEST, &[MOBILE], &[] as &[&str]);
    for _ in 0..2 {
        assert!(scan_with(&public, "e.html", &dirty).is_empty());
    }
    assert_eq!(scan_with(&d, "e.html", &dirty), mobile());
}

const DEFAULT_WORDS_FOR_TEST: &[&str] = crate::privacy::DEFAULT_WORDS;
