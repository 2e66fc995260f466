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

fn csv(rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    for r in rows {
        let line: Vec<String> = r.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

/// The bytes of one data file.
pub fn render(site: &Site, cx: &Computed<'_>, routes: &Routes, file: DataFile) -> Vec<u8> {
    match file {
        DataFile::Sitemap => sitemap_index(site, cx, routes),
        DataFile::SitemapPart(k) => sitemap(site, cx, routes, k),
        DataFile::Robots => format!(
            "User-agent: *\nAllow: /\nSitemap: {}{}\n",
            site.config.base_url.value,
            url::SITEMAP
        )
        .into_bytes(),
        DataFile::Feed => feed(site, cx),
        DataFile::TasksJson(scope) => tasks_json(site, cx, scope),
        DataFile::TasksCsv(scope) => tasks_csv(site, cx, scope),
        DataFile::ProgressCsv(scope) => progress_csv(site, cx, scope),
        DataFile::AssigneesCsv(scope) => assignees_csv(site, cx, scope),
        DataFile::TasksSchema => tasks_schema(),
    }
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

fn tasks_csv(site: &Site, cx: &Computed<'_>, scope: Scope) -> Vec<u8> {
    let mut rows = vec![header(TASKS_HEADER)];
    for (pi, plan) in plans(site, scope) {
        for ts in &cx.tasks[pi] {
            let d = task_data(plan, cx, ts);
            let who = d
                .assignees
                .iter()
                .map(|a| format!("{}（{}）：{}", a.name, a.role_label, a.status_label))
                .collect::<Vec<_>>()
                .join("；");
            rows.push(vec![
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
            ]);
        }
    }
    csv(&rows)
}

fn assignees_csv(site: &Site, cx: &Computed<'_>, scope: Scope) -> Vec<u8> {
    let mut rows = vec![header(ASSIGNEES_HEADER)];
    for (pi, plan) in plans(site, scope) {
        for ts in &cx.tasks[pi] {
            let d = task_data(plan, cx, ts);
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
        }
    }
    csv(&rows)
}

fn tasks_json(site: &Site, cx: &Computed<'_>, scope: Scope) -> Vec<u8> {
    let mut tasks = Vec::new();
    for (pi, plan) in plans(site, scope) {
        for ts in &cx.tasks[pi] {
            tasks.push(task_data(plan, cx, ts));
        }
    }
    let doc = TasksDoc {
        as_of: iso(cx.rules.as_of),
        site: site.config.title.value.clone(),
        tasks,
    };
    serde_json::to_vec_pretty(&doc).unwrap_or_default()
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

fn progress_csv(site: &Site, cx: &Computed<'_>, scope: Scope) -> Vec<u8> {
    let mut rows = vec![header(PROGRESS_HEADER)];
    for (plan, r, _) in records(site, cx, scope) {
        rows.push(vec![
            plan.id.clone(),
            r.id.value.clone(),
            r.task.value.clone(),
            r.unit.value.clone(),
            cx.dir.name(&r.unit.value).to_string(),
            r.date.value.to_string(),
            r.status.value.label().to_string(),
            r.summary.value.clone(),
        ]);
    }
    csv(&rows)
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
}
