//! `gongkai import`: read a table, write a new site's `content/`, prove it passes `check`.
//! The command reports to the terminal (notes and findings to stderr, `--dry-run` files to
//! stdout); the library part in `crate::import` never prints.

#![allow(clippy::print_stderr, clippy::print_stdout)]

use crate::cli::{Common, ImportArgs};
use crate::cmd::{CONTENT, ENV, OK};
use crate::import::{self, Format, Options};
use std::path::{Path, PathBuf};

/// Whether `dir` exists and has any entry.
fn non_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some())
}

/// Write `files` under `root`; with `announce`, say which existing files are replaced.
fn write_files(root: &Path, files: &[(String, String)], announce: bool) -> Result<(), String> {
    for (rel, text) in files {
        let path = root.join(rel);
        if announce && path.exists() {
            eprintln!("覆盖：{}", path.display());
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("无法创建文件夹 {}：{e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
    }
    Ok(())
}

/// Load and validate the written site; print findings. Returns (errors, warnings).
fn check(root: &Path) -> Result<(usize, usize), String> {
    let checked = crate::check_site(root, None).map_err(|e| e.to_string())?;
    let report = &checked.report;
    eprint!("{}", report.render());
    Ok((report.errors(), report.warnings()))
}

/// A fresh folder under the system temp folder, for checking a dry run.
fn scratch_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    std::env::temp_dir().join(format!("gongkai-import-{}-{nanos}", std::process::id()))
}

/// Run the import.
pub fn run(common: &Common, args: &ImportArgs) -> u8 {
    let root = &common.root;
    let Some(format) = Format::from_path(&args.file) else {
        eprintln!(
            "错误：不支持的文件类型 {}；可导入 .docx、.xlsx 和 .csv（旧的 .doc、.xls 请先另存为新格式）",
            args.file.display()
        );
        return ENV;
    };
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("错误：无法读取 {}：{e}", args.file.display());
            return ENV;
        }
    };
    if root.exists() && !root.is_dir() {
        eprintln!("错误：--root {} 不是文件夹", root.display());
        return ENV;
    }
    if !args.dry_run && non_empty(root) && !args.force {
        eprintln!(
            "错误：{} 不是空文件夹。import 只写入新的站点文件夹：请用 --root 指定一个新的（或空的）文件夹；确要写入这里并覆盖同名文件，加 --force",
            root.display()
        );
        return ENV;
    }
    let units_path = root.join("content/units.yaml");
    let units_yaml = if units_path.is_file() {
        match std::fs::read_to_string(&units_path) {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("错误：无法读取 {}：{e}", units_path.display());
                return ENV;
            }
        }
    } else {
        None
    };
    let doc = match import::read(&bytes, format, args.sheet.as_deref()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("错误：{}：{e}", args.file.display());
            return CONTENT;
        }
    };
    let source_name = args.file.to_string_lossy();
    let opts = Options {
        source_name: &source_name,
        maps: &args.map,
        year: args.year,
        units_yaml: units_yaml.as_deref(),
    };
    let imported = match import::import(&doc, &opts) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("错误：{}：{e}", args.file.display());
            return CONTENT;
        }
    };
    let summary = format!(
        "{}（{} 年）：{} 个工作任务大类，{} 项任务，{} 个单位和单位组（其中新增 {} 个），{} 处需要核对",
        imported.title,
        imported.year,
        imported.categories,
        imported.tasks,
        imported.units_used,
        imported.units_new,
        imported.notes.len()
    );
    // The summary and the notes first; a dry run prints the files only with --verbose.
    if args.dry_run {
        eprintln!("试运行：{summary}");
    }
    for n in &imported.notes {
        eprintln!("注意：{n}");
    }
    if args.dry_run {
        if args.verbose {
            for (rel, text) in &imported.files {
                println!("# ---- {} ----", root.join(rel).display());
                print!("{text}");
            }
        } else {
            eprintln!(
                "将写入 {} 个文件（加 --verbose 显示全部内容）：",
                imported.files.len()
            );
            for (rel, _) in &imported.files {
                eprintln!("  {}", root.join(rel).display());
            }
        }
        // Prove the result would pass check, in a scratch folder.
        let scratch = scratch_dir();
        let result = write_files(&scratch, &imported.files, false).and_then(|()| check(&scratch));
        let _ = std::fs::remove_dir_all(&scratch);
        return match result {
            Ok((0, _)) => {
                eprintln!("试运行，未写入任何文件；导入结果能通过 gongkai check。");
                OK
            }
            Ok((errors, _)) => {
                eprintln!("试运行：导入结果有 {errors} 个错误，不能通过 gongkai check（见上）。");
                CONTENT
            }
            Err(e) => {
                eprintln!("错误：{e}");
                ENV
            }
        };
    }
    if let Err(e) = write_files(root, &imported.files, args.force) {
        eprintln!("错误：{e}");
        return ENV;
    }
    // With --force, task files of an earlier import may remain beside the new ones.
    let tasks_dir = root.join(format!("content/plans/{}/tasks", imported.year));
    if let Ok(entries) = std::fs::read_dir(&tasks_dir) {
        let mut stale: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                let rel = p
                    .strip_prefix(root)
                    .map(|r| r.to_string_lossy().replace('\\', "/"));
                rel.is_ok_and(|r| !imported.files.iter().any(|(f, _)| *f == r))
            })
            .collect();
        stale.sort();
        for p in stale {
            eprintln!(
                "注意：{} 不是这次导入写的，仍会被读取；如已过时请删除",
                p.display()
            );
        }
    }
    match check(root) {
        Ok((0, _)) => {
            eprintln!("已导入到 {}：{summary}", root.join("content").display());
            eprintln!(
                "下一步：核对上面列出的问题和 content/units.yaml 中的新增单位，改掉标注“示例”的占位值，然后运行 gongkai check。"
            );
            OK
        }
        Ok((errors, _)) => {
            eprintln!("已写入，但导入结果有 {errors} 个错误，不能通过 gongkai check（见上）。");
            CONTENT
        }
        Err(e) => {
            eprintln!("错误：{e}");
            ENV
        }
    }
}
