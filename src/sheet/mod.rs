//! Unit report sheets (报送表): an .xlsx workbook per unit or group listing its tasks with their
//! status as the site computes it ([`rows`]), written by [`write`](mod@write), and the filled-in sheet read
//! back into progress records by [`read`]. No IO here except what the callers hand in.
//!
//! Layout of a sheet (one worksheet per workbook):
//!
//! | row | content |
//! |---|---|
//! | 1 | title: unit name, 报送表, as-of date |
//! | 2 | instructions |
//! | 3 | headers ([`COLUMNS`]) |
//! | 4… | one row per task (for a group: per member and task) |
//!
//! The key columns (plan, task, unit and a check code over the three) are hidden and locked;
//! only the five input columns are unlocked. Reading finds the header row by its titles, so a
//! row inserted above it does not matter.

pub mod read;
pub mod records;
pub mod write;

use crate::compute::{Computed, Role};
use crate::model::ProgressStatus;
use crate::site::Site;
use sha2::{Digest, Sha256};

/// One column of the sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    /// Header text.
    pub title: &'static str,
    /// Width in Excel character units (a CJK character counts about 2).
    pub width: f64,
    /// Hidden key column.
    pub key: bool,
    /// Unlocked input column.
    pub input: bool,
}

const fn col(title: &'static str, width: f64, key: bool, input: bool) -> Column {
    Column {
        title,
        width,
        key,
        input,
    }
}

/// Column indexes.
pub mod c {
    /// 计划编号 (key).
    pub const PLAN: u16 = 0;
    /// 任务编号 (key).
    pub const TASK: u16 = 1;
    /// 单位编号 (key).
    pub const UNIT: u16 = 2;
    /// 校验码 (key).
    pub const CHECK: u16 = 3;
    /// 单位.
    pub const UNIT_NAME: u16 = 4;
    /// 职责.
    pub const ROLE: u16 = 5;
    /// 任务内容.
    pub const TEXT: u16 = 6;
    /// 完成时限.
    pub const DEADLINE: u16 = 7;
    /// 当前完成情况.
    pub const CURRENT: u16 = 8;
    /// 进展状态 (input).
    pub const STATUS: u16 = 9;
    /// 日期 (input).
    pub const DATE: u16 = 10;
    /// 进展情况 (input).
    pub const SUMMARY: u16 = 11;
    /// 佐证材料名称 (input).
    pub const EV_TITLE: u16 = 12;
    /// 佐证材料链接 (input).
    pub const EV_URL: u16 = 13;
}

/// Every column, in order (indexes in [`c`]).
pub const COLUMNS: [Column; 14] = [
    col("计划编号", 10.0, true, false),
    col("任务编号", 10.0, true, false),
    col("单位编号", 14.0, true, false),
    col("校验码", 14.0, true, false),
    col("单位", 18.0, false, false),
    col("职责", 8.0, false, false),
    col("任务内容", 50.0, false, false),
    col("完成时限", 14.0, false, false),
    col("当前完成情况", 14.0, false, false),
    col("进展状态", 12.0, false, true),
    col("日期", 13.0, false, true),
    col("进展情况", 50.0, false, true),
    col("佐证材料名称", 24.0, false, true),
    col("佐证材料链接", 30.0, false, true),
];

/// Spreadsheet column letter of index `i` (A, B, …; the sheet has fewer than 26 columns).
pub fn letter(i: u16) -> char {
    char::from(b'A' + u8::try_from(i).unwrap_or(25).min(25))
}

/// The status words offered in the drop-down (the first Chinese word of each status).
pub const STATUS_WORDS: [&str; 3] = ["推进中", "已完成", "未开始"];

/// Parse a status as a unit writes it: a Chinese word of [`crate::vocab::VALUE_WORDS`] or the
/// English key.
pub fn parse_status(s: &str) -> Option<ProgressStatus> {
    let s = s.trim();
    let key = crate::vocab::VALUE_WORDS
        .iter()
        .find(|(k, words)| *k == s || words.contains(&s))
        .map(|(k, _)| *k)?;
    match key {
        "not_started" => Some(ProgressStatus::NotStarted),
        "in_progress" => Some(ProgressStatus::InProgress),
        "done" => Some(ProgressStatus::Done),
        _ => None,
    }
}

/// The check code of a row's keys: detects a key column edited by hand.
pub fn check_code(plan: &str, task: &str, unit: &str) -> String {
    let mut h = Sha256::new();
    h.update(format!("gongkai-sheet-v1\n{plan}\n{task}\n{unit}").as_bytes());
    let d = h.finalize();
    d.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// One task row of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// Plan id.
    pub plan: String,
    /// Task id.
    pub task: String,
    /// Reporting unit id.
    pub unit: String,
    /// Reporting unit name.
    pub unit_name: String,
    /// 牵头 / 责任 / 配合 (with 经 group when through a group).
    pub role: String,
    /// Task text, verbatim.
    pub text: String,
    /// Deadline as written.
    pub deadline: String,
    /// Current status label, as the site computes it.
    pub current: String,
}

/// What a sheet is for.
#[derive(Debug, Clone)]
pub struct SheetSpec {
    /// Unit or group id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The rows.
    pub rows: Vec<SheetRow>,
}

fn role_text(role: Role, via: Option<&str>, cx: &Computed<'_>) -> String {
    match via {
        Some(g) => format!("{}（经{}）", role.label(), cx.dir.name(g)),
        None => role.label().to_string(),
    }
}

/// The sheet of unit or group `id` (its ledger, as the site's pages show it; `plan` keeps
/// one plan only). `None` when `id` is neither.
pub fn rows(site: &Site, cx: &Computed<'_>, id: &str, plan: Option<&str>) -> Option<SheetSpec> {
    if !cx.dir.by_id.contains_key(id) {
        return None;
    }
    let group = cx.dir.is_group(id);
    let mut out = Vec::new();
    for line in cx.ledgers.get(id).map_or(&[][..], Vec::as_slice) {
        let p = &site.plans[line.plan];
        if plan.is_some_and(|want| want != p.id) {
            continue;
        }
        let ts = &cx.tasks[line.plan][line.task];
        let e = &ts.task.entry;
        let row = |unit: &str, current: crate::status::Status, role: String| SheetRow {
            plan: p.id.clone(),
            task: ts.task.id().to_string(),
            unit: unit.to_string(),
            unit_name: cx.dir.name(unit).to_string(),
            role,
            text: e.text.value.clone(),
            deadline: e
                .deadline
                .as_ref()
                .map_or(String::new(), |d| d.value.clone()),
            current: current.label().to_string(),
        };
        if group {
            let members = ts
                .assignees
                .iter()
                .find(|a| a.id == id)
                .map_or(&[][..], |a| a.members.as_slice());
            for (m, o) in members {
                out.push(row(m, o.status, role_text(line.role, None, cx)));
            }
        } else {
            out.push(row(
                id,
                line.outcome.status,
                role_text(line.role, line.via.as_deref(), cx),
            ));
        }
    }
    Some(SheetSpec {
        id: id.to_string(),
        name: cx.dir.name(id).to_string(),
        rows: out,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_words() {
        assert_eq!(parse_status("推进中"), Some(ProgressStatus::InProgress));
        assert_eq!(parse_status(" 完成 "), Some(ProgressStatus::Done));
        assert_eq!(parse_status("done"), Some(ProgressStatus::Done));
        assert_eq!(parse_status("部门"), None);
        assert_eq!(parse_status("差不多"), None);
        for w in STATUS_WORDS {
            assert!(parse_status(w).is_some());
        }
    }

    #[test]
    fn check_codes_differ() {
        assert_ne!(
            check_code("2024", "1-1", "a"),
            check_code("2024", "1-2", "a")
        );
        assert_eq!(check_code("2024", "1-1", "a").len(), 12);
        assert_eq!(letter(c::STATUS), 'J');
    }
}
