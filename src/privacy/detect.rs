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
//! # Normalisation
//!
//! Every character is read after NFKC (the `unicode-normalization` crate: full-width digits and
//! letters, `＠`, `﹫`, superscript and circled digits, mathematical digits become ASCII).
//! Invisible characters are removed before matching (zero-width space/joiners, word joiner,
//! BOM, soft hyphen, bidirectional controls, variation selectors, combining marks), so
//! `138\u{200B}1234\u{200B}5678` is one run of eleven digits. Visible separators are space and
//! every Unicode space (NBSP, U+3000 …), tab and line breaks, the hyphen and dash variants
//! (U+2010–2015, U+2212, U+30FC, U+FE58, U+FE63, U+FF0D …), the dot, the middle dots (U+00B7,
//! U+30FB, U+2022 …) and `_`; they join digit groups only by the rule below. A `+86`, `0086` or
//! `86` prefix before a mobile number is stripped, as its own group (`+86 138…`, `86-138…`) or
//! glued on (`+8613812345678`, `+86138 1234 5678`); the value is the bare eleven digits.
//!
//! # Which digits form a number (the joining rule)
//!
//! A *group* is a maximal run of digits (after the normalisation above). Two neighbouring
//! groups are *connected* when what lies between them is only separators, with any amount of
//! whitespace but at most two non-space separators (`138 - 1234`, `138—1234`, `138\n    1234`
//! connect; `138/1234`, `138,1234`, `138：1234`, `138年1234` do not). A *chain* is a maximal
//! sequence of connected groups. Within one chain the detector tries:
//!
//! 1. **Each group alone**, whatever surrounds it (letters glued on count: `a13812345678`,
//!    `ID11010519491231002X`; so do URLs: `/u/13812345678`, `?tel=13812345678`).
//! 2. **Each window of two or more consecutive groups** whose joined length is exactly that of
//!    a pattern and whose grouping looks like the way that number is written:
//!    - mobile (11 digits): groups of 3-4-4, 3-8, 7-4, 4-7 or 4-4-3 (the first group may carry
//!      a glued `86`/`0086` prefix);
//!    - resident ID (18, or 17 + `X`; 15 for the legacy form) and bank card (16–19): every group
//!      but the last has at least 3 digits (6-8-4, 6-4-4-4, 4-4-4-4-2, 4-4-4-4-3 …; the last
//!      group may be shorter, and the `X` may stand after a separator: `002 X`).
//! 3. **The whole chain when every group is a single digit** (`1 3 8 1 2 3 4 5 6 7 8`),
//!    after an optional `86`/`0086` group (`+86 1 3 8 …`). No shorter window of single digits
//!    is tried, so a row of single-digit counts longer than a pattern never yields one.
//!
//! Anything else is read group by group. So dates never join into anything (2023-10-15 is
//! 4-2-2; a range 2023-01-01—2023-12-31 is 4-2-2-4-2-2, and no window of it whose groups are
//! all ≥ 3 reaches 15 digits), task numbers (2-1-2) and tallies (`50 1 1 7 3`: six digits) stay
//! small, and a 10-digit 网站标识码 or a 14-digit 公安备案号 has no pattern's length.
//!
//! # What a number must also pass
//!
//! - Resident ID, 18 characters: a province code that exists (11–15, 21–23, 31–37, 41–46,
//!   50–54, 61–65, 71, 81–83, 91), a real birth date YYYYMMDD (month lengths and leap years
//!   checked, year 1900 to the current year) and the ISO 7064 MOD 11-2 check character.
//!   15-digit legacy form: province code and a real date 19YYMMDD.
//! - Mobile: `1[3-9]` and nine more digits.
//! - Bank card: 16–19 digits, first digit 3, 4, 5, 6 or 9 (the issuer classes of the card
//!   schemes used in China; this keeps date-led serial numbers out), and Luhn. A token of
//!   exactly 18 characters (17 digits and a digit or letter, nothing glued on) that is a valid
//!   统一社会信用代码 of registration authority 5 (民政) or 9 (工商) (GB 32100 check character;
//!   all-digit codes such as 914403001922038216 exist) is not a card. Cost: 1 in 31 of the rare
//!   18-digit cards beginning with 5 or 9 is missed.
//! - E-mail: `local@domain` or `local＠domain` (NFKC) with at most one space on either side of
//!   the `@`, a domain of at least two labels and an alphabetic top-level label that is not a
//!   file extension (`logo@2x.png` is not an address).
//! - Digits inside a hash-like token (16 or more ASCII letters and digits, all hexadecimal, at
//!   least 3 of them letters, such as the `sha256:…` review fingerprints or hashed asset names)
//!   are not numbers.
//!
//! # Names and addresses
//!
//! - Personal name: after 联系人, 申请人, 信访人, 投诉人, 举报人 or 户主 (optionally `：`/`:`
//!   and spaces), a name of 2–4 Han characters: a known single surname (common surnames; those
//!   that are mostly function words, such as 应 or 于, left out) and one or two given-name
//!   characters, or a compound surname (欧阳, 司马 …) and one or two. Not a name: a common word
//!   after the keyword (申请人陈述, 申请人对…, 申请人诉求), a title (王先生, 张科长), or a declared
//!   office contact (the name starts with one).
//! - House-number address: `…路12号`, `…街十二号`, `…大道8号`, `…巷3号`, `…弄5号` (a road name
//!   of at least one Han character, not a word such as 思路 or 线路) and `…村3组15号` /
//!   `…村三社十五号`; the numbers in digits (full-width too) or Han numerals. The value is the
//!   key from two characters before 路/街/村 to 号, so an address matches whatever precedes it.
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

use super::{Hit, Kind};
use memchr::memmem;
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
        self
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

    /// One stretch `text[from..to]` of digits, letters, separators, invisible characters and
    /// `@`: projected to ASCII (one byte per normalised character, with the byte offset of the
    /// original character), then read for numbers and e-mail addresses.
    fn island(&self, text: &str, from: usize, to: usize, s: &mut Scratch, out: &mut Vec<Hit>) {
        let Scratch {
            proj: p,
            offs,
            groups,
            cands,
            ..
        } = s;
        p.clear();
        offs.clear();
        let table = bmp_table();
        for (o, ch) in text[from..to].char_indices() {
            let cls = match u16::try_from(ch as u32) {
                Ok(u) => table[usize::from(u)],
                Err(_) => classify(ch),
            };
            match cls {
                DROP => {}
                MULTI => {
                    for c in std::iter::once(ch).nfkc() {
                        p.push(if c.is_ascii() {
                            ASCII[c as usize]
                        } else {
                            BREAK
                        });
                        offs.push(from + o);
                    }
                }
                c => {
                    p.push(c);
                    offs.push(from + o);
                }
            }
        }
        let n = p.len();
        groups.clear();
        cands.clear();
        let mut i = 0;
        while i < n {
            if p[i].is_ascii_digit() {
                let s0 = i;
                while i < n && p[i].is_ascii_digit() {
                    i += 1;
                }
                groups.push(Group {
                    s: s0,
                    e: i,
                    hashy: false,
                });
            } else {
                i += 1;
            }
        }
        for g in groups.iter_mut() {
            let glued = (g.s > 0 && p[g.s - 1].is_ascii_alphabetic())
                || (g.e < n && p[g.e].is_ascii_alphabetic());
            if glued {
                let mut ts = g.s;
                while ts > 0 && p[ts - 1].is_ascii_alphanumeric() {
                    ts -= 1;
                }
                let mut te = g.e;
                while te < n && p[te].is_ascii_alphanumeric() {
                    te += 1;
                }
                g.hashy = is_hash_like(&p[ts..te]);
            }
        }
        let mut cs = 0;
        while cs < groups.len() {
            let mut ce = cs;
            while ce + 1 < groups.len()
                && !groups[ce].hashy
                && !groups[ce + 1].hashy
                && gap_joins(&p[groups[ce].e..groups[ce + 1].s])
            {
                ce += 1;
            }
            if !groups[cs].hashy {
                self.chain(p, &groups[cs..=ce], cands);
            }
            cs = ce + 1;
        }
        if p.contains(&b'@') {
            emails(p, cands);
        }
        for c in cands.drain(..) {
            let start = offs[c.s];
            let last = offs[c.e - 1];
            let end = last + text[last..].chars().next().map_or(1, char::len_utf8);
            out.push(Hit {
                start,
                end,
                kind: c.kind,
                value: c.value,
            });
        }
    }

    /// Every candidate number in one chain of connected groups.
    fn chain(&self, p: &[u8], gs: &[Group], cands: &mut Vec<Cand>) {
        let last = gs.len() - 1;
        let mut d = [0u8; 20];
        let mut lens = [0usize; 20];
        for i in 0..gs.len() {
            let mut dl = 0;
            for j in i..gs.len() {
                let gl = gs[j].e - gs[j].s;
                if dl + gl > 19 {
                    break;
                }
                d[dl..dl + gl].copy_from_slice(&p[gs[j].s..gs[j].e]);
                dl += gl;
                lens[j - i] = gl;
                let at = Span {
                    s: gs[i].s,
                    e: gs[j].e,
                    x: x_after(p, gs[j].e, j == last),
                };
                self.classify(&d[..dl], Grouping::Groups(&lens[..=j - i]), at, p, cands);
            }
        }
        // Every digit on its own (`1 3 8 1 …`): only the whole chain, after an optional
        // `86` / `0086` group.
        let k = usize::from(gs.len() > 2 && matches!(&p[gs[0].s..gs[0].e], b"86" | b"0086"));
        let singles = &gs[k..];
        if singles.len() > 1 && singles.len() <= 19 && singles.iter().all(|g| g.e - g.s == 1) {
            let digits: Vec<u8> = singles.iter().map(|g| p[g.s]).collect();
            let at = Span {
                s: singles[0].s,
                e: gs[last].e,
                x: x_after(p, gs[last].e, true),
            };
            self.classify(&digits, Grouping::Singles, at, p, cands);
        }
    }

    /// Classify one digit string written with `grouping` at `at`.
    fn classify(&self, d: &[u8], grouping: Grouping, at: Span, p: &[u8], cands: &mut Vec<Cand>) {
        let Span { s, e, x } = at;
        let mut push = |e: usize, kind: Kind, value: &[u8]| {
            cands.push(Cand {
                s,
                e,
                kind,
                value: String::from_utf8_lossy(value).into_owned(),
            })
        };
        let (one_group, idcard, lens): (bool, bool, &[usize]) = match grouping {
            Grouping::Singles => (false, true, &[]),
            Grouping::Groups(l) => (l.len() == 1, l[..l.len() - 1].iter().all(|&n| n >= 3), l),
        };
        let len = d.len();
        if idcard {
            if len == 17
                && let Some(xi) = x
            {
                let mut v = [0u8; 18];
                v[..17].copy_from_slice(d);
                v[17] = b'X';
                if is_id18(&v, self.max_year) {
                    push(xi + 1, Kind::IdNumber, &v);
                    return;
                }
            }
            if len == 18 && is_id18(d, self.max_year) {
                let mut v = d.to_vec();
                v[17] = v[17].to_ascii_uppercase();
                push(e, Kind::IdNumber, &v);
                return;
            }
            if len == 15 && is_id15(d) {
                push(e, Kind::IdNumber, d);
                return;
            }
        }
        // Mobile: one group or the single digits (a `86` / `0086` prefix may be glued on), or
        // a mobile grouping (its first group may carry the prefix: `+86138 1234 5678`).
        let mobile_grouping = |lens: &[usize]| MOBILE_GROUPINGS.contains(&lens);
        for pre in [&b""[..], b"86", b"0086"] {
            if !d.starts_with(pre) || !is_mobile(&d[pre.len()..]) {
                continue;
            }
            let ok = match grouping {
                Grouping::Singles => true,
                Grouping::Groups(_) if one_group => true,
                Grouping::Groups(_) => {
                    let mut l = [0usize; 20];
                    l[..lens.len()].copy_from_slice(lens);
                    l[0] = l[0].saturating_sub(pre.len());
                    l[0] > 0 && mobile_grouping(&l[..lens.len()])
                }
            };
            if ok {
                push(e, Kind::Mobile, &d[pre.len()..]);
                return;
            }
        }
        if idcard && is_card(d) {
            // An all-digit 统一社会信用代码 (registration authority 5 民政 or 9 工商), written
            // as one token of exactly 18 characters, is not a card.
            let alone = s == 0 || !p[s - 1].is_ascii_alphanumeric();
            let exempt = one_group
                && alone
                && matches!(d[0], b'5' | b'9')
                && match len {
                    18 => !p.get(e).is_some_and(u8::is_ascii_alphanumeric) && is_credit_code(d),
                    17 => p.get(e).is_some_and(|&c| {
                        let mut v = [0u8; 18];
                        v[..17].copy_from_slice(d);
                        v[17] = c.to_ascii_uppercase();
                        c.is_ascii_alphanumeric()
                            && !p.get(e + 1).is_some_and(u8::is_ascii_alphanumeric)
                            && is_credit_code(&v)
                    }),
                    _ => false,
                };
            if !exempt {
                push(e, Kind::BankCard, d);
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

// ---------------------------------------------------------------------------------------------
// Character classes

/// Not part of a number or an address (Han, punctuation …).
const BREAK: u8 = 0;
/// Invisible: removed before matching.
const DROP: u8 = 1;
/// NFKC gives several characters, one of them a digit, letter or `@`: expanded when met.
const MULTI: u8 = 2;

/// Projection of ASCII: digits, letters and `@ + . - _ %` as themselves, whitespace as a space,
/// the rest [`BREAK`].
const ASCII: [u8; 128] = {
    let mut t = [BREAK; 128];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = if b.is_ascii_alphanumeric() || matches!(b, b'@' | b'+' | b'.' | b'-' | b'_' | b'%')
        {
            b
        } else if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0B | 0x0C) {
            b' '
        } else {
            BREAK
        };
        c += 1;
    }
    t
};

/// Class of every BMP character (index = code point), built once.
fn bmp_table() -> &'static [u8] {
    static T: OnceLock<Box<[u8]>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = vec![BREAK; 0x10000].into_boxed_slice();
        t[..128].copy_from_slice(&ASCII);
        for cp in 0x80u32..0x10000 {
            if let Some(c) = char::from_u32(cp) {
                t[cp as usize] = classify(c);
            }
        }
        t
    })
}

/// Class of one non-ASCII character: an ASCII projection byte, [`BREAK`], [`DROP`] or
/// [`MULTI`].
fn classify(c: char) -> u8 {
    match c {
        '\u{2010}'..='\u{2015}'
        | '\u{2043}'
        | '\u{2212}'
        | '\u{2500}'
        | '\u{2501}'
        | '\u{2E3A}'
        | '\u{2E3B}'
        | '\u{30FC}'
        | '\u{FE58}'
        | '\u{FE63}'
        | '\u{FF0D}'
        | '\u{FF70}' => return b'-',
        '\u{00B7}' | '\u{2022}' | '\u{2027}' | '\u{2219}' | '\u{22C5}' | '\u{30FB}'
        | '\u{FF65}' => return b'.',
        '\u{0085}' | '\u{2028}' | '\u{2029}' => return b' ',
        _ => {}
    }
    if is_invisible(c) {
        return DROP;
    }
    if (c as u32) < 0x80 {
        return ASCII[c as usize];
    }
    let mut it = std::iter::once(c).nfkc();
    let first = it.next();
    let second = it.next();
    match (first, second) {
        (Some(a), None) if a.is_ascii() => ASCII[a as usize],
        (Some(_), Some(_)) => {
            if std::iter::once(c)
                .nfkc()
                .any(|x| x.is_ascii_alphanumeric() || x == '@')
            {
                MULTI
            } else {
                BREAK
            }
        }
        _ => BREAK,
    }
}

fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
        || unicode_normalization::char::is_combining_mark(c)
}

/// Whether `c` is removed before matching.
fn is_drop(c: char) -> bool {
    match u16::try_from(c as u32) {
        Ok(u) => bmp_table()[usize::from(u)] == DROP,
        Err(_) => classify(c) == DROP,
    }
}

/// The digits of `text` after NFKC, in order (for public numbers).
fn normalized_digits(text: &str) -> String {
    text.nfkc().filter(char::is_ascii_digit).collect()
}

// ---------------------------------------------------------------------------------------------
// Numbers

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

#[derive(Debug, Clone, Copy)]
struct Group {
    s: usize,
    e: usize,
    hashy: bool,
}

struct Cand {
    s: usize,
    e: usize,
    kind: Kind,
    value: String,
}

/// How a candidate digit string was written.
#[derive(Clone, Copy)]
enum Grouping<'a> {
    /// Consecutive groups of these lengths (one group: a plain run of digits).
    Groups(&'a [usize]),
    /// A whole chain of single digits.
    Singles,
}

/// Where a candidate lies in the projection: `s..e`, and the index of an `X` after it.
#[derive(Clone, Copy)]
struct Span {
    s: usize,
    e: usize,
    x: Option<usize>,
}

/// Groupings in which a mobile number is written.
const MOBILE_GROUPINGS: &[&[usize]] = &[&[3, 4, 4], &[3, 8], &[7, 4], &[4, 7], &[4, 4, 3]];

/// Whether the bytes between two digit groups connect them: separators only, any whitespace,
/// at most two others.
fn gap_joins(gap: &[u8]) -> bool {
    !gap.is_empty()
        && gap.iter().all(|b| matches!(b, b' ' | b'-' | b'.' | b'_'))
        && gap.iter().filter(|&&b| b != b' ').count() <= 2
}

/// Index of an `X` check character right after `e`, or (for the last group of a chain) after
/// a separator gap.
fn x_after(p: &[u8], e: usize, last: bool) -> Option<usize> {
    if matches!(p.get(e), Some(b'X' | b'x')) {
        return Some(e);
    }
    if !last {
        return None;
    }
    let mut k = e;
    while k < p.len() && matches!(p[k], b' ' | b'-' | b'.' | b'_') {
        k += 1;
    }
    (k > e && gap_joins(&p[e..k]) && matches!(p.get(k), Some(b'X' | b'x'))).then_some(k)
}

/// A hash or hashed name: ≥ 16 hexadecimal characters with ≥ 3 letters.
fn is_hash_like(tok: &[u8]) -> bool {
    tok.len() >= 16
        && tok.iter().all(u8::is_ascii_hexdigit)
        && tok.iter().filter(|b| b.is_ascii_alphabetic()).count() >= 3
}

fn is_mobile(d: &[u8]) -> bool {
    d.len() == 11 && d[0] == b'1' && (b'3'..=b'9').contains(&d[1])
}

fn strip_mobile_prefix_bytes(d: &[u8]) -> &[u8] {
    if d.len() == 15 && d.starts_with(b"0086") {
        &d[4..]
    } else if d.len() == 13 && d.starts_with(b"86") {
        &d[2..]
    } else {
        d
    }
}

fn strip_mobile_prefix(d: &str) -> &str {
    let b = strip_mobile_prefix_bytes(d.as_bytes());
    &d[d.len() - b.len()..]
}

/// Province-level codes that begin a resident ID (and 91 for the foreigners' permanent
/// residence card).
const PROVINCES: [u8; 36] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91,
];

fn num(d: &[u8]) -> u32 {
    d.iter().fold(0, |a, c| a * 10 + u32::from(c - b'0'))
}

fn province(d: &[u8]) -> bool {
    PROVINCES.contains(&((d[0] - b'0') * 10 + (d[1] - b'0')))
}

/// Whether `y-m-d` is a real date.
pub fn is_real_date(y: u32, m: u32, d: u32) -> bool {
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// An 18-character resident ID: province, real birth date (1900..=`max_year`), check character.
fn is_id18(s: &[u8], max_year: u32) -> bool {
    if s.len() != 18
        || !s[..17].iter().all(u8::is_ascii_digit)
        || !(s[17].is_ascii_digit() || s[17] == b'X' || s[17] == b'x')
        || !province(s)
    {
        return false;
    }
    let y = num(&s[6..10]);
    if !(1900..=max_year).contains(&y) || !is_real_date(y, num(&s[10..12]), num(&s[12..14])) {
        return false;
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: &[u8; 11] = b"10X98765432";
    let sum: u32 = s[..17]
        .iter()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    s[17].to_ascii_uppercase() == C[(sum % 11) as usize]
}

/// A 15-digit legacy resident ID: province and a real birth date 19YYMMDD.
fn is_id15(s: &[u8]) -> bool {
    s.len() == 15
        && s.iter().all(u8::is_ascii_digit)
        && province(s)
        && is_real_date(1900 + num(&s[6..8]), num(&s[8..10]), num(&s[10..12]))
}

/// An 18-character resident ID: a province code, a real birth date (year 1900 to the current
/// year) and the ISO 7064 MOD 11-2 check character.
pub fn is_resident_id(s: &[u8]) -> bool {
    is_id18(s, current_year())
}

/// Whether `s` is a 15-digit legacy resident ID.
pub fn is_legacy_resident_id(s: &[u8]) -> bool {
    is_id15(s)
}

/// Luhn check of ASCII digits.
pub fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// A bank card number: 16–19 digits, issuer class 3/4/5/6/9, Luhn.
fn is_card(d: &[u8]) -> bool {
    (16..=19).contains(&d.len())
        && matches!(d[0], b'3' | b'4' | b'5' | b'6' | b'9')
        && d.iter().all(u8::is_ascii_digit)
        && luhn(d)
}

/// A 统一社会信用代码 with a valid check character (GB 32100-2015).
pub fn is_credit_code(s: &[u8]) -> bool {
    const CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    if s.len() != 18 {
        return false;
    }
    let val = |c: u8| CHARS.iter().position(|&x| x == c.to_ascii_uppercase());
    let mut sum = 0;
    for (c, w) in s[..17].iter().zip(W) {
        match val(*c) {
            Some(v) => sum += v * w,
            None => return false,
        }
    }
    let check = (31 - sum % 31) % 31;
    val(s[17]) == Some(check)
}

// ---------------------------------------------------------------------------------------------
// E-mail

/// File extensions that are not top-level domains for our purpose (`logo@2x.png`).
const FILE_EXTS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff", "css", "js", "mjs",
    "json", "xml", "html", "htm", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "zip",
    "rar", "md", "yaml", "yml", "csv", "woff", "woff2", "ttf", "otf", "mp4", "mp3",
];

fn emails(p: &[u8], cands: &mut Vec<Cand>) {
    let is_local =
        |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
    let is_dom = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-');
    for (a, _) in p.iter().enumerate().filter(|(_, c)| **c == b'@') {
        let mut le = a;
        if le > 0 && p[le - 1] == b' ' {
            le -= 1;
        }
        let mut l = le;
        while l > 0 && is_local(p[l - 1]) {
            l -= 1;
        }
        while l < le && !p[l].is_ascii_alphanumeric() {
            l += 1;
        }
        if l == le {
            continue;
        }
        let mut ds = a + 1;
        if p.get(ds) == Some(&b' ') {
            ds += 1;
        }
        let mut r = ds;
        while r < p.len() && is_dom(p[r]) {
            r += 1;
        }
        while r > ds && !p[r - 1].is_ascii_alphanumeric() {
            r -= 1;
        }
        let domain = &p[ds..r];
        let labels: Vec<&[u8]> = domain.split(|&c| c == b'.').collect();
        let tld = labels.last().copied().unwrap_or_default();
        let tld_ok = (tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic)
            || tld.starts_with(b"xn--"))
            && !FILE_EXTS
                .iter()
                .any(|e| e.as_bytes().eq_ignore_ascii_case(tld));
        if labels.len() < 2
            || !tld_ok
            || labels
                .iter()
                .any(|l| l.is_empty() || l.starts_with(b"-") || l.ends_with(b"-"))
        {
            continue;
        }
        let mut value = String::with_capacity(r - l);
        value.extend(p[l..le].iter().map(|c| c.to_ascii_lowercase() as char));
        value.push('@');
        value.extend(domain.iter().map(|c| c.to_ascii_lowercase() as char));
        cands.push(Cand {
            s: l,
            e: r,
            kind: Kind::Email,
            value,
        });
    }
}

// ---------------------------------------------------------------------------------------------
// Names and addresses

/// What comes before 人 in the keywords 联系人, 申请人, 信访人, 投诉人, 举报人.
const NAME_PREFIXES: [&[u8]; 5] = [
    "联系".as_bytes(),
    "申请".as_bytes(),
    "信访".as_bytes(),
    "投诉".as_bytes(),
    "举报".as_bytes(),
];

/// Common single surnames, less those that are mostly function words after the keywords
/// (应, 于, 和, 向, 由, 时, 全, 明 …).
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤常温康文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹欧耿关兰焦俞左柳甘祝舒阮柯纪梅童凌毕单季裴霍涂苗翁冉骆蓝辛靳柴蒙鲍喻祁蒲滕饶牟艾尤穆卓吉缪褚娄窦戚岑景宫卜晏席米柏瞿桂佟臧闵苟邬卞姬仇栾隋刁巫寇桑郎甄丛仲虞敖巩佘苑邝鞠匡荆冀郁胥栗燕楚鄢谌奚粟冼蔺仝厉伊郜阚帅屠禹祖漆巴卿狄晋芮扈晁邸雍辜裘亓邰赫杭逯茹嵇湛揭檀昝衡尧";

/// Two-character surnames.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "钟离", "澹台", "公冶", "濮阳", "端木", "南宫", "西门", "申屠", "太史",
    "呼延", "独孤", "百里", "东郭", "闻人", "万俟", "第五",
];

/// Words that start with a surname character but are not names after the keywords.
const NAME_STOPS: &[&str] = &[
    "陈述", "陈列", "关于", "关注", "关心", "关系", "关联", "单位", "单独", "范围", "常住", "常年",
    "常规", "常见", "文化", "文件", "文书", "文明", "文字", "安全", "安排", "安置", "安装", "高度",
    "任何", "任务", "方式", "方面", "方可", "方便", "方案", "方法", "方向", "董事", "高效", "庞大",
    "金额", "程序", "程度", "马上", "万元", "万一", "余额", "余下", "严格", "严重", "毕业", "纪律",
    "纪要", "白天", "林业", "林地", "钱款", "曾经", "曾于", "曾在", "曾向", "曾多", "曾被", "曾因",
    "许可", "许多", "周边", "周末", "周期", "周知", "付款", "付费", "付清", "杜绝", "顾问", "武装",
    "章程", "景区", "季度", "祝贺", "何时", "何种", "何人", "何处", "张贴", "罗列", "郑重", "谢谢",
    "陆续", "黄金", "温馨", "颜色", "巩固", "仲裁", "甄别", "揭示", "揭露", "揭发", "辜负", "衡量",
    "易于", "齐全", "左右", "尤其", "康复", "苗木", "江河", "石油", "梅花", "蓝色", "辛苦", "童年",
    "卓越", "吉日", "艾滋", "伊始", "孔子", "柴油", "龙头", "史料", "毛病", "汤汁", "牛奶",
];

/// Titles that follow a surname (王先生, 张科长): not a full name.
const TITLES: &[&str] = &[
    "先生", "女士", "同志", "老师", "师傅", "主任", "科长", "局长", "书记", "经理", "所长", "站长",
    "队长", "镇长", "村长", "组长", "部长", "处长", "股长", "社长", "会长", "律师", "医生", "大爷",
    "大妈", "阿姨",
];

/// Characters that cannot begin a given name (they start the next word: 张三电话 → 张三).
const NOT_GIVEN: &str = "电手联身的及等于在对向说提要请已为是因将就到从并或住户诉申投举有无不也都均签年籍性出之所被把给让反称邮地址号证码和与同先女老男系现来表反映";

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// A Han character after NFKC (CJK compatibility ideographs become the unified ones).
fn han(c: char) -> Option<char> {
    if is_han(c) {
        return Some(c);
    }
    if ('\u{F900}'..='\u{FAFF}').contains(&c) || ('\u{2F800}'..='\u{2FA1F}').contains(&c) {
        let n = std::iter::once(c).nfkc().next()?;
        return is_han(n).then_some(n);
    }
    None
}

/// A personal name right after a keyword ending at byte `q`.
fn name_after(text: &str, q: usize, out: &mut Vec<Hit>) {
    let mut chars: Vec<(usize, usize, char)> = Vec::with_capacity(4);
    let mut skipped = 0;
    let mut seen_han = false;
    for (o, c) in text[q..].char_indices() {
        if is_drop(c) {
            continue;
        }
        if !seen_han && matches!(c, ':' | '：' | ' ' | '\u{3000}' | '\u{A0}' | '\t') {
            skipped += 1;
            if skipped > 4 {
                return;
            }
            continue;
        }
        let Some(h) = han(c) else { break };
        seen_han = true;
        chars.push((q + o, q + o + c.len_utf8(), h));
        if chars.len() == 4 {
            break;
        }
    }
    if chars.len() < 2 {
        return;
    }
    let two: String = chars[..2].iter().map(|c| c.2).collect();
    let sur = if COMPOUND_SURNAMES.contains(&two.as_str()) {
        2
    } else if SURNAMES.contains(chars[0].2) && !NAME_STOPS.contains(&two.as_str()) {
        1
    } else {
        return;
    };
    let rest: String = chars[sur..].iter().map(|c| c.2).collect();
    if TITLES.iter().any(|t| rest.starts_with(t)) {
        return;
    }
    let mut given = 0;
    for c in &chars[sur..] {
        if given == 2 || NOT_GIVEN.contains(c.2) {
            break;
        }
        given += 1;
    }
    if given == 0 {
        return;
    }
    let name = &chars[..sur + given];
    out.push(Hit {
        start: name[0].0,
        end: name[name.len() - 1].1,
        kind: Kind::PersonName,
        value: name.iter().map(|c| c.2).collect(),
    });
}

/// A digit (ASCII or full-width) or a Han numeral.
fn numeral(c: char) -> bool {
    c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || "零〇一二三四五六七八九十百千两壹贰叁肆伍陆柒捌玖拾佰".contains(c)
}

/// Characters before 路 that make a word, not a road name (思路, 线路, 道路 …).
const NOT_ROAD: &str = "思线道网出套门电回迷弯近歧退进来去后心活生财销末陌世半一走铁水陆航";

/// Walk back from `end` over characters satisfying `f` (at most `max`); the new start and count.
fn back_while(text: &str, end: usize, max: usize, f: impl Fn(char) -> bool) -> (usize, usize) {
    let mut start = end;
    let mut n = 0;
    for (o, c) in text[..end].char_indices().rev() {
        if n == max || !f(c) {
            break;
        }
        start = o;
        n += 1;
    }
    (start, n)
}

/// A house-number address ending with the 号 at byte `h`.
fn address_before(text: &str, h: usize) -> Option<Hit> {
    let end = h + "号".len();
    // The house number: numerals, possibly 12-3 or 12之3.
    let (ns, nn) = back_while(text, h, 8, |c| numeral(c) || matches!(c, '-' | '－' | '之'));
    if nn == 0 || !text[ns..h].chars().next().is_some_and(numeral) {
        return None;
    }
    let (mo, marker) = text[..ns].char_indices().next_back()?;
    let key_from = |anchor: usize| -> (usize, String) {
        let (s, _) = back_while(text, anchor, 2, is_han);
        let key: String = text[s..end]
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '－' => '-',
                _ => c,
            })
            .collect();
        (s, key)
    };
    match marker {
        '路' | '街' | '巷' | '弄' | '道' => {
            let (rs, rn) = back_while(text, mo, 6, is_han);
            let before = text[..mo].chars().next_back();
            if rn == 0
                || (marker == '道' && before != Some('大'))
                || (marker == '道' && rn < 2)
                || (marker == '路' && before.is_some_and(|c| NOT_ROAD.contains(c)))
            {
                return None;
            }
            let anchor = if marker == '道' {
                mo - "大".len()
            } else {
                mo
            };
            let (_, key) = key_from(anchor);
            Some(Hit {
                start: rs,
                end,
                kind: Kind::Address,
                value: key,
            })
        }
        '组' | '社' => {
            let (gs, gn) = back_while(text, mo, 4, numeral);
            if gn == 0 {
                return None;
            }
            let (vo, v) = text[..gs].char_indices().next_back()?;
            if v != '村' {
                return None;
            }
            let (rs, rn) = back_while(text, vo, 6, is_han);
            if rn == 0 {
                return None;
            }
            let (_, key) = key_from(vo);
            Some(Hit {
                start: rs,
                end,
                kind: Kind::Address,
                value: key,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
