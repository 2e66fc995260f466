//! The preview's incremental rebuild gives exactly the pages a full rebuild gives.

use crate::common;
use common::default_site as site;

#[test]
fn incremental_rebuild_equals_full_rebuild() {
    let s = site();
    let root = s.path();
    let (cache, inc) = gongkai::serve::rebuild_preview(root, None, None).unwrap();
    assert!(!inc);
    let file = root.join("content/plans/2023/progress/bumen.yaml");
    let edits: [(&str, &str); 3] = [
        // A status change that flips a task and a township's ledger.
        (
            "    date: 2023-08-28\n    status: done\n",
            "    date: 2023-08-28\n    status: in_progress\n",
        ),
        // A record moved to another task and unit.
        (
            "  - id: gudongguan-3-2-1\n    task: 3-2-1\n    unit: gudongguan\n",
            "  - id: gudongguan-3-2-1\n    task: 2-1-2\n    unit: sifa\n",
        ),
        // A record removed entirely (the last one in the file).
        ("  - id: shichang-2-2-2\n", "  - id: shichang-2-2-2-gone\n"),
    ];
    let mut cache = cache;
    for (from, to) in edits {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(from), "{from}");
        std::fs::write(&file, text.replacen(from, to, 1)).unwrap();
        let (next, inc) = gongkai::serve::rebuild_preview(root, None, Some(&cache)).unwrap();
        assert!(inc, "a progress-only change is rebuilt incrementally");
        let full = gongkai::serve::build_preview(root, None).unwrap();
        assert_eq!(next.files.len(), full.len());
        for (path, bytes) in &full {
            assert!(
                next.files.get(path).map(|b| b.as_slice()) == Some(bytes.as_slice()),
                "{path} differs after editing {to:?}"
            );
        }
        cache = next;
    }
    // A change outside progress records rebuilds everything.
    let units = root.join("content/units.yaml");
    let text = std::fs::read_to_string(&units).unwrap();
    std::fs::write(
        &units,
        text.replacen("name: 白沙镇", "name: 白沙镇\n    aliases: [白沙]", 1),
    )
    .unwrap();
    let (_, inc) = gongkai::serve::rebuild_preview(root, None, Some(&cache)).unwrap();
    assert!(!inc);
}

/// A theme change (here a site override of one partial) reaches every page even when the
/// preview is given its previous build: nothing is reused from a build with another theme.
#[test]
fn a_theme_change_rebuilds_every_page() {
    let s = site();
    let root = s.path();
    let (cache, _) = gongkai::serve::rebuild_preview(root, None, None).unwrap();
    let dir = root.join("themes/default/templates/partials");
    std::fs::create_dir_all(&dir).unwrap();
    let toolbar = include_str!("../themes/default/templates/partials/toolbar.html");
    std::fs::write(
        dir.join("toolbar.html"),
        toolbar.replace("恢复默认", "恢复默认设置"),
    )
    .unwrap();
    let (next, inc) = gongkai::serve::rebuild_preview(root, None, Some(&cache)).unwrap();
    assert!(!inc, "a theme change is not an incremental rebuild");
    let full = gongkai::serve::build_preview(root, None).unwrap();
    assert_eq!(next.files.len(), full.len());
    for (path, bytes) in &full {
        assert!(
            next.files.get(path).map(|b| b.as_slice()) == Some(bytes.as_slice()),
            "{path} differs after the theme change"
        );
    }
    assert!(String::from_utf8_lossy(&full["index.html"]).contains("恢复默认设置"));
}
