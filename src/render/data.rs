//! Machine-readable outputs: sitemap, robots.txt, Atom feed, open data (JSON, CSV with BOM).
//! Only the sitemap, the feed and `Url` metadata use the absolute base URL.

use crate::compute::Computed;
use crate::deadline::DeadlineKind;
use crate::route::{DataFile, Routes, url};
use crate::site::Site;
use serde_json::json;

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

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
        DataFile::Sitemap => sitemap(site, cx, routes),
        DataFile::Robots => format!(
            "User-agent: *\nAllow: /\nSitemap: {}{}\n",
            site.config.base_url.value,
            url::SITEMAP
        )
        .into_bytes(),
        DataFile::Feed => feed(site, cx),
        DataFile::TasksJson => tasks_json(site, cx),
        DataFile::TasksCsv => tasks_csv(site, cx),
        DataFile::ProgressCsv => progress_csv(site, cx),
    }
}

fn iso(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Every page of the route table but the 404 page and the review queue.
fn sitemap(site: &Site, cx: &Computed<'_>, routes: &Routes) -> Vec<u8> {
    let base = &site.config.base_url.value;
    let as_of = iso(cx.rules.as_of);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut paths: Vec<&str> = routes
        .list
        .iter()
        .filter(|r| r.in_sitemap())
        .map(|r| r.path.as_str())
        .collect();
    paths.sort_unstable();
    for p in paths {
        out.push_str(&format!(
            "<url><loc>{}</loc><lastmod>{as_of}</lastmod></url>\n",
            xml_escape(&format!("{base}{p}"))
        ));
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

/// A task's category and sub-category titles.
fn titles<'s>(
    plan: &'s crate::site::Plan,
    t: &crate::site::Task,
) -> (Option<&'s str>, Option<&'s str>) {
    let cat = plan.categories.iter().find(|c| c.number == t.category);
    let sub = cat.and_then(|c| c.subcategories.iter().find(|s| s.number == t.subcategory));
    (cat.map(|c| c.title.as_str()), sub.map(|s| s.title.as_str()))
}

/// A task's fields as the open data give them.
struct TaskData<'s> {
    units: Vec<&'s str>,
    responsible_text: &'s str,
    deadline_text: &'s str,
    deadline_date: String,
    last_update: String,
}

fn task_data<'s>(ts: &crate::compute::TaskStatus<'s>) -> TaskData<'s> {
    let t = ts.task;
    TaskData {
        units: t.assignees(),
        responsible_text: t
            .entry
            .responsible_text
            .as_ref()
            .map_or("", |x| x.value.as_str()),
        deadline_text: t.entry.deadline.as_ref().map_or("", |x| x.value.as_str()),
        deadline_date: match t.deadline {
            DeadlineKind::Date(d) => iso(d),
            _ => String::new(),
        },
        last_update: ts.outcome.last_update.map(iso).unwrap_or_default(),
    }
}

/// Columns of `data/tasks.csv`.
const TASKS_HEADER: &str = "计划,任务编号,工作任务,重点工作任务,任务内容,责任单位（原文）,责任单位编号,完成时限（原文）,时限类别,截止日期,完成情况,最近进展日期";

/// Columns of `data/progress.csv`.
const PROGRESS_HEADER: &str = "计划,记录编号,任务编号,单位编号,单位名称,日期,进展状态,进展摘要";

fn header(columns: &str) -> Vec<String> {
    columns.split(',').map(String::from).collect()
}

fn tasks_csv(site: &Site, cx: &Computed<'_>) -> Vec<u8> {
    let mut rows = vec![header(TASKS_HEADER)];
    for (pi, plan) in site.plans.iter().enumerate() {
        for ts in &cx.tasks[pi] {
            let t = ts.task;
            let (cat, sub) = titles(plan, t);
            let d = task_data(ts);
            rows.push(vec![
                plan.id.clone(),
                t.id().to_string(),
                cat.unwrap_or_default().to_string(),
                sub.unwrap_or_default().to_string(),
                t.entry.text.value.clone(),
                d.responsible_text.to_string(),
                d.units.join(" "),
                d.deadline_text.to_string(),
                t.deadline.label().to_string(),
                d.deadline_date,
                ts.outcome.status.label().to_string(),
                d.last_update,
            ]);
        }
    }
    csv(&rows)
}

fn tasks_json(site: &Site, cx: &Computed<'_>) -> Vec<u8> {
    let mut tasks = Vec::new();
    for (pi, plan) in site.plans.iter().enumerate() {
        for ts in &cx.tasks[pi] {
            let t = ts.task;
            let (cat, sub) = titles(plan, t);
            let d = task_data(ts);
            tasks.push(json!({
                "plan": plan.id, "id": t.id(), "category": t.category, "category_title": cat,
                "subcategory_title": sub, "text": t.entry.text, "responsible_text": d.responsible_text,
                "units": d.units.iter().map(|u| json!({"id": u, "name": cx.dir.name(u)})).collect::<Vec<_>>(),
                "and_others": t.entry.and_others, "deadline_text": d.deadline_text, "deadline_kind": t.deadline.label(),
                "deadline_date": if d.deadline_date.is_empty() { None } else { Some(&d.deadline_date) },
                "status": ts.outcome.status.key(), "status_label": ts.outcome.status.label(),
                "last_update": if d.last_update.is_empty() { None } else { Some(&d.last_update) },
            }));
        }
    }
    let doc = json!({"as_of": iso(cx.rules.as_of), "site": site.config.title, "tasks": tasks});
    serde_json::to_vec_pretty(&doc).unwrap_or_default()
}

/// Every published record counted as of the date, in task order, then as listed.
fn records<'s>(
    site: &'s Site,
    cx: &'s Computed<'_>,
) -> impl Iterator<Item = (&'s crate::site::Plan, &'s crate::model::ProgressEntry)> {
    site.plans.iter().enumerate().flat_map(move |(pi, plan)| {
        cx.tasks[pi].iter().flat_map(move |ts| {
            ts.records
                .iter()
                .map(move |ri| (plan, &plan.records[*ri].entry))
        })
    })
}

fn progress_csv(site: &Site, cx: &Computed<'_>) -> Vec<u8> {
    let mut rows = vec![header(PROGRESS_HEADER)];
    for (plan, r) in records(site, cx) {
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

/// Atom feed of progress updates, newest first.
fn feed(site: &Site, cx: &Computed<'_>) -> Vec<u8> {
    let base = &site.config.base_url.value;
    let mut entries: Vec<(String, String)> = records(site, cx)
        .map(|(plan, r)| {
            let url = format!("{base}{}", url::task(&plan.id, &r.task.value));
            let entry = format!(
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
            );
            (format!("{}{}", r.date.value, r.id.value), entry)
        })
        .collect();
    entries.sort_by(|a, b| b.0.cmp(&a.0));
    let updated = entries
        .first()
        .map_or_else(|| iso(cx.rules.as_of), |e| e.0.chars().take(10).collect());
    let self_url = format!("{base}{}", url::FEED);
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n<id>{}</id><title>{}：落实进展</title><updated>{updated}T00:00:00+08:00</updated><link rel=\"self\" href=\"{}\"/><link href=\"{}\"/>\n",
        xml_escape(&self_url),
        xml_escape(&site.config.title),
        xml_escape(&self_url),
        xml_escape(base),
    );
    for (_, e) in entries {
        out.push_str(&e);
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
