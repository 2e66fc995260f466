//! HTML minifier benchmark: gongkai's own single-pass minifier (`src/render/minify.rs`) against
//! `minify-html-onepass` and `minify-html`, on every page of a site as the templates write it.
//!
//! ```text
//! cargo run --release --manifest-path bench/minify/Cargo.toml -- [--root SITE] [--reps N]
//! ```
//!
//! `--root` is a site folder (holding `content/`), default the repository's own default
//! content; `bench/README.md` shows how to generate a 10,000-task site with `examples/synth.rs`.
//! The published pages are rendered once (in parallel), then each minifier runs over all of
//! them on one thread, the minifiers taking turns, `--reps` times (default 5); the median is
//! printed with throughput and output size. minify-html-onepass returns an error on some
//! malformed markup (then the page is counted but its output is not); minify-html is the
//! tree-building reference the own minifier is tested against (`tests/minify.rs`).

use gongkai::render::{RenderOptions, minify::minify};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    // The repository (this crate lives in bench/minify/).
    let mut root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let mut reps = 5usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--root" => root = args.next().expect("--root DIR").into(),
            "--reps" => reps = args.next().and_then(|n| n.parse().ok()).expect("--reps N"),
            _ => {
                eprintln!("usage: minify-bench [--root SITE] [--reps N]");
                std::process::exit(2);
            }
        }
    }
    let pages = pages(&root);
    let bytes: usize = pages.iter().map(String::len).sum();
    println!(
        "site {}: {} pages, {:.1} MiB as rendered; {reps} runs each, one thread, median",
        root.display(),
        pages.len(),
        bytes as f64 / 1048576.0
    );

    let onepass_cfg = minify_html_onepass::Cfg {
        minify_css: false,
        minify_js: false,
    };
    let mut html_cfg = minify_html::Cfg::new();
    html_cfg.keep_closing_tags = true;
    html_cfg.keep_html_and_head_opening_tags = true;

    type Minifier<'a> = (&'a str, Box<dyn Fn(&str) -> Option<usize> + 'a>);
    let minifiers: Vec<Minifier<'_>> = vec![
        ("gongkai minify", Box::new(|p: &str| Some(minify(p).len()))),
        (
            "minify-html-onepass",
            Box::new(|p: &str| {
                let mut buf = p.as_bytes().to_vec();
                minify_html_onepass::in_place(&mut buf, &onepass_cfg).ok()
            }),
        ),
        (
            "minify-html",
            Box::new(|p: &str| Some(minify_html::minify(p.as_bytes(), &html_cfg).len())),
        ),
    ];
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); minifiers.len()];
    let mut sizes: Vec<(usize, usize)> = vec![(0, 0); minifiers.len()];
    for _ in 0..reps {
        for (i, (_, f)) in minifiers.iter().enumerate() {
            let start = Instant::now();
            let (mut out, mut failed) = (0, 0);
            for p in &pages {
                match black_box(f(black_box(p))) {
                    Some(n) => out += n,
                    None => failed += 1,
                }
            }
            times[i].push(start.elapsed());
            sizes[i] = (out, failed);
        }
    }
    let ours = median(&mut times[0]);
    println!("| minifier | time | MB/s | time / gongkai's | output bytes | pages it refused |");
    println!("|---|---|---|---|---|---|");
    for (i, (name, _)) in minifiers.iter().enumerate() {
        let t = median(&mut times[i]);
        println!(
            "| {name} | {:.1} ms | {:.0} | {:.2}× | {} | {} |",
            t.as_secs_f64() * 1e3,
            bytes as f64 / 1e6 / t.as_secs_f64(),
            t.as_secs_f64() / ours.as_secs_f64(),
            sizes[i].0,
            sizes[i].1
        );
    }
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Every published HTML page of the site at `root`, before minification.
fn pages(root: &std::path::Path) -> Vec<String> {
    let checked = gongkai::check_site(root, None).expect("read the site");
    assert_eq!(checked.report.errors(), 0, "{}", checked.report.render());
    let site = checked.site.expect("a loaded site");
    let verdicts = gongkai::review::Verdicts::new(&site, gongkai::check::today_shanghai());
    let site = gongkai::publish::gate(site, &verdicts).0;
    let opts = RenderOptions {
        preview: false,
        verdicts: None,
    };
    let mut timings = gongkai::publish::Timings::default();
    let mut pages =
        gongkai::publish::with_renderer(root, &site, checked.as_of, opts, &mut timings, |p, _| {
            p.renderer
                .render_pages_unminified(p.routes)
                .map_err(gongkai::publish::BuildError::Render)
        })
        .expect("pages");
    pages.sort();
    pages.into_iter().map(|(_, html)| html).collect()
}
