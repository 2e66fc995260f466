//! The publication register (发布登记): one JSON line per publishing build, in a file beside the
//! output folder (never inside it): when, the items published with their 终审 sign-off, and the
//! items withdrawn since the previous publication.
//!
//! Every line carries the number of items and a digest of the published list. When a build
//! publishes exactly the list of the previous build (the everyday rebuild), its line says
//! `"unchanged": true` with that digest instead of repeating the list, so the register grows by
//! a line of about 200 bytes, not by the whole list, and only the end of the file is read.

use crate::site::Site;
use serde::{Deserialize, Serialize};
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

/// The register file for output folder `out`: `<out>.publication-register.jsonl` beside it.
pub fn path_for(out: &Path) -> PathBuf {
    super::write::beside(out, |name| format!("{name}.publication-register.jsonl"))
}

/// One published item and its 终审.
#[derive(Serialize, Deserialize, PartialEq, Eq, Debug)]
struct Item {
    item: String,
    final_by: Option<String>,
    final_date: Option<String>,
    fingerprint: Option<String>,
}

/// A register line as written.
#[derive(Serialize)]
struct Line<'a> {
    time: String,
    as_of: String,
    output: String,
    count: usize,
    digest: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a [Item]>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    unchanged: bool,
    withdrawn: Vec<&'a str>,
}

/// The digest of an earlier line (lines of older versions have none).
#[derive(Deserialize)]
struct Head {
    digest: Option<String>,
}

/// The list of an earlier line (absent on `unchanged` lines).
#[derive(Deserialize)]
struct Earlier {
    published: Option<Vec<Item>>,
}

/// Call `f` on the register's lines from the last backwards until it returns `true`. The file
/// is searched for line breaks from its end in blocks, and each line is then read in one go
/// (the register grows with every build, and a line can hold a list of many thousand items).
fn lines_from_end(path: &Path, mut f: impl FnMut(&str) -> bool) -> std::io::Result<()> {
    const BLOCK: u64 = 64 * 1024;
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let len = file.seek(SeekFrom::End(0))?;
    // Hand the bytes `start..end` to `f` as a line; `Ok(true)` stops.
    let mut line = |file: &mut std::fs::File, start: u64, end: u64| -> std::io::Result<bool> {
        if end <= start {
            return Ok(false);
        }
        file.seek(SeekFrom::Start(start))?;
        let mut buf = vec![0; usize::try_from(end - start).unwrap_or(0)];
        file.read_exact(&mut buf)?;
        let text = String::from_utf8_lossy(&buf);
        Ok(!text.trim().is_empty() && f(text.trim_end()))
    };
    let mut line_end = len;
    let mut pos = len;
    let mut block = Vec::new();
    while pos > 0 {
        let n = BLOCK.min(pos);
        pos -= n;
        file.seek(SeekFrom::Start(pos))?;
        block.resize(usize::try_from(n).unwrap_or(0), 0);
        file.read_exact(&mut block)?;
        let mut k = block.len();
        while let Some(nl) = memchr::memrchr(b'\n', &block[..k]) {
            let at = pos + nl as u64;
            if line(&mut file, at + 1, line_end)? {
                return Ok(());
            }
            line_end = at;
            k = nl;
        }
    }
    line(&mut file, 0, line_end)?;
    Ok(())
}

/// The items (`path#id`, or a page's path) of the last publication on record for output `out`,
/// or `None` when nothing was published yet.
pub fn last_published(out: &Path) -> std::io::Result<Option<Vec<String>>> {
    let mut found = None;
    lines_from_end(&path_for(out), |line| {
        match serde_json::from_str::<Earlier>(line) {
            Ok(Earlier {
                published: Some(items),
            }) => {
                found = Some(items.into_iter().map(|i| i.item).collect());
                true
            }
            _ => false,
        }
    })?;
    Ok(found)
}

/// Append this publication (of the gated site `public`) to the register.
pub fn append(out: &Path, public: &Site, as_of: chrono::NaiveDate) -> std::io::Result<()> {
    let path = path_for(out);
    let mut items = Vec::new();
    for plan in &public.plans {
        for r in &plan.records {
            let fin = r.entry.review.as_ref().and_then(|v| v.final_.as_ref());
            items.push(Item {
                item: format!("{}#{}", r.path, r.entry.id.value),
                final_by: fin.and_then(|f| f.reviewer.as_ref().map(|r| r.value.clone())),
                final_date: fin.map(|f| f.date.value.to_string()),
                fingerprint: fin.and_then(|f| f.fingerprint.as_ref().map(|x| x.value.clone())),
            });
        }
    }
    for p in &public.pages {
        let fin = p.front.review.as_ref().and_then(|v| v.final_.as_ref());
        items.push(Item {
            item: p.path.clone(),
            final_by: fin.and_then(|f| f.reviewer.as_ref().map(|r| r.value.clone())),
            final_date: fin.map(|f| f.date.value.to_string()),
            fingerprint: fin.and_then(|f| f.fingerprint.as_ref().map(|x| x.value.clone())),
        });
    }
    let list = serde_json::to_vec(&items).map_err(std::io::Error::other)?;
    let digest = {
        use sha2::{Digest, Sha256};
        let h = Sha256::digest(&list);
        let hex: String = h.iter().map(|b| format!("{b:02x}")).collect();
        format!("sha256:{hex}")
    };

    // The previous line's digest, and the last full list (for the withdrawals).
    let mut last_digest: Option<Option<String>> = None;
    let mut previous: Vec<Item> = Vec::new();
    lines_from_end(&path, |line| {
        if last_digest.is_none() {
            // Most rebuilds publish the same list: compare the digest before reading the list.
            let Ok(head) = serde_json::from_str::<Head>(line) else {
                return false;
            };
            let same = head.digest.as_deref() == Some(digest.as_str());
            last_digest = Some(head.digest);
            if same {
                return true;
            }
        }
        let Ok(e) = serde_json::from_str::<Earlier>(line) else {
            return false;
        };
        match e.published {
            Some(p) => {
                previous = p;
                true
            }
            None => false,
        }
    })?;
    let unchanged = last_digest.flatten().as_deref() == Some(digest.as_str());
    let now: std::collections::HashSet<&str> = items.iter().map(|i| i.item.as_str()).collect();
    let withdrawn: Vec<&str> = previous
        .iter()
        .map(|i| i.item.as_str())
        .filter(|i| !now.contains(i))
        .collect();
    let line = Line {
        time: (chrono::Utc::now() + chrono::Duration::hours(8))
            .format("%Y-%m-%dT%H:%M:%S+08:00")
            .to_string(),
        as_of: as_of.format("%Y-%m-%d").to_string(),
        output: out.display().to_string(),
        count: items.len(),
        digest: &digest,
        published: (!unchanged).then_some(items.as_slice()),
        unchanged,
        withdrawn,
    };
    let mut text = serde_json::to_vec(&line).map_err(std::io::Error::other)?;
    text.push(b'\n');
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)?;
    f.write_all(&text)
}

#[cfg(test)]
mod tests {
    use super::lines_from_end;

    #[test]
    fn lines_are_read_back_from_the_end_across_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        let long = "x".repeat(100_000);
        std::fs::write(&path, format!("first\n{long}\n\nthird\n")).unwrap();
        let mut seen = Vec::new();
        lines_from_end(&path, |l| {
            seen.push(l.len());
            false
        })
        .unwrap();
        assert_eq!(seen, [5, 100_000, 5]);
        let mut first = None;
        lines_from_end(&path, |l| {
            first = Some(l.to_string());
            true
        })
        .unwrap();
        assert_eq!(first.as_deref(), Some("third"));
        lines_from_end(&dir.path().join("missing"), |_| panic!("no lines")).unwrap();
    }
}
