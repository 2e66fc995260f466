//! Snapshot files: text a test produces, compared with a checked-in copy.
//!
//! A missing or different snapshot fails the test; nothing is written unless the update is asked
//! for with `UPDATE_SNAPSHOTS=1` (then every snapshot is rewritten, stale ones are removed, and
//! the diff is reviewed with `git diff` before committing).

use std::path::Path;

/// Whether this run rewrites snapshots (`UPDATE_SNAPSHOTS=1`).
pub fn updating() -> bool {
    std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| !v.is_empty() && v != "0")
}

/// Compare each `(name, text)` with the file `dir/name`, and require that `dir` holds no other
/// file. `update` is the command that rewrites them, named in the failure message. With
/// `UPDATE_SNAPSHOTS=1` the files are written instead (and files no longer produced removed).
#[track_caller]
pub fn assert_snapshots(dir: &Path, snapshots: &[(String, String)], update: &str) {
    let stale: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| !snapshots.iter().any(|(name, _)| name == n))
                .collect()
        })
        .unwrap_or_default();
    if updating() {
        std::fs::create_dir_all(dir).unwrap();
        for (name, text) in snapshots {
            std::fs::write(dir.join(name), text).unwrap();
        }
        for name in &stale {
            std::fs::remove_file(dir.join(name)).unwrap();
        }
        return;
    }
    let mut problems = Vec::new();
    for (name, text) in snapshots {
        match std::fs::read_to_string(dir.join(name)) {
            Err(_) => problems.push(format!("{name}: missing")),
            Ok(old) if old != *text => {
                problems.push(format!("{name}: {}", first_difference(&old, text)))
            }
            Ok(_) => {}
        }
    }
    for name in &stale {
        problems.push(format!("{name}: no longer produced"));
    }
    assert!(
        problems.is_empty(),
        "snapshots in {} do not match:\n  {}\nIf the change is intended, rewrite them with\n  {update}\nand review the diff (git diff {}) before committing.",
        dir.display(),
        problems.join("\n  "),
        dir.strip_prefix(super::repo()).unwrap_or(dir).display(),
    );
}

/// Where two texts first differ, by line.
fn first_difference(old: &str, new: &str) -> String {
    let (mut a, mut b) = (old.lines(), new.lines());
    let mut line = 1;
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => line += 1,
            (None, None) => return "differs only in line endings".to_string(),
            (x, y) => {
                return format!(
                    "differs from line {line}:\n    snapshot: {}\n    now:      {}",
                    x.unwrap_or("(end)"),
                    y.unwrap_or("(end)")
                );
            }
        }
    }
}
