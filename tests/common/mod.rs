//! Helpers shared by the integration tests, each written once: where the repository and its
//! fixtures are, temporary site folders, running the built `gongkai` binary, reading folder trees,
//! snapshots (`snapshot`), a small seeded random number generator (`rng`) and disguised personal
//! data for the privacy tests (`disguise`).

pub mod disguise;
pub mod links;
pub mod load;
pub mod office;
pub mod reference;
pub mod rng;
pub mod signing;
pub mod snapshot;
pub mod ssh;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub mod sitegen;

/// The repository root.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A path under `tests/fixtures/`, e.g. `fixture("check/valid")`.
pub fn fixture(rel: &str) -> PathBuf {
    repo().join("tests/fixtures").join(rel)
}

/// Copy a folder tree (`to` and any missing parents are created).
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// A fresh temporary folder holding a copy of the tree at `from`.
pub fn temp_copy(from: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(from, tmp.path());
    tmp
}

/// A temporary site folder holding a copy of the default content.
pub fn default_site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &tmp.path().join("content"));
    tmp
}

/// Run the built `gongkai` binary with `args` and wait for it.
pub fn gongkai<S: AsRef<OsStr>>(args: impl IntoIterator<Item = S>) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .expect("run gongkai")
}

/// Run `gongkai <args…> --root <root>`.
pub fn gongkai_at(root: &Path, args: &[&str]) -> Output {
    let mut all: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    all.extend([OsStr::new("--root"), root.as_os_str()]);
    gongkai(all)
}

/// What a run printed to stderr, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir` with its bytes, by `/`-separated path relative to `dir`.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Every file of a built site (path → bytes) without gongkai's marker (which names the
/// publication): what a complete site is compared by.
pub fn site_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut t = tree(dir);
    t.remove(".gongkai-output");
    t
}

/// The default-content site at `root` built as of each date into `root/ref-DATE`: the complete
/// sites a published folder may be (see [`site_files`]).
pub fn reference_sites(root: &Path, dates: &[&str]) -> Vec<BTreeMap<String, Vec<u8>>> {
    let sites: Vec<_> = dates
        .iter()
        .map(|as_of| {
            let out = root.join(format!("ref-{as_of}"));
            let o = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
                .args(["build", "--as-of", as_of, "--root"])
                .arg(root)
                .arg("--output")
                .arg(&out)
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", stderr(&o));
            site_files(&out)
        })
        .collect();
    for (i, a) in sites.iter().enumerate() {
        for b in &sites[i + 1..] {
            assert!(a != b, "the reference dates must give different sites");
        }
    }
    sites
}

/// Every file under `dir` whose extension is one of `exts` (every file when `exts` is empty),
/// recursively, sorted by path.
pub fn files(dir: &Path, exts: &[&str]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| {
            exts.is_empty()
                || p.extension()
                    .is_some_and(|e| exts.iter().any(|x| e == OsStr::new(x)))
        })
        .collect();
    out.sort();
    out
}

/// A generated site of `tasks` tasks (`examples/synth.rs`, which `cargo test` builds) in a
/// temporary folder.
pub fn synth_site(tasks: usize, seed: u64) -> tempfile::TempDir {
    synth_site_with(tasks, seed, &[])
}

/// [`synth_site`] with more arguments for the generator (e.g. `--no-search`).
pub fn synth_site_with(tasks: usize, seed: u64, more: &[&str]) -> tempfile::TempDir {
    let exe = PathBuf::from(env!("CARGO_BIN_EXE_gongkai"));
    let synth = exe.parent().unwrap().join("examples").join("synth");
    assert!(
        synth.exists(),
        "{} is built by `cargo test` (examples/synth.rs)",
        synth.display()
    );
    let tmp = tempfile::tempdir().unwrap();
    let st = Command::new(&synth)
        .args(["--tasks", &tasks.to_string(), "--seed", &seed.to_string()])
        .args(more)
        .arg("--out")
        .arg(tmp.path())
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    tmp
}

/// What a bounded run of the binary gave.
pub struct Bounded {
    /// Exit code.
    pub code: i32,
    /// Everything written to stderr.
    pub stderr: Vec<u8>,
    /// Wall time.
    pub secs: f64,
}

impl Bounded {
    /// stderr as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// Run `gongkai <args> --root <root>` with stdin and stdout closed, killing it (and failing)
/// after `limit`: a hang (a FIFO, a device) is a failure, never a stuck test.
pub fn gongkai_bounded(root: &Path, args: &[&str], limit: Duration) -> Bounded {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .arg("--root")
        .arg(root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run gongkai");
    let mut pipe = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        buf
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("gongkai {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Bounded {
        code: status.code().expect("exit status"),
        stderr: reader.join().unwrap(),
        secs: start.elapsed().as_secs_f64(),
    }
}
