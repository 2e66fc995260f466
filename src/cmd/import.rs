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

/// How the import writes into `--root`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A new or empty folder: a whole new site.
    New,
    /// `--force` into a folder with files: the plan's files overwritten one by one, an existing
    /// `site.yaml` kept, new units appended to an existing `units.yaml`.
    Force,
    /// `--add-plan`: one more plan folder in an existing site (with `--force`, replacing the
    /// folder of the same year, which is moved to `import-backup/`).
    AddPlan,
}

/// What a run puts in place, decided before anything is written.
struct Commit<'a> {
    /// Files (path relative to the root, text) put in place one by one.
    files: Vec<&'a (String, String)>,
    /// The plan folder (relative to the root) put in place whole, with its files.
    plan_dir: Option<(String, Vec<&'a (String, String)>)>,
    /// Where an existing plan folder of the same year is moved first.
    backup: Option<String>,
}

/// Write everything into a staging folder beside the content, then move it into place: an
/// error while writing (disk full, a file open in another program) leaves the site as it was.
/// With `announce`, say which existing files are replaced.
fn commit(root: &Path, c: &Commit<'_>, announce: bool) -> Result<(), String> {
    std::fs::create_dir_all(root).map_err(|e| format!("无法创建文件夹 {}：{e}", root.display()))?;
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let staging = root.join(format!(".gongkai-import-{}-{nanos}", std::process::id()));
    let all = c
        .files
        .iter()
        .copied()
        .chain(c.plan_dir.iter().flat_map(|(_, f)| f.iter().copied()));
    let staged = (|| {
        for (rel, text) in all {
            let path = staging.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("无法创建文件夹 {}：{e}", parent.display()))?;
            }
            std::fs::write(&path, text).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
        }
        Ok::<(), String>(())
    })();
    if let Err(e) = staged {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(format!("{e}（站点文件未改动）"));
    }
    let rename = |from: &Path, to: &Path| -> Result<(), String> {
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("无法创建文件夹 {}：{e}", parent.display()))?;
        }
        std::fs::rename(from, to)
            .map_err(|e| format!("无法把 {} 移到 {}：{e}", from.display(), to.display()))
    };
    // The plan folder first: a site with a new plan and old units fails check loudly, never
    // silently.
    if let Some((dir, _)) = &c.plan_dir {
        let target = root.join(dir);
        if let Some(b) = &c.backup
            && target.exists()
        {
            rename(&target, &root.join(b))?;
        }
        rename(&staging.join(dir), &target)?;
    }
    for (rel, _) in &c.files {
        let path = root.join(rel);
        if announce && path.exists() {
            eprintln!("覆盖：{}", path.display());
        }
        rename(&staging.join(rel), &path)?;
    }
    let _ = std::fs::remove_dir_all(&staging);
    Ok(())
}

/// Copy a folder's files (for a dry run over an existing site).
fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
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
    let has_site = root.join("content/site.yaml").is_file();
    let mode = if args.add_plan {
        if !has_site {
            eprintln!(
                "错误：--add-plan 要把计划加到已有的站点，但 {} 不存在；新建站点时不加 --add-plan",
                root.join("content/site.yaml").display()
            );
            return ENV;
        }
        Mode::AddPlan
    } else if non_empty(root) {
        if !args.dry_run && !args.force {
            let hint = if has_site {
                "；要把这份计划加到这个站点，用 --add-plan"
            } else {
                ""
            };
            eprintln!(
                "错误：{} 不是空文件夹。import 只写入新的站点文件夹：请用 --root 指定一个新的（或空的）文件夹；确要写入这里并覆盖同名文件，加 --force{hint}",
                root.display()
            );
            return ENV;
        }
        Mode::Force
    } else {
        Mode::New
    };
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
    let plan_rel = format!("content/plans/{}", imported.year);
    let plan_exists = root.join(&plan_rel).exists();
    if mode == Mode::AddPlan && plan_exists && !args.force {
        eprintln!(
            "错误：{} 已存在：{} 年度的计划已经在这个站点里，未写入任何文件。要用这份表格整个替换它，加 --force（原文件夹连同其中的进展记录会移到 import-backup/）；要导入为另一年度，用 --year",
            root.join(&plan_rel).display(),
            imported.year
        );
        return ENV;
    }
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
    // What goes where: an existing site.yaml is never replaced, an unchanged units.yaml not
    // rewritten, and outside --force (one by one) the plan folder is put in place whole.
    let mut kept = Vec::new();
    let mut files = Vec::new();
    let mut plan_files = Vec::new();
    for f in &imported.files {
        let (rel, text) = f;
        let existing = std::fs::read(root.join(rel)).ok();
        if rel == "content/site.yaml" && existing.is_some() {
            kept.push(rel.as_str());
        } else if existing.as_deref() == Some(text.as_bytes()) && !rel.starts_with(&plan_rel) {
            continue;
        } else if rel.starts_with(&format!("{plan_rel}/")) && mode != Mode::Force {
            plan_files.push(f);
        } else {
            files.push(f);
        }
    }
    let backup = (mode == Mode::AddPlan && plan_exists).then(|| {
        let stamp = (chrono::Utc::now() + chrono::Duration::hours(8)).format("%Y%m%d-%H%M%S");
        format!("import-backup/plans-{}-{stamp}", imported.year)
    });
    let c = Commit {
        files,
        plan_dir: (!plan_files.is_empty()).then(|| (plan_rel.clone(), plan_files)),
        backup,
    };
    let written: Vec<&str> = c
        .plan_dir
        .iter()
        .flat_map(|(_, f)| f.iter())
        .chain(c.files.iter())
        .map(|(rel, _)| rel.as_str())
        .collect();
    if args.dry_run {
        if args.verbose {
            for rel in &written {
                let text = imported
                    .files
                    .iter()
                    .find(|f| f.0 == *rel)
                    .map_or("", |f| &f.1);
                println!("# ---- {} ----", root.join(rel).display());
                print!("{text}");
            }
        } else {
            eprintln!(
                "将写入 {} 个文件（加 --verbose 显示全部内容）：",
                written.len()
            );
            for rel in &written {
                eprintln!("  {}", root.join(rel).display());
            }
        }
    }
    for rel in &kept {
        eprintln!("保留已有的 {}（未改动）", root.join(rel).display());
    }
    if mode != Mode::New && !imported.added.is_empty() {
        eprintln!("在 content/units.yaml 末尾新增（原有内容不变，请核对）：");
        for a in &imported.added {
            eprintln!("  {a}");
        }
    }
    if args.dry_run {
        // Prove the result would pass check, in a scratch copy of the site.
        let scratch = scratch_dir();
        let result = (|| {
            if root.join("content").is_dir() {
                copy_dir(&root.join("content"), &scratch.join("content"))
                    .map_err(|e| format!("无法复制站点以试运行：{e}"))?;
            }
            commit(&scratch, &c, false)?;
            check(&scratch)
        })();
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
    if let Err(e) = commit(root, &c, mode == Mode::Force) {
        eprintln!("错误：{e}");
        return ENV;
    }
    if let Some(b) = &c.backup {
        eprintln!(
            "原来的 {plan_rel} 已移到 {}（其中的进展记录等如仍需要，请取回；确认无误后可删除）",
            root.join(b).display()
        );
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
    let done = if mode == Mode::AddPlan {
        "已把计划加到"
    } else {
        "已导入到"
    };
    match check(root) {
        Ok((0, _)) => {
            eprintln!("{done} {}：{summary}", root.join("content").display());
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
