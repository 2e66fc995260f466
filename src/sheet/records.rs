//! Turn filled rows into progress records and the file edits that add them.
//!
//! Layout: one file per unit and month of the record's date,
//! `content/plans/<plan>/progress/<unit>-<YYYY-MM>.yaml`. A new file is written whole; an
//! existing one gets the new records appended as text, so every byte already in it (hand
//! edits, review blocks and signatures) stays as it was. A record's id is `bs-` and a digest
//! of its content, so importing the same sheet again finds the ids present and adds nothing.

use super::read::Filled;
use crate::model::ProgressStatus;
use crate::site::Site;
use chrono::Datelike;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// The id of the record made from `f`: the same content gives the same id.
pub fn record_id(f: &Filled) -> String {
    let mut h = Sha256::new();
    let ev = f
        .evidence
        .as_ref()
        .map_or(String::new(), |(t, u)| format!("{t}\n{u}"));
    h.update(
        format!(
            "{}\n{}\n{}\n{}\n{}\n{}\n{ev}",
            f.plan,
            f.task,
            f.unit,
            f.date.format("%Y-%m-%d"),
            status_key(f.status),
            f.summary
        )
        .as_bytes(),
    );
    let d = h.finalize();
    let hex: String = d.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("bs-{hex}")
}

fn status_key(s: ProgressStatus) -> &'static str {
    match s {
        ProgressStatus::NotStarted => "not_started",
        ProgressStatus::InProgress => "in_progress",
        ProgressStatus::Done => "done",
    }
}

/// A YAML double-quoted scalar.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The YAML text of one record, list item at `indent` spaces.
pub fn record_yaml(f: &Filled, indent: usize) -> String {
    let i = " ".repeat(indent);
    let mut s = format!(
        "{i}- id: {}\n{i}  task: {}\n{i}  unit: {}\n{i}  date: {}\n{i}  status: {}\n{i}  summary: {}\n",
        record_id(f),
        quote(&f.task),
        quote(&f.unit),
        f.date.format("%Y-%m-%d"),
        status_key(f.status),
        quote(&f.summary)
    );
    if let Some((t, u)) = &f.evidence {
        s.push_str(&format!(
            "{i}  evidence:\n{i}    - title: {}\n{i}      url: {}\n",
            quote(t),
            quote(u)
        ));
    }
    s
}

/// The file (site-relative, `/`-separated) a record goes to.
pub fn file_for(f: &Filled) -> String {
    format!(
        "content/plans/{}/progress/{}-{:04}-{:02}.yaml",
        f.plan,
        f.unit,
        f.date.year(),
        f.date.month()
    )
}

/// The edits an import makes.
#[derive(Debug, Default)]
pub struct Writes {
    /// (site-relative path, text before or `None` for a new file, text after), by path.
    pub files: Vec<(String, Option<String>, String)>,
    /// Records added.
    pub added: usize,
    /// Rows whose record is already in the site (or twice in this import).
    pub skipped: usize,
}

/// Where a new list item goes in an existing progress file: the indent of its record items,
/// or why the text cannot simply be appended to.
fn append_indent(text: &str) -> Result<usize, String> {
    let mut in_records = false;
    let mut indent = None;
    for line in text.lines() {
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let lead = line.len() - body.len();
        if lead == 0 && !body.starts_with('-') {
            if in_records {
                return Err("records: 之后还有其他内容".into());
            }
            if let Some(rest) = body.strip_prefix("records:") {
                let rest = rest.trim();
                if !(rest.is_empty() || rest.starts_with('#')) {
                    return Err(format!("records: 写在同一行（{rest}）"));
                }
                in_records = true;
            }
            continue;
        }
        if in_records && indent.is_none() && body.starts_with("- ") {
            indent = Some(lead);
        }
    }
    if !in_records {
        return Err("没有 records: 一行".into());
    }
    Ok(indent.unwrap_or(2))
}

/// Plan the edits adding `rows` to `site` (`read` reads an existing file's text, site-relative
/// path). Errors name the file that cannot be appended to.
pub fn plan(
    site: &Site,
    rows: &[Filled],
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<Writes, Vec<String>> {
    let mut present: BTreeSet<(String, String)> = BTreeSet::new();
    for p in &site.plans {
        for r in &p.records {
            present.insert((p.id.clone(), r.entry.id.value.clone()));
        }
    }
    let mut w = Writes::default();
    let mut by_file: BTreeMap<String, Vec<&Filled>> = BTreeMap::new();
    for f in rows {
        if !present.insert((f.plan.clone(), record_id(f))) {
            w.skipped += 1;
            continue;
        }
        by_file.entry(file_for(f)).or_default().push(f);
    }
    let mut errors = Vec::new();
    for (path, list) in by_file {
        let before = read(&path);
        let (indent, mut text) = match &before {
            None => (2, "format_version: 1\nrecords:\n".to_string()),
            Some(t) => match append_indent(t) {
                Ok(i) => {
                    let mut t = t.clone();
                    if !t.is_empty() && !t.ends_with('\n') {
                        t.push('\n');
                    }
                    (i, t)
                }
                Err(e) => {
                    errors.push(format!(
                        "{path}：无法在文件末尾追加记录（{e}）；请把 records: 列表放在文件最后，或把这个文件改名后重新导入"
                    ));
                    continue;
                }
            },
        };
        for f in &list {
            text.push_str(&record_yaml(f, indent));
        }
        w.added += list.len();
        w.files.push((path, before, text));
    }
    if errors.is_empty() {
        Ok(w)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents() {
        assert_eq!(
            append_indent("format_version: 1\nrecords:\n  - id: a\n"),
            Ok(2)
        );
        assert_eq!(
            append_indent("format_version: 1\nrecords:\n- id: a\n"),
            Ok(0)
        );
        assert!(append_indent("records: []\n").is_err());
        assert!(append_indent("records:\n  - id: a\nformat_version: 1\n").is_err());
        assert!(append_indent("format_version: 1\n").is_err());
    }

    #[test]
    fn quoting() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("一\n二"), "\"一\\n二\"");
    }
}
