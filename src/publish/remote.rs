//! Publishing to another machine over SSH (`gongkai publish --to user@host:/path`) with the
//! system's `rsync` and `ssh` — no home-made transfer. The site is built here through the full
//! gate, uploaded into a new release folder on the server (unchanged files hard-linked from the
//! live release with `--link-dest`, compared by content), and `current` is switched there in one
//! command (a new symlink renamed over the old one); older releases beyond `keep` are removed. Host keys are verified
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

/// One step, as printed by `--dry-run` and run otherwise: the program and its arguments, and
/// the file given as its standard input, if any.
#[derive(Debug, Clone)]
pub struct Step(pub Vec<String>, pub Option<PathBuf>);

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
        f.write_str(&parts.join(" "))?;
        match &self.1 {
            Some(input) => write!(f, " < {}", sh(&input.display().to_string())),
            None => Ok(()),
        }
    }
}

fn run(step: &Step) -> Result<String, String> {
    let cannot = |e: std::io::Error| {
        format!(
            "无法运行 {}：{e}（请安装 openssh-client 和 rsync）",
            step.0[0]
        )
    };
    let stdin = match &step.1 {
        Some(p) => std::process::Stdio::from(
            std::fs::File::open(p).map_err(|e| format!("无法读取 {}：{e}", p.display()))?,
        ),
        None => std::process::Stdio::null(),
    };
    let out = Command::new(&step.0[0])
        .args(&step.0[1..])
        .stdin(stdin)
        .output()
        .map_err(cannot)?;
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
    Step(v, None)
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
    // Uploaded under a hidden name; named by time (to the millisecond) and by the digest of
    // what it publishes when `current` is switched to it, like a local release.
    let stamp = (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%Y%m%d-%H%M%S-%3f")
        .to_string();
    let part = format!(".{stamp}-{}.part", std::process::id());
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
    let upload_to = format!("{}:{base}/releases/{part}/", r.host);
    // One command: the live release's hashed assets carried into the new one, the new one
    // renamed to its final name, `current` switched by renaming a new symlink over it.
    let flip = |name: &str| {
        remote_sh(
            r,
            &format!(
                "cd {b} && if [ -d current/assets ]; then mkdir -p releases/{part}/assets && cp -aln current/assets/. releases/{part}/assets/; fi && mv releases/{part} releases/{name} && ln -sfn releases/{name} .current.tmp && mv -T .current.tmp current",
                b = sh(base)
            ),
        )
    };
    // After the register's committed entry, one more command: releases beyond `keep` removed
    // (never the live one; renamed first, then deleted), half-uploaded ones of killed
    // publishes removed, and the register copied in from standard input.
    let finish = {
        let mut s = remote_sh(
            r,
            &format!(
                "cd {b}/releases && ls -1 | grep -v '^\\.' | sort | head -n -{keep} | while read d; do [ \"releases/$d\" = \"$(readlink ../current)\" ] || {{ mv -- \"$d\" \".$d.old\" && rm -rf -- \".$d.old\"; }}; done; rm -rf -- .*.part .*.old; cat > ../.publication-register.tmp && mv -f ../.publication-register.tmp ../publication-register.jsonl",
                b = sh(base),
                keep = keep.max(1)
            ),
        );
        s.1 = Some(register.clone());
        s
    };
    if dry_run {
        steps.push(probe.to_string());
        steps.push(format!(
            "gongkai build --output {}",
            local.join("site").display()
        ));
        steps.push(format!(
            "rsync -a --checksum --delete --link-dest=../<当前版本> -e '{}' {}/ {upload_to}",
            ssh_command().join(" "),
            local.join("site").display()
        ));
        steps.push(flip("<时间>-<摘要>").to_string());
        steps.push(finish.to_string());
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
    let out = local.join("site");
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
        cache: super::BuildCache::Off,
    };
    let rsync = {
        let mut v = vec![
            "rsync".to_string(),
            "-a".into(),
            // Compared by content: a page whose size is unchanged, written in the same second as
            // the live one (an as-of date changed in it), differs but passes rsync's size and
            // time check — it would be hard-linked from the live release, mixing the two.
            "--checksum".into(),
            "--delete".into(),
            "-e".into(),
            ssh_command().join(" "),
        ];
        if !live.is_empty() {
            v.push(format!("--link-dest=../{live}"));
        }
        v.push(format!("{}/", out.display()));
        v.push(upload_to);
        Step(v, None)
    };
    let named = std::sync::Mutex::new(None);
    let go_live = |digest: &str| -> Result<Option<PathBuf>, write::WriteError> {
        let fail =
            |e: String| write::WriteError::Io(PathBuf::from(&r.path), std::io::Error::other(e));
        run(&rsync).map_err(fail)?;
        write::fault("before-remote-flip");
        let hex = digest.strip_prefix("sha256:").unwrap_or(digest);
        let name = format!("{stamp}-{}", &hex[..hex.len().min(12)]);
        let step = flip(&name);
        run(&step).map_err(fail)?;
        write::fault("after-remote-flip");
        *named.lock().unwrap_or_else(|e| e.into_inner()) = Some((name, step));
        Ok(None)
    };
    let run_result = super::build_with(&req, progress, &go_live);
    steps.push(rsync.to_string());
    let named = named.into_inner().unwrap_or_else(|e| e.into_inner());
    if let Some((_, flipped)) = &named {
        steps.push(flipped.to_string());
    }
    let Some((name, _)) = named.filter(|_| run_result.outcome.is_ok()) else {
        let _ = std::fs::remove_dir_all(&local);
        return Ok(RemoteReleased {
            run: Some(run_result),
            release: None,
            steps,
        });
    };
    run(&finish)?;
    steps.push(finish.to_string());
    let _ = std::fs::remove_dir_all(&local);
    Ok(RemoteReleased {
        run: Some(run_result),
        release: Some(name),
        steps,
    })
}
