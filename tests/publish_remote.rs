//! Publishing over SSH (issue 15, item 4): a real `sshd` started by the test on a loopback port
//! with throw-away keys, the system's `ssh` and `rsync`; host keys verified (an unknown host is
//! refused); `--dry-run` connects to nothing; 50 publishes over SSH while a real nginx serves the
//! server's `current`: 0 failed requests, 0 missing assets, the register copy uploaded.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;
use common::ssh::sshd;
use common::{default_site as site, stderr};

fn publish(root: &Path, ssh: &str, to: &str, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["publish", "--to", to])
        .args(extra)
        .arg("--root")
        .arg(root)
        .env("GONGKAI_SSH", ssh)
        .output()
        .unwrap()
}

#[test]
fn an_unknown_host_key_is_refused_and_dry_run_connects_to_nothing() {
    let s = site();
    let root = s.path();
    let srv: PathBuf = root.join("server");
    let Some(d) = sshd(root, false) else { return };
    let to = format!("target:{}", srv.display());
    let o = publish(root, &d.ssh, &to, &["--dry-run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("rsync -a --checksum --delete --link-dest"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("mv -T .current.tmp current"),
        "{}",
        stderr(&o)
    );
    assert!(!srv.exists(), "--dry-run touched the server");
    let o = publish(root, &d.ssh, &to, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Host key verification failed"),
        "{}",
        stderr(&o)
    );
    assert!(!srv.join("current").exists());
}

#[test]
fn fifty_publishes_over_ssh_serve_without_a_failed_request() {
    let s = site();
    let root = s.path();
    let srv: PathBuf = root.join("server");
    let Some(d) = sshd(root, true) else { return };
    let to = format!("target:{}", srv.display());
    let o = publish(root, &d.ssh, &to, &["--as-of", "2023-10-01"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(srv.join("current/index.html").is_file());
    let refs = common::reference_sites(root, &common::load::AS_OF);
    let Some(server) = common::load::Nginx::start(root, &srv.join("current")) else {
        return;
    };
    common::load::fifty_publishes_under_load(
        server.port,
        &srv.join("current"),
        &refs,
        "nginx over ssh",
        |i, as_of| {
            let o = publish(root, &d.ssh, &to, &["--as-of", as_of]);
            assert!(o.status.success(), "publish {i}: {}", stderr(&o));
        },
    );
    drop(server);
    // Five releases kept on the server, nothing half-uploaded left, the register copied there
    // and identical to the one beside the site folder.
    let rel: Vec<String> = std::fs::read_dir(srv.join("releases"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(rel.len(), 5, "{rel:?}");
    let local: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("publication-register-target"))
        .collect();
    assert_eq!(local.len(), 1, "{local:?}");
    let here = std::fs::read_to_string(&local[0]).unwrap();
    let there = std::fs::read_to_string(srv.join("publication-register.jsonl")).unwrap();
    assert_eq!(here, there);
    let committed = here
        .lines()
        .filter(|l| l.contains("\"event\":\"committed\""))
        .count();
    assert_eq!(committed, 51);
    let marker = std::fs::read_to_string(srv.join("current/.gongkai-output")).unwrap();
    let last: serde_json::Value = serde_json::from_str(
        here.lines()
            .rev()
            .find(|l| l.contains("\"event\":\"committed\""))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(marker.lines().nth(1), last["digest"].as_str());
}
