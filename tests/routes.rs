//! The route table: two outputs that would be written to one file are a located error in
//! `check` and `build` alike (one page would silently overwrite the other), and nothing is
//! published.

use crate::common;
use std::path::Path;

fn gongkai(root: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .unwrap()
}

/// `check` and `build` both exit 1 naming `where_` and `path`; `build` writes nothing.
fn assert_collision(root: &Path, where_: &str, path: &str) {
    let check = gongkai(root, &["check"]);
    let err = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "check: {err}");
    assert!(
        err.contains(where_),
        "check names the source {where_}: {err}"
    );
    assert!(err.contains("输出文件冲突") && err.contains(path), "{err}");
    let build = gongkai(root, &["build", "--output", "out"]);
    let berr = String::from_utf8_lossy(&build.stderr);
    assert_eq!(build.status.code(), Some(1), "build: {berr}");
    assert!(berr.contains(where_) && berr.contains(path), "{berr}");
    assert!(!root.join("out").exists(), "nothing published");
}

#[test]
fn a_unit_with_id_index_is_a_located_error() {
    let site = common::default_site();
    let units = site.path().join("content/units.yaml");
    let text = std::fs::read_to_string(&units).unwrap();
    let text = text.replacen(
        "units:\n",
        "units:\n  - id: index\n    name: 测试中心\n    kind: other_organ\n",
        1,
    );
    std::fs::write(&units, text).unwrap();
    // The id is on line 5, column 9 of units.yaml.
    assert_collision(site.path(), "content/units.yaml:5:9", "units/index.html");
}

#[test]
fn a_plan_folder_named_units_is_a_located_error() {
    let site = common::default_site();
    let plans = site.path().join("content/plans");
    std::fs::rename(plans.join("2023"), plans.join("units")).unwrap();
    assert_collision(
        site.path(),
        "content/plans/units/plan.yaml",
        "units/index.html",
    );
}

#[test]
fn a_unit_id_like_a_page_number_is_its_own_page() {
    // `sifa-2` was page 2 of `sifa`'s ledger before pages moved into a folder.
    assert_ne!(
        gongkai::route::url::ledger("sifa", 2),
        gongkai::route::url::ledger("sifa-2", 1)
    );
    let site = common::default_site();
    let units = site.path().join("content/units.yaml");
    let text = std::fs::read_to_string(&units).unwrap();
    let text = text.replacen(
        "units:\n",
        "units:\n  - id: sifa-2\n    name: 测试中心\n    kind: other_organ\n",
        1,
    );
    std::fs::write(&units, text).unwrap();
    let build = gongkai(site.path(), &["build", "--output", "out"]);
    assert_eq!(
        build.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    assert!(site.path().join("out/units/sifa-2.html").is_file());
}
