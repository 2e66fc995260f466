//! `gongkai build`: check, apply the publication gate and the privacy check, render, publish
//! atomically, and append to the publication register beside the output.

use crate::cli::{BuildArgs, Common};
use crate::cmd::{CONTENT, ENV, OK};
use crate::publish::{BuildError, BuildRequest, Progress};
use std::io::IsTerminal as _;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Build the site into `--output` (relative to `--root`), showing progress when it takes
/// longer than a second.
pub fn run(common: &Common, args: &BuildArgs) -> u8 {
    with_progress(|progress, console| build(common, args, progress, console))
}

/// Run `f` with the progress display (publish uses it too).
pub(crate) fn with_progress(f: impl FnOnce(&Progress, &Console) -> u8 + Send) -> u8 {
    let progress = Progress::default();
    let console = Console::default();
    let finished = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| show_progress(&progress, &console, &finished));
        let code = f(&progress, &console);
        finished.store(true, Relaxed);
        code
    })
}

/// stderr, shared by the progress line and the build's messages: a message first clears the
/// progress line, so the two never run together.
#[derive(Default)]
pub(crate) struct Console {
    /// A progress line is on screen (terminal only).
    line_shown: Mutex<bool>,
}

impl Console {
    pub(crate) fn print(&self, text: &str) {
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
    let mut req = BuildRequest::new(
        common.root.clone(),
        common.root.join(&args.output),
        args.as_of,
    );
    req.wait = Duration::from_secs(args.wait);
    req.force = args.force;
    if args.full {
        req.cache = crate::publish::BuildCache::Refresh;
    }
    let run = crate::publish::build(&req, progress);
    report(run, console, start)
}

/// Print what a build did (recovery notes, findings, held-back and withdrawn items, the
/// outcome); the exit status.
pub(crate) fn report(run: crate::publish::BuildRun, console: &Console, start: Instant) -> u8 {
    for r in &run.recovered {
        say!(console, "{r}");
    }
    console.print(&run.report.render());
    let held = &run.held;
    if !held.is_empty() {
        let mut by_reason: std::collections::BTreeMap<&str, usize> = Default::default();
        for h in held {
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
        for h in held {
            say!(console, "  {}：{}", h.item, h.reason);
        }
    }
    if run.example_signed > 0 {
        say!(
            console,
            "注意：{} 项内容的三审签署用的是示例审核人的示例密钥（tests/fixtures/example-keys/），正式站点须换成审核人自己的密钥（site.yaml 写 production: true 后示例签署一律无效）。",
            run.example_signed
        );
    }
    let published = match run.outcome {
        Ok(p) => p,
        Err(BuildError::Env(e)) => {
            say!(console, "错误：{e}");
            return ENV;
        }
        Err(BuildError::Content(errors)) => {
            say!(
                console,
                "发现 {errors} 个错误，未生成站点；原有输出保持不变。"
            );
            return CONTENT;
        }
        Err(BuildError::Collisions(clashes)) => {
            say!(
                console,
                "发现 {} 个错误，未生成站点；原有输出保持不变。",
                clashes.len()
            );
            return CONTENT;
        }
        Err(BuildError::Privacy(findings)) => {
            for f in &findings {
                say!(console, "{}", crate::privacy::render(f));
            }
            say!(
                console,
                "发布前检查发现 {} 处疑似个人信息或敏感内容，拒绝发布；原有输出保持不变。",
                findings.len()
            );
            return CONTENT;
        }
        Err(e @ BuildError::Render(_)) => {
            say!(console, "错误：{e}\n原有输出保持不变。");
            return CONTENT;
        }
        Err(e @ (BuildError::Theme(_) | BuildError::Write(_))) => {
            say!(console, "错误：{e}\n原有输出保持不变。");
            return ENV;
        }
    };
    if !run.withdrawing.is_empty() {
        say!(
            console,
            "将撤下已公开内容（{} 项，上次发布时在站点上，这次不再发布）：",
            run.withdrawing.len()
        );
        for w in &run.withdrawing {
            say!(console, "  {}（{}）：{}", w.item, w.path, w.reason);
        }
    }
    if let Some(e) = &published.register_error {
        say!(console, "警告：无法写入发布登记：{e}");
    }
    if std::env::var_os("GONGKAI_TIMINGS").is_some_and(|v| v == "1") {
        for line in published.timings.lines() {
            say!(console, "{line}");
        }
    }
    if let Some(r) = published.reuse {
        say!(
            console,
            "只有进展记录改动：重新生成了受影响的 {} 个文件，其中 {} 个内容有变、已逐个替换，删除 {} 个；其余文件未动（要全部重新生成，加 --full）",
            r.rendered,
            r.replaced,
            r.removed
        );
    }
    let stats = published.stats;
    say!(
        console,
        "已生成 {} 个文件（{} 个页面，{:.1} MB），数据截至 {}，用时 {:.2} 秒：{}",
        stats.files,
        stats.pages,
        // Decimal megabytes (10^6 bytes), as labelled.
        stats.bytes as f64 / 1e6,
        published.as_of.format("%Y-%m-%d"),
        start.elapsed().as_secs_f64(),
        published.output.display()
    );
    OK
}
