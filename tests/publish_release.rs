//! Publishing to a web server folder (issue 15, items 3, 5, 6 in part): releases with a `current`
//! symlink switched in one step, previous assets carried over, pruning, rollback recorded in the
//! register, kills at random moments never leaving `current` on an incomplete release, a real
//! nginx serving `current` through 50 publishes with 0 failed requests and 0 missing assets, and
//! the hand-over zip whose manifest verifies.

use std::path::Path;
use std::process::Command;

use crate::common;
use common::{default_site as site, stderr};

fn gk(root: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

fn releases(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir.join("releases"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn current(dir: &Path) -> String {
    std::fs::read_link(dir.join("current"))
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

fn events(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("publication-register.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn releases_switch_carry_assets_prune_and_roll_back() {
    let s = site();
    let root = s.path();
    let dir = root.join("srv");
    let o = gk(root, &["publish", "--to", "srv", "--as-of", "2023-10-01"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = current(&dir);
    assert!(dir.join("current").is_symlink());
    assert!(dir.join("current/index.html").is_file());
    // An asset only the live release has (a page loaded before the switch may still ask for it).
    std::fs::write(dir.join("current/assets/old-style.0123abcd.css"), "body{}").unwrap();
    let o = gk(
        root,
        &[
            "publish",
            "--to",
            "srv",
            "--as-of",
            "2023-12-01",
            "--keep",
            "2",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let second = current(&dir);
    assert_ne!(first, second);
    assert!(
        dir.join("current/assets/old-style.0123abcd.css").is_file(),
        "the previous release's assets were not carried over"
    );
    let o = gk(
        root,
        &[
            "publish",
            "--to",
            "srv",
            "--as-of",
            "2023-11-01",
            "--keep",
            "2",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("已删除较早的发布版本"),
        "{}",
        stderr(&o)
    );
    let third = current(&dir);
    assert_eq!(releases(&dir), [second.clone(), third.clone()]);
    // Roll back to the one before, then to a named one that no longer exists.
    let o = gk(root, &["rollback", "--to", "srv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(current(&dir), second);
    let o = gk(root, &["rollback", "--to", "srv", &first]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("没有完整的发布版本"), "{}", stderr(&o));
    assert_eq!(current(&dir), second);
    let ev = events(&dir);
    let last = ev.last().unwrap();
    assert_eq!(last["event"], "rollback");
    assert_eq!(last["to"], second.as_str());
    assert_eq!(last["from"], third.as_str());
    let live_marker = std::fs::read_to_string(dir.join("current/.gongkai-output")).unwrap();
    assert_eq!(live_marker.lines().nth(1), last["digest"].as_str());
    assert!(last["published"].as_array().is_some_and(|l| !l.is_empty()));
    // Every publication is prepared before and committed after the switch.
    let kinds: Vec<&str> = ev.iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "prepared",
            "committed",
            "prepared",
            "committed",
            "prepared",
            "committed",
            "rollback"
        ]
    );
    // A `current` that is a real folder is not replaced.
    let other = root.join("srv2");
    std::fs::create_dir_all(other.join("current")).unwrap();
    std::fs::write(other.join("current/index.html"), "mine").unwrap();
    let o = gk(root, &["publish", "--to", "srv2"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(other.join("current/index.html")).unwrap(),
        "mine"
    );
}

#[test]
fn killed_at_random_moments_current_is_always_a_complete_release() {
    let s = site();
    let root = s.path();
    let dir = root.join("srv");
    assert!(
        gk(root, &["publish", "--to", "srv", "--as-of", "2023-10-01"])
            .status
            .success()
    );
    let refs = common::reference_sites(root, &common::load::AS_OF);
    let mut seed: u64 = 0x1234_5678_9abc_def1;
    for i in 0..20 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let as_of = if i % 2 == 0 {
            "2023-12-01"
        } else {
            "2023-10-01"
        };
        let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["publish", "--to", "srv", "--as-of", as_of, "--root"])
            .arg(root)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(seed % 500));
        let _ = c.kill();
        let _ = c.wait();
        let live = dir.join("current");
        assert!(
            refs.contains(&common::site_files(&live)),
            "kill {i} after {} ms: current is not a complete release",
            seed % 500
        );
        let o = gk(root, &["publish", "--to", "srv", "--as-of", as_of]);
        assert!(o.status.success(), "{}", stderr(&o));
        // The register's last committed publication is what is live.
        let ev = events(&dir);
        let last = ev.iter().rev().find(|e| e["event"] == "committed").unwrap();
        let marker = std::fs::read_to_string(live.join(".gongkai-output")).unwrap();
        assert_eq!(
            marker.lines().nth(1),
            last["digest"].as_str(),
            "kill {i} after {} ms: {}",
            seed % 500,
            stderr(&o)
        );
    }
    // Killed builds' half-made releases are cleaned up by the next publish (kept: 5).
    assert_eq!(releases(&dir).len(), 5, "{:?}", releases(&dir));
}

#[test]
fn the_zip_for_a_cms_carries_a_manifest_that_verifies() {
    use sha2::{Digest, Sha256};
    use std::io::Read as _;
    let s = site();
    let root = s.path();
    let o = gk(root, &["publish", "--zip", "site.zip"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut z = zip::ZipArchive::new(std::fs::File::open(root.join("site.zip")).unwrap()).unwrap();
    let mut manifest = String::new();
    z.by_name("MANIFEST.gongkai.json")
        .unwrap()
        .read_to_string(&mut manifest)
        .unwrap();
    let m: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let files = m["files"].as_array().unwrap();
    assert_eq!(files.len() + 1, z.len());
    for f in files {
        let mut bytes = Vec::new();
        z.by_name(f["path"].as_str().unwrap())
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        assert_eq!(bytes.len() as u64, f["size"].as_u64().unwrap());
        let hex: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex, f["sha256"].as_str().unwrap(), "{}", f["path"]);
    }
    assert!(files.iter().any(|f| f["path"] == "index.html"));
    let reg = std::fs::read_to_string(root.join("site.zip.publication-register.jsonl")).unwrap();
    let last: serde_json::Value = serde_json::from_str(reg.lines().last().unwrap()).unwrap();
    assert_eq!(last["event"], "committed");
    assert_eq!(last["digest"], m["register_digest"]);
    // Nothing left beside the zip but the zip, its register and its lock.
    let mut beside: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("site.zip"))
        .collect();
    beside.sort();
    assert_eq!(
        beside,
        [
            ".site.zip.lock",
            "site.zip",
            "site.zip.privacy-scan-digest",
            "site.zip.publication-register.jsonl"
        ]
        .into_iter()
        .filter(|n| root.join(n).exists())
        .map(String::from)
        .collect::<Vec<_>>()
    );
}

#[test]
fn nginx_serves_every_publish_without_a_failed_request() {
    let s = site();
    let root = s.path();
    let dir = root.join("srv");
    assert!(
        gk(root, &["publish", "--to", "srv", "--as-of", "2023-10-01"])
            .status
            .success()
    );
    let refs = common::reference_sites(root, &common::load::AS_OF);
    let Some(server) = common::load::Nginx::start(root, &dir.join("current")) else {
        return;
    };
    common::load::fifty_publishes_under_load(
        server.port,
        &dir.join("current"),
        &refs,
        "nginx",
        |i, as_of| {
            let o = gk(root, &["publish", "--to", "srv", "--as-of", as_of]);
            assert!(o.status.success(), "publish {i}: {}", stderr(&o));
        },
    );
    drop(server);
    assert_eq!(releases(&dir).len(), 5);
}
