//! Theme loading: the built-in `default` theme is compiled into the binary; a site's
//! `themes/<name>/` overrides any template or asset of it, file by file.

use std::collections::BTreeMap;
use std::path::Path;

/// Built-in templates (name relative to `templates/`, source).
pub const BUILTIN_TEMPLATES: &[(&str, &str)] = &[
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "index.html",
        include_str!("../../themes/default/templates/index.html"),
    ),
    (
        "plan.html",
        include_str!("../../themes/default/templates/plan.html"),
    ),
    (
        "category.html",
        include_str!("../../themes/default/templates/category.html"),
    ),
    (
        "task.html",
        include_str!("../../themes/default/templates/task.html"),
    ),
    (
        "unit.html",
        include_str!("../../themes/default/templates/unit.html"),
    ),
    (
        "units.html",
        include_str!("../../themes/default/templates/units.html"),
    ),
    (
        "pilots.html",
        include_str!("../../themes/default/templates/pilots.html"),
    ),
    (
        "timeline.html",
        include_str!("../../themes/default/templates/timeline.html"),
    ),
    (
        "timeline_list.html",
        include_str!("../../themes/default/templates/timeline_list.html"),
    ),
    (
        "page.html",
        include_str!("../../themes/default/templates/page.html"),
    ),
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "sitemap.html",
        include_str!("../../themes/default/templates/sitemap.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "review.html",
        include_str!("../../themes/default/templates/review.html"),
    ),
    (
        "partials/status.html",
        include_str!("../../themes/default/templates/partials/status.html"),
    ),
    (
        "partials/task_table.html",
        include_str!("../../themes/default/templates/partials/task_table.html"),
    ),
    (
        "partials/summary.html",
        include_str!("../../themes/default/templates/partials/summary.html"),
    ),
    (
        "partials/overview.html",
        include_str!("../../themes/default/templates/partials/overview.html"),
    ),
    (
        "partials/pagination.html",
        include_str!("../../themes/default/templates/partials/pagination.html"),
    ),
    (
        "partials/notices.html",
        include_str!("../../themes/default/templates/partials/notices.html"),
    ),
    (
        "partials/docmeta.html",
        include_str!("../../themes/default/templates/partials/docmeta.html"),
    ),
    (
        "partials/toolbar.html",
        include_str!("../../themes/default/templates/partials/toolbar.html"),
    ),
];

/// Built-in static assets (name relative to `static/`, bytes).
pub const BUILTIN_STATIC: &[(&str, &[u8])] = &[
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "care.js",
        include_bytes!("../../themes/default/static/care.js"),
    ),
    (
        "head.js",
        include_bytes!("../../themes/default/static/head.js"),
    ),
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
];

/// A theme resolved for one build: built-in files with the site's overrides applied.
pub struct Theme {
    /// Template name → source.
    pub templates: BTreeMap<String, String>,
    /// Static asset name → bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
}

impl Theme {
    /// Resolve theme `name` for the site at `root`: site's `themes/<name>/`, then built-in.
    pub fn load(root: &Path, name: &str) -> Result<Theme, String> {
        let mut templates: BTreeMap<String, String> = BUILTIN_TEMPLATES
            .iter()
            .map(|(n, s)| ((*n).to_string(), (*s).to_string()))
            .collect();
        let mut assets: BTreeMap<String, Vec<u8>> = BUILTIN_STATIC
            .iter()
            .map(|(n, b)| ((*n).to_string(), b.to_vec()))
            .collect();
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            if name != "default" {
                return Err(format!(
                    "找不到主题文件夹 {}（site.yaml 的 theme: {name}）",
                    dir.display()
                ));
            }
            return Ok(Theme { templates, assets });
        }
        for (sub, is_template) in [("templates", true), ("static", false)] {
            let base = dir.join(sub);
            if !base.is_dir() {
                continue;
            }
            let mut files: Vec<_> = walkdir::WalkDir::new(&base)
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_file())
                .map(walkdir::DirEntry::into_path)
                .collect();
            files.sort();
            for f in files {
                let rel = f
                    .strip_prefix(&base)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                let bytes =
                    std::fs::read(&f).map_err(|e| format!("无法读取 {}：{e}", f.display()))?;
                if is_template {
                    let text = String::from_utf8(bytes)
                        .map_err(|_| format!("模板 {} 不是 UTF-8 编码", f.display()))?;
                    templates.insert(rel, text);
                } else {
                    assets.insert(rel, bytes);
                }
            }
        }
        Ok(Theme { templates, assets })
    }
}

/// Image types a portal image (emblem, 党政机关 mark) may have.
const IMAGE_TYPES: &[&str] = &["png", "jpg", "jpeg", "gif", "svg", "webp"];

/// Largest portal image, in bytes.
const IMAGE_MAX: u64 = 1024 * 1024;

/// The portal images `site.yaml` names (`portal.emblem`, `portal.conac_mark`), read from
/// `content/`: (asset name, bytes) for each, or the located problem (path, line, column,
/// message, hint) of each that cannot be used.
pub fn portal_images(
    root: &Path,
    portal: &crate::model::Portal,
) -> (Vec<(String, Vec<u8>)>, Vec<crate::diag::Diagnostic>) {
    let mut images = Vec::new();
    let mut problems = Vec::new();
    for (field, stem, v) in [
        ("portal.emblem", "portal-emblem", &portal.emblem),
        ("portal.conac_mark", "portal-conac-mark", &portal.conac_mark),
    ] {
        let Some(v) = v else { continue };
        let rel = v.value.replace('\\', "/");
        let ext = rel
            .rsplit_once('.')
            .map(|(_, e)| e.to_ascii_lowercase())
            .unwrap_or_default();
        let bad = |msg: String, hint: &str| {
            crate::diag::Diagnostic::error("content/site.yaml", v.line, v.col, msg)
                .width(v.value.chars().count())
                .hint(hint)
        };
        let inside = !rel.is_empty()
            && !rel.starts_with('/')
            && !rel.contains(':')
            && rel
                .split('/')
                .all(|c| !c.is_empty() && c != "." && c != "..");
        if !inside {
            problems.push(bad(
                format!("{field} 的图片路径 \"{}\" 不在 content/ 文件夹里", v.value),
                "写相对 content/ 的路径，例如 images/emblem.png（图片放在 content/images/ 里）",
            ));
            continue;
        }
        if !IMAGE_TYPES.contains(&ext.as_str()) {
            problems.push(bad(
                format!("{field} 的文件 \"{}\" 不是网页能显示的图片", v.value),
                "请用 png、jpg、gif、svg 或 webp 格式的图片",
            ));
            continue;
        }
        let path = root.join("content").join(&rel);
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() && m.len() <= IMAGE_MAX => match std::fs::read(&path) {
                Ok(bytes) => images.push((format!("{stem}.{ext}"), bytes)),
                Err(e) => problems.push(bad(
                    format!("无法读取 {field} 的图片 content/{rel}：{e}"),
                    "检查文件是否被其他程序占用或没有读取权限",
                )),
            },
            Ok(m) if m.is_file() => problems.push(bad(
                format!(
                    "{field} 的图片 content/{rel} 有 {} KiB，超过 1024 KiB（1 MiB）",
                    m.len() / 1024
                ),
                "网站标志用不到这么大的图片，请缩小后再用（宽度 200 像素左右即可）",
            )),
            _ => problems.push(bad(
                format!("找不到 {field} 的图片 content/{rel}"),
                "把图片放到这个位置，或改正路径；不用这一项时整行删去",
            )),
        }
    }
    (images, problems)
}
