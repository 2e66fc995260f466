//! The search index (feature `search`): Pagefind's files for the pages of a build, made from
//! the staging folder once every page in it has passed the privacy scan, so the index holds
//! only text that is published anyway. Pages opt in with `data-pagefind-body` (the theme puts
//! it on `<main>` of content pages; the 404, search and site-map pages have none).

use crate::route::url;
use std::path::Path;

/// One file of the index: its path in the output folder and its bytes.
pub struct IndexFile {
    /// `pagefind/…`.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Files of Pagefind's bundle the site does not use: its ready-made interfaces (the theme has
/// its own search page, styled for care mode, on Pagefind's JS API).
const UNUSED: &[&str] = &[
    "pagefind-ui.",
    "pagefind-modular-ui.",
    "pagefind-component-ui.",
    "pagefind-highlight.",
];

/// Index the HTML pages in `dir` (a staging folder) and return the index's files, sorted by
/// path. Chinese text is split into words (Pagefind's `extended` segmentation).
pub fn index(dir: &Path) -> Result<Vec<IndexFile>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("无法启动建立搜索索引的线程：{e}"))?;
    let files = runtime.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(true)
            .force_language("zh-cn".to_string())
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options))
            .map_err(|e| format!("搜索索引设置有误：{e}"))?;
        index
            .add_directory(dir.to_string_lossy().into_owned(), Some("**/*.html".into()))
            .await
            .map_err(|e| format!("建立搜索索引时读取页面失败：{e}"))?;
        index
            .get_files()
            .await
            .map_err(|e| format!("建立搜索索引失败：{e}"))
    })?;
    let mut out: Vec<IndexFile> = files
        .into_iter()
        .filter_map(|f| {
            let name = f.filename.to_string_lossy().replace('\\', "/");
            if UNUSED.iter().any(|u| name.starts_with(u)) {
                return None;
            }
            Some(IndexFile {
                path: format!("{}{name}", url::SEARCH_INDEX),
                bytes: f.contents,
            })
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}
