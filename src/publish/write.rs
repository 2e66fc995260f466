//! Write: put rendered files into a staging folder beside the output, then swap it in.
//! A failed build leaves the previous output untouched; a folder gongkai did not create is
//! never deleted. Files whose bytes did not change are hard-linked from the previous output
//! instead of rewritten.

use crate::render::OutFile;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Marker file that says "gongkai made this folder".
pub const MARKER: &str = ".gongkai-output";

/// A publishing failure.
#[derive(Debug)]
pub enum WriteError {
    /// The output folder exists, is not empty and was not made by gongkai.
    Foreign(PathBuf),
    /// An IO error, naming the path.
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Foreign(p) => write!(
                f,
                "输出文件夹 {} 已存在且不是 gongkai 生成的（里面没有 {MARKER}）。为免误删，拒绝覆盖：请换一个 --output，或先自行清空它。",
                p.display()
            ),
            WriteError::Io(p, e) => write!(f, "写入 {} 失败：{e}", p.display()),
        }
    }
}

impl std::error::Error for WriteError {}

fn io<T>(p: &Path, r: std::io::Result<T>) -> Result<T, WriteError> {
    r.map_err(|e| WriteError::Io(p.to_path_buf(), e))
}

/// Refuse an output folder that is neither absent, empty, nor an earlier gongkai output.
pub fn check_output(out: &Path) -> Result<(), WriteError> {
    if !out.exists() {
        return Ok(());
    }
    if out.is_file() {
        return Err(WriteError::Foreign(out.to_path_buf()));
    }
    let empty = io(out, std::fs::read_dir(out))?.next().is_none();
    if empty || out.join(MARKER).is_file() {
        Ok(())
    } else {
        Err(WriteError::Foreign(out.to_path_buf()))
    }
}

/// A path beside `out` (in the same parent folder), named by `name` from `out`'s own name.
pub(super) fn beside(out: &Path, name: impl FnOnce(&str) -> String) -> PathBuf {
    let own = out
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(name(&own))
}

/// Staging folder for `out`: a sibling named `.<name>.staging-<pid>`.
fn sibling(out: &Path, what: &str) -> PathBuf {
    beside(out, |name| format!(".{name}.{what}-{}", std::process::id()))
}

/// A staging folder being filled; removed on drop unless published.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    published: bool,
}

impl Staging {
    /// Create the staging folder beside `out` (after checking `out` may be replaced).
    pub fn new(out: &Path) -> Result<Self, WriteError> {
        check_output(out)?;
        let dir = sibling(out, "staging");
        if dir.exists() {
            io(&dir, std::fs::remove_dir_all(&dir))?;
        }
        if let Some(parent) = dir.parent() {
            io(parent, std::fs::create_dir_all(parent))?;
        }
        io(&dir, std::fs::create_dir(&dir))?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            published: false,
        })
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Write one file (hard-linking the previous output's copy when identical). Returns
    /// whether the previous output held the same bytes at the same path.
    pub fn write(&self, f: &OutFile) -> Result<bool, WriteError> {
        if f.path.split('/').any(|c| c == ".." || c.is_empty()) {
            return Err(WriteError::Io(
                PathBuf::from(&f.path),
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "不安全的输出路径"),
            ));
        }
        let dest = self.dir.join(&f.path);
        if let Some(parent) = dest.parent() {
            io(parent, std::fs::create_dir_all(parent))?;
        }
        let old = self.out.join(&f.path);
        if let Ok(meta) = std::fs::metadata(&old)
            && meta.is_file()
            && meta.len() == f.bytes.len() as u64
            && std::fs::read(&old).is_ok_and(|b| b == f.bytes)
            && std::fs::hard_link(&old, &dest).is_ok()
        {
            return Ok(true);
        }
        let mut file = io(&dest, std::fs::File::create(&dest))?;
        io(&dest, file.write_all(&f.bytes)).map(|()| false)
    }

    /// Swap the staging folder in as the output. The previous output, if any, is removed only
    /// after the new one is in place.
    pub fn publish(mut self) -> Result<(), WriteError> {
        io(
            &self.dir,
            std::fs::write(self.dir.join(MARKER), "gongkai output folder\n"),
        )?;
        let old = sibling(&self.out, "old");
        let had_old = self.out.exists();
        if had_old {
            check_output(&self.out)?;
            io(&self.out, std::fs::rename(&self.out, &old))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            if had_old {
                let _ = std::fs::rename(&old, &self.out);
            }
            return Err(WriteError::Io(self.out.clone(), e));
        }
        self.published = true;
        if had_old {
            io(&old, std::fs::remove_dir_all(&old))?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(p: &str, b: &str) -> OutFile {
        OutFile {
            path: p.into(),
            bytes: b.as_bytes().to_vec(),
        }
    }

    #[test]
    fn publish_replaces_and_failure_keeps_old() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("output");
        let s = Staging::new(&out).unwrap();
        s.write(&file("a/b.html", "one")).unwrap();
        s.publish().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/b.html")).unwrap(),
            "one"
        );
        // A build that fails after staging some files: dropped without publishing.
        {
            let s = Staging::new(&out).unwrap();
            s.write(&file("a/b.html", "two")).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(out.join("a/b.html")).unwrap(),
            "one"
        );
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folder removed");
    }

    #[test]
    fn refuses_foreign_folder_and_bad_paths() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("mine");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("precious.txt"), "x").unwrap();
        assert!(matches!(Staging::new(&out), Err(WriteError::Foreign(_))));
        assert!(out.join("precious.txt").exists());
        let s = Staging::new(&tmp.path().join("o")).unwrap();
        assert!(s.write(&file("../evil", "x")).is_err());
    }
}
