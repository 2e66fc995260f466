//! Diagnostics: every problem found in `content/`, located as `path:line:column`.
//!
//! Rendering is plain text (no colours, fixed width) so that tests can compare it and users can
//! grep it: a first line like a compiler's, then the offending line quoted with a caret, then a
//! hint.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Stops `check` (exit 1) and `build`.
    Error,
    /// Worth a look; exit 0 unless `--deny-warnings`.
    Warning,
}

/// One located problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Path relative to the site root, with `/` separators (e.g. `content/units.yaml`).
    pub path: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: u32,
    /// 1-based column in characters.
    pub col: u32,
    /// Width of the caret in characters (at least 1).
    pub width: u32,
    /// The message, in Simplified Chinese.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `line:col` of `path`.
    pub fn error(path: &str, line: u32, col: u32, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_string(),
            line,
            col,
            width: 1,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at `line:col` of `path`.
    pub fn warning(path: &str, line: u32, col: u32, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, col, message)
        }
    }

    /// Attach a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Set the caret width (in characters).
    pub fn width(mut self, width: usize) -> Self {
        self.width = u32::try_from(width.max(1)).unwrap_or(1);
        self
    }

    /// The plain first line: `path:line:col: 错误：message`.
    pub fn headline(&self) -> String {
        let kind = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        format!(
            "{}:{}:{}: {}：{}",
            self.path,
            self.line.max(1),
            self.col.max(1),
            kind,
            self.message
        )
    }

    /// Full rendering with the quoted source line, given the file's text (if known).
    pub fn render(&self, source: Option<&str>) -> String {
        let mut out = self.headline();
        out.push('\n');
        if let Some(text) = source
            && self.line > 0
            && let Some(line_text) = text.lines().nth(self.line as usize - 1)
        {
            let line_text = line_text.trim_end_matches('\r');
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let _ = writeln!(out, " {num} | {line_text}");
            let before: String = line_text
                .chars()
                .take(self.col.saturating_sub(1) as usize)
                .collect();
            // A finding about a quoted value is located at its opening quote: underline the
            // closing quote too, not the value's last character short.
            let from: Vec<char> = line_text
                .chars()
                .skip(self.col.saturating_sub(1) as usize)
                .collect();
            let w = self.width as usize;
            let quoted = matches!(from.first(), Some('"' | '\''))
                && from.get(w + 1) == from.first()
                && !from[1..=w.min(from.len() - 1)].contains(&from[0]);
            let under: String = from.iter().take(w + if quoted { 2 } else { 0 }).collect();
            let caret_width = display_width(&under).max(1);
            let _ = writeln!(
                out,
                " {pad} | {}{}",
                " ".repeat(display_width(&before)),
                "^".repeat(caret_width)
            );
        }
        if let Some(h) = &self.hint {
            let _ = writeln!(out, "  = 提示：{h}");
        }
        out
    }
}

/// Display width of a string in a terminal: East Asian wide characters count as 2.
pub fn display_width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    let c = c as u32;
    matches!(c,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// All diagnostics of a run, with the source texts needed to quote them.
#[derive(Debug, Default)]
pub struct Report {
    /// Findings in the order they were found.
    pub diagnostics: Vec<Diagnostic>,
    /// Source text by relative path, for quoting.
    pub sources: BTreeMap<String, String>,
}

impl Report {
    /// Add a finding.
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Number of errors.
    pub fn errors(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }

    /// Sort by file, line, column so output is stable whatever order checks ran in.
    pub fn sort(&mut self) {
        self.diagnostics
            .sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
        self.diagnostics.dedup();
    }

    /// Render every finding, each followed by a blank line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            out.push_str(&d.render(self.sources.get(&d.path).map(String::as_str)));
            out.push('\n');
        }
        out
    }
}

/// Levenshtein distance over characters (for "did you mean").
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate to `wrong`, if it is close enough to be a likely typo.
pub fn suggest<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wrong.chars().count() / 3).max(1) + 1;
    candidates
        .into_iter()
        .map(|c| (edit_distance(wrong, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_caret_under_wide_text() {
        let d = Diagnostic::error("content/a.yaml", 2, 7, "未知的单位编号 \"fgj\"")
            .width(3)
            .hint("单位编号在 content/units.yaml 中定义");
        let src = "a: 1\nunit: fgj # 单位\n";
        assert_eq!(
            d.render(Some(src)),
            "content/a.yaml:2:7: 错误：未知的单位编号 \"fgj\"\n 2 | unit: fgj # 单位\n   |       ^^^\n  = 提示：单位编号在 content/units.yaml 中定义\n"
        );
        let src2 = "标题: 市发改局x\n";
        let d2 = Diagnostic::error("a", 1, 9, "m").width(1);
        assert_eq!(
            d2.render(Some(src2)),
            "a:1:9: 错误：m\n 1 | 标题: 市发改局x\n   |               ^\n"
        );
    }

    #[test]
    fn caret_covers_a_quoted_value_and_its_quotes() {
        let src = "- id: \"1-1-1\"\n";
        let d = Diagnostic::error("a", 1, 7, "m").width(5);
        assert_eq!(
            d.render(Some(src)),
            "a:1:7: 错误：m\n 1 | - id: \"1-1-1\"\n   |       ^^^^^^^\n"
        );
        // Not a quoted value of that width: the caret is left as asked.
        let d = Diagnostic::error("a", 1, 7, "m").width(3);
        assert_eq!(
            d.render(Some(src)),
            "a:1:7: 错误：m\n 1 | - id: \"1-1-1\"\n   |       ^^^\n"
        );
    }

    #[test]
    fn suggests_close_ids_only() {
        assert_eq!(suggest("fgj", ["fgw", "czj", "zzz"]), Some("fgw"));
        assert_eq!(suggest("titel", ["title", "year"]), Some("title"));
        assert_eq!(suggest("abcdef", ["xyz"]), None);
    }
}
