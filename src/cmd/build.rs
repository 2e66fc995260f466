//! `gongkai build`: check, apply the publication gate and the privacy check, render, publish
//! atomically, and append to the publication register beside the output.

use crate::cli::{BuildArgs, Common};
use crate::cmd::{CONTENT, ENV, OK};
use crate::review::Verdicts;
use std::time::Instant;

/// Build the site into `--output` (relative to `--root`).
pub fn run(common: &Common, args: &BuildArgs) -> u8 {
    let start = Instant::now();
    let checked = match crate::check_site(&common.root, args.as_of) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("错误：{e}");
            return ENV;
        }
    };
    let checked_at = Instant::now();
    eprint!("{}", checked.report.render());
    let errors = checked.report.errors();
    let Some(site) = checked.site.filter(|_| errors == 0) else {
        eprintln!("发现 {errors} 个错误，未生成站点；原有输出保持不变。");
        return CONTENT;
    };
    let verdicts = Verdicts::new(&site);
    let blocking: Vec<&crate::privacy::Finding> = checked
        .findings
        .iter()
        .filter(|f| f.allowed.is_none())
        .filter(|f| crate::build::finding_published(&site, &verdicts, &f.diag.path, f.diag.line))
        .collect();
    if !blocking.is_empty() {
        for f in &blocking {
            eprintln!("{}", crate::privacy::render(f));
        }
        eprintln!(
            "发布前检查发现 {} 处疑似个人信息或敏感内容，拒绝发布；原有输出保持不变。",
            blocking.len()
        );
        return CONTENT;
    }
    let (public, held) = crate::build::gate(site, &verdicts);
    if !held.is_empty() {
        let mut by_reason: std::collections::BTreeMap<&str, usize> = Default::default();
        for h in &held {
            *by_reason.entry(h.reason.as_str()).or_default() += 1;
        }
        let counts: Vec<String> = by_reason
            .iter()
            .map(|(r, n)| format!("{r} {n} 条"))
            .collect();
        eprintln!("未发布 {} 条（{}）：", held.len(), counts.join("，"));
        for h in &held {
            eprintln!("  {}：{}", h.item, h.reason);
        }
    }
    let out = common.root.join(&args.output);
    let gated_at = Instant::now();
    match crate::build::build(&common.root, &public, checked.as_of, &out) {
        Ok(stats) => {
            let built_at = Instant::now();
            if let Err(e) = crate::register::append(&out, &public, checked.as_of) {
                eprintln!("警告：无法写入发布登记：{e}");
            }
            if std::env::var_os("GONGKAI_TIMINGS").is_some_and(|v| v == "1") {
                eprintln!(
                    "timings: load+validate+privacy {:.3}s, review gate {:.3}s, build {:.3}s, register {:.3}s",
                    (checked_at - start).as_secs_f64(),
                    (gated_at - checked_at).as_secs_f64(),
                    (built_at - gated_at).as_secs_f64(),
                    built_at.elapsed().as_secs_f64(),
                );
            }
            eprintln!(
                "已生成 {} 个文件（{} 个页面，{:.1} MB），数据截至 {}，用时 {:.2} 秒：{}",
                stats.files,
                stats.pages,
                stats.bytes as f64 / 1_048_576.0,
                checked.as_of.format("%Y-%m-%d"),
                start.elapsed().as_secs_f64(),
                out.display()
            );
            OK
        }
        Err(crate::build::BuildError::Render(e)) => {
            eprintln!("错误：{e}\n原有输出保持不变。");
            CONTENT
        }
        Err(e) => {
            eprintln!("错误：{e}\n原有输出保持不变。");
            ENV
        }
    }
}
