//! Reading a 完成时限 cell: a date of the plan year, 及时公开, 长期坚持, or free text.
//!
//! Pure functions; the wording kept verbatim beside the interpretation.

use chrono::NaiveDate;
use serde::Serialize;

/// What a deadline cell means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "date", rename_all = "snake_case")]
pub enum DeadlineKind {
    /// A date: the task is overdue the day after it.
    Date(NaiveDate),
    /// 及时公开: publish whenever there is something to publish.
    Timely,
    /// 长期坚持 / 持续推进: an ongoing duty.
    Ongoing,
    /// Text that names no time gongkai can read; shown verbatim, never overdue.
    Text,
    /// The table has no deadline for this task.
    None,
}

impl DeadlineKind {
    /// Chinese label of the kind.
    pub fn label(self) -> &'static str {
        match self {
            DeadlineKind::Date(_) => "限期完成",
            DeadlineKind::Timely => "及时公开类",
            DeadlineKind::Ongoing => "长期任务",
            DeadlineKind::Text => "其他时限",
            DeadlineKind::None => "未规定时限",
        }
    }

    /// Whether the duty never ends (及时公开, 长期坚持).
    pub fn is_continuous(self) -> bool {
        matches!(self, DeadlineKind::Timely | DeadlineKind::Ongoing)
    }
}

/// Interpret a deadline cell for a plan of year `year`.
///
/// ```
/// use gongkai::deadline::{interpret, DeadlineKind};
/// use chrono::NaiveDate;
/// let d = |m, d| DeadlineKind::Date(NaiveDate::from_ymd_opt(2023, m, d).unwrap());
/// assert_eq!(interpret("8月31日", 2023), d(8, 31));
/// assert_eq!(interpret("2023年8月底前", 2023), d(8, 31));
/// assert_eq!(interpret("年底前", 2023), d(12, 31));
/// assert_eq!(interpret("及时公开", 2023), DeadlineKind::Timely);
/// assert_eq!(interpret("持续推进", 2023), DeadlineKind::Ongoing);
/// assert_eq!(interpret("视情况而定", 2023), DeadlineKind::Text);
/// ```
pub fn interpret(text: &str, year: i32) -> DeadlineKind {
    let t: String = text
        .trim()
        .trim_end_matches(['。', '.', '；', ';'])
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    match t.as_str() {
        "" => return DeadlineKind::None,
        "及时公开" | "及时" | "即时公开" | "实时公开" | "及时更新" => {
            return DeadlineKind::Timely;
        }
        "长期坚持" | "持续推进" | "长期" | "持续开展" | "常态化" | "长期推进" =>
        {
            return DeadlineKind::Ongoing;
        }
        _ => {}
    }
    let rest = t.strip_suffix('前').unwrap_or(&t);
    // Optional leading "YYYY年".
    let (y, rest) = match split_number(rest) {
        Some((n, r)) if n >= 1900 && r.starts_with('年') => {
            (i32::try_from(n).unwrap_or(year), &r['年'.len_utf8()..])
        }
        _ => (year, rest),
    };
    let date = |m: u32, d: u32| {
        NaiveDate::from_ymd_opt(y, m, d).map_or(DeadlineKind::Text, DeadlineKind::Date)
    };
    match rest {
        "年底" | "年末" | "底" | "年内" | "全年" | "下半年" => return date(12, 31),
        "上半年" | "年中" => return date(6, 30),
        "一季度" | "第一季度" => return date(3, 31),
        "二季度" | "第二季度" => return date(6, 30),
        "三季度" | "第三季度" => return date(9, 30),
        "四季度" | "第四季度" => return date(12, 31),
        _ => {}
    }
    let Some((m, r)) = split_number(rest) else {
        return DeadlineKind::Text;
    };
    let Some(r) = r.strip_prefix('月') else {
        return DeadlineKind::Text;
    };
    let Ok(m) = u32::try_from(m) else {
        return DeadlineKind::Text;
    };
    if !(1..=12).contains(&m) {
        return DeadlineKind::Text;
    }
    match r {
        "底" | "末" | "" => date(m, crate::model::days_in_month(y, m)),
        "中旬" => date(m, 20),
        "上旬" => date(m, 10),
        "下旬" => date(m, crate::model::days_in_month(y, m)),
        _ => match split_number(r) {
            Some((d, tail)) if tail == "日" || tail == "号" => {
                u32::try_from(d).map_or(DeadlineKind::Text, |d| date(m, d))
            }
            _ => DeadlineKind::Text,
        },
    }
}

/// Leading ASCII or full-width digits as a number, and the rest.
fn split_number(s: &str) -> Option<(u64, &str)> {
    let mut n: u64 = 0;
    let mut len = 0;
    for c in s.chars() {
        let d = match c {
            '0'..='9' => c as u64 - '0' as u64,
            '０'..='９' => c as u64 - '０' as u64,
            _ => break,
        };
        n = n.checked_mul(10)?.checked_add(d)?;
        len += c.len_utf8();
        if n > 100_000 {
            return None;
        }
    }
    (len > 0).then(|| (n, &s[len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> DeadlineKind {
        DeadlineKind::Date(NaiveDate::from_ymd_opt(y, m, day).unwrap())
    }

    #[test]
    fn table() {
        let cases = [
            ("8月31日", d(2023, 8, 31)),
            ("12月31日", d(2023, 12, 31)),
            ("5月31日", d(2023, 5, 31)),
            ("8月底前", d(2023, 8, 31)),
            ("2月底前", d(2023, 2, 28)),
            ("2023年8月底前", d(2023, 8, 31)),
            ("2024年2月底前", d(2024, 2, 29)),
            ("2023年7月底前", d(2023, 7, 31)),
            ("年底前", d(2023, 12, 31)),
            ("2023年底前", d(2023, 12, 31)),
            ("上半年", d(2023, 6, 30)),
            ("三季度", d(2023, 9, 30)),
            ("１０月３１日", d(2023, 10, 31)),
            ("及时公开", DeadlineKind::Timely),
            ("长期坚持", DeadlineKind::Ongoing),
            ("持续推进", DeadlineKind::Ongoing),
            ("2月30日", DeadlineKind::Text),
            ("13月1日", DeadlineKind::Text),
            ("视情况", DeadlineKind::Text),
            ("", DeadlineKind::None),
            ("99999999999999999999月1日", DeadlineKind::Text),
        ];
        for (text, want) in cases {
            assert_eq!(interpret(text, 2023), want, "{text}");
        }
    }
}
