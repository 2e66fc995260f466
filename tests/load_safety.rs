//! Loading only what is safe to load (issue 12 items 4 and 5), on copies of the default site
//! with one case planted each: symlinks out of the site, a FIFO, `/dev/zero`, a file over the
//! size limit, extensions in another letter case, `x.yaml.txt` near misses, control characters
//! (as is, as YAML escapes, as character references, in a file name) and a 50 MB line.
//!
//! Every error case asserts that `check` exits 1 with a located message and nothing raw on the
//! terminal, and that `build` exits 1 leaving the previous output byte for byte as it was. The
//! binary runs under a timeout, so a case that hangs fails instead of blocking the suite.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const PROGRESS: &str = "content/plans/2023/progress";

/// What a run of the binary gave.
type Run = common::Bounded;

/// Run `gongkai <args> --root <root>`, killing it (and failing) after `limit`.
fn gongkai(root: &Path, args: &[&str], limit: Duration) -> Run {
    common::gongkai_bounded(root, args, limit)
}

fn check(root: &Path) -> Run {
    gongkai(root, &["check"], Duration::from_secs(20))
}

fn build(root: &Path, output: &str) -> Run {
    gongkai(
        root,
        &["build", "--output", output],
        Duration::from_secs(60),
    )
}

/// Every file of the built site `output`, by relative path.
fn site_files(root: &Path, output: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    let dir = root.join(output);
    walkdir::WalkDir::new(&dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(&dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// [`site_files`] and the publication register beside the output (which dates each build).
fn snapshot(root: &Path, output: &str) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = site_files(root, output);
    let register = root.join(format!("{output}.publication-register.jsonl"));
    files.insert(
        PathBuf::from("../register"),
        std::fs::read(register).unwrap_or_default(),
    );
    files
}

/// Check the site with the case planted: exit 1, no raw ESC/BEL on the terminal, stderr small;
/// returns stderr.
#[track_caller]
fn check_refuses(root: &Path) -> String {
    let run = check(root);
    let text = run.text();
    assert_eq!(run.code, 1, "check exit status; stderr:\n{text}");
    assert!(
        !run.stderr.iter().any(|b| *b == 0x1b || *b == 0x07),
        "raw control characters on the terminal:\n{text}"
    );
    assert!(
        run.stderr.len() < 10_000,
        "stderr is {} bytes",
        run.stderr.len()
    );
    text
}

/// Build the default site (with `prepare` applied), plant the case, build again: the second
/// build exits 1 and leaves the output and the register exactly as they were.
#[track_caller]
fn build_refuses(prepare: impl Fn(&Path), plant: impl Fn(&Path)) {
    let site = common::default_site();
    let root = site.path();
    prepare(root);
    let first = build(root, "output");
    assert_eq!(first.code, 0, "first build: {}", first.text());
    let before = snapshot(root, "output");
    assert!(before.len() > 100);
    plant(root);
    let second = build(root, "output");
    let text = second.text();
    assert_eq!(second.code, 1, "second build: {text}");
    assert!(text.contains("原有输出保持不变"), "{text}");
    assert!(!second.stderr.contains(&0x1b), "{text}");
    assert!(snapshot(root, "output") == before, "the output changed");
}

fn nothing(_: &Path) {}

/// The default site, built into `output`: (the site, the built files).
fn built_default() -> (tempfile::TempDir, BTreeMap<PathBuf, Vec<u8>>) {
    let site = common::default_site();
    let run = build(site.path(), "output");
    assert_eq!(run.code, 0, "{}", run.text());
    let files = site_files(site.path(), "output");
    (site, files)
}

#[cfg(unix)]
mod unix {
    use super::*;
    use std::os::unix::fs::symlink;

    fn plant_passwd(root: &Path) {
        symlink("/etc/passwd", root.join(PROGRESS).join("evil.yaml")).unwrap();
    }

    #[test]
    fn symlink_out_of_the_site_is_not_followed() {
        let site = common::default_site();
        plant_passwd(site.path());
        let err = check_refuses(site.path());
        assert!(
            err.starts_with(
                "content/plans/2023/progress/evil.yaml:1:1: 错误：符号链接指向站点文件夹之外（/etc/passwd），不会读取\n"
            ),
            "{err}"
        );
        assert!(!err.contains("root:"), "{err}");
        assert!(err.ends_with("发现 1 个错误，0 个警告。\n"), "{err}");
        build_refuses(nothing, plant_passwd);
    }

    #[test]
    fn folder_linked_out_of_the_site_is_not_followed() {
        // A plan folder that is a link to a folder outside: not listed, not read.
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(outside.path().join("tasks")).unwrap();
        std::fs::write(outside.path().join("plan.yaml"), "secret: 1\n").unwrap();
        let site = common::default_site();
        symlink(outside.path(), site.path().join("content/plans/2024")).unwrap();
        let err = check_refuses(site.path());
        assert!(
            err.starts_with("content/plans/2024:1:1: 错误：符号链接指向站点文件夹之外"),
            "{err}"
        );
        assert!(!err.contains("secret"), "{err}");
    }

    #[test]
    fn symlink_inside_the_site_is_read() {
        let (_, original) = built_default();
        let site = common::default_site();
        let root = site.path();
        // The progress file lives elsewhere in the site folder; the link points at it.
        std::fs::create_dir_all(root.join("kept")).unwrap();
        std::fs::rename(
            root.join(PROGRESS).join("bumen.yaml"),
            root.join("kept/bumen.yaml"),
        )
        .unwrap();
        symlink(
            "../../../../kept/bumen.yaml",
            root.join(PROGRESS).join("bumen.yaml"),
        )
        .unwrap();
        let run = check(root);
        assert_eq!(run.code, 0, "{}", run.text());
        assert_eq!(build(root, "output").code, 0);
        assert!(site_files(root, "output") == original);
    }

    fn plant_fifo(root: &Path) {
        let status = Command::new("mkfifo")
            .arg(root.join(PROGRESS).join("pipe.yaml"))
            .status()
            .expect("mkfifo");
        assert!(status.success());
    }

    #[test]
    fn fifo_does_not_hang() {
        let site = common::default_site();
        plant_fifo(site.path());
        let run = check(site.path());
        assert!(run.secs < 10.0, "check took {:.1} s", run.secs);
        let err = check_refuses(site.path());
        assert!(
            err.starts_with(
                "content/plans/2023/progress/pipe.yaml:1:1: 错误：不是普通文件，而是命名管道（FIFO），不会读取\n"
            ),
            "{err}"
        );
        build_refuses(nothing, plant_fifo);
    }

    fn plant_zero(root: &Path) {
        symlink("/dev/zero", root.join(PROGRESS).join("zero.yml")).unwrap();
    }

    #[test]
    fn dev_zero_is_not_read() {
        let site = common::default_site();
        plant_zero(site.path());
        let err = check_refuses(site.path());
        assert!(
            err.starts_with(
                "content/plans/2023/progress/zero.yml:1:1: 错误：符号链接指向站点文件夹之外（/dev/zero），不会读取\n"
            ),
            "{err}"
        );
        build_refuses(nothing, plant_zero);
    }

    fn plant_bad_name(root: &Path) {
        std::fs::copy(
            root.join(PROGRESS).join("bumen.yaml"),
            root.join(PROGRESS).join("x\u{1b}[31m.yaml"),
        )
        .unwrap();
    }

    #[test]
    fn file_name_with_control_characters() {
        let site = common::default_site();
        plant_bad_name(site.path());
        let err = check_refuses(site.path());
        assert!(
            err.starts_with(
                "content/plans/2023/progress/x\\u{1b}[31m.yaml:1:1: 错误：文件名含有控制字符 U+001B（ESC），不会读取\n"
            ),
            "{err}"
        );
        build_refuses(nothing, plant_bad_name);
    }
}

fn limit_1_mb(root: &Path) {
    let site = root.join("content/site.yaml");
    let mut text = std::fs::read_to_string(&site).unwrap();
    text.push_str("max_file_size_mb: 1\n");
    std::fs::write(site, text).unwrap();
}

fn plant_2_mb(root: &Path) {
    let text = format!(
        "format_version: 1\n# {}\nrecords: []\n",
        "填充".repeat(350_000)
    );
    std::fs::write(root.join(PROGRESS).join("big.yaml"), text).unwrap();
}

#[test]
fn file_over_the_configured_limit() {
    let site = common::default_site();
    limit_1_mb(site.path());
    // Under the limit, the site checks clean.
    assert_eq!(check(site.path()).code, 0);
    plant_2_mb(site.path());
    let err = check_refuses(site.path());
    assert_eq!(
        err,
        "content/plans/2023/progress/big.yaml:1:1: 错误：文件过大（2.0 MiB），超过单个文件的上限 1 MiB，不会读取
  = 提示：把内容拆分到多个文件；确需更大的文件，在 content/site.yaml 中调高 max_file_size_mb

发现 1 个错误，0 个警告。
"
    );
    build_refuses(limit_1_mb, plant_2_mb);
}

#[test]
fn zero_limit_is_an_error() {
    let site = common::default_site();
    let path = site.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&path).unwrap() + "max_file_size_mb: 0\n";
    std::fs::write(&path, text).unwrap();
    let err = check_refuses(site.path());
    assert!(
        err.contains("错误：max_file_size_mb 应为不小于 1 的整数（单位 MiB）"),
        "{err}"
    );
}

#[test]
fn extensions_in_another_case_are_read() {
    let (_, original) = built_default();
    let site = common::default_site();
    let root = site.path();
    for (from, to) in [
        ("content/plans/2023/progress/bumen.yaml", "bumen.YAML"),
        ("content/plans/2023/tasks/2.yaml", "2.Yml"),
        ("content/pages/about.md", "about.MD"),
    ] {
        let from = root.join(from);
        std::fs::rename(&from, from.with_file_name(to)).unwrap();
    }
    let run = check(root);
    assert_eq!(run.code, 0, "{}", run.text());
    assert!(run.text().starts_with("检查通过"), "{}", run.text());
    // Every record, task and page is there: the built site is the same, byte for byte.
    let run = build(root, "output");
    assert_eq!(run.code, 0, "{}", run.text());
    let built = site_files(root, "output");
    // The marker carries the register's digest, which names each record's file: it differs.
    let pages = |m: &BTreeMap<PathBuf, Vec<u8>>| {
        m.iter()
            .filter(|(p, _)| !p.ends_with(".gongkai-output"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect::<BTreeMap<_, _>>()
    };
    assert!(pages(&built) == pages(&original), "the built site differs");
    // For instance the record of bumen.YAML is on its task page.
    let page = String::from_utf8_lossy(&built[Path::new("2023/tasks/2-1-2.html")]);
    assert!(page.contains("行政规范性文件清理结果已公布"));
}

fn plant_units_variant(root: &Path) {
    std::fs::rename(
        root.join("content/units.yaml"),
        root.join("content/Units.YAML"),
    )
    .unwrap();
}

#[test]
fn fixed_name_in_another_case_is_an_error() {
    let site = common::default_site();
    plant_units_variant(site.path());
    let err = check_refuses(site.path());
    assert_eq!(
        err,
        "content/Units.YAML:1:1: 错误：文件名应写作“units.yaml”（小写，扩展名 .yaml），否则不会读取
  = 提示：把这个文件改名为 units.yaml

发现 1 个错误，0 个警告。
"
    );
    build_refuses(nothing, plant_units_variant);
}

#[test]
fn near_misses_are_warned_backups_ignored() {
    let site = common::default_site();
    let root = site.path();
    let progress = root.join(PROGRESS);
    std::fs::rename(progress.join("bumen.yaml"), progress.join("bumen.yaml.txt")).unwrap();
    std::fs::copy(
        root.join("content/pages/about.md"),
        root.join("content/pages/help.md.txt"),
    )
    .unwrap();
    std::fs::copy(
        progress.join("shizhengfu.yaml"),
        progress.join("shizhengfu.yaml~"),
    )
    .unwrap();
    std::fs::copy(
        progress.join("shizhengfu.yaml"),
        progress.join("shizhengfu.yaml.bak"),
    )
    .unwrap();
    let run = check(root);
    assert_eq!(
        run.text(),
        "content/pages/help.md.txt:1:1: 警告：文件名“help.md.txt”看起来是内容文件，但扩展名不对，没有读取；应改名为“help.md”
  = 提示：Windows 隐藏已知扩展名时，记事本另存的文件会多出 .txt；在文件夹选项中显示扩展名后再改名

content/plans/2023/progress/bumen.yaml.txt:1:1: 警告：文件名“bumen.yaml.txt”看起来是内容文件，但扩展名不对，没有读取；应改名为“bumen.yaml”
  = 提示：Windows 隐藏已知扩展名时，记事本另存的文件会多出 .txt；在文件夹选项中显示扩展名后再改名

发现 0 个错误，2 个警告。
"
    );
    assert_eq!(run.code, 0);
    let run = gongkai(root, &["check", "--deny-warnings"], Duration::from_secs(20));
    assert_eq!(run.code, 1);
}

/// Put `"…\u001b[2J…"` and `"\x07"` into the summary of a signed record (YAML escapes).
fn plant_escapes(root: &Path) {
    let path = root.join(PROGRESS).join("bumen.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen(
        "summary: （示例）行政规范性文件清理结果已公布，",
        "summary: \"（示例）行政规范性\\u001b[2J文件清理结果已公布\\x07，",
        1,
    );
    let text = text.replacen(
        "现行有效文件可在门户网站统一查询。\n",
        "现行有效文件可在门户网站统一查询。\"\n",
        1,
    );
    std::fs::write(&path, text).unwrap();
}

#[test]
fn control_characters_from_yaml_escapes() {
    let site = common::default_site();
    plant_escapes(site.path());
    let err = check_refuses(site.path());
    assert!(
        err.starts_with(
            "content/plans/2023/progress/bumen.yaml:9:24: 错误：YAML 转义 \\u001b 写出了控制字符 U+001B（ESC）\n 9 |     summary: \"（示例）行政规范性\\u001b[2J文件清理结果已公布\\x07，"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/plans/2023/progress/bumen.yaml:9:42: 错误：YAML 转义 \\x07 写出了控制字符 U+0007（BEL）\n"),
        "{err}"
    );
    assert!(err.ends_with("发现 2 个错误，0 个警告。\n"), "{err}");
    build_refuses(nothing, plant_escapes);
}

/// A raw ESC sequence and a `&#27;` reference in the body of the signed page.
fn plant_raw(root: &Path) {
    let path = root.join("content/pages/about.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        format!("{text}\n终端\u{1b}]0;标题\u{7}转义，引用&#27;。\n"),
    )
    .unwrap();
}

#[test]
fn raw_control_characters_and_references() {
    let site = common::default_site();
    plant_raw(site.path());
    let err = check_refuses(site.path());
    let n = std::fs::read_to_string(site.path().join("content/pages/about.md"))
        .unwrap()
        .lines()
        .count();
    assert!(
        err.starts_with(&format!(
            "content/pages/about.md:{n}:3: 错误：含有控制字符 U+001B（ESC）\n {n} | 终端\\u{{1b}}]0;标题\\u{{7}}转义，引用&#27;。\n"
        )),
        "{err}"
    );
    assert!(err.contains(&format!(
        "content/pages/about.md:{n}:9: 错误：含有控制字符 U+0007（BEL）\n"
    )));
    assert!(err.contains(&format!(
        "content/pages/about.md:{n}:15: 错误：字符引用 &#27; 写出了控制字符 U+001B（ESC）\n"
    )));
    build_refuses(nothing, plant_raw);
}

/// One line of 50 MB holding a YAML escape in the middle.
fn plant_long_line(root: &Path) {
    let half = "长".repeat(25_000_000 / 3);
    let text = format!(
        "{{format_version: 1, records: [{{id: long-1, task: 2-1-2, unit: sifa, date: 2023-08-25, status: done, summary: \"{half}\\u001b{half}\"}}]}}"
    );
    assert!(text.len() > 50_000_000 && !text.contains('\n'));
    std::fs::write(root.join(PROGRESS).join("long.yaml"), text).unwrap();
}

#[test]
fn fifty_megabyte_line_is_quoted_briefly() {
    let site = common::default_site();
    plant_long_line(site.path());
    let err = check_refuses(site.path());
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines[0].starts_with("content/plans/2023/progress/long.yaml:1:")
            && lines[0].ends_with(": 错误：YAML 转义 \\u001b 写出了控制字符 U+001B（ESC）"),
        "{err}"
    );
    // The quoted part is cut around the escape, and the caret is under it.
    let quoted = lines[1].strip_prefix(" 1 | ").unwrap();
    assert!(quoted.starts_with('…') && quoted.ends_with('…'), "{quoted}");
    assert!(quoted.chars().count() < 220, "{quoted}");
    let caret = lines[2].strip_prefix("   | ").unwrap();
    let at = caret.find('^').unwrap();
    let before: String = quoted
        .chars()
        .scan(0, |w, c| {
            let here = *w;
            *w += if c == '…' || c.is_ascii() { 1 } else { 2 };
            Some((here, c))
        })
        .skip_while(|(w, _)| *w < at)
        .map(|(_, c)| c)
        .take(6)
        .collect();
    assert_eq!(before, "\\u001b");
    assert_eq!(caret.trim_start(), "^^^^^^");
    build_refuses(nothing, plant_long_line);
}

#[test]
fn fifty_megabyte_value_in_a_type_error() {
    let site = common::default_site();
    std::fs::write(
        site.path().join(PROGRESS).join("plain.yaml"),
        "a".repeat(50_000_000),
    )
    .unwrap();
    let err = check_refuses(site.path());
    assert!(
        err.starts_with("content/plans/2023/progress/plain.yaml:1:1: 错误：类型不对：这里应为映射（若干“键: 值”行），实际写的是 aaaa"),
        "{err}"
    );
}
