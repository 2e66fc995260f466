//! A real nginx serving a folder on a loopback port, and a bounded loop fetching pages and every
//! asset each page references while publishes run (issue 15's load tests).

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// A running nginx; stopped on drop.
pub struct Nginx {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

impl Nginx {
    /// Serve `root_dir` (followed through symlinks on every request). `None` (skip) when nginx
    /// is not installed outside CI; a failure in CI.
    pub fn start(work: &Path, root_dir: &Path) -> Option<Nginx> {
        let Some(bin) = ["/usr/sbin/nginx", "/usr/bin/nginx"]
            .into_iter()
            .find(|p| Path::new(p).exists())
        else {
            assert!(std::env::var("CI").is_err(), "nginx is required in CI");
            eprintln!("nginx not installed: skipping");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let prefix = work.join(format!("nginx-{port}"));
        std::fs::create_dir_all(prefix.join("logs")).unwrap();
        let conf = prefix.join("nginx.conf");
        std::fs::write(
            &conf,
            format!(
                "daemon off; master_process off; pid {p}/nginx.pid; error_log {p}/logs/error.log;\n\
                 events {{ worker_connections 256; }}\n\
                 http {{ include /etc/nginx/mime.types; access_log off; client_body_temp_path {p}/tmp; proxy_temp_path {p}/tmp; fastcgi_temp_path {p}/tmp; uwsgi_temp_path {p}/tmp; scgi_temp_path {p}/tmp;\n\
                   server {{ listen 127.0.0.1:{port}; root {root}; }} }}\n",
                p = prefix.display(),
                root = root_dir.display()
            ),
        )
        .unwrap();
        let child = Command::new(bin)
            .args(["-c", conf.to_str().unwrap(), "-p", prefix.to_str().unwrap()])
            .spawn()
            .expect("start nginx");
        let mut n = Nginx { child, port };
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(n);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = n.child.kill();
        panic!("nginx did not start");
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// GET `path` over HTTP/1.0.
pub fn http_get(port: u16, path: &str) -> std::io::Result<(u16, Vec<u8>)> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n")?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf)?;
    let head_end = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header"))?;
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let status: u16 = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Ok((status, buf[head_end + 4..].to_vec()))
}

/// The site-relative paths of the style sheets, scripts and images a page references.
fn assets_of(page: &str, html: &str) -> Vec<String> {
    let base: PathBuf = Path::new(page)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut out = Vec::new();
    for attr in ["href", "src"] {
        for v in super::links::attr_values(html, attr) {
            if !v.contains("assets/") || v.starts_with("http") {
                continue;
            }
            let clean = v.split(['?', '#']).next().unwrap_or(v);
            out.push(super::links::normalize(&base.join(clean)));
        }
    }
    out
}

/// Fetches a few pages and every asset they reference, over and over, until stopped (or ten
/// minutes at most).
pub struct Fetcher {
    done: Arc<AtomicBool>,
    handle: std::thread::JoinHandle<(usize, Vec<String>)>,
}

impl Fetcher {
    /// Start fetching from nginx on `port`.
    pub fn start(port: u16) -> Fetcher {
        let done = Arc::new(AtomicBool::new(false));
        let stop = done.clone();
        let pages = [
            "index.html",
            "2023/index.html",
            "2023/tasks/1-1-1.html",
            "2023/categories/1.html",
        ];
        let handle = std::thread::spawn(move || {
            let (mut requests, mut failures) = (0usize, Vec::new());
            let start = Instant::now();
            while !stop.load(Relaxed) && start.elapsed() < Duration::from_secs(600) {
                for page in pages {
                    requests += 1;
                    match http_get(port, &format!("/{page}")) {
                        Ok((200, body)) => {
                            let html = String::from_utf8_lossy(&body).into_owned();
                            for a in assets_of(page, &html) {
                                requests += 1;
                                match http_get(port, &format!("/{a}")) {
                                    Ok((200, _)) => {}
                                    other => failures.push(format!(
                                        "{a} (from {page}): {:?}",
                                        other.map(|o| o.0)
                                    )),
                                }
                            }
                        }
                        other => failures.push(format!("{page}: {:?}", other.map(|o| o.0))),
                    }
                }
                // A short pause each round (a few hundred requests a second), so the fetching
                // does not take a whole core from the publishes on a two-core machine.
                std::thread::sleep(Duration::from_millis(5));
            }
            (requests, failures)
        });
        Fetcher { done, handle }
    }

    /// Stop; (requests made, failures).
    pub fn stop(self) -> (usize, Vec<String>) {
        self.done.store(true, Relaxed);
        self.handle.join().unwrap()
    }
}

/// Run `publish(i, as_of)` 50 times, alternating the as-of dates of `refs` (`refs[i % 2]` is
/// the site as of `AS_OF[i % 2]`), while a [`Fetcher`] loads pages and assets from nginx on
/// `port`; after each publish `live` must be exactly that reference site. Then: more than 100
/// requests, none failed.
pub fn fifty_publishes_under_load(
    port: u16,
    live: &Path,
    refs: &[std::collections::BTreeMap<String, Vec<u8>>],
    label: &str,
    publish: impl Fn(usize, &str) + std::panic::RefUnwindSafe,
) {
    let fetcher = Fetcher::start(port);
    let result = std::panic::catch_unwind(|| {
        for i in 0..50 {
            let as_of = AS_OF[i % 2];
            publish(i, as_of);
            // What is served is exactly the site built here, nothing kept from before.
            assert!(
                super::site_files(live) == refs[i % 2],
                "publish {i}: {} is not the site as of {as_of}",
                live.display()
            );
        }
    });
    let (requests, failures) = fetcher.stop();
    if let Err(e) = result {
        std::panic::resume_unwind(e);
    }
    eprintln!(
        "{label}: {requests} requests during 50 publishes, {} failed",
        failures.len()
    );
    assert!(
        requests > 100,
        "too few requests to mean anything: {requests}"
    );
    assert!(
        failures.is_empty(),
        "{} failed requests: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
}

/// The two as-of dates the load tests alternate (see [`super::reference_sites`]).
pub const AS_OF: [&str; 2] = ["2023-12-01", "2023-10-01"];
