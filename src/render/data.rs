//! Machine-readable outputs: sitemap, robots.txt, Atom feed, open data (JSON, CSV with BOM).
//! Only the sitemap, the feed and `Url` metadata use the absolute base URL.

use super::OutFile;
use crate::compute::Computed;
use crate::deadline::DeadlineKind;
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

/// sitemap.xml, robots.txt, feed.xml and data/*.
pub fn machine_files(site: &Site, cx: &Computed<'_>, html_paths: &[&str]) -> Vec<OutFile> {
    let base = &site.config.base_url.value;
    let as_of = cx.rules.as_of.format("%Y-%m-%d").to_string();
    let mut sitemap = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut paths: Vec<&str> = html_paths.to_vec();
    paths.sort();
    for p in paths {
        sitemap.push_str(&format!(
            "<url><loc>{}</loc><lastmod>{as_of}</lastmod></url>\n",
            xml_escape(&format!("{base}{p}"))
        ));
    }
    sitemap.push_str("</urlset>\n");
    let robots = format!("User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\n");

    // Atom feed of progress updates, newest first.
    let mut entries: Vec<(String, String)> = Vec::new();
    let mut task_rows = vec![
        vec![
            "计划",
            "任务编号",
            "工作任务",
            "重点工作任务",
            "任务内容",
            "责任单位（原文）",
            "责任单位编号",
            "完成时限（原文）",
            "时限类别",
            "截止日期",
            "完成情况",
            "最近进展日期",
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>(),
    ];
    let mut progress_rows = vec![
        vec![
            "计划",
            "记录编号",
            "任务编号",
            "单位编号",
            "单位名称",
            "日期",
            "进展状态",
            "进展摘要",
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>(),
    ];
    let mut json_tasks = Vec::new();
    for (pi, plan) in site.plans.iter().enumerate() {
        for ts in &cx.tasks[pi] {
            let t = ts.task;
            let cat = plan.categories.iter().find(|c| c.number == t.category);
            let sub = cat.and_then(|c| c.subcategories.iter().find(|s| s.number == t.subcategory));
            let date = match t.deadline {
                DeadlineKind::Date(d) => d.format("%Y-%m-%d").to_string(),
                _ => String::new(),
            };
            let units: Vec<&str> = t.assignees();
            let resp_text = t
                .entry
                .responsible_text
                .as_ref()
                .map_or("", |x| x.value.as_str());
            let deadline_text = t.entry.deadline.as_ref().map_or("", |x| x.value.as_str());
            let last = ts
                .outcome
                .last_update
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default();
            task_rows.push(vec![
                plan.id.clone(),
                t.id().to_string(),
                cat.map_or(String::new(), |c| c.title.clone()),
                sub.map_or(String::new(), |s| s.title.clone()),
                t.entry.text.clone(),
                resp_text.to_string(),
                units.join(" "),
                deadline_text.to_string(),
                t.deadline.label().to_string(),
                date.clone(),
                ts.outcome.status.label().to_string(),
                last.clone(),
            ]);
            json_tasks.push(json!({
                "plan": plan.id, "id": t.id(), "category": t.category, "category_title": cat.map(|c| &c.title),
                "subcategory_title": sub.map(|s| &s.title), "text": t.entry.text, "responsible_text": resp_text,
                "units": units.iter().map(|u| json!({"id": u, "name": cx.dir.name(u)})).collect::<Vec<_>>(),
                "and_others": t.entry.and_others, "deadline_text": deadline_text, "deadline_kind": t.deadline.label(),
                "deadline_date": if date.is_empty() { None } else { Some(&date) },
                "status": ts.outcome.status.key(), "status_label": ts.outcome.status.label(),
                "last_update": if last.is_empty() { None } else { Some(&last) },
            }));
            for ri in &ts.records {
                let r = &plan.records[*ri].entry;
                progress_rows.push(vec![
                    plan.id.clone(),
                    r.id.value.clone(),
                    r.task.value.clone(),
                    r.unit.value.clone(),
                    cx.dir.name(&r.unit.value).to_string(),
                    r.date.value.to_string(),
                    r.status.value.label().to_string(),
                    r.summary.clone(),
                ]);
                let url = format!("{base}{}/tasks/{}.html", plan.id, r.task.value);
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
                entries.push((format!("{}{}", r.date.value, r.id.value), entry));
            }
        }
    }
    entries.sort_by(|a, b| b.0.cmp(&a.0));
    let updated = entries
        .first()
        .map_or(as_of.clone(), |e| e.0.chars().take(10).collect());
    let mut feed = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n<id>{}</id><title>{}：落实进展</title><updated>{updated}T00:00:00+08:00</updated><link rel=\"self\" href=\"{}\"/><link href=\"{}\"/>\n",
        xml_escape(&format!("{base}feed.xml")),
        xml_escape(&site.config.title),
        xml_escape(&format!("{base}feed.xml")),
        xml_escape(base),
    );
    for (_, e) in entries {
        feed.push_str(&e);
    }
    feed.push_str("</feed>\n");

    let json_doc = json!({"as_of": as_of, "site": site.config.title, "tasks": json_tasks});
    vec![
        OutFile {
            path: "sitemap.xml".into(),
            bytes: sitemap.into_bytes(),
        },
        OutFile {
            path: "robots.txt".into(),
            bytes: robots.into_bytes(),
        },
        OutFile {
            path: "feed.xml".into(),
            bytes: feed.into_bytes(),
        },
        OutFile {
            path: "data/tasks.json".into(),
            bytes: serde_json::to_vec_pretty(&json_doc).unwrap_or_default(),
        },
        OutFile {
            path: "data/tasks.csv".into(),
            bytes: csv(&task_rows),
        },
        OutFile {
            path: "data/progress.csv".into(),
            bytes: csv(&progress_rows),
        },
    ]
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
