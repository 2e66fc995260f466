//! Machine-readable outputs: sitemap, robots.txt, Atom feed, open data (JSON, CSV with BOM).
//! Only the sitemap, the feed and `Url` metadata use the absolute base URL.

use crate::compute::{Computed, Role};
use crate::deadline::DeadlineKind;
use crate::route::{DataFile, Routes, Scope, url};
use crate::site::{Plan, Site};
use crate::status::Outcome;
use schemars::JsonSchema;
use serde::Serialize;

use crate::xml::escape as xml_escape;

/// One CSV field: quoted when needed; a leading = + - @ is defused so spreadsheets never run
/// it as a formula.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// One CSV row, with its line end, appended to `out`.
fn csv_line(out: &mut String, row: &[String]) {
    for (i, f) in row.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_field(f));
    }
    out.push_str("\r\n");
}

#[cfg(test)]
fn csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    for r in rows {
        csv_line(&mut out, r);
    }
    out.into_bytes()
}

/// About how many bytes a piece of a CSV file holds (whole rows); small in the unit tests,
/// so that the repository's content makes several.
const PIECE: usize = if cfg!(test) { 2 << 10 } else { 64 << 10 };

/// One piece of a data file: the open-data files grow with the plan (a million tasks make
/// gigabytes), so they are made, written and scanned a piece at a time and never held whole.
///
/// The pieces of a file, concatenated in order, are its bytes. A piece that is not `frame` is
/// whole units of the file's format on its own: whole CSV rows, one whole JSON value, or only
/// the separators between values. The `frame` pieces, concatenated in order, are one whole
/// document of the format (a JSON file's object around its list of tasks, the list left
/// empty). So reading each non-frame piece alone and the frame once reads every text unit of
/// the file ([`crate::privacy::output`]: a unit never crosses a piece) — the scan of the bytes
/// that are published, without holding them.
pub struct Piece {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Part of the document around the pieces rather than whole units on its own.
    pub frame: bool,
}

impl Piece {
    fn whole(bytes: Vec<u8>) -> Self {
        Piece {
            bytes,
            frame: false,
        }
    }
}

/// The pieces of one data file, made as they are taken ([`Piece`]).
pub type Pieces<'a> = Box<dyn Iterator<Item = Piece> + 'a>;

/// The bytes of one data file, whole.
pub fn render(site: &Site, cx: &Computed<'_>, routes: &Routes, file: DataFile) -> Vec<u8> {
    pieces(site, cx, routes, file)
        .flat_map(|p| p.bytes)
        .collect()
}

/// One data file, in pieces ([`Piece`]): the open data a task or a few hundred rows at a
/// time, the small files (sitemaps, feed, robots.txt, schema) in one piece.
pub fn pieces<'a>(
    site: &'a Site,
    cx: &'a Computed<'_>,
    routes: &'a Routes,
    file: DataFile,
) -> Pieces<'a> {
    let one = |bytes: Vec<u8>| -> Pieces<'a> { Box::new(std::iter::once(Piece::whole(bytes))) };
    match file {
        DataFile::Sitemap => one(sitemap_index(site, cx, routes)),
        DataFile::SitemapPart(k) => one(sitemap(site, cx, routes, k)),
        DataFile::Robots => one(format!(
            "User-agent: *\nAllow: /\nSitemap: {}{}\n",
            site.config.base_url.value,
            url::SITEMAP
        )
        .into_bytes()),
        DataFile::Feed => one(feed(site, cx)),
        DataFile::TasksJson(scope) => tasks_json(site, cx, scope),
        DataFile::TasksCsv(scope) => csv_pieces(TASKS_HEADER, tasks_rows(site, cx, scope)),
        DataFile::ProgressCsv(scope) => csv_pieces(PROGRESS_HEADER, progress_rows(site, cx, scope)),
        DataFile::AssigneesCsv(scope) => {
            csv_pieces(ASSIGNEES_HEADER, assignees_rows(site, cx, scope))
        }
        DataFile::TasksSchema => one(tasks_schema()),
    }
}

/// A CSV file (byte-order mark, header, rows) in pieces of whole rows.
fn csv_pieces<'a>(columns: &str, rows: impl Iterator<Item = Vec<String>> + 'a) -> Pieces<'a> {
    let mut head = String::from("\u{feff}");
    csv_line(&mut head, &header(columns));
    let mut rows = rows.peekable();
    let body = std::iter::from_fn(move || {
        rows.peek()?;
        let mut s = String::new();
        while s.len() < PIECE {
            let Some(r) = rows.next() else { break };
            csv_line(&mut s, &r);
        }
        Some(Piece::whole(s.into_bytes()))
    });
    Box::new(std::iter::once(Piece::whole(head.into_bytes())).chain(body))
}

fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The sitemap index: every sitemap file ([`Routes::sitemap`]).
fn sitemap_index(site: &Site, cx: &Computed<'_>, routes: &Routes) -> Vec<u8> {
    let base = &site.config.base_url.value;
    let as_of = iso(cx.rules.as_of);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for k in 0..routes.sitemap.len() {
        out.push_str(&format!(
            "<sitemap><loc>{}</loc><lastmod>{as_of}</lastmod></sitemap>\n",
            xml_escape(&format!("{base}{}", url::sitemap_part(k + 1)))
        ));
    }
    out.push_str("</sitemapindex>\n");
    out.into_bytes()
}

/// Sitemap file `k`: its share of the pages of the route table (all but the 404 page, the
/// search page and the review queue), by path.
fn sitemap(site: &Site, cx: &Computed<'_>, routes: &Routes, k: usize) -> Vec<u8> {
    let base = &site.config.base_url.value;
    let as_of = iso(cx.rules.as_of);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for &i in routes.sitemap.get(k).map_or(&[][..], Vec::as_slice) {
        out.push_str(&format!(
            "<url><loc>{}</loc><lastmod>{as_of}</lastmod></url>\n",
            xml_escape(&format!("{base}{}", routes.list[i].path))
        ));
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

/// The plans an open-data file covers, with their indices.
fn plans(site: &Site, scope: Scope) -> impl Iterator<Item = (usize, &Plan)> {
    site.plans
        .iter()
        .enumerate()
        .filter(move |(pi, _)| scope == Scope::Site || scope == Scope::Plan(*pi))
}

/// A task's category and sub-category titles.
fn titles<'s>(
    plan: &'s crate::site::Plan,
    t: &crate::site::Task,
) -> (Option<&'s str>, Option<&'s str>) {
    let cat = plan.categories.iter().find(|c| c.number == t.category);
    let sub = cat.and_then(|c| c.subcategories.iter().find(|s| s.number == t.subcategory));
    (
        cat.map(|c| c.title.as_str()),
        sub.and_then(|s| s.title.as_ref().map(|t| t.as_str())),
    )
}

/// 任务表（开放数据 data/tasks.json）
///
/// 全部任务、原表的责任单位栏、各单位的职责和完成情况。字段只增不减，旧字段保持原义。
#[derive(Serialize, JsonSchema)]
pub struct TasksDoc {
    /// 数据截至日期（年-月-日）
    pub as_of: String,
    /// 站点标题
    pub site: String,
    /// 任务
    pub tasks: Vec<TaskData>,
}

/// 任务
#[derive(Serialize, JsonSchema)]
pub struct TaskData {
    /// 计划编号（文件夹名）
    pub plan: String,
    /// 任务编号
    pub id: String,
    /// 工作任务序号
    pub category: u32,
    /// 工作任务
    pub category_title: Option<String>,
    /// 重点工作任务（原表没有这一级时为 null）
    pub subcategory_title: Option<String>,
    /// 任务内容（原文）
    pub text: String,
    /// 责任单位（原文）；原表没有这一栏时为空字符串
    pub responsible_text: String,
    /// 牵头单位（原文）；原表没有这一栏时为 null
    pub lead_text: Option<String>,
    /// 配合单位（原文）；原表没有这一栏时为 null
    pub cooperating_text: Option<String>,
    /// 点名的单位和单位组（编号、名称）
    pub units: Vec<UnitRef>,
    /// 各单位和单位组的职责与完成情况，按原表点名顺序
    pub assignees: Vec<AssigneeData>,
    /// 原文写有“等”
    pub and_others: bool,
    /// 完成时限（原文）
    pub deadline_text: String,
    /// 时限类别
    pub deadline_kind: String,
    /// 截止日期（年-月-日；不是具体日期时为 null）
    pub deadline_date: Option<String>,
    /// 完成情况代码：done、done-late、in-progress、not-started、not-reported、overdue、ongoing、ongoing-not-reported
    pub status: &'static str,
    /// 完成情况
    pub status_label: &'static str,
    /// 最近进展日期（年-月-日；没有报送时为 null）
    pub last_update: Option<String>,
}

/// 单位或单位组
#[derive(Serialize, JsonSchema)]
pub struct UnitRef {
    /// 编号
    pub id: String,
    /// 名称
    pub name: String,
}

/// 一个单位（或单位组）在一项任务中的职责和完成情况
#[derive(Serialize, JsonSchema)]
pub struct AssigneeData {
    /// 编号
    pub id: String,
    /// 名称
    pub name: String,
    /// 职责代码：lead（牵头）、responsible（责任）、cooperating（配合）。点名了牵头单位的任务，其余单位都是配合。
    pub role: &'static str,
    /// 职责：牵头、责任、配合
    pub role_label: &'static str,
    /// 是否单位组
    pub is_group: bool,
    /// 完成情况代码（同任务的 status）
    pub status: &'static str,
    /// 完成情况
    pub status_label: &'static str,
    /// 最近进展日期（年-月-日；没有报送时为 null）
    pub last_update: Option<String>,
    /// 最近进展由哪个单位组统一报送（名称；本单位自己报送或没有报送时为 null）
    pub reported_by_group: Option<String>,
    /// 单位组的已知成员及各自的完成情况（单位时为空）
    pub members: Vec<AssigneeData>,
}

fn role_key(r: Role) -> &'static str {
    match r {
        Role::Lead => "lead",
        Role::Responsible => "responsible",
        Role::Cooperating => "cooperating",
    }
}

fn assignee_data(
    plan: &Plan,
    cx: &Computed<'_>,
    id: &str,
    role: Role,
    o: &Outcome,
    members: &[(&str, Outcome)],
) -> AssigneeData {
    AssigneeData {
        id: id.to_string(),
        name: cx.dir.name(id).to_string(),
        role: role_key(role),
        role_label: role.label(),
        is_group: cx.dir.is_group(id),
        status: o.status.key(),
        status_label: o.status.label(),
        last_update: o.last_update.map(iso),
        reported_by_group: reported_by_group(plan, cx, id, o),
        members: members
            .iter()
            .map(|(m, mo)| assignee_data(plan, cx, m, role, mo, &[]))
            .collect(),
    }
}

/// The group that filed the latest report counted for `id`, when not `id` itself.
fn reported_by_group(plan: &Plan, cx: &Computed<'_>, id: &str, o: &Outcome) -> Option<String> {
    let by = &plan.records[o.latest?].entry.unit.value;
    (by != id && cx.dir.is_group(by)).then(|| cx.dir.name(by).to_string())
}

fn task_data(plan: &Plan, cx: &Computed<'_>, ts: &crate::compute::TaskStatus<'_>) -> TaskData {
    let t = ts.task;
    let e = &t.entry;
    let (cat, sub) = titles(plan, t);
    TaskData {
        plan: plan.id.clone(),
        id: t.id().to_string(),
        category: t.category,
        category_title: cat.map(str::to_string),
        subcategory_title: sub.map(str::to_string),
        text: e.text.value.clone(),
        responsible_text: e
            .responsible_text
            .as_ref()
            .map_or(String::new(), |x| x.value.clone()),
        lead_text: e.lead_text.as_ref().map(|x| x.value.clone()),
        cooperating_text: e.cooperating_text.as_ref().map(|x| x.value.clone()),
        units: t
            .assignees()
            .into_iter()
            .map(|u| UnitRef {
                id: u.to_string(),
                name: cx.dir.name(u).to_string(),
            })
            .collect(),
        assignees: ts
            .assignees
            .iter()
            .map(|a| assignee_data(plan, cx, a.id, a.role, &a.outcome, &a.members))
            .collect(),
        and_others: e.and_others,
        deadline_text: e
            .deadline
            .as_ref()
            .map_or(String::new(), |x| x.value.clone()),
        deadline_kind: t.deadline.label().to_string(),
        deadline_date: match t.deadline {
            DeadlineKind::Date(d) => Some(iso(d)),
            _ => None,
        },
        status: ts.outcome.status.key(),
        status_label: ts.outcome.status.label(),
        last_update: ts.outcome.last_update.map(iso),
    }
}

/// Columns of `data/tasks.csv` (new columns are added at the end).
const TASKS_HEADER: &str = "计划,任务编号,工作任务,重点工作任务,任务内容,责任单位（原文）,责任单位编号,完成时限（原文）,时限类别,截止日期,完成情况,最近进展日期,牵头单位（原文）,配合单位（原文）,各单位职责和完成情况";

/// Columns of `data/progress.csv`.
const PROGRESS_HEADER: &str = "计划,记录编号,任务编号,单位编号,单位名称,日期,进展状态,进展摘要";

/// Columns of `data/assignees.csv`: one row per assignee of a task, then one per known member
/// of a group assignee.
const ASSIGNEES_HEADER: &str = "计划,任务编号,单位编号,单位名称,职责,所属单位组,完成情况代码,完成情况,最近进展日期,统一报送单位组";

fn header(columns: &str) -> Vec<String> {
    columns.split(',').map(String::from).collect()
}

/// Every task of the plans `scope` covers, with its plan, in plan and task order.
fn tasks_of<'a>(
    site: &'a Site,
    cx: &'a Computed<'_>,
    scope: Scope,
) -> impl Iterator<Item = (&'a Plan, &'a crate::compute::TaskStatus<'a>)> + 'a {
    plans(site, scope).flat_map(move |(pi, plan)| cx.tasks[pi].iter().map(move |ts| (plan, ts)))
}

fn tasks_rows<'a>(
    site: &'a Site,
    cx: &'a Computed<'_>,
    scope: Scope,
) -> impl Iterator<Item = Vec<String>> + 'a {
    tasks_of(site, cx, scope).map(move |(plan, ts)| {
        let d = task_data(plan, cx, ts);
        let who = d
            .assignees
            .iter()
            .map(|a| format!("{}（{}）：{}", a.name, a.role_label, a.status_label))
            .collect::<Vec<_>>()
            .join("；");
        vec![
            d.plan,
            d.id,
            d.category_title.unwrap_or_default(),
            d.subcategory_title.unwrap_or_default(),
            d.text,
            d.responsible_text,
            d.units
                .iter()
                .map(|u| u.id.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            d.deadline_text,
            d.deadline_kind,
            d.deadline_date.unwrap_or_default(),
            d.status_label.to_string(),
            d.last_update.unwrap_or_default(),
            d.lead_text.unwrap_or_default(),
            d.cooperating_text.unwrap_or_default(),
            who,
        ]
    })
}

fn assignees_rows<'a>(
    site: &'a Site,
    cx: &'a Computed<'_>,
    scope: Scope,
) -> impl Iterator<Item = Vec<String>> + 'a {
    tasks_of(site, cx, scope).flat_map(move |(plan, ts)| {
        let d = task_data(plan, cx, ts);
        let mut rows = Vec::new();
        for a in &d.assignees {
            let row = |x: &AssigneeData, group: &str| {
                vec![
                    d.plan.clone(),
                    d.id.clone(),
                    x.id.clone(),
                    x.name.clone(),
                    x.role_label.to_string(),
                    group.to_string(),
                    x.status.to_string(),
                    x.status_label.to_string(),
                    x.last_update.clone().unwrap_or_default(),
                    x.reported_by_group.clone().unwrap_or_default(),
                ]
            };
            rows.push(row(a, ""));
            for m in &a.members {
                rows.push(row(m, &a.name));
            }
        }
        rows
    })
}

/// `data/tasks.json`, pretty-printed as `serde_json` prints the whole [`TasksDoc`], in pieces:
/// the document around the list (frame), then each task (one JSON object), with the commas
/// between them as pieces of their own.
fn tasks_json<'a>(site: &'a Site, cx: &'a Computed<'_>, scope: Scope) -> Pieces<'a> {
    let doc = TasksDoc {
        as_of: iso(cx.rules.as_of),
        site: site.config.title.value.clone(),
        tasks: Vec::new(),
    };
    let empty = serde_json::to_string_pretty(&doc).unwrap_or_default();
    let mut tasks = tasks_of(site, cx, scope).peekable();
    // `tasks` is the last field: the empty document ends with the empty list.
    let Some(head) = empty
        .strip_suffix("[]\n}")
        .filter(|_| tasks.peek().is_some())
    else {
        return Box::new(std::iter::once(Piece::whole(empty.into_bytes())));
    };
    let head = Piece {
        bytes: format!("{head}[\n").into_bytes(),
        frame: true,
    };
    let mut first = true;
    let items = tasks.flat_map(move |(plan, ts)| {
        // A task at the list's depth: serde_json's lines, each indented two levels.
        let json = serde_json::to_string_pretty(&task_data(plan, cx, ts)).unwrap_or_default();
        let mut item = String::with_capacity(json.len() + json.len() / 8);
        for (i, line) in json.split('\n').enumerate() {
            if i > 0 {
                item.push('\n');
            }
            item.push_str("    ");
            item.push_str(line);
        }
        let comma = (!std::mem::take(&mut first)).then(|| Piece::whole(b",\n".to_vec()));
        comma.into_iter().chain([Piece::whole(item.into_bytes())])
    });
    let tail = Piece {
        bytes: b"\n  ]\n}".to_vec(),
        frame: true,
    };
    Box::new(std::iter::once(head).chain(items).chain([tail]))
}

/// The JSON Schema of `data/tasks.json`, with the address it is published at.
pub fn tasks_schema() -> Vec<u8> {
    let mut schema = schemars::schema_for!(TasksDoc);
    schema.insert("$id".into(), url::TASKS_SCHEMA.into());
    serde_json::to_vec_pretty(&schema).unwrap_or_default()
}

/// Every published record counted as of the date, in task order, then newest first (the one
/// order of records, [`crate::compute::sort_records`]).
fn records<'s>(
    site: &'s Site,
    cx: &'s Computed<'_>,
    scope: Scope,
) -> impl Iterator<
    Item = (
        &'s crate::site::Plan,
        &'s crate::model::ProgressEntry,
        (usize, usize),
    ),
> {
    plans(site, scope).flat_map(move |(pi, plan)| {
        cx.tasks[pi].iter().flat_map(move |ts| {
            ts.records
                .iter()
                .map(move |ri| (plan, &plan.records[*ri].entry, (pi, *ri)))
        })
    })
}

fn progress_rows<'a>(
    site: &'a Site,
    cx: &'a Computed<'_>,
    scope: Scope,
) -> impl Iterator<Item = Vec<String>> + 'a {
    records(site, cx, scope).map(move |(plan, r, _)| {
        vec![
            plan.id.clone(),
            r.id.value.clone(),
            r.task.value.clone(),
            r.unit.value.clone(),
            cx.dir.name(&r.unit.value).to_string(),
            r.date.value.to_string(),
            r.status.value.label().to_string(),
            r.summary.value.clone(),
        ]
    })
}

/// Atom feed of the latest progress updates (`feed_entries`, newest first); the full history
/// is the open data's `data/progress.csv`, which the feed links to.
fn feed(site: &Site, cx: &Computed<'_>) -> Vec<u8> {
    let base = &site.config.base_url.value;
    // Newest first; same date: the earlier plan (newest year), then later in file first.
    let mut latest: Vec<_> = records(site, cx, Scope::Site)
        .map(|(plan, r, (pi, ri))| ((r.date.value.0, std::cmp::Reverse(pi), ri), plan, r))
        .collect();
    // The newest `feed_entries` (keys are unique), then in order.
    let keep = site.config.feed_entries();
    if keep < latest.len() {
        latest.select_nth_unstable_by_key(keep, |e| std::cmp::Reverse(e.0));
        latest.truncate(keep);
    }
    latest.sort_unstable_by_key(|e| std::cmp::Reverse(e.0));
    let updated = latest
        .first()
        .map_or_else(|| iso(cx.rules.as_of), |e| iso(e.0.0));
    let self_url = format!("{base}{}", url::FEED);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n<id>{}</id><title>{}：落实进展</title><updated>{updated}T00:00:00+08:00</updated><link rel=\"self\" href=\"{}\"/><link href=\"{}\"/><link rel=\"related\" type=\"text/csv\" href=\"{}\" title=\"全部进展记录（CSV）\"/>\n",
        xml_escape(&self_url),
        xml_escape(&site.config.title),
        xml_escape(&self_url),
        xml_escape(base),
        xml_escape(&format!("{base}{}", url::PROGRESS_CSV)),
    );
    for (_, plan, r) in latest {
        let url = format!("{base}{}", url::task(&plan.id, &r.task.value));
        out.push_str(&format!(
            "<entry><id>{}</id><title>{}</title><updated>{}T00:00:00+08:00</updated><link href=\"{}\"/><author><name>{}</name></author><summary>{}</summary></entry>\n",
            xml_escape(&format!("{url}#{}", r.id.value)),
            xml_escape(&format!(
                "{}：任务 {} {}",
                cx.dir.name(&r.unit.value),
                r.task.value,
                r.status.value.label()
            )),
            r.date.value,
            xml_escape(&url),
            xml_escape(cx.dir.name(&r.unit.value)),
            xml_escape(&r.summary),
        ));
    }
    out.push_str("</feed>\n");
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("说\"明\""), "\"说\"\"明\"\"\"");
        assert!(csv(&[vec!["中文".into()]]).starts_with("\u{feff}".as_bytes()));
    }

    /// The open data of the repository's own content in pieces: concatenated, the bytes the
    /// whole document prints (serde_json's pretty print of the whole `TasksDoc`, the CSV
    /// rows at once); every CSV piece is whole rows; the JSON items are JSON values and the
    /// frame is a JSON document.
    #[test]
    fn pieces_make_the_whole_file_and_each_reads_alone() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let checked = crate::check_site(root, None).unwrap();
        let site = checked.site.expect("the repository's content loads");
        let rules = crate::status::Rules {
            as_of: checked.as_of,
            stale_after_days: site.config.stale_after_days,
        };
        let cx = Computed::new(&site, rules, &|_, _| true);
        let routes = Routes::new(&site, &cx, &std::collections::BTreeMap::new(), false);
        for scope in [Scope::Site, Scope::Plan(0)] {
            // JSON: the whole document as serde_json prints it.
            let mut tasks = Vec::new();
            for (pi, plan) in plans(&site, scope) {
                for ts in &cx.tasks[pi] {
                    tasks.push(task_data(plan, &cx, ts));
                }
            }
            assert!(tasks.len() >= 50, "{}", tasks.len());
            let whole = serde_json::to_vec_pretty(&TasksDoc {
                as_of: iso(cx.rules.as_of),
                site: site.config.title.value.clone(),
                tasks,
            })
            .unwrap();
            let made: Vec<Piece> =
                pieces(&site, &cx, &routes, DataFile::TasksJson(scope)).collect();
            let joined: Vec<u8> = made.iter().flat_map(|p| p.bytes.clone()).collect();
            assert_eq!(
                String::from_utf8(joined).unwrap(),
                String::from_utf8(whole).unwrap()
            );
            let frame: Vec<u8> = made
                .iter()
                .filter(|p| p.frame)
                .flat_map(|p| p.bytes.clone())
                .collect();
            serde_json::from_slice::<serde_json::Value>(&frame).expect("the frame is JSON");
            for p in made.iter().filter(|p| !p.frame) {
                if p.bytes != b",\n" {
                    let v: serde_json::Value = serde_json::from_slice(&p.bytes).unwrap();
                    assert!(v.is_object());
                }
            }
            // CSV: whole rows, more than one piece for the larger files.
            for (file, columns) in [
                (DataFile::TasksCsv(scope), TASKS_HEADER),
                (DataFile::ProgressCsv(scope), PROGRESS_HEADER),
                (DataFile::AssigneesCsv(scope), ASSIGNEES_HEADER),
            ] {
                let made: Vec<Piece> = pieces(&site, &cx, &routes, file).collect();
                let joined: Vec<u8> = made.iter().flat_map(|p| p.bytes.clone()).collect();
                let mut rows = 0;
                for p in &made {
                    assert!(!p.frame);
                    let text = std::str::from_utf8(&p.bytes).unwrap();
                    assert!(text.ends_with("\r\n"));
                    let mut r = csv::ReaderBuilder::new()
                        .has_headers(false)
                        .flexible(false)
                        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
                    for rec in r.records() {
                        assert_eq!(rec.unwrap().len(), columns.split(',').count());
                        rows += 1;
                    }
                }
                // The header, then rows: tasks.csv of 50 tasks fills several pieces.
                assert!(made.len() >= 2, "{} pieces", made.len());
                if matches!(file, DataFile::TasksCsv(_)) {
                    assert!(made.len() > 3, "{} pieces", made.len());
                }
                let text = String::from_utf8(joined).unwrap();
                assert!(text.starts_with(&format!("\u{feff}{columns}\r\n")));
                let mut r = csv::ReaderBuilder::new()
                    .has_headers(false)
                    .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
                assert_eq!(r.records().count(), rows);
            }
        }
    }

    /// The scan of the pieces (each non-frame piece alone, the frame once) finds what the
    /// scan of the whole file finds, on content with personal data in task texts, record
    /// summaries and the site title (the frame).
    #[test]
    fn the_pieces_scan_as_the_whole_file() {
        use crate::privacy::output::scan_output;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let checked = crate::check_site(root, None).unwrap();
        let mut site = checked.site.expect("the repository's content loads");
        site.config
            .title
            .value
            .push_str("（联系人张三，电话13912345678）");
        let plan = &mut site.plans[0];
        let mut n = 0;
        for c in &mut plan.categories {
            for sub in &mut c.subcategories {
                for t in &mut sub.tasks {
                    n += 1;
                    t.entry.text.value.push_str(&match n % 3 {
                        0 => format!("，联系电话1381234{n:04}"),
                        1 => format!("，邮箱 li{n}@example.com"),
                        _ => format!("，身份证号11010519491231{n:03}X"),
                    });
                }
            }
        }
        for (i, r) in plan.records.iter_mut().enumerate() {
            r.entry
                .summary
                .value
                .push_str(&format!("，经办人王{i}，手机1861234{i:04}"));
        }
        let rules = crate::status::Rules {
            as_of: checked.as_of,
            stale_after_days: site.config.stale_after_days,
        };
        let cx = Computed::new(&site, rules, &|_, _| true);
        let routes = Routes::new(&site, &cx, &std::collections::BTreeMap::new(), false);
        let detector = crate::check::detector(&site);
        for file in [
            DataFile::TasksJson(Scope::Site),
            DataFile::TasksCsv(Scope::Site),
            DataFile::ProgressCsv(Scope::Site),
            DataFile::AssigneesCsv(Scope::Site),
        ] {
            let path = match file {
                DataFile::TasksJson(_) => "data/tasks.json",
                DataFile::TasksCsv(_) => "data/tasks.csv",
                DataFile::ProgressCsv(_) => "data/progress.csv",
                _ => "data/assignees.csv",
            };
            let whole = render(&site, &cx, &routes, file);
            let mut expected = Vec::new();
            scan_output(&detector, path, &whole, &mut expected);
            let mut got = Vec::new();
            let mut frame = Vec::new();
            for p in pieces(&site, &cx, &routes, file) {
                if p.frame {
                    frame.extend_from_slice(&p.bytes);
                } else {
                    scan_output(&detector, path, &p.bytes, &mut got);
                }
            }
            if !frame.is_empty() {
                scan_output(&detector, path, &frame, &mut got);
            }
            got.sort();
            got.dedup();
            // assignees.csv holds no text the edits above reach (ids, names, statuses).
            if !path.ends_with("assignees.csv") {
                assert!(expected.len() >= 5, "{path}: {} findings", expected.len());
            }
            assert_eq!(got, expected, "{path}");
        }
    }
}
