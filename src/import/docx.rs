//! Word (.docx): every top-level `<w:tbl>` of the document body, with vertical merges
//! (`<w:vMerge>`) and horizontal spans (`<w:gridSpan>`, `<w:gridBefore>`); the body paragraphs
//! before the first table are kept as title candidates. A table nested in a cell becomes text
//! of that cell.

use super::table::{Document, RawRow, RawTable, Slot, clean_cell};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use std::io::Read;

/// Read a .docx file's tables.
pub fn read(bytes: &[u8]) -> Result<Document, String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| format!("不是有效的 .docx 文件（无法按 zip 打开：{e}）"))?;
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .map_err(|_| "不是有效的 .docx 文件：缺少 word/document.xml".to_string())?
        .read_to_string(&mut xml)
        .map_err(|e| format!("无法读取 word/document.xml：{e}"))?;
    parse_document_xml(&xml)
}

fn val(e: &BytesStart<'_>) -> Option<String> {
    e.attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.local_name().as_ref() == "val")
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Parser state while walking `document.xml`.
#[derive(Default)]
struct State {
    doc: Document,
    /// Nesting depth of `<w:tbl>`.
    depth: usize,
    table: Option<RawTable>,
    row: Vec<Slot>,
    row_number: usize,
    in_cell: bool,
    paras: Vec<String>,
    /// Text of the paragraph being read (cell paragraph or body paragraph).
    para: String,
    span: usize,
    vmerge_continue: bool,
    in_text: bool,
    in_run: bool,
}

impl State {
    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let top = self.depth == 1;
        match e.local_name().as_ref() {
            "tbl" if !empty => {
                self.depth += 1;
                if self.depth == 1 {
                    self.table = Some(RawTable {
                        source: format!("表格 {}", self.doc.tables.len() + 1),
                        rows: Vec::new(),
                    });
                    self.row_number = 0;
                }
            }
            "tr" if top => {
                self.row.clear();
                self.row_number += 1;
            }
            "gridBefore" | "gridAfter" if top && !self.in_cell => {
                let n: usize = val(e).and_then(|v| v.parse().ok()).unwrap_or(0);
                self.row
                    .extend(std::iter::repeat_n(Slot::Text(String::new()), n));
            }
            "tc" if top => {
                self.in_cell = true;
                self.paras.clear();
                self.span = 1;
                self.vmerge_continue = false;
            }
            "gridSpan" if top && self.in_cell => {
                self.span = val(e).and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
            }
            "vMerge" if top && self.in_cell => {
                self.vmerge_continue = val(e).is_none_or(|v| v == "continue");
            }
            "p" if !empty && (self.depth == 0 || top) => self.para.clear(),
            "t" if !empty => self.in_text = true,
            "r" if !empty => self.in_run = true,
            "tab" if self.in_run => self.para.push('\t'),
            "br" | "cr" if self.in_run => self.para.push('\n'),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        let top = self.depth == 1;
        match name {
            "tbl" => {
                if top && let Some(t) = self.table.take() {
                    self.doc.tables.push(t);
                }
                self.depth = self.depth.saturating_sub(1);
            }
            "tr" if top => {
                if let Some(t) = self.table.as_mut() {
                    t.rows.push(RawRow {
                        number: self.row_number,
                        cells: std::mem::take(&mut self.row),
                    });
                }
            }
            "tc" if top => {
                self.in_cell = false;
                let text = clean_cell(&self.paras.join("\n"));
                self.row.push(if self.vmerge_continue {
                    Slot::Above
                } else {
                    Slot::Text(text)
                });
                for _ in 1..self.span {
                    self.row.push(Slot::Left);
                }
            }
            "p" => {
                if top && self.in_cell {
                    self.paras.push(std::mem::take(&mut self.para));
                } else if self.depth == 0 {
                    let t = self.para.trim().to_string();
                    if !t.is_empty() && self.doc.tables.is_empty() {
                        self.doc.title_lines.push(t);
                    }
                    self.para.clear();
                } else {
                    // A paragraph of a nested table: keep it as a line of the outer cell.
                    self.para.push('\n');
                }
            }
            "t" => self.in_text = false,
            "r" => self.in_run = false,
            _ => {}
        }
    }
}

/// Parse `word/document.xml`.
pub fn parse_document_xml(xml: &str) -> Result<Document, String> {
    let mut reader = Reader::from_str(xml);
    let mut st = State::default();
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| format!("word/document.xml 不是有效的 XML：{e}"))?;
        match ev {
            Event::Eof => break,
            Event::Start(e) => st.start(&e, false),
            Event::Empty(e) => st.start(&e, true),
            Event::End(e) => st.end(e.local_name().as_ref()),
            Event::Text(t) if st.in_text => st.para.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if st.in_text => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*r {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "apos" => Some('\''),
                        "quot" => Some('"'),
                        _ => None,
                    },
                };
                if let Some(c) = c {
                    st.para.push(c);
                }
            }
            _ => {}
        }
    }
    Ok(st.doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_spans_and_paragraphs() {
        let xml = r#"<w:document xmlns:w="x"><w:body>
<w:p><w:r><w:t>2023年</w:t></w:r><w:r><w:t>分工表</w:t></w:r></w:p>
<w:tbl>
<w:tr><w:tc><w:p><w:r><w:t>序号</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>重点工作任务</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>甲&amp;乙</w:t></w:r></w:p><w:p><w:r><w:t>第二段</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr>
<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t xml:space="preserve">丙</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr>
</w:tbl></w:body></w:document>"#;
        let doc = parse_document_xml(xml).unwrap();
        assert_eq!(doc.title_lines, vec!["2023年分工表".to_string()]);
        let t = &doc.tables[0];
        assert_eq!(t.rows.len(), 3);
        let text = |s: &str| Slot::Text(s.to_string());
        assert_eq!(
            t.rows[0].cells,
            vec![text("序号"), text("重点工作任务"), Slot::Left]
        );
        assert_eq!(
            t.rows[1].cells,
            vec![text("1"), text("甲&乙\n第二段"), text("")]
        );
        assert_eq!(t.rows[2].cells, vec![Slot::Above, text("丙"), text("")]);
        assert_eq!(t.rows[2].number, 3);
    }
}
