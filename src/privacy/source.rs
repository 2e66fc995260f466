//! The source scan: every value of the loaded model that can reach a page, scanned as one text
//! unit and located at the place it was written (issue 12).
//!
//! The scan walks the parsed values, not the lines of the files, so what it reads is what the
//! renderer will read: YAML escapes (`"\u0031…"`), aliases (`*s` is scanned where it is used,
//! inside the record that uses it) and scalars continued over several lines are already
//! resolved, and a finding belongs to the item that holds the value whatever the order of its
//! keys. A Markdown body is scanned a block (paragraph) at a time, as written and after its
//! character references (`&#49;`) and percent-escapes are decoded, since the page shows them
//! decoded. Names are values too: a plan folder and a page's file name become part of URLs.
//!
//! Values that never reach the published site are not scanned: review blocks (reviewer names,
//! dates, fingerprints), comments, the allow-list.

use super::{AllowEntry, Detector, Finding, Kind, mask};
use crate::diag::Diagnostic;
use crate::loc::Located;
use crate::site::Site;
use std::collections::BTreeMap;

/// Which item a value belongs to: what decides whether it would be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Owner {
    /// Site configuration, units and groups: published with every build.
    Site,
    /// A plan's document, tasks and pilots: published with every build.
    Plan(usize),
    /// A progress record (plan index, record index): published once through 三审.
    Record(usize, usize),
    /// A Markdown page (index): published once through 三审.
    Page(usize),
}

/// One text unit of the source with its place.
struct Unit<'a> {
    path: &'a str,
    line: u32,
    col: u32,
    text: &'a str,
    owner: Owner,
    how: How,
}

/// How a unit is read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum How {
    /// A YAML value: the scalar as parsed.
    Value,
    /// A URL: also percent-decoded.
    Url,
    /// A Markdown body: block by block, also with character references decoded.
    Markdown,
    /// A name that becomes part of a URL (plan folder, page file name).
    Name(&'static str),
}

/// Every value of `site` that can be published, with its place and owner.
fn units<'a>(site: &'a Site, out: &mut dyn FnMut(Unit<'a>)) {
    // Each value is handed on as it is reached: the units of a 100,000-task site, collected,
    // took 800 MB.
    let mut v = |path: &'a str, l: &'a Located<String>, owner: Owner, how: How| {
        out(Unit {
            path,
            line: l.line,
            col: l.col,
            text: l.value.as_str(),
            owner,
            how,
        });
    };
    let site_yaml = "content/site.yaml";
    let c = &site.config;
    let p = &c.portal;
    for l in [
        &c.title,
        &c.base_url,
        &p.site_name,
        &p.domain,
        &p.site_id_code,
        &p.sponsor,
        &p.icp,
        &p.police_record,
        &p.contact,
    ] {
        v(site_yaml, l, Owner::Site, How::Value);
    }
    for n in &c.public_numbers {
        v(site_yaml, n, Owner::Site, How::Value);
    }
    let units_yaml = "content/units.yaml";
    for u in &site.units {
        v(units_yaml, &u.id, Owner::Site, How::Value);
        v(units_yaml, &u.name, Owner::Site, How::Value);
        for a in &u.aliases {
            v(units_yaml, a, Owner::Site, How::Value);
        }
    }
    for g in &site.groups {
        v(units_yaml, &g.id, Owner::Site, How::Value);
        v(units_yaml, &g.name, Owner::Site, How::Value);
        for a in g.aliases.iter().chain(&g.members).chain(&g.note) {
            v(units_yaml, a, Owner::Site, How::Value);
        }
    }
    for (pi, plan) in site.plans.iter().enumerate() {
        let owner = Owner::Plan(pi);
        let path = plan.path.as_str();
        let m = &plan.meta;
        for l in [&m.title, &m.issuer]
            .into_iter()
            .chain(&m.written_date)
            .chain(&m.doc_number)
            .chain(&m.index_number)
            .chain(&m.cc)
            .chain(m.annexes.iter().map(|a| &a.title))
        {
            v(path, l, owner, How::Value);
        }
        for cat in &plan.categories {
            v(cat.path.as_str(), &cat.title, owner, How::Value);
            for sub in &cat.subcategories {
                if let Some(t) = &sub.title {
                    v(sub.path.as_str(), t, owner, How::Value);
                }
                for t in &sub.tasks {
                    let e = &t.entry;
                    let tp = t.path.as_str();
                    for l in [&e.id, &e.text]
                        .into_iter()
                        .chain(&e.responsible_text)
                        .chain(&e.lead_text)
                        .chain(&e.cooperating_text)
                        .chain(&e.responsible)
                        .chain(&e.lead)
                        .chain(&e.cooperating)
                        .chain(&e.deadline)
                    {
                        v(tp, l, owner, How::Value);
                    }
                }
            }
        }
        if let Some(pp) = &plan.pilots_path {
            for b in &plan.pilots {
                for l in [&b.id, &b.name, &b.source]
                    .into_iter()
                    .chain(&b.townships)
                    .chain(&b.departments)
                    .chain(&b.tasks)
                {
                    v(pp.as_str(), l, owner, How::Value);
                }
            }
        }
        for (ri, r) in plan.records.iter().enumerate() {
            let owner = Owner::Record(pi, ri);
            let e = &r.entry;
            let rp = r.path.as_str();
            for l in [&e.id, &e.task, &e.unit, &e.summary]
                .into_iter()
                .chain(e.evidence.iter().map(|x| &x.title))
            {
                v(rp, l, owner, How::Value);
            }
            for x in &e.evidence {
                v(rp, &x.url, owner, How::Url);
            }
        }
    }
    for (i, page) in site.pages.iter().enumerate() {
        let owner = Owner::Page(i);
        let f = &page.front;
        for l in std::iter::once(&f.title).chain(&f.description) {
            v(page.path.as_str(), l, owner, How::Value);
        }
    }
    for (pi, plan) in site.plans.iter().enumerate() {
        out(Unit {
            path: plan.path.as_str(),
            line: 1,
            col: 1,
            text: plan.id.as_str(),
            owner: Owner::Plan(pi),
            how: How::Name("计划文件夹名"),
        });
    }
    for (i, page) in site.pages.iter().enumerate() {
        out(Unit {
            path: page.path.as_str(),
            line: 1,
            col: 1,
            text: page.slug.as_str(),
            owner: Owner::Page(i),
            how: How::Name("页面文件名"),
        });
        out(Unit {
            path: page.path.as_str(),
            line: page.body_line.max(1),
            col: 1,
            text: page.body.as_str(),
            owner: Owner::Page(i),
            how: How::Markdown,
        });
    }
}

/// Scan every publishable value of `site`. `sources` (path → text) lets a finding in a
/// one-line scalar be located at its own column; `allow` is the allow-list. Findings are in
/// unit order (site, units, plans, pages), each with its owner; a value is reported once per
/// unit.
pub fn scan_site(
    detector: &Detector,
    site: &Site,
    sources: &BTreeMap<String, String>,
    allow: &[AllowEntry],
) -> Vec<Finding> {
    scan_site_batched(detector, site, sources, allow, 1 << 16)
}

/// [`scan_site`], the units scanned `size` at a time, in order: never all held at once.
fn scan_site_batched(
    detector: &Detector,
    site: &Site,
    sources: &BTreeMap<String, String>,
    allow: &[AllowEntry],
    size: usize,
) -> Vec<Finding> {
    let mut found = Vec::new();
    let mut batch: Vec<Unit<'_>> = Vec::with_capacity(size.min(1 << 16));
    units(site, &mut |u| {
        batch.push(u);
        if batch.len() == size {
            found.extend(scan_units(detector, &batch, sources, allow));
            batch.clear();
        }
    });
    found.extend(scan_units(detector, &batch, sources, allow));
    found
}

/// [`scan_site`] on `units`, 256 at a time in parallel; findings in unit order.
fn scan_units(
    detector: &Detector,
    units: &[Unit<'_>],
    sources: &BTreeMap<String, String>,
    allow: &[AllowEntry],
) -> Vec<Finding> {
    use rayon::prelude::*;
    units
        .par_chunks(256)
        .map(|chunk| {
            // One detector call for the chunk's plain values joined by NUL (a break for every
            // rule); only a value that a finding touches is read again on its own, for its
            // place. Other kinds of unit are read on their own.
            let mut buf = String::new();
            let mut ends = Vec::with_capacity(chunk.len());
            for u in chunk.iter().filter(|u| u.how == How::Value) {
                buf.push_str(u.text);
                ends.push(buf.len());
                buf.push('\0');
            }
            let mut touched = vec![false; ends.len()];
            for h in detector.scan(&buf) {
                for at in [h.start, h.end.saturating_sub(1).max(h.start)] {
                    let i = ends.partition_point(|&e| e < at);
                    if let Some(t) = touched.get_mut(i) {
                        *t = true;
                    }
                }
            }
            let mut out = Vec::new();
            let mut values = touched.into_iter();
            for u in chunk {
                if u.how != How::Value || values.next().unwrap_or(true) {
                    scan_unit(detector, u, sources, allow, &mut out);
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flatten()
        .collect()
}

fn scan_unit(
    detector: &Detector,
    u: &Unit<'_>,
    sources: &BTreeMap<String, String>,
    allow: &[AllowEntry],
    out: &mut Vec<Finding>,
) {
    let mut seen: Vec<(Kind, String)> = Vec::new();
    let mut emit = |kind: Kind, value: String, found: &str, line: u32, col: u32, width: usize| {
        if seen.iter().any(|(k, v)| *k == kind && *v == value) {
            return;
        }
        let allowed = super::allowed_by(allow, u.path, u.text, found, &value);
        let what = match u.how {
            How::Name(n) => format!("{n}中发现疑似{}", kind.label()),
            _ => format!("发现疑似{}", kind.label()),
        };
        let diag = Diagnostic::error(u.path, line, col, format!("{what}：{}", mask(&value, kind)))
            .width(width)
            .hint(match u.how {
                How::Name(_) => "改用不含个人信息的名称（它会成为网址的一部分）",
                _ => "发布前删除或改写；确需公开的，在 content/allowlist.yaml 登记短语、文件和理由",
            });
        out.push(Finding {
            diag,
            kind,
            value: value.clone(),
            owner: u.owner,
            allowed,
            outputs: Vec::new(),
        });
        seen.push((kind, value));
    };
    match u.how {
        How::Value | How::Url | How::Name(_) => {
            for h in detector.scan(u.text) {
                let found = &u.text[h.start..h.end];
                let (line, col) = place_in_scalar(sources.get(u.path), u, h.start);
                emit(h.kind, h.value, found, line, col, found.chars().count());
            }
            if u.how != How::Value && u.text.contains('%') {
                let decoded = percent_decode(u.text);
                for h in detector.scan(&decoded) {
                    let found = &decoded[h.start..h.end];
                    emit(h.kind, h.value, found, u.line, u.col, 1);
                }
            }
        }
        How::Markdown => {
            for (offset, block) in blocks(u.text) {
                let at = |i: usize| -> (u32, u32) {
                    let before = &u.text[..offset + i];
                    let line = u.line + count(before.matches('\n').count());
                    let start = before.rfind('\n').map_or(0, |p| p + 1);
                    (line, count(before[start..].chars().count()) + 1)
                };
                for h in detector.scan(block) {
                    let found = &block[h.start..h.end];
                    let (line, col) = at(h.start);
                    emit(h.kind, h.value, found, line, col, found.chars().count());
                }
                if block.contains('&') || block.contains('%') {
                    let (decoded, map) = decode_markdown(block);
                    for h in detector.scan(&decoded) {
                        let found = &decoded[h.start..h.end];
                        let (line, col) = at(map[h.start]);
                        emit(h.kind, h.value, found, line, col, 1);
                    }
                }
            }
        }
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The line and column of byte `at` of a scalar: exact when the scalar is written on one line
/// as it reads (plain or quoted without escapes), else the scalar's own place.
fn place_in_scalar(source: Option<&String>, u: &Unit<'_>, at: usize) -> (u32, u32) {
    let fallback = (u.line, u.col);
    if u.line == 0 || matches!(u.how, How::Name(_)) || u.text.contains('\n') {
        return fallback;
    }
    let Some(line) = source.and_then(|s| s.lines().nth(u.line as usize - 1)) else {
        return fallback;
    };
    let Some(start) = line
        .char_indices()
        .nth(u.col.saturating_sub(1) as usize)
        .map(|(i, _)| i)
    else {
        return fallback;
    };
    let rest = &line[start..];
    let quoted = rest.starts_with('"') || rest.starts_with('\'');
    let body = if quoted { &rest[1..] } else { rest };
    if !body.starts_with(u.text) {
        return fallback;
    }
    let col = u.col + u32::from(quoted) + count(u.text[..at].chars().count());
    (u.line, col)
}

/// The blocks of a Markdown body (runs of non-blank lines) with their byte offsets: a number
/// split over two lines of one paragraph is one text on the page.
fn blocks(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        match (blank, start) {
            (true, Some(s)) => {
                out.push((s, &text[s..pos]));
                start = None;
            }
            (false, None) => start = Some(pos),
            _ => {}
        }
        pos += line.len();
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// Percent-decode a URL (invalid UTF-8 replaced).
pub fn percent_decode(s: &str) -> String {
    decode(s, false).0
}

/// Decode the character references and percent-escapes of a Markdown block, with the byte
/// offset in `s` of every byte of the result (for locating a finding).
fn decode_markdown(s: &str) -> (String, Vec<usize>) {
    decode(s, true)
}

fn decode(s: &str, refs: bool) -> (String, Vec<usize>) {
    let b = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut map = Vec::with_capacity(b.len() + 1);
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            map.push(i);
            i += 3;
            continue;
        }
        if refs
            && b[i] == b'&'
            && let Some((c, len)) = char_ref(&s[i..])
        {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push(byte);
                map.push(i);
            }
            i += len;
            continue;
        }
        out.push(b[i]);
        map.push(i);
        i += 1;
    }
    map.push(b.len());
    let text = String::from_utf8_lossy(&out).into_owned();
    if text.len() != out.len() {
        // Invalid UTF-8 from a percent-escape: offsets are approximate past it.
        map.resize(text.len() + 1, b.len());
    }
    (text, map)
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// A character reference at the start of `s` (`&#49;`, `&#x31;`, `&amp;` …) and its length.
fn char_ref(s: &str) -> Option<(char, usize)> {
    let end = s.find(';').filter(|&e| e <= 12)?;
    let name = &s[1..end];
    let c = if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(h) => u32::from_str_radix(h, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(n)?
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            "commat" => '@',
            "period" => '.',
            "hyphen" | "dash" => '-',
            "plus" => '+',
            "lowbar" | "UnderBar" => '_',
            "ensp" => '\u{2002}',
            "emsp" => '\u{2003}',
            "thinsp" => '\u{2009}',
            "ndash" => '\u{2013}',
            "mdash" => '\u{2014}',
            "middot" => '\u{b7}',
            "shy" => '\u{ad}',
            "zwj" => '\u{200d}',
            "zwnj" => '\u{200c}',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_paragraphs() {
        let b = blocks("a\nb\n\n\nc\n");
        assert_eq!(b, vec![(0, "a\nb\n"), (6, "c\n")]);
    }

    #[test]
    fn references_and_escapes_are_decoded_with_their_offsets() {
        let (d, map) = decode_markdown("电话&#49;3812345678 a&#x40;b.cn %31");
        assert_eq!(d, "电话13812345678 a@b.cn 1");
        assert_eq!(map[d.find('1').unwrap_or(0)], "电话".len());
        assert_eq!(percent_decode("/u/%31%33%38"), "/u/138");
        assert_eq!(char_ref("&commat;x"), Some(('@', 8)));
        assert_eq!(char_ref("&unknown;"), None);
    }
}

#[cfg(test)]
mod batch_tests {
    /// The findings of a site scanned a few units at a time are those of the whole site in
    /// one batch, in the same order (a batch boundary splits no value and loses no finding).
    #[test]
    fn findings_do_not_depend_on_the_batch_size() {
        let root =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sites/district");
        let checked = crate::check_site(&root, None).unwrap();
        let mut site = checked.site.unwrap();
        // The first unit of all, and every third record.
        site.config.title.value.push_str("（13812345678）");
        let mut planted = 1;
        for plan in &mut site.plans {
            for (i, r) in plan.records.iter_mut().enumerate() {
                if i % 3 == 0 {
                    r.entry.summary.value.push_str("，联系人手机13912345678");
                    planted += 1;
                }
            }
        }
        assert!(planted > 2, "{planted}");
        let detector = crate::check::detector(&site);
        let scan = |size| {
            super::scan_site_batched(&detector, &site, &checked.report.sources, &site.allow, size)
                .iter()
                .map(|f| format!("{:?} {:?} {}", f.owner, f.diag, f.value))
                .collect::<Vec<_>>()
        };
        let whole = scan(usize::MAX);
        assert!(whole.len() >= planted, "{whole:?}");
        for size in [1, 2, 7, 64, 256, 1000] {
            assert_eq!(scan(size), whole, "batches of {size}");
        }
    }
}
