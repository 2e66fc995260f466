//! `gongkai build`: check, compute, render, publish atomically.

use crate::cli::{BuildArgs, Common};
use crate::cmd::{CONTENT, ENV, OK};
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
    eprint!("{}", checked.report.render());
    let Some(site) = checked.site.as_ref().filter(|_| checked.report.errors() == 0) else {
        eprintln!("发现 {} 个错误，未生成站点；原有输出保持不变。", checked.report.errors());
        return CONTENT;
    };
    let out = common.root.join(&args.output);
    match crate::build::build(&common.root, site, checked.as_of, &out) {
        Ok(stats) => {
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
