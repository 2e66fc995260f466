//! Writing one item's `review:` block into its file: the item is found through the YAML
//! parser's spans (never by counting spaces), only the lines of that block change, and the new
//! text is parsed again and compared before it is returned, so a caller never writes a file
//! that lost a character of another item.
//!
//! A UTF-8 BOM, CRLF line ends, comments and every other record stay byte for byte as they
//! were. Flow-style records (`- {id: r1, …}`) are refused with the file unchanged: their review
//! block cannot be written without rewriting the record.

use super::Stage;
use crate::model::{PageFrontMatter, ProgressEntry, ProgressFile, Review, ReviewAction};
use granit_parser::{Event, Parser, ScalarStyle, StructureStyle};

/// One stage as written: reviewer id, date, content fingerprint, signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedStage {
    /// Which stage.
    pub stage: Stage,
    /// Reviewer id.
    pub reviewer: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `sha256:…`.
    pub fingerprint: String,
    /// `ed25519:…` or `p256:…`.
    pub signature: String,
}

/// One entry of the review history as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// `return`, `redo` or `withdraw`.
    pub action: String,
    /// The stage returned or re-signed (`first` …); none for a withdrawal.
    pub stage: Option<String>,
    /// Who did it.
    pub reviewer: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Why.
    pub reason: String,
    /// For a re-signing: who signed the stage before, and when.
    pub replaced: Option<(String, String)>,
    /// Content fingerprint at the time.
    pub fingerprint: String,
    /// Signature of the reviewer who did it.
    pub signature: String,
}

/// A whole `review:` block as it will be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// 主动公开 / 依申请公开 / 不予公开.
    pub disclosure: String,
    /// The reason of 不予公开.
    pub withheld_reason: Option<String>,
    /// Signed stages, in order.
    pub stages: Vec<SignedStage>,
    /// Returns, re-signings and withdrawals, oldest first.
    pub history: Vec<Action>,
}

impl Block {
    /// An empty trail with this disclosure attribute.
    pub fn new(disclosure: &str) -> Block {
        Block {
            disclosure: disclosure.to_string(),
            withheld_reason: None,
            stages: Vec::new(),
            history: Vec::new(),
        }
    }

    /// The block as read from a file (stages missing a field are left out: they are not
    /// signatures and `check` reports them).
    pub fn from_review(r: &Review) -> Block {
        let mut stages = Vec::new();
        for s in Stage::ALL {
            if let Some(st) = s.of(r)
                && let (Some(who), Some(f), Some(g)) =
                    (&st.reviewer, &st.fingerprint, &st.signature)
            {
                stages.push(SignedStage {
                    stage: s,
                    reviewer: who.value.clone(),
                    date: st.date.value.to_string(),
                    fingerprint: f.value.clone(),
                    signature: g.value.clone(),
                });
            }
        }
        Block {
            disclosure: r.disclosure.value.clone(),
            withheld_reason: r.withheld_reason.clone(),
            stages,
            history: r.history.iter().map(Action::from_model).collect(),
        }
    }

    /// The block's lines, keys indented by `indent` spaces (without line ends).
    pub fn render(&self, indent: usize) -> Vec<String> {
        let pad = " ".repeat(indent);
        let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let mut out = vec![
            format!("{pad}review:"),
            match crate::vocab::Disclosure::parse(&self.disclosure) {
                Some(d) if d.label() == self.disclosure => format!("{pad}  disclosure: {d}"),
                _ => format!("{pad}  disclosure: {}", q(&self.disclosure)),
            },
        ];
        if let Some(r) = &self.withheld_reason {
            out.push(format!("{pad}  withheld_reason: {}", q(r)));
        }
        for s in &self.stages {
            out.push(format!("{pad}  {}:", s.stage.key()));
            out.push(format!("{pad}    reviewer: {}", q(&s.reviewer)));
            out.push(format!("{pad}    date: {}", s.date));
            out.push(format!("{pad}    fingerprint: {}", s.fingerprint));
            out.push(format!("{pad}    signature: {}", s.signature));
        }
        if !self.history.is_empty() {
            out.push(format!("{pad}  history:"));
            for a in &self.history {
                out.push(format!("{pad}    - action: {}", a.action));
                if let Some(s) = &a.stage {
                    out.push(format!("{pad}      stage: {s}"));
                }
                out.push(format!("{pad}      reviewer: {}", q(&a.reviewer)));
                out.push(format!("{pad}      date: {}", a.date));
                out.push(format!("{pad}      reason: {}", q(&a.reason)));
                if let Some((who, when)) = &a.replaced {
                    out.push(format!("{pad}      replaced:"));
                    out.push(format!("{pad}        reviewer: {}", q(who)));
                    out.push(format!("{pad}        date: {when}"));
                }
                out.push(format!("{pad}      fingerprint: {}", a.fingerprint));
                out.push(format!("{pad}      signature: {}", a.signature));
            }
        }
        out
    }
}

impl Action {
    fn from_model(a: &ReviewAction) -> Action {
        Action {
            action: a.action.value.clone(),
            stage: a.stage.as_ref().map(|s| s.value.clone()),
            reviewer: a.reviewer.value.clone(),
            date: a.date.value.to_string(),
            reason: a.reason.value.clone(),
            replaced: a
                .replaced
                .as_ref()
                .map(|r| (r.reviewer.clone(), r.date.to_string())),
            fingerprint: a.fingerprint.value.clone(),
            signature: a.signature.value.clone(),
        }
    }
}

/// Which item of the file.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// The record with this id in a progress file's `records:`.
    Record(&'a str),
    /// A Markdown page's front matter.
    Page,
}

/// Why the block could not be written; the file is to stay as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditError(pub String);

impl std::fmt::Display for EditError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn fail<T>(msg: impl Into<String>) -> Result<T, EditError> {
    Err(EditError(msg.into()))
}

/// A node of the YAML tree with its place: byte offsets in the parsed text.
enum Node {
    Scalar {
        value: String,
        start: usize,
        end: usize,
        block_scalar: bool,
    },
    Map {
        flow: bool,
        start: usize,
        end: usize,
        entries: Vec<(Node, Node)>,
    },
    Seq {
        flow: bool,
        start: usize,
        end: usize,
        items: Vec<Node>,
    },
}

impl Node {
    fn start(&self) -> usize {
        match self {
            Node::Scalar { start, .. } | Node::Map { start, .. } | Node::Seq { start, .. } => {
                *start
            }
        }
    }

    /// Where the node's own text ends: a block collection ends with its last child (the
    /// parser's end marker sits on the next token), a block scalar with its last non-blank
    /// character (its span runs over the trailing blank lines).
    fn end(&self, text: &str) -> usize {
        match self {
            Node::Scalar {
                end, block_scalar, ..
            } => {
                if *block_scalar {
                    text[..*end].trim_end().len()
                } else {
                    *end
                }
            }
            Node::Map {
                flow: false,
                entries,
                end,
                ..
            } => entries.last().map_or(*end, |(_, v)| v.end(text)),
            Node::Seq {
                flow: false,
                items,
                end,
                ..
            } => items.last().map_or(*end, |v| v.end(text)),
            Node::Map { end, .. } | Node::Seq { end, .. } => *end,
        }
    }

    fn get(&self, key: &str) -> Option<(&Node, &Node)> {
        match self {
            Node::Map { entries, .. } => entries.iter().find_map(|(k, v)| match k {
                Node::Scalar { value, .. } if value == key => Some((k, v)),
                _ => None,
            }),
            _ => None,
        }
    }
}

/// The YAML tree of `text` (the first document), or the parser's message.
fn tree(text: &str) -> Result<Node, EditError> {
    let mut events = Parser::new_from_str(text).peekable();
    let off = |m: &granit_parser::Marker| m.byte_offset().unwrap_or(0);
    fn build<'a>(
        events: &mut std::iter::Peekable<impl Iterator<Item = granit_parser::ParseResult<'a>>>,
        off: &dyn Fn(&granit_parser::Marker) -> usize,
    ) -> Result<Option<Node>, EditError> {
        loop {
            let Some(ev) = events.next() else {
                return Ok(None);
            };
            let (ev, span) = ev.map_err(|e| EditError(format!("YAML 格式错误：{e}")))?;
            return Ok(Some(match ev {
                Event::Scalar(value, style, _, _) => Node::Scalar {
                    value: value.into_owned(),
                    start: off(&span.start),
                    end: off(&span.end),
                    block_scalar: matches!(style, ScalarStyle::Literal | ScalarStyle::Folded),
                },
                Event::Alias(_) => Node::Scalar {
                    value: String::new(),
                    start: off(&span.start),
                    end: off(&span.end),
                    block_scalar: false,
                },
                Event::MappingStart(style, _, _) => {
                    let start = off(&span.start);
                    let mut entries = Vec::new();
                    let end = loop {
                        if let Some(Ok((Event::MappingEnd, s))) = events.peek() {
                            let end = off(&s.end);
                            events.next();
                            break end;
                        }
                        let (Some(k), Some(v)) = (build(events, off)?, build(events, off)?) else {
                            return fail("YAML 映射不完整");
                        };
                        entries.push((k, v));
                    };
                    Node::Map {
                        flow: style == StructureStyle::Flow,
                        start,
                        end,
                        entries,
                    }
                }
                Event::SequenceStart(style, _, _) => {
                    let start = off(&span.start);
                    let mut items = Vec::new();
                    let end = loop {
                        if let Some(Ok((Event::SequenceEnd, s))) = events.peek() {
                            let end = off(&s.end);
                            events.next();
                            break end;
                        }
                        let Some(v) = build(events, off)? else {
                            return fail("YAML 列表不完整");
                        };
                        items.push(v);
                    };
                    Node::Seq {
                        flow: style == StructureStyle::Flow,
                        start,
                        end,
                        items,
                    }
                }
                Event::MappingEnd | Event::SequenceEnd => return fail("YAML 结构不完整"),
                _ => continue,
            }));
        }
    }
    build(&mut events, &off)?.ok_or(EditError("文件是空的".into()))
}

/// Byte offset just past the line end of the line holding byte `at - 1`.
fn past_line(text: &str, at: usize) -> usize {
    let at = at.min(text.len());
    if at > 0 && text.as_bytes()[at - 1] == b'\n' {
        return at;
    }
    memchr::memchr(b'\n', &text.as_bytes()[at..]).map_or(text.len(), |i| at + i + 1)
}

/// Column (in bytes) of byte `at` in its line.
fn column(text: &str, at: usize) -> usize {
    at - text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Replace (or add) the `review:` block of the item's mapping `map` in the LF text `text`:
/// the new LF text.
fn splice(text: &str, map: &Node, block: &Block) -> Result<String, EditError> {
    let Node::Map {
        flow: false,
        entries,
        ..
    } = map
    else {
        return fail(
            "这条记录是流式写法（写在一对花括号 {…} 里），gongkai 不能在其中写审核记录；请先改成每个字段一行的写法（- id: …）再签",
        );
    };
    let Some((first_key, _)) = entries.first() else {
        return fail("条目是空的");
    };
    let indent = column(text, first_key.start());
    let lines = block.render(indent);
    let mut out = String::with_capacity(text.len() + 1024);
    match map.get("review") {
        Some((k, v)) => {
            // From the key to the end of the line where its value ends: the key may share its
            // line with a `- `, which stays.
            let from = k.start();
            let to = past_line(text, v.end(text));
            out.push_str(&text[..from]);
            out.push_str(lines[0].trim_start());
            out.push('\n');
            for l in &lines[1..] {
                out.push_str(l);
                out.push('\n');
            }
            if to == text.len() && !text.ends_with('\n') {
                // The file ended without a line break: so does it still.
                out.pop();
            }
            out.push_str(&text[to..]);
        }
        None => {
            let at = past_line(text, map.end(text));
            out.push_str(&text[..at]);
            if !out.ends_with('\n') {
                out.push('\n');
            }
            for l in &lines {
                out.push_str(l);
                out.push('\n');
            }
            out.push_str(&text[at..]);
        }
    }
    Ok(out)
}

/// The record mapping with id `id` in a progress file's tree.
fn find_record<'t>(root: &'t Node, id: &str) -> Result<&'t Node, EditError> {
    let Some((_, records)) = root.get("records") else {
        return fail("文件中没有 records:");
    };
    let Node::Seq { flow, items, .. } = records else {
        return fail("records: 应是一个列表");
    };
    if *flow {
        return fail(
            "records: 是流式写法（写在一对方括号 […] 里），gongkai 不能在其中写审核记录；请先改成每条记录以“- ”开头的写法再签",
        );
    }
    let mut found = items
        .iter()
        .filter(|m| matches!(m.get("id"), Some((_, Node::Scalar { value, .. })) if value == id));
    match (found.next(), found.next()) {
        (Some(m), None) => Ok(m),
        (None, _) => fail(format!("文件中找不到编号为 \"{id}\" 的记录")),
        (Some(_), Some(_)) => fail(format!("文件中有两条编号为 \"{id}\" 的记录")),
    }
}

/// The text of file `raw` with the `review:` block of `target` replaced by `block`. Only that
/// block's lines differ from `raw`; a BOM and CRLF line ends are kept. The result is parsed
/// again: the item's content and every other item must read exactly as before and the item's
/// block exactly as `block`, or nothing is returned.
pub fn replace(raw: &str, target: Target<'_>, block: &Block) -> Result<String, EditError> {
    let (bom, body) = match raw.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", raw),
    };
    let crlf = body.contains("\r\n");
    if body.replace("\r\n", "").contains('\r') {
        return fail("文件中有单独的回车符（\\r），请用记事本另存一次再签");
    }
    let text = body.replace("\r\n", "\n");
    let new = match target {
        Target::Record(id) => {
            let root = tree(&text)?;
            let map = find_record(&root, id)?;
            splice(&text, map, block)?
        }
        Target::Page => {
            let Some((front, _, _)) = crate::load::split_front_matter(&text) else {
                return fail("页面开头没有 --- 包围的前置信息");
            };
            let head = "---\n".len();
            let root = tree(front)?;
            let new_front = splice(front, &root, block)?;
            format!(
                "{}{new_front}{}",
                &text[..head],
                &text[head + front.len()..]
            )
        }
    };
    confirm(&text, &new, target, block)?;
    let new = if crlf { new.replace('\n', "\r\n") } else { new };
    Ok(format!("{bom}{new}"))
}

/// The content fingerprint and review block of `target` as the file `raw` holds it now.
pub fn current(raw: &str, target: Target<'_>) -> Result<(String, Option<Block>), EditError> {
    let text = raw
        .strip_prefix('\u{feff}')
        .unwrap_or(raw)
        .replace("\r\n", "\n");
    let id = match target {
        Target::Record(id) => id,
        Target::Page => "",
    };
    items(&text, target)
        .map_err(|e| EditError(format!("文件有格式错误：{e}")))?
        .into_iter()
        .find(|(i, _, _)| i == id)
        .map(|(_, fp, b)| (fp, b))
        .ok_or_else(|| EditError(format!("文件中找不到编号为 \"{id}\" 的记录")))
}

/// The parsed items of a file: (id, content fingerprint, review block) in order.
fn items(text: &str, target: Target<'_>) -> Result<Vec<(String, String, Option<Block>)>, String> {
    match target {
        Target::Record(_) => {
            let f: ProgressFile = crate::load::parse_yaml(text).map_err(|e| e.to_string())?;
            Ok(f.records
                .iter()
                .map(|r: &ProgressEntry| {
                    (
                        r.id.value.clone(),
                        super::record_fingerprint(r),
                        r.review.as_deref().map(Block::from_review),
                    )
                })
                .collect())
        }
        Target::Page => {
            let (front, body, _) =
                crate::load::split_front_matter(text).ok_or("no front matter")?;
            let f: PageFrontMatter = crate::load::parse_yaml(front).map_err(|e| e.to_string())?;
            let review = f.review.as_ref().map(Block::from_review);
            let page = crate::site::Page {
                slug: String::new(),
                path: String::new(),
                front: f,
                body: body.to_string(),
                body_line: 0,
            };
            Ok(vec![(
                String::new(),
                super::page_fingerprint(&page),
                review,
            )])
        }
    }
}

/// `new` must hold what `old` held, with `target`'s review block exactly `block`.
fn confirm(old: &str, new: &str, target: Target<'_>, block: &Block) -> Result<(), EditError> {
    let broken = |why: String| {
        EditError(format!(
            "写入审核记录后文件不能按原样读出（{why}），文件未改动；请把这个文件发给技术支持"
        ))
    };
    let before = items(old, target).map_err(|e| EditError(format!("文件有格式错误：{e}")))?;
    let after = items(new, target).map_err(broken)?;
    if before.len() != after.len() {
        return Err(broken("条目数变了".into()));
    }
    let id = match target {
        Target::Record(id) => id,
        Target::Page => "",
    };
    for (b, a) in before.iter().zip(&after) {
        if b.0 != a.0 || b.1 != a.1 {
            return Err(broken(format!("条目 \"{}\" 的内容变了", b.0)));
        }
        if a.0 == id {
            if a.2.as_ref() != Some(block) {
                return Err(broken("审核记录没有按要求写入".into()));
            }
        } else if a.2 != b.2 {
            return Err(broken(format!("条目 \"{}\" 的审核记录变了", b.0)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stage(s: Stage, who: &str) -> SignedStage {
        SignedStage {
            stage: s,
            reviewer: who.into(),
            date: "2023-09-01".into(),
            fingerprint: "sha256:00ff".into(),
            signature: "ed25519:AAAA".into(),
        }
    }

    fn block(n: usize) -> Block {
        let mut b = Block::new("主动公开");
        for (s, who) in Stage::ALL.into_iter().zip(["a", "b", "c"]).take(n) {
            b.stages.push(stage(s, who));
        }
        b
    }

    const FILE: &str = "# 进展（注释要留着）\nformat_version: 1\nrecords:\n  - id: r1\n    task: 1-1-1\n    unit: u\n    date: 2023-08-01\n    status: done\n    summary: \"多行摘要\n      review: 这是摘要的一部分\"\n    # r1 后的注释\n  - id: r2\n    task: 1-1-1\n    unit: u\n    date: 2023-08-01\n    status: 已完成\n    summary: |\n      第一行\n      第二行\n\n  # 文件末尾的注释\n";

    /// Lines of `new` that are not in `old`, and lines of `old` not in `new` (as multisets).
    fn diff(old: &str, new: &str) -> (Vec<String>, Vec<String>) {
        let mut o: Vec<&str> = old.split_inclusive('\n').collect();
        let mut added = Vec::new();
        for l in new.split_inclusive('\n') {
            if let Some(i) = o.iter().position(|x| *x == l) {
                o.remove(i);
            } else {
                added.push(l.to_string());
            }
        }
        (added, o.into_iter().map(str::to_string).collect())
    }

    #[test]
    fn adds_a_block_after_a_multiline_summary_and_keeps_everything_else() {
        let new = replace(FILE, Target::Record("r1"), &block(1)).unwrap();
        let (added, removed) = diff(FILE, &new);
        assert!(removed.is_empty(), "{removed:?}");
        assert_eq!(added.len(), 7, "{added:?}");
        assert!(
            new.contains("      review: 这是摘要的一部分\"\n    review:\n"),
            "{new}"
        );
        // The block scalar of r2 keeps its trailing blank line and the comment after it.
        let new2 = replace(&new, Target::Record("r2"), &block(2)).unwrap();
        assert!(new2.contains("      第二行\n    review:\n"), "{new2}");
        assert!(
            new2.ends_with("      signature: ed25519:AAAA\n\n  # 文件末尾的注释\n"),
            "{new2}"
        );
    }

    #[test]
    fn replaces_an_existing_block_wherever_it_is() {
        let one = replace(FILE, Target::Record("r2"), &block(1)).unwrap();
        let three = replace(&one, Target::Record("r2"), &block(3)).unwrap();
        let (added, removed) = diff(&one, &three);
        assert!(removed.is_empty(), "{removed:?}");
        assert_eq!(added.len(), 10);
        // Back to one stage: exactly the earlier text.
        assert_eq!(
            replace(&three, Target::Record("r2"), &block(1)).unwrap(),
            one
        );
        // A review block first, on the dash line, with a comment inside it.
        let first = "format_version: 1\nrecords:\n  - review:\n      disclosure: 主动公开 # 旧\n    id: r1\n    task: t\n    unit: u\n    date: 2023-01-01\n    status: done\n    summary: s\n";
        let new = replace(first, Target::Record("r1"), &block(1)).unwrap();
        assert!(new.starts_with("format_version: 1\nrecords:\n  - review:\n      disclosure: 主动公开\n      first:\n"), "{new}");
        assert!(new.ends_with("    id: r1\n    task: t\n    unit: u\n    date: 2023-01-01\n    status: done\n    summary: s\n"));
    }

    #[test]
    fn keeps_bom_crlf_and_no_final_newline() {
        let crlf = format!("\u{feff}{}", FILE.replace('\n', "\r\n"));
        let new = replace(&crlf, Target::Record("r1"), &block(2)).unwrap();
        assert!(new.starts_with('\u{feff}'));
        assert!(
            !new.replace("\r\n", "").contains('\n'),
            "a bare LF was written"
        );
        let lf = replace(FILE, Target::Record("r1"), &block(2)).unwrap();
        assert_eq!(new, format!("\u{feff}{}", lf.replace('\n', "\r\n")));
        let no_nl = "format_version: 1\nrecords:\n  - id: r1\n    task: t\n    unit: u\n    date: 2023-01-01\n    status: done\n    summary: s";
        let new = replace(no_nl, Target::Record("r1"), &block(1)).unwrap();
        assert!(new.starts_with(&format!("{no_nl}\n    review:\n")), "{new}");
    }

    #[test]
    fn refuses_flow_style_and_ambiguity() {
        let flow = "records:\n  - {id: r1, task: t, unit: u, date: 2023-01-01, status: done, summary: s}\n";
        let e = replace(flow, Target::Record("r1"), &block(1)).unwrap_err();
        assert!(e.0.contains("流式写法"), "{e}");
        let flow_seq =
            "records: [{id: r1, task: t, unit: u, date: 2023-01-01, status: done, summary: s}]\n";
        assert!(
            replace(flow_seq, Target::Record("r1"), &block(1))
                .unwrap_err()
                .0
                .contains("方括号")
        );
        assert!(
            replace(FILE, Target::Record("r9"), &block(1))
                .unwrap_err()
                .0
                .contains("找不到")
        );
        let twice = format!(
            "{FILE}{}",
            "  - id: r1\n    task: t\n    unit: u\n    date: 2023-01-01\n    status: done\n    summary: s\n"
        );
        assert!(
            replace(&twice, Target::Record("r1"), &block(1))
                .unwrap_err()
                .0
                .contains("两条")
        );
        assert!(replace("records:\n  - id: [\n", Target::Record("r1"), &block(1)).is_err());
    }

    #[test]
    fn pages_front_matter() {
        let page = "---\ntitle: 关于\norder: 1 # 排序\n---\n正文\nreview: 不是前置信息\n";
        let new = replace(page, Target::Page, &block(1)).unwrap();
        assert!(
            new.starts_with(
                "---\ntitle: 关于\norder: 1 # 排序\nreview:\n  disclosure: 主动公开\n  first:\n"
            ),
            "{new}"
        );
        assert!(new.ends_with("---\n正文\nreview: 不是前置信息\n"));
        let again = replace(&new, Target::Page, &block(3)).unwrap();
        assert_eq!(replace(&again, Target::Page, &block(1)).unwrap(), new);
    }

    #[test]
    fn history_and_reasons_round_trip() {
        let mut b = block(1);
        b.disclosure = "不予公开".into();
        b.withheld_reason = Some("涉及\"内部\"事项\n第二行".into());
        b.history.push(Action {
            action: "redo".into(),
            stage: Some("first".into()),
            reviewer: "b".into(),
            date: "2023-09-02".into(),
            reason: "初审签错了: 重签".into(),
            replaced: Some(("a".into(), "2023-09-01".into())),
            fingerprint: "sha256:00ff".into(),
            signature: "ed25519:BBBB".into(),
        });
        let new = replace(FILE, Target::Record("r1"), &b).unwrap();
        // `confirm` parsed it back equal; a second write of the same block changes nothing.
        assert_eq!(replace(&new, Target::Record("r1"), &b).unwrap(), new);
    }

    /// Random files shaped every way a clerk's editor may leave them: scalar styles, comments,
    /// blank lines, review blocks first / in the middle / last or absent, CRLF, BOM, no final
    /// newline. Writing a block and writing the old one back gives the file byte for byte; where
    /// there was none, the new text is the old one with only the block's lines added.
    #[test]
    fn random_files_round_trip() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for case in 0..300 {
            let n = 1 + next(4) as usize;
            let mut lines: Vec<String> = vec!["format_version: 1".into(), "records:".into()];
            let mut had = Vec::new();
            for i in 0..n {
                if next(3) == 0 {
                    lines.push(format!("  # 第 {i} 条之前的注释"));
                }
                let summary: Vec<String> = match next(5) {
                    0 => vec![format!("    summary: 摘要{i}")],
                    1 => vec![
                        format!("    summary: \"摘要{i}，"),
                        "      review: 仍是摘要\"".into(),
                    ],
                    2 => vec![format!("    summary: '摘要{i}''s'")],
                    3 => vec![
                        "    summary: |".into(),
                        format!("      第一行{i}"),
                        "".into(),
                        "      第三行".into(),
                    ],
                    _ => vec![
                        "    summary: >-".into(),
                        format!("      折叠{i}"),
                        "      续行".into(),
                    ],
                };
                let mut fields: Vec<Vec<String>> = vec![
                    vec![format!("id: r{i}")],
                    vec!["task: 1-1-1".into()],
                    vec!["unit: u".into()],
                    vec!["date: 2023-01-01 # 日期".into()],
                    vec!["status: done".into()],
                    summary
                        .iter()
                        .map(|l| l.get(4..).unwrap_or("").to_string())
                        .collect(),
                ];
                let block = if next(2) == 0 {
                    Some(block(next(4) as usize))
                } else {
                    None
                };
                if let Some(b) = &block {
                    let at = next(fields.len() as u64 + 1) as usize;
                    fields.insert(at, b.render(0));
                }
                had.push(block);
                for (k, f) in fields.iter().enumerate() {
                    for (j, l) in f.iter().enumerate() {
                        let pad = if k == 0 && j == 0 { "  - " } else { "    " };
                        lines.push(if l.is_empty() {
                            String::new()
                        } else {
                            format!("{pad}{l}")
                        });
                    }
                }
                if next(4) == 0 {
                    lines.push(String::new());
                }
            }
            if next(3) == 0 {
                lines.push("# 末尾注释".into());
            }
            let mut text = lines.join("\n");
            if next(4) != 0 {
                text.push('\n');
            }
            if next(3) == 0 {
                text = text.replace('\n', "\r\n");
            }
            if next(4) == 0 {
                text.insert(0, '\u{feff}');
            }
            let t = next(n as u64) as usize;
            let id = format!("r{t}");
            let new_block = block(1 + next(3) as usize);
            let new = replace(&text, Target::Record(&id), &new_block)
                .unwrap_or_else(|e| panic!("case {case}: {e}\n{text}"));
            match &had[t] {
                Some(old) => {
                    let back = replace(&new, Target::Record(&id), old).unwrap();
                    assert_eq!(back, text, "case {case}: not restored byte for byte");
                }
                None => {
                    let (added, removed) =
                        diff(&text.replace("\r\n", "\n"), &new.replace("\r\n", "\n"));
                    let last_line_fixed = !text.ends_with('\n') && removed.len() == 1;
                    assert!(
                        removed.is_empty() || last_line_fixed,
                        "case {case}: {removed:?}"
                    );
                    assert!(added.len() >= new_block.render(0).len(), "case {case}");
                }
            }
        }
    }
}
