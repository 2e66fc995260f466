//! The report as text: a heading, the note on what it counts, then each view as a table aligned
//! for a terminal in a CJK font (a Chinese character is two columns wide).

use super::{Report, View, scope_note, views};
use unicode_width::UnicodeWidthStr as _;

/// Long text is cut to this many columns when printed (the workbook keeps it whole).
const LONG: usize = 30;

/// The whole report.
pub fn render(r: &Report) -> String {
    let mut out = format!("{}：进展通报（数据截至 {}）\n", r.site, super::iso(r.as_of));
    out.push_str(&scope_note(r));
    out.push('\n');
    const NUMERALS: [&str; 4] = ["一", "二", "三", "四"];
    for (i, v) in views(r).iter().enumerate() {
        out.push('\n');
        out.push_str(&format!(
            "{}、{}\n",
            NUMERALS.get(i).copied().unwrap_or("　"),
            v.title
        ));
        if v.rows.is_empty() {
            out.push_str("  （无）\n");
        } else {
            out.push_str(&table(v));
        }
    }
    out
}

/// Display width in a terminal.
pub fn width(s: &str) -> usize {
    s.width()
}

/// `s` cut to at most `max` columns, ending in … when cut.
fn cut(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// One view as an aligned table: numbers right-aligned, text left-aligned, two spaces apart.
pub fn table(v: &View) -> String {
    let cells: Vec<Vec<(String, bool)>> = v
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(c, cell)| {
                    let t = cell.text();
                    let t = if v.long.contains(&c) {
                        cut(&t, LONG)
                    } else {
                        t
                    };
                    (t, matches!(cell, super::Cell::Number(_)))
                })
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = v.headers.iter().map(|h| width(h)).collect();
    for row in &cells {
        for (c, (t, _)) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(width(t));
            }
        }
    }
    let line = |row: &[(String, bool)]| -> String {
        let mut s = String::from("  ");
        for (c, (t, right)) in row.iter().enumerate() {
            let pad = " ".repeat(widths.get(c).copied().unwrap_or(0).saturating_sub(width(t)));
            if c > 0 {
                s.push_str("  ");
            }
            if *right {
                s.push_str(&pad);
                s.push_str(t);
            } else {
                s.push_str(t);
                if c + 1 < row.len() {
                    s.push_str(&pad);
                }
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let head: Vec<(String, bool)> = v.headers.iter().map(|h| (h.clone(), false)).collect();
    let mut out = line(&head);
    for row in &cells {
        out.push_str(&line(row));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_counts_double() {
        assert_eq!(width("市教育局"), 8);
        assert_eq!(width("a1"), 2);
        assert_eq!(cut("一二三四五六", 7), "一二三…");
        assert_eq!(cut("一二三", 6), "一二三");
    }

    #[test]
    fn columns_line_up_in_display_width() {
        let v = View {
            name: "按单位",
            title: String::new(),
            headers: vec!["单位".into(), "任务数".into()],
            rows: vec![
                vec![
                    super::super::Cell::Text("甲局".into()),
                    super::super::Cell::Number(3),
                ],
                vec![
                    super::super::Cell::Text("abc".into()),
                    super::super::Cell::Number(12),
                ],
            ],
            long: Vec::new(),
        };
        assert_eq!(
            table(&v),
            "  单位  任务数\n  甲局       3\n  abc       12\n"
        );
    }
}
