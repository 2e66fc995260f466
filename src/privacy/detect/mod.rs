//! The personal-data detector (issue 12 items 2 and 3): one pure function from a *text unit*
//! to its findings, shared by `check`'s scan of the source files and the build's scan of what
//! it is about to publish.
//!
//! # Text units
//!
//! [`Detector::scan`] reads one text unit: an HTML text node or attribute value (entities
//! decoded), a URL (percent-decoded), a JSON/CSV/XML value (unescaped), a YAML scalar, one
//! component of an output path, or, for the source scan, one line. Separators join digits only
//! inside the unit: the caller ends a number at an element or table-cell boundary simply by
//! scanning the cells separately. Each [`Hit`] carries the byte range in the *original* text
//! (so a caller can mask or locate it), the [`Kind`] and the normalised value (so an output
//! finding can be matched back to the source value it came from).
//!
//! # Rules
//!
//! Each rule is described in the submodule that implements it: the normalisation of the
//! characters and the joining rule (which digits form a number) in `normalize`, what a number
//! must also pass in `numbers`, e-mail addresses in `email`, personal names and house-number
//! addresses in `names`.
//!
//! # Exemptions
//!
//! Public numbers (`public_numbers` in `site.yaml`, compared by normalised value: digits only,
//! mobile prefix stripped) and everything found in the declared contact text
//! ([`Detector::with_public_text`]) are exempt wherever they appear. Sensitive words are never
//! exempt here (the allow-list is the caller's).
//!
//! # Speed
//!
//! One pass over the bytes: ASCII through a 128-entry table, Han characters (lead bytes E4–E9)
//! decoded arithmetically and never normalised, other characters classified through a 64 K
//! table built once from NFKC. Only a stretch of digits, letters, separators and `@` holding at
//! least 11 digits (the shortest pattern) or an `@` is projected and examined. The same pass
//! checks the sensitive words where their first character stands (a bit set of first
//! characters) and notes where a name keyword ends (人 after 联系/申请/信访/投诉/举报, 户主) and
//! where 号 stands; names and addresses are read from those places only. `memchr::memmem` is
//! used only for words that begin with an ASCII or non-BMP character and, when the unit holds
//! an invisible character, for the words once more without them. Measured on a generated
//! 10,000-task site (release build, one thread of a shared 2-core machine): 450–600 MB/s
//! of CPU on the built HTML (241 MB, whole lines including markup) and 200–300 MB/s on the
//! YAML sources (22.7 MB, many review fingerprints); the spread is the other load.

mod email;
mod names;
mod normalize;
mod numbers;

pub use numbers::{is_credit_code, is_legacy_resident_id, is_real_date, is_resident_id, luhn};

use super::{Hit, Kind};
use memchr::memmem;
use names::{NAME_PREFIXES, address_before, name_after};
use normalize::{
    ASCII, BREAK, DROP, Group, MULTI, bmp_table, classify, is_drop, normalized_digits,
};
use numbers::strip_mobile_prefix;
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// Version of the rules; part of [`Detector::digest`], so a cached scan result is not reused
/// across a change of rules.
const RULES_VERSION: &str = "gongkai-privacy-detect-1";

/// The detector, built once per build (words, public numbers, office contacts) and shared by
/// every thread.
#[derive(Clone)]
pub struct Detector {
    words: Vec<String>,
    finders: Vec<memmem::Finder<'static>>,
    /// The BMP characters that begin a sensitive word (a bit set, 8 KB).
    first: Box<[u64]>,
    /// A word begins with an ASCII, invisible or non-BMP character: the words are searched for
    /// (`memchr::memmem`) instead of checked in the pass over the text.
    words_always: bool,
    public: HashSet<String>,
    contacts: Vec<String>,
    max_year: u32,
    /// Identity of this configuration: a cache of scan results keyed by text is valid only for
    /// the detector it was made with (a clone shares it; any change gets a new one).
    id: u64,
}

/// A fresh detector identity.
fn next_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Detector {
    /// A detector for the configured sensitive `words`, the `public_numbers` declared in
    /// `site.yaml` (office telephone numbers and mailboxes, exempt wherever they appear,
    /// compared after normalisation) and the declared `office_contacts` (names exempt after
    /// 联系人 and the other keywords).
    pub fn new<W, P, C>(words: &[W], public_numbers: &[P], office_contacts: &[C]) -> Detector
    where
        W: AsRef<str>,
        P: AsRef<str>,
        C: AsRef<str>,
    {
        let words: Vec<String> = words
            .iter()
            .map(|w| w.as_ref().to_string())
            .filter(|w| !w.is_empty())
            .collect();
        let finders = words
            .iter()
            .map(|w| memmem::Finder::new(w.as_bytes()).into_owned())
            .collect();
        let (first, words_always) = first_chars(&words);
        let mut d = Detector {
            words,
            finders,
            first,
            words_always,
            public: HashSet::new(),
            contacts: Vec::new(),
            max_year: current_year(),
            id: next_id(),
        };
        for c in office_contacts {
            let c: String = c
                .as_ref()
                .nfkc()
                .filter(|c| !c.is_whitespace() && !is_drop(*c))
                .collect();
            if !c.is_empty() {
                d.contacts.push(c);
            }
        }
        for p in public_numbers {
            d.add_public(p.as_ref());
            // A number the rules do not recognise (a landline) is still compared by its digits.
            let digits = normalized_digits(p.as_ref());
            if !digits.is_empty() {
                d.public.insert(strip_mobile_prefix(&digits).to_string());
                d.public.insert(digits);
            }
        }
        d
    }

    /// Declare everything found in `text` public: the parsed `contact` value of `site.yaml`
    /// (its numbers, mailboxes, address and contact name are then exempt wherever they
    /// appear). Applies to the value given, never to a source line.
    pub fn with_public_text(mut self, text: &str) -> Detector {
        self.add_public(text);
        self.id = next_id();
        self
    }

    /// This configuration's identity (see the field): equal ids, equal findings for any text.
    pub(crate) fn id(&self) -> u64 {
        self.id
    }

    fn add_public(&mut self, text: &str) {
        let (first, words_always) = first_chars(&[]);
        let bare = Detector {
            words: Vec::new(),
            finders: Vec::new(),
            first,
            words_always,
            public: HashSet::new(),
            contacts: Vec::new(),
            max_year: self.max_year,
            id: 0,
        };
        for h in bare.scan(text) {
            if h.kind == Kind::PersonName {
                self.contacts.push(h.value.clone());
            }
            self.public.insert(h.value);
        }
    }

    /// Whether `value` (a [`Hit::value`]) is declared public.
    pub fn is_public(&self, kind: Kind, value: &str) -> bool {
        match kind {
            Kind::Word => false,
            Kind::PersonName => self.contacts.iter().any(|c| value.starts_with(c.as_str())),
            _ => self.public.contains(value),
        }
    }

    /// A digest of the rules, words and exemptions: a cached scan result is valid while the
    /// scanned bytes and this digest are unchanged.
    pub fn digest(&self) -> String {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let mut public: Vec<&String> = self.public.iter().collect();
        public.sort();
        h.update(RULES_VERSION.as_bytes());
        h.update(self.max_year.to_le_bytes());
        for part in [
            self.words.iter().collect::<Vec<_>>(),
            public,
            self.contacts.iter().collect(),
        ] {
            h.update([0xff]);
            for s in part {
                h.update(s.as_bytes());
                h.update([0]);
            }
        }
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The findings in one text unit, sorted by position, exempt ones left out. A finding
    /// inside another (a mobile number inside an e-mail address) is reported once, as the
    /// outer one; sensitive words are always reported.
    pub fn scan(&self, text: &str) -> Vec<Hit> {
        let mut out = Vec::new();
        self.scan_into(text, &mut out);
        out
    }

    /// [`Detector::scan`] appending to `out` (reuses the caller's vector).
    pub fn scan_into(&self, text: &str, out: &mut Vec<Hit>) {
        let first = out.len();
        SCRATCH.with(|s| match s.try_borrow_mut() {
            Ok(mut s) => self.scan_with(text, &mut s, out),
            Err(_) => self.scan_with(text, &mut Scratch::default(), out),
        });
        if out.len() == first {
            return;
        }
        let mut hits = out.split_off(first);
        hits.sort_by(|a, b| {
            (a.start, std::cmp::Reverse(a.end), a.kind).cmp(&(
                b.start,
                std::cmp::Reverse(b.end),
                b.kind,
            ))
        });
        // A finding inside another goes with it (a mobile inside a public mailbox too).
        let mut max_end = 0;
        for h in hits {
            if h.kind != Kind::Word {
                if h.end <= max_end {
                    continue;
                }
                max_end = h.end;
            }
            if !self.is_public(h.kind, &h.value) {
                out.push(h);
            }
        }
    }

    /// One pass over the text: numbers and e-mail addresses are found in every stretch of
    /// digits, letters, separators and `@` that holds at least 11 digits (the shortest
    /// pattern) or an `@`; sensitive words are checked where their first character stands;
    /// the name keywords and 号 are noted, and names and addresses read from there after.
    fn scan_with(&self, text: &str, s: &mut Scratch, out: &mut Vec<Hit>) {
        let b = text.as_bytes();
        let base = out.len();
        let table = bmp_table();
        let mut has_drop = false;
        s.keywords.clear();
        s.haos.clear();
        // The current stretch is `start..i` (everything since the last break).
        let mut start = 0;
        let mut digits = 0usize;
        let mut at = false;
        let mut i = 0;
        while i < b.len() {
            let c0 = b[i];
            if c0 < 0x80 {
                let cls = ASCII[usize::from(c0)];
                let brk = cls == BREAK;
                if brk && (digits >= 11 || at) {
                    self.island(text, start, i, s, out);
                }
                digits = if brk {
                    0
                } else {
                    digits + usize::from(cls.wrapping_sub(b'0') < 10)
                };
                at = !brk && (at || cls == b'@');
                start = if brk { i + 1 } else { start };
                i += 1;
                continue;
            }
            if (0xE4..=0xE9).contains(&c0) && i + 2 < b.len() {
                // U+4000..U+9FFF: Han, never part of a number or an e-mail address.
                if digits >= 11 || at {
                    self.island(text, start, i, s, out);
                }
                digits = 0;
                at = false;
                start = i + 3;
                let cp = (u32::from(c0 & 0x0F) << 12)
                    | (u32::from(b[i + 1] & 0x3F) << 6)
                    | u32::from(b[i + 2] & 0x3F);
                if self.first[(cp >> 6) as usize] & (1 << (cp & 63)) != 0 {
                    self.words_at(text, i, out);
                }
                const REN: u32 = '人' as u32;
                const HU: u32 = '户' as u32;
                const HAO: u32 = '号' as u32;
                match cp {
                    REN if i >= 6 && NAME_PREFIXES.contains(&&b[i - 6..i]) => {
                        s.keywords.push(i + 3)
                    }
                    HU if b[i + 3..].starts_with("主".as_bytes()) => s.keywords.push(i + 6),
                    HAO => s.haos.push(i),
                    _ => {}
                }
                i += 3;
                continue;
            }
            let ch = text[i..].chars().next().unwrap_or(' ');
            let len = ch.len_utf8();
            let cp = ch as usize;
            if cp < 0x10000 && self.first[cp >> 6] & (1 << (cp & 63)) != 0 {
                self.words_at(text, i, out);
            }
            let cls = match u16::try_from(cp) {
                Ok(u) => table[usize::from(u)],
                Err(_) => classify(ch),
            };
            match cls {
                BREAK => {
                    if digits >= 11 || at {
                        self.island(text, start, i, s, out);
                    }
                    digits = 0;
                    at = false;
                    start = i + len;
                }
                DROP => has_drop = true,
                MULTI => {
                    for c in std::iter::once(ch).nfkc() {
                        digits += usize::from(c.is_ascii_digit());
                        at |= c == '@';
                    }
                }
                p => {
                    digits += usize::from(p.is_ascii_digit());
                    at |= p == b'@';
                }
            }
            i += len;
        }
        if digits >= 11 || at {
            self.island(text, start, b.len(), s, out);
        }
        for &q in &s.keywords {
            name_after(text, q, out);
        }
        for &h in &s.haos {
            if let Some(hit) = address_before(text, h) {
                out.push(hit);
            }
        }
        if self.words_always || (has_drop && !self.words.is_empty()) {
            self.words(text, has_drop, base, out);
        }
    }

    /// The sensitive words that begin at byte `i`.
    fn words_at(&self, text: &str, i: usize, out: &mut Vec<Hit>) {
        for w in &self.words {
            if text.as_bytes()[i..].starts_with(w.as_bytes()) {
                out.push(Hit {
                    start: i,
                    end: i + w.len(),
                    kind: Kind::Word,
                    value: w.clone(),
                });
            }
        }
    }

    /// Sensitive words found by searching: all of them when a word begins with an ASCII or
    /// non-BMP character (not checked in the pass over the text), and again without the
    /// invisible characters when the text holds one.
    fn words(&self, text: &str, has_drop: bool, base: usize, out: &mut Vec<Hit>) {
        if self.words_always {
            // The pass over the text checked none: search them all.
            for (w, f) in self.words.iter().zip(&self.finders) {
                for p in f.find_iter(text.as_bytes()) {
                    out.push(Hit {
                        start: p,
                        end: p + w.len(),
                        kind: Kind::Word,
                        value: w.clone(),
                    });
                }
            }
        }
        if !has_drop {
            return;
        }
        // Again without the invisible characters (`绝\u{200B}密`), mapped back.
        let mut stripped = String::with_capacity(text.len());
        let mut map = Vec::with_capacity(text.len());
        for (o, c) in text.char_indices() {
            if !is_drop(c) {
                stripped.push(c);
                map.extend(o..o + c.len_utf8());
            }
        }
        for (w, f) in self.words.iter().zip(&self.finders) {
            for p in f.find_iter(stripped.as_bytes()) {
                let start = map[p];
                let end = map[p + w.len() - 1] + 1;
                if !out[base..]
                    .iter()
                    .any(|h| h.start == start && h.kind == Kind::Word)
                {
                    out.push(Hit {
                        start,
                        end,
                        kind: Kind::Word,
                        value: w.clone(),
                    });
                }
            }
        }
    }
}

impl std::fmt::Debug for Detector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut public: Vec<&String> = self.public.iter().collect();
        public.sort();
        f.debug_struct("Detector")
            .field("words", &self.words)
            .field("public", &public)
            .field("contacts", &self.contacts)
            .field("max_year", &self.max_year)
            .finish_non_exhaustive()
    }
}

impl Default for Detector {
    /// The default sensitive words, no exemptions.
    fn default() -> Self {
        Detector::new(super::DEFAULT_WORDS, &[] as &[&str], &[] as &[&str])
    }
}

/// The bit set of [`Detector::first`] for `words`, and whether a word begins outside it
/// (then the set is empty and every word is searched for).
fn first_chars(words: &[String]) -> (Box<[u64]>, bool) {
    let mut t = vec![0u64; 0x10000 / 64].into_boxed_slice();
    for w in words {
        let c = w.chars().next().map_or(0, |c| c as usize);
        if !(0x80..0x10000).contains(&c) || is_drop(char::from_u32(c as u32).unwrap_or(' ')) {
            return (vec![0u64; 0x10000 / 64].into_boxed_slice(), true);
        }
        t[c >> 6] |= 1 << (c & 63);
    }
    (t, false)
}

/// The current year in Asia/Shanghai (the last birth year a resident ID may carry).
pub fn current_year() -> u32 {
    static YEAR: OnceLock<u32> = OnceLock::new();
    *YEAR.get_or_init(|| {
        use chrono::Datelike;
        let d = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
        u32::try_from(d.year()).unwrap_or(2100)
    })
}

#[derive(Default)]
struct Scratch {
    proj: Vec<u8>,
    offs: Vec<usize>,
    groups: Vec<Group>,
    cands: Vec<Cand>,
    /// Where a name keyword ends.
    keywords: Vec<usize>,
    /// Where a 号 stands.
    haos: Vec<usize>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

struct Cand {
    s: usize,
    e: usize,
    kind: Kind,
    value: String,
}

#[cfg(test)]
mod tests;
