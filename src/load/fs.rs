//! Only real files inside the site are read. Before a content file is opened its metadata is
//! checked: it must resolve (through any symlinks, of the file or of a folder above it) inside
//! the site folder, be a regular file (not a FIFO, socket or device) and be no larger than the
//! size limit; the read itself is bounded too, so a file that grows is still capped. Anything
//! else is a located error and the file is never opened.
//!
//! Which names are read is decided here as well: `.yaml`/`.yml`/`.md` in any letter case; near
//! misses (`x.yaml.txt`, what Windows writes when extensions are hidden; `x.yml `, `x.ymal`,
//! `x.markdown`) get a warning naming the file to rename to; editor backups (`x.yaml~`,
//! `x.yaml.bak`, `.orig`, `.swp`, `.tmp`, `#x#`) and hidden files are ignored without a word.

use crate::diag::Diagnostic;
use std::io::Read as _;
use std::path::{Path, PathBuf};

/// Default size limit for one content file, in MiB (`max_file_size_mb` in `site.yaml`).
pub const DEFAULT_MAX_FILE_SIZE_MB: u32 = 256;

const MB: u64 = 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub(crate) enum Refused {
    /// There is no such file.
    Missing,
    /// The file is there but may not or cannot be read.
    Finding(Diagnostic),
}

/// What may be read: the folders a file must resolve into, and how much of it.
#[derive(Debug, Clone)]
pub(crate) struct Guard {
    root: PathBuf,
    /// The site folder and the real `content/` folder (if `content` is itself a link), resolved.
    bounds: Vec<PathBuf>,
    /// Size limit in MiB.
    limit_mb: u32,
}

impl Guard {
    /// A guard for the site folder `root`, with the default size limit.
    pub(crate) fn new(root: &Path) -> Self {
        let mut bounds = Vec::new();
        for p in [root.to_path_buf(), root.join("content")] {
            if let Ok(c) = std::fs::canonicalize(&p)
                && !bounds.iter().any(|b: &PathBuf| c.starts_with(b))
            {
                bounds.push(c);
            }
        }
        if bounds.is_empty() {
            bounds.push(root.to_path_buf());
        }
        Guard {
            root: root.to_path_buf(),
            bounds,
            limit_mb: DEFAULT_MAX_FILE_SIZE_MB,
        }
    }

    /// The site folder.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    /// Set the size limit (MiB, at least 1).
    pub(crate) fn set_limit_mb(&mut self, mb: u32) {
        self.limit_mb = mb.max(1);
    }

    fn limit(&self) -> u64 {
        u64::from(self.limit_mb) * MB
    }

    fn inside(&self, real: &Path) -> bool {
        self.bounds.iter().any(|b| real.starts_with(b))
    }

    /// Where `rel` really is, if it exists: an error when it resolves outside the site.
    fn resolve(&self, rel: &str) -> Result<Option<(PathBuf, std::fs::Metadata)>, Diagnostic> {
        let path = self.root.join(rel);
        let own = match std::fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Diagnostic::error(rel, 0, 0, format!("无法读取：{e}"))),
        };
        let real = match std::fs::canonicalize(&path) {
            Ok(r) => r,
            Err(e) => {
                let target = std::fs::read_link(&path)
                    .map(|t| t.display().to_string())
                    .unwrap_or_default();
                return Err(if own.file_type().is_symlink() {
                    Diagnostic::error(
                        rel,
                        0,
                        0,
                        format!("符号链接指向的文件不存在或无法访问（{target}）"),
                    )
                    .hint("改正或删除这个链接")
                } else {
                    Diagnostic::error(rel, 0, 0, format!("无法读取：{e}"))
                });
            }
        };
        if !self.inside(&real) {
            let what = if own.file_type().is_symlink() {
                "符号链接指向站点文件夹之外"
            } else {
                "实际位于站点文件夹之外（上层文件夹是符号链接）"
            };
            return Err(Diagnostic::error(
                rel,
                0,
                0,
                format!("{what}（{}），不会读取", real.display()),
            )
            .hint("内容只能来自站点文件夹中的文件：把文件复制到站点文件夹中，或删除这个链接"));
        }
        // Metadata of what the path resolves to (the link's target).
        let meta = std::fs::metadata(&real)
            .map_err(|e| Diagnostic::error(rel, 0, 0, format!("无法读取：{e}")))?;
        Ok(Some((real, meta)))
    }

    /// Whether `rel` is a folder inside the site (following links that stay inside); an
    /// error when it is a link to a folder outside.
    pub(crate) fn is_dir(&self, rel: &str) -> Result<bool, Diagnostic> {
        let path = self.root.join(rel);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => Ok(true),
            Ok(m) if m.file_type().is_symlink() => {
                if !std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
                    return Ok(false);
                }
                self.resolve(rel)
                    .map(|r| r.is_some_and(|(_, m)| m.is_dir()))
            }
            _ => Ok(false),
        }
    }

    /// Read `rel` (relative to the site folder) if it is a regular file inside the site and
    /// within the size limit.
    pub(crate) fn read(&self, rel: &str) -> Result<Vec<u8>, Refused> {
        let (real, meta) = match self.resolve(rel) {
            Ok(Some(r)) => r,
            Ok(None) => return Err(Refused::Missing),
            Err(d) => return Err(Refused::Finding(d)),
        };
        if !meta.is_file() {
            return Err(Refused::Finding(
                Diagnostic::error(
                    rel,
                    0,
                    0,
                    format!("不是普通文件，而是{}，不会读取", kind_cn(&meta.file_type())),
                )
                .hint("内容文件夹中只能放普通的文本文件；删除它，或换成真正的文件"),
            ));
        }
        if meta.len() > self.limit() {
            return Err(Refused::Finding(self.too_big(rel, Some(meta.len()))));
        }
        let io = |e: std::io::Error| {
            Refused::Finding(Diagnostic::error(rel, 0, 0, format!("无法读取文件：{e}")))
        };
        let file = std::fs::File::open(&real).map_err(io)?;
        // What was opened, not what was looked at: it may have been swapped in between.
        if !file.metadata().map_err(io)?.is_file() {
            return Err(Refused::Finding(Diagnostic::error(
                rel,
                0,
                0,
                "读取时文件被换成了别的东西，未读取",
            )));
        }
        let cap = usize::try_from(meta.len().min(self.limit())).unwrap_or(0);
        let mut bytes = Vec::with_capacity(cap);
        file.take(self.limit() + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        if bytes.len() as u64 > self.limit() {
            return Err(Refused::Finding(self.too_big(rel, None)));
        }
        Ok(bytes)
    }

    fn too_big(&self, rel: &str, size: Option<u64>) -> Diagnostic {
        let size = size.map_or_else(
            || "读取时仍在增长".to_string(),
            |s| format!("{:.1} MiB", s as f64 / MB as f64),
        );
        Diagnostic::error(
            rel,
            0,
            0,
            format!(
                "文件过大（{size}），超过单个文件的上限 {} MiB，不会读取",
                self.limit_mb
            ),
        )
        .hint("把内容拆分到多个文件；确需更大的文件，在 content/site.yaml 中调高 max_file_size_mb")
    }
}

/// The kind of a file that is not a regular file, in Chinese.
fn kind_cn(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if ft.is_fifo() {
            return "命名管道（FIFO）";
        }
        if ft.is_socket() {
            return "套接字（socket）";
        }
        if ft.is_char_device() {
            return "字符设备";
        }
        if ft.is_block_device() {
            return "块设备";
        }
    }
    if ft.is_dir() {
        "文件夹"
    } else {
        "特殊文件"
    }
}

/// The names in folder `rel` (relative to `root`), sorted, hidden ones left out; names that
/// are not UTF-8 or hold control characters are findings instead (such files are not read).
pub(crate) fn list(root: &Path, rel: &str) -> (Vec<String>, Vec<Diagnostic>) {
    let mut names = Vec::new();
    let mut bad = Vec::new();
    let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
        return (names, bad);
    };
    for entry in entries.filter_map(Result::ok) {
        let raw = entry.file_name();
        let Some(name) = raw.to_str() else {
            let shown = raw.to_string_lossy().into_owned();
            bad.push(
                Diagnostic::error(
                    &format!("{rel}/{shown}"),
                    0,
                    0,
                    "文件名不是 UTF-8 编码，不会读取",
                )
                .hint("用常规文字重新命名这个文件"),
            );
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        if let Some(c) = name.chars().find(|c| c.is_control()) {
            bad.push(
                Diagnostic::error(
                    &format!("{rel}/{name}"),
                    0,
                    0,
                    format!("文件名含有控制字符 {}，不会读取", super::control::name(c)),
                )
                .hint("重新命名这个文件，去掉不可见的字符"),
            );
            continue;
        }
        names.push(name.to_string());
    }
    names.sort();
    (names, bad)
}

/// What a folder holds: YAML files or Markdown pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    /// `*.yaml` / `*.yml`.
    Yaml,
    /// `*.md`.
    Markdown,
}

/// What to do with one name in a folder.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Class {
    /// Read it.
    Read,
    /// Not content; say nothing (other files, editor backups).
    Ignore,
    /// Probably meant as content: warn and suggest this name.
    NearMiss(String),
}

fn ext_of(name: &str) -> Option<&str> {
    name.rsplit_once('.')
        .map(|(_, ext)| ext)
        .filter(|_| !name.starts_with('.'))
}

/// Whether `name` has one of the extensions `want` reads, in any letter case.
pub(crate) fn has_ext(name: &str, want: Want) -> bool {
    let Some(ext) = ext_of(name) else {
        return false;
    };
    match want {
        Want::Yaml => ext.eq_ignore_ascii_case("yaml") || ext.eq_ignore_ascii_case("yml"),
        Want::Markdown => ext.eq_ignore_ascii_case("md"),
    }
}

/// Editor and tool backups: ignored without a warning (documented).
fn is_backup(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with('~')
        || (lower.starts_with('#') && lower.ends_with('#'))
        || [".bak", ".orig", ".swp", ".swo", ".tmp", ".old", ".rej"]
            .iter()
            .any(|s| lower.ends_with(s))
}

/// Decide what to do with `name` in a folder that holds `want` files.
pub(crate) fn classify(name: &str, want: Want) -> Class {
    if has_ext(name, want) {
        return Class::Read;
    }
    if is_backup(name) {
        return Class::Ignore;
    }
    // `x.yaml.txt`: a hidden extension added by an editor.
    let lower = name.to_ascii_lowercase();
    if let Some(stem) = lower.strip_suffix(".txt")
        && has_ext(stem, want)
    {
        return Class::NearMiss(name[..stem.len()].to_string());
    }
    // `x.yaml ` or `x.yaml.`: trailing blanks or dots.
    let trimmed = name.trim_end_matches([' ', '.', '\u{3000}']);
    if trimmed != name && has_ext(trimmed, want) {
        return Class::NearMiss(trimmed.to_string());
    }
    // A misspelt extension.
    if let Some(ext) = ext_of(name) {
        let e = ext.to_ascii_lowercase();
        let stem = &name[..name.len() - ext.len() - 1];
        let fixed = match want {
            Want::Yaml => ["yam", "ymal", "yalm", "yamll", "yaml_", "ym", "ymll"]
                .contains(&e.as_str())
                .then_some("yaml"),
            Want::Markdown => ["markdown", "mdown", "mkd", "mkdn", "mdwn", "mdx"]
                .contains(&e.as_str())
                .then_some("md"),
        };
        if let Some(fixed) = fixed
            && !stem.is_empty()
        {
            return Class::NearMiss(format!("{stem}.{fixed}"));
        }
    }
    Class::Ignore
}

/// The warning for a near miss `rel` that should be called `to`.
pub(crate) fn near_miss(rel: &str, to: &str) -> Diagnostic {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    Diagnostic::warning(
        rel,
        0,
        0,
        format!("文件名“{name}”看起来是内容文件，但扩展名不对，没有读取；应改名为“{to}”"),
    )
    .hint("Windows 隐藏已知扩展名时，记事本另存的文件会多出 .txt；在文件夹选项中显示扩展名后再改名")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_warned_or_ignored() {
        let y = |n| classify(n, Want::Yaml);
        let m = |n| classify(n, Want::Markdown);
        assert_eq!(y("1.yaml"), Class::Read);
        assert_eq!(y("1.YAML"), Class::Read);
        assert_eq!(y("1.Yml"), Class::Read);
        assert_eq!(m("about.MD"), Class::Read);
        assert_eq!(m("about.yaml"), Class::Ignore);
        assert_eq!(y("x.yaml.txt"), Class::NearMiss("x.yaml".into()));
        assert_eq!(y("x.YML.TXT"), Class::NearMiss("x.YML".into()));
        assert_eq!(m("关于.md.txt"), Class::NearMiss("关于.md".into()));
        assert_eq!(y("x.yaml "), Class::NearMiss("x.yaml".into()));
        assert_eq!(y("x.yaml."), Class::NearMiss("x.yaml".into()));
        assert_eq!(y("x.ymal"), Class::NearMiss("x.yaml".into()));
        assert_eq!(m("x.markdown"), Class::NearMiss("x.md".into()));
        for backup in [
            "x.yaml~",
            "x.yaml.bak",
            "x.yaml.orig",
            "#x.yaml#",
            "x.yaml.swp",
        ] {
            assert_eq!(y(backup), Class::Ignore, "{backup}");
        }
        assert_eq!(y("notes.txt"), Class::Ignore);
        assert_eq!(y("readme.md"), Class::Ignore);
        assert_eq!(y("x.xml"), Class::Ignore);
    }
}
