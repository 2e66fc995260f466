//! Releases for a web server (`gongkai publish --to DIR`, `gongkai rollback --to DIR`) and the
//! hand-over zip for a vendor's CMS (`gongkai publish --zip FILE`).
//!
//! A target folder holds `releases/<YYYYmmdd-HHMMSS>/` (each a complete site, built through the
//! full gate, unchanged files hard-linked from the live release, and the live release's hashed
//! assets carried over so a page loaded just before the switch still gets its style sheet),
//! `current` — a symlink to the live release, switched in one step (a new symlink renamed over
//! it) — and its own `publication-register.jsonl`. The web server serves `DIR/current`. The last
//! `keep` releases stay for rollback; older ones (gongkai's own only) are removed.

use super::write::{self, MARKER, WriteError};
use super::{BuildRequest, BuildRun, Progress};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A release target folder.
#[derive(Debug, Clone)]
pub struct Target {
    /// The folder.
    pub dir: PathBuf,
}

impl Target {
    /// `DIR/releases`.
    pub fn releases(&self) -> PathBuf {
        self.dir.join("releases")
    }

    /// `DIR/current`, the symlink the web server serves.
    pub fn current(&self) -> PathBuf {
        self.dir.join("current")
    }

    /// `DIR/publication-register.jsonl`.
    pub fn register(&self) -> PathBuf {
        self.dir.join("publication-register.jsonl")
    }

    fn lock(&self) -> PathBuf {
        self.dir.join(".gongkai-publish.lock")
    }

    /// The live release's name, if `current` points at one.
    pub fn live(&self) -> Option<String> {
        let link = std::fs::read_link(self.current()).ok()?;
        link.file_name().map(|n| n.to_string_lossy().into_owned())
    }

    /// Every complete release, oldest first.
    pub fn list(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.releases())
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().join(MARKER).is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with('.'))
            .collect();
        v.sort();
        v
    }
}

fn io<T>(p: &Path, r: std::io::Result<T>) -> Result<T, WriteError> {
    r.map_err(|e| WriteError::Io(p.to_path_buf(), e))
}

/// Point `DIR/current` at `releases/<name>` in one step: a new symlink beside it, renamed over it.
fn flip(t: &Target, name: &str) -> Result<(), WriteError> {
    let tmp = t.dir.join(format!(".current.tmp-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    #[cfg(unix)]
    io(
        &tmp,
        std::os::unix::fs::symlink(Path::new("releases").join(name), &tmp),
    )?;
    #[cfg(windows)]
    io(
        &tmp,
        std::os::windows::fs::symlink_dir(Path::new("releases").join(name), &tmp),
    )?;
    write::fault("before-flip");
    io(&t.current(), std::fs::rename(&tmp, t.current()))
}

/// What a `publish --to` did.
pub struct Released {
    /// The build (report, held items, outcome).
    pub run: BuildRun,
    /// The new live release, when it was published.
    pub release: Option<String>,
    /// Releases removed beyond `keep`.
    pub pruned: Vec<String>,
}

/// Build the site at `root` as a new release of target `t`, switch `current` to it and keep the
/// last `keep` releases.
pub fn publish(
    root: &Path,
    t: &Target,
    as_of: Option<chrono::NaiveDate>,
    keep: usize,
    wait: Duration,
    progress: &Progress,
) -> Result<Released, WriteError> {
    let current = t.current();
    if current.exists() && !current.is_symlink() {
        return Err(WriteError::Foreign(current));
    }
    io(&t.releases(), std::fs::create_dir_all(t.releases()))?;
    // Names sort in time order: date, time to the millisecond (then the digest is added).
    let stamp = || {
        (chrono::Utc::now() + chrono::Duration::hours(8))
            .format("%Y%m%d-%H%M%S-%3f")
            .to_string()
    };
    let taken = |name: &str| {
        std::fs::read_dir(t.releases())
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                let f = e.file_name().to_string_lossy().into_owned();
                f == name || f.starts_with(&format!("{name}-"))
            })
    };
    let mut name = stamp();
    while taken(&name) {
        std::thread::sleep(Duration::from_millis(2));
        name = stamp();
    }
    // The whole publication — build, switch, prune — under the target's lock.
    let _lock = write::OutputLock::acquire(&t.lock(), wait)?;
    // Half-made releases of killed publishes (gongkai's markers only).
    write::remove_leftovers(&t.releases(), None)?;
    let previous = t.live().map(|l| t.releases().join(l));
    let req = BuildRequest {
        root: root.to_path_buf(),
        output: t.releases().join(&name),
        as_of,
        wait,
        register: t.register(),
        force: false,
        lock: None,
        previous: previous.filter(|p| p.join(MARKER).is_file()),
        cache: super::BuildCache::Off,
    };
    // Named by time and by the digest of what it publishes, once that is known.
    let run = super::build_with(&req, progress, &|digest| {
        let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
        let named = format!("{name}-{}", &hex[..hex.len().min(12)]);
        let to = t.releases().join(&named);
        io(&to, std::fs::rename(t.releases().join(&name), &to))?;
        flip(t, &named)?;
        Ok(Some(to))
    });
    if run.outcome.is_err() {
        return Ok(Released {
            run,
            release: None,
            pruned: Vec::new(),
        });
    }
    let pruned = prune(t, keep)?;
    Ok(Released {
        run,
        release: t.live(),
        pruned,
    })
}

/// Remove releases beyond the last `keep` (never the live one).
fn prune(t: &Target, keep: usize) -> Result<Vec<String>, WriteError> {
    let live = t.live();
    let all = t.list();
    let mut gone = Vec::new();
    let excess = all.len().saturating_sub(keep.max(1));
    for name in all.into_iter().take(excess) {
        if Some(&name) == live.as_ref() {
            continue;
        }
        // Renamed first, so a publish killed while deleting leaves a folder the next one
        // recognises and removes, not a half-deleted release.
        let p = t.releases().join(&name);
        let doomed = t
            .releases()
            .join(format!(".{name}.old-{}", std::process::id()));
        io(&p, std::fs::rename(&p, &doomed))?;
        io(&doomed, std::fs::remove_dir_all(&doomed))?;
        let _ = std::fs::remove_file(super::scan::digest_path(&p));
        gone.push(name);
    }
    Ok(gone)
}

/// Switch `current` back to `release` (default: the one before the live one) and record it.
/// Returns (from, to).
pub fn rollback(
    t: &Target,
    release: Option<&str>,
    wait: Duration,
) -> Result<(Option<String>, String), String> {
    let _lock = write::OutputLock::acquire(&t.lock(), wait).map_err(|e| e.to_string())?;
    let all = t.list();
    let live = t.live();
    let to = match release {
        Some(r) => {
            if !all.iter().any(|x| x == r) {
                return Err(format!(
                    "{} 中没有完整的发布版本 {r}（现有：{}）",
                    t.releases().display(),
                    all.join("、")
                ));
            }
            r.to_string()
        }
        None => {
            let at = live
                .as_ref()
                .and_then(|l| all.iter().position(|x| x == l))
                .ok_or_else(|| "当前没有正在使用的发布版本，无法回退".to_string())?;
            if at == 0 {
                return Err("当前已是最早保留的发布版本，没有更早的可以回退".into());
            }
            all[at - 1].clone()
        }
    };
    flip(t, &to).map_err(|e| e.to_string())?;
    let digest = super::register::live_digest(&t.releases().join(&to));
    super::register::record_rollback(&t.register(), live.as_deref(), &to, digest.as_deref())
        .map_err(|e| format!("已回退，但无法写入发布登记：{e}"))?;
    Ok((live, to))
}

/// Build the site at `root` and write it as a zip at `file` for a vendor's CMS, with
/// `MANIFEST.gongkai.json` (every path with its size and SHA-256, and the register digest);
/// recorded in the register beside the zip. Returns the build and the number of files.
pub fn zip(
    root: &Path,
    file: &Path,
    as_of: Option<chrono::NaiveDate>,
    wait: Duration,
    progress: &Progress,
) -> Result<(BuildRun, usize), WriteError> {
    use sha2::{Digest, Sha256};
    use std::io::Write as _;
    let work = write::beside(file, |n| format!(".{n}.build-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    let req = BuildRequest {
        root: root.to_path_buf(),
        output: work.clone(),
        as_of,
        wait,
        register: write::beside(file, |n| format!("{n}.publication-register.jsonl")),
        force: true,
        lock: Some(write::beside(file, |n| format!(".{n}.lock"))),
        previous: None,
        cache: super::BuildCache::Off,
    };
    let run = super::build(&req, progress);
    if run.outcome.is_err() {
        let _ = std::fs::remove_dir_all(&work);
        return Ok((run, 0));
    }
    let digest = super::register::live_digest(&work).unwrap_or_default();
    let _ = std::fs::remove_file(super::scan::digest_path(&work));
    let mut entries = Vec::new();
    for e in walkdir::WalkDir::new(&work).sort_by_file_name() {
        let e = e.map_err(|e| WriteError::Io(work.clone(), e.into()))?;
        if !e.file_type().is_file() {
            continue;
        }
        let rel = e
            .path()
            .strip_prefix(&work)
            .unwrap_or(e.path())
            .to_string_lossy()
            .replace('\\', "/");
        if rel == MARKER {
            continue;
        }
        let bytes = io(e.path(), std::fs::read(e.path()))?;
        let hex: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        entries.push((rel, bytes, hex));
    }
    let manifest = serde_json::json!({
        "format": 1,
        "generator": "gongkai",
        "register_digest": digest,
        "files": entries.iter().map(|(p, b, h)| serde_json::json!({
            "path": p, "size": b.len(), "sha256": h,
        })).collect::<Vec<_>>(),
    });
    let tmp = write::beside(file, |n| format!(".{n}.tmp-{}", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let f = std::fs::File::create(&tmp)?;
        let mut z = zip::ZipWriter::new(f);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for (p, b, _) in &entries {
            z.start_file(p.as_str(), opts)
                .map_err(std::io::Error::other)?;
            z.write_all(b)?;
        }
        z.start_file("MANIFEST.gongkai.json", opts)
            .map_err(std::io::Error::other)?;
        z.write_all(
            serde_json::to_string_pretty(&manifest)
                .unwrap_or_default()
                .as_bytes(),
        )?;
        z.finish().map_err(std::io::Error::other)?.sync_all()?;
        std::fs::rename(&tmp, file)
    })();
    let _ = std::fs::remove_dir_all(&work);
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(WriteError::Io(file.to_path_buf(), e));
    }
    Ok((run, entries.len()))
}
