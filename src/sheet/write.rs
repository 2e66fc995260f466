//! Write a report sheet: one protected worksheet, input columns unlocked, drop-down and date
//! validation, frozen header, hidden key columns. Deterministic bytes for the same input
//! (the workbook's creation date is fixed to the as-of date).

use super::{COLUMNS, STATUS_WORDS, SheetSpec, c};
use chrono::Datelike;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime,
    Format, FormatAlign, FormatBorder, Workbook,
};

/// Row index of the header row (0-based); data starts below it.
pub const HEADER_ROW: u32 = 2;

/// The instructions printed in row 2.
pub const INSTRUCTIONS: &str = "填写说明：只填写浅黄色的五列（进展状态、日期、进展情况、佐证材料名称、佐证材料链接），其他列已锁定。进展状态从下拉列表中选择（推进中、已完成、未开始）；日期写报送进展的日期，如 2024-06-15，不能晚于今天；选了进展状态就要写进展情况；没有新进展的任务整行留空。不要增删行列、不要修改隐藏列。填好后保存为 .xlsx 交回，由政务公开办用 gongkai import-progress 导入，经三审后公开。";

fn err(e: rust_xlsxwriter::XlsxError) -> String {
    format!("无法生成报送表：{e}")
}

/// The workbook for `spec` as of `as_of`, as bytes.
pub fn workbook(
    spec: &SheetSpec,
    site_title: &str,
    as_of: chrono::NaiveDate,
) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(
        u16::try_from(as_of.year()).unwrap_or(2000),
        u8::try_from(as_of.month()).unwrap_or(1),
        u8::try_from(as_of.day()).unwrap_or(1),
    )
    .map_err(err)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!("{}报送表", spec.name))
            .set_author("gongkai")
            .set_creation_datetime(&created),
    );
    let ws = wb.add_worksheet();
    ws.set_name("报送表").map_err(err)?;
    let last = u16::try_from(COLUMNS.len() - 1).unwrap_or(0);

    let title = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let note = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_font_color(0x595959);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(0xD9E1F2)
        .set_border(FormatBorder::Thin);
    let cell = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let input = cell.clone().set_unlocked().set_background_color(0xFFF9DB);
    let date_input = input.clone().set_num_format("yyyy-mm-dd");

    let heading = format!(
        "{}报送表（{}，数据截至 {}）",
        spec.name,
        site_title,
        as_of.format("%Y-%m-%d")
    );
    // Title and instructions over the visible columns: merged over the hidden key columns
    // too, they would be centred (or start) where nobody sees them.
    let first = COLUMNS
        .iter()
        .position(|c| !c.key)
        .and_then(|i| u16::try_from(i).ok())
        .unwrap_or(0);
    ws.merge_range(0, first, 0, last, &heading, &title)
        .map_err(err)?;
    ws.set_row_height(0, 30).map_err(err)?;
    ws.merge_range(1, first, 1, last, INSTRUCTIONS, &note)
        .map_err(err)?;
    ws.set_row_height(1, 60).map_err(err)?;
    for (i, col) in COLUMNS.iter().enumerate() {
        let i = u16::try_from(i).unwrap_or(0);
        ws.write_string_with_format(HEADER_ROW, i, col.title, &header)
            .map_err(err)?;
        ws.set_column_width(i, col.width).map_err(err)?;
        if col.key {
            ws.set_column_hidden(i).map_err(err)?;
        }
    }
    ws.set_row_height(HEADER_ROW, 22).map_err(err)?;
    ws.set_freeze_panes(HEADER_ROW + 1, 0).map_err(err)?;
    // Printed: A4 landscape, every column on one page's width, the header on every page.
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, HEADER_ROW).map_err(err)?;

    for (n, r) in spec.rows.iter().enumerate() {
        let row = HEADER_ROW + 1 + u32::try_from(n).unwrap_or(0);
        let code = super::check_code(&r.plan, &r.task, &r.unit);
        let texts: [(u16, &str); 9] = [
            (c::PLAN, &r.plan),
            (c::TASK, &r.task),
            (c::UNIT, &r.unit),
            (c::CHECK, &code),
            (c::UNIT_NAME, &r.unit_name),
            (c::ROLE, &r.role),
            (c::TEXT, &r.text),
            (c::DEADLINE, &r.deadline),
            (c::CURRENT, &r.current),
        ];
        for (col, text) in texts {
            ws.write_string_with_format(row, col, text, &cell)
                .map_err(err)?;
        }
        for col in [c::STATUS, c::SUMMARY, c::EV_TITLE, c::EV_URL] {
            ws.write_blank(row, col, &input).map_err(err)?;
        }
        ws.write_blank(row, c::DATE, &date_input).map_err(err)?;
    }

    if !spec.rows.is_empty() {
        let first = HEADER_ROW + 1;
        let last_row = HEADER_ROW + u32::try_from(spec.rows.len()).unwrap_or(0);
        let status = DataValidation::new()
            .allow_list_strings(&STATUS_WORDS)
            .map_err(err)?
            .set_input_title("进展状态")
            .map_err(err)?
            .set_input_message("从下拉列表中选择：推进中、已完成、未开始")
            .map_err(err)?
            .set_error_title("进展状态")
            .map_err(err)?
            .set_error_message("请从下拉列表中选择：推进中、已完成、未开始")
            .map_err(err)?
            .set_error_style(DataValidationErrorStyle::Stop);
        ws.add_data_validation(first, c::STATUS, last_row, c::STATUS, &status)
            .map_err(err)?;
        let lo = ExcelDateTime::from_ymd(2000, 1, 1).map_err(err)?;
        let hi = ExcelDateTime::from_ymd(2200, 12, 31).map_err(err)?;
        let date = DataValidation::new()
            .allow_date(DataValidationRule::Between(lo, hi))
            .set_input_title("日期")
            .map_err(err)?
            .set_input_message("报送日期，如 2024-06-15；不能晚于今天")
            .map_err(err)?
            .set_error_title("日期")
            .map_err(err)?
            .set_error_message("请写日期，格式 年-月-日，如 2024-06-15")
            .map_err(err)?;
        ws.add_data_validation(first, c::DATE, last_row, c::DATE, &date)
            .map_err(err)?;
    }
    ws.protect();
    wb.save_to_buffer().map_err(err)
}
