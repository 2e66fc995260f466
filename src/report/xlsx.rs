//! The report as an Excel workbook: one sheet per view, a title row and a header row frozen at
//! the top (and repeated on every printed page), dates as real dates (yyyy-mm-dd), columns as
//! wide as their text (a Chinese character counts two), long text wrapped.

use super::{Cell, Report, View, scope_note, views};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};

/// The widest a column gets (in character widths); longer text wraps.
const MAX_WIDTH: usize = 60;

/// The workbook's bytes.
pub fn workbook(r: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let note = scope_note(r);
    for v in views(r) {
        let ws = wb.add_worksheet();
        sheet(ws, r, &v, &note)?;
    }
    wb.save_to_buffer()
}

fn sheet(ws: &mut Worksheet, r: &Report, v: &View, note: &str) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let head = Format::new()
        .set_bold()
        .set_background_color("#D9E1F2")
        .set_align(FormatAlign::Center)
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let date = Format::new()
        .set_num_format("yyyy-mm-dd")
        .set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);
    ws.set_name(v.name)?;
    // The title across the table's width, wrapped, so that a printed page shows it whole.
    let last = col(v.headers.len().saturating_sub(1));
    let title = format!("{}：{}。{note}", r.site, v.title);
    if last > 0 {
        ws.merge_range(0, 0, 0, last, &title, &bold.clone().set_text_wrap())?;
        ws.set_row_height(0, 48)?;
    } else {
        ws.write_string_with_format(0, 0, &title, &bold)?;
    }
    let mut widths: Vec<usize> = v.headers.iter().map(|h| super::text::width(h)).collect();
    for (c, h) in v.headers.iter().enumerate() {
        ws.write_string_with_format(1, col(c), h, &head)?;
    }
    for (i, row) in v.rows.iter().enumerate() {
        let rn = u32::try_from(i + 2).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (c, cell) in row.iter().enumerate() {
            let cn = col(c);
            match cell {
                Cell::Text(s) if v.long.contains(&c) => {
                    ws.write_string_with_format(rn, cn, s, &wrap)?;
                }
                Cell::Text(s) => {
                    ws.write_string_with_format(rn, cn, s, &top)?;
                }
                Cell::Number(n) => {
                    // Counts and days: exact in an f64.
                    #[allow(clippy::cast_precision_loss)]
                    ws.write_number_with_format(rn, cn, *n as f64, &top)?;
                }
                Cell::Date(d) => {
                    use chrono::Datelike as _;
                    let x = ExcelDateTime::from_ymd(
                        u16::try_from(d.year())
                            .map_err(|_| XlsxError::DateTimeRangeError(super::iso(*d)))?,
                        u8::try_from(d.month()).unwrap_or(1),
                        u8::try_from(d.day()).unwrap_or(1),
                    )?;
                    ws.write_datetime_with_format(rn, cn, &x, &date)?;
                }
                Cell::Blank => {}
            }
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(super::text::width(&cell.text()));
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        // A little room beside the text; dates show as 10 characters.
        let w = (*w).clamp(4, MAX_WIDTH) + 2;
        #[allow(clippy::cast_precision_loss)]
        ws.set_column_width(col(c), w as f64)?;
    }
    ws.set_freeze_panes(2, 0)?;
    ws.set_repeat_rows(0, 1)?;
    ws.set_landscape();
    // A4, every column on one page's width (as many pages down as the rows need).
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// Column number (views have a dozen columns at most).
fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}
