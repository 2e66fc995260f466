//! The build cache beside the output (issue 18, item 3): what the last publishing build of an
//! output was made from and what it wrote, so that the next build, when only progress records
//! changed, re-renders just the routes that show the tasks those records belong to (before or
//! after the change) and replaces in the output only the files whose bytes changed.
//!
//! The cache is `.<output>.build-cache.json` beside the output folder. It holds:
//! - the publication id of the output it describes (the output's marker must carry the same, or
//!   the output is not the one the cache describes);
//! - one digest of everything every page depends on ([`Inputs::global`]: the gongkai binary,
//!   the as-of date, every content file that is not a progress file, the verdicts on the
//!   Markdown pages), and the theme's and the output scan's digests;
//! - for each progress file, a digest of its text and of the gate's verdicts on its records,
//!   and the tasks its records name;
//! - every file of the output with its SHA-256, size and modification time.
//!
//! Anything else changed, a cache that is missing, unreadable, of another format or of another
//! output, or a file of the output that is not as the cache says it was written: the build is
//! a full one. The cache is removed before an incremental build replaces the first file and
//! written again only after the register has committed, so a build killed in between leaves no
//! cache and the next build is a full one (which swaps in a whole new site).

use crate::review::Verdicts;
use crate::route::Changes;
use crate::site::Site;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Version of the cache's layout (and of what the digests cover).
pub const FORMAT: u32 = 1;

/// One file of the output as the build that wrote it left it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct OutputFile {
    /// SHA-256 of its bytes, hex.
    pub sha256: String,
    /// Size in bytes.
    pub len: u64,
    /// Modification time, nanoseconds since the epoch (0 when unknown).
    pub mtime: i128,
}

impl OutputFile {
    /// The digest as bytes (for the publication id); `None` if the hex is not 32 bytes.
    pub fn hash(&self) -> Option<[u8; 32]> {
        let mut out = [0u8; 32];
        if self.sha256.len() != 64 {
            return None;
        }
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(self.sha256.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(out)
    }

    /// The entry for a file of `hash` as it now is at `path` (size and time from the file
    /// system; `None` when it cannot be read).
    pub fn stat(path: &Path, hash: &[u8; 32]) -> Option<OutputFile> {
        let meta = std::fs::metadata(path).ok()?;
        Some(OutputFile {
            sha256: hex(hash),
            len: meta.len(),
            mtime: mtime(&meta),
        })
    }

    /// Whether the file at `path` still looks as written: same size and modification time.
    pub fn intact(&self, path: &Path) -> bool {
        std::fs::metadata(path)
            .is_ok_and(|m| m.is_file() && m.len() == self.len && mtime(&m) == self.mtime)
    }
}

fn mtime(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(0))
}

/// A progress file as the last build read it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ProgressFile {
    /// Digest of its text and the gate's verdicts on its records.
    pub digest: String,
    /// For each task its records name, (plan id, task id), sorted: a digest of those records in
    /// file order (each one's fingerprint, which covers every published field, and whether it
    /// passes the gate).
    pub tasks: Vec<((String, String), String)>,
}

/// What one build was made from (see the module docs).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Inputs {
    /// Everything every page depends on, but the theme and the scan.
    pub global: String,
    /// Progress files by path.
    pub progress: BTreeMap<String, ProgressFile>,
}

/// The cache file's contents.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct State {
    /// [`FORMAT`].
    pub format: u32,
    /// The publication id in the output's marker.
    pub id: String,
    /// What the build was made from.
    pub inputs: Inputs,
    /// The theme's digest.
    pub theme: String,
    /// The output scan's digest ([`super::scan::digest`]).
    pub scan: String,
    /// Every file of the output by path.
    pub files: BTreeMap<String, OutputFile>,
}

/// Where the cache of the output `out` is kept.
pub fn path_for(out: &Path) -> PathBuf {
    super::write::beside(out, |name| format!(".{name}.build-cache.json"))
}

/// The cache at `path`, if there is one of this format whose checksum holds.
pub fn load(path: &Path) -> Option<State> {
    let bytes = std::fs::read(path).ok()?;
    // The JSON, a newline, the SHA-256 of the JSON in hex, a newline.
    let body = bytes.strip_suffix(b"\n")?;
    let cut = body.len().checked_sub(65)?;
    let (json, sum) = body.split_at(cut);
    if sum.first() != Some(&b'\n') || sum[1..] != *hex(&Sha256::digest(json).into()).as_bytes() {
        return None;
    }
    let state: State = serde_json::from_slice(json).ok()?;
    (state.format == FORMAT).then_some(state)
}

/// Write the cache with its checksum, through a temporary file and a rename (a reader sees
/// the old or the new).
pub fn store(path: &Path, state: &State) -> std::io::Result<()> {
    let tmp = super::write::beside(path, |name| format!("{name}.tmp-{}", std::process::id()));
    let mut json = serde_json::to_vec(state)?;
    let sum = hex(&Sha256::digest(&json).into());
    json.push(b'\n');
    json.extend_from_slice(sum.as_bytes());
    json.push(b'\n');
    std::fs::write(&tmp, json)?;
    std::fs::rename(&tmp, path)
}

/// Remove the cache (the output is about to change): the next build is a full one unless this
/// one stores a new cache.
pub fn invalidate(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// A file of records under a plan's `progress/` folder.
pub fn is_progress_file(path: &str) -> bool {
    let mut parts = path.split('/');
    parts.next() == Some("content")
        && parts.next() == Some("plans")
        && parts.next().is_some()
        && parts.next() == Some("progress")
}

/// The digest of the running gongkai binary (a different build may render differently).
fn binary() -> &'static str {
    static D: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    D.get_or_init(|| {
        let mut h = Sha256::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        match std::env::current_exe().and_then(std::fs::read) {
            Ok(bytes) => h.update(&bytes),
            // Unknown binary: a digest no other run shares, so no cache is ever reused.
            Err(_) => h.update(format!("{:?}", std::time::SystemTime::now()).as_bytes()),
        }
        hex(&h.finalize().into())
    })
}

/// The inputs of a build of `site` (before the gate) from the content files' texts `sources`,
/// the verdicts and the as-of date.
pub fn inputs(
    sources: &BTreeMap<String, String>,
    site: &Site,
    verdicts: &Verdicts,
    as_of: chrono::NaiveDate,
) -> Inputs {
    let mut g = Sha256::new();
    g.update(format!("gongkai-build-cache-{FORMAT}\0").as_bytes());
    g.update(binary().as_bytes());
    g.update(as_of.format("\0%Y-%m-%d\0").to_string().as_bytes());
    type PerTask = BTreeMap<(String, String), Sha256>;
    let mut progress: BTreeMap<String, (Sha256, PerTask)> = BTreeMap::new();
    for (path, text) in sources {
        if is_progress_file(path) {
            let mut h = Sha256::new();
            h.update(text.as_bytes());
            h.update([0xff]);
            progress.insert(path.clone(), (h, PerTask::new()));
        } else {
            for part in [path.as_bytes(), &[0], text.as_bytes(), &[0xff]] {
                g.update(part);
            }
        }
    }
    for (i, v) in verdicts.pages.iter().enumerate() {
        g.update(format!("page {i} {}\0", v.publishable()).as_bytes());
    }
    for (pi, plan) in site.plans.iter().enumerate() {
        for (ri, r) in plan.records.iter().enumerate() {
            let publishable = verdicts
                .records
                .get(pi)
                .and_then(|v| v.get(ri))
                .is_some_and(crate::review::Verdict::publishable);
            match progress.get_mut(&r.path) {
                Some((h, tasks)) => {
                    h.update(format!("{}\0{publishable}\0", r.entry.id.value).as_bytes());
                    let fingerprint = crate::review::record_fingerprint(&r.entry);
                    tasks
                        .entry((plan.id.clone(), r.entry.task.value.clone()))
                        .or_default()
                        .update(format!("{fingerprint}\0{publishable}\0").as_bytes());
                }
                // A record from a file that is not a progress file: no reuse at all.
                None => g.update(format!("record {} {publishable}\0", r.path).as_bytes()),
            }
        }
    }
    Inputs {
        global: hex(&g.finalize().into()),
        progress: progress
            .into_iter()
            .map(|(path, (h, tasks))| {
                (
                    path,
                    ProgressFile {
                        digest: hex(&h.finalize().into()),
                        tasks: tasks
                            .into_iter()
                            .map(|(k, h)| (k, hex(&h.finalize().into())))
                            .collect(),
                    },
                )
            })
            .collect(),
    }
}

/// The tasks (plan index, task index in `cx`) whose records changed from `prev` to `now`, when
/// nothing else did; `None` when anything else did (a full build).
pub fn changes(
    prev: &Inputs,
    now: &Inputs,
    site: &Site,
    cx: &crate::compute::Computed<'_>,
) -> Option<Changes> {
    if prev.global != now.global {
        return None;
    }
    let mut keys: BTreeSet<&(String, String)> = BTreeSet::new();
    for (path, file) in &now.progress {
        match prev.progress.get(path) {
            Some(old) if old == file => {}
            Some(old) => {
                // The tasks whose records in this file differ, in content, verdict or order.
                let before: BTreeMap<_, _> = old.tasks.iter().map(|(k, d)| (k, d)).collect();
                let after: BTreeMap<_, _> = file.tasks.iter().map(|(k, d)| (k, d)).collect();
                let differ: Vec<_> = before
                    .keys()
                    .chain(after.keys())
                    .filter(|k| before.get(*k) != after.get(*k))
                    .copied()
                    .collect();
                if differ.is_empty() {
                    // Changed, yet no task's records did (records of different tasks swapped
                    // places, a comment): every task of the file, which also renders every list
                    // of the whole site, where such an order could show.
                    keys.extend(all(file));
                    keys.extend(all(old));
                } else {
                    keys.extend(differ);
                }
            }
            None => keys.extend(all(file)),
        }
    }
    for (path, old) in &prev.progress {
        if !now.progress.contains_key(path) {
            keys.extend(all(old));
        }
    }
    let mut out = Changes::default();
    for (plan, task) in keys {
        let pi = site.plans.iter().position(|p| p.id == *plan)?;
        let ti = cx.task_index.get(pi)?.get(task.as_str())?;
        out.tasks.insert((pi, *ti));
    }
    Some(out)
}

/// Every task a progress file's records name.
fn all(f: &ProgressFile) -> impl Iterator<Item = &(String, String)> {
    f.tasks.iter().map(|(k, _)| k)
}

/// Lower-case hex of a digest.
pub fn hex(d: &[u8; 32]) -> String {
    use std::fmt::Write as _;
    d.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_paths() {
        assert!(is_progress_file("content/plans/2023/progress/a.yaml"));
        assert!(is_progress_file("content/plans/2023/progress/sub/a.yaml"));
        assert!(!is_progress_file("content/plans/2023/tasks/1.yaml"));
        assert!(!is_progress_file("content/plans/progress/x.yaml"));
        assert!(!is_progress_file("content/site.yaml"));
    }

    #[test]
    fn hash_round_trip_and_corrupt_cache() {
        let h = [7u8; 32];
        let f = OutputFile {
            sha256: hex(&h),
            len: 1,
            mtime: 2,
        };
        assert_eq!(f.hash(), Some(h));
        let bad = OutputFile {
            sha256: "zz".repeat(32),
            ..f
        };
        assert_eq!(bad.hash(), None);
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path().join("c.json");
        for junk in ["", "{", "[]", "{\"format\":999}", "\u{0}\u{1}"] {
            std::fs::write(&p, junk).unwrap();
            assert!(load(&p).is_none(), "{junk:?} read as a cache");
        }
        assert!(load(&tmp.path().join("missing")).is_none());
        let state = State {
            format: FORMAT,
            id: "x".into(),
            inputs: Inputs::default(),
            theme: "t".into(),
            scan: "s".into(),
            files: BTreeMap::new(),
        };
        store(&p, &state).unwrap();
        assert_eq!(load(&p).unwrap().id, "x");
        // Any byte changed, or the file cut short: no cache.
        let good = std::fs::read(&p).unwrap();
        for i in [0, 5, good.len() / 2, good.len() - 3, good.len() - 1] {
            let mut bad = good.clone();
            bad[i] ^= 1;
            std::fs::write(&p, &bad).unwrap();
            assert!(load(&p).is_none(), "byte {i} flipped, still read");
        }
        std::fs::write(&p, &good[..good.len() - 10]).unwrap();
        assert!(load(&p).is_none());
        std::fs::write(&p, &good).unwrap();
        assert!(load(&p).is_some());
        invalidate(&p).unwrap();
        invalidate(&p).unwrap();
        assert!(load(&p).is_none());
    }
}
