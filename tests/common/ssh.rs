//! A real `sshd` (Debian's openssh-server) started by a test on a loopback port with throw-away
//! host and client keys, and an `ssh -F` configuration naming it `target` (issue 15's tests of
//! publishing over SSH).

use super::stderr;
use std::path::Path;
use std::process::{Child, Command};

pub struct Sshd {
    child: Child,
    /// `ssh -F <config>`: host `target` is this server.
    pub ssh: String,
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
pub fn sshd(work: &Path, trust_host: bool) -> Option<Sshd> {
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
    // Privilege separation needs this folder when sshd runs as root. `SetEnv SHLVL=1`: the
    // server's commands run without the test user's ~/.bashrc (which Debian's bash reads for
    // commands run by sshd; on the CI image it starts pyenv, 130 ms per command) — the
    // throw-away server measures gongkai, not the machine's login scripts.
    let _ = std::fs::create_dir_all("/run/sshd");
    std::fs::write(
        d.join("sshd_config"),
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host\nAuthorizedKeysFile {d}/authorized_keys\n\
             PidFile {d}/sshd.pid\nStrictModes no\nUsePAM no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n\
             PermitRootLogin prohibit-password\nLogLevel ERROR\nSetEnv SHLVL=1\n",
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
