//! Numbers: resident IDs (18-digit and legacy 15-digit), mobile numbers, bank cards and the
//! 统一社会信用代码 that is not a card, with their checks.
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
//! - Digits inside a hash-like token (16 or more ASCII letters and digits, all hexadecimal, at
//!   least 3 of them letters, such as the `sha256:…` review fingerprints or hashed asset names)
//!   are not numbers.

use super::normalize::{Grouping, Span};
use super::{Cand, Detector, current_year};
use crate::privacy::Kind;

impl Detector {
    /// Classify one digit string written with `grouping` at `at`.
    pub(super) fn classify(
        &self,
        d: &[u8],
        grouping: Grouping,
        at: Span,
        p: &[u8],
        cands: &mut Vec<Cand>,
    ) {
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
}

/// Groupings in which a mobile number is written.
const MOBILE_GROUPINGS: &[&[usize]] = &[&[3, 4, 4], &[3, 8], &[7, 4], &[4, 7], &[4, 4, 3]];

/// A hash or hashed name: ≥ 16 hexadecimal characters with ≥ 3 letters.
pub(super) fn is_hash_like(tok: &[u8]) -> bool {
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

pub(super) fn strip_mobile_prefix(d: &str) -> &str {
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
pub(super) fn is_card(d: &[u8]) -> bool {
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
