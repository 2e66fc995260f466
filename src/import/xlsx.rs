//! Excel (.xlsx): one worksheet, with its merged ranges.

use super::table::{Document, RawRow, RawTable, Slot, clean_cell};
use calamine::{Data, Reader, Xlsx};

/// Read the sheet `sheet` (default: the first sheet that has a header row, else the first).
pub fn read(bytes: &[u8], sheet: Option<&str>) -> Result<Document, String> {
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| format!("不是有效的 .xlsx 文件：{e}"))?;
    let names = wb.sheet_names();
    if let Some(want) = sheet
        && !names.iter().any(|n| n == want)
    {
        return Err(format!(
            "找不到工作表“{want}”；文件中的工作表：{}",
            names.join("、")
        ));
    }
    let mut first: Option<RawTable> = None;
    for name in &names {
        if sheet.is_some_and(|w| w != name) {
            continue;
        }
        let table = read_sheet(&mut wb, name)?;
        if sheet.is_some() || table.rows.iter().take(15).any(super::table::is_header_row) {
            return Ok(Document {
                title_lines: Vec::new(),
                tables: vec![table],
            });
        }
        if first.is_none() {
            first = Some(table);
        }
    }
    Ok(Document {
        title_lines: Vec::new(),
        tables: first.into_iter().collect(),
    })
}

fn read_sheet<RS: std::io::Read + std::io::Seek>(
    wb: &mut Xlsx<RS>,
    name: &str,
) -> Result<RawTable, String> {
    let range = wb
        .worksheet_range(name)
        .map_err(|e| format!("无法读取工作表“{name}”：{e}"))?;
    let merges = wb
        .merge_cells_by_sheet_name(name)
        .map_err(|e| format!("无法读取工作表“{name}”的合并单元格：{e}"))?;
    let (end_r, end_c) = range.end().unwrap_or((0, 0));
    let end_r = merges.iter().map(|m| m.end.0).fold(end_r, u32::max);
    let end_c = merges.iter().map(|m| m.end.1).fold(end_c, u32::max);
    let mut rows: Vec<RawRow> = Vec::new();
    if range.start().is_none() && merges.is_empty() {
        return Ok(RawTable {
            source: format!("工作表“{name}”"),
            rows,
        });
    }
    for r in 0..=end_r {
        let cells = (0..=end_c)
            .map(|c| Slot::Text(range.get_value((r, c)).map(text).unwrap_or_default()))
            .collect();
        rows.push(RawRow {
            number: r as usize + 1,
            cells,
        });
    }
    for m in &merges {
        for r in m.start.0..=m.end.0 {
            for c in m.start.1..=m.end.1 {
                if (r, c) == m.start {
                    continue;
                }
                let slot = if c == m.start.1 {
                    Slot::Above
                } else {
                    Slot::Left
                };
                if let Some(cell) = rows
                    .get_mut(r as usize)
                    .and_then(|row| row.cells.get_mut(c as usize))
                {
                    *cell = slot;
                }
            }
        }
    }
    Ok(RawTable {
        source: format!("工作表“{name}”"),
        rows,
    })
}

/// A cell's value as text: whole numbers without ".0", dates as 2023年8月31日.
fn text(d: &Data) -> String {
    match d {
        Data::String(s) => clean_cell(s),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y}年{m}月{d}日")
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(_) | Data::Empty => String::new(),
    }
}
