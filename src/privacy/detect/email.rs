//! E-mail addresses.
//!
//! - E-mail: `local@domain` or `local＠domain` (NFKC) with at most one space on either side of
//!   the `@`, a domain of at least two labels and an alphabetic top-level label that is not a
//!   file extension (`logo@2x.png` is not an address).

use super::Cand;
use crate::privacy::Kind;

/// File extensions that are not top-level domains for our purpose (`logo@2x.png`).
const FILE_EXTS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff", "css", "js", "mjs",
    "json", "xml", "html", "htm", "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "zip",
    "rar", "md", "yaml", "yml", "csv", "woff", "woff2", "ttf", "otf", "mp4", "mp3",
];

pub(super) fn emails(p: &[u8], cands: &mut Vec<Cand>) {
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
