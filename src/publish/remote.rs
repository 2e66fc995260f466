//! Publishing to another machine over SSH (`gongkai publish --to user@host:/path`) with the
//! system's `rsync` and `ssh` — no home-made transfer. The site is built here through the full
//! gate, uploaded into a new release folder on the server (unchanged files hard-linked from the
//! live release with `--link-dest`), and `current` is switched there in one command (a new symlink
//! renamed over the old one); older releases beyond `keep` are removed. Host keys are verified
//! the way `ssh` is configured (never `StrictHostKeyChecking=no`; `BatchMode=yes`, so an unknown
//! host fails instead of asking). `GONGKAI_SSH` replaces the `ssh` command (e.g. `ssh -F cfg`).
//! The register stays beside the site folder, one per target, and a copy is uploaded.

use super::write::{self, MARKER};
use super::{BuildRequest, BuildRun, Progress};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// `user@host:/path`.
#[derive(Debug, Clone)]
pub struct Remote {
    /// `user@host` (or `host`).
    pub host: String,
    /// The target folder on the server.
    pub path: String,
}

impl Remote {
    /// Parse `[user@]host:/absolute/path` (a Windows drive such as `C:\…` is not remote).
    pub fn parse(s: &str) -> Option<Remote> {
        let (host, path) = s.split_once(':')?;
        if host.is_empty() || host.len() == 1 || host.contains('/') || host.contains('\\') {
            return None;
        }
        if !path.starts_with('/') {
            return None;
        }
        Some(Remote {
            host: host.to_string(),
            path: path.trim_end_matches('/').to_string(),
        })
    }

    /// A name for local files of this target.
    fn slug(&self) -> String {
        format!("{}{}", self.host, self.path)
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    }
}

/// Quote for a POSIX shell.
fn sh(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// The ssh command (program and arguments).
fn ssh_command() -> Vec<String> {
    let mut v: Vec<String> = std::env::var("GONGKAI_SSH")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.split_whitespace().map(str::to_string).collect())
        .unwrap_or_else(|| vec!["ssh".to_string()]);
    v.extend(["-o".into(), "BatchMode=yes".into()]);
    v
}

/// One step, as printed by `--dry-run` and run otherwise.
#[derive(Debug, Clone)]
pub struct Step(pub Vec<String>);

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|a| {
                if a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=@:".contains(c))
                {
                    a.clone()
                } else {
                    sh(a)
                }
            })
            .collect();
        f.write_str(&parts.join(" "))
    }
}

fn run(step: &Step) -> Result<String, String> {
    let out = Command::new(&step.0[0])
        .args(&step.0[1..])
        .output()
        .map_err(|e| {
            format!(
                "无法运行 {}：{e}（请安装 openssh-client 和 rsync）",
                step.0[0]
            )
        })?;
    if !out.status.success() {
        return Err(format!(
            "{step}\n失败（退出码 {}）：{}",
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn remote_sh(r: &Remote, script: &str) -> Step {
    let mut v = ssh_command();
    v.push(r.host.clone());
    v.push(script.to_string());
    Step(v)
}

/// What a remote publication did.
pub struct RemoteReleased {
    /// The build (none for a dry run).
    pub run: Option<BuildRun>,
    /// The new live release on the server.
    pub release: Option<String>,
    /// The commands run (or, with `dry_run`, to be run).
    pub steps: Vec<String>,
}

/// Build the site at `root` and publish it to `r`, keeping `keep` releases there.
pub fn publish(
    root: &Path,
    r: &Remote,
    as_of: Option<chrono::NaiveDate>,
    keep: usize,
    wait: Duration,
    dry_run: bool,
    progress: &Progress,
) -> Result<RemoteReleased, String> {
    let local = root.join(format!(".gongkai-remote-{}", r.slug()));
    let register = root.join(format!("publication-register-{}.jsonl", r.slug()));
    let stamp = (chrono::Utc::now() + chrono::Duration::hours(8)).format("%Y%m%d-%H%M%S");
    let name = format!("{stamp}-{}", std::process::id());
    let base = &r.path;
    let mut steps = Vec::new();
    let probe = remote_sh(
        r,
        &format!(
            "mkdir -p {rel} && if [ -L {cur} ]; then basename \"$(readlink {cur})\"; sed -n 2p {cur}/.gongkai-output; sed -n '1s/^gongkai output folder //p' {cur}/.gongkai-output; elif [ -e {cur} ]; then echo '!foreign'; fi",
            rel = sh(&format!("{base}/releases")),
            cur = sh(&format!("{base}/current")),
        ),
    );
    let upload_to = format!("{}:{base}/releases/.{name}.part/", r.host);
    let flip = remote_sh(
        r,
        &format!(
            "cd {b} && if [ -d current/assets ]; then mkdir -p releases/.{name}.part/assets && cp -aln current/assets/. releases/.{name}.part/assets/; fi && mv releases/.{name}.part releases/{name} && ln -sfn releases/{name} .current.tmp && mv -T .current.tmp current",
            b = sh(base)
        ),
    );
    let prune = remote_sh(
        r,
        &format!(
            "cd {b}/releases && ls -1 | grep -v '^\\.' | sort | head -n -{keep} | while read d; do [ \"releases/$d\" = \"$(readlink ../current)\" ] || rm -rf -- \"$d\"; done; rm -rf -- .*.part",
            b = sh(base),
            keep = keep.max(1)
        ),
    );
    if dry_run {
        steps.push(probe.to_string());
        steps.push(format!(
            "gongkai build --output {}",
            local.join(&name).display()
        ));
        steps.push(format!(
            "rsync -a --delete --link-dest=../<当前版本> -e '{}' {}/ {upload_to}",
            ssh_command().join(" "),
            local.join(&name).display()
        ));
        steps.push(flip.to_string());
        steps.push(prune.to_string());
        return Ok(RemoteReleased {
            run: None,
            release: None,
            steps,
        });
    }
    let _lock = write::OutputLock::acquire(
        &root.join(format!(".gongkai-remote-{}.lock", r.slug())),
        wait,
    )
    .map_err(|e| e.to_string())?;
    let probed = run(&probe)?;
    let mut lines = probed.lines();
    let live = lines.next().unwrap_or("").trim().to_string();
    let live_digest = lines.next().unwrap_or("").trim().to_string();
    let live_id = lines.next().unwrap_or("").trim().to_string();
    steps.push(probe.to_string());
    if live == "!foreign" {
        return Err(format!(
            "{}:{base}/current 已存在且不是符号链接；为免误删，拒绝替换",
            r.host
        ));
    }
    let _ = std::fs::remove_dir_all(&local);
    let out = local.join(&name);
    // What is live on the server, as far as the register needs it (its marker's digest).
    let live_dir = local.join("live");
    std::fs::create_dir_all(&live_dir).map_err(|e| e.to_string())?;
    if !live_digest.is_empty() {
        std::fs::write(
            live_dir.join(MARKER),
            format!("gongkai output folder {live_id}\n{live_digest}\n"),
        )
        .map_err(|e| e.to_string())?;
    }
    let req = BuildRequest {
        root: root.to_path_buf(),
        output: out.clone(),
        as_of,
        wait,
        register: register.clone(),
        force: true,
        lock: None,
        previous: Some(live_dir),
    };
    let rsync = {
        let mut v = vec![
            "rsync".to_string(),
            "-a".into(),
            "--delete".into(),
            "-e".into(),
            ssh_command().join(" "),
        ];
        if !live.is_empty() {
            v.push(format!("--link-dest=../{live}"));
        }
        v.push(format!("{}/", out.display()));
        v.push(upload_to);
        Step(v)
    };
    let go_live = |_: &str| -> Result<Option<PathBuf>, write::WriteError> {
        let fail =
            |e: String| write::WriteError::Io(PathBuf::from(&r.path), std::io::Error::other(e));
        run(&rsync).map_err(fail)?;
        write::fault("before-remote-flip");
        run(&flip).map_err(fail)?;
        Ok(None)
    };
    let run_result = super::build_with(&req, progress, &go_live);
    steps.push(rsync.to_string());
    steps.push(flip.to_string());
    if run_result.outcome.is_err() {
        let _ = std::fs::remove_dir_all(&local);
        return Ok(RemoteReleased {
            run: Some(run_result),
            release: None,
            steps,
        });
    }
    run(&prune)?;
    steps.push(prune.to_string());
    // A copy of the register beside the releases on the server.
    let copy = Step(vec![
        "rsync".into(),
        "-a".into(),
        "-e".into(),
        ssh_command().join(" "),
        register.display().to_string(),
        format!("{}:{base}/publication-register.jsonl", r.host),
    ]);
    run(&copy)?;
    steps.push(copy.to_string());
    let _ = std::fs::remove_dir_all(&local);
    Ok(RemoteReleased {
        run: Some(run_result),
        release: Some(name),
        steps,
    })
}
