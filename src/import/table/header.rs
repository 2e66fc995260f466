//! Reading a table's header: cell text cleaning, column labels (序号, 工作任务, 责任单位 …) and
//! their fields, `--map` rules, header rows, and the numbering written before a title
//! ("1." / "（一）").

use super::{RawRow, RawTable, Slot};
use std::fmt;

/// Normalise a cell's text: paragraphs on their own lines, each trimmed, empty ones dropped.
pub fn clean_cell(s: &str) -> String {
    s.replace("\r\n", "\n")
        .replace('\r', "\n")
        .split('\n')
        .map(|l| l.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}'))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A column's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// 序号 of a category (one per 工作任务, merged or left blank on its other rows).
    Number,
    /// 序号 of a task: a column of small integers, one on every task row (a 序号 column beside
    /// the category's, or the only one of a table whose rows are tasks).
    TaskNumber,
    /// 工作任务 (category).
    Category,
    /// 重点工作任务 (sub-category).
    Subcategory,
    /// 具体要求 (task text).
    Text,
    /// 责任单位.
    Responsible,
    /// 牵头单位.
    Lead,
    /// 配合单位.
    Cooperating,
    /// 完成时限.
    Deadline,
    /// Not imported (备注 and unknown columns).
    Ignore,
}

impl Field {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Field::Number => "序号",
            Field::TaskNumber => "任务序号",
            Field::Category => "工作任务",
            Field::Subcategory => "重点工作任务",
            Field::Text => "具体要求",
            Field::Responsible => "责任单位",
            Field::Lead => "牵头单位",
            Field::Cooperating => "配合单位",
            Field::Deadline => "完成时限",
            Field::Ignore => "不导入",
        }
    }

    /// Parse a `--map` field name: an English key or a Chinese label.
    pub fn parse(s: &str) -> Option<Field> {
        let f = match s.trim() {
            "number" => Field::Number,
            "task_number" | "任务序号" => Field::TaskNumber,
            "category" => Field::Category,
            "subcategory" => Field::Subcategory,
            "text" => Field::Text,
            "responsible" => Field::Responsible,
            "lead" => Field::Lead,
            "cooperating" => Field::Cooperating,
            "deadline" => Field::Deadline,
            "ignore" | "不导入" | "忽略" => Field::Ignore,
            other => return label_field(other).filter(|f| *f != Field::Ignore),
        };
        Some(f)
    }
}

/// Header text with whitespace and a trailing colon removed.
pub(super) fn norm_label(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}')
        .collect::<String>()
        .trim_end_matches(['：', ':'])
        .to_string()
}

/// The field a header cell names, if it is a known label.
pub fn label_field(cell: &str) -> Option<Field> {
    let t = norm_label(cell);
    if t.is_empty() || t.chars().count() > 12 {
        return None;
    }
    let exact = match t.as_str() {
        "序号" | "编号" | "序" => Some(Field::Number),
        "工作任务" | "任务类别" | "类别" | "工作类别" | "任务分类" | "分类" | "大类"
        | "工作任务大类" | "工作事项" | "工作领域" => Some(Field::Category),
        "重点工作任务" | "重点任务" | "主要任务" | "工作重点" | "重点工作" | "任务名称" => {
            Some(Field::Subcategory)
        }
        "具体要求" | "具体任务" | "任务内容" | "工作内容" | "具体内容" | "主要内容"
        | "工作要求" | "工作措施" | "具体措施" | "具体工作" | "任务要求" | "具体工作任务" => {
            Some(Field::Text)
        }
        "备注" | "说明" => Some(Field::Ignore),
        _ => None,
    };
    if exact.is_some() {
        return exact;
    }
    if t.contains("牵头") || t.contains("主责") {
        Some(Field::Lead)
    } else if t.contains("配合") || t.contains("协办") || t.contains("协助") {
        Some(Field::Cooperating)
    } else if t.contains("时限") || t.contains("时间") || t.contains("期限") || t.contains("进度")
    {
        Some(Field::Deadline)
    } else if t.contains("责任") || t.contains("承办") || t.contains("落实单位") {
        Some(Field::Responsible)
    } else if t.contains("序号") {
        Some(Field::Number)
    } else {
        None
    }
}

/// Where a cell is, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pos {
    /// Table name ("表格 1", "工作表“Sheet1”") or empty.
    pub source: String,
    /// 1-based row.
    pub row: usize,
    /// 1-based column.
    pub col: usize,
    /// The column's header label, if any.
    pub label: String,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.source.is_empty() {
            write!(f, "{} ", self.source)?;
        }
        write!(f, "第 {} 行第 {} 列", self.row, self.col)?;
        if !self.label.is_empty() {
            write!(f, "（{}）", self.label)?;
        }
        Ok(())
    }
}

/// An ambiguity or a decision the user should check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Where, if it is about one cell.
    pub pos: Option<Pos>,
    /// What.
    pub message: String,
}

impl Note {
    /// A note about the cell at `row`, `col` (1-based) of the table `source`.
    pub fn at(source: &str, row: usize, col: usize, label: &str, message: String) -> Note {
        Note {
            pos: Some(Pos {
                source: source.to_string(),
                row,
                col,
                label: label.to_string(),
            }),
            message,
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.pos {
            Some(p) => write!(f, "{p}：{}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A `--map COLUMN=FIELD` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapRule {
    /// Header text, column letter (A, B, …) or 1-based column number.
    pub column: String,
    /// What the column holds.
    pub field: Field,
}

impl std::str::FromStr for MapRule {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (c, f) = s
            .split_once('=')
            .ok_or_else(|| format!("--map 应写作 列=字段，例如 具体要求=text，而不是“{s}”"))?;
        let field = Field::parse(f).ok_or_else(|| {
            format!(
                "--map 的字段“{f}”无法识别；可用 number、task_number、category、subcategory、text、responsible、lead、cooperating、deadline、ignore 或对应的中文表头"
            )
        })?;
        if c.trim().is_empty() {
            return Err(format!("--map 缺少列名：“{s}”"));
        }
        Ok(MapRule {
            column: c.trim().to_string(),
            field,
        })
    }
}

/// The meaning of each column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// Field of each column.
    pub fields: Vec<Field>,
    /// Header text of each column (the spanning cell's text for spanned columns).
    pub labels: Vec<String>,
}

impl Columns {
    /// Column index of a field.
    pub fn col(&self, f: Field) -> Option<usize> {
        self.fields.iter().position(|x| *x == f)
    }
}

pub(super) fn slot_text(s: Option<&Slot>) -> &str {
    match s {
        Some(Slot::Text(t)) => t,
        _ => "",
    }
}

/// The text of every filled cell of a row, in order.
pub(super) fn filled_texts(row: &RawRow) -> Vec<&str> {
    row.cells
        .iter()
        .map(|s| slot_text(Some(s)))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Whether a row is a header row: at least three known labels, or two and nothing else.
pub fn is_header_row(row: &RawRow) -> bool {
    let texts = filled_texts(row);
    let labels = texts.iter().filter(|t| label_field(t).is_some()).count();
    labels >= 3 || (labels >= 2 && labels == texts.len())
}

/// Whether a row right below a header is a second header row (e.g. 牵头单位 / 配合单位 under
/// 责任单位): every filled cell is a label, and there is at least one.
pub(super) fn is_sub_header_row(row: &RawRow) -> bool {
    let texts = filled_texts(row);
    !texts.is_empty() && texts.iter().all(|t| label_field(t).is_some())
}

pub(super) fn column_letter_index(s: &str) -> Option<usize> {
    if s.is_empty() || s.len() > 3 || !s.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut n = 0usize;
    for c in s.to_ascii_uppercase().bytes() {
        n = n * 26 + usize::from(c - b'A' + 1);
    }
    Some(n - 1)
}

/// Work out the columns from header row `h` (and a second header row below it, if any).
/// Returns the columns and the index of the first data row.
pub fn header_columns(
    table: &RawTable,
    h: usize,
    width: usize,
    rules: &[MapRule],
    notes: &mut Vec<Note>,
) -> Result<(Columns, usize), String> {
    let head = &table.rows[h];
    let mut fields: Vec<Option<Field>> = vec![None; width];
    let mut labels: Vec<String> = vec![String::new(); width];
    // Group columns by spanning header cells.
    let mut groups: Vec<(Field, Vec<usize>)> = Vec::new();
    for c in 0..width {
        match head.cells.get(c) {
            Some(Slot::Text(t)) if !t.is_empty() => {
                let f = label_field(t).unwrap_or_else(|| {
                    notes.push(Note::at(
                        &table.source,
                        head.number,
                        c + 1,
                        "",
                        format!("表头“{t}”无法识别，这一列不导入（可用 --map 指定）"),
                    ));
                    Field::Ignore
                });
                labels[c] = norm_label(t);
                groups.push((f, vec![c]));
            }
            _ if c > 0 && !groups.is_empty() => {
                let g = groups.last_mut().expect("non-empty");
                labels[c] = labels[g.1[0]].clone();
                g.1.push(c);
            }
            _ => groups.push((Field::Ignore, vec![c])),
        }
    }
    let mut data_start = h + 1;
    // A second header row overrides the columns it labels.
    let mut sub: Vec<Option<Field>> = vec![None; width];
    if let Some(next) = table.rows.get(h + 1)
        && is_sub_header_row(next)
    {
        for (c, s) in sub.iter_mut().enumerate() {
            let t = slot_text(next.cells.get(c));
            if let Some(f) = label_field(t) {
                *s = Some(f);
                labels[c] = norm_label(t);
            }
        }
        data_start = h + 2;
    }
    let chain = [
        Field::Number,
        Field::Category,
        Field::Subcategory,
        Field::Text,
    ];
    let named: Vec<Field> = groups
        .iter()
        .map(|g| g.0)
        .chain(sub.iter().flatten().copied())
        .collect();
    let mut used: Vec<Field> = Vec::new();
    for (f, cols) in &groups {
        let mut extra = chain
            .iter()
            .skip_while(|x| *x != f)
            .skip(1)
            .filter(|x| !named.contains(x))
            .copied();
        for (i, &c) in cols.iter().enumerate() {
            if let Some(sf) = sub[c] {
                fields[c] = Some(sf);
            } else if i == 0 {
                fields[c] = Some(*f);
            } else if let Some(x) = extra.next() {
                fields[c] = Some(x);
            } else {
                fields[c] = Some(Field::Ignore);
            }
        }
    }
    // A column of small integers under a header spanning it and a text column is a 序号 column:
    // the spanning header's meaning goes to the other columns (issue 16: 工作任务 spanning a
    // 序号 column was read as sub-categories titled "1" … "8").
    let has_number = named.contains(&Field::Number);
    for (_, cols) in groups
        .iter()
        .filter(|g| g.1.len() > 1 && g.0 != Field::Number)
    {
        let numeric: Vec<bool> = cols
            .iter()
            .map(|&c| sub[c].is_none() && numeric_column(table, data_start, c))
            .collect();
        if !numeric.contains(&true) || numeric.iter().all(|n| *n) {
            continue;
        }
        let mut carried = cols
            .iter()
            .filter(|&&c| sub[c].is_none())
            .filter_map(|&c| fields[c])
            .filter(|f| *f != Field::Ignore)
            .collect::<Vec<_>>()
            .into_iter();
        for (&c, &is_number) in cols.iter().zip(&numeric) {
            if sub[c].is_some() {
                continue;
            }
            fields[c] = Some(if is_number {
                let f = if has_number {
                    Field::TaskNumber
                } else {
                    Field::Number
                };
                notes.push(Note::at(
                    &table.source,
                    head.number,
                    c + 1,
                    &labels[c],
                    format!(
                        "表头“{}”下的这一列只有数字，按序号读取（不是{}）",
                        labels[c], labels[c]
                    ),
                ));
                labels[c] = "序号".to_string();
                f
            } else {
                carried.next().unwrap_or(Field::Ignore)
            });
        }
    }
    let mut fields: Vec<Field> = fields
        .into_iter()
        .map(|f| f.unwrap_or(Field::Ignore))
        .collect();
    let mut mapped: Vec<usize> = Vec::new();
    // --map rules.
    for r in rules {
        let target = if let Some(i) = column_letter_index(&r.column) {
            Some(i)
        } else if let Ok(n) = r.column.parse::<usize>() {
            n.checked_sub(1)
        } else {
            let want = norm_label(&r.column);
            labels.iter().position(|l| *l == want)
        };
        match target {
            Some(i) if i < width => {
                // A field is held by one column: the rule moves it.
                if r.field != Field::Ignore {
                    for f in fields.iter_mut() {
                        if *f == r.field {
                            *f = Field::Ignore;
                        }
                    }
                }
                fields[i] = r.field;
                mapped.push(i);
            }
            _ => {
                return Err(format!(
                    "--map 的列“{}”在表头中找不到（表头：{}）",
                    r.column,
                    labels
                        .iter()
                        .filter(|l| !l.is_empty())
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("、")
                ));
            }
        }
    }
    // Without a task-text column, the lowest level named is the task text.
    if !fields.contains(&Field::Text) {
        for f in [Field::Subcategory, Field::Category] {
            if let Some(i) = fields.iter().position(|x| *x == f) {
                fields[i] = Field::Text;
                break;
            }
        }
    }
    // A second 序号 column numbers the tasks; a 序号 column with a number on every task row,
    // counting up within a category (or in a table without categories), numbers the tasks
    // rather than categories.
    let numbers: Vec<usize> = (0..width).filter(|c| fields[*c] == Field::Number).collect();
    if let [_, second, ..] = numbers[..]
        && !fields.contains(&Field::TaskNumber)
    {
        fields[second] = Field::TaskNumber;
    }
    if let Some(nc) = fields.iter().position(|f| *f == Field::Number)
        && !mapped.contains(&nc)
        && !fields.contains(&Field::TaskNumber)
        && let Some(tc) = fields.iter().position(|f| *f == Field::Text)
    {
        let cc = fields.iter().position(|f| *f == Field::Category);
        if numbers_tasks(table, data_start, nc, tc, cc) {
            fields[nc] = Field::TaskNumber;
        }
    }
    // One column per field.
    for c in 0..width {
        let f = fields[c];
        if f != Field::Ignore && used.contains(&f) {
            notes.push(Note::at(
                &table.source,
                head.number,
                c + 1,
                &labels[c],
                format!("又一列“{}”，只导入第一列（可用 --map 指定）", f.label()),
            ));
            fields[c] = Field::Ignore;
        } else {
            used.push(f);
        }
    }
    Ok((Columns { fields, labels }, data_start))
}

/// A cell holding only a small integer, as a 序号 column does: "3", "３", "3.", "3、".
pub fn small_integer(s: &str) -> Option<u32> {
    let t = s.trim().trim_end_matches(['.', '．', '、']);
    let digits = t
        .chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    if t.is_empty() || t.chars().count() > 3 || !digits {
        return None;
    }
    parse_number(t)
}

/// The data rows of a table from `start` (header rows repeated after a page break left out).
fn data_rows(table: &RawTable, start: usize) -> impl Iterator<Item = &RawRow> {
    table
        .rows
        .get(start..)
        .unwrap_or_default()
        .iter()
        .filter(|r| !is_header_row(r))
}

/// Whether every filled cell of column `c` below the header is a small integer (and one is).
fn numeric_column(table: &RawTable, start: usize, c: usize) -> bool {
    let mut any = false;
    for row in data_rows(table, start) {
        let t = slot_text(row.cells.get(c));
        if t.is_empty() {
            continue;
        }
        if small_integer(t).is_none() {
            return false;
        }
        any = true;
    }
    any
}

/// Whether 序号 column `nc` numbers tasks: every row with a task text (column `tc`) has its own
/// number, and two tasks of one category (column `cc`) have different numbers, or the table has
/// no category column and more than one task.
fn numbers_tasks(table: &RawTable, start: usize, nc: usize, tc: usize, cc: Option<usize>) -> bool {
    let mut tasks = 0;
    let mut category = String::new();
    let mut last: Option<(String, u32)> = None;
    let mut counts_within = false;
    for row in data_rows(table, start) {
        if let Some(c) = cc
            && let Some(Slot::Text(t)) = row.cells.get(c)
            && !t.is_empty()
        {
            category.clone_from(t);
        }
        if slot_text(row.cells.get(tc)).is_empty() {
            continue;
        }
        let Some(n) = small_integer(slot_text(row.cells.get(nc))) else {
            return false;
        };
        if let Some((c, m)) = &last
            && *c == category
            && *m != n
        {
            counts_within = true;
        }
        last = Some((category.clone(), n));
        tasks += 1;
    }
    match cc {
        Some(_) => counts_within,
        None => tasks > 1,
    }
}

/// Parse a 序号 cell or a numbering prefix: 1, 1、, （一）, 一、, 十二.
pub fn parse_number(s: &str) -> Option<u32> {
    let t = s
        .trim()
        .trim_start_matches(['（', '('])
        .trim_end_matches(['、', '.', '．', '）', ')', ' ']);
    if t.is_empty() {
        return None;
    }
    if t.chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        let digits: String = t
            .chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    c
                } else {
                    char::from(b'0' + (c as u32 - '０' as u32) as u8)
                }
            })
            .collect();
        return digits.parse().ok().filter(|n| *n > 0);
    }
    chinese_number(t)
}

pub(super) fn chinese_number(t: &str) -> Option<u32> {
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    };
    let chars: Vec<char> = t.chars().collect();
    match chars.as_slice() {
        [a] if *a == '十' => Some(10),
        [a] => digit(*a).filter(|n| *n > 0),
        ['十', b] => digit(*b).map(|n| 10 + n),
        [a, '十'] => digit(*a).map(|n| n * 10),
        [a, '十', b] => Some(digit(*a)? * 10 + digit(*b)?),
        _ => None,
    }
}

/// Split a numbering prefix off a title: "一、加大…" → (1, "加大…"); "（二）做好…" → (2, "做好…");
/// "1 加大…" too.
pub fn strip_numbering(s: &str) -> (Option<u32>, &str) {
    strip_with(s, "、.．)） \u{3000}")
}

/// Split a numbering prefix off a task text: "1." "1、" "（一）" "一、" "(1)" "1）", not a
/// number that is content ("2023年…", "1.5万元", "12345热线", "3 项").
pub fn strip_task_numbering(s: &str) -> (Option<u32>, &str) {
    strip_with(s, "、.．)）")
}

fn strip_with<'s>(s: &'s str, separators: &str) -> (Option<u32>, &'s str) {
    let t = s.trim();
    // A numbering has at most three digits: (2023) and 2023. are years.
    let short = |p: &str| p.chars().filter(char::is_ascii_digit).count() <= 3;
    if let Some(rest) = t.strip_prefix(['（', '(']) {
        if let Some(end) = rest.find(['）', ')'])
            && short(&rest[..end])
            && let Some(n) = parse_number(&rest[..end])
        {
            let after = rest[end..].trim_start_matches(['）', ')']).trim();
            return (Some(n), after);
        }
        return (None, t);
    }
    let end = t
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || "零一二三四五六七八九十".contains(*c)))
        .map_or(t.len(), |(i, _)| i);
    if end == 0 || end == t.len() {
        return (None, t);
    }
    let rest = &t[end..];
    let Some(sep) = rest.chars().next() else {
        return (None, t);
    };
    let decimal = ".．".contains(sep)
        && rest[sep.len_utf8()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit());
    if separators.contains(sep)
        && !decimal
        && short(&t[..end])
        && let Some(n) = parse_number(&t[..end])
    {
        return (Some(n), rest[sep.len_utf8()..].trim());
    }
    (None, t)
}
