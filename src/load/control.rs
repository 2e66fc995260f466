//! Control characters in content: C0 (U+0000–U+001F except tab and line feed), DEL (U+007F)
//! and C1 (U+0080–U+009F). They are invisible in an editor, make the feed and the sitemap
//! ill-formed XML, and can drive a terminal, so each one is a located error, never silently
//! removed. Three ways in are checked: the character written as is, a character reference in
//! the text (`&#27;`, which Markdown decodes), and a YAML escape in a double-quoted scalar
//! (`"\x1b"`, `"\u001b"`, `"\e"`, …) or a `!!binary` value, found in the parsed values.

use crate::diag::Diagnostic;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::collections::BTreeSet;

/// At most this many control characters are reported one by one in a file; the rest are
/// counted in one more finding.
const MAX_PER_FILE: usize = 5;

/// Whether `c` is a control character that content may not hold (tab and line feed may).
pub(crate) fn is_forbidden(c: char) -> bool {
    c.is_control() && c != '\t' && c != '\n'
}

/// `U+001B（ESC）`: the code point and, for the usual suspects, its short name.
pub(crate) fn name(c: char) -> String {
    let short = match c {
        '\0' => "NUL",
        '\u{7}' => "BEL",
        '\u{8}' => "BS",
        '\u{b}' => "VT",
        '\u{c}' => "FF",
        '\r' => "CR",
        '\u{1b}' => "ESC",
        '\u{7f}' => "DEL",
        '\u{85}' => "NEL",
        _ => "",
    };
    if short.is_empty() {
        format!("U+{:04X}", u32::from(c))
    } else {
        format!("U+{:04X}（{short}）", u32::from(c))
    }
}

const HINT: &str = "控制字符不可见（常由复制粘贴带入），会使订阅源和站点地图无法解析，还可能在终端中执行转义序列；删去它";

/// Located findings for control characters written as is in `text`, or as a character
/// reference (`&#27;`, `&#x1B;`): the first few, then how many more.
pub(crate) fn scan_text(rel: &str, text: &str) -> Vec<Diagnostic> {
    let bytes = text.as_bytes();
    // Fast path: no control byte, no C1 lead byte (0xC2 starts U+0080–U+00BF) and no `&#`.
    let suspect = bytes
        .iter()
        .any(|&b| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f || b == 0xc2)
        || memchr::memmem::find(bytes, b"&#").is_some();
    if !suspect {
        return Vec::new();
    }
    let mut found: Vec<Diagnostic> = Vec::new();
    let mut total = 0usize;
    for (n, line) in text.split('\n').enumerate() {
        let line_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
        for (col, c) in line.chars().enumerate() {
            if is_forbidden(c) {
                total += 1;
                if found.len() < MAX_PER_FILE {
                    found.push(
                        Diagnostic::error(
                            rel,
                            line_no,
                            u32::try_from(col + 1).unwrap_or(u32::MAX),
                            format!("含有控制字符 {}", name(c)),
                        )
                        .hint(HINT),
                    );
                }
            }
        }
        let mut from = 0;
        while let Some(i) = line[from..].find("&#") {
            let at = from + i;
            from = at + 2;
            if let Some((c, len)) = char_ref(&line[at..])
                && is_forbidden(c)
            {
                total += 1;
                if found.len() < MAX_PER_FILE {
                    let col = line[..at].chars().count() + 1;
                    found.push(
                        Diagnostic::error(
                            rel,
                            line_no,
                            u32::try_from(col).unwrap_or(u32::MAX),
                            format!("字符引用 {} 写出了控制字符 {}", &line[at..at + len], name(c)),
                        )
                        .width(len)
                        .hint("字符引用会被解码成不可见的控制字符，使订阅源和站点地图无法解析；删去这段引用"),
                    );
                }
            }
        }
    }
    with_total(rel, found, total)
}

/// Add a file-level finding counting the control characters not reported one by one.
fn with_total(rel: &str, mut found: Vec<Diagnostic>, total: usize) -> Vec<Diagnostic> {
    if total > found.len() {
        found.push(
            Diagnostic::error(
                rel,
                0,
                0,
                format!(
                    "文件共有 {total} 处控制字符，上面只列出前 {} 处",
                    found.len()
                ),
            )
            .hint("文件可能不是文本文件，或整段内容带有控制字符；检查文件来源"),
        );
    }
    found
}

/// A numeric character reference at the start of `s` (`&#27;`, `&#x1b;`): the character and
/// the reference's length in bytes (all ASCII).
fn char_ref(s: &str) -> Option<(char, usize)> {
    let rest = s.strip_prefix("&#")?;
    let (digits, radix, head) = match rest.strip_prefix(['x', 'X']) {
        Some(hex) => (hex, 16, 3),
        None => (rest, 10, 2),
    };
    let len = digits
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    if len == 0 || len > 8 || digits.as_bytes().get(len) != Some(&b';') {
        return None;
    }
    let v = u32::from_str_radix(&digits[..len], radix).ok()?;
    Some((char::from_u32(v)?, head + len + 1))
}

/// Located findings for control characters that the YAML in `yaml` puts into its values
/// (escapes in double-quoted scalars, `!!binary`), which a scan of the text cannot see.
/// `line_offset` is added to every line (front matter starts on line 2 of a page). Only
/// called for YAML that parsed.
pub(crate) fn scan_yaml(rel: &str, yaml: &str, line_offset: u32) -> Vec<Diagnostic> {
    // Both ways need a backslash or a tag naming binary.
    if !yaml.contains('\\') && !yaml.contains("binary") {
        return Vec::new();
    }
    let Ok(node) = super::parse_yaml::<Spanned<Node>>(yaml) else {
        return Vec::new();
    };
    let mut spots = BTreeSet::new();
    collect(&node, &mut spots);
    let mut seen = BTreeSet::new();
    let mut found = Vec::new();
    let mut total = 0usize;
    for spot in spots {
        let escapes = match spot.byte {
            Some(b) if yaml.as_bytes().get(b) == Some(&b'"') => quoted_escapes(yaml, b),
            _ => Vec::new(),
        };
        let items: Vec<(u32, u32, usize, String)> = if escapes.is_empty() {
            // Not an escape we can point at (a `!!binary` value): point at the value.
            vec![(
                spot.line,
                spot.col,
                1,
                format!("这一项的值含有控制字符 {}", name(spot.first)),
            )]
        } else {
            escapes
                .into_iter()
                .map(|e| {
                    (
                        e.line,
                        e.col,
                        e.len,
                        format!("YAML 转义 {} 写出了控制字符 {}", e.text, name(e.value)),
                    )
                })
                .collect()
        };
        for (line, col, len, msg) in items {
            if !seen.insert((line, col)) {
                continue;
            }
            total += 1;
            if found.len() < MAX_PER_FILE {
                found.push(
                    Diagnostic::error(rel, line + line_offset, col, msg)
                        .width(len)
                        .hint("转义写出的控制字符不可见，会使订阅源和站点地图无法解析，还可能在终端中执行转义序列；删去这段转义"),
                );
            }
        }
    }
    with_total(rel, found, total)
}

/// A scalar holding a control character: where it is defined and the first such character.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Spot {
    line: u32,
    col: u32,
    byte: Option<usize>,
    first: char,
}

fn collect(node: &Spanned<Node>, out: &mut BTreeSet<Spot>) {
    match &node.value {
        Node::Other => {}
        Node::Bad(c) => {
            let at = node.defined;
            out.insert(Spot {
                line: u32::try_from(at.line()).unwrap_or(u32::MAX).max(1),
                col: u32::try_from(at.column()).unwrap_or(u32::MAX).max(1),
                byte: at
                    .span()
                    .byte_offset()
                    .and_then(|b| usize::try_from(b).ok()),
                first: *c,
            });
        }
        Node::Seq(items) => {
            for i in items {
                collect(i, out);
            }
        }
        Node::Map(pairs) => {
            for (k, v) in pairs {
                collect(k, out);
                collect(v, out);
            }
        }
    }
}

/// Any YAML value, keeping only what the scan needs: collections, and the first control
/// character of a text scalar.
#[derive(Debug)]
enum Node {
    /// A text scalar with a forbidden control character (the first one).
    Bad(char),
    /// A sequence.
    Seq(Vec<Spanned<Node>>),
    /// A mapping.
    Map(Vec<(Spanned<Node>, Spanned<Node>)>),
    /// Anything else.
    Other,
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(v.chars()
            .find(|c| is_forbidden(*c))
            .map_or(Node::Other, Node::Bad))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Node, E> {
        self.visit_str(&String::from_utf8_lossy(v))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Other)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Node>>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut pairs = Vec::new();
        while let Some(pair) = map.next_entry::<Spanned<Node>, Spanned<Node>>()? {
            pairs.push(pair);
        }
        Ok(Node::Map(pairs))
    }
}

/// One escape in a double-quoted scalar that writes a control character.
#[derive(Debug, PartialEq, Eq)]
struct Escape {
    /// 1-based line of the backslash.
    line: u32,
    /// 1-based column (characters) of the backslash.
    col: u32,
    /// Length of the escape in characters.
    len: usize,
    /// The escape as written.
    text: String,
    /// The character it writes.
    value: char,
}

/// The escapes writing control characters in the double-quoted scalar whose opening quote is
/// at byte `start` of `yaml`.
fn quoted_escapes(yaml: &str, start: usize) -> Vec<Escape> {
    let before = &yaml[..start];
    let mut line = u32::try_from(before.matches('\n').count() + 1).unwrap_or(u32::MAX);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let mut col = u32::try_from(yaml[line_start..start].chars().count() + 1).unwrap_or(u32::MAX);
    let mut out = Vec::new();
    let mut chars = yaml[start + 1..].char_indices().peekable();
    col += 1;
    let body = &yaml[start + 1..];
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => break,
            '\n' => {
                line += 1;
                col = 1;
            }
            '\\' => {
                let Some((_, e)) = chars.next() else { break };
                let hex = match e {
                    'x' => 2,
                    'u' => 4,
                    'U' => 8,
                    _ => 0,
                };
                let mut digits = String::new();
                for _ in 0..hex {
                    match chars.peek() {
                        Some((_, d)) if d.is_ascii_hexdigit() => {
                            digits.push(*d);
                            chars.next();
                        }
                        _ => break,
                    }
                }
                let value = match e {
                    '0' => Some('\0'),
                    'a' => Some('\u{7}'),
                    'b' => Some('\u{8}'),
                    'v' => Some('\u{b}'),
                    'f' => Some('\u{c}'),
                    'r' => Some('\r'),
                    'e' => Some('\u{1b}'),
                    'N' => Some('\u{85}'),
                    'x' | 'u' | 'U' => u32::from_str_radix(&digits, 16)
                        .ok()
                        .and_then(char::from_u32),
                    _ => None,
                };
                let len = 2 + digits.len();
                if e == '\n' {
                    line += 1;
                    col = 1;
                    continue;
                }
                if let Some(v) = value.filter(|v| is_forbidden(*v)) {
                    let end = i + 1 + e.len_utf8() + digits.len();
                    out.push(Escape {
                        line,
                        col,
                        len,
                        text: body[i..end].to_string(),
                        value: v,
                    });
                }
                col += u32::try_from(len).unwrap_or(0);
            }
            _ => col += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ds: &[Diagnostic]) -> Vec<(u32, u32, u32, &str)> {
        ds.iter()
            .map(|d| (d.line, d.col, d.width, d.message.as_str()))
            .collect()
    }

    #[test]
    fn raw_control_characters_and_references_are_located() {
        let text = "a: 1\nb: \"x\u{1b}[31m\"\nc: 铃\u{7}&#27;&#x85;&#9;&#10;&#x4E07;\n";
        let ds = scan_text("f", text);
        assert_eq!(
            at(&ds),
            [
                (2, 6, 1, "含有控制字符 U+001B（ESC）"),
                (3, 5, 1, "含有控制字符 U+0007（BEL）"),
                (3, 6, 5, "字符引用 &#27; 写出了控制字符 U+001B（ESC）"),
                (3, 11, 6, "字符引用 &#x85; 写出了控制字符 U+0085（NEL）"),
            ]
        );
        assert!(scan_text("f", "标题：万源·市\t表\n").is_empty());
        assert!(scan_text("f", "&amp; &#; &#xZZ; &#12345678901;").is_empty());
    }

    #[test]
    fn many_control_characters_are_counted_not_listed() {
        let ds = scan_text("f", &"\0".repeat(1000));
        assert_eq!(ds.len(), MAX_PER_FILE + 1);
        assert_eq!(
            ds[MAX_PER_FILE].message,
            "文件共有 1000 处控制字符，上面只列出前 5 处"
        );
    }

    #[test]
    fn yaml_escapes_are_located_at_the_backslash() {
        let yaml = "a: 1\nb: \"铃\\x07 x \\u001b[31m\"\nc: ['ok \\x07', \"\\e\", \"\\t\\n\\\\x07\"]\nd: \"line\n  two \\N\"\n";
        let ds = scan_yaml("f", yaml, 0);
        assert_eq!(
            at(&ds),
            [
                (2, 6, 4, "YAML 转义 \\x07 写出了控制字符 U+0007（BEL）"),
                (2, 13, 6, "YAML 转义 \\u001b 写出了控制字符 U+001B（ESC）"),
                (3, 17, 2, "YAML 转义 \\e 写出了控制字符 U+001B（ESC）"),
                (5, 7, 2, "YAML 转义 \\N 写出了控制字符 U+0085（NEL）"),
            ]
        );
        // Front matter: lines shift by the offset.
        let ds = scan_yaml("p", "title: \"\\a\"\n", 1);
        assert_eq!(
            at(&ds),
            [(2, 9, 2, "YAML 转义 \\a 写出了控制字符 U+0007（BEL）")]
        );
    }

    #[test]
    fn aliases_keys_and_binary_values() {
        let yaml = "a: &s \"x\\e\"\nb: *s\n\"k\\x01\": 1\nc: !!binary G1szMW0=\n";
        let ds = scan_yaml("f", yaml, 0);
        let got = at(&ds);
        assert!(
            got.contains(&(1, 9, 2, "YAML 转义 \\e 写出了控制字符 U+001B（ESC）")),
            "{got:?}"
        );
        assert!(
            got.iter().any(|g| g.0 == 3 && g.3.contains("U+0001")),
            "{got:?}"
        );
        assert!(
            got.iter().any(|g| g.0 == 4 && g.3.contains("U+001B")),
            "{got:?}"
        );
        assert_eq!(got.iter().filter(|g| g.0 == 1).count(), 1, "{got:?}");
    }
}
