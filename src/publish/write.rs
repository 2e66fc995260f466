//! Write: put rendered files into a staging folder beside the output, then swap it in.
//! A failed build leaves the previous output untouched; a folder gongkai did not create is
//! never deleted. Files whose bytes did not change are hard-linked from the previous output
//! instead of rewritten.
//!
//! The swap is one `renameat2(RENAME_EXCHANGE)` on Linux: at every instant the output path is
//! the complete old or the complete new site. Where the system or the file system has no such
//! call (NFS and CIFS shares, other systems), it is rename-aside with a marker written first, and
//! the next build ([`recover`]) finds an interrupted swap by that marker and puts a complete site
//! back before anything else. Builds of one output are serialised by [`OutputLock`]; leftover
//! staging and old folders of killed builds are recognised by their marker files and removed
//! (never anything gongkai did not make). An output that is a symlink (to the folder the web server
//! serves) is kept a symlink: the folder it points to is swapped.

use crate::render::OutFile;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Marker file that says "gongkai made this folder" (written last into a complete site).
pub const MARKER: &str = ".gongkai-output";

/// Marker file of a staging folder (written first, so a killed build's leftover is known).
const STAGING_MARKER: &str = ".gongkai-staging";

/// A publishing failure.
#[derive(Debug)]
pub enum WriteError {
    /// The output folder exists, is not empty and was not made by gongkai.
    Foreign(PathBuf),
    /// An IO error, naming the path.
    Io(PathBuf, std::io::Error),
    /// Another build of the same output did not finish within the wait.
    Busy(PathBuf, u64),
    /// The output holds files gongkai did not write (they would be deleted).
    NotOurs(PathBuf, Vec<String>),
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
            WriteError::NotOurs(p, files) => write!(
                f,
                "输出文件夹 {} 中有 {} 个文件不是 gongkai 生成的（如 {}），替换时会被删除；请先移走它们，或确认可以删除后加 --force",
                p.display(),
                files.len(),
                files.iter().take(5).cloned().collect::<Vec<_>>().join("、")
            ),
            WriteError::Busy(p, secs) => write!(
                f,
                "另一个 gongkai 正在生成 {}，等了 {secs} 秒仍未结束；请稍后再试（或用 --wait 等更久）",
                p.display()
            ),
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
pub fn beside(out: &Path, name: impl FnOnce(&str) -> String) -> PathBuf {
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
    /// Where unchanged files are hard-linked from (the output itself, or the live release).
    previous: PathBuf,
    /// Every file written, listed in the marker (so a later build knows what is not its own).
    written: std::sync::Mutex<Vec<(String, [u8; 32])>>,
    /// The list the marker was sealed with.
    sealed: Vec<(String, [u8; 32])>,
    published: bool,
}

impl Staging {
    /// Create the staging folder beside `out` (after checking `out` may be replaced).
    pub fn new(out: &Path) -> Result<Self, WriteError> {
        check_output(out)?;
        let dir = sibling(out, "staging");
        if dir.exists() {
            io(&dir, remove_marked(&dir))?;
        }
        if let Some(parent) = dir.parent() {
            io(parent, std::fs::create_dir_all(parent))?;
        }
        io(&dir, std::fs::create_dir(&dir))?;
        io(
            &dir,
            std::fs::write(dir.join(STAGING_MARKER), "gongkai staging folder\n"),
        )?;
        Ok(Staging {
            out: out.to_path_buf(),
            previous: out.to_path_buf(),
            dir,
            written: std::sync::Mutex::default(),
            sealed: Vec::new(),
            published: false,
        })
    }

    fn note(&self, path: &str, bytes: &[u8]) {
        use sha2::Digest as _;
        let h: [u8; 32] = sha2::Sha256::digest(bytes).into();
        self.written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((path.to_string(), h));
    }

    /// Hard-link unchanged files from `previous` (the live release) instead of the output.
    pub fn linking_from(mut self, previous: &Path) -> Self {
        self.previous = previous.to_path_buf();
        self
    }

    /// Carry the files under `sub` (the hashed assets) of the previous site that this one does
    /// not have, so a page loaded just before the switch still finds its style sheet and
    /// scripts. Returns how many.
    pub fn carry(&self, sub: &str) -> Result<usize, WriteError> {
        let from = self.previous.join(sub);
        let mut n = 0;
        for e in walkdir::WalkDir::new(&from).into_iter().flatten() {
            if !e.file_type().is_file() {
                continue;
            }
            let Ok(rel) = e.path().strip_prefix(&self.previous) else {
                continue;
            };
            let dest = self.dir.join(rel);
            if dest.exists() {
                continue;
            }
            if let Some(parent) = dest.parent() {
                io(parent, std::fs::create_dir_all(parent))?;
            }
            if std::fs::hard_link(e.path(), &dest).is_err() {
                io(&dest, std::fs::copy(e.path(), &dest))?;
            }
            let bytes = io(&dest, std::fs::read(&dest))?;
            self.note(&rel.to_string_lossy().replace('\\', "/"), &bytes);
            n += 1;
        }
        Ok(n)
    }

    /// The staging folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Write one file (hard-linking the previous output's copy when identical). Returns
    /// whether the previous output held the same bytes at the same path.
    pub fn write(&self, f: &OutFile) -> Result<bool, WriteError> {
        let dest = self.destination(&f.path)?;
        self.note(&f.path, &f.bytes);
        let old = self.previous.join(&f.path);
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

    /// Where the file at `path` goes in the staging folder, its folder made.
    fn destination(&self, path: &str) -> Result<PathBuf, WriteError> {
        if path.split('/').any(|c| c == ".." || c.is_empty()) {
            return Err(WriteError::Io(
                PathBuf::from(path),
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "不安全的输出路径"),
            ));
        }
        let dest = self.dir.join(path);
        if let Some(parent) = dest.parent() {
            io(parent, std::fs::create_dir_all(parent))?;
        }
        Ok(dest)
    }

    /// Write one file from its pieces as they are made, never holding it whole, and give each
    /// piece to `each` once written (the scan). When the previous output held the same bytes
    /// at the same path, that copy is hard-linked in its place. Returns whether it was, and
    /// the file's size in bytes. `old_digest`, when given, is the SHA-256 of the previous
    /// output's file (known from the build cache), which is then not read again.
    pub fn write_pieces(
        &self,
        path: &str,
        pieces: crate::render::data::Pieces<'_>,
        old_digest: Option<[u8; 32]>,
        each: &mut dyn FnMut(&crate::render::data::Piece),
    ) -> Result<(bool, u64), WriteError> {
        use sha2::Digest as _;
        let dest = self.destination(path)?;
        let mut hash = sha2::Sha256::new();
        let mut len = 0u64;
        let file = io(&dest, std::fs::File::create(&dest))?;
        let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
        for p in pieces {
            io(&dest, w.write_all(&p.bytes))?;
            hash.update(&p.bytes);
            len += p.bytes.len() as u64;
            each(&p);
        }
        io(&dest, w.flush())?;
        drop(w);
        let hash: [u8; 32] = hash.finalize().into();
        self.written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((path.to_string(), hash));
        let old = self.previous.join(path);
        let same = std::fs::metadata(&old).is_ok_and(|m| m.is_file() && m.len() == len)
            && old_digest.map_or_else(|| file_digest(&old).is_ok_and(|h| h == hash), |h| h == hash);
        if same {
            // Linked beside and renamed over: the written copy stays if linking fails.
            let link = dest.with_file_name(format!(
                ".{}.link",
                dest.file_name().and_then(|n| n.to_str()).unwrap_or("file")
            ));
            let _ = std::fs::remove_file(&link);
            if std::fs::hard_link(&old, &link).is_ok() {
                io(&dest, std::fs::rename(&link, &dest))?;
                return Ok((true, len));
            }
        }
        Ok((false, len))
    }

    /// Swap the staging folder in as the output, `marker` (the register digest of this
    /// publication) written into it last: the complete old site or the complete new one is at
    /// the output path at every instant (see the module docs). The previous output is removed
    /// only after the new one is in place.
    pub fn publish(mut self) -> Result<(), WriteError> {
        fault("before-swap");
        if !self.out.exists() {
            io(&self.out, std::fs::rename(&self.dir, &self.out))?;
            self.published = true;
            return Ok(());
        }
        check_output(&self.out)?;
        if exchange(&self.dir, &self.out).is_ok() {
            // The staging path now holds the previous site.
            self.published = true;
            fault("after-exchange");
            io(&self.dir, remove_marked(&self.dir))?;
            return Ok(());
        }
        // Rename aside, with the marker that lets the next build finish or undo it.
        let old = sibling(&self.out, "old");
        let journal = swap_marker(&self.out);
        io(
            &journal,
            std::fs::write(
                &journal,
                format!("{}\n{}\n", old.display(), self.dir.display()),
            ),
        )?;
        fault("after-journal");
        io(&self.out, std::fs::rename(&self.out, &old))?;
        fault("after-aside");
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            let _ = std::fs::rename(&old, &self.out);
            let _ = std::fs::remove_file(&journal);
            return Err(WriteError::Io(self.out.clone(), e));
        }
        self.published = true;
        fault("after-swap");
        io(&journal, std::fs::remove_file(&journal))?;
        io(&old, remove_marked(&old))?;
        Ok(())
    }
}

impl Staging {
    /// Complete the staging folder: its marker, carrying `digest` (the register's digest of the
    /// publication), the publication's id — a hash of every path and its bytes, so identical
    /// sites have identical markers and the id says exactly which site is live — and the list
    /// of every file written. Returns the id.
    pub fn seal(&mut self, digest: &str) -> Result<String, WriteError> {
        let list = self.take_written();
        let id = publication_id(&list);
        let text = marker_text(&id, digest, &list);
        // The output marker before the staging one goes: a build killed in between leaves a
        // folder still recognisably gongkai's.
        io(&self.dir, std::fs::write(self.dir.join(MARKER), text))?;
        let _ = std::fs::remove_file(self.dir.join(STAGING_MARKER));
        io(&self.dir, sync_dir(&self.dir))?;
        self.sealed = list;
        Ok(id)
    }

    /// Every file written so far with its SHA-256, sorted by path, without repeats; the list
    /// starts again empty.
    pub fn take_written(&self) -> Vec<(String, [u8; 32])> {
        let mut list = std::mem::take(
            &mut *self
                .written
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        list.sort();
        list.dedup_by(|a, b| a.0 == b.0);
        list
    }

    /// The files [`Staging::seal`] listed in the marker (empty before it).
    pub fn sealed(&self) -> &[(String, [u8; 32])] {
        &self.sealed
    }

    /// Hard-link the previous output's file at `path` into the staging folder (a copy where
    /// links cannot be made), without listing it: an incremental build puts every page in the
    /// staging folder for the search index this way.
    pub fn link_previous(&self, path: &str) -> Result<(), WriteError> {
        let dest = self.destination(path)?;
        let old = self.previous.join(path);
        if std::fs::hard_link(&old, &dest).is_err() {
            io(&dest, std::fs::copy(&old, &dest))?;
        }
        Ok(())
    }

    /// An incremental build's commit (issue 18, item 3): move each file of `changed` from the
    /// staging folder into the output in its place (one rename each, so every file is entirely
    /// old or entirely new at every instant), remove the files of `vanished`, then replace the
    /// output's marker with `marker` (one rename). The staging folder is removed when dropped.
    pub fn replace_in_place(
        &self,
        changed: &[String],
        vanished: &[String],
        marker: &str,
    ) -> Result<(), WriteError> {
        check_output(&self.out)?;
        let marker_at = self.out.join(MARKER);
        // Markers are made in the staging folder (never a stray file in the output) and
        // renamed in. First the old marker with the new files added to its list: a build
        // killed while replacing leaves an output whose every file is still listed as
        // gongkai's (and whose id is still the old publication's).
        let old = io(&marker_at, std::fs::read_to_string(&marker_at))?;
        let listed: std::collections::HashSet<&str> = old.lines().skip(2).collect();
        let mut interim = old.clone();
        if !interim.ends_with('\n') {
            interim.push('\n');
        }
        for path in changed.iter().filter(|p| !listed.contains(p.as_str())) {
            interim.push_str(path);
            interim.push('\n');
        }
        let interim_at = self.dir.join(".gongkai-output.interim");
        io(&interim_at, std::fs::write(&interim_at, interim))?;
        io(&marker_at, std::fs::rename(&interim_at, &marker_at))?;
        let new_marker = self.dir.join(".gongkai-output.new");
        io(&new_marker, std::fs::write(&new_marker, marker))?;
        fault("in-place-before-replace");
        for (i, path) in changed.iter().enumerate() {
            let from = self.destination(path)?;
            let to = self.out.join(path);
            if let Some(parent) = to.parent() {
                io(parent, std::fs::create_dir_all(parent))?;
            }
            io(&to, std::fs::rename(&from, &to))?;
            if i == 0 {
                fault("in-place-replacing");
            }
        }
        for path in vanished {
            let at = self.out.join(path);
            match std::fs::remove_file(&at) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(WriteError::Io(at, e));
                }
                _ => {}
            }
            // Folders left empty go too (a full build would not have made them).
            let mut dir = at.parent();
            while let Some(d) = dir.filter(|d| *d != self.out && d.starts_with(&self.out)) {
                if std::fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        fault("in-place-before-marker");
        io(&marker_at, std::fs::rename(&new_marker, &marker_at))?;
        io(&self.out, sync_dir(&self.out))?;
        Ok(())
    }
}

/// The id of a publication whose files are `list` (sorted by path, without repeats): a hash
/// of every path and its bytes, so identical sites have identical markers and the id says
/// exactly which site is live.
pub fn publication_id(list: &[(String, [u8; 32])]) -> String {
    use sha2::Digest as _;
    let mut h = sha2::Sha256::new();
    for (p, fh) in list {
        h.update(p.as_bytes());
        h.update([0]);
        h.update(fh);
    }
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The text of an output's marker: its id, the register digest and every file.
pub fn marker_text(id: &str, digest: &str, list: &[(String, [u8; 32])]) -> String {
    let mut text = format!("gongkai output folder {id}\n{digest}\n");
    for (p, _) in list {
        text.push_str(p);
        text.push('\n');
    }
    text
}

/// The SHA-256 of the file at `path`, read a mebibyte at a time.
fn file_digest(path: &Path) -> std::io::Result<[u8; 32]> {
    use sha2::Digest as _;
    use std::io::Read as _;
    let mut f = std::fs::File::open(path)?;
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            return Ok(h.finalize().into());
        }
        h.update(&buf[..n]);
    }
}

/// Remove the folder `dir` of gongkai's, its markers last: a process killed while deleting
/// leaves a folder the next build still recognises as its own and finishes removing.
fn remove_marked(dir: &Path) -> std::io::Result<()> {
    let markers = [MARKER, STAGING_MARKER];
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        if markers.iter().any(|m| e.file_name() == *m) {
            continue;
        }
        if e.file_type()?.is_dir() {
            std::fs::remove_dir_all(e.path())?;
        } else {
            std::fs::remove_file(e.path())?;
        }
    }
    std::fs::remove_dir_all(dir)
}

/// Flush a folder's entries to disk (where the system can).
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Exchange two paths in one step (Linux `renameat2(RENAME_EXCHANGE)`); an error where the
/// system or file system cannot.
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    // The crash tests take the rename-aside path of file systems without the exchange this way.
    if std::env::var_os("GONGKAI_FAULT_NO_EXCHANGE").is_some() {
        return Err(std::io::Error::from(std::io::ErrorKind::Unsupported));
    }
    #[cfg(target_os = "linux")]
    {
        rustix::fs::renameat_with(
            rustix::fs::CWD,
            a,
            rustix::fs::CWD,
            b,
            rustix::fs::RenameFlags::EXCHANGE,
        )
        .map_err(std::io::Error::from)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (a, b);
        Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
    }
}

/// A fault-injection point for the crash tests (`tests/publish_swap.rs`): the process dies
/// here, as if killed, when the environment variable `GONGKAI_FAULT` names it. It is in every
/// build, so the crash tests kill the very binary that is released; it can do nothing a `kill`
/// cannot, and the swap's guarantees are exactly that a kill at any point is harmless.
#[inline]
pub fn fault(point: &str) {
    static POINT: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    if POINT
        .get_or_init(|| std::env::var("GONGKAI_FAULT").ok())
        .as_deref()
        == Some(point)
    {
        std::process::abort();
    }
}

/// The marker of a rename-aside swap in progress: `.<name>.swap` beside the output.
fn swap_marker(out: &Path) -> PathBuf {
    beside(out, |name| format!(".{name}.swap"))
}

/// The files in the output `out` that gongkai did not write (not in the list its marker
/// holds; outputs of versions that kept no list are not checked).
pub fn foreign_files(out: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(out.join(MARKER)) else {
        return Vec::new();
    };
    let own: std::collections::HashSet<&str> = text.lines().skip(2).collect();
    if own.is_empty() {
        return Vec::new();
    }
    let mut foreign = Vec::new();
    for e in walkdir::WalkDir::new(out).into_iter().flatten() {
        if !e.file_type().is_file() {
            continue;
        }
        let Ok(rel) = e.path().strip_prefix(out) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel != MARKER && !own.contains(rel.as_str()) {
            foreign.push(rel);
        }
    }
    foreign.sort();
    foreign
}

/// What [`recover`] did.
#[derive(Debug, Default)]
pub struct Recovered {
    /// An interrupted swap was found and a complete site put back.
    pub swap: Option<String>,
    /// Leftover folders of killed builds removed.
    pub removed: Vec<PathBuf>,
}

/// Before a build touches `out` (holding its [`OutputLock`]): finish or undo a swap a killed
/// build left half done, and remove the staging and old folders killed builds left (only those
/// with gongkai's markers).
pub fn recover(out: &Path) -> Result<Recovered, WriteError> {
    let mut done = Recovered::default();
    let journal = swap_marker(out);
    if let Ok(text) = std::fs::read_to_string(&journal) {
        let mut lines = text.lines();
        let old = lines.next().map(PathBuf::from);
        let new = lines.next().map(PathBuf::from);
        let complete = |p: &Path| p.join(MARKER).is_file();
        if complete(out) {
            done.swap = Some(if old.as_ref().is_some_and(|o| o.exists()) {
                "上次发布在替换输出文件夹时中断，但新站点已就位".into()
            } else {
                "上次发布在替换输出文件夹时中断，替换没有发生，站点仍是上一次发布的".into()
            });
        } else if let Some(old) = old.filter(|o| complete(o)) {
            if out.exists() {
                // Neither complete nor absent: not ours to touch.
                return Err(WriteError::Foreign(out.to_path_buf()));
            }
            io(out, std::fs::rename(&old, out))?;
            done.swap = Some("上次发布在替换输出文件夹时中断，已恢复为上一次发布的完整站点".into());
        } else if let Some(new) = new.filter(|n| complete(n))
            && !out.exists()
        {
            io(out, std::fs::rename(&new, out))?;
            done.swap = Some("上次发布在替换输出文件夹时中断，已换上当时已生成完的新站点".into());
        }
        io(&journal, std::fs::remove_file(&journal))?;
    }
    let own = out
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    done.removed = remove_leftovers(parent, Some(&own))?;
    Ok(done)
}

/// Remove the staging and old folders killed builds left in `parent` (of the output named
/// `own`, or of any output) — only those carrying gongkai's markers.
pub fn remove_leftovers(parent: &Path, own: Option<&str>) -> Result<Vec<PathBuf>, WriteError> {
    let mut removed = Vec::new();
    if let Ok(entries) = std::fs::read_dir(parent) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = match own {
                Some(own) => name.strip_prefix(&format!(".{own}.")),
                None => name.strip_prefix('.').and_then(|n| {
                    n.find(".staging-")
                        .or_else(|| n.find(".old-"))
                        .map(|i| &n[i + 1..])
                }),
            };
            let Some(rest) = rest else {
                continue;
            };
            let p = e.path();
            // A staging folder is made empty and gets its marker next, and a folder is emptied
            // before its markers go (see `remove_marked`): one left empty by a killed build
            // loses nothing when removed.
            let empty = || std::fs::read_dir(&p).is_ok_and(|mut d| d.next().is_none());
            // In a release folder (`own` = None) everything so named is gongkai's.
            let ours = (rest.starts_with("staging-")
                && (own.is_none()
                    || p.join(STAGING_MARKER).is_file()
                    || p.join(MARKER).is_file()
                    || empty()))
                || (rest.starts_with("old-")
                    && (own.is_none() || p.join(MARKER).is_file() || empty()));
            if ours && p.is_dir() && !p.is_symlink() {
                io(&p, remove_marked(&p))?;
                removed.push(p);
            }
        }
    }
    Ok(removed)
}

/// The exclusive lock of one output (`.<name>.lock` beside it): builds of the same output run
/// one after another.
pub struct OutputLock(std::fs::File);

impl OutputLock {
    /// Take the lock file `path`, waiting up to `wait` for another build to finish.
    pub fn acquire(path: &Path, wait: std::time::Duration) -> Result<OutputLock, WriteError> {
        let path = path.to_path_buf();
        let out = path.clone();
        if let Some(parent) = path.parent() {
            io(parent, std::fs::create_dir_all(parent))?;
        }
        let f = io(
            &path,
            std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path),
        )?;
        let start = std::time::Instant::now();
        loop {
            match f.try_lock() {
                Ok(()) => return Ok(OutputLock(f)),
                Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(WriteError::Busy(out.to_path_buf(), wait.as_secs()));
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(WriteError::Io(path, e)),
            }
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        let _ = self.0.unlock();
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = remove_marked(&self.dir);
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
        let mut s = Staging::new(&out).unwrap();
        s.write(&file("a/b.html", "one")).unwrap();
        s.seal("d").unwrap();
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

    #[test]
    fn folders_half_removed_by_a_killed_build_are_still_recognised() {
        let tmp = tempfile::tempdir().unwrap();
        let p = tmp.path();
        let mk = |name: &str, files: &[&str]| {
            std::fs::create_dir_all(p.join(name)).unwrap();
            for f in files {
                std::fs::write(p.join(name).join(f), "x").unwrap();
            }
        };
        // What `remove_marked` leaves at each moment: markers last, then the empty folder.
        mk(".output.staging-11", &[MARKER]);
        mk(".output.staging-12", &[STAGING_MARKER, "index.html"]);
        mk(".output.staging-13", &[]);
        mk(".output.old-14", &[MARKER]);
        mk(".output.old-15", &[]);
        // Not gongkai's: named like a leftover but holding a person's files and no marker.
        mk(".output.staging-16", &["mine.docx"]);
        mk(".output.old-17", &["mine.docx"]);
        mk("output", &[]);
        let mut removed: Vec<String> = remove_leftovers(p, Some("output"))
            .unwrap()
            .iter()
            .map(|r| r.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        removed.sort();
        assert_eq!(
            removed,
            [
                ".output.old-14",
                ".output.old-15",
                ".output.staging-11",
                ".output.staging-12",
                ".output.staging-13"
            ]
        );
        assert!(p.join(".output.staging-16/mine.docx").exists());
        assert!(p.join(".output.old-17/mine.docx").exists());
        // And `remove_marked` removes nested folders and both markers.
        mk("gone", &[MARKER, STAGING_MARKER, "a.html", "b.html"]);
        mk("gone/sub", &["c.html"]);
        remove_marked(&p.join("gone")).unwrap();
        assert!(!p.join("gone").exists());
    }
}
