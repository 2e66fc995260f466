//! `gongkai review [--json] [--output DIR]`: what waits for 初审, 复审 and 终审, what an edit
//! voided, what is signed but not 主动公开, and what is on the site now but will be taken off at
//! the next build.

use crate::cli::{Common, RegisterArgs, ReviewArgs};
use crate::cmd::{CONTENT, ENV, OK};
use crate::review::{Queue, QueueItem};

/// List the queue.
pub fn run(common: &Common, args: &ReviewArgs) -> u8 {
    let checked = match crate::check_site(&common.root, None) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("错误：{e}");
            return ENV;
        }
    };
    let (Some(site), Some(verdicts)) = (checked.site.as_ref(), checked.verdicts.as_ref()) else {
        eprint!("{}", checked.report.render());
        eprintln!("内容有错误，请先用 gongkai check 修正");
        return CONTENT;
    };
    let output = common.root.join(&args.output);
    let published = match crate::publish::register::last_published(
        &crate::publish::register::path_for(&output),
    ) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("错误：无法读取发布登记：{e}");
            return ENV;
        }
    };
    let q = crate::review::queue(site, verdicts, published.as_deref());
    if args.json {
        println!("{}", serde_json::to_string_pretty(&q).unwrap_or_default());
    } else {
        print!("{}", table(&q));
    }
    OK
}

/// The queue as text: one heading per list (with its count), one line per item.
pub fn table(q: &Queue) -> String {
    let mut out = String::new();
    let lists: [(&str, &[QueueItem]); 6] = [
        ("待初审", &q.first),
        ("待复审", &q.second),
        ("待终审", &q.final_),
        ("签发后内容有改动，须重新审核", &q.voided),
        ("已终审，但不是主动公开（不会发布）", &q.not_proactive),
        ("下次生成站点时将撤下（现已公开）", &q.to_withdraw),
    ];
    for (title, items) in lists {
        out.push_str(&format!("{title}（{} 项）\n", items.len()));
        for i in items {
            out.push_str(&format!("  {}  {}", i.item, i.what));
            if !i.reason.is_empty() && !title.starts_with(i.reason.as_str()) {
                out.push_str(&format!("  〔{}〕", i.reason));
            }
            out.push('\n');
        }
    }
    out
}

/// `gongkai register [--csv [FILE]]`: the last publication in short, or the whole register as
/// CSV for Excel.
pub fn register(common: &Common, args: &RegisterArgs) -> u8 {
    let output = common.root.join(&args.output);
    let reg = crate::publish::register::path_for(&output);
    if !reg.exists() {
        eprintln!(
            "{} 还没有发布登记（用 gongkai build 发布后才有）",
            output.display()
        );
        return ENV;
    }
    if let Some(file) = &args.csv {
        let to = common.root.join(file);
        match crate::publish::register::csv(&reg)
            .and_then(|bytes| crate::review::act::write_atomic(&to, &bytes))
        {
            Ok(()) => {
                eprintln!("已导出发布登记：{}", to.display());
                OK
            }
            Err(e) => {
                eprintln!("错误：无法导出发布登记到 {}：{e}", to.display());
                ENV
            }
        }
    } else {
        match crate::publish::register::summary(&reg) {
            Ok(text) => {
                print!("{text}");
                OK
            }
            Err(e) => {
                eprintln!("错误：无法读取发布登记 {}：{e}", reg.display());
                ENV
            }
        }
    }
}
