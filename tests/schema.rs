//! The checked-in JSON Schemas (`docs/schema/`) are what the Rust types generate, and every file
//! of the default content validates against its schema (as an editor would check it).

use std::collections::BTreeMap;

use crate::common;
use common::repo;

#[test]
fn checked_in_schemas_are_up_to_date() {
    let dir = repo().join("docs/schema");
    let generated = gongkai::schema::all();
    for (name, text) in &generated {
        let path = dir.join(name);
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == *text,
            "{} is stale or missing: run `cargo run -q -- schema` and commit the result",
            path.display()
        );
    }
    let mut extra: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !generated.iter().any(|(g, _)| g == n))
        .collect();
    extra.sort();
    assert!(
        extra.is_empty(),
        "docs/schema/ has files no type generates: {extra:?}"
    );
}

/// Compiled validators by schema file name, with format checks on (dates are `format: date`).
fn validators() -> BTreeMap<&'static str, jsonschema::Validator> {
    gongkai::schema::all()
        .into_iter()
        .map(|(name, text)| {
            let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
            let v = jsonschema::options()
                .should_validate_formats(true)
                .build(&schema)
                .unwrap_or_else(|e| panic!("{name} is not a valid JSON Schema: {e}"));
            (name, v)
        })
        .collect()
}

/// The schema for a content file, by where it lives.
fn schema_name(rel: &str) -> String {
    let parts: Vec<&str> = rel.split('/').collect();
    let file = parts[parts.len() - 1];
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    match parts.as_slice() {
        ["content", "plans", _, "tasks", _] => "tasks.schema.json".into(),
        ["content", "plans", _, "progress", _] => "progress.schema.json".into(),
        ["content", "pages", _] => "page.schema.json".into(),
        // site.yaml, units.yaml, plans/<id>/plan.yaml, pilots.yaml, and any new kind named alike.
        _ => format!("{stem}.schema.json"),
    }
}

fn validate(validators: &BTreeMap<&str, jsonschema::Validator>, rel: &str, yaml: &str) -> usize {
    let name = schema_name(rel);
    let validator = validators
        .get(name.as_str())
        .unwrap_or_else(|| panic!("{rel}: no schema {name} in gongkai::schema::all()"));
    let instance: serde_json::Value =
        serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{rel}: not YAML: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("  {} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{rel} does not match {name}:\n{}",
        errors.join("\n")
    );
    1
}

#[test]
fn default_content_matches_its_schemas() {
    let validators = validators();
    let files = common::files(&repo().join("content"), &["yaml", "yml", "md"]);
    let (mut yaml, mut pages) = (0, 0);
    for path in &files {
        let rel = path
            .strip_prefix(repo())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(path).unwrap();
        let text = text
            .strip_prefix('\u{feff}')
            .unwrap_or(&text)
            .replace("\r\n", "\n");
        if rel.ends_with(".md") {
            let (front, _, _) = gongkai::load::split_front_matter(&text)
                .unwrap_or_else(|| panic!("{rel}: no front matter"));
            pages += validate(&validators, &rel, front);
        } else {
            yaml += validate(&validators, &rel, &text);
        }
    }
    // site, units, plan, pilots, 5 task files, 2 progress files; about.md.
    assert!(yaml >= 11, "only {yaml} YAML files validated");
    assert!(pages >= 1, "no page validated");
}

#[test]
fn schemas_reject_what_check_rejects() {
    // The schemas are strict like the loader: an unknown key, a wrong type, a malformed date.
    let validators = validators();
    let bad = [
        (
            "content/plans/2023/progress/x.yaml",
            "format_version: 1\nrecords:\n  - id: a\n    task: 1-1-1\n    unit: fagai\n    date: 2023-08-01\n    statsu: done\n    summary: x\n",
        ),
        (
            "content/plans/2023/tasks/9.yaml",
            "format_version: 1\ncategory:\n  number: 一\n  title: x\nsubcategories: []\n",
        ),
        (
            "content/plans/2023/plan.yaml",
            "format_version: 1\ntitle: x\nyear: 2023\nissuer: x\nissue_date: 2023/06/16\ndisclosure: x\n",
        ),
        ("content/pages/x.md", "order: 1\n"),
    ];
    for (rel, yaml) in bad {
        let name = schema_name(rel);
        let instance: serde_json::Value = serde_saphyr::from_str(yaml).unwrap();
        assert!(
            !validators[name.as_str()].is_valid(&instance),
            "{name} accepts:\n{yaml}"
        );
    }
}
