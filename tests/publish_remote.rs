//! Publishing over SSH (issue 15, item 4): a real `sshd` started by the test on a loopback port
//! with throw-away keys, the system's `ssh` and `rsync`; host keys verified (an unknown host is
//! refused); `--dry-run` connects to nothing; 50 publishes over SSH while a real nginx serves the
//! server's `current`: 0 failed requests, 0 missing assets, the register copy uploaded.

use std::path::{Path, PathBuf};
use std::process::{Child, Command};

mod common;
use common::{default_site as site, stderr};

struct Sshd {
    child: Child,
    /// `ssh -F <config>`: host `target` is this server.
    ssh: String,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn keygen(path: &Path) {
    let o = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(path)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Start sshd on 127.0.0.1 with fresh host and client keys; `None` (skip) outside CI when
/// sshd, ssh or rsync is missing.
fn sshd(work: &Path, trust_host: bool) -> Option<Sshd> {
    let have = [
        "/usr/sbin/sshd",
        "/usr/bin/ssh",
        "/usr/bin/rsync",
        "/usr/bin/ssh-keygen",
    ]
    .iter()
    .all(|p| Path::new(p).exists());
    if !have {
        assert!(
            std::env::var("CI").is_err(),
            "openssh-server, openssh-client and rsync are required in CI"
        );
        eprintln!("sshd/ssh/rsync not installed: skipping");
        return None;
    }
    let d = work.join("ssh");
    std::fs::create_dir_all(&d).unwrap();
    keygen(&d.join("host"));
    keygen(&d.join("id"));
    std::fs::copy(d.join("id.pub"), d.join("authorized_keys")).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // Privilege separation needs this folder when sshd runs as root.
    let _ = std::fs::create_dir_all("/run/sshd");
    std::fs::write(
        d.join("sshd_config"),
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host\nAuthorizedKeysFile {d}/authorized_keys\n\
             PidFile {d}/sshd.pid\nStrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n\
             PermitRootLogin prohibit-password\nLogLevel ERROR\n",
            d = d.display()
        ),
    )
    .unwrap();
    let host_pub = std::fs::read_to_string(d.join("host.pub")).unwrap();
    let known = if trust_host {
        format!("[127.0.0.1]:{port} {host_pub}")
    } else {
        String::new()
    };
    std::fs::write(d.join("known_hosts"), known).unwrap();
    let user = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout)
        .unwrap()
        .trim()
        .to_string();
    std::fs::write(
        d.join("config"),
        format!(
            "Host target\n  HostName 127.0.0.1\n  Port {port}\n  User {user}\n  IdentityFile {d}/id\n  IdentitiesOnly yes\n  UserKnownHostsFile {d}/known_hosts\n  StrictHostKeyChecking yes\n  ControlMaster auto\n  ControlPath {d}/cm-%C\n  ControlPersist 60\n",
            d = d.display()
        ),
    )
    .unwrap();
    let child = Command::new("/usr/sbin/sshd")
        .args(["-D", "-e", "-f"])
        .arg(d.join("sshd_config"))
        .spawn()
        .expect("start sshd");
    // Dropped (killed and waited for) whatever happens next.
    let server = Sshd {
        child,
        ssh: format!("ssh -F {}", d.join("config").display()),
    };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(server);
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("sshd did not start");
}

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
        stderr(&o).contains("rsync -a --delete --link-dest"),
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
