//! `gongkai build`: check, apply the publication gate and the privacy check, render, publish
//! atomically, and append to the publication register beside the output.

use crate::build::Progress;
use crate::cli::{BuildArgs, Common};
use crate::cmd::{CONTENT, ENV, OK};
use crate::review::Verdicts;
use std::io::IsTerminal as _;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Build the site into `--output` (relative to `--root`), showing progress when it takes
/// longer than a second.
pub fn run(common: &Common, args: &BuildArgs) -> u8 {
    let progress = Progress::default();
    let console = Console::default();
    let finished = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| show_progress(&progress, &console, &finished));
        let code = build(common, args, &progress, &console);
        finished.store(true, Relaxed);
        code
    })
}

/// stderr, shared by the progress line and the build's messages: a message first clears the
/// progress line, so the two never run together.
#[derive(Default)]
struct Console {
    /// A progress line is on screen (terminal only).
    line_shown: Mutex<bool>,
}

impl Console {
    fn print(&self, text: &str) {
        let mut shown = self
            .line_shown
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if *shown {
            eprint!("\r\x1b[2K");
            *shown = false;
        }
        eprint!("{text}");
    }

    fn progress(&self, line: &str, tty: bool) {
        let mut shown = self
            .line_shown
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if tty {
            eprint!("\r\x1b[2K{line}");
            *shown = true;
        } else {
            eprintln!("{line}");
        }
    }
}

/// `say!(console, "…", args)`: one line on stderr through the console.
macro_rules! say {
    ($c:expr, $($t:tt)*) => {
        $c.print(&format!("{}\n", format_args!($($t)*)))
    };
}

/// Nothing for the first second; then what the build is doing: rewritten in place on a
/// terminal (and cleared at the end), a line every five seconds otherwise (logs, CI).
fn show_progress(progress: &Progress, console: &Console, finished: &AtomicBool) {
    let start = Instant::now();
    let tty = std::io::stderr().is_terminal();
    let every = Duration::from_millis(if tty { 200 } else { 5000 });
    let mut last: Option<Instant> = None;
    while !finished.load(Relaxed) {
        std::thread::sleep(Duration::from_millis(50));
        if finished.load(Relaxed)
            || start.elapsed() < Duration::from_secs(1)
            || last.is_some_and(|t| t.elapsed() < every)
        {
            continue;
        }
        last = Some(Instant::now());
        let total = progress.pages_total.load(Relaxed);
        let line = if total == 0 {
            "正在读取和检查内容……".to_string()
        } else {
            let done = progress.pages_done.load(Relaxed).min(total);
            format!(
                "正在生成页面：{done} / {total}（{}%）",
                done * 100 / total.max(1)
            )
        };
        console.progress(&line, tty);
    }
    console.print("");
}

fn build(common: &Common, args: &BuildArgs, progress: &Progress, console: &Console) -> u8 {
    let start = Instant::now();
    let checked = match crate::check_site(&common.root, args.as_of) {
        Ok(c) => c,
        Err(e) => {
            say!(console, "错误：{e}");
            return ENV;
        }
    };
    let checked_at = Instant::now();
    console.print(&checked.report.render());
    let errors = checked.report.errors();
    let Some(site) = checked.site.filter(|_| errors == 0) else {
        say!(
            console,
            "发现 {errors} 个错误，未生成站点；原有输出保持不变。"
        );
        return CONTENT;
    };
    let verdicts = checked.verdicts.unwrap_or_else(|| Verdicts::new(&site));
    let blocking: Vec<&crate::privacy::Finding> = checked
        .findings
        .iter()
        .filter(|f| f.allowed.is_none())
        .filter(|f| crate::build::finding_published(&site, &verdicts, &f.diag.path, f.diag.line))
        .collect();
    if !blocking.is_empty() {
        for f in &blocking {
            say!(console, "{}", crate::privacy::render(f));
        }
        say!(
            console,
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
        say!(
            console,
            "未发布 {} 条（{}）：",
            held.len(),
            counts.join("，")
        );
        for h in &held {
            say!(console, "  {}：{}", h.item, h.reason);
        }
    }
    let out = common.root.join(&args.output);
    let gated_at = Instant::now();
    match crate::build::build(&common.root, &public, checked.as_of, &out, progress) {
        Ok(stats) => {
            let built_at = Instant::now();
            if let Err(e) = crate::register::append(&out, &public, checked.as_of) {
                say!(console, "警告：无法写入发布登记：{e}");
            }
            if std::env::var_os("GONGKAI_TIMINGS").is_some_and(|v| v == "1") {
                say!(
                    console,
                    "timings: load+validate+privacy {:.3}s, review gate {:.3}s, build {:.3}s, register {:.3}s",
                    (checked_at - start).as_secs_f64(),
                    (gated_at - checked_at).as_secs_f64(),
                    (built_at - gated_at).as_secs_f64(),
                    built_at.elapsed().as_secs_f64(),
                );
            }
            say!(
                console,
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
            say!(console, "错误：{e}\n原有输出保持不变。");
            CONTENT
        }
        Err(e) => {
            say!(console, "错误：{e}\n原有输出保持不变。");
            ENV
        }
    }
}
