//! The output is never missing or mixed (issue 15, items 1–2), tested through the real binary:
//! builds of one output are serialised, an unwritable register stops a build before it touches
//! anything, leftovers of killed builds are cleaned (only gongkai's), an output that is a symlink
//! stays one, and a build killed (`GONGKAI_FAULT`, see `publish::write::fault`) at every step of the swap
//! (one-step exchange and rename-aside) or at random moments leaves one complete site that the
//! next build and the register agree on.

use std::path::Path;
use std::process::Command;

use crate::common;
use common::{default_site as site, stderr, tree};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_gongkai")
}

fn build(root: &Path, out: &Path, as_of: &str, env: &[(&str, &str)]) -> std::process::Output {
    let mut c = Command::new(bin());
    c.args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .args(["--as-of", as_of]);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().unwrap()
}

/// Every file under `dir` (path → bytes), without the marker (it carries the digest).
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    tree(dir)
        .into_iter()
        .filter(|(p, _)| p != ".gongkai-output")
        .collect()
}

/// Names in `dir` starting with `prefix`.
fn beside(dir: &Path, prefix: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect();
    v.sort();
    v
}

/// Two reference builds (as of two dates) of the default site: what a complete output may be.
struct Refs {
    _dir: tempfile::TempDir,
    a: Vec<(String, Vec<u8>)>,
    b: Vec<(String, Vec<u8>)>,
}

const A: &str = "2023-10-01";
const B: &str = "2023-12-01";

fn refs(root: &Path) -> Refs {
    let dir = tempfile::tempdir().unwrap();
    for (as_of, name) in [(A, "a"), (B, "b")] {
        let o = build(root, &dir.path().join(name), as_of, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let a = files(&dir.path().join("a"));
    let b = files(&dir.path().join("b"));
    assert_ne!(a, b, "the two as-of dates must give different sites");
    Refs { a, b, _dir: dir }
}

/// The output is exactly one complete site: A or B (and which).
fn complete(out: &Path, r: &Refs) -> char {
    assert!(
        out.join(".gongkai-output").is_file(),
        "no complete site at {}",
        out.display()
    );
    let now = files(out);
    if now == r.a {
        'a'
    } else if now == r.b {
        'b'
    } else {
        let names = |v: &[(String, Vec<u8>)]| -> std::collections::BTreeMap<String, Vec<u8>> {
            v.iter().cloned().collect()
        };
        let (n, a, b) = (names(&now), names(&r.a), names(&r.b));
        let differ = |x: &std::collections::BTreeMap<String, Vec<u8>>| -> Vec<String> {
            n.keys()
                .chain(x.keys())
                .filter(|k| n.get(*k) != x.get(*k))
                .take(5)
                .cloned()
                .collect()
        };
        panic!(
            "the output at {} is neither complete site (differs from a in {:?}, from b in {:?})",
            out.display(),
            differ(&a),
            differ(&b)
        );
    }
}

#[test]
fn a_second_build_waits_then_gives_up_with_exit_2() {
    let s = site();
    let root = s.path();
    let out = root.join("output");
    assert!(build(root, &out, A, &[]).status.success());
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(root.join(".output.lock"))
        .unwrap();
    lock.lock().unwrap();
    let before = files(&out);
    let o = Command::new(bin())
        .args(["build", "--wait", "1", "--as-of", B, "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("另一个 gongkai 正在生成"),
        "{}",
        stderr(&o)
    );
    assert_eq!(files(&out), before);
    lock.unlock().unwrap();
    // Two builds at once: both finish, one after the other, and the output is one of them.
    let r = refs(root);
    let (root1, out1) = (root.to_path_buf(), out.clone());
    let t = std::thread::spawn(move || build(&root1, &out1, A, &[]));
    let o2 = build(root, &out, B, &[]);
    let o1 = t.join().unwrap();
    assert!(
        o1.status.success() && o2.status.success(),
        "{}\n{}",
        stderr(&o1),
        stderr(&o2)
    );
    complete(&out, &r);
}

#[test]
fn an_unwritable_register_stops_the_build_before_any_change() {
    let s = site();
    let root = s.path();
    let out = root.join("output");
    assert!(build(root, &out, A, &[]).status.success());
    let before = files(&out);
    let reg = root.join("output.publication-register.jsonl");
    let kept = std::fs::read(&reg).unwrap();
    std::fs::remove_file(&reg).unwrap();
    std::fs::create_dir(&reg).unwrap(); // cannot be appended to
    let o = build(root, &out, B, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("publication-register"),
        "{}",
        stderr(&o)
    );
    assert_eq!(files(&out), before, "the output changed");
    std::fs::remove_dir(&reg).unwrap();
    std::fs::write(&reg, kept).unwrap();
    assert!(build(root, &out, B, &[]).status.success());
}

#[test]
fn leftovers_of_killed_builds_are_removed_and_nothing_else() {
    let s = site();
    let root = s.path();
    let out = root.join("output");
    assert!(build(root, &out, A, &[]).status.success());
    let staging = root.join(".output.staging-999999");
    std::fs::create_dir_all(staging.join("2023")).unwrap();
    std::fs::write(staging.join(".gongkai-staging"), "").unwrap();
    let old = root.join(".output.old-999998");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join(".gongkai-output"), "gongkai output folder\n").unwrap();
    // Not gongkai's: same name pattern, no marker.
    let foreign = root.join(".output.staging-999997");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let o = build(root, &out, B, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("已清理上次中断的生成留下的临时文件夹"),
        "{}",
        stderr(&o)
    );
    assert!(!staging.exists() && !old.exists());
    assert!(
        foreign.join("notes.txt").is_file(),
        "a folder gongkai did not make was removed"
    );
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_symlink_stays_one() {
    let s = site();
    let root = s.path();
    let served = root.join("www/site");
    std::fs::create_dir_all(&served).unwrap();
    let out = root.join("output");
    std::os::unix::fs::symlink(&served, &out).unwrap();
    let r = refs(root);
    for (as_of, want) in [(A, 'a'), (B, 'b')] {
        let o = build(root, &out, as_of, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(out.is_symlink(), "the symlink was replaced by a folder");
        assert_eq!(complete(&served, &r), want, "the served folder is stale");
    }
    assert_eq!(beside(&root.join("www"), ".site."), Vec::<String>::new());
}

/// The register's last publication digest equals the live output's marker.
fn register_matches(root: &Path, out: &Path) {
    let reg = std::fs::read_to_string(root.join("output.publication-register.jsonl")).unwrap();
    let last = reg
        .lines()
        .rev()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|v| v["event"] == "committed")
        .unwrap();
    let marker = std::fs::read_to_string(out.join(".gongkai-output")).unwrap();
    assert_eq!(marker.lines().nth(1), last["digest"].as_str(), "{reg}");
}

#[test]
fn killed_at_every_step_of_the_swap_the_output_is_one_complete_site() {
    let s = site();
    let root = s.path();
    let out = root.join("output");
    let r = refs(root);
    let cases: [(&str, bool); 6] = [
        ("before-swap", false),
        ("after-exchange", false),
        ("before-swap", true),
        ("after-journal", true),
        ("after-aside", true),
        ("after-swap", true),
    ];
    for (point, aside) in cases {
        let o = build(root, &out, A, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        let mut env = vec![("GONGKAI_FAULT", point)];
        if aside {
            env.push(("GONGKAI_FAULT_NO_EXCHANGE", "1"));
        }
        let o = build(root, &out, B, &env);
        assert!(
            !o.status.success(),
            "{point}: the fault point was not reached"
        );
        // Right after the kill: a complete site, or (rename-aside, between the two renames)
        // none yet, which the next start restores before anything else.
        let live = if out.exists() {
            Some(complete(&out, &r))
        } else {
            assert_eq!(point, "after-aside");
            None
        };
        let o = build(root, &out, B, &[]);
        assert!(o.status.success(), "{point}: {}", stderr(&o));
        assert_eq!(complete(&out, &r), 'b', "{point}");
        if live.is_none() || point == "after-journal" {
            assert!(
                stderr(&o).contains("上次发布在替换输出文件夹时中断"),
                "{point}: {}",
                stderr(&o)
            );
        }
        assert!(
            stderr(&o).contains("上次发布"),
            "{point}: the register transaction was not reconciled: {}",
            stderr(&o)
        );
        assert_eq!(
            beside(root, ".output."),
            [".output.build-cache.json", ".output.lock"],
            "{point}: leftovers"
        );
        register_matches(root, &out);
    }
}

#[test]
fn killed_at_random_moments_the_output_is_always_one_complete_site() {
    let s = site();
    let root = s.path();
    let out = root.join("output");
    let r = refs(root);
    assert!(build(root, &out, A, &[]).status.success());
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for i in 0..20 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let delay = std::time::Duration::from_millis(seed % 400);
        let as_of = if i % 2 == 0 { B } else { A };
        let mut c = Command::new(bin())
            .args(["build", "--as-of", as_of, "--root"])
            .arg(root)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = c.kill();
        let _ = c.wait();
        // Whatever moment it died at, the next build starts from a complete site.
        if out.exists() {
            complete(&out, &r);
        }
        let o = build(root, &out, as_of, &[]);
        assert!(o.status.success(), "{}", stderr(&o));
        complete(&out, &r);
        register_matches(root, &out);
    }
    let left: Vec<std::path::PathBuf> = beside(root, ".output.")
        .into_iter()
        .filter(|n| n.contains("staging") || n.contains("old") || n.ends_with(".swap"))
        .map(std::path::PathBuf::from)
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn files_a_person_put_into_the_output_stop_the_build_unless_forced() {
    let s = site();
    let root = s.path();
    let out = root.join("output");
    assert!(build(root, &out, A, &[]).status.success());
    std::fs::write(out.join("2023/通知.docx"), "someone's file").unwrap();
    let before = files(&out);
    let o = build(root, &out, B, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 个文件不是 gongkai 生成的（如 2023/通知.docx）"),
        "{}",
        stderr(&o)
    );
    assert_eq!(files(&out), before, "the output changed");
    let o = Command::new(bin())
        .args(["build", "--force", "--as-of", B, "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join("2023/通知.docx").exists());
}

#[test]
fn a_publish_killed_before_its_switch_leaves_the_live_release_and_says_so() {
    let s = site();
    let root = s.path();
    let run = |env: &[(&str, &str)], as_of: &str| {
        let mut c = Command::new(bin());
        c.args(["publish", "--to", "srv", "--as-of", as_of, "--root"])
            .arg(root);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    assert!(run(&[], A).status.success());
    let live = std::fs::read_link(root.join("srv/current")).unwrap();
    let o = run(&[("GONGKAI_FAULT", "before-flip")], B);
    assert!(!o.status.success());
    assert_eq!(std::fs::read_link(root.join("srv/current")).unwrap(), live);
    assert!(root.join("srv/current/.gongkai-output").is_file());
    let o = run(&[], B);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("在替换输出时中断，没有生效"),
        "{}",
        stderr(&o)
    );
    let events = events_of(&root.join("srv/publication-register.jsonl"));
    assert_eq!(
        events,
        [
            "prepared",
            "committed",
            "prepared",
            "aborted",
            "prepared",
            "committed"
        ]
    );
}

/// The register's events, in order.
fn events_of(reg: &Path) -> Vec<String> {
    std::fs::read_to_string(reg)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["event"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn a_publish_over_ssh_killed_before_or_after_its_switch_is_reconciled_with_the_server() {
    let s = site();
    let root = s.path();
    let Some(d) = common::ssh::sshd(root, true) else {
        return;
    };
    let srv = root.join("server");
    let to = format!("target:{}", srv.display());
    let run = |fault: Option<&str>, as_of: &str| {
        let mut c = Command::new(bin());
        c.args(["publish", "--to", &to, "--as-of", as_of, "--root"])
            .arg(root)
            .env("GONGKAI_SSH", &d.ssh);
        if let Some(f) = fault {
            c.env("GONGKAI_FAULT", f);
        }
        c.output().unwrap()
    };
    let r = refs(root);
    // The register of an SSH target is kept beside the site folder.
    let register = || {
        std::fs::read_dir(root)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().contains("publication-register-target"))
    };
    assert!(register().is_none());
    let o = run(None, A);
    assert!(o.status.success(), "{}", stderr(&o));
    let live = std::fs::read_link(srv.join("current")).unwrap();
    assert_eq!(complete(&srv.join("current"), &r), 'a');

    // Killed after the upload, before the switch: the server still serves the old release.
    let o = run(Some("before-remote-flip"), B);
    assert!(!o.status.success());
    assert_eq!(std::fs::read_link(srv.join("current")).unwrap(), live);
    assert_eq!(complete(&srv.join("current"), &r), 'a');
    let half: Vec<String> = beside(&srv.join("releases"), ".");
    assert_eq!(half.len(), 1, "the uploaded, unswitched release: {half:?}");

    // Killed right after the switch, before the register's committed entry.
    let o = run(Some("after-remote-flip"), B);
    assert!(!o.status.success());
    assert_ne!(std::fs::read_link(srv.join("current")).unwrap(), live);
    assert_eq!(complete(&srv.join("current"), &r), 'b');

    // The next publish says what happened to each and cleans the half-uploaded release.
    let o = run(None, A);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("在登记完成前中断，但它的新站点已就位"),
        "{}",
        stderr(&o)
    );
    assert_eq!(complete(&srv.join("current"), &r), 'a');
    assert!(beside(&srv.join("releases"), ".").is_empty());
    let reg = register().unwrap();
    assert_eq!(
        events_of(&reg),
        [
            "prepared",
            "committed",
            "prepared",
            "aborted",
            "prepared",
            "recovered",
            "prepared",
            "committed"
        ]
    );
    // The copy on the server is the register.
    assert_eq!(
        std::fs::read(&reg).unwrap(),
        std::fs::read(srv.join("publication-register.jsonl")).unwrap()
    );
}
