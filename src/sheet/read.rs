//! Read filled-in report sheets back: every problem of every row, located by file, sheet, row
//! and column, and the filled rows as progress entries ready to write.

use super::{COLUMNS, c, check_code, letter, parse_status};
use crate::model::ProgressStatus;
use crate::site::{Directory, Site};
use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;

/// A filled row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    /// Plan id.
    pub plan: String,
    /// Task id.
    pub task: String,
    /// Unit id.
    pub unit: String,
    /// 日期.
    pub date: NaiveDate,
    /// 进展状态.
    pub status: ProgressStatus,
    /// 进展情况.
    pub summary: String,
    /// 佐证材料 (name, link), when given.
    pub evidence: Option<(String, String)>,
    /// Where it was read: file, sheet, row.
    pub at: String,
}

/// A problem in a sheet, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// File as given on the command line.
    pub file: String,
    /// Worksheet name, when known.
    pub sheet: Option<String>,
    /// 1-based row, when known.
    pub row: Option<u32>,
    /// Column index, when known.
    pub column: Option<u16>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(s) = &self.sheet {
            write!(f, " 工作表“{s}”")?;
        }
        if let Some(r) = self.row {
            write!(f, " 第{r}行")?;
        }
        if let Some(col) = self.column {
            let title = COLUMNS.get(usize::from(col)).map_or("", |x| x.title);
            write!(f, " {}列（{title}）", letter(col))?;
        }
        write!(f, "：{}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, "\n  改正：{}", self.hint)?;
        }
        Ok(())
    }
}

/// A cell as text: strings trimmed, whole numbers without ".0", dates as YYYY-MM-DD.
fn text(d: Option<&Data>) -> String {
    match d {
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Float(f)) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        Some(Data::Bool(b)) => if *b { "是" } else { "否" }.to_string(),
        Some(Data::DateTime(dt)) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Some(Data::DateTimeIso(s)) => s.split('T').next().unwrap_or("").to_string(),
        Some(Data::DurationIso(s)) => s.clone(),
        Some(Data::Error(_) | Data::Empty) | None => String::new(),
    }
}

/// Parse a date as units write it: 2024-06-15, 2024/6/15, 2024.6.15 or 2024年6月15日.
fn parse_day(s: &str) -> Result<NaiveDate, String> {
    let norm: String = s
        .trim()
        .trim_end_matches('日')
        .chars()
        .map(|ch| match ch {
            '/' | '.' | '年' | '月' => '-',
            other => other,
        })
        .collect();
    crate::model::parse_date(&norm)
}

/// Read one workbook (`bytes`, named `file` in messages) against `site`, as of `today` (dates
/// after it are refused). Returns the filled rows and every problem found.
pub fn read(
    file: &str,
    bytes: &[u8],
    site: &Site,
    dir: &Directory<'_>,
    today: NaiveDate,
) -> (Vec<Filled>, Vec<Problem>) {
    let mut filled = Vec::new();
    let mut problems = Vec::new();
    let problem =
        |sheet: Option<&str>, row: Option<u32>, col: Option<u16>, m: String, h: &str| Problem {
            file: file.to_string(),
            sheet: sheet.map(str::to_string),
            row,
            column: col,
            message: m,
            hint: h.to_string(),
        };
    let mut wb: Xlsx<_> = match calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)) {
        Ok(w) => w,
        Err(e) => {
            problems.push(problem(
                None,
                None,
                None,
                format!("不是有效的 .xlsx 文件（{e}）"),
                "用 Excel 或 WPS 打开后“另存为” Excel 工作簿（.xlsx）再导入",
            ));
            return (filled, problems);
        }
    };
    let mut found_any = false;
    for name in wb.sheet_names() {
        let Ok(range) = wb.worksheet_range(&name) else {
            continue;
        };
        // Rows are numbered from the range's first row; columns are found by their titles.
        let (r0, _) = range.start().unwrap_or((0, 0));
        let rows: Vec<&[Data]> = range.rows().collect();
        // The header row: the one holding every column title.
        let header = rows.iter().take(20).position(|r| {
            let cells: Vec<String> = r.iter().map(|d| text(Some(d))).collect();
            cells.iter().any(|t| t == "进展状态") && cells.iter().any(|t| t == "任务编号")
        });
        let Some(h) = header else { continue };
        found_any = true;
        let titles: Vec<String> = rows[h].iter().map(|d| text(Some(d))).collect();
        // Where each expected column is (by title), absolute index.
        let mut at: Vec<Option<usize>> = Vec::new();
        for col in &COLUMNS {
            at.push(titles.iter().position(|t| t == col.title));
        }
        let missing: Vec<&str> = COLUMNS
            .iter()
            .zip(&at)
            .filter(|(_, a)| a.is_none())
            .map(|(col, _)| col.title)
            .collect();
        if !missing.is_empty() {
            problems.push(problem(
                Some(&name),
                Some(r0 + u32::try_from(h).unwrap_or(0) + 1),
                None,
                format!("表头缺少列：{}", missing.join("、")),
                "不要删除或改名表头；请用 gongkai sheet 重新生成报送表，把填写内容复制到新表",
            ));
            continue;
        }
        // A moved column is still read by its title; messages name the column where the
        // sheet generator put it.
        let get = |r: &[Data], col: u16| -> String {
            at[usize::from(col)]
                .and_then(|i| r.get(i))
                .map_or(String::new(), |d| text(Some(d)))
        };
        for (i, r) in rows.iter().enumerate().skip(h + 1) {
            let rown = r0 + u32::try_from(i).unwrap_or(0) + 1;
            let inputs = [c::STATUS, c::DATE, c::SUMMARY, c::EV_TITLE, c::EV_URL];
            if inputs.iter().all(|&col| get(r, col).is_empty()) {
                continue; // nothing filled in
            }
            let p = |col: u16, m: String, hint: &str| {
                problem(Some(&name), Some(rown), Some(col), m, hint)
            };
            let (plan_id, task_id, unit_id) = (get(r, c::PLAN), get(r, c::TASK), get(r, c::UNIT));
            let before = problems.len();
            // Keys: the check code first, so a tampered row is reported as such.
            if get(r, c::CHECK) != check_code(&plan_id, &task_id, &unit_id) {
                problems.push(p(
                    c::CHECK,
                    "隐藏的编号列（计划编号、任务编号、单位编号或校验码）被改动过，这一行无法确认是哪项任务".into(),
                    "不要修改隐藏列；请用 gongkai sheet 重新生成报送表，把这一行的填写内容复制过去",
                ));
            } else {
                let plan = site.plans.iter().find(|p| p.id == plan_id);
                match plan {
                    None => problems.push(p(
                        c::PLAN,
                        format!("站点中没有计划 “{plan_id}”"),
                        "报送表可能是为另一个站点或旧版本生成的；请用 gongkai sheet 重新生成",
                    )),
                    Some(plan) => match plan.tasks().find(|t| t.id() == task_id) {
                        None => problems.push(p(
                            c::TASK,
                            format!("计划 {plan_id} 中没有任务 “{task_id}”"),
                            "任务可能已被删除或改号；请用 gongkai sheet 重新生成报送表",
                        )),
                        Some(task) => {
                            if !dir.by_id.contains_key(unit_id.as_str()) {
                                problems.push(p(
                                    c::UNIT,
                                    format!("站点中没有单位 “{unit_id}”"),
                                    "请在 content/units.yaml 中登记该单位，或用 gongkai sheet 重新生成报送表",
                                ));
                            } else {
                                let assignees = task.assignees();
                                let direct = assignees.contains(&unit_id.as_str());
                                let via = dir
                                    .groups_of
                                    .get(unit_id.as_str())
                                    .is_some_and(|gs| gs.iter().any(|g| assignees.contains(g)));
                                if !direct && !via {
                                    problems.push(p(
                                        c::UNIT,
                                        format!(
                                            "“{}”（{unit_id}）不是任务 {task_id} 的责任单位",
                                            dir.name(&unit_id)
                                        ),
                                        "分工可能已调整；请用 gongkai sheet 重新生成报送表",
                                    ));
                                }
                            }
                        }
                    },
                }
            }
            let status_text = get(r, c::STATUS);
            let status = if status_text.is_empty() {
                problems.push(p(
                    c::STATUS,
                    "填写了进展却没有选进展状态".into(),
                    "从下拉列表中选择：推进中、已完成、未开始",
                ));
                None
            } else {
                let s = parse_status(&status_text);
                if s.is_none() {
                    problems.push(p(
                        c::STATUS,
                        format!("不认识的进展状态 “{status_text}”"),
                        "从下拉列表中选择：推进中、已完成、未开始",
                    ));
                }
                s
            };
            let date_text = get(r, c::DATE);
            let date = if date_text.is_empty() {
                problems.push(p(
                    c::DATE,
                    "没有填写日期".into(),
                    "写报送进展的日期，如 2024-06-15",
                ));
                None
            } else {
                match parse_day(&date_text) {
                    Err(e) => {
                        problems.push(p(c::DATE, e, "写作 年-月-日，如 2024-06-15"));
                        None
                    }
                    Ok(d) if d > today => {
                        problems.push(p(
                            c::DATE,
                            format!(
                                "日期 {} 晚于今天（{}）",
                                d.format("%Y-%m-%d"),
                                today.format("%Y-%m-%d")
                            ),
                            "进展只能记录已经发生的事；检查年份和月份是否写错",
                        ));
                        None
                    }
                    Ok(d) => Some(d),
                }
            };
            let summary = get(r, c::SUMMARY);
            if summary.is_empty() {
                problems.push(p(
                    c::SUMMARY,
                    "选了进展状态却没有写进展情况".into(),
                    "用一两句话写明做了什么、到了哪一步",
                ));
            }
            let (ev_title, ev_url) = (get(r, c::EV_TITLE), get(r, c::EV_URL));
            let evidence = match (ev_title.is_empty(), ev_url.is_empty()) {
                (true, true) => None,
                (false, true) => {
                    problems.push(p(
                        c::EV_URL,
                        "写了佐证材料名称却没有链接".into(),
                        "写材料的网址（http:// 或 https:// 开头），或删去材料名称",
                    ));
                    None
                }
                (true, false) => {
                    problems.push(p(
                        c::EV_TITLE,
                        "写了佐证材料链接却没有名称".into(),
                        "写上材料名称，如“县政府常务会议纪要”",
                    ));
                    None
                }
                (false, false) => {
                    let u = ev_url.to_ascii_lowercase();
                    let ok = u.starts_with("https://")
                        || u.starts_with("http://")
                        || !(u.contains(':') || u.starts_with("//"));
                    if !ok {
                        problems.push(p(
                            c::EV_URL,
                            format!("佐证材料链接 “{ev_url}” 不安全或无效"),
                            "只能用 http:// 或 https:// 开头的网址，或站内相对路径",
                        ));
                    }
                    Some((ev_title, ev_url))
                }
            };
            if problems.len() == before
                && let (Some(status), Some(date)) = (status, date)
            {
                filled.push(Filled {
                    plan: plan_id,
                    task: task_id,
                    unit: unit_id,
                    date,
                    status,
                    summary,
                    evidence,
                    at: format!("{file} 工作表“{name}” 第{rown}行"),
                });
            }
        }
    }
    if !found_any {
        problems.push(problem(
            None,
            None,
            None,
            "找不到报送表的表头（含“任务编号”“进展状态”的一行）".into(),
            "只能导入 gongkai sheet 生成的报送表；请用它重新生成后填写",
        ));
    }
    (filled, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days() {
        let d = NaiveDate::from_ymd_opt(2024, 6, 5).unwrap();
        for s in ["2024-06-05", "2024/6/5", "2024.6.5", "2024年6月5日"] {
            assert_eq!(parse_day(s), Ok(d), "{s}");
        }
        assert!(parse_day("6月5日").is_err());
        assert!(parse_day("2024-02-30").is_err());
    }
}
