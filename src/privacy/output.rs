//! The scan of the bytes a build is about to publish (issue 12 item 1, the output side): one
//! output file in, its personal-data findings out. [`super::detect`] owns the rules; this module
//! decides what the *text units* of a published file are and decodes them as a reader's
//! software would.
//!
//! # Text units, by kind of file
//!
//! - **HTML, XML, SVG** (`.html`, `.htm`, `.xhtml`, `.xml`, `.svg`, `.atom`, `.rss`): a small
//!   tokenizer (no parser crate; robust to any input: unquoted and unterminated attribute values,
//!   a `<` that starts no tag, truncated files). Each text node and each attribute value is one
//!   unit, so element and table-cell boundaries end a number (`<td>50</td><td>1</td>` and
//!   `138<em>1234</em>5678` are not joined). Character references are decoded: decimal and hex
//!   (with or without the `;`; 0, surrogates and values past U+10FFFF become U+FFFD, 0x80–0x9F
//!   are read as Windows-1252, as browsers do), and the 2,231 named references of the HTML
//!   standard (the legacy ones such as `&nbsp` without the `;` too, in attribute values as well;
//!   an unknown name stays as written). A unit whose references produced markup (`&lt;p&gt;` in
//!   a feed's `<summary>`, double escaping) is read again as HTML, up to three levels deep.
//!   Comments, CDATA sections, `<!DOCTYPE …>`/`<?…?>` and the raw text of `<script>` and
//!   `<style>` are units too (raw text both as written and decoded). Tag and attribute names
//!   are units when they hold a digit, `@` or a non-ASCII character.
//! - **JSON** (`.json`, `.webmanifest`, `.map`): when it parses, every string (keys and values,
//!   escapes such as `\u0031` decoded) and the text of every number is a unit; a string
//!   holding `<` or `&` is also read as HTML. When it does not parse, it is read as text lines.
//! - **CSV** (`.csv`): RFC 4180, each cell a unit, quotes unescaped; a line break inside a
//!   quoted cell belongs to the cell (and is a separator there, so digits joined across it are
//!   one number).
//! - **Any other UTF-8 text** (`.txt`, `.css`, `.js` …): each line a unit.
//! - **Anything else** (not UTF-8: fonts, images): every run of at least 8 bytes of printable
//!   ASCII or valid UTF-8, and every run of at least 8 printable ASCII characters in UTF-16
//!   (either byte order, either alignment: font name tables). A markup, JSON or CSV file that is
//!   not UTF-8 is read as its kind with invalid bytes replaced by U+FFFD, and as a binary.
//! - **The path**: each `/`-separated component of the output path.
//!
//! Every unit holding a `%` is also read percent-decoded (UTF-8, invalid bytes replaced), up to
//! three times for double encoding; a unit holding `+` and `=` (a query string) is also read
//! form-decoded (`+` as a space). A finding is reported once per file, by kind and normalised
//! value, however many units and variants it appears in.
//!
//! # One detector call per file
//!
//! The units of a file are decoded into one buffer, each unit followed by a NUL (`\0`), and
//! the detector reads the buffer in one call (or one call per 128 KiB of units for a larger
//! file). NUL is a *break* in the detector's ASCII table: it is not a digit, letter, `@` or
//! separator, so it ends every number, e-mail address and letter run; it is not one of the
//! characters a name keyword may be followed by, nor a Han character or numeral, so it ends a
//! name and an address; and a sensitive word matches across it only if the word itself holds a
//! NUL. So the buffer yields the findings of the units scanned one by one (the test
//! `the_separator_is_a_break_for_every_rule` checks each rule), at the cost of one call. The buffers live in a
//! thread-local scratch space and are reused: [`scan_output`] may be called from any number of
//! threads at once.
//!
//! # Speed
//!
//! Most of a site's bytes repeat from page to page (the header, the navigation, the footer, a
//! unit's row in every table that lists it). Two caches per thread, both keyed by an aHash of
//! the bytes with keys drawn at random (so content cannot be written to collide) and both
//! valid for one detector only, let the scan read them once: *chunks* of markup from one
//! block-level start tag to the next (see `Units::chunk` for why skipping one is exact), and
//! *units* of 16 bytes or more. Only what was read without a finding is remembered.
//!
//! Measured on a generated 10,000-task site (`examples/synth.rs`, seed 1; 10,828 files,
//! 241 MB, nearly all HTML) with the ignored test `scan_a_built_output_folder`
//! (`OUTPUT_SCAN_DIR=<folder> OUTPUT_SCAN_REPS=1 cargo test --release --lib privacy::output --
//! --ignored --nocapture`), one thread of a 2-core machine shared with other work: 0.58 s of
//! CPU for the whole output from cold caches (413 MB/s); 0.33 s when every chunk is already
//! known (locating the chunks and hashing them). Inside a build, where the two rendering
//! threads keep their own caches, the scan took 0.5–0.65 s of thread time (`GONGKAI_TIMINGS=1`).

mod entities;
#[cfg(test)]
mod tests;

use super::{Detector, Hit, Kind};
use memchr::{memchr, memchr2, memchr3, memmem};
use std::cell::RefCell;

/// One finding in an output file: its kind and normalised value ([`Hit::value`]), never the
/// raw text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OutputHit {
    /// What it is.
    pub kind: Kind,
    /// The normalised value (equal values mean the same datum, however it was written).
    pub value: String,
}

/// Scan the output file at `path` (relative, `/`-separated, e.g. `2023/tasks/2-1-2.html`)
/// whose content is `bytes`, and push its findings to `out`, once per kind and value, sorted.
/// Exemptions are the detector's (public numbers, the declared contact); the allow-list is the
/// caller's.
pub fn scan_output(detector: &Detector, path: &str, bytes: &[u8], out: &mut Vec<OutputHit>) {
    SCRATCH.with(|s| match s.try_borrow_mut() {
        Ok(mut s) => Units {
            det: detector,
            s: &mut s,
        }
        .file(path, bytes, out),
        Err(_) => Units {
            det: detector,
            s: &mut Scratch::default(),
        }
        .file(path, bytes, out),
    });
}

/// The character that ends every unit in the buffer (see the module docs).
const SEP: char = '\0';
/// The buffer is scanned when it reaches this size (at a unit boundary).
const FLUSH: usize = 128 << 10;
/// How many times a decoded unit that holds markup is read again as HTML.
const MAX_DEPTH: u8 = 3;
/// The shortest run of printable text read from a binary file.
const MIN_RUN: usize = 8;

#[derive(Default)]
struct Scratch {
    /// The units, each followed by [`SEP`].
    buf: String,
    hits: Vec<Hit>,
    found: Vec<(Kind, String)>,
    /// Strings for decoded units, reused.
    spare: Vec<String>,
    /// Units already scanned without a finding (see [`CACHE_MIN`]).
    clean: CleanUnits,
    /// The cacheable units in `buf`: (hash, start, end).
    pending: Vec<(u64, usize, usize)>,
    /// Chunks of markup already read without a finding (see [`Units::html`]).
    clean_chunks: std::collections::HashSet<u64, std::hash::BuildHasherDefault<IdHash>>,
    /// The chunk being read: (hash, end in the file, start in `buf`, `flushes` when opened).
    open_chunk: Option<(u64, usize, usize, u64)>,
    /// The chunks read into `buf`: (hash, start, end in `buf`).
    pending_chunks: Vec<(u64, usize, usize)>,
    /// How many times `buf` was scanned (a chunk spanning a scan is not remembered).
    flushes: u64,
}

/// The shortest unit worth remembering: shorter ones cost the detector less than a lookup.
const CACHE_MIN: usize = 16;
/// The most units remembered per thread (then the memory is started afresh).
const CACHE_MAX: usize = 1 << 22;

/// The hashes of the units a thread has scanned without a finding, for one detector: the
/// header, navigation, footer and labels repeated on every page are scanned once. The hash is
/// aHash with keys drawn at random for each thread (`ahash::RandomState`), so content cannot
/// be written to collide with a clean unit; the detector's identity is checked on every file.
#[derive(Default)]
struct CleanUnits {
    detector: u64,
    keys: ahash::RandomState,
    set: std::collections::HashSet<u64, std::hash::BuildHasherDefault<IdHash>>,
}

impl CleanUnits {
    fn hash(&self, unit: &str) -> u64 {
        self.keys.hash_one(unit)
    }
}

/// The identity hash for keys that are already hashes.
#[derive(Default)]
struct IdHash(u64);

impl std::hash::Hasher for IdHash {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// What a file is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Markup,
    Json,
    Csv,
    Other,
}

fn format_of(path: &str) -> Format {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let is = |e: &str| ext.eq_ignore_ascii_case(e);
    if ["html", "htm", "xhtml", "xml", "svg", "atom", "rss"]
        .iter()
        .any(|e| is(e))
    {
        Format::Markup
    } else if ["json", "webmanifest", "map"].iter().any(|e| is(e)) {
        Format::Json
    } else if is("csv") {
        Format::Csv
    } else {
        Format::Other
    }
}

/// Byte classes of the tokenizer: whitespace, `>`, `/`, `=`, the bytes that call for a
/// decoded reading (`&`, `%`, `+`) and those that make a tag or attribute name worth a unit
/// (digits, `@`, non-ASCII).
const WS: u8 = 1;
const GT: u8 = 2;
const SLASH: u8 = 4;
const EQ: u8 = 8;
const SPECIAL: u8 = 16;
const NAMEY: u8 = 32;

const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        t[c] = match b {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0C => WS,
            b'>' => GT,
            b'/' => SLASH,
            b'=' => EQ,
            b'&' | b'%' | b'+' => SPECIAL,
            b'0'..=b'9' | b'@' | 0x80..=0xFF => NAMEY,
            _ => 0,
        };
        c += 1;
    }
    t
};

fn class(b: u8) -> u8 {
    CLASS[usize::from(b)]
}

fn is_ws(b: u8) -> bool {
    class(b) == WS
}

/// Whether `b` holds `&`, `%` or `+`.
fn has_special(b: &[u8]) -> bool {
    if b.len() < 32 {
        b.iter().any(|&c| class(c) == SPECIAL)
    } else {
        memchr3(b'&', b'%', b'+', b).is_some()
    }
}

/// Whether the `<` at `lt` starts a block-level element that begins a chunk (see
/// [`Units::chunk`]): `<div`, `<nav`, `<header`, `<footer`, `<main`, `<section`, `<table`,
/// `<tr`, `<ul`, `<ol`, `<li`, `<p`, `<h2`, `<h3`, `<dl`, `<article`, `<aside`, `<form`,
/// `<details`, followed by a space or `>`.
fn is_chunk_start(b: &[u8], lt: usize) -> bool {
    let rest = &b[lt + 1..];
    let tags: &[&[u8]] = match rest.first() {
        Some(b'd') => &[b"div", b"details"],
        Some(b'n') => &[b"nav"],
        Some(b'h') => &[b"header"],
        Some(b'f') => &[b"footer", b"form"],
        Some(b'm') => &[b"main"],
        Some(b's') => &[b"section"],
        Some(b't') => &[b"table", b"tr"],
        Some(b'u') => &[b"ul"],
        Some(b'o') => &[b"ol"],
        Some(b'a') => &[b"article", b"aside"],
        _ => return false,
    };
    tags.iter()
        .any(|t| rest.starts_with(t) && rest.get(t.len()).is_some_and(|&c| c == b' ' || c == b'>'))
}

/// The end of an unquoted attribute value starting at `v`: the next whitespace or `>`.
fn unquoted_end(b: &[u8], v: usize) -> usize {
    let n = b.len();
    // Most values are short: a table lookup per byte; long ones (a page description) by
    // searching.
    let short = (v + 16).min(n);
    let mut e = v;
    while e < short {
        if class(b[e]) & (WS | GT) != 0 {
            return e;
        }
        e += 1;
    }
    let end = memchr3(b' ', b'>', b'\n', &b[e..]).map_or(n, |k| e + k);
    memchr3(b'\t', b'\r', 0x0C, &b[e..end]).map_or(end, |k| e + k)
}

/// The units of one file, written into the scratch buffer and scanned.
struct Units<'a> {
    det: &'a Detector,
    s: &'a mut Scratch,
}

impl Units<'_> {
    fn file(&mut self, path: &str, bytes: &[u8], out: &mut Vec<OutputHit>) {
        self.s.buf.clear();
        self.s.found.clear();
        self.s.pending.clear();
        let clean = &mut self.s.clean;
        if clean.detector != self.det.id()
            || clean.set.len() > CACHE_MAX
            || self.s.clean_chunks.len() > CACHE_MAX
        {
            clean.detector = self.det.id();
            clean.set.clear();
            self.s.clean_chunks.clear();
        }
        self.s.open_chunk = None;
        self.s.pending_chunks.clear();
        for part in path.split('/') {
            self.plain(part);
        }
        let format = format_of(path);
        match (simdutf8::basic::from_utf8(bytes).map_err(|_| ()), format) {
            (Ok(s), Format::Markup) => self.html(s, 0),
            (Ok(s), Format::Json) => {
                if serde_json::from_str::<serde::de::IgnoredAny>(s).is_ok() {
                    self.json(s);
                } else {
                    self.lines(s);
                }
            }
            (Ok(s), Format::Csv) => self.csv(s),
            (Ok(s), Format::Other) => self.lines(s),
            (Err(_), Format::Other) => self.binary(bytes),
            (Err(_), f) => {
                let s = String::from_utf8_lossy(bytes);
                match f {
                    Format::Markup => self.html(&s, 0),
                    Format::Csv => self.csv(&s),
                    _ => self.lines(&s),
                }
                // Text in another encoding (UTF-16 HTML) is read as a binary's runs too.
                self.binary(bytes);
            }
        }
        self.flush();
        let found = &mut self.s.found;
        found.sort_unstable();
        found.dedup();
        out.extend(
            found
                .drain(..)
                .map(|(kind, value)| OutputHit { kind, value }),
        );
        // Do not keep a very large file's buffer for the rest of the thread's life.
        if self.s.buf.capacity() > 8 * FLUSH {
            self.s.buf = String::new();
        }
    }

    /// Append one unit; scan the buffer once it is large.
    fn push(&mut self, unit: &str) {
        if unit.len() >= CACHE_MIN && self.det.id() != 0 {
            let h = self.s.clean.hash(unit);
            if self.s.clean.set.contains(&h) {
                return;
            }
            let start = self.s.buf.len();
            self.s.pending.push((h, start, start + unit.len()));
        }
        let buf = &mut self.s.buf;
        buf.push_str(unit);
        buf.push(SEP);
        if buf.len() >= FLUSH {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let s = &mut *self.s;
        if s.buf.is_empty() {
            // Chunks whose every unit was already known clean.
            for &(h, _, _) in &s.pending_chunks {
                s.clean_chunks.insert(h);
            }
            s.pending_chunks.clear();
            return;
        }
        self.det.scan_into(&s.buf, &mut s.hits);
        // A cacheable unit is remembered as clean when no finding touches it (the units are
        // in buffer order, so each finding is placed by a binary search).
        let mut dirty = vec![false; s.pending.len()];
        for h in &s.hits {
            for at in [h.start, h.end.saturating_sub(1).max(h.start)] {
                let i = s.pending.partition_point(|&(_, start, _)| start <= at);
                if i > 0 && at < s.pending[i - 1].2 + 1 {
                    dirty[i - 1] = true;
                }
            }
        }
        for (&(h, _, _), dirty) in s.pending.iter().zip(dirty) {
            if !dirty {
                s.clean.set.insert(h);
            }
        }
        s.pending.clear();
        for &(h, start, end) in &s.pending_chunks {
            if !s.hits.iter().any(|x| x.start <= end && x.end >= start) {
                s.clean_chunks.insert(h);
            }
        }
        s.pending_chunks.clear();
        s.flushes += 1;
        s.found.extend(s.hits.drain(..).map(|h| (h.kind, h.value)));
        s.buf.clear();
    }

    fn take(&mut self) -> String {
        self.s.spare.pop().unwrap_or_default()
    }

    fn give(&mut self, mut t: String) {
        t.clear();
        if t.capacity() <= 8 * FLUSH {
            self.s.spare.push(t);
        }
    }

    /// A unit as it stands, and its percent- and form-decoded readings.
    fn plain(&mut self, unit: &str) {
        if memchr2(b'%', b'+', unit.as_bytes()).is_none() {
            if !unit.is_empty() {
                self.push(unit);
            }
            return;
        }
        self.push(unit);
        self.url_variants(unit);
    }

    /// The percent-decoded readings of a unit holding `%` (repeated for double encoding), and
    /// its form-decoded reading when it holds `+` and `=`.
    fn url_variants(&mut self, unit: &str) {
        let b = unit.as_bytes();
        if memchr(b'%', b).is_some() {
            let mut cur = self.take();
            cur.push_str(unit);
            let mut next = self.take();
            for _ in 0..3 {
                next.clear();
                if !percent_decode(&cur, false, &mut next) {
                    break;
                }
                self.push(&next);
                std::mem::swap(&mut cur, &mut next);
            }
            self.give(cur);
            self.give(next);
        }
        if memchr(b'+', b).is_some() && memchr(b'=', b).is_some() {
            let mut d = self.take();
            if percent_decode(unit, true, &mut d) {
                self.push(&d);
            }
            self.give(d);
        }
    }

    /// A text node or attribute value: entities decoded; read again as HTML when the
    /// references produced markup.
    fn markup_value(&mut self, raw: &str, depth: u8) {
        // Most units hold none of `&`, `%` and `+`: they are copied as they are.
        if !has_special(raw.as_bytes()) {
            if !raw.is_empty() {
                self.push(raw);
            }
            return;
        }
        if memchr(b'&', raw.as_bytes()).is_none() {
            self.push(raw);
            self.url_variants(raw);
            return;
        }
        let mut d = self.take();
        let produced_markup = decode_entities(raw, &mut d);
        self.plain(&d);
        if produced_markup && depth < MAX_DEPTH {
            self.html(&d, depth + 1);
        }
        self.give(d);
    }

    /// Raw text (`<script>`, `<style>`, CDATA): as written, and decoded when it holds a `&`.
    fn raw_text(&mut self, raw: &str, depth: u8) {
        self.plain(raw);
        if memchr(b'&', raw.as_bytes()).is_some() {
            self.markup_value(raw, depth);
        }
    }

    /// HTML, XML or SVG.
    fn html(&mut self, s: &str, depth: u8) {
        let b = s.as_bytes();
        let n = b.len();
        // The current text node starts at `text`; the next `<` is searched from `i`.
        let mut text = 0;
        let mut i = 0;
        while let Some(k) = memchr(b'<', &b[i..]) {
            let lt = i + k;
            let next = b.get(lt + 1).copied().unwrap_or(0);
            if next.is_ascii_alphabetic() {
                self.markup_value(&s[text..lt], depth);
                if depth == 0 && is_chunk_start(b, lt) {
                    let skip = self.chunk(s, lt);
                    if skip > lt {
                        i = skip;
                        text = skip;
                        continue;
                    }
                }
                let (end, name, closed) = self.tag(s, lt + 1, depth);
                i = end;
                let raw = name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style");
                if raw && !closed {
                    let close = closing_tag(b, i, name.as_bytes());
                    self.raw_text(&s[i..close], depth);
                    i = close;
                }
            } else if next == b'/' {
                self.markup_value(&s[text..lt], depth);
                if b.get(lt + 2).is_some_and(u8::is_ascii_alphabetic) {
                    i = self.tag(s, lt + 2, depth).0;
                } else {
                    // A bogus comment (`</ …>`), read as text.
                    let e = memchr(b'>', &b[lt + 2..]).map_or(n, |k| lt + 2 + k);
                    self.markup_value(&s[lt + 2..e], depth);
                    i = (e + 1).min(n);
                }
            } else if next == b'!' || next == b'?' {
                self.markup_value(&s[text..lt], depth);
                if b[lt..].starts_with(b"<!--") {
                    let cs = lt + 4;
                    let ce = memmem::find(&b[cs..], b"-->").map_or(n, |k| cs + k);
                    self.markup_value(&s[cs..ce], depth);
                    i = (ce + 3).min(n);
                } else if b[lt..].starts_with(b"<![CDATA[") {
                    let cs = lt + 9;
                    let ce = memmem::find(&b[cs..], b"]]>").map_or(n, |k| cs + k);
                    self.raw_text(&s[cs..ce], depth);
                    i = (ce + 3).min(n);
                } else {
                    // `<!DOCTYPE …>`, `<?xml …?>`.
                    let cs = lt + 2;
                    let ce = memchr(b'>', &b[cs..]).map_or(n, |k| cs + k);
                    self.markup_value(&s[cs..ce], depth);
                    i = (ce + 1).min(n);
                }
            } else {
                // A `<` that starts no tag is text.
                i = lt + 1;
                continue;
            }
            text = i;
        }
        self.markup_value(&s[text..], depth);
        if depth == 0 {
            self.chunk(s, n);
        }
    }

    /// At a chunk boundary `at` of the file `s` (a block-level start tag, read in the data
    /// state, or the end of the file): close the chunk that ends here, then, unless at the
    /// end, open the next one — or, when its bytes were read before without a finding, return
    /// where it ends so the reader skips it. Returns `at` when nothing is skipped.
    ///
    /// A chunk runs from a block-level start tag to the next `<` that looks like one. Chunks
    /// repeat from page to page (the header, the navigation, the footer, a unit's row in
    /// every table that lists it), and reading one is a pure function of its bytes: it starts
    /// in the data state at a start tag, and it is remembered only when the reader, reading
    /// on, stopped at its end in the data state again (a look-alike tag inside a comment, a
    /// script or an attribute value never ends a chunk) and no finding touched its units.
    fn chunk(&mut self, s: &str, at: usize) -> usize {
        if let Some((h, end, start, flushes)) = self.s.open_chunk.take()
            && end == at
            && flushes == self.s.flushes
        {
            let buf_end = self.s.buf.len();
            self.s.pending_chunks.push((h, start, buf_end));
        }
        if at >= s.len() {
            return at;
        }
        let b = s.as_bytes();
        let mut end = at + 1;
        loop {
            match memchr(b'<', &b[end..]) {
                Some(k) if is_chunk_start(b, end + k) => {
                    end += k;
                    break;
                }
                Some(k) => end += k + 1,
                None => {
                    end = b.len();
                    break;
                }
            }
        }
        let h = self.s.clean.hash(&s[at..end]);
        if self.s.clean_chunks.contains(&h) {
            // The next chunk starts at `end`: open it on the next call.
            return end;
        }
        self.s.open_chunk = Some((h, end, self.s.buf.len(), self.s.flushes));
        at
    }

    /// The tag whose name starts at byte `p` (after `<` or `</`): its attribute values are
    /// units. Returns where the tag ends (after its `>`), its name, and whether it ended with
    /// `/>`.
    fn tag<'s>(&mut self, s: &'s str, mut p: usize, depth: u8) -> (usize, &'s str, bool) {
        let b = s.as_bytes();
        let n = b.len();
        // Tag and attribute names are units when they hold a digit, `@` or non-ASCII.
        let ns = p;
        let mut seen = 0;
        while p < n && class(b[p]) & (WS | SLASH | GT) == 0 {
            seen |= class(b[p]);
            p += 1;
        }
        let name = &s[ns..p];
        if seen & NAMEY != 0 {
            self.plain(name);
        }
        loop {
            let mut slash = false;
            while p < n && (is_ws(b[p]) || b[p] == b'/') {
                slash = b[p] == b'/';
                p += 1;
            }
            if p >= n {
                return (n, name, false);
            }
            if b[p] == b'>' {
                return (p + 1, name, slash);
            }
            // An attribute name (its first character may be `=`).
            let a = p;
            let mut seen = class(b[p]);
            p += 1;
            while p < n && class(b[p]) & (WS | SLASH | GT | EQ) == 0 {
                seen |= class(b[p]);
                p += 1;
            }
            if seen & NAMEY != 0 {
                self.plain(&s[a..p]);
            }
            let mut v = p;
            while v < n && is_ws(b[v]) {
                v += 1;
            }
            if v >= n || b[v] != b'=' {
                continue;
            }
            v += 1;
            while v < n && is_ws(b[v]) {
                v += 1;
            }
            if v < n && (b[v] == b'"' || b[v] == b'\'') {
                let vs = v + 1;
                let ve = memchr(b[v], &b[vs..]).map_or(n, |k| vs + k);
                self.markup_value(&s[vs..ve], depth);
                p = (ve + 1).min(n);
            } else {
                p = unquoted_end(b, v);
                self.markup_value(&s[v..p], depth);
            }
        }
    }

    /// JSON that parses: every string and the text of every number.
    fn json(&mut self, s: &str) {
        let b = s.as_bytes();
        let n = b.len();
        let mut i = 0;
        loop {
            let q = memchr(b'"', &b[i..]).map_or(n, |k| i + k);
            self.json_numbers(&s[i..q]);
            if q >= n {
                return;
            }
            // The string starting after the quote at `q`.
            let mut j = q + 1;
            let mut from = j;
            let mut d: Option<String> = None;
            loop {
                let Some(k) = memchr2(b'"', b'\\', &b[j..]) else {
                    j = n;
                    break;
                };
                j += k;
                if b[j] == b'"' {
                    break;
                }
                let d = d.get_or_insert_with(String::new);
                d.push_str(&s[from..j]);
                j += json_escape(&b[j..], d);
                from = j;
            }
            let end = j.min(n);
            match d {
                None => self.json_string(&s[from..end]),
                Some(mut d) => {
                    d.push_str(&s[from..end]);
                    self.json_string(&d);
                }
            }
            i = (end + 1).min(n);
        }
    }

    fn json_string(&mut self, v: &str) {
        self.plain(v);
        if memchr2(b'<', b'&', v.as_bytes()).is_some() {
            self.html(v, 1);
        }
    }

    /// The numbers between two strings of a JSON text.
    fn json_numbers(&mut self, gap: &str) {
        let b = gap.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_digit() && b[i] != b'-' {
                i += 1;
                continue;
            }
            let st = i;
            while i < b.len() && matches!(b[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
                i += 1;
            }
            self.plain(&gap[st..i]);
        }
    }

    /// RFC 4180 CSV: each cell a unit.
    fn csv(&mut self, s: &str) {
        let b = s.as_bytes();
        let n = b.len();
        let mut i = 0;
        while i < n {
            let e;
            if b[i] == b'"' {
                // A quoted cell: `""` is a quote; anything after the closing quote up to the
                // delimiter (malformed) belongs to the cell too.
                let mut cell = self.take();
                let mut j = i + 1;
                loop {
                    match memchr(b'"', &b[j..]) {
                        None => {
                            cell.push_str(&s[j..]);
                            j = n;
                            break;
                        }
                        Some(k) if b.get(j + k + 1) == Some(&b'"') => {
                            cell.push_str(&s[j..=j + k]);
                            j += k + 2;
                        }
                        Some(k) => {
                            cell.push_str(&s[j..j + k]);
                            j += k + 1;
                            break;
                        }
                    }
                }
                e = memchr3(b',', b'\n', b'\r', &b[j..]).map_or(n, |k| j + k);
                cell.push_str(&s[j..e]);
                self.plain(&cell);
                self.give(cell);
            } else {
                e = memchr3(b',', b'\n', b'\r', &b[i..]).map_or(n, |k| i + k);
                self.plain(&s[i..e]);
            }
            i = e + 1;
        }
    }

    /// Text: each line a unit.
    fn lines(&mut self, s: &str) {
        for line in s.split('\n') {
            self.plain(line);
        }
    }

    /// Not text: runs of printable UTF-8 and of printable ASCII in UTF-16.
    fn binary(&mut self, b: &[u8]) {
        for chunk in b.utf8_chunks() {
            let v = chunk.valid();
            let mut st = 0;
            for (k, &c) in v.as_bytes().iter().enumerate() {
                if (c < 0x20 && c != b'\t') || c == 0x7F {
                    if k - st >= MIN_RUN {
                        self.plain(&v[st..k]);
                    }
                    st = k + 1;
                }
            }
            if v.len() - st >= MIN_RUN {
                self.plain(&v[st..]);
            }
        }
        let mut run = self.take();
        for big_endian in [false, true] {
            for align in 0..2 {
                run.clear();
                for pair in b.get(align..).unwrap_or_default().chunks_exact(2) {
                    let (c, z) = if big_endian {
                        (pair[1], pair[0])
                    } else {
                        (pair[0], pair[1])
                    };
                    if z == 0 && (0x20..0x7F).contains(&c) {
                        run.push(char::from(c));
                        continue;
                    }
                    if run.len() >= MIN_RUN {
                        self.plain(&run);
                    }
                    run.clear();
                }
                if run.len() >= MIN_RUN {
                    self.plain(&run);
                }
            }
        }
        self.give(run);
    }
}

/// The index of the `</name` that closes a raw-text element opened before `from`, or the end.
fn closing_tag(b: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(k) = memchr(b'<', &b[i..]) {
        let lt = i + k;
        if b.get(lt + 1) == Some(&b'/')
            && b.get(lt + 2..lt + 2 + name.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(name))
        {
            return lt;
        }
        i = lt + 1;
    }
    b.len()
}

/// Decode the character references of `raw` into `out`; whether one of them produced `<` or
/// `&` (markup to read again).
fn decode_entities(raw: &str, out: &mut String) -> bool {
    let b = raw.as_bytes();
    let mut produced = false;
    let mut i = 0;
    while let Some(k) = memchr(b'&', &b[i..]) {
        let amp = i + k;
        out.push_str(&raw[i..amp]);
        let before = out.len();
        match reference(&b[amp + 1..], out) {
            Some(len) => {
                produced |= out[before..].contains(['<', '&']);
                i = amp + 1 + len;
            }
            None => {
                out.push('&');
                i = amp + 1;
            }
        }
    }
    out.push_str(&raw[i..]);
    produced
}

/// The character reference at the start of `b` (just after a `&`): its characters pushed to
/// `out` and the number of bytes it takes, or `None` when it is not one.
fn reference(b: &[u8], out: &mut String) -> Option<usize> {
    if b.first() == Some(&b'#') {
        let hex = matches!(b.get(1), Some(b'x' | b'X'));
        let start = if hex { 2 } else { 1 };
        let radix = if hex { 16 } else { 10 };
        let mut j = start;
        let mut v: u32 = 0;
        while let Some(d) = b.get(j).and_then(|&c| char::from(c).to_digit(radix)) {
            v = v.saturating_mul(radix).saturating_add(d);
            j += 1;
        }
        if j == start {
            return None;
        }
        if b.get(j) == Some(&b';') {
            j += 1;
        }
        out.push(numeric_char(v));
        return Some(j);
    }
    let mut j = 0;
    while j < b.len() && j < 32 && b[j].is_ascii_alphanumeric() {
        j += 1;
    }
    if j == 0 {
        return None;
    }
    let lookup = |name: &[u8]| {
        entities::NAMED
            .binary_search_by(|(n, _)| n.as_bytes().cmp(name))
            .ok()
            .map(|k| entities::NAMED[k].1)
    };
    if b.get(j) == Some(&b';')
        && let Some(v) = lookup(&b[..j])
    {
        out.push_str(v);
        return Some(j + 1);
    }
    // A legacy name without its `;`: the longest that begins the run.
    for len in (2..=j.min(6)).rev() {
        if entities::LEGACY
            .binary_search_by(|n| n.as_bytes().cmp(&b[..len]))
            .is_ok()
            && let Some(v) = lookup(&b[..len])
        {
            out.push_str(v);
            return Some(len);
        }
    }
    None
}

/// The character a numeric reference stands for, as browsers read it.
fn numeric_char(v: u32) -> char {
    /// 0x80–0x9F read as Windows-1252 (the five undefined ones stay as they are).
    const CP1252: [u32; 32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
        0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ];
    let v = match v {
        0 => 0xFFFD,
        0x80..=0x9F => CP1252[(v - 0x80) as usize],
        _ => v,
    };
    char::from_u32(v).unwrap_or('\u{FFFD}')
}

/// The value of the hexadecimal digits `h` (all of them hexadecimal digits).
fn hex_value(h: &[u8]) -> Option<u32> {
    h.iter().try_fold(0u32, |v, &c| {
        char::from(c).to_digit(16).map(|d| (v << 4) | d)
    })
}

/// The JSON escape at the start of `b` (a `\`): its character pushed to `out`, and the bytes
/// it takes (a surrogate pair is one character).
fn json_escape(b: &[u8], out: &mut String) -> usize {
    let hex4 = |at: usize| b.get(at..at + 4).and_then(hex_value);
    let c = match b.get(1) {
        Some(b'n') => '\n',
        Some(b't') => '\t',
        Some(b'r') => '\r',
        Some(b'b') => '\u{8}',
        Some(b'f') => '\u{c}',
        Some(b'u') => {
            let Some(u) = hex4(2) else {
                out.push('\u{FFFD}');
                return 2;
            };
            if (0xD800..0xDC00).contains(&u)
                && b.get(6..8) == Some(&b"\\u"[..])
                && let Some(l) = hex4(8).filter(|l| (0xDC00..0xE000).contains(l))
            {
                let cp = 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
                out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                return 12;
            }
            out.push(char::from_u32(u).unwrap_or('\u{FFFD}'));
            return 6;
        }
        Some(&c) if c.is_ascii() => char::from(c),
        // A `\` at the end or before a non-ASCII character (not JSON): kept as written.
        _ => {
            out.push('\\');
            return 1;
        }
    };
    out.push(c);
    2
}

/// Percent-decode `s` into `out` (`+` as a space too when `plus`), invalid UTF-8 replaced;
/// whether anything changed.
fn percent_decode(s: &str, plus: bool, out: &mut String) -> bool {
    let b = s.as_bytes();
    let mut bytes = Vec::with_capacity(b.len());
    let mut changed = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%'
            && let Some(v) = b.get(i + 1..i + 3).and_then(hex_value)
        {
            bytes.push(v as u8);
            changed = true;
            i += 3;
            continue;
        }
        if plus && c == b'+' {
            bytes.push(b' ');
            changed = true;
        } else {
            bytes.push(c);
        }
        i += 1;
    }
    if changed {
        out.push_str(&String::from_utf8_lossy(&bytes));
    }
    changed
}
