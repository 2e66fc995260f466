//! The reviewers' preview: the whole site (signed or not, status computed as if all were
//! signed) rendered into memory and served on 127.0.0.1 — never written to the publishing
//! output. Watches `content/` and `themes/`, rebuilds on change, reloads open pages through
//! Server-Sent Events, and on a content error shows the located error in the page and the
//! terminal until the file is fixed.

use crate::render::RenderOptions;
use crate::review::Verdicts;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::BroadcastStream;

/// Debounce of the file watcher.
pub const DEBOUNCE: Duration = Duration::from_millis(50);

/// What the preview serves right now.
#[derive(Default)]
pub struct Snapshot {
    /// Files by path (no leading slash).
    pub files: Files,
    /// The located error text when the content does not load.
    pub error: Option<String>,
    /// Increments on every rebuild.
    pub version: u64,
}

/// Shared server state.
#[derive(Clone)]
pub struct Shared {
    snap: Arc<RwLock<Snapshot>>,
    tx: broadcast::Sender<u64>,
    cache: Arc<std::sync::Mutex<Option<Cache>>>,
}

/// What the last good preview build was made from, for incremental rebuilds.
pub struct Cache {
    /// Source text of every content file, by relative path.
    pub sources: std::collections::BTreeMap<String, String>,
    /// The loaded site.
    pub site: crate::site::Site,
    /// The rendered files.
    pub files: Files,
    /// Parsed content files, reused by the next rebuild where their text is unchanged.
    pub parsed: Arc<crate::load::ParseCache>,
}

/// Rendered files by path, shared (not copied) between the last build, the next one and the
/// server: a rebuild replaces only the pages it re-renders.
pub type Files = HashMap<String, Arc<Vec<u8>>>;

/// The result of one preview build: files, or the error text to show.
pub fn build_preview(
    root: &Path,
    as_of: Option<chrono::NaiveDate>,
) -> Result<HashMap<String, Vec<u8>>, String> {
    rebuild_preview(root, as_of, None).map(|(c, _)| {
        c.files
            .into_iter()
            .map(|(path, bytes)| (path, Arc::unwrap_or_clone(bytes)))
            .collect()
    })
}

/// Build the preview. With `prev` (the last good build) and only progress records changed,
/// re-render just the pages that depend on the changed records' tasks; otherwise everything.
/// Returns the new cache and whether the rebuild was incremental.
pub fn rebuild_preview(
    root: &Path,
    as_of: Option<chrono::NaiveDate>,
    prev: Option<&Cache>,
) -> Result<(Cache, bool), String> {
    let t0 = std::time::Instant::now();
    let parsed = prev.map_or_else(Default::default, |p| Arc::clone(&p.parsed));
    let checked = crate::check_site_with(root, as_of, Some(&parsed)).map_err(|e| e.to_string())?;
    let mut text = checked.report.render();
    for f in &checked.findings {
        text.push_str(&crate::privacy::render(f));
        text.push('\n');
    }
    let Some(site) = checked.site.filter(|_| checked.report.errors() == 0) else {
        return Err(text);
    };
    let sources = checked.report.sources;
    let verdicts = Arc::new(checked.verdicts.unwrap_or_else(|| Verdicts::new(&site)));
    let opts = RenderOptions {
        preview: true,
        verdicts: Some(verdicts),
    };
    let rules = crate::status::Rules {
        as_of: checked.as_of,
        stale_after_days: site.config.stale_after_days,
    };
    let cx = crate::compute::Computed::new(&site, rules, &|_, _| true);
    let theme = crate::render::theme::Theme::load(root, &site.config.theme)?;
    let renderer =
        crate::render::Renderer::new(&site, &cx, theme, opts).map_err(|e| e.to_string())?;
    let t1 = std::time::Instant::now();

    let changed: Vec<&String> = match prev {
        Some(p) => sources
            .iter()
            .filter(|(k, v)| p.sources.get(*k) != Some(*v))
            .map(|(k, _)| k)
            .chain(p.sources.keys().filter(|k| !sources.contains_key(*k)))
            .collect(),
        None => Vec::new(),
    };
    let only_progress = !changed.is_empty() && changed.iter().all(|p| p.contains("/progress/"));
    let (files, incremental) = match prev {
        Some(p) if only_progress => {
            let keep = affected_pages(&p.site, &site, &cx, &changed);
            let mut files = p.files.clone();
            let fresh = renderer
                .render_selected(&|path| keep.contains(path))
                .map_err(|e| e.to_string())?;
            if std::env::var_os("GONGKAI_TIMINGS").is_some_and(|v| v == "1") {
                eprintln!(
                    "timings: load+check+compute {:.3}s, {} pages re-rendered with the open data in {:.3}s",
                    (t1 - t0).as_secs_f64(),
                    keep.len(),
                    t1.elapsed().as_secs_f64()
                );
            }
            for f in fresh {
                files.insert(f.path, Arc::new(f.bytes));
            }
            (files, true)
        }
        _ => {
            let files = renderer.render_all().map_err(|e| e.to_string())?;
            (
                files
                    .into_iter()
                    .map(|f| (f.path, Arc::new(f.bytes)))
                    .collect(),
                false,
            )
        }
    };
    drop(renderer);
    drop(cx);
    Ok((
        Cache {
            sources,
            site,
            files,
            parsed,
        },
        incremental,
    ))
}

/// Pages that show anything of the tasks whose records are in the `changed` files (before or
/// after the change): the task pages, their category pages, the overviews, timeline, pilots,
/// the review queue, and the ledgers of every assignee and member.
fn affected_pages(
    old: &crate::site::Site,
    new: &crate::site::Site,
    cx: &crate::compute::Computed<'_>,
    changed: &[&String],
) -> std::collections::HashSet<String> {
    let mut keep: std::collections::HashSet<String> =
        ["index.html", "units/index.html", "review.html"]
            .into_iter()
            .map(String::from)
            .collect();
    let mut tasks: Vec<(String, String)> = Vec::new();
    let mut units: Vec<String> = Vec::new();
    for site in [old, new] {
        for plan in &site.plans {
            for r in &plan.records {
                if changed.iter().any(|c| **c == r.path) {
                    tasks.push((plan.id.clone(), r.entry.task.value.clone()));
                    units.push(r.entry.unit.value.clone());
                }
            }
        }
    }
    for (pi, plan) in new.plans.iter().enumerate() {
        let p = &plan.id;
        if !tasks.iter().any(|(tp, _)| tp == p) {
            continue;
        }
        for page in ["index.html", "timeline.html", "pilots.html"] {
            keep.insert(format!("{p}/{page}"));
        }
        for cat in &plan.categories {
            for (pos, t) in cat
                .subcategories
                .iter()
                .flat_map(|s| s.tasks.iter())
                .enumerate()
            {
                if !tasks.iter().any(|(tp, tid)| tp == p && tid == t.id()) {
                    continue;
                }
                keep.insert(format!("{p}/tasks/{}.html", t.id()));
                keep.insert(crate::render::category_path(
                    p,
                    cat.number,
                    pos / crate::render::PAGE_SIZE + 1,
                ));
                if let Some(ti) = cx.task_index[pi].get(t.id()) {
                    for a in &cx.tasks[pi][*ti].assignees {
                        units.push(a.id.to_string());
                        units.extend(a.members.iter().map(|(m, _)| (*m).to_string()));
                    }
                }
            }
        }
    }
    for u in units {
        keep.insert(format!("units/{u}.html"));
    }
    keep
}

const RELOAD_JS: &str = r#"(function(){var v=null;var es=new EventSource("/__gongkai/events");es.onmessage=function(e){if(v!==null&&e.data!==v){location.reload();}v=e.data;};})();"#;

fn error_page(err: &str) -> String {
    let esc = err
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><title>内容有错误 - gongkai 预览</title>\
<style>body{{font:1.125rem/1.6 sans-serif;margin:0;padding:1rem;background:#fff;color:#1a1a1a}}h1{{color:#a10000}}pre{{white-space:pre-wrap;background:#f3f4f6;border:2px solid #a10000;padding:1rem;font-size:1rem}}</style></head>\
<body><main><h1>内容有错误，预览暂停更新</h1><p>改正下列问题并保存文件后，本页会自动刷新。</p><pre>{esc}</pre></main>\
<script src=\"/__gongkai/reload.js\"></script></body></html>"
    )
}

async fn file(State(s): State<Shared>, uri: Uri) -> Response {
    let mut path = uri.path().trim_start_matches('/').to_string();
    if path.is_empty() || path.ends_with('/') {
        path.push_str("index.html");
    }
    let path = percent_decode(&path);
    let snap = s
        .snap
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(err) = &snap.error
        && (path.ends_with(".html") || !snap.files.contains_key(&path))
    {
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            error_page(err),
        )
            .into_response();
    }
    let (status, bytes) = match snap.files.get(&path) {
        Some(b) => (StatusCode::OK, b.to_vec()),
        None => match snap.files.get("404.html") {
            Some(b) => (StatusCode::NOT_FOUND, b.to_vec()),
            None => (StatusCode::NOT_FOUND, b"not found".to_vec()),
        },
    };
    let mime = mime_of(&path);
    let body = if mime.starts_with("text/html") {
        let mut html = String::from_utf8_lossy(&bytes).into_owned();
        let tag = "<script src=\"/__gongkai/reload.js\"></script>";
        match html.rfind("</body>") {
            Some(i) => html.insert_str(i, tag),
            None => html.push_str(tag),
        }
        html.into_bytes()
    } else {
        bytes
    };
    (
        status,
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn mime_of(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

async fn events(State(s): State<Shared>) -> impl IntoResponse {
    let first = s.snap.read().map(|x| x.version).unwrap_or(0);
    let initial = tokio_stream::once(Ok::<Event, std::convert::Infallible>(
        Event::default().data(first.to_string()),
    ));
    let updates = BroadcastStream::new(s.tx.subscribe())
        .filter_map(|v| v.ok())
        .map(|v| Ok(Event::default().data(v.to_string())));
    Sse::new(initial.chain(updates)).keep_alive(KeepAlive::default())
}

/// Rebuild into the shared snapshot; returns how long the rebuild took and whether it was
/// incremental.
fn rebuild(
    root: &Path,
    as_of: Option<chrono::NaiveDate>,
    shared: &Shared,
    full: bool,
) -> (Duration, bool) {
    let t = Instant::now();
    let prev = if full {
        None
    } else {
        shared
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
    };
    let result = rebuild_preview(root, as_of, prev.as_ref());
    let took = t.elapsed();
    let mut incremental = false;
    let version;
    {
        let mut snap = shared
            .snap
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        snap.version += 1;
        version = snap.version;
        match result {
            Ok((cache, inc)) => {
                incremental = inc;
                snap.files = cache.files.clone();
                *shared
                    .cache
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(cache);
                if snap.error.take().is_some() {
                    say("内容已修正，预览恢复。");
                }
            }
            Err(e) => {
                say(&e);
                snap.error = Some(e);
            }
        }
    }
    let _ = shared.tx.send(version);
    (took, incremental)
}

#[allow(clippy::print_stderr)]
fn say(s: &str) {
    eprintln!("{s}");
}

/// Why serving could not start.
#[derive(Debug)]
pub struct ServeError(pub String);

/// Run the preview server until interrupted.
pub fn run(root: PathBuf, port: u16, as_of: Option<chrono::NaiveDate>) -> Result<(), ServeError> {
    if !root.join("content").is_dir() {
        return Err(ServeError(format!(
            "找不到内容文件夹 {}",
            root.join("content").display()
        )));
    }
    let listener = std::net::TcpListener::bind(("127.0.0.1", port)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            ServeError(format!(
                "端口 {port} 已被占用。请关闭占用它的程序，或用 --port 换一个端口，例如 --port {}",
                port.wrapping_add(1)
            ))
        } else {
            ServeError(format!("无法在 127.0.0.1:{port} 上监听：{e}"))
        }
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| ServeError(e.to_string()))?;
    let (tx, _) = broadcast::channel(16);
    let shared = Shared {
        snap: Arc::new(RwLock::new(Snapshot::default())),
        tx,
        cache: Arc::default(),
    };
    let (took, _) = rebuild(&root, as_of, &shared, true);
    say(&format!(
        "预览已启动：http://127.0.0.1:{port}/ （首次生成用时 {} 毫秒；只在本机可见，不写入 output/）",
        took.as_millis()
    ));

    // Watch content/ and themes/; rebuild on change.
    // Each batch of changes: when it was noticed, and whether a theme file was among them.
    let (ev_tx, ev_rx) = std::sync::mpsc::channel::<(Instant, bool)>();
    let themes_dir = root.join("themes");
    let mut debouncer = notify_debouncer_full::new_debouncer(
        DEBOUNCE,
        None,
        move |res: notify_debouncer_full::DebounceEventResult| {
            if let Ok(events) = res
                && events.iter().any(|e| !e.kind.is_access())
            {
                let theme = events
                    .iter()
                    .flat_map(|e| e.paths.iter())
                    .any(|p| p.starts_with(&themes_dir));
                let _ = ev_tx.send((Instant::now(), theme));
            }
        },
    )
    .map_err(|e| ServeError(format!("无法监视文件变化：{e}")))?;
    for dir in ["content", "themes"] {
        let p = root.join(dir);
        if p.is_dir() {
            debouncer
                .watch(&p, notify_debouncer_full::notify::RecursiveMode::Recursive)
                .map_err(|e| ServeError(format!("无法监视 {}：{e}", p.display())))?;
        }
    }
    let watcher_shared = shared.clone();
    let watch_root = root.clone();
    std::thread::spawn(move || {
        let _keep = debouncer;
        while let Ok((noticed, mut theme)) = ev_rx.recv() {
            // Coalesce a burst of notifications into one rebuild.
            while let Ok((_, t)) = ev_rx.try_recv() {
                theme |= t;
            }
            let (took, incremental) = rebuild(&watch_root, as_of, &watcher_shared, theme);
            say(&format!(
                "检测到改动，已重新生成（{}）：生成用时 {} 毫秒（从收到通知起 {} 毫秒；另有文件监视防抖 {} 毫秒）",
                if incremental {
                    "只更新受影响的页面"
                } else {
                    "全部页面"
                },
                took.as_millis(),
                noticed.elapsed().as_millis(),
                DEBOUNCE.as_millis()
            ));
        }
    });

    let app = Router::new()
        .route("/__gongkai/events", get(events))
        .route(
            "/__gongkai/reload.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    RELOAD_JS,
                )
            }),
        )
        .fallback(get(file))
        .with_state(shared);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ServeError(e.to_string()))?;
    rt.block_on(async move {
        let listener =
            tokio::net::TcpListener::from_std(listener).map_err(|e| ServeError(e.to_string()))?;
        axum::serve(listener, app)
            .await
            .map_err(|e| ServeError(e.to_string()))
    })
}
