//! `gongkai import-progress`: read filled report sheets, report every problem at once, and
//! add the new records to the plans' `progress/` folders — all of them or none.
//!
//! Order: check the site → read every sheet (every problem of every file) → plan the edits
//! (skipping records already imported) → apply them to a scratch copy of `content/` and check
//! it → under the site's write lock, stage every file beside its target and rename them in;
//! a failed rename puts the files already replaced back.

use crate::cli::{Common, ImportProgressArgs};
use crate::cmd::{CONTENT, ENV, OK};
use crate::review::act::{WriteLock, write_atomic};
use std::path::{Path, PathBuf};

/// Run the command.
pub fn run(common: &Common, args: &ImportProgressArgs) -> u8 {
    let root = &common.root;
    let checked = match crate::check_site(root, None) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("错误：{e}");
            return ENV;
        }
    };
    let (Some(site), 0) = (checked.site.as_ref(), checked.report.errors()) else {
        eprint!("{}", checked.report.render());
        eprintln!("站点检查未通过，无法导入：请先改正以上问题（gongkai check）。");
        return CONTENT;
    };
    let dir = crate::site::Directory::new(&site.units, &site.groups);
    let today = crate::today_shanghai();
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for file in &args.files {
        let name = file.display().to_string();
        match std::fs::read(file) {
            Ok(bytes) => {
                let (f, p) = crate::sheet::read::read(&name, &bytes, site, &dir, today);
                rows.extend(f);
                problems.extend(p);
            }
            Err(e) => {
                eprintln!("错误：无法读取 {name}：{e}");
                return ENV;
            }
        }
    }
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("错误：{p}");
        }
        eprintln!(
            "发现 {} 个问题，没有导入任何记录：请在报送表中改正后重新导入。",
            problems.len()
        );
        return CONTENT;
    }
    let read_rel = |rel: &str| std::fs::read_to_string(root.join(rel)).ok();
    let writes = match crate::sheet::records::plan(site, &rows, &read_rel) {
        Ok(w) => w,
        Err(errs) => {
            for e in errs {
                eprintln!("错误：{e}");
            }
            eprintln!("没有导入任何记录。");
            return CONTENT;
        }
    };
    if writes.skipped > 0 {
        eprintln!("已导入过，跳过 {} 条。", writes.skipped);
    }
    if writes.files.is_empty() {
        eprintln!("没有新的进展记录。");
        return OK;
    }
    for (rel, before, _) in &writes.files {
        let how = if before.is_some() {
            "追加到"
        } else {
            "新建"
        };
        eprintln!("{how}：{rel}");
    }
    // The result must pass the check before anything in the site changes.
    match check_scratch(root, &writes.files) {
        Ok(None) => {}
        Ok(Some(report)) => {
            eprint!("{report}");
            eprintln!("导入后的内容不能通过检查（见上），没有导入任何记录。");
            return CONTENT;
        }
        Err(e) => {
            eprintln!("错误：{e}");
            return ENV;
        }
    }
    if args.dry_run {
        eprintln!(
            "检查通过（--dry-run，未写入）：将导入 {} 条进展记录。",
            writes.added
        );
        return OK;
    }
    let lock = match WriteLock::exclusive(root) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("错误：{e}");
            return ENV;
        }
    };
    if let Err(e) = apply(root, &writes.files) {
        eprintln!("错误：{e}；没有导入任何记录，原有文件未改动。");
        return ENV;
    }
    drop(lock);
    eprintln!(
        "已导入 {} 条进展记录，等待三审（gongkai review 查看，gongkai sign 签署）。",
        writes.added
    );
    OK
}

/// Copy `content/` (and `themes/`) to a scratch folder, apply `files` there and check it:
/// `None` when it passes, else the rendered findings.
fn check_scratch(
    root: &Path,
    files: &[(String, Option<String>, String)],
) -> Result<Option<String>, String> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let scratch = std::env::temp_dir().join(format!(
        "gongkai-import-progress-{}-{nanos}",
        std::process::id()
    ));
    let result = (|| {
        for sub in ["content", "themes"] {
            let from = root.join(sub);
            if from.is_dir() {
                copy_tree(&from, &scratch.join(sub))?;
            }
        }
        for (rel, _, text) in files {
            let path = scratch.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("无法创建文件夹 {}：{e}", parent.display()))?;
            }
            std::fs::write(&path, text).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
        }
        let checked = crate::check_site(&scratch, None).map_err(|e| e.to_string())?;
        Ok(if checked.report.errors() == 0 {
            None
        } else {
            Some(checked.report.render())
        })
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    for e in walkdir::WalkDir::new(from) {
        let e = e.map_err(|e| format!("无法读取 {}：{e}", from.display()))?;
        let rel = e.path().strip_prefix(from).unwrap_or(e.path());
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest)
                .map_err(|err| format!("无法创建文件夹 {}：{err}", dest.display()))?;
        } else if e.file_type().is_file() {
            std::fs::copy(e.path(), &dest)
                .map_err(|err| format!("无法复制 {}：{err}", e.path().display()))?;
        }
    }
    Ok(())
}

/// Write every file or none: refuse when a file changed since it was read, stage each new
/// text beside its target, then rename them in, putting back the earlier ones on failure.
fn apply(root: &Path, files: &[(String, Option<String>, String)]) -> Result<(), String> {
    for (rel, before, _) in files {
        let now = std::fs::read_to_string(root.join(rel)).ok();
        if &now != before {
            return Err(format!("{rel} 在导入过程中被改动"));
        }
    }
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for (rel, _, text) in files {
        let path = root.join(rel);
        if let Some(parent) = path.parent()
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            cleanup(&staged);
            return Err(format!("无法创建文件夹 {}：{e}", parent.display()));
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.import-tmp"));
        if let Err(e) = write_atomic(&tmp, text.as_bytes()) {
            cleanup(&staged);
            return Err(format!("无法写入 {}：{e}", tmp.display()));
        }
        staged.push((tmp, path));
    }
    for (i, (tmp, path)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, path) {
            // Put back what was already replaced; remove what was new.
            for ((_, done), (_, before, _)) in staged[..i].iter().zip(files) {
                let _ = match before {
                    Some(t) => write_atomic(done, t.as_bytes()),
                    None => std::fs::remove_file(done),
                };
            }
            cleanup(&staged[i..]);
            return Err(format!("无法写入 {}：{e}", path.display()));
        }
    }
    Ok(())
}
