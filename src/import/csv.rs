//! CSV: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's “Unicode text”), or GB18030
//! (what Chinese Excel writes); comma, tab or semicolon separated.

use super::table::{Document, RawRow, RawTable, Slot, clean_cell};

/// Decode CSV bytes; returns the text and the name of the encoding.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), "UTF-8"))
            .map_err(|_| "文件以 UTF-8 标记开头，但内容不是有效的 UTF-8".to_string());
    }
    for (bom, enc) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if bytes.starts_with(bom) {
            let (s, had_errors) = enc.decode_without_bom_handling(&bytes[2..]);
            if had_errors {
                return Err("文件以 UTF-16 标记开头，但内容不是有效的 UTF-16".to_string());
            }
            return Ok((s.into_owned(), "UTF-16"));
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), "UTF-8"));
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| (s.into_owned(), "GB18030"))
        .ok_or_else(|| {
            "文件既不是 UTF-8 也不是 GB18030（GBK）编码；请另存为 UTF-8 的 CSV".to_string()
        })
}

/// Read a CSV file as one table.
pub fn read(bytes: &[u8]) -> Result<Document, String> {
    let (text, _) = decode(bytes)?;
    // The separator used most in the first lines; a comma unless another is used more.
    let head: String = text.lines().take(10).collect();
    let count = |d: u8| head.bytes().filter(|b| *b == d).count();
    let delimiter =
        [b'\t', b';'].into_iter().fold(
            b',',
            |best, d| if count(d) > count(best) { d } else { best },
        );
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| format!("CSV 格式有误：{e}"))?;
        // Numbered as a spreadsheet shows the rows: one per record, whatever the line ends
        // (CRLF from Excel) or the line breaks inside quoted cells.
        let number = rows.len() + 1;
        rows.push(RawRow {
            number,
            cells: rec.iter().map(|f| Slot::Text(clean_cell(f))).collect(),
        });
    }
    Ok(Document {
        title_lines: Vec::new(),
        tables: vec![RawTable {
            source: String::new(),
            rows,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let text = "序号,具体要求\n1,\"甲，乙\"\n";
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        assert_eq!(decode(&gb).unwrap(), (text.to_string(), "GB18030"));
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(decode(&bom).unwrap(), (text.to_string(), "UTF-8"));
        assert!(decode(b"\xEF\xBB\xBF\xff").is_err());
        let doc = read(&gb).unwrap();
        let rows = &doc.tables[0].rows;
        assert_eq!(rows[1].cells[1], Slot::Text("甲，乙".to_string()));
        assert_eq!(rows[1].number, 2);
        let tsv = read("序号\t具体要求\n1\t甲\n".as_bytes()).unwrap();
        assert_eq!(tsv.tables[0].rows[1].cells.len(), 2);
        // A title line without separators does not decide the separator.
        let crlf = read("序号,具体要求\r\n1,\"甲\r\n乙\"\r\n2,丙\r\n".as_bytes()).unwrap();
        let numbers: Vec<usize> = crlf.tables[0].rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [1, 2, 3], "rows as a spreadsheet numbers them");
        let titled = read("2024年工作要点\n序号,具体要求\n1,甲\n".as_bytes()).unwrap();
        assert_eq!(titled.tables[0].rows[2].cells.len(), 2);
    }
}
