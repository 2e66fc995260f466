//! The privacy gate holds on what is published (issue 12 items 1 and 6), tested end to end
//! through the built binary on copies of the default content:
//!
//! - every reproduction of the issue is planted in a record or page signed through 三审 as
//!   主动公开 (or in content that is always published: `site.yaml`, a plan folder), and
//!   `check` must locate it masked while `build` refuses to publish, leaving the previous
//!   output byte for byte as it was (`blocked::*`);
//! - the same cases in unsigned items: `check` reports them, `build` succeeds and holds them
//!   back; `check` and `build` agree on every published item; `gongkai sign` refuses to sign an
//!   item with a finding that is not allow-listed;
//! - 2,000 random disguises (`tests/common/disguise.rs`, fixed seed) of IDs, mobiles, bank cards
//!   and e-mail addresses, 50 per build in random fields, key orders and file kinds: every
//!   build is blocked and every disguise named; unsigned, none is published, and the preview
//!   (which renders everything) shows each one, so the leak search below can see them. Plan
//!   task texts, one of the random fields, are always published (not a signed item): they are
//!   in the signed builds and left out of the unsigned ones.
//!
//! Besides the binary, two things come from the library in-process: [`seal`] (fingerprints and
//! verdicts, below) and the preview (`gongkai::serve::build_preview`), the control that a
//! planted value does render. The whole file runs in about 70 s on two shared cores (release).
//!
//! A leak is searched for in every file outside `content/` (the output, the register beside it,
//! any staging folder left behind) and in file names, after decoding character references,
//! percent escapes and `\u` escapes and NFKC: a number is found however its digits are grouped,
//! an e-mail address whatever its case.
//!
//! How the planted items get signed: the binary's `gongkai sign` refuses (after issue 12) to
//! sign an item that has a finding, and signing while an allow-list entry covers the phrase
//! depends on how the allow-list matches a value written with escapes or in a file name. So a
//! planted item is written with a complete review block (初审, 复审, 终审, 主动公开) whose
//! fingerprints are placeholders, and [`seal`] replaces each placeholder with the fingerprint
//! the library computes for the loaded item (`gongkai::review::record_fingerprint` /
//! `page_fingerprint`), then asserts with the library's own verdict that the item is
//! publishable. That is the block `gongkai sign` writes (`sealed_items_are_published`
//! proves a clean sealed item is published, and `sign_refuses_…` does the allow-list route
//! once through the binary).

use crate::common;

use common::disguise::plant;
use common::rng::Rng;
use gongkai::privacy::{Kind, mask};
use sha2::{Digest as _, Sha256};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use unicode_normalization::UnicodeNormalization as _;

/// The output folder, relative to the site root.
const OUTPUT: &str = "output";
/// The progress file the cases are planted in.
const GATE: &str = "content/plans/2023/progress/gate.yaml";
/// The page the cases are planted in.
const PAGE: &str = "content/pages/gate.md";
/// A resident ID with a valid check character and birth date (1949-12-31).
const ID: &str = "11010519491231002X";
/// A mobile number.
const MOBILE: &str = "13812345678";
/// An e-mail address.
const EMAIL: &str = "zhang@example.com";

// ---------------------------------------------------------------------------------------------
// Running the binary

/// What a run of the binary gave.
struct Run {
    code: i32,
    stderr: String,
}

/// Run `gongkai <args> --root <root>`, killing it (and failing) after a minute.
fn gongkai(root: &Path, args: &[&str]) -> Run {
    let run = common::gongkai_bounded(root, args, Duration::from_secs(60));
    Run {
        code: run.code,
        stderr: run.text(),
    }
}

fn check(root: &Path) -> Run {
    gongkai(root, &["check"])
}

fn build(root: &Path) -> Run {
    gongkai(root, &["build", "--output", OUTPUT])
}

/// A copy of the default content whose `output/` holds a good build (the previous
/// publication a refused build must leave alone).
fn published_site() -> tempfile::TempDir {
    let site = common::default_site();
    let run = build(site.path());
    assert_eq!(run.code, 0, "the default site builds:\n{}", run.stderr);
    site
}

/// Every file under `root` outside `content/` (the output, the register beside it, anything a
/// build leaves behind), by relative path.
fn outside_content(root: &Path) -> BTreeMap<String, Vec<u8>> {
    common::tree(root)
        .into_iter()
        .filter(|(path, _)| !path.starts_with("content/"))
        .collect()
}

/// SHA-256 of every file outside `content/`.
fn snapshot(root: &Path) -> BTreeMap<String, String> {
    outside_content(root)
        .into_iter()
        .map(|(path, bytes)| {
            let hex: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            (path, hex)
        })
        .collect()
}

/// What differs between two snapshots, for the failure message.
fn changes(before: &BTreeMap<String, String>, after: &BTreeMap<String, String>) -> String {
    let mut out = Vec::new();
    for (path, hash) in after {
        match before.get(path) {
            None => out.push(format!("new: {path}")),
            Some(h) if h != hash => out.push(format!("changed: {path}")),
            _ => {}
        }
    }
    for path in before.keys().filter(|p| !after.contains_key(*p)) {
        out.push(format!("removed: {path}"));
    }
    out.truncate(20);
    out.join("\n")
}

// ---------------------------------------------------------------------------------------------
// Finding a value in published bytes, however it is written

/// Something that must not be published, nor printed in full.
#[derive(Clone, Debug)]
enum Needle {
    /// A number (ID, mobile, card): its ASCII digits (upper-case `X` for an ID), found whatever
    /// digit forms, separators or invisible characters stand between them.
    Number(String),
    /// An e-mail address, lower case, found whatever the case or width of its letters.
    Email(String),
    /// Text as written (a name, an address), after decoding and NFKC.
    Text(String),
}

impl Needle {
    fn of(kind: Kind, value: &str) -> Needle {
        match kind {
            Kind::Email => Needle::Email(value.to_string()),
            Kind::IdNumber | Kind::Mobile | Kind::BankCard => Needle::Number(value.to_string()),
            _ => Needle::Text(value.to_string()),
        }
    }
}

/// Decode HTML character references (`&#49;`, `&#x31;`, `&amp;` …), percent escapes and
/// `\uXXXX` escapes, in that order.
fn decode(s: &str) -> String {
    fn entities(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(at) = rest.find('&') {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            let end = rest.as_bytes()[..rest.len().min(12)]
                .iter()
                .position(|&b| b == b';');
            let decoded = end.and_then(|e| {
                let name = &rest[1..e];
                let c = if let Some(hex) =
                    name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse().ok().and_then(char::from_u32)
                } else {
                    match name {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        "nbsp" => Some('\u{A0}'),
                        "commat" => Some('@'),
                        _ => None,
                    }
                };
                c.map(|c| (c, e + 1))
            });
            match decoded {
                Some((c, len)) => {
                    out.push(c);
                    rest = &rest[len..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }
    fn percent(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%'
                && i + 2 < b.len()
                && let Some(v) = std::str::from_utf8(&b[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    fn json(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(at) = rest.find("\\u") {
            out.push_str(&rest[..at]);
            let c = rest
                .get(at + 2..at + 6)
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .and_then(char::from_u32);
            match c {
                Some(c) => {
                    out.push(c);
                    rest = &rest[at + 6..];
                }
                None => {
                    out.push_str("\\u");
                    rest = &rest[at + 2..];
                }
            }
        }
        out.push_str(rest);
        out
    }
    json(&percent(&entities(s)))
}

/// Characters that may stand inside a written number without ending it (after NFKC).
fn joins_digits(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '\u{2010}'
                | '\u{2011}'
                | '\u{2012}'
                | '\u{2013}'
                | '\u{2014}'
                | '\u{2212}'
                | '\u{30FC}'
                | '.'
                | '\u{B7}'
                | '_'
                | '+'
        )
        || invisible(c)
}

fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{AD}'
    )
}

/// Two views of a text in which planted values are searched.
struct View {
    /// The digits (and `X`) in order, every other character that does not join digits
    /// replaced by one `|`.
    numbers: String,
    /// Decoded, NFKC, lower case, invisible characters removed, no spaces around `@`.
    text: String,
}

impl View {
    fn of(s: &str) -> View {
        let norm: String = decode(s).nfkc().collect();
        let mut numbers = String::new();
        for c in norm.chars() {
            if c.is_ascii_digit() {
                numbers.push(c);
            } else if c == 'X' || c == 'x' {
                numbers.push('X');
            } else if joins_digits(c) {
            } else if !numbers.ends_with('|') {
                numbers.push('|');
            }
        }
        let mut text: String = norm
            .to_lowercase()
            .chars()
            .filter(|c| !invisible(*c))
            .collect();
        while text.contains(" @") || text.contains("@ ") {
            text = text.replace(" @", "@").replace("@ ", "@");
        }
        View { numbers, text }
    }

    fn shows(&self, n: &Needle) -> bool {
        match n {
            Needle::Number(d) => self.numbers.contains(d.as_str()),
            Needle::Email(e) => self.text.contains(e.as_str()),
            Needle::Text(t) => {
                let t: String = t.nfkc().collect::<String>().to_lowercase();
                self.text.contains(t.as_str())
            }
        }
    }
}

/// Views of every file outside `content/` and of its path.
fn published_views(root: &Path) -> Vec<(String, View)> {
    outside_content(root)
        .into_iter()
        .map(|(path, bytes)| {
            let text = format!("{path}\n{}", String::from_utf8_lossy(&bytes));
            (path, View::of(&text))
        })
        .collect()
}

/// The needles that show in `views`, with the files each shows in (the first three).
fn shown<'a>(views: &[(String, View)], needles: &'a [Needle]) -> Vec<(&'a Needle, String)> {
    needles
        .iter()
        .filter_map(|n| {
            let files: Vec<&str> = views
                .iter()
                .filter(|(_, v)| v.shows(n))
                .map(|(p, _)| p.as_str())
                .take(3)
                .collect();
            (!files.is_empty()).then(|| (n, files.join(", ")))
        })
        .collect()
}

/// The preview (every item, signed or not, rendered in memory): views of every file and path.
fn preview_views(root: &Path) -> Vec<(String, View)> {
    let files = gongkai::serve::build_preview(root, None)
        .unwrap_or_else(|e| panic!("the preview of the planted site fails:\n{e}"));
    files
        .into_iter()
        .map(|(path, bytes)| {
            let text = format!("{path}\n{}", String::from_utf8_lossy(&bytes));
            (path, View::of(&text))
        })
        .collect()
}

/// `stderr` without the tokens that are paths (a finding in a file or folder name is located
/// by naming that file, which shows the name).
fn without_paths(stderr: &str) -> String {
    stderr
        .split(|c: char| c.is_whitespace() || "：，（）、\"“”`；;".contains(c) || c == '\u{3002}')
        .filter(|t| !t.contains('/') && !t.ends_with(".md") && !t.ends_with(".yaml"))
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------------
// Planting and signing

/// Placeholders for fingerprints, unique per review block: `sha256:facade` and 18 letters
/// `a`–`f` (no digits, so nothing the privacy check could read as a number).
fn placeholder() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let mut n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut tag = String::new();
    for _ in 0..18 {
        tag.push(char::from(b'a' + (n % 6) as u8));
        n /= 6;
    }
    format!("sha256:facade{tag}")
}

/// The date of the planted sign-offs (after every planted record's date, before today).
const SIGN_DATE: &str = "2025-01-02";

fn is_placeholder(fp: &str) -> bool {
    fp.strip_prefix("sha256:facade")
        .is_some_and(|t| t.len() == 18 && t.bytes().all(|b| (b'a'..=b'f').contains(&b)))
}

/// A complete review block (三审, 主动公开) at `indent`, with placeholder fingerprints.
fn review_block(indent: usize) -> String {
    let pad = " ".repeat(indent);
    let fp = placeholder();
    let mut out = format!("{pad}review:\n{pad}  disclosure: 主动公开\n");
    for (stage, by) in ["first", "second", "final"]
        .into_iter()
        .zip(common::signing::REVIEWERS)
    {
        // The signature placeholder is the fingerprint placeholder and the stage.
        out.push_str(&format!(
            "{pad}  {stage}:\n{pad}    reviewer: {by}\n{pad}    date: {SIGN_DATE}\n{pad}    fingerprint: {fp}\n{pad}    signature: {fp}-{stage}\n"
        ));
    }
    out
}

/// `text` with each `@REVIEW <indent>` line replaced by a review block (`signed`) or removed.
fn render(text: &str, signed: bool) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        match line.trim().strip_prefix("@REVIEW ") {
            Some(indent) if signed => out.push_str(&review_block(indent.parse().unwrap())),
            Some(_) => {}
            None => out.push_str(line),
        }
    }
    out
}

/// Replace every placeholder fingerprint with the item's real fingerprint, computed by the
/// library on the loaded item; assert that every such item is now publishable. Returns the
/// items sealed (`path#id` or the page path).
fn seal(root: &Path) -> Vec<String> {
    let load = || {
        let checked =
            gongkai::check_site(root, None).unwrap_or_else(|e| panic!("loading {root:?}: {e}"));
        let report = checked.report.render();
        checked
            .site
            .unwrap_or_else(|| panic!("the planted site does not load:\n{report}"))
    };
    let placeholder_of = |review: Option<&gongkai::model::Review>| {
        let r = review?;
        [&r.first, &r.second, &r.final_]
            .into_iter()
            .flatten()
            .filter_map(|s| s.fingerprint.as_ref().map(|f| f.value.clone()))
            .find(|f| is_placeholder(f))
    };
    let site = load();
    let mut edits: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut sealed = Vec::new();
    // Each stage signed by its example reviewer over the item's real fingerprint.
    let signed = |ph: &str, kind: &str, id: &str, fp: &str| -> Vec<(String, String)> {
        let date = gongkai::model::parse_date(SIGN_DATE).unwrap();
        let mut v: Vec<(String, String)> = ["first", "second", "final"]
            .into_iter()
            .enumerate()
            .map(|(i, stage)| {
                let payload = gongkai::signoff::StagePayload {
                    kind,
                    id,
                    content: fp,
                    disclosure: "主动公开",
                    stage,
                    date,
                    reviewer: common::signing::REVIEWERS[i],
                    reason: None,
                };
                (
                    format!("{ph}-{stage}"),
                    common::signing::keys()[i].sign(&payload.text()),
                )
            })
            .collect();
        v.push((ph.to_string(), fp.to_string()));
        v
    };
    for plan in &site.plans {
        for r in &plan.records {
            if let Some(ph) = placeholder_of(r.entry.review.as_deref()) {
                let fp = gongkai::review::record_fingerprint(&r.entry);
                let e = edits.entry(r.path.clone()).or_default();
                e.extend(signed(&ph, "record", &r.entry.id.value, &fp));
                sealed.push(format!("{}#{}", r.path, r.entry.id.value));
            }
        }
    }
    for p in &site.pages {
        if let Some(ph) = placeholder_of(p.front.review.as_ref()) {
            let fp = gongkai::review::page_fingerprint(p);
            let e = edits.entry(p.path.clone()).or_default();
            e.extend(signed(&ph, "page", &p.slug, &fp));
            sealed.push(p.path.clone());
        }
    }
    for (path, pairs) in &edits {
        let file = root.join(path);
        let mut text = std::fs::read_to_string(&file).unwrap();
        for (ph, fp) in pairs {
            text = text.replace(ph.as_str(), fp);
        }
        std::fs::write(&file, text).unwrap();
    }
    // Prove it with the library's own verdict.
    let site = load();
    let verdicts = gongkai::review::Verdicts::new(&site, gongkai::check::today_shanghai());
    for (pi, plan) in site.plans.iter().enumerate() {
        for (ri, r) in plan.records.iter().enumerate() {
            let name = format!("{}#{}", r.path, r.entry.id.value);
            if sealed.contains(&name) {
                assert!(
                    verdicts.records[pi][ri].publishable(),
                    "{name} is not publishable after sealing: {:?}",
                    verdicts.records[pi][ri]
                );
            }
        }
    }
    for (i, p) in site.pages.iter().enumerate() {
        if sealed.contains(&p.path) {
            assert!(
                verdicts.pages[i].publishable(),
                "{} is not publishable after sealing: {:?}",
                p.path,
                verdicts.pages[i]
            );
        }
    }
    sealed
}

/// 1-based number of the first line of `text` containing `what`.
#[track_caller]
fn line_of(text: &str, what: &str) -> u32 {
    let i = text
        .lines()
        .position(|l| l.contains(what))
        .unwrap_or_else(|| panic!("{what:?} not in\n{text}"));
    u32::try_from(i + 1).unwrap()
}

/// The lines of the record whose `id:` line contains `id` (records are list items at indent 2).
fn record_span(text: &str, id: &str) -> (u32, u32) {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(&format!("id: {id}")))
        .unwrap();
    let start = (0..=at)
        .rev()
        .find(|&i| lines[i].starts_with("  - "))
        .unwrap();
    let end = (at + 1..lines.len())
        .find(|&i| lines[i].starts_with("  - "))
        .unwrap_or(lines.len());
    (
        u32::try_from(start + 1).unwrap(),
        u32::try_from(end).unwrap(),
    )
}

// ---------------------------------------------------------------------------------------------
// The cases of the issue

/// Where `check` must locate a finding.
#[derive(Clone, Debug)]
struct Loc {
    /// The file (or, with `prefix`, the start of its path).
    path: String,
    prefix: bool,
    /// Acceptable lines (empty: any).
    lines: Vec<u32>,
    /// The masked value the message shows.
    mask: String,
}

impl Loc {
    fn at(path: &str, lines: &[u32], kind: Kind, value: &str) -> Loc {
        Loc {
            path: path.to_string(),
            prefix: false,
            lines: lines.to_vec(),
            mask: mask(value, kind),
        }
    }
}

/// Lines of published content: an item's lines, a whole file, or everything under a folder.
#[derive(Clone, Debug)]
struct Span {
    path: String,
    prefix: bool,
    lines: Option<(u32, u32)>,
}

impl Span {
    fn lines(path: &str, (a, b): (u32, u32)) -> Span {
        Span {
            path: path.to_string(),
            prefix: false,
            lines: Some((a, b)),
        }
    }
    fn file(path: &str) -> Span {
        Span {
            path: path.to_string(),
            prefix: false,
            lines: None,
        }
    }
    fn under(path: &str) -> Span {
        Span {
            path: path.to_string(),
            prefix: true,
            lines: None,
        }
    }
    fn holds(&self, path: &str, line: u32) -> bool {
        let path_ok = if self.prefix {
            path.starts_with(&self.path)
        } else {
            path == self.path
        };
        path_ok && self.lines.is_none_or(|(a, b)| (a..=b).contains(&line))
    }
}

/// One planted case, rendered signed or unsigned.
struct Case {
    name: &'static str,
    /// Files written into the site (path, text).
    files: Vec<(String, String)>,
    /// Other changes to the site.
    setup: Option<fn(&Path)>,
    /// Where `check` must locate the findings.
    locs: Vec<Loc>,
    /// What must never be published, nor shown unmasked.
    needles: Vec<Needle>,
    /// The planted item, for `gongkai sign` (None: content that is always published).
    target: Option<String>,
    /// The published content holding the finding (empty when the item is unsigned).
    spans: Vec<Span>,
    /// The finding is in a file or folder name.
    in_name: bool,
}

/// A record of task 2-1-2 (unit sifa) with `id` and the extra key lines `rest` (indent 4,
/// newline-terminated), then its review block when signed.
fn record(id: &str, rest: &str) -> String {
    format!(
        "  - id: {id}\n    task: 2-1-2\n    unit: sifa\n    date: 2023-09-10\n    status: in_progress\n{rest}@REVIEW 4\n"
    )
}

fn progress_file(records: &[String]) -> String {
    format!("format_version: 1\nrecords:\n{}", records.concat())
}

/// A page with `front` (extra front-matter lines) and `body`, its review block when signed.
fn page(title: &str, front: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n{front}order: 9\n@REVIEW 0\n---\n\n{body}\n")
}

/// A case planted in the record `gate-a` of [`GATE`] with the extra lines `rest`.
fn record_case(
    name: &'static str,
    signed: bool,
    rest: &str,
    at: &str,
    found: &[(Kind, &str)],
) -> Case {
    let text = render(&progress_file(&[record("gate-a", rest)]), signed);
    let line = line_of(&text, at);
    Case {
        name,
        files: vec![(GATE.into(), text.clone())],
        setup: None,
        locs: found
            .iter()
            .map(|(k, v)| Loc::at(GATE, &[line], *k, v))
            .collect(),
        needles: found.iter().map(|(k, v)| Needle::of(*k, v)).collect(),
        target: Some(format!("{GATE}#gate-a")),
        spans: if signed {
            vec![Span::lines(GATE, record_span(&text, "gate-a"))]
        } else {
            vec![]
        },
        in_name: false,
    }
}

/// A case planted in [`PAGE`] (front-matter lines `front`, `body`), located at the line
/// containing `at`.
fn page_case(
    name: &'static str,
    signed: bool,
    title: &str,
    front: &str,
    body: &str,
    at: &str,
    found: &[(Kind, &str)],
) -> Case {
    let text = render(&page(title, front, body), signed);
    let line = line_of(&text, at);
    Case {
        name,
        files: vec![(PAGE.into(), text)],
        setup: None,
        locs: found
            .iter()
            .map(|(k, v)| Loc::at(PAGE, &[line], *k, v))
            .collect(),
        needles: found.iter().map(|(k, v)| Needle::of(*k, v)).collect(),
        target: Some(PAGE.into()),
        spans: if signed {
            vec![Span::file(PAGE)]
        } else {
            vec![]
        },
        in_name: false,
    }
}

/// A 15-digit legacy resident ID (1949-12-31).
const LEGACY_ID: &str = "110105491231002";

/// A Luhn-valid 16-digit card number starting 6222.
fn card() -> String {
    let body = "622202123456789";
    (b'0'..=b'9')
        .map(|c| format!("{body}{}", c as char))
        .find(|s| gongkai::privacy::luhn(s.as_bytes()))
        .unwrap()
}

/// Copy the plan folder `2023` to a folder named like a mobile number.
fn plan_folder_named_like_a_mobile(root: &Path) {
    let plans = root.join("content/plans");
    common::copy_dir(&plans.join("2023"), &plans.join(MOBILE));
}

/// Write `site.yaml`'s portal as a flow mapping whose `contact:` line also holds the sponsor,
/// with a mobile number.
fn contact_line_in_a_flow_mapping(root: &Path) {
    let path = root.join("content/site.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.find("portal:").expect("site.yaml has portal:");
    let portal = format!(
        "portal: {{\n  contact: 示例：万源市人民政府办公室政务公开科, sponsor: 万源市人民政府办公室（值班手机{MOBILE}）,\n  site_name: 万源市人民政府网站（示例）, domain: www.example.gov.cn（示例）,\n  site_id_code: 示例标识码0000000000, icp: 示例：蜀ICP备00000000号,\n  police_record: 示例：川公网安备00000000000000号 }}\n"
    );
    std::fs::write(&path, format!("{}{portal}", &text[..at])).unwrap();
}

/// The line of `site.yaml`'s contact after [`contact_line_in_a_flow_mapping`].
const CONTACT_LINE: u32 = 11;

/// Every case of the issue, rendered signed or unsigned (the cases without a `target` are
/// always published, signed or not).
fn cases(signed: bool) -> Vec<Case> {
    use Kind::*;
    let card = card();
    let spaced_card = card
        .as_bytes()
        .chunks(4)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect::<Vec<_>>()
        .join(" ");
    vec![
        // The issue's first reproduction: `summary:` before `id:`.
        {
            let text = render(
                &progress_file(&[format!(
                    "  - summary: 联系人张三，身份证{ID}，电话{MOBILE}\n    id: gate-a\n    task: 2-1-2\n    unit: sifa\n    date: 2023-09-10\n    status: in_progress\n@REVIEW 4\n"
                )]),
                signed,
            );
            Case {
                name: "summary_key_first",
                files: vec![(GATE.into(), text.clone())],
                setup: None,
                locs: vec![
                    Loc::at(GATE, &[3], IdNumber, ID),
                    Loc::at(GATE, &[3], Mobile, MOBILE),
                ],
                needles: vec![
                    Needle::Number(ID.into()),
                    Needle::Number(MOBILE.into()),
                    Needle::Text("联系人张三".into()),
                ],
                target: Some(format!("{GATE}#gate-a")),
                spans: if signed {
                    vec![Span::lines(GATE, record_span(&text, "gate-a"))]
                } else {
                    vec![]
                },
                in_name: false,
            }
        },
        // An unsigned record holds the anchor, a signed one the alias.
        {
            let text = render(
                &progress_file(&[
                    "  - id: gate-anchor\n    task: 2-1-2\n    unit: sifa\n    date: 2023-09-09\n    status: in_progress\n    summary: &s \"进展顺利，联系电话13812345678\"\n".to_string(),
                    record("gate-a", "    summary: *s\n"),
                ]),
                signed,
            );
            let anchor = line_of(&text, "&s");
            let alias = line_of(&text, "*s");
            let mut spans = vec![];
            if signed {
                spans.push(Span::lines(GATE, record_span(&text, "gate-a")));
                spans.push(Span::lines(GATE, (anchor, anchor)));
            }
            Case {
                name: "yaml_alias",
                files: vec![(GATE.into(), text)],
                setup: None,
                locs: vec![Loc::at(GATE, &[anchor, alias], Mobile, MOBILE)],
                needles: vec![Needle::Number(MOBILE.into())],
                target: Some(format!("{GATE}#gate-a")),
                spans,
                in_name: false,
            }
        },
        record_case(
            "yaml_escape_u",
            signed,
            "    summary: \"联系电话\\u00313812345678，欢迎来电\"\n",
            "summary:",
            &[(Mobile, MOBILE)],
        ),
        record_case(
            "yaml_escape_x",
            signed,
            "    summary: \"联系电话\\x313812345678，欢迎来电\"\n",
            "summary:",
            &[(Mobile, MOBILE)],
        ),
        // The scalar folds the line break into a space: "138 12345678".
        {
            let mut c = record_case(
                "quoted_scalar_continued",
                signed,
                "    summary: \"联系电话138\n      12345678，欢迎来电\"\n",
                "summary:",
                &[(Mobile, MOBILE)],
            );
            let l = c.locs[0].lines[0];
            c.locs[0].lines.push(l + 1);
            c
        },
        // An escaped line break joins the lines without a space.
        {
            let mut c = record_case(
                "quoted_scalar_continued_escaped_break",
                signed,
                "    summary: \"联系电话138\\\n      12345678，欢迎来电\"\n",
                "summary:",
                &[(Mobile, MOBILE)],
            );
            let l = c.locs[0].lines[0];
            c.locs[0].lines.push(l + 1);
            c
        },
        page_case(
            "markdown_character_references",
            signed,
            "政务公开咨询渠道",
            "",
            "如需咨询，请拨打&#49;3812345678，或发送邮件至zhang&#64;example.com。",
            "&#49;",
            &[(Mobile, MOBILE), (Email, EMAIL)],
        ),
        record_case(
            "spaced_digits",
            signed,
            "    summary: 联系电话 138 1234 5678\n",
            "summary:",
            &[(Mobile, MOBILE)],
        ),
        record_case(
            "hyphenated_digits_in_evidence_title",
            signed,
            "    summary: （测试）已公开。\n    evidence:\n      - title: 值班电话138-1234-5678登记表\n        url: https://www.example.gov.cn/zwgk/gate/\n",
            "title:",
            &[(Mobile, MOBILE)],
        ),
        page_case(
            "dotted_digits_in_page_body",
            signed,
            "政务公开咨询渠道",
            "",
            "联系电话：138.1234.5678。",
            "138.1234",
            &[(Mobile, MOBILE)],
        ),
        page_case(
            "full_width_digits_in_page_title",
            signed,
            "咨询电话１３８１２３４５６７８",
            "",
            "本页说明咨询渠道。",
            "title:",
            &[(Mobile, MOBILE)],
        ),
        record_case(
            "plus_86_prefix",
            signed,
            "    summary: 联系电话+86 138 1234 5678\n",
            "summary:",
            &[(Mobile, MOBILE)],
        ),
        record_case(
            "prefix_0086_in_evidence_title",
            signed,
            "    summary: （测试）已公开。\n    evidence:\n      - title: 联系电话0086-13812345678\n        url: https://www.example.gov.cn/zwgk/gate/\n",
            "title:",
            &[(Mobile, MOBILE)],
        ),
        page_case(
            "letter_glued_in_page_description",
            signed,
            "政务公开咨询渠道",
            "description: 联系方式Tel13812345678\n",
            "本页说明咨询渠道。",
            "description:",
            &[(Mobile, MOBILE)],
        ),
        record_case(
            "legacy_15_digit_id",
            signed,
            &format!("    summary: 申请材料所附身份证号{LEGACY_ID}已核验\n"),
            "summary:",
            &[(IdNumber, LEGACY_ID)],
        ),
        record_case(
            "bank_card_in_groups_of_four",
            signed,
            &format!("    summary: 补贴已发放至银行卡 {spaced_card} 。\n"),
            "summary:",
            &[(BankCard, card.as_str())],
        ),
        record_case(
            "full_width_at_sign",
            signed,
            "    summary: 材料请发送至zhang＠example.com\n",
            "summary:",
            &[(Email, EMAIL)],
        ),
        record_case(
            "number_in_evidence_url",
            signed,
            "    summary: （测试）已公开。\n    evidence:\n      - title: 咨询登记\n        url: https://www.example.gov.cn/zwgk/contact?tel=13812345678\n",
            "url:",
            &[(Mobile, MOBILE)],
        ),
        // A page file named like an ID (it becomes pages/11010519491231002x.html).
        {
            let path = "content/pages/11010519491231002x.md";
            let text = render(&page("政务公开咨询渠道", "", "本页说明咨询渠道。"), signed);
            Case {
                name: "id_in_page_file_name",
                files: vec![(path.into(), text)],
                setup: None,
                locs: vec![Loc::at(path, &[], IdNumber, ID)],
                needles: vec![Needle::Number(ID.into())],
                target: Some(path.into()),
                spans: if signed {
                    vec![Span::file(path)]
                } else {
                    vec![]
                },
                in_name: true,
            }
        },
        // A plan folder named like a mobile (it becomes 13812345678/… and the sitemap). A plan
        // is always published.
        Case {
            name: "mobile_as_plan_folder_name",
            files: vec![],
            setup: Some(plan_folder_named_like_a_mobile),
            locs: vec![Loc {
                path: format!("content/plans/{MOBILE}"),
                prefix: true,
                lines: vec![],
                mask: mask(MOBILE, Mobile),
            }],
            needles: vec![Needle::Number(MOBILE.into())],
            target: None,
            spans: vec![Span::under(&format!("content/plans/{MOBILE}"))],
            in_name: true,
        },
        // site.yaml is always published; the contact's exemption must not cover its line.
        Case {
            name: "site_contact_line_as_flow_mapping",
            files: vec![],
            setup: Some(contact_line_in_a_flow_mapping),
            locs: vec![Loc::at(
                "content/site.yaml",
                &[CONTACT_LINE],
                Mobile,
                MOBILE,
            )],
            needles: vec![Needle::Number(MOBILE.into())],
            target: None,
            spans: vec![Span::file("content/site.yaml")],
            in_name: false,
        },
        {
            let mut c = record_case(
                "person_names",
                signed,
                "    summary: 已答复联系人张三的咨询。\n    evidence:\n      - title: 申请人：李某某的申请材料\n        url: https://www.example.gov.cn/zwgk/gate/\n",
                "summary:",
                &[(PersonName, "张三")],
            );
            let text = &c.files[0].1;
            let title = line_of(text, "title:");
            c.locs.push(Loc::at(GATE, &[title], PersonName, "李某某"));
            c.needles.push(Needle::Text("李某某".into()));
            c
        },
        record_case(
            "house_number_address",
            signed,
            "    summary: 走访了太平镇人民路12号的住户。\n",
            "summary:",
            &[(Address, "人民路12号")],
        ),
    ]
}

fn case(name: &str, signed: bool) -> Case {
    cases(signed)
        .into_iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no case {name}"))
}

/// Write the case into the site.
fn apply(root: &Path, c: &Case) {
    for (path, text) in &c.files {
        std::fs::write(root.join(path), text).unwrap();
    }
    if let Some(f) = c.setup {
        f(root);
    }
}

/// The located error lines of `stderr`: (path, line, message after `错误：`).
fn errors(stderr: &str) -> Vec<(String, u32, String)> {
    stderr
        .lines()
        .filter_map(|l| {
            let at = l.find(": 错误：")?;
            let mut head = l[..at].rsplitn(3, ':');
            let _col: u32 = head.next()?.parse().ok()?;
            let line: u32 = head.next()?.parse().ok()?;
            let path = head.next()?.to_string();
            Some((path, line, l[at + ": 错误：".len()..].to_string()))
        })
        .collect()
}

/// Whether `stderr` has a located error at `loc` showing its masked value.
fn located(stderr: &str, loc: &Loc) -> bool {
    errors(stderr).iter().any(|(path, line, msg)| {
        let path_ok = if loc.prefix {
            path.starts_with(&loc.path)
        } else {
            *path == loc.path
        };
        path_ok && (loc.lines.is_empty() || loc.lines.contains(line)) && msg.contains(&loc.mask)
    })
}

/// Problems with a run's stderr: a location missing, or a value shown unmasked.
fn stderr_problems(what: &str, stderr: &str, c: &Case, need_locs: bool) -> Vec<String> {
    let mut out = Vec::new();
    if need_locs {
        for loc in &c.locs {
            if !located(stderr, loc) {
                out.push(format!(
                    "{what}: no located error {}{}:{}: …{}",
                    loc.path,
                    if loc.prefix { "…" } else { "" },
                    if loc.lines.is_empty() {
                        "*".to_string()
                    } else {
                        format!("{:?}", loc.lines)
                    },
                    loc.mask
                ));
            }
        }
    }
    let shown_text = if c.in_name {
        without_paths(stderr)
    } else {
        stderr.to_string()
    };
    let view = View::of(&shown_text);
    for n in &c.needles {
        if view.shows(n) {
            out.push(format!("{what}: shows {n:?} unmasked"));
        }
    }
    out
}

/// Assert that nothing of `needles` is in the default site's output (else a test that looks
/// for them there proves nothing).
#[track_caller]
fn assert_not_in_baseline(views: &[(String, View)], needles: &[Needle]) {
    let found = shown(views, needles);
    assert!(
        found.is_empty(),
        "already in the default site's output, so their absence proves nothing: {found:?}"
    );
}

/// The whole assertion for one case planted in a signed item.
fn assert_blocked(name: &str) {
    let c = case(name, true);
    let site = published_site();
    let root = site.path();
    assert_not_in_baseline(&published_views(root), &c.needles);
    apply(root, &c);
    let sealed = seal(root);
    if let Some(target) = &c.target {
        assert!(sealed.contains(target), "{sealed:?}");
    }
    // Control: the planted value reaches the rendered pages (the preview renders everything).
    let preview = preview_views(root);
    let rendered = shown(&preview, &c.needles);
    assert_eq!(
        rendered.len(),
        c.needles.len(),
        "the planted values do not all render, so the case proves nothing: {rendered:?} of {:?}",
        c.needles
    );

    let before = snapshot(root);
    let mut problems = Vec::new();
    let run = check(root);
    if run.code != 1 {
        problems.push(format!("check exits {} (expected 1)", run.code));
    }
    problems.extend(stderr_problems("check", &run.stderr, &c, true));
    let check_err = run.stderr;

    let run = build(root);
    if run.code != 1 {
        problems.push(format!("build exits {} (expected 1)", run.code));
    }
    problems.extend(stderr_problems("build", &run.stderr, &c, false));
    let after = snapshot(root);
    if after != before {
        problems.push(format!(
            "the previous output changed:\n{}",
            changes(&before, &after)
        ));
    }
    for (n, file) in shown(&published_views(root), &c.needles) {
        problems.push(format!("{n:?} published in {file}"));
    }
    assert!(
        problems.is_empty(),
        "{name}:\n- {}\n--- check stderr:\n{check_err}\n--- build stderr:\n{}",
        problems.join("\n- "),
        run.stderr
    );
}

/// One test per case: planted in a signed item (or always-published content), `check` exits 1
/// with a located masked message, `build` exits 1 leaving the previous output untouched, and
/// the value is in no file outside `content/`.
mod blocked {
    macro_rules! cases {
        ($($name:ident),* $(,)?) => {
            $(
                #[test]
                fn $name() {
                    super::assert_blocked(stringify!($name));
                }
            )*
            /// Every case has its test.
            #[test]
            fn every_case_has_a_test() {
                let names: Vec<&str> = vec![$(stringify!($name)),*];
                let all: Vec<&str> = super::cases(true).iter().map(|c| c.name).collect();
                assert_eq!(names, all);
            }
        };
    }

    cases!(
        summary_key_first,
        yaml_alias,
        yaml_escape_u,
        yaml_escape_x,
        quoted_scalar_continued,
        quoted_scalar_continued_escaped_break,
        markdown_character_references,
        spaced_digits,
        hyphenated_digits_in_evidence_title,
        dotted_digits_in_page_body,
        full_width_digits_in_page_title,
        plus_86_prefix,
        prefix_0086_in_evidence_title,
        letter_glued_in_page_description,
        legacy_15_digit_id,
        bank_card_in_groups_of_four,
        full_width_at_sign,
        number_in_evidence_url,
        id_in_page_file_name,
        mobile_as_plan_folder_name,
        site_contact_line_as_flow_mapping,
        person_names,
        house_number_address,
    );
}

#[test]
fn the_case_values_are_what_they_claim() {
    assert!(gongkai::privacy::is_resident_id(ID.as_bytes()));
    assert!(gongkai::privacy::is_legacy_resident_id(
        LEGACY_ID.as_bytes()
    ));
    assert!(gongkai::privacy::luhn(card().as_bytes()));
    // The contact line of the flow mapping is where CONTACT_LINE says.
    let site = common::default_site();
    contact_line_in_a_flow_mapping(site.path());
    let text = std::fs::read_to_string(site.path().join("content/site.yaml")).unwrap();
    assert_eq!(line_of(&text, "contact:"), CONTACT_LINE);
    assert!(
        text.lines()
            .nth(CONTACT_LINE as usize - 1)
            .unwrap()
            .contains(MOBILE)
    );
}

#[test]
fn sealed_items_are_published() {
    let site = common::default_site();
    let root = site.path();
    let text = render(
        &progress_file(&[record(
            "gate-a",
            "    summary: （测试）进展标记GATECLEANRECORD\n",
        )]),
        true,
    );
    std::fs::write(root.join(GATE), text).unwrap();
    let text = render(
        &page("政务公开咨询渠道", "", "正文标记GATECLEANPAGE。"),
        true,
    );
    std::fs::write(root.join(PAGE), text).unwrap();
    let sealed = seal(root);
    assert_eq!(sealed, vec![format!("{GATE}#gate-a"), PAGE.to_string()]);
    let run = build(root);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let views = published_views(root);
    for marker in ["GATECLEANRECORD", "GATECLEANPAGE"] {
        assert!(
            !shown(&views, &[Needle::Text(marker.into())]).is_empty(),
            "{marker} is not published"
        );
    }
}

/// Every signable case in an unsigned item: `check` reports it located and masked; `build`
/// succeeds, holding the item back, and publishes nothing of it.
#[test]
fn unsigned_variants_are_reported_by_check_and_held_back_by_build() {
    let mut failures = Vec::new();
    for c in cases(false).into_iter().filter(|c| c.target.is_some()) {
        let site = published_site();
        let root = site.path();
        apply(root, &c);
        assert!(seal(root).is_empty());
        let mut problems = Vec::new();
        let run = check(root);
        if run.code != 1 {
            problems.push(format!("check exits {} (expected 1)", run.code));
        }
        problems.extend(stderr_problems("check", &run.stderr, &c, true));
        let run = build(root);
        if run.code != 0 {
            problems.push(format!("build exits {} (expected 0)", run.code));
        }
        problems.extend(stderr_problems("build", &run.stderr, &c, false));
        for (n, file) in shown(&published_views(root), &c.needles) {
            problems.push(format!("{n:?} published in {file}"));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}:\n  - {}\n  build stderr: {}",
                c.name,
                problems.join("\n  - "),
                run.stderr.lines().last().unwrap_or("")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `check`'s verdict (a located error showing one of the case's masked values, or any
/// "疑似" error, in published content) equals `build`'s (exit 1), for the default site and
/// every case signed and unsigned.
#[test]
fn check_and_build_agree_on_every_published_item() {
    let mut configs: Vec<(String, Option<Case>)> = vec![("default site".into(), None)];
    for c in cases(true) {
        configs.push((format!("{} (signed)", c.name), Some(c)));
    }
    for c in cases(false).into_iter().filter(|c| c.target.is_some()) {
        configs.push((format!("{} (unsigned)", c.name), Some(c)));
    }
    let mut disagreements = Vec::new();
    let mut table = Vec::new();
    for (label, c) in &configs {
        let site = published_site();
        let root = site.path();
        let (spans, masks) = match c {
            Some(c) => {
                apply(root, c);
                seal(root);
                (
                    c.spans.clone(),
                    c.locs.iter().map(|l| l.mask.clone()).collect::<Vec<_>>(),
                )
            }
            // Everything is published content for the default site (it has no finding).
            None => (vec![Span::under("content/")], vec![]),
        };
        let checked = check(root);
        let check_blocks = errors(&checked.stderr).iter().any(|(path, line, msg)| {
            spans.iter().any(|s| s.holds(path, *line))
                && (msg.contains("疑似") || masks.iter().any(|m| msg.contains(m.as_str())))
        });
        let built = build(root);
        let build_blocks = built.code == 1;
        table.push(format!(
            "{label}: check {} (exit {}), build {} (exit {})",
            if check_blocks { "blocks" } else { "passes" },
            checked.code,
            if build_blocks { "blocks" } else { "passes" },
            built.code
        ));
        if check_blocks != build_blocks {
            disagreements.push(label.clone());
        }
    }
    eprintln!("{}", table.join("\n"));
    assert!(
        disagreements.is_empty(),
        "check and build disagree on {} of {}: {}\n{}",
        disagreements.len(),
        configs.len(),
        disagreements.join(", "),
        table.join("\n")
    );
}

/// `gongkai sign` refuses to sign an item holding a finding (every signable case, 初审),
/// leaving the file as it was; once an allow-list entry covers the phrase, all three stages
/// sign; and removing the entry again blocks the build.
#[test]
fn sign_refuses_an_item_with_a_finding_until_it_is_allow_listed() {
    let mut failures = Vec::new();
    for c in cases(false).into_iter().filter(|c| c.target.is_some()) {
        let site = common::default_site();
        let root = site.path();
        apply(root, &c);
        let target = c.target.clone().unwrap();
        let file = root.join(target.split('#').next().unwrap());
        let before = std::fs::read(&file).unwrap();
        let who = common::signing::sign_args(0);
        let mut args = vec!["sign", &target, "--stage", "初审", "--date", "2023-09-20"];
        args.extend(who.iter().map(String::as_str));
        let run = gongkai(root, &args);
        let mut problems = Vec::new();
        if run.code != 1 {
            problems.push(format!("sign exits {} (expected 1)", run.code));
        }
        if std::fs::read(&file).unwrap() != before {
            problems.push("the file was changed".to_string());
        }
        if !c.locs.iter().any(|l| run.stderr.contains(&l.mask)) {
            problems.push("the refusal does not name the finding (masked)".to_string());
        }
        problems.extend(stderr_problems("sign", &run.stderr, &c, false));
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n  sign stderr: {}",
                c.name,
                problems.join("; "),
                run.stderr.trim()
            ));
        }
    }

    // The allow-list route, through the binary only.
    let c = case("summary_key_first", false);
    let site = published_site();
    let root = site.path();
    apply(root, &c);
    std::fs::write(
        root.join("content/allowlist.yaml"),
        format!(
            "format_version: 1\nallow:\n  - phrase: \"联系人张三，身份证{ID}，电话{MOBILE}\"\n    file: {GATE}\n    reason: 测试：经审查可以公开\n"
        ),
    )
    .unwrap();
    for (i, stage) in common::signing::STAGES.iter().enumerate() {
        let who = common::signing::sign_args(i);
        let target = format!("{GATE}#gate-a");
        let mut args = vec!["sign", &target, "--stage", stage, "--date", "2023-09-20"];
        args.extend(who.iter().map(String::as_str));
        let run = gongkai(root, &args);
        assert_eq!(run.code, 0, "allow-listed, {stage} signs:\n{}", run.stderr);
    }
    std::fs::remove_file(root.join("content/allowlist.yaml")).unwrap();
    let before = snapshot(root);
    let run = build(root);
    if run.code != 1 {
        failures.push(format!(
            "signed while allow-listed, entry removed: build exits {} (expected 1)",
            run.code
        ));
    }
    if snapshot(root) != before {
        failures.push("signed while allow-listed, entry removed: output changed".into());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Random disguises

/// Builds and disguises per build: 40 × 50 = 2,000.
const BATCHES: usize = 40;
const PER_BATCH: usize = 50;
const SEED: u64 = 20_231_101;

/// Where a disguise is planted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    Summary,
    EvidenceTitle,
    EvidenceUrl,
    PageTitle,
    PageDescription,
    PageBody,
    /// A task's text in the plan (always published; left out of the unsigned build).
    TaskText,
}

/// One planted disguise.
struct Planted {
    kind: Kind,
    value: String,
    text: String,
    field: Field,
    item: String,
}

/// A batch of disguises: files with `@REVIEW` markers, task text edits (file, which task of
/// the file, text appended), and what was planted.
struct Batch {
    files: Vec<(String, String)>,
    task_edits: Vec<(String, usize, String)>,
    plants: Vec<Planted>,
}

/// Task and unit pairs the default content accepts.
const PAIRS: &[(&str, &str)] = &[
    ("2-1-2", "sifa"),
    ("1-1-1", "fagai"),
    ("2-3-2", "minzheng"),
    ("2-3-2", "baisha"),
    ("3-2-1", "gudongguan"),
    ("2-2-2", "shichang"),
    ("4-1-1", "zfb"),
];

/// `n` as lower-case letters (names and ids without digits).
fn letters(mut n: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            return s;
        }
    }
}

fn shuffle<T>(r: &mut Rng, v: &mut [T]) {
    for i in (1..v.len()).rev() {
        v.swap(i, r.below(i + 1));
    }
}

/// A YAML scalar for `s`: single-quoted when that can hold it (a quarter of the time),
/// otherwise double-quoted with control and invisible characters escaped and, one time in
/// ten, a digit written as a `\u` or `\x` escape. A line break is written `\n` (a CR from a
/// YAML escape is refused by `check`, as any control character other than tab and newline).
fn yaml_str(r: &mut Rng, s: &str) -> String {
    let s = &without_cr(s);
    let plain_safe = s
        .chars()
        .all(|c| !c.is_control() && !invisible(c) && c != '\u{2028}' && c != '\u{2029}');
    if plain_safe && r.chance(25) {
        return format!("'{}'", s.replace('\'', "''"));
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || invisible(c) || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c if c.is_ascii_digit() && r.chance(10) => {
                if r.chance(50) {
                    out.push_str(&format!("\\u{:04X}", c as u32));
                } else {
                    out.push_str(&format!("\\x{:02X}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `s` with its line breaks written as LF.
fn without_cr(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Markdown text for `s`: a digit one time in five and `@` one time in three written as a
/// character reference.
fn markdown_text(r: &mut Rng, s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() && r.chance(20) {
            if r.chance(50) {
                out.push_str(&format!("&#{};", c as u32));
            } else {
                out.push_str(&format!("&#x{:x};", c as u32));
            }
        } else if c == '@' && r.chance(33) {
            out.push_str("&#64;");
        } else {
            out.push(c);
        }
    }
    out
}

/// An evidence URL holding `text`: the site's address in front, so it stays a valid link.
fn url_with(text: &str) -> String {
    format!("https://www.example.gov.cn/zwgk/ref/{}", text.trim())
}

/// Generate batch `b`.
fn batch(r: &mut Rng, b: usize) -> Batch {
    const NEUTRAL_URL: &str = "https://www.example.gov.cn/zwgk/gate/";
    let mut plants: Vec<Planted> = Vec::new();
    let mut records: Vec<Vec<String>> = vec![Vec::new(); 1 + r.below(3)];
    let mut files = Vec::new();
    let mut task_lines: BTreeMap<(String, usize), String> = BTreeMap::new();
    let mut item = 0;
    while plants.len() < PER_BATCH {
        item += 1;
        let room = PER_BATCH - plants.len();
        let roll = r.below(100);
        if roll < 8 {
            // A task's text in the plan.
            let (text, kind, value) = plant(r);
            let file = format!("content/plans/2023/tasks/{}.yaml", 1 + r.below(5));
            let nth = r.below(6);
            task_lines
                .entry((file.clone(), nth))
                .or_default()
                .push_str(&format!("（{}）", without_cr(&text)));
            plants.push(Planted {
                kind,
                value,
                text,
                field: Field::TaskText,
                item: format!("{file} task text {nth}"),
            });
        } else if roll < 55 {
            // A progress record.
            let fi = r.below(records.len());
            let path = format!(
                "content/plans/2023/progress/gate-{}-{}.yaml",
                letters(b),
                letters(fi)
            );
            let id = format!("gate-{}-{}", letters(b), letters(item));
            let name = format!("{path}#{id}");
            let mut summary: Vec<String> = Vec::new();
            let mut evidence: Vec<(Option<String>, Option<String>)> = Vec::new();
            for _ in 0..(1 + r.below(3)).min(room) {
                let (text, kind, value) = plant(r);
                let field = *r.pick(&[Field::Summary, Field::EvidenceTitle, Field::EvidenceUrl]);
                match field {
                    Field::Summary => summary.push(text.clone()),
                    Field::EvidenceTitle => match evidence.iter_mut().find(|e| e.0.is_none()) {
                        Some(e) => e.0 = Some(text.clone()),
                        None => evidence.push((Some(text.clone()), None)),
                    },
                    _ => match evidence.iter_mut().find(|e| e.1.is_none()) {
                        Some(e) => e.1 = Some(url_with(&text)),
                        None => evidence.push((None, Some(url_with(&text)))),
                    },
                }
                plants.push(Planted {
                    kind,
                    value,
                    text,
                    field,
                    item: name.clone(),
                });
            }
            let (task, unit) = *r.pick(PAIRS);
            let summary = if summary.is_empty() {
                "（测试）进展正常。".to_string()
            } else {
                summary.join("；")
            };
            let mut keys: Vec<String> = vec![
                format!("    id: {id}\n"),
                format!("    task: {task}\n"),
                format!("    unit: {unit}\n"),
                "    date: 2023-09-10\n".to_string(),
                "    status: in_progress\n".to_string(),
                format!("    summary: {}\n", yaml_str(r, &summary)),
            ];
            if !evidence.is_empty() {
                let mut ev = String::from("    evidence:\n");
                for (title, url) in evidence {
                    let title = title.unwrap_or_else(|| "（测试）佐证材料".into());
                    let url = url.unwrap_or_else(|| NEUTRAL_URL.into());
                    let mut pair = [
                        format!("title: {}", yaml_str(r, &title)),
                        format!("url: {}", yaml_str(r, &url)),
                    ];
                    shuffle(r, &mut pair);
                    ev.push_str(&format!("      - {}\n        {}\n", pair[0], pair[1]));
                }
                keys.push(ev);
            }
            shuffle(r, &mut keys);
            // The review block anywhere but first (the list item's dash is on the first key).
            let at = 1 + r.below(keys.len());
            keys.insert(at, "@REVIEW 4\n".to_string());
            keys[0].replace_range(..4, "  - ");
            records[fi].push(keys.concat());
        } else {
            // A Markdown page.
            let path = format!("content/pages/gate-{}-{}.md", letters(b), letters(item));
            let mut title = Vec::new();
            let mut description = Vec::new();
            let mut body = Vec::new();
            for _ in 0..(1 + r.below(3)).min(room) {
                let (text, kind, value) = plant(r);
                let field = *r.pick(&[Field::PageTitle, Field::PageDescription, Field::PageBody]);
                match field {
                    Field::PageTitle => title.push(text.clone()),
                    Field::PageDescription => description.push(text.clone()),
                    _ => body.push(text.clone()),
                }
                plants.push(Planted {
                    kind,
                    value,
                    text,
                    field,
                    item: path.clone(),
                });
            }
            let title = format!("（测试）页面{}", title.join("；"));
            let mut front = vec![
                format!("title: {}\n", yaml_str(r, &title)),
                format!("order: {}\n", 10 + r.below(40)),
                "@REVIEW 0\n".to_string(),
            ];
            if !description.is_empty() {
                front.push(format!(
                    "description: {}\n",
                    yaml_str(r, &description.join("；"))
                ));
            }
            shuffle(r, &mut front);
            let mut text = format!("---\n{}---\n\n本页用于测试。\n", front.concat());
            for part in body {
                text.push_str(&format!("\n另：{}\n", markdown_text(r, &part)));
            }
            files.push((path, text));
        }
    }
    for (fi, recs) in records.into_iter().enumerate() {
        if !recs.is_empty() {
            let path = format!(
                "content/plans/2023/progress/gate-{}-{}.yaml",
                letters(b),
                letters(fi)
            );
            files.push((path, progress_file(&recs)));
        }
    }
    let task_edits = task_lines
        .into_iter()
        .map(|((file, nth), extra)| (file, nth, extra))
        .collect();
    Batch {
        files,
        task_edits,
        plants,
    }
}

/// Write the batch into the site: its files (signed or not) and, when `with_tasks`, the task
/// text edits (the `nth` task of the file gets the extra text).
fn apply_batch(root: &Path, batch: &Batch, signed: bool, with_tasks: bool) {
    for (path, text) in &batch.files {
        std::fs::write(root.join(path), render(text, signed)).unwrap();
    }
    if !with_tasks {
        return;
    }
    let mut by_file: BTreeMap<&str, Vec<(usize, &str)>> = BTreeMap::new();
    for (file, nth, extra) in &batch.task_edits {
        by_file.entry(file).or_default().push((*nth, extra));
    }
    for (file, edits) in by_file {
        let path = root.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut seen = 0;
        let mut out = String::new();
        for line in text.split_inclusive('\n') {
            let t = line.trim_start();
            if let Some(value) = t.strip_prefix("text: ") {
                let indent = &line[..line.len() - t.len()];
                let mut value: String = serde_json::from_str(value.trim_end())
                    .unwrap_or_else(|e| panic!("{file}: {value}: {e}"));
                for (nth, extra) in &edits {
                    if *nth == seen {
                        value.push_str(extra);
                    }
                }
                seen += 1;
                out.push_str(&format!(
                    "{indent}text: {}\n",
                    serde_json::to_string(&value).unwrap()
                ));
            } else {
                out.push_str(line);
            }
        }
        std::fs::write(&path, out).unwrap();
    }
}

/// Every batch, generated from the one seed.
fn batches() -> Vec<Batch> {
    let mut r = Rng::mixed(SEED);
    (0..BATCHES).map(|b| batch(&mut r, b)).collect()
}

fn counts(batches: &[Batch]) -> String {
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut fields: BTreeMap<String, usize> = BTreeMap::new();
    for p in batches.iter().flat_map(|b| &b.plants) {
        *kinds.entry(format!("{:?}", p.kind)).or_default() += 1;
        *fields.entry(format!("{:?}", p.field)).or_default() += 1;
    }
    format!("kinds {kinds:?}, fields {fields:?}")
}

fn describe(p: &Planted) -> String {
    format!(
        "{:?} {} as {:?} in {:?} of {}",
        p.kind,
        mask(&p.value, p.kind),
        p.text,
        p.field,
        p.item
    )
}

/// What one signed batch went wrong with (empty when it went right).
#[derive(Default)]
struct SignedFailures {
    not_blocked: Vec<String>,
    touched: Vec<String>,
    unnamed_check: Vec<String>,
    unnamed_build: Vec<String>,
    unmasked: Vec<String>,
    leaked: Vec<String>,
}

/// `f` over every batch, on two threads (each batch is its own site and its own builds, and a
/// build of the small default site leaves a core idle), the results in batch order.
fn each_batch<T: Send>(batches: &[Batch], f: impl Fn(usize, &Batch) -> T + Sync) -> Vec<T> {
    let next = AtomicUsize::new(0);
    let mut results: Vec<(usize, T)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let b = next.fetch_add(1, Ordering::SeqCst);
                        let Some(batch) = batches.get(b) else { break };
                        mine.push((b, f(b, batch)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    results.sort_by_key(|(b, _)| *b);
    assert_eq!(results.len(), batches.len());
    results.into_iter().map(|(_, r)| r).collect()
}

/// A published copy of the default site, and what to look for of each disguise of `batch`.
fn site_for(batch: &Batch) -> (tempfile::TempDir, Vec<Needle>) {
    let needles = batch
        .plants
        .iter()
        .map(|p| Needle::of(p.kind, &p.value))
        .collect();
    (published_site(), needles)
}

/// One batch of [`random_disguises_in_signed_items_are_never_published`].
fn signed_batch(b: usize, batch: &Batch) -> SignedFailures {
    let mut out = SignedFailures::default();
    let (site, needles) = site_for(batch);
    let root = site.path();
    assert_not_in_baseline(&published_views(root), &needles);
    apply_batch(root, batch, true, true);
    let sealed = seal(root);
    assert!(!sealed.is_empty());
    // The batch is valid content apart from its findings (the preview refuses content
    // errors, not findings): a refused build is refused for the findings.
    if let Err(e) = gongkai::serve::build_preview(root, None) {
        panic!("batch {b} has content errors (a generator bug):\n{e}");
    }
    let before = snapshot(root);
    let checked = check(root);
    let built = build(root);
    if built.code != 1 || checked.code != 1 {
        out.not_blocked.push(format!(
            "batch {b}: check {}, build {}",
            checked.code, built.code
        ));
    }
    let after = snapshot(root);
    if after != before {
        out.touched
            .push(format!("batch {b}:\n{}", changes(&before, &after)));
    }
    let (check_view, build_view) = (View::of(&checked.stderr), View::of(&built.stderr));
    let views = published_views(root);
    for (p, n) in batch.plants.iter().zip(&needles) {
        let m = mask(&p.value, p.kind);
        if !checked.stderr.contains(&m) {
            out.unnamed_check.push(describe(p));
        }
        if !built.stderr.contains(&m) {
            out.unnamed_build.push(describe(p));
        }
        if check_view.shows(n) || build_view.shows(n) {
            out.unmasked.push(describe(p));
        }
        if let Some((_, file)) = shown(&views, std::slice::from_ref(n)).first() {
            out.leaked.push(format!("{} → {file}", describe(p)));
        }
    }
    out
}

/// 2,000 disguises in signed items (and plan task texts), 50 per build: every build exits 1
/// and leaves the previous output as it was; `check` and `build` each name every disguise,
/// masked; nothing is published.
#[test]
fn random_disguises_in_signed_items_are_never_published() {
    let started = Instant::now();
    let batches = batches();
    let total: usize = batches.iter().map(|b| b.plants.len()).sum();
    assert!(total >= 2000, "{total}");
    let mut all = SignedFailures::default();
    for r in each_batch(&batches, signed_batch) {
        all.not_blocked.extend(r.not_blocked);
        all.touched.extend(r.touched);
        all.unnamed_check.extend(r.unnamed_check);
        all.unnamed_build.extend(r.unnamed_build);
        all.unmasked.extend(r.unmasked);
        all.leaked.extend(r.leaked);
    }
    let SignedFailures {
        not_blocked,
        touched,
        unnamed_check,
        unnamed_build,
        unmasked,
        leaked,
    } = all;
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "{total} disguises in {BATCHES} builds ({}), {secs:.1} s",
        counts(&batches)
    );
    let head = |v: &Vec<String>| v.iter().take(15).cloned().collect::<Vec<_>>().join("\n  ");
    assert!(
        not_blocked.is_empty()
            && touched.is_empty()
            && unnamed_check.is_empty()
            && unnamed_build.is_empty()
            && unmasked.is_empty()
            && leaked.is_empty(),
        "of {BATCHES} builds, {} not blocked, {} changed the previous output; of {total} disguises, \
         {} not named by check, {} not named by build, {} shown unmasked, {} published\n\
         not blocked:\n  {}\nchanged output:\n  {}\nnot named by check:\n  {}\nnot named by build:\n  {}\n\
         unmasked:\n  {}\npublished:\n  {}",
        not_blocked.len(),
        touched.len(),
        unnamed_check.len(),
        unnamed_build.len(),
        unmasked.len(),
        leaked.len(),
        head(&not_blocked),
        head(&touched),
        head(&unnamed_check),
        head(&unnamed_build),
        head(&unmasked),
        head(&leaked),
    );
}

/// What one unsigned batch went wrong with: (failed builds, published, not in the preview).
fn unsigned_batch(b: usize, batch: &Batch) -> [Vec<String>; 3] {
    let (mut failed_builds, mut leaked, mut invisible_in_preview) = (vec![], vec![], vec![]);
    let (site, needles) = site_for(batch);
    let root = site.path();
    // Unsigned, and no task text (a plan is always published).
    apply_batch(root, batch, false, false);
    let built = build(root);
    if built.code != 0 {
        failed_builds.push(format!(
            "batch {b}: exit {}: {}",
            built.code,
            built.stderr.lines().take(8).collect::<Vec<_>>().join(" | ")
        ));
    }
    let views = published_views(root);
    for (p, n) in batch.plants.iter().zip(&needles) {
        if p.field == Field::TaskText {
            continue;
        }
        if let Some((_, file)) = shown(&views, std::slice::from_ref(n)).first() {
            leaked.push(format!("{} → {file}", describe(p)));
        }
    }
    // With the task texts too, the preview renders every disguise.
    apply_batch(root, batch, false, true);
    let preview = preview_views(root);
    for (p, n) in batch.plants.iter().zip(&needles) {
        if shown(&preview, std::slice::from_ref(n)).is_empty() {
            invisible_in_preview.push(describe(p));
        }
    }
    [failed_builds, leaked, invisible_in_preview]
}

/// The same 2,000 disguises in unsigned items: the build succeeds and publishes none of them;
/// and the preview, which renders every item, shows every one (so the search for a leak can
/// see each disguise once rendered).
#[test]
fn random_disguises_unsigned_are_held_back_and_visible_to_the_leak_search() {
    let started = Instant::now();
    let batches = batches();
    let (mut failed_builds, mut leaked, mut invisible_in_preview) = (vec![], vec![], vec![]);
    for [f, l, i] in each_batch(&batches, unsigned_batch) {
        failed_builds.extend(f);
        leaked.extend(l);
        invisible_in_preview.extend(i);
    }
    eprintln!(
        "unsigned: {BATCHES} builds, {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let head = |v: &Vec<String>| v.iter().take(15).cloned().collect::<Vec<_>>().join("\n  ");
    assert!(
        failed_builds.is_empty() && leaked.is_empty() && invisible_in_preview.is_empty(),
        "{} builds failed, {} disguises published, {} not visible in the preview\n\
         failed:\n  {}\npublished:\n  {}\nnot in the preview:\n  {}",
        failed_builds.len(),
        leaked.len(),
        invisible_in_preview.len(),
        head(&failed_builds),
        head(&leaked),
        head(&invisible_in_preview),
    );
}
