//! Normalisation of the characters and the joining rule (which digits form a number).
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

use super::email::emails;
use super::numbers::is_hash_like;
use super::{Cand, Detector, Scratch};
use crate::privacy::Hit;
use std::sync::OnceLock;
use unicode_normalization::UnicodeNormalization;

/// Not part of a number or an address (Han, punctuation …).
pub(super) const BREAK: u8 = 0;
/// Invisible: removed before matching.
pub(super) const DROP: u8 = 1;
/// NFKC gives several characters, one of them a digit, letter or `@`: expanded when met.
pub(super) const MULTI: u8 = 2;

/// Projection of ASCII: digits, letters and `@ + . - _ %` as themselves, whitespace as a space,
/// the rest [`BREAK`].
pub(super) const ASCII: [u8; 128] = {
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
pub(super) fn bmp_table() -> &'static [u8] {
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
pub(super) fn classify(c: char) -> u8 {
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
pub(super) fn is_drop(c: char) -> bool {
    match u16::try_from(c as u32) {
        Ok(u) => bmp_table()[usize::from(u)] == DROP,
        Err(_) => classify(c) == DROP,
    }
}

/// The digits of `text` after NFKC, in order (for public numbers).
pub(super) fn normalized_digits(text: &str) -> String {
    text.nfkc().filter(char::is_ascii_digit).collect()
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Group {
    s: usize,
    e: usize,
    hashy: bool,
}

/// How a candidate digit string was written.
#[derive(Clone, Copy)]
pub(super) enum Grouping<'a> {
    /// Consecutive groups of these lengths (one group: a plain run of digits).
    Groups(&'a [usize]),
    /// A whole chain of single digits.
    Singles,
}

/// Where a candidate lies in the projection: `s..e`, and the index of an `X` after it.
#[derive(Clone, Copy)]
pub(super) struct Span {
    pub(super) s: usize,
    pub(super) e: usize,
    pub(super) x: Option<usize>,
}

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

impl Detector {
    /// One stretch `text[from..to]` of digits, letters, separators, invisible characters and
    /// `@`: projected to ASCII (one byte per normalised character, with the byte offset of the
    /// original character), then read for numbers and e-mail addresses.
    pub(super) fn island(
        &self,
        text: &str,
        from: usize,
        to: usize,
        s: &mut Scratch,
        out: &mut Vec<Hit>,
    ) {
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
}
