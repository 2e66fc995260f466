//! Diagnostics: every problem found in `content/`, located as `path:line:column`.
//!
//! Rendering is plain text (no colours, fixed width) so that tests can compare it and users can
//! grep it: a first line like a compiler's, then the offending line quoted with a caret, then a
//! hint.
//!
//! Whatever content reaches a message is shown safely: control characters never go out raw
//! (they are written `\u{1b}`, so a file cannot drive the terminal), and a quoted line is cut
//! to [`QUOTE_CHARS`] characters around the caret with `…`, as are overlong messages, so a
//! 200 MB line does not become 200 MB of output.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// At most this many characters of a source line are quoted.
pub const QUOTE_CHARS: usize = 200;

/// At most this many characters of a message (and twice as many of a hint) are printed.
const MESSAGE_CHARS: usize = 300;

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
            visible(&self.path, MESSAGE_CHARS),
            self.line.max(1),
            self.col.max(1),
            kind,
            visible(&self.message, MESSAGE_CHARS)
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
            let (shown, at, width) = quote(line_text, self.col, self.width);
            let _ = writeln!(out, " {num} | {shown}");
            let _ = writeln!(out, " {pad} | {}{}", " ".repeat(at), "^".repeat(width));
        }
        if let Some(h) = &self.hint {
            let _ = writeln!(out, "  = 提示：{}", visible(h, 2 * MESSAGE_CHARS));
        }
        out
    }
}

/// The part of `line` to quote for a caret at 1-based column `col` (characters) that is
/// `width` characters wide: the text shown (control characters escaped, cut to about
/// [`QUOTE_CHARS`] characters around the caret with `…`), and the caret's display offset and
/// width in it.
fn quote(line: &str, col: u32, width: u32) -> (String, usize, usize) {
    let c = col.saturating_sub(1) as usize;
    let w = width.max(1) as usize;
    // A finding about a quoted value is located at its opening quote: underline the closing
    // quote too, not the value's last character short.
    let from: Vec<char> = line.chars().skip(c).take(w + 2).collect();
    let quoted = matches!(from.first(), Some('"' | '\''))
        && from.get(w + 1) == from.first()
        && !from[1..=w.min(from.len() - 1)].contains(&from[0]);
    let under = (w + if quoted { 2 } else { 0 }).min(from.len());
    let len = line.chars().count();
    // The window [start, end) of characters shown: everything when short enough, else the
    // caret with some context before it, up to QUOTE_CHARS characters in all.
    let (start, end) = if len <= QUOTE_CHARS {
        (0, len)
    } else {
        let shown_under = under.min(QUOTE_CHARS / 2);
        let start = c.saturating_sub((QUOTE_CHARS - shown_under) / 2).min(c);
        let end = (start + QUOTE_CHARS).min(len);
        let start = start.min(end.saturating_sub(QUOTE_CHARS));
        (start, end)
    };
    let mut before = String::new();
    let mut marked = String::new();
    let mut after = String::new();
    for (i, ch) in line.chars().enumerate().skip(start).take(end - start) {
        let part = if i < c {
            &mut before
        } else if i < c + under {
            &mut marked
        } else {
            &mut after
        };
        push_visible(part, ch);
    }
    if start > 0 {
        before.insert(0, '…');
    }
    if end < len {
        after.push('…');
    }
    let at = display_width(&before);
    let width = display_width(&marked).max(1);
    (format!("{before}{marked}{after}"), at, width)
}

/// Push `c`, or its escape `\u{1b}` when it is a control character other than tab.
fn push_visible(out: &mut String, c: char) {
    if c.is_control() && c != '\t' {
        let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
    } else {
        out.push(c);
    }
}

/// `s` safe to print: control characters (other than tab) escaped as `\u{1b}`, and cut to
/// `max` characters with `…`.
pub fn visible(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\t') && s.chars().nth(max).is_none() {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        push_visible(&mut out, c);
    }
    std::borrow::Cow::Owned(out)
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

    /// Drop the texts of `paths` that no finding quotes: a build has run every check that
    /// reads a task or progress file, and keeps in memory only what its report still quotes.
    pub fn forget_sources<'p>(&mut self, paths: impl IntoIterator<Item = &'p str>) {
        let quoted: std::collections::BTreeSet<&str> =
            self.diagnostics.iter().map(|d| d.path.as_str()).collect();
        for p in paths {
            if !quoted.contains(p) {
                self.sources.remove(p);
            }
        }
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

/// The name among `candidates` nearest to the Chinese name `wrong` by the characters they
/// share in order (市卫生健康委员会 → 市卫生健康局): at least three shared and at least two thirds
/// of the shorter name; ties go to the name closest in length. `None` when nothing is close.
pub fn suggest_name<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let w: Vec<char> = wrong.chars().collect();
    candidates
        .into_iter()
        .filter_map(|c| {
            let cs: Vec<char> = c.chars().collect();
            let shared = common_subsequence(&w, &cs);
            let shorter = w.len().min(cs.len());
            (shared >= 3 && shared * 3 >= shorter * 2 && c != wrong).then_some((
                shared,
                w.len().abs_diff(cs.len()),
                c,
            ))
        })
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(b.2.cmp(a.2)))
        .map(|(_, _, c)| c)
}

/// The length of the longest common subsequence of `a` and `b`.
fn common_subsequence(a: &[char], b: &[char]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    for x in a {
        let mut cur = vec![0usize; b.len() + 1];
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn near_names_by_shared_characters() {
        let names = ["市卫生健康局", "市市场监管局", "市司法局", "市发展改革局"];
        assert_eq!(
            super::suggest_name("市卫生健康委员会", names),
            Some("市卫生健康局")
        );
        assert_eq!(super::suggest_name("市发改局", names), Some("市发展改革局"));
        assert_eq!(super::suggest_name("市司法厅", names), Some("市司法局"));
        assert_eq!(super::suggest_name("县教育局", names), None);
    }

    use super::*;

    #[test]
    fn a_build_forgets_only_the_texts_no_finding_quotes() {
        let mut r = Report::default();
        for p in ["content/t1.yaml", "content/t2.yaml", "content/units.yaml"] {
            r.sources.insert(p.into(), format!("{p}: 1\n"));
        }
        r.push(Diagnostic::warning("content/t2.yaml", 1, 1, "m"));
        let before = r.render();
        r.forget_sources(["content/t1.yaml", "content/t2.yaml"]);
        let kept: Vec<&str> = r.sources.keys().map(String::as_str).collect();
        assert_eq!(kept, ["content/t2.yaml", "content/units.yaml"]);
        // The warning is still quoted.
        assert_eq!(r.render(), before);
        assert!(before.contains(" 1 | content/t2.yaml: 1"), "{before}");
    }

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
    fn control_characters_are_never_printed_raw() {
        let src = "a: 1\nsummary: x\u{1b}[2Jy\u{7}\n";
        let d = Diagnostic::error("a\u{1b}.yaml", 2, 11, "含有 \"\u{1b}[2J\"").hint("h\u{85}");
        assert_eq!(
            d.render(Some(src)),
            "a\\u{1b}.yaml:2:11: 错误：含有 \"\\u{1b}[2J\"\n 2 | summary: x\\u{1b}[2Jy\\u{7}\n   |           ^^^^^^\n  = 提示：h\\u{85}\n"
        );
        // A tab stays a tab.
        assert_eq!(visible("a\tb", 10), "a\tb");
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let line = format!("{}X{}", "a".repeat(1000), "b".repeat(1000));
        let d = Diagnostic::error("f", 1, 1001, "m");
        let out = d.render(Some(&line));
        let lines: Vec<&str> = out.lines().collect();
        let quoted = lines[1].strip_prefix(" 1 | ").unwrap();
        assert_eq!(quoted.chars().count(), QUOTE_CHARS + 2, "{quoted}");
        assert!(quoted.starts_with('…') && quoted.ends_with('…'));
        let caret = lines[2].strip_prefix("   | ").unwrap();
        let at = caret.find('^').unwrap();
        assert_eq!(quoted.chars().nth(at), Some('X'));
        assert_eq!(caret.len(), at + 1);
        // Near the start and near the end: one `…` only, the caret still under its character.
        let d = Diagnostic::error("f", 1, 3, "m").width(2);
        let out = d.render(Some(&line));
        assert!(
            out.contains(" 1 | aaa") && out.contains("…\n   |   ^^\n"),
            "{out}"
        );
        let d = Diagnostic::error("f", 1, 2001, "m");
        let out = d.render(Some(&line));
        let caret = out.lines().nth(2).unwrap().strip_prefix("   | ").unwrap();
        assert_eq!(caret.find('^'), Some(QUOTE_CHARS));
        assert!(out.contains(" 1 | …b") && !out.contains("b…"), "{out}");
        // Messages are cut too.
        let d = Diagnostic::error("f", 0, 0, "x".repeat(100_000));
        assert!(d.headline().len() < 2 * MESSAGE_CHARS);
    }

    #[test]
    fn suggests_close_ids_only() {
        assert_eq!(suggest("fgj", ["fgw", "czj", "zzz"]), Some("fgw"));
        assert_eq!(suggest("titel", ["title", "year"]), Some("title"));
        assert_eq!(suggest("abcdef", ["xyz"]), None);
    }
}
