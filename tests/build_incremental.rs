//! `gongkai build` keeps a cache beside the output and, when only progress records changed,
//! re-renders just the routes that show the changed tasks and replaces only the files whose
//! bytes changed (issue 18, item 3). The promise: the output is byte for byte what a full build
//! of the same content writes, after any sequence of edits — progress records (added, edited,
//! moved, deleted, signed and unsigned), unit names, task texts, the theme, `site.yaml`
//! (including the as-of date), `reviewers.yaml` — and after the output itself was tampered
//! with or the cache corrupted; and a build killed while it replaces files leaves every file
//! whole and the next build complete.

use crate::common;

use common::sitegen::{EditKind, GenSite, Rng};
use gongkai::publish::{BuildCache, BuildRequest, Progress, Published, build};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

/// A publishing build of `root` into `out`; panics with the report when it fails.
fn build_into(root: &Path, out: &Path, cache: BuildCache) -> Published {
    let mut req = BuildRequest::new(root.to_path_buf(), out.to_path_buf(), None);
    req.cache = cache;
    let run = build(&req, &Progress::default());
    match run.outcome {
        Ok(p) => p,
        Err(e) => panic!("build failed: {e}\n{}", run.report.render()),
    }
}

/// What a full build of `root` writes (into a fresh folder, no cache, removed afterwards).
fn reference(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("full");
    build_into(root, &out, BuildCache::Off);
    common::tree(&out)
}

/// Fail with the differing paths when the output differs from the full build.
fn assert_same(out: &Path, full: &BTreeMap<String, Vec<u8>>, what: &str) {
    let got = common::tree(out);
    let mut diff = Vec::new();
    for (path, bytes) in full {
        match got.get(path) {
            None => diff.push(format!("  missing: {path}")),
            Some(b) if b != bytes => diff.push(format!("  differs: {path}")),
            Some(_) => {}
        }
    }
    for path in got.keys().filter(|p| !full.contains_key(*p)) {
        diff.push(format!("  only in the incremental output: {path}"));
    }
    assert!(
        diff.is_empty(),
        "{what}: the output differs from a full build in {} of {} files:\n{}",
        diff.len(),
        full.len(),
        diff.join("\n")
    );
}

/// A generated publishing site (300 tasks, paginated ledgers, categories and timeline; every
/// record signed, some only to 复审) written to `root`, with a theme folder of its own.
fn publishing_site(rng: &mut Rng, root: &Path) -> GenSite {
    let mut site = GenSite::new(rng);
    site.publishing = true;
    for r in site.progress.values().flatten().take(12) {
        site.unsigned.insert(r.id.clone());
    }
    site.write(root);
    let css = common::repo().join("themes/default/static/style.css");
    let dest = root.join("themes/default/static/style.css");
    std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
    std::fs::copy(css, dest).unwrap();
    site
}

/// Replace the first line of `root/rel` that starts with `key:` by `key: value`.
fn set_line(root: &Path, rel: &str, key: &str, value: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut done = false;
    let out: Vec<String> = text
        .lines()
        .map(|l| {
            if !done && l.starts_with(&format!("{key}:")) {
                done = true;
                format!("{key}: {value}")
            } else {
                l.to_string()
            }
        })
        .collect();
    assert!(done, "{rel} has no {key}:");
    std::fs::write(&path, out.join("\n") + "\n").unwrap();
}

/// One edit of the kinds only this test makes (the rest are [`GenSite::random_edit`]'s);
/// returns its description and whether it changed progress files only.
fn other_edit(
    site: &mut GenSite,
    rng: &mut Rng,
    root: &Path,
    out: &Path,
    n: usize,
) -> (String, bool) {
    match rng.below(8) {
        0 | 1 => {
            // Sign a held record through 终审, or take a record back to 复审.
            let ids: Vec<String> = site
                .progress
                .values()
                .flatten()
                .map(|r| r.id.clone())
                .collect();
            let id = rng.pick(&ids).clone();
            let d = if site.unsigned.remove(&id) {
                format!("record {id} signed through 终审")
            } else {
                site.unsigned.insert(id.clone());
                format!("record {id} back to 复审 only (held)")
            };
            site.write(root);
            (d, true)
        }
        2 => {
            let path = root.join("themes/default/static/style.css");
            let mut css = std::fs::read_to_string(&path).unwrap();
            css.push_str(&format!("\n/* edit {n} */\n"));
            std::fs::write(&path, css).unwrap();
            ("theme: style.css edited".into(), false)
        }
        3 => {
            set_line(
                root,
                "content/site.yaml",
                "title",
                &format!("万测市政务公开工作要点落实情况（第{n}版）"),
            );
            ("site.yaml: title changed".into(), false)
        }
        4 => {
            let as_of = *rng.pick(&["2023-09-15", "2023-10-01", "2023-11-20", "2023-12-31"]);
            set_line(root, "content/site.yaml", "as_of", as_of);
            (format!("site.yaml: as_of {as_of}"), false)
        }
        5 => {
            let path = root.join("content/reviewers.yaml");
            let mut text = std::fs::read_to_string(&path).unwrap();
            text.push_str(&format!("# 修订 {n}\n"));
            std::fs::write(&path, text).unwrap();
            ("reviewers.yaml: comment added".into(), false)
        }
        6 => {
            // The output tampered with: a page changed or deleted behind gongkai's back.
            let pages = common::files(out, &["html"]);
            let page = rng.pick(&pages).clone();
            let rel = page.strip_prefix(out).unwrap().display().to_string();
            if rng.chance(50) {
                std::fs::remove_file(&page).unwrap();
                (format!("output page {rel} deleted"), true)
            } else {
                std::fs::write(&page, "<p>被改动</p>").unwrap();
                (format!("output page {rel} overwritten"), true)
            }
        }
        _ => ("nothing changed".into(), true),
    }
}

/// A progress-only edit: one record's summary rewritten (still signed: a publishing site's
/// records are signed as written).
fn progress_edit(site: &mut GenSite, rng: &mut Rng, root: &Path, n: usize) {
    let files: Vec<String> = site
        .progress
        .iter()
        .filter(|(_, rs)| !rs.is_empty())
        .map(|(f, _)| f.clone())
        .collect();
    let file = rng.pick(&files).clone();
    let records = site.progress.get_mut(&file).unwrap();
    let i = rng.below(records.len());
    records[i].summary = format!("（生成）第{n}次改写的报送：已按要求公开。");
    site.write(root);
}

/// Seed of the edit sequence; a failure names the edit, which reproduces with it.
const SEED: u64 = 18;
/// Number of edits.
const EDITS: usize = 60;

/// The property of item 3: after every edit of a random sequence the incremental build's
/// output equals a full build's, file for file and byte for byte (the marker with the
/// publication id included), and edits of progress records alone are built incrementally.
#[test]
fn incremental_build_equals_full_build_over_random_edits() {
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    let mut rng = Rng::new(SEED);
    let mut site = publishing_site(&mut rng, &root);
    let first = build_into(&root, &out, BuildCache::Use);
    assert!(first.reuse.is_none(), "the first build has no cache");
    assert_same(&out, &reference(&root), "first build");
    let total = common::tree(&out).len();

    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let (mut incremental, mut progress_only) = (0, 0);
    let mut rendered = Vec::new();
    for i in 1..=EDITS {
        let (kind, edit, only_progress) = if rng.chance(70) {
            let (kind, d) = site.random_edit(&mut rng);
            site.write(&root);
            (format!("{kind:?}"), d, kind == EditKind::Progress)
        } else {
            let (d, p) = other_edit(&mut site, &mut rng, &root, &out, i);
            (
                d.split(':')
                    .next()
                    .unwrap()
                    .split(' ')
                    .next()
                    .unwrap()
                    .to_string(),
                d,
                p,
            )
        };
        *kinds.entry(kind).or_default() += 1;
        let p = build_into(&root, &out, BuildCache::Use);
        let what = format!("edit #{i} of {EDITS} (seed {SEED}): {edit}");
        assert_same(&out, &reference(&root), &what);
        if only_progress {
            progress_only += 1;
            let reuse = p
                .reuse
                .unwrap_or_else(|| panic!("{what}: not built incrementally"));
            rendered.push(reuse.rendered);
        }
        incremental += usize::from(p.reuse.is_some());
    }
    assert!(progress_only >= EDITS / 2, "edit kinds {kinds:?}");
    assert!(kinds.len() >= 8, "too few kinds of edit: {kinds:?}");
    // Something less than the whole site is rendered, on average far less.
    let mean = rendered.iter().sum::<usize>() / rendered.len().max(1);
    assert!(
        mean * 2 < total,
        "{mean} of {total} files rendered on average"
    );
    eprintln!(
        "{EDITS} edits {kinds:?}: {incremental} incremental, {mean} of {total} files rendered on average, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// A way of damaging the cache.
type Damage<'a> = Box<dyn Fn() + 'a>;

/// A cache that is missing, cut short, altered, of another output or older than the output:
/// the build is a full one and its output is right.
#[test]
fn damaged_or_foreign_cache_means_a_full_build() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    let other = tmp.path().join("other");
    let mut rng = Rng::new(7);
    let mut site = publishing_site(&mut rng, &root);
    build_into(&root, &out, BuildCache::Use);
    build_into(&root, &other, BuildCache::Use);
    let cache = gongkai::publish::incremental::path_for(&out);
    let good = std::fs::read(&cache).unwrap();
    let older = good.clone();
    let damages: Vec<(&str, Damage)> = vec![
        (
            "missing",
            Box::new(|| std::fs::remove_file(&cache).unwrap()),
        ),
        ("empty", Box::new(|| std::fs::write(&cache, "").unwrap())),
        (
            "cut short",
            Box::new(|| std::fs::write(&cache, &good[..good.len() / 2]).unwrap()),
        ),
        (
            "one byte changed",
            Box::new(|| {
                let mut b = good.clone();
                let at = b.len() / 3;
                b[at] ^= 0x20;
                std::fs::write(&cache, b).unwrap();
            }),
        ),
        (
            "another output's",
            Box::new(|| {
                std::fs::copy(gongkai::publish::incremental::path_for(&other), &cache).unwrap();
            }),
        ),
        (
            "older than the output",
            Box::new(|| std::fs::write(&cache, &older).unwrap()),
        ),
    ];
    for (i, (what, damage)) in damages.iter().enumerate() {
        // A progress edit, which the cache would otherwise build incrementally.
        progress_edit(&mut site, &mut rng, &root, 2 * i);
        if i > 0 {
            // The output moves on with an intact cache first (so "older" is older).
            let p = build_into(&root, &out, BuildCache::Use);
            assert!(p.reuse.is_some(), "{what}: the intact cache was not used");
            progress_edit(&mut site, &mut rng, &root, 2 * i + 1);
        }
        damage();
        let p = build_into(&root, &out, BuildCache::Use);
        assert!(p.reuse.is_none(), "cache {what}: built incrementally");
        assert_same(&out, &reference(&root), &format!("cache {what}"));
    }
    // `--full` renders everything even with a good cache, and leaves one for the next build.
    site.random_edit(&mut rng);
    site.write(&root);
    let p = build_into(&root, &out, BuildCache::Refresh);
    assert!(p.reuse.is_none());
    progress_edit(&mut site, &mut rng, &root, 100);
    let p = build_into(&root, &out, BuildCache::Use);
    assert!(p.reuse.is_some(), "the cache --full left was not used");
    assert_same(&out, &reference(&root), "after --full");
}

/// A build killed at each step of replacing files in place: every file of the output is
/// entirely the old or the new version, nothing else is there, and the next build (a full
/// one: the cache was removed first) publishes the new site and registers what happened.
#[test]
fn killed_while_replacing_files_leaves_whole_files_and_a_full_next_build() {
    for point in [
        "in-place-before-replace",
        "in-place-replacing",
        "in-place-before-marker",
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        let out = tmp.path().join("out");
        let mut rng = Rng::new(5);
        let mut site = publishing_site(&mut rng, &root);
        // The binary itself, as the killed build is (the cache names the binary that wrote it).
        let o = common::gongkai_at(&root, &["build", "--output", out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", common::stderr(&o));
        let old = common::tree(&out);
        progress_edit(&mut site, &mut rng, &root, 1);
        let new = reference(&root);
        assert_ne!(old, new, "the edit changes the site");
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(["build", "--root"])
            .arg(&root)
            .arg("--output")
            .arg(&out)
            .env("GONGKAI_FAULT", point)
            .output()
            .unwrap();
        assert!(!o.status.success(), "{point}: the build was not killed");
        let after = common::tree(&out);
        // The marker still names the old publication (the register did not commit the new one)
        // and lists every file the folder holds, so the next build knows them all as its own.
        let marker = String::from_utf8(after[".gongkai-output"].clone()).unwrap();
        let old_marker = String::from_utf8(old[".gongkai-output"].clone()).unwrap();
        assert_eq!(
            marker.lines().take(2).collect::<Vec<_>>(),
            old_marker.lines().take(2).collect::<Vec<_>>(),
            "{point}: the marker names another publication"
        );
        let listed: std::collections::HashSet<&str> = marker.lines().skip(2).collect();
        for (path, bytes) in after.iter().filter(|(p, _)| *p != ".gongkai-output") {
            assert!(
                listed.contains(path.as_str()),
                "{point}: {path} not in the marker"
            );
            assert!(
                old.get(path) == Some(bytes) || new.get(path) == Some(bytes),
                "{point}: {path} is neither the old nor the new file"
            );
        }
        assert!(
            !gongkai::publish::incremental::path_for(&out).exists(),
            "{point}: the cache outlived the build that changed the output"
        );
        let o = common::gongkai_at(&root, &["build", "--output", out.to_str().unwrap()]);
        let err = common::stderr(&o);
        assert!(o.status.success(), "{point}: {err}");
        assert!(
            !err.contains("只有进展记录改动"),
            "{point}: incremental after a kill: {err}"
        );
        assert_same(&out, &new, &format!("the build after a kill at {point}"));
        assert!(
            err.contains("逐个替换文件时中断"),
            "{point}: the interrupted publication is not reported: {err}"
        );
        let register = std::fs::read_to_string(gongkai::publish::register::path_for(&out)).unwrap();
        assert!(register.contains("\"partial\":true"), "{point}: {register}");
    }
}
