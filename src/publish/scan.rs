//! The scan of what a publishing build is about to publish (issue 12): every output file is
//! scanned as it is rendered, before the swap, and the build decides on what was found there.
//! A finding in the output is traced back to the source values with the same normalised value
//! (so the message names the file, line and column the user must change) and is allowed only
//! when every such value is allow-listed.

use crate::privacy::output::{OutputHit, scan_output};
use crate::privacy::{Detector, Finding, Kind, Owner, mask};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Version of the output scan (how files are cut into text units); part of [`digest`].
const OUTPUT_SCAN_VERSION: &str = "gongkai-output-scan-1";

/// What a published output folder was scanned with: the detector (rules, words, public
/// numbers, contacts), the allow-list and the output scan's version. A file of the previous
/// output with the same bytes needs no second scan while this is unchanged (issue 12: an
/// incremental build may reuse the scan result of an output file whose bytes, word list and
/// allow-list are unchanged).
pub fn digest(detector: &Detector, allow: &[crate::privacy::AllowEntry]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(OUTPUT_SCAN_VERSION.as_bytes());
    h.update([0]);
    h.update(detector.digest().as_bytes());
    for a in allow {
        for part in [a.phrase.value.as_str(), a.file.as_str(), a.reason.as_str()] {
            h.update([0xff]);
            h.update(part.as_bytes());
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Where the digest of the published output is kept: beside the output folder (never
/// published), removed before a swap and written after a successful one.
pub fn digest_path(out: &Path) -> PathBuf {
    super::write::beside(out, |name| format!("{name}.privacy-scan-digest"))
}

/// Whether the output folder `out` was published by a build that scanned it with `digest`.
pub fn previous_matches(out: &Path, digest: &str) -> bool {
    out.join(super::write::MARKER).is_file()
        && std::fs::read_to_string(digest_path(out)).is_ok_and(|d| d.trim() == digest)
}

/// What the scan of the output found so far: (kind, value) → output files. Shared by the
/// rendering threads.
#[derive(Default)]
pub struct OutputScan {
    found: Mutex<BTreeMap<(Kind, String), Vec<String>>>,
}

impl OutputScan {
    /// Scan one output file.
    pub fn file(&self, detector: &Detector, path: &str, bytes: &[u8]) {
        let mut hits: Vec<OutputHit> = Vec::new();
        scan_output(detector, path, bytes, &mut hits);
        if hits.is_empty() {
            return;
        }
        let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
        for h in hits {
            found
                .entry((h.kind, h.value))
                .or_default()
                .push(path.to_string());
        }
    }

    /// The findings that stop the build: each value found in the output, located at its
    /// source values (those of published items first) with the files it would reach, unless
    /// every published source value is allow-listed. A value with no source (put together by a template
    /// from several values) is reported at the output file.
    pub fn blocking(
        self,
        sources: &[Finding],
        published: &dyn Fn(&Finding) -> bool,
    ) -> Vec<Finding> {
        let found = self.found.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut out = Vec::new();
        for ((kind, value), mut files) in found {
            files.sort();
            files.dedup();
            let same: Vec<&Finding> = sources
                .iter()
                .filter(|f| f.kind == kind && f.value == value)
                .collect();
            // Allowed when the items that put it on the page (the published ones) are all
            // allow-listed there; an unpublished item with the same value does not count.
            let mut published_same = same.iter().filter(|f| published(f)).peekable();
            if published_same.peek().is_some() && published_same.all(|f| f.allowed.is_some()) {
                continue;
            }
            let open: Vec<&Finding> = same
                .iter()
                .copied()
                .filter(|f| f.allowed.is_none())
                .collect();
            let shown: Vec<&Finding> = if open.iter().any(|f| published(f)) {
                open.into_iter().filter(|f| published(f)).collect()
            } else {
                open
            };
            if shown.is_empty() {
                let first = files.first().cloned().unwrap_or_default();
                let diag = crate::diag::Diagnostic::error(
                    &format!("output/{first}"),
                    0,
                    0,
                    format!(
                        "发布的文件中发现疑似{}：{}（没有哪一个内容值单独含有它，可能由模板或几处内容拼接而成）",
                        kind.label(),
                        mask(&value, kind)
                    ),
                )
                .hint("找出拼成它的内容（例如相邻的标题和编号）并改写；确需公开的号码写进 site.yaml 的 public_numbers");
                out.push(Finding {
                    diag,
                    kind,
                    value,
                    owner: Owner::Site,
                    allowed: None,
                    outputs: files,
                });
                continue;
            }
            for f in shown {
                let mut f = f.clone();
                f.outputs = files.clone();
                out.push(f);
            }
        }
        out.sort_by(|a, b| {
            (&a.diag.path, a.diag.line, a.diag.col).cmp(&(&b.diag.path, b.diag.line, b.diag.col))
        });
        out
    }
}
