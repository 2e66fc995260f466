//! Publishing over SSH (issue 15, item 4): a real `sshd` started by the test on a loopback port
//! with throw-away keys, the system's `ssh` and `rsync`; host keys verified (an unknown host is
//! refused); `--dry-run` connects to nothing; 50 publishes over SSH while a real nginx serves the
//! server's `current`: 0 failed requests, 0 missing assets, the register copy uploaded.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
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
    let refs = common::reference_sites(root, &["2023-12-01", "2023-10-01"]);
    let Some(server) = common::load::Nginx::start(root, &srv.join("current")) else {
        return;
    };
    let fetcher = common::load::Fetcher::start(server.port);
    let result = std::panic::catch_unwind(|| {
        for i in 0..50 {
            let as_of = if i % 2 == 0 {
                "2023-12-01"
            } else {
                "2023-10-01"
            };
            let o = publish(root, &d.ssh, &to, &["--as-of", as_of]);
            assert!(o.status.success(), "publish {i}: {}", stderr(&o));
            // What the server serves is exactly the site built here, nothing kept from before.
            assert!(
                common::site_files(&srv.join("current")) == refs[i % 2],
                "publish {i}: the server's current is not the site as of {as_of}"
            );
        }
    });
    let (requests, failures) = fetcher.stop();
    drop(server);
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
    eprintln!(
        "nginx over ssh: {requests} requests during 50 publishes, {} failed",
        failures.len()
    );
    assert!(requests > 100, "{requests}");
    assert!(
        failures.is_empty(),
        "{:?}",
        &failures[..failures.len().min(5)]
    );
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
