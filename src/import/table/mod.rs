//! The part that does not depend on the file format: raw tables (cells with merge markers) →
//! header detection → categories, sub-categories and tasks, every ambiguity located by table,
//! row and column.

/// One cell position of a raw table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot {
    /// A cell of its own (possibly empty).
    Text(String),
    /// Covered by a vertical merge: the same cell as the one above.
    Above,
    /// Covered by a horizontal merge: part of the cell to the left.
    Left,
}

/// A row of a raw table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRow {
    /// 1-based row number in the source (table row, sheet row or CSV line), for messages.
    pub number: usize,
    /// Cells, one per grid column.
    pub cells: Vec<Slot>,
}

/// A table as read from a file.
#[derive(Debug, Clone, Default)]
pub struct RawTable {
    /// Where it is, for messages: "表格 1", "工作表“Sheet1”", or empty for a CSV file.
    pub source: String,
    /// Rows in order.
    pub rows: Vec<RawRow>,
}

/// Everything read from a file.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Paragraphs before the first table (the title, for a Word file).
    pub title_lines: Vec<String>,
    /// The tables.
    pub tables: Vec<RawTable>,
}

mod header;
pub use header::*;

/// A cell's text with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Text (merged cells carry the text of the cell they are merged into).
    pub text: String,
    /// Where.
    pub pos: Pos,
}

/// A task as read from the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    /// The task's own 序号: its 序号 column, else the numbering its text started with.
    pub number: Option<u32>,
    /// Task text, without the numbering it started with ("1." "（一）" …).
    pub text: Cell,
    /// 责任单位.
    pub responsible: Option<Cell>,
    /// 牵头单位.
    pub lead: Option<Cell>,
    /// 配合单位.
    pub cooperating: Option<Cell>,
    /// 完成时限.
    pub deadline: Option<Cell>,
}

/// A sub-category (重点工作任务).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subcategory {
    /// Title.
    pub title: String,
    /// Tasks.
    pub tasks: Vec<Task>,
}

/// A category (工作任务).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// 序号.
    pub number: u32,
    /// Title.
    pub title: String,
    /// Sub-categories.
    pub subcategories: Vec<Subcategory>,
}

/// The tasks read from a document.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// Categories in first-seen order.
    pub categories: Vec<Category>,
    /// Rows above the first header (title candidates).
    pub above_header: Vec<String>,
    /// Whether any table has a deadline column.
    pub has_deadline: bool,
    /// Ambiguities.
    pub notes: Vec<Note>,
}

/// Walker state across rows and tables.
struct Walk {
    parsed: Parsed,
    cur_cat: Option<usize>,
    cur_sub: Option<usize>,
    default_category: String,
}

impl Walk {
    fn note(&mut self, pos: Pos, message: String) {
        self.parsed.notes.push(Note {
            pos: Some(pos),
            message,
        });
    }

    fn category(&mut self, number: Option<u32>, title: &str, pos: &Pos) -> usize {
        let cats = &mut self.parsed.categories;
        let found = match number {
            Some(n) => cats.iter().position(|c| c.number == n),
            None => cats.iter().position(|c| c.title == title),
        };
        match found {
            Some(i) => {
                let c = &mut cats[i];
                if !title.is_empty() && c.title != title {
                    if c.title.is_empty() {
                        c.title = title.to_string();
                    } else {
                        let msg = format!(
                            "序号 {} 的工作任务前后不一致：先是“{}”，这里是“{title}”；按前者导入",
                            c.number, c.title
                        );
                        self.note(pos.clone(), msg);
                    }
                }
                i
            }
            None => {
                let n =
                    number.unwrap_or_else(|| cats.iter().map(|c| c.number).max().unwrap_or(0) + 1);
                cats.push(Category {
                    number: n,
                    title: title.to_string(),
                    subcategories: Vec::new(),
                });
                cats.len() - 1
            }
        }
    }

    fn subcategory(&mut self, cat: usize, title: &str) -> usize {
        let subs = &mut self.parsed.categories[cat].subcategories;
        if let Some(i) = subs.iter().position(|s| s.title == title) {
            return i;
        }
        subs.push(Subcategory {
            title: title.to_string(),
            tasks: Vec::new(),
        });
        subs.len() - 1
    }

    fn rows(&mut self, table: &RawTable, cols: &Columns, from: usize) {
        let width = cols.fields.len();
        let mut prev: Vec<String> = vec![String::new(); width];
        let pos = |row: &RawRow, c: usize| Pos {
            source: table.source.clone(),
            row: row.number,
            col: c + 1,
            label: cols.labels[c].clone(),
        };
        for row in &table.rows[from..] {
            let mut resolved = vec![String::new(); width];
            let mut explicit = vec![false; width];
            for c in 0..width {
                match row.cells.get(c) {
                    Some(Slot::Text(t)) => {
                        resolved[c].clone_from(t);
                        explicit[c] = !t.is_empty();
                    }
                    Some(Slot::Above) => resolved[c].clone_from(&prev[c]),
                    Some(Slot::Left) | None => {}
                }
            }
            if resolved.iter().all(String::is_empty) || is_header_row(row) {
                continue;
            }
            let get = |f: Field| cols.col(f).map(|c| (c, resolved[c].as_str(), explicit[c]));
            let num = get(Field::Number);
            let cat = get(Field::Category);
            let num_explicit = num.filter(|n| n.2);
            let cat_explicit = cat.filter(|c| c.2);
            if num_explicit.is_some() || cat_explicit.is_some() {
                let (tn, title) = strip_numbering(cat.map_or("", |c| c.1));
                let title = title.to_string();
                let mut number = tn;
                if let Some((c, text, _)) = num_explicit {
                    match parse_number(text) {
                        Some(n) => number = Some(n),
                        None => {
                            let p = pos(row, c);
                            self.note(p, format!("序号“{text}”不是数字，按工作任务名称归类"));
                        }
                    }
                }
                if cat.is_some() && title.is_empty() {
                    let c = cat.map_or(0, |c| c.0);
                    self.note(pos(row, c), "工作任务为空".to_string());
                }
                let p = pos(row, num.or(cat).map_or(0, |x| x.0));
                let i = self.category(number, &title, &p);
                if self.cur_cat != Some(i) {
                    self.cur_sub = None;
                }
                self.cur_cat = Some(i);
            }
            if let Some((_, text, true)) = get(Field::Subcategory) {
                let cat = self.ensure_category(cols, row, &pos);
                let Some(cat) = cat else { continue };
                let title = strip_numbering(text).1.to_string();
                self.cur_sub = Some(self.subcategory(cat, &title));
            }
            let Some(tc) = cols.col(Field::Text) else {
                continue;
            };
            let others = [
                Field::Responsible,
                Field::Lead,
                Field::Cooperating,
                Field::Deadline,
            ];
            match row.cells.get(tc) {
                Some(Slot::Text(t)) if !t.is_empty() => {}
                Some(Slot::Above) if !resolved[tc].is_empty() => {
                    self.note(
                        pos(row, tc),
                        "任务内容与上一行合并（纵向合并单元格），本行未作为新任务导入".to_string(),
                    );
                    prev = resolved;
                    continue;
                }
                _ => {
                    if others.iter().any(|f| get(*f).is_some_and(|x| x.2)) {
                        self.note(
                            pos(row, tc),
                            "这一行有责任单位或时限，但没有任务内容，未导入".to_string(),
                        );
                    }
                    prev = resolved;
                    continue;
                }
            }
            let Some(cat) = self.ensure_category(cols, row, &pos) else {
                prev = resolved;
                continue;
            };
            let sub = match self.cur_sub {
                Some(s) => s,
                None => {
                    // No 重点工作任务 level here: the task belongs to the category directly.
                    let title = String::new();
                    let s = self.subcategory(cat, &title);
                    self.cur_sub = Some(s);
                    s
                }
            };
            let cell = |f: Field| {
                cols.col(f).and_then(|c| {
                    let text = resolved[c].clone();
                    (!text.is_empty()).then(|| Cell {
                        text,
                        pos: pos(row, c),
                    })
                })
            };
            let (prefix, text) = strip_task_numbering(&resolved[tc]);
            let column_number = get(Field::TaskNumber).and_then(|(c, t, _)| {
                let n = small_integer(t);
                if n.is_none() && !t.is_empty() {
                    self.note(pos(row, c), format!("序号“{t}”不是数字，任务按顺序编号"));
                }
                n
            });
            let mut task = Task {
                number: column_number.or(prefix),
                text: Cell {
                    text: text.to_string(),
                    pos: pos(row, tc),
                },
                responsible: cell(Field::Responsible),
                lead: cell(Field::Lead),
                cooperating: cell(Field::Cooperating),
                deadline: cell(Field::Deadline),
            };
            // An empty 牵头 cell: the units of the other cell are responsible, none of them
            // cooperating with a lead the table does not name.
            if task.lead.is_none()
                && task.responsible.is_none()
                && cols.col(Field::Lead).is_some()
                && let Some(c) = task.cooperating.take()
            {
                self.note(
                    c.pos.clone(),
                    "牵头单位为空：这一格的单位记为责任单位（不分牵头、配合）".to_string(),
                );
                task.responsible = Some(c);
            }
            if task.responsible.is_none()
                && task.lead.is_none()
                && task.cooperating.is_none()
                && let Some(c) = cols.col(Field::Responsible).or(cols.col(Field::Lead))
            {
                self.note(pos(row, c), "责任单位为空".to_string());
            }
            if task.deadline.is_none()
                && let Some(c) = cols.col(Field::Deadline)
            {
                self.note(pos(row, c), "完成时限为空".to_string());
            }
            self.parsed.categories[cat].subcategories[sub]
                .tasks
                .push(task);
            prev = resolved;
        }
    }

    /// The current category; without a category column, one category named after the plan.
    fn ensure_category(
        &mut self,
        cols: &Columns,
        row: &RawRow,
        pos: &dyn Fn(&RawRow, usize) -> Pos,
    ) -> Option<usize> {
        if let Some(c) = self.cur_cat {
            return Some(c);
        }
        if cols.col(Field::Category).is_none() && cols.col(Field::Number).is_none() {
            let title = self.default_category.clone();
            let p = pos(row, 0);
            let i = self.category(Some(1), &title, &p);
            self.cur_cat = Some(i);
            return Some(i);
        }
        let c = cols
            .col(Field::Category)
            .or(cols.col(Field::Number))
            .unwrap_or(0);
        self.note(
            pos(row, c),
            "任务之前没有工作任务（大类），未导入".to_string(),
        );
        None
    }
}

/// Find the header of `table` within its first rows.
/// Header texts named by `--map` rules count as labels.
fn find_header(table: &RawTable, rules: &[MapRule]) -> Option<usize> {
    let named: Vec<String> = rules.iter().map(|r| norm_label(&r.column)).collect();
    table.rows.iter().take(15).position(|row| {
        if is_header_row(row) {
            return true;
        }
        let texts = filled_texts(row);
        let labels = texts
            .iter()
            .filter(|t| label_field(t).is_some() || named.contains(&norm_label(t)))
            .count();
        !named.is_empty() && (labels >= 3 || (labels >= 2 && labels == texts.len()))
    })
}

/// Read tasks from all tables of a document. `default_category` names the single category of
/// a table without 工作任务 and 序号 columns.
pub fn parse(doc: &Document, rules: &[MapRule], default_category: &str) -> Result<Parsed, String> {
    let mut walk = Walk {
        parsed: Parsed::default(),
        cur_cat: None,
        cur_sub: None,
        default_category: default_category.to_string(),
    };
    let mut cols: Option<Columns> = None;
    let mut seen_header = false;
    for table in &doc.tables {
        let width = table.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        if width == 0 {
            continue;
        }
        match find_header(table, rules) {
            Some(h) => {
                if !seen_header {
                    walk.parsed.above_header = table.rows[..h]
                        .iter()
                        .flat_map(|r| r.cells.iter().map(|s| slot_text(Some(s)).to_string()))
                        .filter(|t| !t.is_empty())
                        .collect();
                }
                seen_header = true;
                let (c, start) = header_columns(table, h, width, rules, &mut walk.parsed.notes)?;
                walk.parsed.has_deadline |= c.col(Field::Deadline).is_some();
                walk.rows(table, &c, start);
                cols = Some(c);
            }
            None => match &cols {
                // A table continued after a page break, without its header.
                Some(c) if c.fields.len() == width => {
                    let c = c.clone();
                    walk.rows(table, &c, 0);
                }
                _ if !rules.is_empty()
                    && !seen_header
                    && rules.iter().any(|r| r.field == Field::Text) =>
                {
                    // No header, but --map says which column is which (by letter or number).
                    let labels = vec![String::new(); width];
                    let mut fields = vec![Field::Ignore; width];
                    for r in rules {
                        let i = column_letter_index(&r.column)
                            .or_else(|| {
                                r.column
                                    .parse::<usize>()
                                    .ok()
                                    .and_then(|n| n.checked_sub(1))
                            })
                            .filter(|i| *i < width)
                            .ok_or_else(|| {
                                format!("表格没有表头，--map 的列“{}”须写作列字母或列号", r.column)
                            })?;
                        fields[i] = r.field;
                    }
                    let c = Columns { fields, labels };
                    walk.parsed.has_deadline |= c.col(Field::Deadline).is_some();
                    walk.rows(table, &c, 0);
                    cols = Some(c);
                    seen_header = true;
                }
                _ => {
                    if table
                        .rows
                        .iter()
                        .any(|r| r.cells.iter().any(|s| !slot_text(Some(s)).is_empty()))
                    {
                        walk.parsed.notes.push(Note {
                            pos: None,
                            message: format!(
                                "{}没有可识别的表头（序号、工作任务、具体要求、责任单位、完成时限……），未导入",
                                if table.source.is_empty() { "表格".to_string() } else { table.source.clone() }
                            ),
                        });
                    }
                }
            },
        }
    }
    if !seen_header {
        return Err(
            "找不到分工表的表头：需要一行写有“序号”“工作任务”“具体要求”“责任单位”“完成时限”等栏目名；表头写法不同时，用 --map 列=字段 指定".to_string(),
        );
    }
    Ok(walk.parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: usize, cells: &[&str]) -> RawRow {
        RawRow {
            number: n,
            cells: cells
                .iter()
                .map(|c| match *c {
                    "^" => Slot::Above,
                    "<" => Slot::Left,
                    t => Slot::Text(t.to_string()),
                })
                .collect(),
        }
    }

    fn table(rows: Vec<RawRow>) -> Document {
        Document {
            title_lines: vec![],
            tables: vec![RawTable {
                source: String::new(),
                rows,
            }],
        }
    }

    #[test]
    fn labels() {
        assert_eq!(label_field("序  号"), Some(Field::Number));
        assert_eq!(label_field("重点工作任务"), Some(Field::Subcategory));
        assert_eq!(label_field("时限要求"), Some(Field::Deadline));
        assert_eq!(label_field("责任科室"), Some(Field::Responsible));
        assert_eq!(label_field("牵头单位"), Some(Field::Lead));
        assert_eq!(label_field("配合单位："), Some(Field::Cooperating));
        assert_eq!(label_field("市发改局、市经信局等部门（单位）"), None);
        assert_eq!(label_field("2023年全市政务公开工作要点分工表"), None);
    }

    #[test]
    fn header_spanning_two_columns() {
        // The seed: 5 labels over 6 columns, 重点工作任务 spanning sub-category and task text.
        let doc = table(vec![
            row(
                1,
                &[
                    "序号",
                    "工作任务",
                    "重点工作任务",
                    "<",
                    "责任单位",
                    "完成时限",
                ],
            ),
            row(
                2,
                &[
                    "1",
                    "加大主动公开力度",
                    "小类甲",
                    "任务一",
                    "市发改局",
                    "及时公开",
                ],
            ),
            row(3, &["^", "^", "^", "任务二", "市经信局", "8月31日"]),
            row(4, &["", "", "小类乙", "任务三", "市财政局", "年底前"]),
            row(5, &["1", "加大主动公开力度", "小类丙", "任务四", "^", "^"]),
        ]);
        let p = parse(&doc, &[], "").unwrap();
        assert_eq!(p.categories.len(), 1);
        let c = &p.categories[0];
        assert_eq!((c.number, c.title.as_str()), (1, "加大主动公开力度"));
        let subs: Vec<_> = c
            .subcategories
            .iter()
            .map(|s| (s.title.as_str(), s.tasks.len()))
            .collect();
        assert_eq!(subs, vec![("小类甲", 2), ("小类乙", 1), ("小类丙", 1)]);
        let t4 = &c.subcategories[2].tasks[0];
        assert_eq!(t4.responsible.as_ref().unwrap().text, "市财政局");
        assert_eq!(t4.deadline.as_ref().unwrap().text, "年底前");
        assert_eq!(t4.text.pos.row, 5);
        assert_eq!(t4.text.pos.col, 4);
    }

    #[test]
    fn blank_header_cell_continues_the_span_and_csv_style_blanks_mean_same_as_above() {
        let doc = table(vec![
            row(1, &["2024年某县分工表", "", "", "", ""]),
            row(2, &["序号", "工作任务", "具体要求", "责任单位", "时限要求"]),
            row(3, &["1", "甲类", "任务一", "县财政局", "及时公开"]),
            row(4, &["", "", "任务二", "县政府办", ""]),
            row(5, &["二、", "乙类", "任务三", "", "年底前"]),
        ]);
        let p = parse(&doc, &[], "").unwrap();
        assert_eq!(p.above_header, vec!["2024年某县分工表".to_string()]);
        let cats: Vec<_> = p
            .categories
            .iter()
            .map(|c| (c.number, c.title.as_str()))
            .collect();
        assert_eq!(cats, vec![(1, "甲类"), (2, "乙类")]);
        assert_eq!(
            p.categories[0].subcategories[0].title, "",
            "no 重点工作任务 column: the tasks belong to the category, no invented level"
        );
        assert_eq!(p.categories[0].subcategories[0].tasks.len(), 2);
        let msgs: Vec<String> = p.notes.iter().map(ToString::to_string).collect();
        assert!(
            msgs.contains(&"第 4 行第 5 列（时限要求）：完成时限为空".to_string()),
            "{msgs:?}"
        );
        assert!(
            msgs.contains(&"第 5 行第 4 列（责任单位）：责任单位为空".to_string()),
            "{msgs:?}"
        );
    }

    #[test]
    fn two_header_rows_lead_and_cooperating() {
        let doc = table(vec![
            row(1, &["序号", "工作任务", "具体要求", "责任单位", "<"]),
            row(2, &["^", "^", "^", "牵头单位", "配合单位"]),
            row(3, &["1", "甲类", "任务一", "县财政局", "县审计局"]),
        ]);
        let p = parse(&doc, &[], "").unwrap();
        let t = &p.categories[0].subcategories[0].tasks[0];
        assert_eq!(t.lead.as_ref().unwrap().text, "县财政局");
        assert_eq!(t.cooperating.as_ref().unwrap().text, "县审计局");
        assert!(t.responsible.is_none());
    }

    #[test]
    fn map_overrides_and_missing_header_is_an_error() {
        let doc = table(vec![
            row(1, &["序号", "类别", "事项", "单位"]),
            row(2, &["1", "甲类", "任务一", "县财政局"]),
        ]);
        // 事项 and 单位 are not labels; only 序号 and 类别 are: a header of two labels.
        let rules: Vec<MapRule> = ["事项=text", "D=responsible"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let p = parse(&doc, &rules, "").unwrap();
        let t = &p.categories[0].subcategories[0].tasks[0];
        assert_eq!(t.text.text, "任务一");
        assert_eq!(t.responsible.as_ref().unwrap().text, "县财政局");
        let doc = table(vec![row(1, &["a", "b"]), row(2, &["c", "d"])]);
        assert!(parse(&doc, &[], "").unwrap_err().contains("表头"));
        assert!("具体要求".parse::<MapRule>().is_err());
        assert!("A=什么".parse::<MapRule>().is_err());
    }

    #[test]
    fn number_column_under_a_spanning_header_numbers_the_tasks() {
        // 4 header cells over 5 columns: 工作任务 spans the category and a 序号 column.
        let doc = table(vec![
            row(1, &["工作任务", "<", "具体要求", "责任单位", "完成时限"]),
            row(2, &["一、甲类", "1", "1.任务一", "县财政局", "年底前"]),
            row(3, &["^", "2", "（二）任务二", "县审计局", "年底前"]),
            row(4, &["二、乙类", "3", "任务三", "县政府办", "年底前"]),
        ]);
        let p = parse(&doc, &[], "").unwrap();
        let got: Vec<(u32, &str, &str, Option<u32>, &str)> = p
            .categories
            .iter()
            .flat_map(|c| {
                c.subcategories.iter().flat_map(move |s| {
                    s.tasks.iter().map(move |t| {
                        (
                            c.number,
                            s.title.as_str(),
                            t.text.text.as_str(),
                            t.number,
                            c.title.as_str(),
                        )
                    })
                })
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (1, "", "任务一", Some(1), "甲类"),
                (1, "", "任务二", Some(2), "甲类"),
                (2, "", "任务三", Some(3), "乙类"),
            ],
            "never sub-categories titled 1, 2, 3"
        );
        let msgs: Vec<String> = p.notes.iter().map(ToString::to_string).collect();
        assert!(
            msgs[0].contains("第 1 行第 2 列（工作任务）：表头“工作任务”下的这一列只有数字"),
            "{msgs:?}"
        );
    }

    #[test]
    fn number_column_with_a_number_per_task_numbers_tasks_not_categories() {
        let doc = table(vec![
            row(1, &["序号", "工作任务", "具体要求", "责任单位"]),
            row(2, &["1", "甲类", "任务一", "县财政局"]),
            row(3, &["2", "^", "任务二", "县财政局"]),
            row(4, &["3", "乙类", "任务三", "县财政局"]),
        ]);
        let p = parse(&doc, &[], "").unwrap();
        let cats: Vec<(u32, &str, Vec<Option<u32>>)> = p
            .categories
            .iter()
            .map(|c| {
                let n = c.subcategories[0].tasks.iter().map(|t| t.number).collect();
                (c.number, c.title.as_str(), n)
            })
            .collect();
        assert_eq!(
            cats,
            vec![
                (1, "甲类", vec![Some(1), Some(2)]),
                (2, "乙类", vec![Some(3)])
            ]
        );
        // No category column: one category, the numbers are the tasks'.
        let doc = table(vec![
            row(1, &["序号", "具体要求", "责任单位"]),
            row(2, &["1", "任务一", "县财政局"]),
            row(3, &["2", "任务二", "县财政局"]),
        ]);
        let p = parse(&doc, &[], "计划").unwrap();
        assert_eq!(p.categories.len(), 1);
        assert_eq!(p.categories[0].subcategories[0].tasks[1].number, Some(2));
    }

    #[test]
    fn empty_lead_cell_makes_the_other_units_responsible() {
        let doc = table(vec![
            row(1, &["序号", "工作任务", "具体要求", "牵头单位", "配合单位"]),
            row(2, &["1", "甲类", "任务一", "县财政局", "县审计局"]),
            row(3, &["", "", "任务二", "", "县审计局、各乡镇"]),
        ]);
        let p = parse(&doc, &[], "").unwrap();
        let t = &p.categories[0].subcategories[0].tasks;
        assert_eq!(t[0].lead.as_ref().unwrap().text, "县财政局");
        assert_eq!(
            (
                t[1].lead.is_none(),
                t[1].cooperating.is_none(),
                t[1].responsible.as_ref().unwrap().text.as_str()
            ),
            (true, true, "县审计局、各乡镇")
        );
        let msgs: Vec<String> = p.notes.iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            vec![
                "第 3 行第 5 列（配合单位）：牵头单位为空：这一格的单位记为责任单位（不分牵头、配合）"
            ]
        );
    }

    #[test]
    fn task_numbering_prefixes() {
        for (text, want) in [
            ("1.公开财政信息", (Some(1), "公开财政信息")),
            ("1．公开", (Some(1), "公开")),
            ("12、公开", (Some(12), "公开")),
            ("（一）公开", (Some(1), "公开")),
            ("(3) 公开", (Some(3), "公开")),
            ("一、公开", (Some(1), "公开")),
            ("4）公开", (Some(4), "公开")),
            ("2023年公开", (None, "2023年公开")),
            ("1.5万元以上项目", (None, "1.5万元以上项目")),
            ("12345热线", (None, "12345热线")),
            ("3 项制度", (None, "3 项制度")),
            ("2023.公开", (None, "2023.公开")),
            ("（2023）公开", (None, "（2023）公开")),
            ("十四五规划", (None, "十四五规划")),
            ("一是公开", (None, "一是公开")),
        ] {
            assert_eq!(strip_task_numbering(text), want, "{text}");
        }
        assert_eq!(small_integer("３"), Some(3));
        assert_eq!(small_integer("12、"), Some(12));
        assert_eq!(small_integer("2023"), None);
        assert_eq!(small_integer("一"), None);
    }

    #[test]
    fn numbering() {
        assert_eq!(parse_number("1"), Some(1));
        assert_eq!(parse_number("１２"), Some(12));
        assert_eq!(parse_number("十二"), Some(12));
        assert_eq!(parse_number("（三）"), Some(3));
        assert_eq!(parse_number("二十"), Some(20));
        assert_eq!(parse_number("甲"), None);
        assert_eq!(
            strip_numbering("一、加大主动公开力度"),
            (Some(1), "加大主动公开力度")
        );
        assert_eq!(strip_numbering("（二）做好解读"), (Some(2), "做好解读"));
        assert_eq!(strip_numbering("三大攻坚"), (None, "三大攻坚"));
        assert_eq!(strip_numbering("12345热线"), (None, "12345热线"));
        assert_eq!(clean_cell("\n5\r\n"), "5");
        assert_eq!(clean_cell("　第一段\n\n第二段 "), "第一段\n第二段");
    }
}
