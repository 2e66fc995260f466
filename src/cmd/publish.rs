//! `gongkai publish --to DIR | --zip FILE` and `gongkai rollback --to DIR [RELEASE]`.

use crate::cli::{Common, PublishArgs, RollbackArgs};
use crate::cmd::build::{report, with_progress};
use crate::cmd::{ENV, OK};
use crate::publish::release::{self, Target};
use crate::publish::remote;
use std::time::{Duration, Instant};

/// Publish a new release into `--to DIR` (switching `current`), or write `--zip FILE`.
pub fn run(common: &Common, args: &PublishArgs) -> u8 {
    let start = Instant::now();
    let wait = Duration::from_secs(args.wait);
    with_progress(|progress, console| {
        if let Some(zip) = &args.zip {
            let file = common.root.join(zip);
            return match release::zip(&common.root, &file, args.as_of, wait, progress) {
                Ok((run, n)) => {
                    let ok = run.outcome.is_ok();
                    let code = report(run, console, start);
                    if ok {
                        console.print(&format!(
                            "已打包 {n} 个文件和清单 MANIFEST.gongkai.json：{}\n",
                            file.display()
                        ));
                    }
                    code
                }
                Err(e) => {
                    console.print(&format!("错误：{e}\n"));
                    ENV
                }
            };
        }
        let Some(to) = &args.to else {
            return ENV;
        };
        let keep = usize::try_from(args.keep).unwrap_or(usize::MAX);
        if let Some(r) = remote::Remote::parse(to) {
            return match remote::publish(
                &common.root,
                &r,
                args.as_of,
                keep,
                wait,
                args.dry_run,
                progress,
            ) {
                Ok(done) => {
                    if args.dry_run {
                        console.print("将要运行（--dry-run，未连接服务器）：\n");
                        for s in &done.steps {
                            console.print(&format!("  {s}\n"));
                        }
                        return OK;
                    }
                    let code = done.run.map_or(OK, |run| report(run, console, start));
                    if let Some(name) = done.release {
                        console.print(&format!(
                            "已上传并切换到发布版本 {name}：{}:{}/current\n",
                            r.host, r.path
                        ));
                    }
                    code
                }
                Err(e) => {
                    console.print(&format!("错误：{e}\n"));
                    ENV
                }
            };
        }
        if args.dry_run {
            console.print("错误：--dry-run 只用于远程目标（用户@服务器:/路径）\n");
            return ENV;
        }
        let t = Target {
            dir: common.root.join(to),
        };
        match release::publish(&common.root, &t, args.as_of, keep, wait, progress) {
            Ok(r) => {
                let code = report(r.run, console, start);
                if let Some(name) = r.release {
                    console.print(&format!(
                        "已切换到发布版本 {name}：{} → releases/{name}\n",
                        t.current().display()
                    ));
                }
                if !r.pruned.is_empty() {
                    console.print(&format!(
                        "已删除较早的发布版本（保留最近 {keep} 个）：{}\n",
                        r.pruned.join("、")
                    ));
                }
                code
            }
            Err(e) => {
                console.print(&format!("错误：{e}\n"));
                ENV
            }
        }
    })
}

/// Switch `current` back and record it.
pub fn rollback(common: &Common, args: &RollbackArgs) -> u8 {
    let t = Target {
        dir: common.root.join(&args.to),
    };
    match release::rollback(&t, args.release.as_deref(), Duration::from_secs(args.wait)) {
        Ok((from, to)) => {
            eprintln!(
                "已回退：{} 现在指向 releases/{to}（原为 {}），已登记",
                t.current().display(),
                from.as_deref().unwrap_or("无")
            );
            OK
        }
        Err(e) => {
            eprintln!("错误：{e}");
            ENV
        }
    }
}
