//! The reviewers' preview: the whole site (signed or not, status computed as if all were
//! signed) rendered into memory and served on 127.0.0.1 — never written to the publishing
//! output. Watches `content/` and `themes/`, rebuilds on change, reloads open pages through
//! Server-Sent Events, and on a content error shows the located error in the page and the
//! terminal until the file is fixed.

pub mod review;
pub mod tls;

pub use crate::publish::preview::{
    Cache, Files, build as build_preview, rebuild as rebuild_preview,
};
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use std::collections::HashSet;
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

/// What the preview tells the person running it (the command prints it).
#[derive(Debug)]
pub enum Event {
    /// Started, with the first build's time.
    Started {
        /// Address served.
        addr: String,
        /// First build.
        took: Duration,
        /// With `--review`: the certificate's SHA-256 fingerprint, and where a self-signed
        /// certificate is kept.
        tls: Option<(String, Option<PathBuf>)>,
    },
    /// Rebuilt after a change.
    Rebuilt {
        /// Only the affected pages.
        incremental: bool,
        /// Build time.
        took: Duration,
        /// Since the change was noticed.
        since_notice: Duration,
        /// `timings:` lines when `GONGKAI_TIMINGS=1`.
        timings: Option<[String; 2]>,
    },
    /// The content has an error, shown in the page.
    ContentError(String),
    /// The content error was fixed.
    Recovered,
}

/// Shared server state.
#[derive(Clone)]
pub struct Shared {
    snap: Arc<RwLock<Snapshot>>,
    tx: broadcast::Sender<u64>,
    cache: Arc<std::sync::Mutex<Option<Cache>>>,
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
    let initial = tokio_stream::once(Ok::<SseEvent, std::convert::Infallible>(
        SseEvent::default().data(first.to_string()),
    ));
    let updates = BroadcastStream::new(s.tx.subscribe())
        .filter_map(|v| v.ok())
        .map(|v| Ok(SseEvent::default().data(v.to_string())));
    Sse::new(initial.chain(updates)).keep_alive(KeepAlive::default())
}

/// Rebuild into the shared snapshot; returns how long the rebuild took, whether it was
/// incremental, and the build's timings.
fn rebuild(
    root: &Path,
    as_of: Option<chrono::NaiveDate>,
    shared: &Shared,
    full: bool,
    on: &(dyn Fn(Event) + Sync),
) -> (Duration, bool, Option<crate::publish::Timings>) {
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
    let mut timings = None;
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
                timings = Some(cache.timings.clone());
                snap.files = cache.files.clone();
                *shared
                    .cache
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(cache);
                if snap.error.take().is_some() {
                    on(Event::Recovered);
                }
            }
            Err(e) => {
                on(Event::ContentError(e.clone()));
                snap.error = Some(e);
            }
        }
    }
    let _ = shared.tx.send(version);
    (took, incremental, timings)
}

/// Why serving could not start.
#[derive(Debug)]
pub struct ServeError(pub String);

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ServeError {}

/// The review server's reach (`gongkai serve --review`): HTTPS on `listen` for the office
/// network, answering only to `listen` itself and the names in `hosts`.
#[derive(Debug, Clone)]
pub struct ReviewOptions {
    /// Address and port to listen on.
    pub listen: std::net::SocketAddr,
    /// Further names (or addresses) the other PCs use to reach it.
    pub hosts: Vec<String>,
    /// The office's certificate (PEM), with `tls_key`; else a self-signed one.
    pub tls_cert: Option<PathBuf>,
    /// The certificate's private key (PEM).
    pub tls_key: Option<PathBuf>,
}

/// The `Host` values a server on `addr` answers to, given the extra `names`.
fn allowed_hosts(addr: std::net::SocketAddr, names: &[String]) -> HashSet<String> {
    let port = addr.port();
    let mut out = HashSet::new();
    if !addr.ip().is_unspecified() {
        out.insert(addr.to_string().to_ascii_lowercase());
    }
    if addr.ip().is_loopback() || addr.ip().is_unspecified() {
        out.insert(format!("localhost:{port}"));
    }
    for n in names {
        let n = n.trim().to_ascii_lowercase();
        let host =
            if n.contains(':') && !n.starts_with('[') && n.parse::<std::net::Ipv6Addr>().is_ok() {
                format!("[{n}]")
            } else {
                n
            };
        out.insert(format!("{host}:{port}"));
        if port == 443 {
            out.insert(host);
        }
    }
    out
}

/// Run the preview server until interrupted, telling `on` what happens: on 127.0.0.1:`port`
/// over HTTP, read-only; or with `review`, over HTTPS with the review pages.
pub fn run(
    root: PathBuf,
    port: u16,
    as_of: Option<chrono::NaiveDate>,
    review: Option<ReviewOptions>,
    on: impl Fn(Event) + Send + Sync + 'static,
) -> Result<(), ServeError> {
    if !root.join("content").is_dir() {
        return Err(ServeError(format!(
            "找不到内容文件夹 {}",
            root.join("content").display()
        )));
    }
    let addr = review.as_ref().map_or_else(
        || std::net::SocketAddr::from(([127, 0, 0, 1], port)),
        |r| r.listen,
    );
    let listener = std::net::TcpListener::bind(addr).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            ServeError(format!(
                "{addr} 已被占用。请关闭占用它的程序，或换一个端口，例如 {}",
                addr.port().wrapping_add(1)
            ))
        } else {
            ServeError(format!("无法在 {addr} 上监听：{e}"))
        }
    })?;
    let addr = listener.local_addr().unwrap_or(addr);
    let hosts = allowed_hosts(addr, review.as_ref().map_or(&[][..], |r| &r.hosts[..]));
    if hosts.is_empty() {
        return Err(ServeError(format!(
            "在 {addr} 上监听时须用 --host 写明其他电脑访问本机用的名称或 IP 地址"
        )));
    }
    let tls = match &review {
        Some(r) => {
            let mut names: Vec<String> = hosts
                .iter()
                .map(|h| {
                    let h = h.rsplit_once(':').map_or(h.as_str(), |(n, _)| n);
                    h.trim_start_matches('[').trim_end_matches(']').to_string()
                })
                .collect();
            names.sort();
            names.dedup();
            Some(tls::load(
                r.tls_cert.as_deref(),
                r.tls_key.as_deref(),
                &names,
            )?)
        }
        None => None,
    };
    listener
        .set_nonblocking(true)
        .map_err(|e| ServeError(e.to_string()))?;
    let (tx, _) = broadcast::channel(16);
    let shared = Shared {
        snap: Arc::new(RwLock::new(Snapshot::default())),
        tx,
        cache: Arc::default(),
    };
    let on = Arc::new(on);
    let (took, _, _) = rebuild(&root, as_of, &shared, true, &*on);
    on(Event::Started {
        addr: if tls.is_some() {
            format!("https://{addr}/")
        } else {
            format!("http://{addr}/")
        },
        took,
        tls: tls
            .as_ref()
            .map(|t| (t.fingerprint.clone(), t.generated.clone())),
    });

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
    let watch_on = Arc::clone(&on);
    std::thread::spawn(move || {
        let _keep = debouncer;
        while let Ok((noticed, mut theme)) = ev_rx.recv() {
            // Coalesce a burst of notifications into one rebuild.
            while let Ok((_, t)) = ev_rx.try_recv() {
                theme |= t;
            }
            let (took, incremental, timings) =
                rebuild(&watch_root, as_of, &watcher_shared, theme, &*watch_on);
            watch_on(Event::Rebuilt {
                incremental,
                took,
                since_notice: noticed.elapsed(),
                timings: timings.map(|t| t.lines()),
            });
        }
    });

    let gate = review::Review {
        root: root.clone(),
        csrf: Arc::from(csrf_token()?),
        hosts: Arc::new(hosts),
    };
    let mut app = Router::new()
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
    if review.is_some() {
        app = app.merge(
            Router::new()
                .route("/__gongkai/review/", get(review::queue))
                .route("/__gongkai/review/item", get(review::item))
                .route("/__gongkai/review/enrol", get(review::enrol))
                .route("/__gongkai/review/review.js", get(review::script))
                .route("/__gongkai/review/prepare", post(review::prepare))
                .route("/__gongkai/review/submit", post(review::submit))
                .with_state(gate.clone()),
        );
    }
    let app = app.layer(axum::middleware::from_fn_with_state(
        gate,
        review::host_check,
    ));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ServeError(e.to_string()))?;
    rt.block_on(async move {
        let listener =
            tokio::net::TcpListener::from_std(listener).map_err(|e| ServeError(e.to_string()))?;
        match tls {
            Some(t) => axum::serve(tls::Listener::new(listener, t.config), app)
                .await
                .map_err(|e| ServeError(e.to_string())),
            None => axum::serve(listener, app)
                .await
                .map_err(|e| ServeError(e.to_string())),
        }
    })
}

/// A fresh random CSRF token for this run of the server.
fn csrf_token() -> Result<String, ServeError> {
    use base64::Engine as _;
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b).map_err(|e| ServeError(format!("无法取得随机数：{e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b))
}
