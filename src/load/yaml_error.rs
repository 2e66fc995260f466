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
    match inner {
        Error::SerdeUnknownField {
            field, expected, ..
        } => {
            let mut msg = format!("未知的字段 \"{field}\"");
            if let Some(s) = suggest(field, expected.iter().copied()) {
                let title = field_title::<T>(s)
                    .map(|t| format!("（{t}）"))
                    .unwrap_or_default();
                msg.push_str(&format!("，是否指 \"{s}\"{title}？"));
            }
            at(msg)
                .width(field.chars().count())
                .hint(format!("这里可用的字段：{}", expected.join("、")))
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
            if let Some(s) = suggest(variant, expected.iter().copied()) {
                msg.push_str(&format!("，是否指 \"{s}\"？"));
            }
            at(msg)
                .width(variant.chars().count())
                .hint(format!("可选的取值：{}", expected.join("、")))
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
            at(format!("类型不对：这里应为{want}，实际写的是{written}"))
                .width(width)
                .hint("检查这一项的写法；文本中含冒号等符号时请加引号")
        }
        Error::NullIntoString { .. } => {
            at("这里不能为空，应填写文本".to_string()).hint("在冒号后写上内容；确实为空时写 \"\"")
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
            let hint = if src_line.contains('\t') {
                "这一行含有 Tab 字符：YAML 缩进只能用空格"
            } else {
                "检查缩进（只用空格，同一层对齐）、冒号后是否有空格、引号是否成对"
            };
            at(format!("YAML 语法错误：{raw}")).hint(hint)
        }
    }
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
