//! The preview's incremental rebuild serves exactly the files a full build serves, on sites
//! whose lists paginate (issue 11, items 1 and 2): the 250-task reproduction, and a fixed-seed
//! sequence of random edits on a generated site, compared after every edit.
//!
//! Whole file maps are compared, so no paginated file name is spelled here (they are about to
//! change); every call into the library is in [`preview`].

use crate::common;

use common::sitegen::{self, EditKind, GenSite, Record, Rng, Status};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// What the preview keeps between rebuilds.
type Cache = gongkai::serve::Cache;

/// Served files by path.
type Served = BTreeMap<String, Arc<Vec<u8>>>;

/// The only call into the library: a preview build of the site at `root`, incremental from
/// `prev` when given, else full (with `None` this is exactly what `serve::build_preview` does,
/// from a fresh parse cache). Returns the cache for the next rebuild, the served files, and
/// whether the rebuild was incremental.
fn preview(root: &Path, prev: Option<&Cache>) -> Result<(Cache, Served, bool), String> {
    let (cache, incremental) = gongkai::serve::rebuild_preview(root, None, prev)?;
    let files = cache
        .files
        .iter()
        .map(|(path, bytes)| (path.clone(), Arc::clone(bytes)))
        .collect();
    Ok((cache, files, incremental))
}

/// Where an incremental result and a full build differ: one line per path, empty when equal.
fn differences(incremental: &Served, full: &Served) -> Vec<String> {
    let mut out = Vec::new();
    for (path, bytes) in full {
        match incremental.get(path) {
            None => out.push(format!("  missing from the incremental result: {path}")),
            Some(b) if b != bytes => {
                out.push(format!("  differs: {path}{}", first_difference(b, bytes)))
            }
            Some(_) => {}
        }
    }
    for path in incremental.keys().filter(|p| !full.contains_key(*p)) {
        out.push(format!("  only in the incremental result: {path}"));
    }
    out
}

/// The text around the first differing byte of two files, for the failure message.
fn first_difference(inc: &[u8], full: &[u8]) -> String {
    let at = inc
        .iter()
        .zip(full)
        .position(|(a, b)| a != b)
        .unwrap_or(inc.len().min(full.len()));
    let show = |b: &[u8]| {
        // Widen to whole UTF-8 characters.
        let mut s = at.saturating_sub(60);
        while s > 0 && b[s] & 0xC0 == 0x80 {
            s -= 1;
        }
        let mut e = (at + 60).min(b.len());
        while e < b.len() && b[e] & 0xC0 == 0x80 {
            e += 1;
        }
        String::from_utf8_lossy(&b[s..e]).into_owned()
    };
    format!(
        " (byte {at}: incremental …{}… / full …{}…)",
        show(inc),
        show(full)
    )
}

/// Fail with the differing paths when the two file maps differ.
fn assert_same(incremental: &Served, full: &Served, what: &str) {
    let diff = differences(incremental, full);
    assert!(
        diff.is_empty(),
        "{what}: the incremental rebuild differs from a full build in {} of {} files:\n{}",
        diff.len(),
        full.len(),
        diff.join("\n")
    );
}

/// Number of served files whose path starts with `prefix`.
fn count(files: &Served, prefix: &str) -> usize {
    files.keys().filter(|p| p.starts_with(prefix)).count()
}

/// Issue 11's reproduction: the default content plus 250 tasks of 市司法局 (`sifa`) in category
/// 1, due 12月31日, so category 1 (266 tasks), sifa's ledger and the timeline's 2023-12 section
/// each run to three pages; one record on the 150th new task (page 2 of category 1) goes from
/// in_progress to done. On the code of issue 11 the incremental rebuild left
/// `2023/categories/1.html` and `1-3.html` (the category's tally), `units/sifa-2.html` and
/// `sifa-3.html` (the ledger's tally) and `2023/timeline/m2023-12-2.html` (the task's row)
/// showing the old status.
#[test]
fn one_status_change_among_250_tasks_of_one_unit() {
    let site = common::default_site();
    let root = site.path();
    let tasks = sitegen::same_unit_tasks("1-9", "sifa", "市司法局", "12月31日", 250);
    // A second file for category 1 (same number and title), merged after `1.yaml`.
    std::fs::write(
        root.join("content/plans/2023/tasks/1x.yaml"),
        sitegen::tasks_yaml(
            1,
            "加大主动公开力度",
            &[("（生成）司法行政信息公开".to_string(), tasks)],
        ),
    )
    .unwrap();
    let progress = root.join("content/plans/2023/progress/shengcheng.yaml");
    let mut record = Record {
        id: "sifa-1-9-150".into(),
        task: "1-9-150".into(),
        unit: "sifa".into(),
        date: (9, 15),
        status: Status::InProgress,
        summary: "（生成）行政执法信息已按季度公开。".into(),
    };
    std::fs::write(
        &progress,
        sitegen::progress_yaml(std::slice::from_ref(&record)),
    )
    .unwrap();

    let (cache, before, _) = preview(root, None).unwrap_or_else(|e| panic!("{e}"));
    // The lists this is about do paginate: category 1 has three pages, the other four one each.
    assert!(
        count(&before, "2023/categories/") > 5,
        "category 1 paginates"
    );
    assert!(
        before.keys().filter(|p| p.contains("sifa")).count() > 1,
        "sifa's ledger paginates"
    );

    record.status = Status::Done;
    std::fs::write(
        &progress,
        sitegen::progress_yaml(std::slice::from_ref(&record)),
    )
    .unwrap();
    let t = Instant::now();
    let (_, incremental, _) = preview(root, Some(&cache)).unwrap_or_else(|e| panic!("{e}"));
    eprintln!("incremental rebuild: {:.3} s", t.elapsed().as_secs_f64());
    let (_, full, _) = preview(root, None).unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(before, full, "the edit changes the site");
    assert_same(
        &incremental,
        &full,
        "record sifa-1-9-150 (task 1-9-150) in_progress -> done",
    );
}

/// Seed of the edit sequence; a failure names the edit number, which reproduces with it.
const SEED: u64 = 11;
/// Number of random edits.
const EDITS: usize = 200;

/// Issue 11 item 2: a generated site (300 tasks in 2 categories of 150, 12 units and groups,
/// 150 records in 3 progress files; ledgers, categories and the timeline's 2023-12 section
/// paginate) goes through 200 random edits, at least 80% of them progress-record edits; after
/// each, the incremental rebuild from the previous cache must serve byte for byte what a full
/// build serves.
#[test]
fn incremental_rebuild_equals_full_build_over_random_edits() {
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let mut rng = Rng::new(SEED);
    let mut site = GenSite::new(&mut rng);
    site.write(root);
    let (mut cache, first, _) =
        preview(root, None).unwrap_or_else(|e| panic!("the generated site does not build:\n{e}"));

    // The generated site has the shape the test is about: lists longer than one page.
    let ledgers = site.ledger_sizes();
    let long_ledgers = ledgers.values().filter(|n| **n > 100).count();
    assert!(long_ledgers >= 3, "ledger sizes {ledgers:?}");
    assert!(
        // The index, a page per unit and group, and at least one more per long ledger.
        count(&first, "units/") >= ledgers.len() + 1 + long_ledgers,
        "ledgers paginate: ledger sizes {ledgers:?}, {} files under units/",
        count(&first, "units/")
    );
    assert!(
        count(&first, "2023/categories/") >= 4,
        "both categories paginate"
    );
    let deadlines = site.deadline_counts();
    assert!(deadlines["12月31日"] > 100, "deadlines {deadlines:?}");
    assert!(
        first.keys().filter(|p| p.contains("m2023-12")).count() >= 2,
        "the timeline's 2023-12 section paginates"
    );

    let mut kinds = BTreeMap::new();
    let mut progress = 0;
    let mut incremental_count = 0;
    for i in 1..=EDITS {
        let (kind, edit) = site.random_edit(&mut rng);
        *kinds.entry(format!("{kind:?}")).or_insert(0) += 1;
        progress += usize::from(kind == EditKind::Progress);
        site.write(root);
        let (next, incremental, was_incremental) =
            preview(root, Some(&cache)).unwrap_or_else(|e| {
                panic!("edit #{i} ({edit}) made invalid content (a test bug):\n{e}")
            });
        let (_, full, _) = preview(root, None)
            .unwrap_or_else(|e| panic!("edit #{i} ({edit}): the full build fails:\n{e}"));
        assert_same(
            &incremental,
            &full,
            &format!("edit #{i} of {EDITS} (seed {SEED}): {edit}"),
        );
        incremental_count += usize::from(was_incremental);
        cache = next;
    }
    assert!(progress * 100 >= EDITS * 80, "edit kinds {kinds:?}");
    assert_eq!(kinds.len(), 3, "every kind of edit was made: {kinds:?}");
    eprintln!(
        "{EDITS} edits {kinds:?}, {incremental_count} rebuilt incrementally, {} records at the end, {} files served, {:.1} s",
        site.record_count(),
        first.len(),
        started.elapsed().as_secs_f64()
    );
}
