//! Disguised personal data for the privacy tests: random resident IDs, mobiles, bank cards and
//! e-mail addresses (each valid by the detector's rules) and random ways of writing them
//! (full-width and mathematical digits, separators between digit groups, invisible characters,
//! `+86`/`0086`/`86-` prefixes, glued letters, URLs, `＠`), driven by the seeded [`Rng`] so that
//! a failure names a case that replays.
//!
//! Used by `tests/privacy_detect.rs` (the detector on each disguise) and `tests/privacy_gate.rs`
//! (the disguises planted in signed items, through `check` and `build`). The sequences are
//! frozen: the same seed gives the same disguises in both.

use super::rng::Rng;
use gongkai::privacy::{Kind, is_resident_id, luhn};

/// Province codes the random resident IDs start with.
pub const PROVINCES: &[&str] = &["11", "31", "44", "51", "50", "65", "23", "37"];

/// A random resident ID: 18 characters, a real birth date, a valid check character.
pub fn random_id(r: &mut Rng) -> String {
    loop {
        let y = 1930 + r.below(80);
        let m = 1 + r.below(12);
        let d = 1 + r.below(31);
        let p17 = format!(
            "{}{}{y:04}{m:02}{d:02}{}",
            *r.pick(PROVINCES),
            r.digits(4),
            r.digits(3)
        );
        const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        let sum: u32 = p17
            .bytes()
            .zip(W)
            .map(|(c, w)| u32::from(c - b'0') * w)
            .sum();
        let id = format!("{p17}{}", b"10X98765432"[(sum % 11) as usize] as char);
        if is_resident_id(id.as_bytes()) {
            return id;
        }
    }
}

/// A random mainland mobile number (`1[3-9]` and nine digits).
pub fn random_mobile(r: &mut Rng) -> String {
    format!("1{}{}", 3 + r.below(7), r.digits(9))
}

/// A random bank card number: 16 to 19 digits passing Luhn.
pub fn random_card(r: &mut Rng) -> String {
    let (prefix, len) = match r.below(4) {
        0 => ("62", 16 + r.below(4)),
        1 => ("4", 16),
        2 => ("5", 16),
        _ => ("9558", 19),
    };
    let body = format!("{prefix}{}", r.digits(len - prefix.len() - 1));
    (b'0'..=b'9')
        .map(|c| format!("{body}{}", c as char))
        .find(|s| luhn(s.as_bytes()))
        .unwrap()
}

/// A random lower-case e-mail address.
pub fn random_email(r: &mut Rng) -> String {
    const A: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
    const AN: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut local = String::new();
    local.push(char::from(*r.pick(A)));
    for _ in 0..2 + r.below(8) {
        local.push(char::from(*r.pick(AN)));
    }
    if r.chance(30) {
        local.push(*r.pick(&['.', '_', '-']));
        local.push(char::from(*r.pick(AN)));
    }
    let host: String = (0..2 + r.below(7))
        .map(|_| char::from(*r.pick(A)))
        .collect();
    let tld = *r.pick(&["com", "cn", "gov.cn", "com.cn", "org", "net", "edu.cn"]);
    format!("{local}@{host}.{tld}")
}

/// Separators that may stand between digit groups.
pub const SEPARATORS: &[&str] = &[
    " ", "\u{A0}", "\u{3000}", "\u{2002}", "\u{202F}", "-", "\u{2010}", "\u{2013}", "\u{2014}",
    "\u{2212}", "\u{FF0D}", "\u{30FC}", ".", "\u{FF0E}", "\u{B7}", "_", "\n", "\r\n    ", " - ",
    "\t",
];

/// Invisible characters that may be inserted anywhere in a number.
pub const INVISIBLE: &[&str] = &[
    "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{AD}", "\u{200E}",
];

/// Text before and after a planted value (none ends or starts with a digit or a letter).
pub const BEFORE: &[&str] = &[
    "",
    "联系电话：",
    "身份证号",
    "电话 ",
    "请拨打",
    "卡号：",
    "（",
    "详见",
    "，",
    "申请材料",
];
pub const AFTER: &[&str] = &["", "。", "，谢谢。", "）", " 已登记", "号", "；", "\n"];

/// Letters glued to a number (none is all-hexadecimal, so no hash-like token forms).
pub const GLUE: &[&str] = &["ID", "tel", "No", "u", "k", "Tel"];

/// Digit `c` as ASCII (style 0), full-width (1), mathematical bold (2) or any of them (3).
pub fn digit_form(r: &mut Rng, c: char, style: usize) -> String {
    let d = c as u32 - '0' as u32;
    let style = if style == 3 { r.below(3) } else { style };
    match style {
        0 => c.to_string(),
        1 => char::from_u32('０' as u32 + d).unwrap().to_string(),
        _ => char::from_u32(0x1D7CE + d).unwrap().to_string(), // mathematical bold digits
    }
}

/// The groupings used for a value of this kind and length.
pub fn grouping(r: &mut Rng, kind: Kind, len: usize) -> Vec<usize> {
    let options: Vec<Vec<usize>> = match kind {
        Kind::Mobile => vec![
            vec![11],
            vec![3, 4, 4],
            vec![3, 8],
            vec![7, 4],
            vec![4, 7],
            vec![4, 4, 3],
            vec![1; 11],
        ],
        Kind::IdNumber => vec![
            vec![18],
            vec![6, 8, 4],
            vec![6, 4, 4, 4],
            vec![4, 4, 4, 4, 2],
            vec![3, 3, 4, 4, 4],
            vec![6, 8, 3, 1],
            vec![1; 18],
        ],
        _ => {
            let mut fours = vec![4; len / 4];
            if !len.is_multiple_of(4) {
                fours.push(len % 4);
            }
            vec![vec![len], fours, vec![6, len - 6], vec![1; len]]
        }
    };
    options[r.below(options.len())].clone()
}

/// One disguise of a number: digit forms, grouping, separators, invisible characters; and
/// whether every group is a single digit.
pub fn disguise_number(r: &mut Rng, value: &str, kind: Kind) -> (String, bool) {
    let style = r.below(4);
    let lens = grouping(r, kind, value.len());
    let one_sep = r.chance(70);
    let sep0 = *r.pick(SEPARATORS);
    let mut out = String::new();
    let chars: Vec<char> = value.chars().collect();
    let mut at = 0;
    for (gi, n) in lens.iter().enumerate() {
        if gi > 0 {
            if one_sep {
                out.push_str(sep0);
            } else {
                out.push_str(r.pick::<&str>(SEPARATORS));
            }
        }
        for (k, c) in chars[at..at + n].iter().enumerate() {
            if k > 0 && r.chance(8) {
                out.push_str(r.pick::<&str>(INVISIBLE));
            }
            out.push_str(&match c {
                'X' => {
                    if r.chance(50) {
                        "x".to_string()
                    } else if r.chance(50) {
                        "Ｘ".to_string()
                    } else {
                        "X".to_string()
                    }
                }
                c => digit_form(r, *c, style),
            });
        }
        at += n;
    }
    (out, lens.iter().all(|&n| n == 1))
}

/// A planted value in a random disguise and context: (text, kind, expected value).
pub fn plant(r: &mut Rng) -> (String, Kind, String) {
    let kind = *r.pick(&[Kind::IdNumber, Kind::Mobile, Kind::BankCard, Kind::Email]);
    let value = match kind {
        Kind::IdNumber => random_id(r),
        Kind::Mobile => random_mobile(r),
        Kind::BankCard => random_card(r),
        _ => random_email(r),
    };
    let (mut body, singles) = if kind == Kind::Email {
        (disguise_email(r, &value), false)
    } else {
        disguise_number(r, &value, kind)
    };
    if kind == Kind::Mobile && r.chance(50) {
        let prefix = *r.pick(&[
            "+86",
            "+86 ",
            "0086",
            "0086-",
            "86-",
            "+86-",
            "＋８６ ",
            "0086 ",
        ]);
        // A prefix glued to single digits (`00861 3 8 …`) is not a way anyone writes a
        // number: the prefix is then set apart.
        let sep = if singles && !prefix.ends_with([' ', '-']) {
            " "
        } else {
            ""
        };
        body = format!("{prefix}{sep}{body}");
    }
    if kind != Kind::Email && r.chance(25) {
        let g = *r.pick(GLUE);
        body = if r.chance(50) || kind == Kind::BankCard {
            format!("{g}{body}")
        } else {
            format!("{body}{g}")
        };
    }
    if r.chance(20) {
        body = match r.below(4) {
            0 => format!("https://www.example.gov.cn/u/{body}"),
            1 => format!("https://x.cn/page?tel={body}&from=1"),
            2 => format!("plans/{body}/index.html"),
            _ => format!("mailto:{body}"),
        };
    }
    let text = format!("{}{body}{}", *r.pick(BEFORE), *r.pick(AFTER));
    (text, kind, value)
}

/// One disguise of an e-mail address: full-width or upper-case letters, `＠`/`﹫`, spaces
/// around the at sign.
pub fn disguise_email(r: &mut Rng, value: &str) -> String {
    let (local, domain) = value.split_once('@').unwrap();
    let mut out = String::new();
    let fw = r.chance(30);
    let up = r.chance(20);
    let conv = |c: char, out: &mut String| {
        let c = if up { c.to_ascii_uppercase() } else { c };
        if fw && c.is_ascii_graphic() {
            out.push(char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap());
        } else {
            out.push(c);
        }
    };
    for c in local.chars() {
        conv(c, &mut out);
    }
    if r.chance(15) {
        out.push(' ');
    }
    out.push_str(r.pick::<&str>(&["@", "＠", "﹫", "@"]));
    if r.chance(15) {
        out.push(' ');
    }
    for c in domain.chars() {
        conv(c, &mut out);
    }
    out
}
