//! Turning serde-saphyr errors into Chinese, located diagnostics with a hint.

use crate::diag::{Diagnostic, suggest};
use schemars::JsonSchema;
use serde_saphyr::Error;

/// The Chinese title of field `name` anywhere in `T`'s JSON Schema (for hints).
pub(crate) fn field_title<T: JsonSchema>(name: &str) -> Option<String> {
    find_title(&crate::schema::for_type::<T>(), name)
}

fn find_title(v: &serde_json::Value, name: &str) -> Option<String> {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(props)) = map.get("properties")
                && let Some(t) = props
                    .get(name)
                    .and_then(|p| p.get("title"))
                    .and_then(|t| t.as_str())
            {
                return Some(t.to_string());
            }
            map.values().find_map(|x| find_title(x, name))
        }
        serde_json::Value::Array(a) => a.iter().find_map(|x| find_title(x, name)),
        _ => None,
    }
}

fn type_cn(expected: &str) -> String {
    let e = expected.trim();
    let s = if e.contains("string") || e.contains("str") {
        "文本"
    } else if e.starts_with('u') || e.starts_with('i') && e.len() <= 5 || e.contains("integer") {
        "整数"
    } else if e.contains("bool") {
        "true 或 false"
    } else if e.contains("sequence") || e.contains("Vec") || e.contains("list") {
        "列表（每项以“- ”开头）"
    } else if e.contains("struct") || e.contains("map") {
        "映射（若干“键: 值”行）"
    } else if e.contains("float") || e.contains("f64") {
        "数字"
    } else {
        return e.to_string();
    };
    s.to_string()
}

/// Build the diagnostic for a YAML error in file `rel` (whose text is `text`). `line_offset`
/// is added to the parser's line (front matter starts after the first `---` line).
pub(crate) fn diagnostic<T: JsonSchema>(
    err: &Error,
    rel: &str,
    text: &str,
    line_offset: u32,
) -> Diagnostic {
    let inner = err.without_snippet();
    let (line, col) = inner
        .location()
        .or_else(|| err.location())
        .map_or((1, 1), |l| {
            (
                u32::try_from(l.line()).unwrap_or(1).max(1),
                u32::try_from(l.column()).unwrap_or(1).max(1),
            )
        });
    let line = line + line_offset;
    let src_line = text.lines().nth(line as usize - 1).unwrap_or("");
    let at = |msg: String| Diagnostic::error(rel, line, col, msg);
    // `-id: x` reads as a key "-id" (a mapping where a list was due): a missing space.
    let t = src_line.trim_start();
    if let Some(rest) = t.strip_prefix('-')
        && rest.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        let c = u32::try_from(src_line.len() - t.len() + 1).unwrap_or(1);
        return Diagnostic::error(rel, line, c, "“-”后面缺少空格")
            .width(1)
            .hint(format!("列表的每一项写成“- {rest}”（“-”后空一格）"));
    }
    match inner {
        Error::SerdeUnknownField {
            field, expected, ..
        } => {
            let titled = |k: &str| match field_title::<T>(k) {
                Some(t) => format!("{k}（{t}）"),
                None => k.to_string(),
            };
            let fields: Vec<String> = expected.iter().map(|k| titled(k)).collect();
            let hint = format!("这里可用的字段：{}", fields.join("、"));
            let chinese = field.chars().any(is_cjk);
            let meant = if chinese {
                crate::vocab::key_for(field, expected).or_else(|| {
                    // A Chinese field title written as the key (进展状态 for status).
                    expected
                        .iter()
                        .copied()
                        .find(|k| field_title::<T>(k).is_some_and(|t| t.contains(field.trim())))
                })
            } else {
                suggest(field, expected.iter().copied())
            };
            let msg = match meant {
                Some(k) if chinese => format!("字段名要用英文：“{field}”请写作 {k}"),
                Some(k) => format!(
                    "未知的字段 \"{field}\"，是否指 \"{k}\"{}？",
                    field_title::<T>(k)
                        .map(|t| format!("（{t}）"))
                        .unwrap_or_default()
                ),
                None if chinese => format!("字段名要用英文：不认识“{field}”"),
                None => format!("未知的字段 \"{field}\""),
            };
            at(msg).width(field.chars().count()).hint(hint)
        }
        Error::SerdeMissingField { field, .. } => {
            let title = field_title::<T>(field)
                .map(|t| format!("（{t}）"))
                .unwrap_or_default();
            at(format!("缺少必填字段 \"{field}\"{title}"))
                .hint(format!("在这一层加上一行 {field}: …"))
        }
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let mut msg = format!("不认识的取值 \"{variant}\"");
            let english: Vec<&str> = expected
                .iter()
                .copied()
                .filter(|e| !crate::vocab::is_value_word(e))
                .collect();
            if let Some(s) = suggest(variant, english.iter().copied()) {
                msg.push_str(&format!("，是否指 \"{s}\"？"));
            }
            let choices: Vec<String> = english
                .iter()
                .map(|e| match crate::vocab::value_label(e) {
                    Some(label) => format!("{e} 或 {label}"),
                    None => (*e).to_string(),
                })
                .collect();
            at(msg)
                .width(variant.chars().count())
                .hint(format!("可选的取值：{}", choices.join("、")))
        }
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => at(format!(
            "类型不对：这里应为{}，实际写的是{}",
            type_cn(expected),
            unexpected_cn(unexpected)
        ))
        .hint("检查这一项的写法；文本中含冒号等符号时请加引号"),
        Error::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => at(format!(
            "取值不对：这里应为{}，实际写的是{}",
            type_cn(expected),
            unexpected_cn(unexpected)
        )),
        Error::DuplicateMappingKey { key, .. } => {
            let k = key.clone().unwrap_or_default();
            at(format!("重复的键 \"{k}\""))
                .width(k.chars().count())
                .hint("同一层里每个键只能写一次；删掉或合并重复的那一行")
        }
        // A well-formed value of the wrong kind: a type error, not a syntax error.
        Error::InvalidScalar { ty, .. } => {
            let (written, width) = written_at(src_line, col);
            let want = if ty.starts_with('u') {
                "不小于 0 的整数".to_string()
            } else {
                type_cn(ty)
            };
            at(format!("类型不对：这里应为{want}，实际写的是{written}"))
                .width(width)
                .hint("检查这一项的写法；文本中含冒号等符号时请加引号")
        }
        Error::Unexpected { expected, .. } if expected_cn(expected).is_some() => {
            let (written, width) = written_at(src_line, col);
            let want = expected_cn(expected).unwrap_or_default();
            // “应为 true 或 false”: a space between Chinese and Latin text.
            let sp = if want.starts_with(|c: char| c.is_ascii()) {
                " "
            } else {
                ""
            };
            at(format!("类型不对：这里应为{sp}{want}，实际写的是{written}"))
                .width(width)
                .hint("检查这一项的写法；文本中含冒号等符号时请加引号")
        }
        Error::NullIntoString { .. } => {
            let after_colon = src_line.split_once(": ").map(|x| x.1.trim_start());
            if after_colon.is_some_and(|v| v.starts_with('#')) {
                at("“#”开头的文字被当成了注释，这一项成了空值".to_string())
                    .hint("给整段文字加上半角引号，例如 summary: \"#3 号文件已公开\"")
            } else {
                at("这里不能为空，应填写文本".to_string())
                    .hint("在冒号后写上内容；确实为空时写 \"\"")
            }
        }
        Error::Message { msg, .. } => {
            let width = src_line
                .chars()
                .skip(col as usize - 1)
                .take_while(|c| !c.is_whitespace() && *c != '#')
                .count();
            at(msg.clone()).width(width)
        }
        Error::Eof { .. } => {
            at("文件意外结束".to_string()).hint("检查引号、括号是否成对，最后一项是否写完整")
        }
        Error::Budget { .. } => {
            at("文件过大或嵌套过深，超出读取上限".to_string()).hint("把内容拆分到多个文件")
        }
        other => {
            let raw = other.to_string();
            let raw = raw.split(" at line ").next().unwrap_or(&raw).to_string();
            syntax(rel, text, line, col, &raw)
        }
    }
}

/// Whether `e` is a mistake in a value or a key (the file's structure was read), after which
/// the rest of the file can still be checked.
fn is_value_error(e: &Error) -> bool {
    matches!(
        e.without_snippet(),
        Error::SerdeUnknownField { .. }
            | Error::SerdeMissingField { .. }
            | Error::SerdeUnknownVariant { .. }
            | Error::SerdeInvalidType { .. }
            | Error::SerdeInvalidValue { .. }
            | Error::DuplicateMappingKey { .. }
            | Error::InvalidScalar { .. }
            | Error::Unexpected { .. }
            | Error::NullIntoString { .. }
            | Error::Message { .. }
    )
}

fn line_of(e: &Error) -> Option<usize> {
    e.without_snippet()
        .location()
        .or_else(|| e.location())
        .map(|l| l.line() as usize)
        .filter(|l| *l >= 1)
}

/// What [`more_mistakes`] found after the first mistake of a file.
pub(crate) struct Rest<T> {
    /// The mistakes after the first.
    pub found: Vec<Diagnostic>,
    /// The file's value without every list item (or top-level value) that holds a mistake,
    /// when what is left reads: its good records still take part in the other checks.
    pub partial: Option<T>,
    /// The lines left out of `partial` (all of them when there is none): names and ids written
    /// there may be what other files refer to.
    pub unread: Vec<String>,
}

/// The mistakes after `first` in the same file: serde stops at the first wrong value, so the
/// value's lines are blanked (its key and anything indented under it; the whole list item when
/// blanking the value would leave a required field missing or the item's first line is wrong)
/// and the text read again, until it reads or a syntax error ends it. Lines keep their numbers.
/// At most 200 rounds.
pub(crate) fn more_mistakes<T: JsonSchema + serde::de::DeserializeOwned>(
    first: &Error,
    rel: &str,
    text: &str,
) -> Rest<T> {
    let original: Vec<&str> = text.lines().collect();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut found = Vec::new();
    let everything = |found| Rest {
        found,
        partial: None,
        unread: text.lines().map(str::to_string).collect(),
    };
    let mut mistakes = Vec::new();
    // Lines set aside that hold no mistake: below a syntax error, everything from its record on.
    let mut dropped = Vec::new();
    let mut read = false;
    let mut cut = false;
    let mut seen = std::collections::BTreeSet::new();
    let mut current: Option<Error> = None;
    for _ in 0..200 {
        let e = current.as_ref().unwrap_or(first);
        let Some(err_line) = line_of(e).filter(|l| *l <= lines.len()) else {
            break;
        };
        let step = if is_value_error(e) {
            if !seen.insert(err_line) {
                break;
            }
            mistakes.push(err_line);
            set_aside::<T>(&lines, err_line)
        } else if cut {
            break;
        } else {
            // Nothing below a syntax error can be trusted; what is above it is read on its own.
            cut = true;
            cut_below::<T>(&original, &mut lines, &mut dropped, err_line)
        };
        let (trial, next, blanked_from) = match step {
            Step::Read => {
                read = true;
                break;
            }
            Step::Stop => break,
            Step::Next(trial, next, from) => (trial, next, from),
        };
        // Values are read in order: a mistake before what was set aside (the list it emptied,
        // the key above it) was made by setting it aside, not by the writer; nor is one at or
        // after a cut, or a field missing once there is a cut (it may be written below it).
        let before_cut = |l: &usize| dropped.iter().all(|&d| *l <= d);
        let missing = matches!(next.without_snippet(), Error::SerdeMissingField { .. });
        if missing && !dropped.is_empty() {
            break;
        }
        let Some(_) = line_of(&next).filter(|l| *l > blanked_from && before_cut(l)) else {
            break;
        };
        lines = trial;
        found.push(diagnostic::<T>(&next, rel, &lines.join("\n"), 0));
        current = Some(next);
    }
    if !read {
        return everything(found);
    }
    // The partial value: every list item holding a mistake left out whole (a record without
    // its wrong value would be checked, and shown, as something nobody wrote).
    let mut keep = vec![true; original.len()];
    for &i in &dropped {
        keep[i] = false;
    }
    for &l in &mistakes {
        let (from, to) = item_or_value(&original, l - 1);
        keep[from..to].iter_mut().for_each(|k| *k = false);
    }
    let trimmed: Vec<&str> = original
        .iter()
        .zip(&keep)
        .map(|(l, k)| if *k { *l } else { "" })
        .collect();
    match crate::load::parse_yaml::<T>(&trimmed.join("\n")) {
        Ok(v) => Rest {
            found,
            partial: Some(v),
            unread: original
                .iter()
                .zip(&keep)
                .filter(|(_, k)| !**k)
                .map(|(l, _)| l.to_string())
                .collect(),
        },
        Err(_) => everything(found),
    }
}

/// One step of [`more_mistakes`]: the text read, or the next mistake with the trial lines and
/// the first line set aside (0-based), or no way on.
enum Step {
    Read,
    Next(Vec<String>, Error, usize),
    Stop,
}

/// Set aside the wrong value at `err_line` (1-based): its key and anything indented under it,
/// or its whole list item when that would leave a required field missing, the structure broken,
/// or the mistake is on the item's first line.
fn set_aside<T: serde::de::DeserializeOwned>(lines: &[String], err_line: usize) -> Step {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let blank = |lines: &mut Vec<String>, from: usize, to: usize| {
        for l in &mut lines[from..to] {
            l.clear();
        }
    };
    let start = err_line - 1;
    let own = indent(&lines[start]);
    let end = (start + 1..lines.len())
        .find(|&i| !lines[i].trim().is_empty() && indent(&lines[i]) <= own)
        .unwrap_or(lines.len());
    // The list item around it: from its “- ” line to the next line as little indented.
    let item = (0..=start).rev().find(|&i| {
        let t = lines[i].trim_start();
        t.starts_with("- ") && indent(&lines[i]) < own.max(1) || i == start && t.starts_with("- ")
    });
    let item_span = item.map(|i| {
        let dash = indent(&lines[i]);
        let e = (i + 1..lines.len())
            .find(|&j| !lines[j].trim().is_empty() && indent(&lines[j]) <= dash)
            .unwrap_or(lines.len());
        (i, e)
    });
    let first_line_of_item = item_span.is_some_and(|(i, _)| i == start);
    let (from, to) = match item_span {
        Some(span) if first_line_of_item => span,
        _ => (start, end),
    };
    let mut trial = lines.to_vec();
    blank(&mut trial, from, to);
    let next = match crate::load::parse_yaml::<T>(&trial.join("\n")) {
        Ok(_) => return Step::Read,
        Err(e) => e,
    };
    let missing = matches!(next.without_snippet(), Error::SerdeMissingField { .. });
    if (missing || !is_value_error(&next)) && !first_line_of_item {
        let Some((i, e)) = item_span else {
            return Step::Stop;
        };
        let mut t = lines.to_vec();
        blank(&mut t, i, e);
        return match crate::load::parse_yaml::<T>(&t.join("\n")) {
            Ok(_) => Step::Read,
            Err(n) => Step::Next(t, n, i),
        };
    }
    Step::Next(trial, next, from)
}

/// After a syntax error at `err_line` (1-based): blank its record and everything below it (and
/// keys left without a value), in `lines`, noting the lines in `dropped`, and read the rest.
/// When that still does not read (the error was found past the line to fix), cut one record
/// higher, at most three times.
fn cut_below<T: serde::de::DeserializeOwned>(
    original: &[&str],
    lines: &mut [String],
    dropped: &mut Vec<usize>,
    err_line: usize,
) -> Step {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut at = err_line.saturating_sub(1);
    for _ in 0..3 {
        let cut = item_or_value(original, at).0;
        for (i, line) in lines.iter_mut().enumerate().skip(cut) {
            line.clear();
            dropped.push(i);
        }
        let mut last = cut;
        while let Some(k) = (0..last).rev().find(|&i| !lines[i].trim().is_empty()) {
            let t = lines[k].trim_end();
            let emptied = t.ends_with(':')
                && !t.trim_start().starts_with('#')
                && (k + 1..lines.len())
                    .find(|&j| !lines[j].trim().is_empty())
                    .is_none_or(|j| indent(&lines[j]) <= indent(&lines[k]));
            if !emptied {
                break;
            }
            lines[k].clear();
            dropped.push(k);
            last = k;
        }
        match crate::load::parse_yaml::<T>(&lines.join("\n")) {
            Ok(_) => return Step::Read,
            Err(e) if is_value_error(&e) => return Step::Next(lines.to_vec(), e, 0),
            Err(_) if cut > 0 => at = cut - 1,
            Err(_) => return Step::Stop,
        }
    }
    Step::Stop
}

/// The lines (0-based, end exclusive) of the record around line `at`: the innermost list item
/// holding it that has an `id` (a task, record, unit), else the outermost one, else the value
/// starting there when it is in no list.
fn item_or_value(lines: &[&str], at: usize) -> (usize, usize) {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let span = |from: usize| {
        let limit = indent(lines[from]);
        let to = (from + 1..lines.len())
            .find(|&j| !lines[j].trim().is_empty() && indent(lines[j]) <= limit)
            .unwrap_or(lines.len());
        (from, to)
    };
    // Enclosing items, innermost first.
    let mut items = Vec::new();
    let mut limit = indent(lines[at]) + 1;
    if lines[at].trim_start().starts_with("- ") {
        items.push(at);
        limit = indent(lines[at]);
    }
    for i in (0..at).rev() {
        let t = lines[i].trim_start();
        if !t.is_empty() && indent(lines[i]) < limit && t.starts_with("- ") {
            items.push(i);
            limit = indent(lines[i]);
        } else if !t.is_empty() && !t.starts_with('#') && indent(lines[i]) < limit {
            limit = indent(lines[i]);
        }
    }
    let has_id = |from: usize| {
        let (f, to) = span(from);
        let key_col = indent(lines[f]) + 2;
        lines[f].trim_start()[2..].trim_start().starts_with("id:")
            || lines[f + 1..to]
                .iter()
                .any(|l| indent(l) == key_col && l.trim_start().starts_with("id:"))
    };
    match items.iter().find(|&&i| has_id(i)).or(items.last()) {
        Some(&i) => span(i),
        None => span(at),
    }
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3000}'..='\u{303f}').contains(&c)
}

/// A YAML syntax error explained in Chinese: the common causes (full-width colon, tab
/// indentation, `: ` in an unquoted value, a missing space after `-` or `:`, curly quotes, indentation
/// out of line) are looked for on the lines around the parser's position and, when found, the
/// diagnostic points at the character to fix.
fn syntax(rel: &str, text: &str, line: u32, col: u32, raw: &str) -> Diagnostic {
    let lines: Vec<&str> = text.lines().collect();
    let get = |n: u32| lines.get(n as usize - 1).copied();
    let near: Vec<u32> = [
        line.saturating_sub(2),
        line.saturating_sub(1),
        line,
        line + 1,
    ]
    .into_iter()
    .filter(|n| *n >= 1 && get(*n).is_some())
    .collect();
    let col_of = |l: &str, byte: usize| u32::try_from(l[..byte].chars().count() + 1).unwrap_or(1);
    // Full-width colon after a key: `unit： sifa`.
    for &n in near.iter().filter(|n| **n <= line) {
        let l = get(n).unwrap_or("");
        let body = l.trim_start().trim_start_matches("- ").trim_start();
        if let Some(i) = body.find('：') {
            let key = &body[..i];
            if !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            {
                let byte = l.len() - body.len() + i;
                return Diagnostic::error(rel, n, col_of(l, byte), "冒号写成了全角“：”")
                    .width(1)
                    .hint(format!(
                        "键后面要用半角冒号并空一格：{key}: …（先切换到英文输入法再输入冒号）"
                    ));
            }
        }
    }
    // A tab in the indentation (or anywhere near).
    for &n in &near {
        let l = get(n).unwrap_or("");
        if let Some(i) = l.find('\t') {
            let leading = l[..i].chars().all(char::is_whitespace);
            let msg = if leading {
                "这一行用 Tab 缩进"
            } else {
                "这一行含有 Tab 字符"
            };
            return Diagnostic::error(rel, n, col_of(l, i), msg)
                .width(1)
                .hint("YAML 只能用空格缩进：把 Tab 换成空格（同一层对齐，每层两个空格）");
        }
    }
    let here = get(line).unwrap_or("");
    // `key: value: more` — a colon and space inside an unquoted value.
    if raw.contains("mapping values are not allowed") {
        let body = here.trim_start().trim_start_matches("- ");
        if let Some((key, value)) = body.split_once(": ")
            && (value.contains(": ") || value.contains("：") || value.trim_end().ends_with(':'))
        {
            let value = value.trim();
            let curly = value.contains(['“', '”', '‘', '’']);
            let quoted = value
                .trim_matches(|c| c == '“' || c == '”')
                .replace('\\', "\\\\")
                .replace('"', "\\\"");
            let hint = if curly {
                format!("中文引号“”不起作用，要用半角引号把整段括起来：{key}: \"{quoted}\"")
            } else {
                format!("给整段文字加上半角引号：{key}: \"{quoted}\"")
            };
            return Diagnostic::error(rel, line, col, "值里含有“: ”（冒号加空格），会被当成新的键")
                .width(1)
                .hint(hint);
        }
    }
    // `unit:sifa` or `-id: x`: a missing space.
    for &n in near.iter().filter(|n| **n <= line) {
        let l = get(n).unwrap_or("");
        let t = l.trim_start();
        let indent = l.len() - t.len();
        if let Some(rest) = t.strip_prefix('-')
            && rest.starts_with(|c: char| c.is_ascii_alphabetic())
        {
            return Diagnostic::error(rel, n, col_of(l, indent), "“-”后面缺少空格")
                .width(1)
                .hint(format!("列表的每一项写成“- {rest}”（“-”后空一格）"));
        }
        let body = t.trim_start_matches("- ");
        if let Some(i) = body.find(':') {
            let (key, after) = (&body[..i], &body[i + 1..]);
            if !key.is_empty()
                && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !after.is_empty()
                && !after.starts_with([' ', '/'])
                && !key.chars().all(|c| c.is_ascii_digit())
            {
                let byte = l.len() - body.len() + i;
                return Diagnostic::error(rel, n, col_of(l, byte), "冒号后面缺少空格")
                    .width(1)
                    .hint(format!("写成 {key}: {after}（冒号后空一格）"));
            }
        }
    }
    // Indentation out of line with the lines before it.
    let indent = |l: &str| l.len() - l.trim_start().len();
    let prev = (1..line)
        .rev()
        .filter_map(get)
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    if !here.trim().is_empty()
        && let Some(prev) = prev
        && (raw.contains("expected key")
            || raw.contains("expected '-'")
            || raw.contains("not allowed")
            || raw.contains("indentation")
            || raw.contains("simple key"))
    {
        // The previous line's key column (after any “- ” of a list item).
        let key_col = |l: &str| {
            let mut t = l.trim_start();
            while let Some(r) = t.strip_prefix("- ") {
                t = r.trim_start();
            }
            l.len() - t.len()
        };
        let (a, b) = (indent(here), key_col(prev));
        if a != b {
            return Diagnostic::error(rel, line, 1, "缩进没有对齐")
                .width(a.max(1))
                .hint(format!(
                    "这一行缩进 {a} 个空格，上一行是 {b} 个：同一层的键要上下对齐（只用空格）"
                ));
        }
    }
    let (msg, hint) = explain(raw);
    Diagnostic::error(rel, line, col, format!("YAML 写法有误：{msg}")).hint(hint)
}

/// The parser's message in Chinese, with what to check.
fn explain(raw: &str) -> (String, String) {
    let known: &[(&str, &str, &str)] = &[
        (
            "simple key expected",
            "这里应是“键: 值”的一行",
            "检查上一行是否写完整、冒号是否为半角并后跟空格",
        ),
        (
            "mapping values are not allowed",
            "这里不能出现“: ”",
            "值里含有冒号加空格时，给整段文字加上半角引号",
        ),
        (
            "did not find expected key",
            "找不到应有的键",
            "检查缩进：同一层的键要上下对齐，只用空格",
        ),
        (
            "did not find expected '-'",
            "列表项没有对齐",
            "同一列表的每一项“- ”要上下对齐",
        ),
        (
            "block sequence entries are not allowed",
            "这里不能开始列表",
            "检查“- ”的缩进：列表项要比它所属的键多缩进",
        ),
        (
            "found character that cannot start any token",
            "这里的字符不能作为值的开头（如 @、` 或 %）",
            "给整段文字加上半角引号",
        ),
        (
            "found unexpected end of stream",
            "文件在引号或括号中间结束",
            "检查引号、括号是否成对",
        ),
        (
            "while scanning a quoted scalar",
            "引号没有成对",
            "检查这一项的引号是否成对；文字里的半角引号前加 \\",
        ),
        (
            "did not find expected ',' or ']'",
            "方括号列表没有写完整",
            "方括号里的各项用半角逗号分隔，最后要有“]”",
        ),
        (
            "did not find expected ',' or '}'",
            "花括号没有写完整",
            "花括号里的各项用半角逗号分隔，最后要有“}”",
        ),
        (
            "found unknown escape character",
            "双引号里有不认识的转义（反斜杠）",
            "路径等含反斜杠的文字改用单引号，或把 \\ 写成 \\\\",
        ),
    ];
    for (en, msg, hint) in known {
        if raw.contains(en) {
            return ((*msg).to_string(), (*hint).to_string());
        }
    }
    (
        format!("无法读取（解析器的说明：{raw}）"),
        "检查缩进（只用空格，同一层对齐）、冒号是否为半角并后跟空格、引号是否成对".to_string(),
    )
}

/// The Chinese name of what serde-saphyr expected, for the structural mismatches it reports as
/// `Error::Unexpected` (a plain value where a list was due, a list where text was due, …).
fn expected_cn(expected: &str) -> Option<&'static str> {
    Some(match expected {
        "sequence start" => "列表（每项以“- ”开头）",
        "mapping start" => "映射（若干“键: 值”行）",
        "string scalar" | "str expected" | "missing string" => "文本",
        _ => return None,
    })
}

/// Describe the value written at `col` of `line` (1-based, in characters) and its width.
/// Only this much of an overlong value is read and shown (a line may be megabytes long).
fn written_at(line: &str, col: u32) -> (String, usize) {
    const SHOWN: usize = 60;
    let rest: String = line
        .chars()
        .skip(col as usize - 1)
        .take(crate::diag::QUOTE_CHARS)
        .collect();
    let rest = rest.split(" #").next().unwrap_or("").trim_end();
    if rest.starts_with('[') || rest.starts_with("- ") || rest == "-" {
        ("列表".to_string(), 1)
    } else if rest.starts_with('{') || rest.contains(": ") || rest.ends_with(':') {
        ("映射（键: 值）".to_string(), 1)
    } else if rest.is_empty() {
        ("空值".to_string(), 1)
    } else if rest.chars().nth(SHOWN).is_some() {
        let shown: String = rest.chars().take(SHOWN).collect();
        (format!(" {shown}…"), SHOWN)
    } else {
        (format!(" {rest}"), rest.chars().count())
    }
}

fn unexpected_cn(u: &str) -> String {
    let u = u.trim();
    if let Some(s) = u.strip_prefix("string ") {
        return format!("文本 {s}");
    }
    if let Some(s) = u.strip_prefix("integer ") {
        return format!("数字 {s}");
    }
    match u {
        "sequence" | "a sequence" => "列表".into(),
        "map" | "a map" | "mapping" => "映射（键: 值）".into(),
        "unit value" | "null" => "空值".into(),
        _ => u.to_string(),
    }
}

/// Unquoted values cut short by “ #”: YAML reads a space and `#` as the start of a comment, so
/// `summary: 已公开第 3 #文件` keeps only “已公开第 3”. A `#` followed straight by text (not a
/// space, as comments are written) is taken as meant to be part of the value.
pub(crate) fn cut_by_hash(rel: &str, text: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let body = line.trim_start();
        let body = body.strip_prefix("- ").unwrap_or(body).trim_start();
        let Some((key, value)) = body.split_once(": ") else {
            continue;
        };
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let v = value.trim_start();
        if v.is_empty() || v.starts_with(['"', '\'', '|', '>', '[', '{', '#', '&', '*', '!']) {
            continue;
        }
        let Some(at) = v.find(" #") else {
            continue;
        };
        if v[at + 2..].chars().next().is_none_or(char::is_whitespace) {
            continue;
        }
        let kept = v[..at].trim_end();
        let whole = v.trim_end().replace('\\', "\\\\").replace('"', "\\\"");
        let col = line[..line.len() - v.len() + at + 1].chars().count() + 1;
        found.push(
            Diagnostic::error(
                rel,
                i as u32 + 1,
                col as u32,
                format!("“ #”之后的文字被当成了注释，没有读入：{key} 只读到“{kept}”"),
            )
            .width(v[at + 1..].trim_end().chars().count())
            .hint(format!(
                "给整段文字加上半角引号：{key}: \"{whole}\"（真要写注释时，# 后空一格）"
            )),
        );
    }
    found
}
