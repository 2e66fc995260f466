//! The default content transcribes the seed document faithfully: every task text, 责任单位 cell
//! and 完成时限 verbatim, the 5 categories and 20 sub-categories with their titles, in order.
//!
//! The seed is `tests/fixtures/seed/000_58127722fd773124.txt` (see the README there): each table
//! row is a block of tab-indented lines (序号, 工作任务, 重点工作任务, task text, 责任单位,
//! 完成时限) ended by an empty line; an empty cell is merged with the row above; a line without
//! the tab continues the cell above it (the “5” on line 304); an empty line inside a block that
//! is not yet six cells long is skipped (lines 306 and 335).

use std::path::{Path, PathBuf};

use crate::common;
use common::{gongkai_at, repo};

fn seed_path() -> PathBuf {
    common::fixture("seed/000_58127722fd773124.txt")
}

/// One table row with merged cells filled in from the rows above.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    number: u32,
    category: String,
    /// Whether this row opens a sub-category (its 重点工作任务 cell is not merged).
    new_subcategory: bool,
    subcategory: String,
    text: String,
    responsible: String,
    deadline: String,
}

fn parse_seed(text: &str) -> Vec<Row> {
    let lines: Vec<&str> = text.lines().collect();
    let header = lines
        .iter()
        .position(|l| *l == "\t序号")
        .expect("seed has the table header");
    // The header block has five cells (the task text column has no heading); skip past it.
    let start = header
        + lines[header..]
            .iter()
            .position(|l| l.is_empty())
            .expect("header ends")
        + 1;

    let mut blocks: Vec<Vec<String>> = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    for line in &lines[start..] {
        if let Some(cell) = line.strip_prefix('\t') {
            cells.push(cell.to_string());
        } else if line.is_empty() {
            if cells.len() == 6 {
                blocks.push(std::mem::take(&mut cells));
            }
        } else if let Some(last) = cells.last_mut() {
            last.push_str(line);
        } else {
            break; // "- 17 -": the table is over.
        }
    }
    assert!(cells.is_empty(), "unfinished row at the end: {cells:?}");

    let mut rows: Vec<Row> = Vec::new();
    for cells in blocks {
        let prev = rows.last();
        let carry = |i: usize, above: Option<&str>| -> String {
            if cells[i].is_empty() {
                above.expect("a merged cell has a row above").to_string()
            } else {
                cells[i].clone()
            }
        };
        let number = if cells[0].is_empty() {
            prev.expect("row above").number
        } else {
            cells[0].parse().expect("序号 is a number")
        };
        rows.push(Row {
            number,
            category: carry(1, prev.map(|r| r.category.as_str())),
            new_subcategory: !cells[2].is_empty(),
            subcategory: carry(2, prev.map(|r| r.subcategory.as_str())),
            text: cells[3].clone(),
            responsible: cells[4].clone(),
            deadline: cells[5].clone(),
        });
    }
    rows
}

fn seed_rows() -> Vec<Row> {
    let path = seed_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("read the seed at {}: {e}", path.display()));
    parse_seed(&text)
}

#[test]
fn seed_parses_into_50_rows() {
    let rows = seed_rows();
    assert_eq!(rows.len(), 50);
    // Line 304: the “5” of the fifth category sits on a line of its own.
    assert_eq!(rows.iter().filter(|r| r.number == 5).count(), 8);
    assert!(
        rows.iter()
            .all(|r| !r.text.is_empty() && !r.responsible.is_empty())
    );
    assert!(rows.iter().all(|r| !r.deadline.is_empty()));
    assert_eq!(rows.iter().filter(|r| r.new_subcategory).count(), 20);
}

#[test]
fn every_task_text_appears_verbatim_once() {
    let rows = seed_rows();
    let checked = gongkai::check_site(repo(), None).unwrap();
    let site = checked.site.expect("default content loads");
    let tasks: Vec<_> = site.plans.iter().flat_map(|p| p.tasks()).collect();
    assert_eq!(tasks.len(), 50);
    for row in &rows {
        let n = tasks
            .iter()
            .filter(|t| t.entry.text.value == row.text)
            .count();
        assert_eq!(n, 1, "task text loaded {n} times: {}", row.text);
    }

    // The raw files too: once in all of content/**/*.yaml, as the value of a `text:` key.
    let files: Vec<(PathBuf, String)> = common::files(&repo().join("content"), &["yaml"])
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path, text)
        })
        .collect();
    for row in &rows {
        let hits: Vec<(&Path, &str)> = files
            .iter()
            .flat_map(|(path, text)| {
                text.lines()
                    .filter(|l| l.contains(&row.text))
                    .map(move |l| (path.as_path(), l))
            })
            .collect();
        assert_eq!(hits.len(), 1, "{} found on {hits:?}", row.text);
        let line = hits[0].1.trim_start();
        let value = line.strip_prefix("text: ").unwrap_or_else(|| {
            panic!(
                "{}: not the value of a text: key: {line}",
                hits[0].0.display()
            )
        });
        assert!(
            value == row.text || value == format!("\"{}\"", row.text),
            "{}: text is more than the seed's: {line}",
            hits[0].0.display()
        );
    }
}

#[test]
fn cells_categories_and_subcategories_match_the_seed() {
    let rows = seed_rows();
    let checked = gongkai::check_site(repo(), None).unwrap();
    let site = checked.site.expect("default content loads");
    assert_eq!(site.plans.len(), 1);
    let plan = &site.plans[0];

    // Tasks in table order, with their category and sub-category.
    let mut loaded = Vec::new();
    for cat in &plan.categories {
        for sub in &cat.subcategories {
            for task in &sub.tasks {
                loaded.push((cat, sub, task));
            }
        }
    }
    assert_eq!(loaded.len(), rows.len());
    for (row, (cat, sub, task)) in rows.iter().zip(&loaded) {
        let id = task.entry.id.value.as_str();
        assert_eq!(task.entry.text.value, row.text, "task {id}");
        assert_eq!(cat.number, row.number, "category of task {id}");
        assert_eq!(cat.title.value, row.category, "category title of task {id}");
        assert_eq!(
            sub.title.as_ref().map_or("", |t| t.value.as_str()),
            row.subcategory,
            "sub-category of task {id}"
        );
        let responsible = task
            .entry
            .responsible_text
            .as_ref()
            .map(|l| l.value.as_str());
        assert_eq!(
            responsible,
            Some(row.responsible.as_str()),
            "责任单位 of task {id}"
        );
        let deadline = task.entry.deadline.as_ref().map(|l| l.value.as_str());
        assert_eq!(
            deadline,
            Some(row.deadline.as_str()),
            "完成时限 of task {id}"
        );
    }

    // 5 categories and 20 sub-categories, titled as in the seed.
    let seed_categories: Vec<(u32, &str)> = {
        let mut v: Vec<(u32, &str)> = rows
            .iter()
            .map(|r| (r.number, r.category.as_str()))
            .collect();
        v.dedup();
        v
    };
    let categories: Vec<(u32, &str)> = plan
        .categories
        .iter()
        .map(|c| (c.number, c.title.as_str()))
        .collect();
    assert_eq!(categories, seed_categories);
    assert_eq!(categories.len(), 5);

    let seed_subs: Vec<(u32, &str)> = rows
        .iter()
        .filter(|r| r.new_subcategory)
        .map(|r| (r.number, r.subcategory.as_str()))
        .collect();
    let subs: Vec<(u32, &str)> = plan
        .categories
        .iter()
        .flat_map(|c| {
            c.subcategories
                .iter()
                .map(move |s| (c.number, s.title.as_ref().map_or("", |t| t.as_str())))
        })
        .collect();
    assert_eq!(subs, seed_subs);
    assert_eq!(subs.len(), 20);
}

#[test]
fn default_content_checks_clean() {
    let out = gongkai_at(repo(), &["check", "--deny-warnings"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.starts_with("检查通过：1 份计划，50 项任务，"),
        "{stderr}"
    );
    assert!(!stderr.contains("警告"), "{stderr}");

    let checked = gongkai::check_site(repo(), None).unwrap();
    assert_eq!(checked.report.diagnostics, []);
}
