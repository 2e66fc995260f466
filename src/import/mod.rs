//! `gongkai import`: read a 工作要点分工表 from Word (.docx), Excel (.xlsx) or CSV and produce
//! the `content/` YAML of a new site.
//!
//! Pipeline: a format reader ([`docx`], [`xlsx`], [`csv`]) gives raw tables with merge markers →
//! [`table`] finds the header and walks the rows into categories, sub-categories and tasks →
//! [`units`] splits 责任单位 cells into unit and group ids → [`mod@write`] renders YAML text. No IO
//! here beyond what the caller passes in; every ambiguity is returned as a located [`Note`].

pub mod csv;
pub mod docx;
pub mod table;
pub mod units;
pub mod write;
pub mod xlsx;

pub use table::{Field, MapRule, Note, Pos};

use crate::deadline::{DeadlineKind, interpret};
use table::{Document, Parsed};
use units::Dictionary;
use write::TaskOut;

/// The file formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Word 2007+.
    Docx,
    /// Excel 2007+.
    Xlsx,
    /// Comma-separated text.
    Csv,
}

impl Format {
    /// The format of a file, by its extension.
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "docx" => Some(Format::Docx),
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            "csv" | "txt" | "tsv" => Some(Format::Csv),
            _ => None,
        }
    }
}

/// Read a file's tables.
pub fn read(bytes: &[u8], format: Format, sheet: Option<&str>) -> Result<Document, String> {
    match format {
        Format::Docx => docx::read(bytes),
        Format::Xlsx => xlsx::read(bytes, sheet),
        Format::Csv => csv::read(bytes),
    }
}

/// What to import and how.
#[derive(Debug, Clone, Default)]
pub struct Options<'a> {
    /// The source file's name, for comments and the fallback title and year.
    pub source_name: &'a str,
    /// `--map` rules.
    pub maps: &'a [MapRule],
    /// `--year`.
    pub year: Option<i32>,
    /// The target's existing `units.yaml`, if any; else the built-in dictionary is used.
    pub units_yaml: Option<&'a str>,
}

/// The result of an import.
#[derive(Debug, Clone)]
pub struct Imported {
    /// Files to write: path relative to the site root, and text.
    pub files: Vec<(String, String)>,
    /// Ambiguities, in table order.
    pub notes: Vec<Note>,
    /// Plan title.
    pub title: String,
    /// Plan year.
    pub year: i32,
    /// Number of categories.
    pub categories: usize,
    /// Number of tasks.
    pub tasks: usize,
    /// Units and groups the table names.
    pub units_used: usize,
    /// Units and groups proposed by this import.
    pub units_new: usize,
    /// The units and groups added to `units.yaml`, one line each ("单位 danwei-1：县林业局").
    pub added: Vec<String>,
}

/// A sub-category's title and tasks, ready to write.
type SubOut = (String, Vec<TaskOut>);

/// The first `YYYY年` (1900–2200) in a text.
fn year_in(s: &str) -> Option<i32> {
    let chars: Vec<char> = s.chars().collect();
    (0..chars.len().saturating_sub(4)).find_map(|i| {
        let w = &chars[i..i + 5];
        let digits = w[..4].iter().all(char::is_ascii_digit);
        let before_ok = i == 0 || !chars[i - 1].is_ascii_digit();
        if digits && before_ok && w[4] == '年' {
            let y: i32 = w[..4].iter().collect::<String>().parse().ok()?;
            (1900..=2200).contains(&y).then_some(y)
        } else {
            None
        }
    })
}

/// A lone four-digit year (1900–2200) in a file name such as `fengong-2024.xlsx`.
fn year_digits(s: &str) -> Option<i32> {
    s.split(|c: char| !c.is_ascii_digit())
        .filter(|p| p.len() == 4)
        .filter_map(|p| p.parse().ok())
        .find(|y| (1900..=2200).contains(y))
}

/// The plan title among the lines above the table.
fn pick_title(lines: &[String], fallback: &str) -> String {
    lines
        .iter()
        .map(|l| l.replace('\n', ""))
        .find(|l| l.contains("分工表") || l.contains("工作要点") || l.contains("任务"))
        .or_else(|| {
            lines
                .iter()
                .find(|l| l.chars().count() >= 4)
                .map(|l| l.replace('\n', ""))
        })
        .unwrap_or_else(|| fallback.to_string())
}

/// The last part of the ids of one sub-category's tasks: the tasks' own 序号 (column or text
/// numbering) when every task has one and no two are the same, else their order (with a note
/// when some had one).
fn task_numbers(tasks: &[table::Task], notes: &mut Vec<Note>) -> Vec<u32> {
    let own: Vec<Option<u32>> = tasks.iter().map(|t| t.number).collect();
    let mut seen = std::collections::BTreeSet::new();
    let distinct = own.iter().flatten().all(|n| seen.insert(*n));
    if own.iter().all(Option::is_some) && distinct {
        return own.into_iter().flatten().collect();
    }
    if let Some(t) = tasks.iter().find(|t| t.number.is_some()) {
        notes.push(Note {
            pos: Some(t.text.pos.clone()),
            message: format!(
                "这一组 {} 项任务的序号{}，任务编号改按顺序编为 1–{}",
                tasks.len(),
                if distinct { "不全" } else { "有重复" },
                tasks.len()
            ),
        });
    }
    (1..).take(tasks.len()).collect()
}

/// Import a document read by [`read`].
pub fn import(doc: &Document, opts: &Options<'_>) -> Result<Imported, String> {
    let stem = std::path::Path::new(opts.source_name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("工作要点分工表")
        .to_string();
    let mut parsed: Parsed = table::parse(doc, opts.maps, "")?;
    let mut lines = doc.title_lines.clone();
    lines.extend(parsed.above_header.iter().cloned());
    let title = pick_title(&lines, &stem);
    let year = match opts.year {
        Some(y) => y,
        None => lines
            .iter()
            .find_map(|l| year_in(l))
            .or_else(|| year_in(&stem))
            .or_else(|| year_digits(&stem))
            .ok_or_else(|| {
                format!("无法确定计划年度：标题“{title}”中没有“2023年”这样的年份；请用 --year 指定，例如 --year 2024")
            })?,
    };
    if parsed
        .categories
        .iter()
        .all(|c| c.subcategories.iter().all(|s| s.tasks.is_empty()))
    {
        return Err("表格中没有读到任何任务（具体要求一栏都是空的）".to_string());
    }
    for c in &mut parsed.categories {
        if c.title.is_empty() {
            c.title.clone_from(&title);
        }
    }
    let mut notes = std::mem::take(&mut parsed.notes);
    let mut dict = match opts.units_yaml {
        Some(y) => {
            let mut d = Dictionary::from_yaml(y)
                .map_err(|e| format!("已有的 content/units.yaml 无法读取：{e}"))?;
            d.fallback = Some(Box::new(Dictionary::builtin()));
            d
        }
        None => Dictionary::builtin(),
    };
    let mut cats: Vec<&table::Category> = parsed.categories.iter().collect();
    cats.sort_by_key(|c| c.number);
    let mut files: Vec<(String, String)> = Vec::new();
    let mut task_count = 0;
    let mut per_cat: Vec<(u32, String, Vec<SubOut>)> = Vec::new();
    for c in &cats {
        let mut subs_out = Vec::new();
        for (si, s) in c.subcategories.iter().enumerate() {
            if s.tasks.is_empty() {
                continue;
            }
            let mut tasks_out = Vec::new();
            let numbers = task_numbers(&s.tasks, &mut notes);
            for (t, n) in s.tasks.iter().zip(numbers) {
                let mut out = TaskOut {
                    id: if s.title.is_empty() {
                        format!("{}-{n}", c.number)
                    } else {
                        format!("{}-{}-{n}", c.number, si + 1)
                    },
                    text: t.text.text.clone(),
                    deadline: t.deadline.as_ref().map(|d| d.text.clone()),
                    ..TaskOut::default()
                };
                for (cell, text, ids) in [
                    (
                        &t.responsible,
                        &mut out.responsible_text,
                        &mut out.responsible,
                    ),
                    (&t.lead, &mut out.lead_text, &mut out.lead),
                    (
                        &t.cooperating,
                        &mut out.cooperating_text,
                        &mut out.cooperating,
                    ),
                ] {
                    let Some(cell) = cell else { continue };
                    let split = dict.split(&cell.text);
                    for (name, id, group) in &split.added {
                        let what = if *group {
                            "单位组".to_string()
                        } else {
                            let kind = dict
                                .units
                                .iter()
                                .find(|u| u.id == *id)
                                .map_or("", |u| u.kind.label());
                            format!("单位（{kind}）")
                        };
                        notes.push(Note {
                            pos: Some(cell.pos.clone()),
                            message: format!(
                                "“{name}”不在单位名录中，已新增为{what}，编号 {id}；请在 content/units.yaml 中核对，或把它加为已有单位的别名"
                            ),
                        });
                    }
                    out.and_others |= split.and_others;
                    *text = Some(cell.text.clone());
                    *ids = split.ids;
                }
                if let Some(d) = &t.deadline
                    && interpret(&d.text, year) == DeadlineKind::Text
                {
                    notes.push(Note {
                        pos: Some(d.pos.clone()),
                        message: format!(
                            "完成时限“{}”无法自动解读，将原样显示、不计逾期；如有具体日期，在任务中加 deadline_date",
                            d.text
                        ),
                    });
                }
                tasks_out.push(out);
            }
            task_count += tasks_out.len();
            subs_out.push((s.title.clone(), tasks_out));
        }
        per_cat.push((c.number, c.title.clone(), subs_out));
    }
    let source = std::path::Path::new(opts.source_name)
        .file_name()
        .and_then(|s| s.to_str())
        .unwrap_or(opts.source_name)
        .to_string();
    files.push(("content/site.yaml".to_string(), write::site_yaml(&title)));
    let units_text = match opts.units_yaml {
        // The clerk's file: new entries appended, every existing byte kept.
        Some(text) => write::merge_units_yaml(text, &dict)?,
        None => write::units_yaml(&dict),
    };
    files.push(("content/units.yaml".to_string(), units_text));
    let added = dict
        .units
        .iter()
        .filter(|u| u.new)
        .map(|u| format!("单位 {}：{}", u.id, u.name))
        .chain(
            dict.groups
                .iter()
                .filter(|g| g.new)
                .map(|g| format!("单位组 {}：{}", g.id, g.name)),
        )
        .collect();
    files.push((
        format!("content/plans/{year}/plan.yaml"),
        write::plan_yaml(&title, year, &source),
    ));
    for (n, t, subs) in &per_cat {
        files.push((
            format!("content/plans/{year}/tasks/{n}.yaml"),
            write::tasks_yaml(*n, t, subs, &source),
        ));
    }
    let units_used = dict.units.iter().filter(|u| u.used).count()
        + dict.groups.iter().filter(|g| g.used).count();
    let units_new =
        dict.units.iter().filter(|u| u.new).count() + dict.groups.iter().filter(|g| g.new).count();
    Ok(Imported {
        files,
        notes,
        title,
        year,
        categories: per_cat.len(),
        tasks: task_count,
        units_used,
        units_new,
        added,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv_doc(text: &str) -> Document {
        csv::read(text.as_bytes()).unwrap()
    }

    #[test]
    fn deadlines_read_with_the_plan_year_and_unreadable_ones_are_reported() {
        let doc = csv_doc(
            "2024年分工表,,,,\n序号,工作任务,具体要求,责任单位,完成时限\n1,甲类,任务一,市发改局,8月31日\n,,任务二,市发改局,视情况而定\n,,任务三,市发改局,长期坚持\n",
        );
        let imp = import(&doc, &Options::default()).unwrap();
        assert_eq!(imp.year, 2024);
        let tasks = &imp
            .files
            .iter()
            .find(|f| f.0 == "content/plans/2024/tasks/1.yaml")
            .unwrap()
            .1;
        assert!(tasks.contains("deadline: \"8月31日\""), "{tasks}");
        let notes: Vec<String> = imp.notes.iter().map(ToString::to_string).collect();
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(
            notes[0].starts_with("第 4 行第 5 列（完成时限）：完成时限“视情况而定”无法自动解读")
        );
        // --year wins over the title.
        let imp = import(
            &doc,
            &Options {
                year: Some(2025),
                ..Options::default()
            },
        )
        .unwrap();
        assert!(
            imp.files
                .iter()
                .any(|f| f.0 == "content/plans/2025/plan.yaml")
        );
    }

    #[test]
    fn task_ids_end_with_the_tables_numbers_unless_they_repeat() {
        let ids = |text: &str| {
            let imp = import(&csv_doc(text), &Options::default()).unwrap();
            let tasks = &imp
                .files
                .iter()
                .find(|f| f.0 == "content/plans/2024/tasks/2.yaml")
                .unwrap()
                .1;
            let ids: Vec<String> = tasks
                .lines()
                .filter_map(|l| l.trim().strip_prefix("- id: "))
                .map(String::from)
                .collect();
            let notes: Vec<String> = imp.notes.iter().map(ToString::to_string).collect();
            (ids, notes)
        };
        let (got, notes) = ids(
            "2024年分工表,,,\n序号,工作任务,具体要求,责任单位\n1,甲类,1.任务一,市发改局\n2,乙类,2.任务二,市发改局\n,,3、任务三,市发改局\n",
        );
        assert_eq!(got, vec!["\"2-2\"", "\"2-3\""]);
        assert!(notes.is_empty(), "{notes:?}");
        let (got, notes) = ids(
            "2024年分工表,,,\n序号,工作任务,具体要求,责任单位\n1,甲类,任务一,市发改局\n2,乙类,1.任务二,市发改局\n,,1.任务三,市发改局\n",
        );
        assert_eq!(got, vec!["\"2-1\"", "\"2-2\""]);
        assert_eq!(
            notes,
            vec![
                "第 4 行第 3 列（具体要求）：这一组 2 项任务的序号有重复，任务编号改按顺序编为 1–2"
            ]
        );
    }

    #[test]
    fn years() {
        assert_eq!(year_in("2023年全市政务公开工作要点分工表"), Some(2023));
        assert_eq!(year_in("关于印发2024年工作要点的通知"), Some(2024));
        assert_eq!(year_in("12023年"), None);
        assert_eq!(year_in("工作要点"), None);
        assert_eq!(year_digits("fengong-2024_v2"), Some(2024));
    }
}
