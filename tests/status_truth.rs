//! Every status a citizen reads is what the published records support (issue 13), checked on
//! every page of every site the tests build: the default content, the fixture sites shaped like
//! other places' tables (lead/cooperating columns, 科室, no sub-categories, no pilots, no progress,
//! two plans), a generated 400-task site, and random sites with lead units, catch-all groups,
//! group reports, records out of date order and on the same day, and records after the as-of
//! date.
//!
//! The oracle is independent of `src/status.rs`: it reads the published records from
//! `data/progress.csv` and the assignments from `data/tasks.json`, and checks what the pages show
//! against what those records say (a unit with no record never reads 未开始; a unit's latest
//! report is its latest by date, its own or its group's; a task whose leads are done is done; a
//! group never contradicts its members), then that every page shows the statuses of the open
//! data, and that every internal link resolves.

use crate::common;

use common::rng::Rng;
use common::{default_site, fixture, gongkai_at, synth_site, temp_copy};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// A published record counted on the as-of date, as `data/progress.csv` gives it.
#[derive(Debug, Clone)]
struct Rec {
    id: String,
    unit: String,
    date: String,
    status: String,
}

/// `YYYY-MM-DD` as the pages write it: 2023年9月5日.
fn cn(iso: &str) -> String {
    let p: Vec<u32> = iso.split('-').map(|x| x.parse().unwrap()).collect();
    format!("{}年{}月{}日", p[0], p[1], p[2])
}

/// Parse a tiny CSV (quoted fields, doubled quotes) with a BOM.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let text = text.trim_start_matches('\u{feff}');
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => row.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => field.push(c),
        }
    }
    rows
}

/// The status keys shown in `html`, in order.
fn badges(html: &str) -> Vec<String> {
    html.split("class=\"st st-")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

/// The task a table row of page `page` links to: (plan, task id), from the first
/// `…/tasks/<id>.html` link.
fn row_task(page: &str, row: &str) -> Option<(String, String)> {
    let at = row.find("/tasks/").or_else(|| row.find("tasks/"))?;
    let href_start = row[..at].rfind("href=")? + 5;
    let href: String = row[href_start..]
        .trim_start_matches('"')
        .chars()
        .take_while(|c| !matches!(c, '"' | '>' | ' ' | '#'))
        .collect();
    // Resolve against the page's folder.
    let mut segs: Vec<&str> = page.split('/').collect();
    segs.pop();
    for s in href.split('/') {
        match s {
            ".." => {
                segs.pop();
            }
            "." | "" => {}
            s => segs.push(s),
        }
    }
    let i = segs.iter().position(|s| *s == "tasks")?;
    let plan = segs.get(i.checked_sub(1)?)?.to_string();
    let id = segs.get(i + 1)?.strip_suffix(".html")?.to_string();
    Some((plan, id))
}

/// The text of the cell labelled `label` in a table row.
fn cell<'a>(row: &'a str, label: &str) -> Option<&'a str> {
    let at = row.find(&format!("data-label={label}>"))?;
    let rest = &row[at..];
    let start = rest.find('>')? + 1;
    let end = rest.find("</td>")?;
    Some(&rest[start..end])
}

fn is_done(s: &str) -> bool {
    s == "done" || s == "done-late"
}

/// What the published records and the open data say, and what every page shows.
fn check_truth(name: &str, root: &Path) {
    let out = root.join("output");
    let doc: Value =
        serde_json::from_slice(&std::fs::read(out.join("data/tasks.json")).unwrap()).unwrap();
    let progress = std::fs::read_to_string(out.join("data/progress.csv")).unwrap();
    let rows = csv_rows(&progress);
    assert_eq!(
        rows[0][..8].join(","),
        "计划,记录编号,任务编号,单位编号,单位名称,日期,进展状态,进展摘要"
    );
    // (plan, task) → records, in the published order (newest first).
    let mut recs: BTreeMap<(String, String), Vec<Rec>> = BTreeMap::new();
    for r in &rows[1..] {
        recs.entry((r[0].clone(), r[2].clone()))
            .or_default()
            .push(Rec {
                id: r[1].clone(),
                unit: r[3].clone(),
                date: r[5].clone(),
                status: r[6].clone(),
            });
    }
    for ((plan, task), list) in &recs {
        for w in list.windows(2) {
            assert!(
                w[0].date >= w[1].date,
                "{name}: {plan}/{task}: progress.csv lists {} before {}",
                w[0].date,
                w[1].date
            );
        }
    }
    let tasks = doc["tasks"].as_array().unwrap();
    let mut status_of: BTreeMap<(String, String), String> = BTreeMap::new();
    // (plan, task, unit) → (status, last_update) of a unit on a task, directly or as a member.
    let mut unit_on: BTreeMap<(String, String, String), (String, Option<String>)> = BTreeMap::new();
    let mut checked_units = 0;
    for t in tasks {
        let plan = t["plan"].as_str().unwrap().to_string();
        let tid = t["id"].as_str().unwrap().to_string();
        let here = format!("{name}: {plan}/{tid}");
        let task_recs = recs
            .get(&(plan.clone(), tid.clone()))
            .cloned()
            .unwrap_or_default();
        let assignees = t["assignees"].as_array().unwrap();
        let groups_with = |u: &str| -> Vec<String> {
            assignees
                .iter()
                .filter(|a| {
                    a["members"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|m| m["id"] == u)
                })
                .map(|a| a["id"].as_str().unwrap().to_string())
                .collect()
        };
        let mut units: Vec<&Value> = Vec::new();
        for a in assignees {
            let members = a["members"].as_array().unwrap();
            if !a["is_group"].as_bool().unwrap() || members.is_empty() {
                units.push(a);
            }
            units.extend(members);
            if !members.is_empty() {
                unit_on.insert(
                    (
                        plan.clone(),
                        tid.clone(),
                        a["id"].as_str().unwrap().to_string(),
                    ),
                    (
                        a["status"].as_str().unwrap().to_string(),
                        a["last_update"].as_str().map(str::to_string),
                    ),
                );
            }
            // A group with members is its members combined: never done beside a member not
            // done, never anything but overdue beside a member overdue.
            if !members.is_empty() {
                let ms: Vec<&str> = members
                    .iter()
                    .map(|m| m["status"].as_str().unwrap())
                    .collect();
                let gs = a["status"].as_str().unwrap();
                if ms.contains(&"overdue") {
                    assert_eq!(gs, "overdue", "{here}: group {} vs members {ms:?}", a["id"]);
                }
                assert_eq!(
                    is_done(gs),
                    ms.iter().all(|m| is_done(m)),
                    "{here}: group {} is {gs}, members {ms:?}",
                    a["id"]
                );
            }
        }
        for u in units {
            let uid = u["id"].as_str().unwrap();
            let status = u["status"].as_str().unwrap();
            let is_group = u["is_group"].as_bool().unwrap();
            // Its own reports, and those of the groups on this task it belongs to.
            let via = if is_group {
                Vec::new()
            } else {
                groups_with(uid)
            };
            let latest = task_recs
                .iter()
                .find(|r| r.unit == uid || via.contains(&r.unit));
            let last = u["last_update"].as_str().map(str::to_string);
            assert_eq!(
                last.as_deref(),
                latest.map(|r| r.date.as_str()),
                "{here}: {uid}'s latest report is the latest by date"
            );
            match latest {
                None => assert!(
                    matches!(status, "not-reported" | "overdue" | "ongoing-not-reported"),
                    "{here}: {uid} filed nothing yet reads {status}"
                ),
                Some(r) => {
                    assert!(
                        !matches!(status, "not-reported" | "ongoing-not-reported"),
                        "{here}: {uid} reported ({}) yet reads {status}",
                        r.id
                    );
                    if status == "not-started" {
                        assert_eq!(r.status, "未开始", "{here}: {uid} reads 未开始");
                    }
                    let by = u["reported_by_group"].as_str();
                    assert_eq!(
                        by.is_some(),
                        r.unit != uid,
                        "{here}: {uid}'s latest ({}) was filed by {}",
                        r.id,
                        r.unit
                    );
                }
            }
            unit_on
                .entry((plan.clone(), tid.clone(), uid.to_string()))
                .or_insert((status.to_string(), last));
            checked_units += 1;
        }
        // Lead units decide; without leads every assignee does.
        let status = t["status"].as_str().unwrap();
        let leads: Vec<&str> = assignees
            .iter()
            .filter(|a| a["role"] == "lead")
            .map(|a| a["status"].as_str().unwrap())
            .collect();
        let deciding: Vec<&str> = if leads.is_empty() {
            assignees
                .iter()
                .map(|a| a["status"].as_str().unwrap())
                .collect()
        } else {
            leads.clone()
        };
        if !deciding.is_empty() && deciding.iter().all(|s| is_done(s)) {
            assert!(
                is_done(status),
                "{here}: every deciding party done, task {status}"
            );
        }
        if is_done(status) {
            assert!(
                deciding.iter().all(|s| is_done(s)),
                "{here}: task done, deciding {deciding:?}"
            );
        }
        if status == "not-started" {
            assert!(
                task_recs.iter().any(|r| r.status == "未开始"),
                "{here}: 未开始 with no not_started record"
            );
        }
        if !leads.is_empty() {
            assert!(
                assignees
                    .iter()
                    .all(|a| a["role"] == "lead" || a["role"] == "cooperating"),
                "{here}: with leads named, everyone else cooperates"
            );
        }
        for cell in ["lead_text", "cooperating_text"] {
            let written = t[cell].as_str();
            assert!(
                written.is_none_or(|w| !w.is_empty()),
                "{here}: {cell} is verbatim"
            );
        }
        status_of.insert((plan.clone(), tid.clone()), status.to_string());

        // The task page shows exactly these statuses: the task's, then per assignee its
        // members' and its own; and its records newest first.
        let html = std::fs::read_to_string(out.join(format!("{plan}/tasks/{tid}.html"))).unwrap();
        let mut want = vec![status.to_string()];
        for a in assignees {
            for m in a["members"].as_array().unwrap() {
                want.push(m["status"].as_str().unwrap().to_string());
            }
            want.push(a["status"].as_str().unwrap().to_string());
        }
        assert_eq!(badges(&html), want, "{here}: the task page's statuses");
        let shown: Vec<String> = html
            .split("<li id=r-")
            .skip(1)
            .map(|s| s[..s.find('>').unwrap()].to_string())
            .collect();
        let ids: Vec<String> = task_recs.iter().map(|r| r.id.clone()).collect();
        assert_eq!(shown, ids, "{here}: records on the task page, newest first");
    }
    assert!(checked_units > 0 || tasks.is_empty());

    // Every row of every list (home, categories, timeline, pilots, ledgers) shows the task's or
    // the unit's status as the open data has it.
    let mut rows_checked = 0;
    for (path, bytes) in common::tree(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for bad in ["未标注", "久未更新", "印发</dd>", "› </p>", "<h2></h2>"] {
            assert!(!html.contains(bad), "{name}: {path} shows {bad:?}");
        }
        let ledger_of = path
            .strip_prefix("units/")
            .filter(|p| *p != "index.html")
            .map(|p| p.split(['/', '.']).next().unwrap().to_string());
        for row in html.split("<tr>").skip(1) {
            let row = &row[..row.find("</tr>").unwrap_or(row.len())];
            let Some((plan, tid)) = row_task(&path, row) else {
                continue;
            };
            let Some(shown) = badges(row).into_iter().next() else {
                continue;
            };
            let here = format!("{name}: {path}: {plan}/{tid}");
            match &ledger_of {
                Some(unit) if row.contains("本单位完成情况") => {
                    let (st, last) = unit_on
                        .get(&(plan.clone(), tid.clone(), unit.clone()))
                        .unwrap_or_else(|| panic!("{here}: {unit} is not on the task"));
                    assert_eq!(&shown, st, "{here}: {unit}'s status");
                    let latest = cell(row, "最近进展").unwrap();
                    match last {
                        Some(d) => assert!(latest.starts_with(&cn(d)), "{here}: {latest}"),
                        None => assert_eq!(latest, "暂无报送", "{here}"),
                    }
                }
                _ => {
                    let st = &status_of[&(plan.clone(), tid.clone())];
                    assert_eq!(&shown, st, "{here}: the task's status");
                }
            }
            rows_checked += 1;
        }
        // A ledger's rows sit in the section of their plan.
        if ledger_of.is_some() {
            for sec in html.split("<section aria-labelledby=p-").skip(1) {
                let plan = &sec[..sec.find('>').unwrap()];
                let sec = &sec[..sec.find("</section>").unwrap()];
                for row in sec.split("<tr>").skip(1) {
                    if let Some((p, t)) = row_task(&path, row) {
                        assert_eq!(p, plan, "{name}: {path}: task {t} in the section of {plan}");
                    }
                }
            }
        }
    }
    assert!(
        rows_checked > 0 || tasks.is_empty(),
        "{name}: no row checked"
    );
}

/// Build `root` into `root/output`, check every link, then the statuses.
fn build_and_check(name: &str, root: &Path) {
    let o = gongkai_at(root, &["build", "--output", "output"]);
    assert!(
        o.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let links = common::links::check(root, &root.join("output"));
    assert!(links > 0, "{name}: no link checked");
    check_truth(name, root);
}

#[test]
fn default_content() {
    let site = default_site();
    build_and_check("default", site.path());
    // The seed's facts (issue 13): nobody reported on 5-2-1, so none of its units is 未开始.
    let t = std::fs::read_to_string(site.path().join("output/2023/tasks/5-2-1.html")).unwrap();
    assert!(
        !t.contains("st-not-started"),
        "5-2-1 has no not_started record"
    );
}

#[test]
fn fixture_sites() {
    for f in ["county", "district", "bureau"] {
        let site = temp_copy(&fixture(&format!("sites/{f}")));
        build_and_check(f, site.path());
    }
}

#[test]
fn generated_site() {
    let site = synth_site(400, 5);
    build_and_check("synth-400", site.path());
}

#[test]
fn random_sites_with_leads_groups_and_two_plans() {
    for seed in 1..=6u64 {
        let site = random_site(seed);
        build_and_check(&format!("random seed {seed}"), site.path());
    }
}

// ---- a random site ---------------------------------------------------------------------------

struct RParty {
    id: String,
    name: String,
    members: Vec<usize>,
}

/// Units, a group by kind (各镇), a group with listed members (部分部门) and a catch-all group with
/// none (各有关单位); two plans (2022, 2023) whose tasks name lead/cooperating units or only
/// responsible units, in files with and without sub-categories; signed records in random file
/// order, some on the same day, some after the as-of date (2023-10-01), filed by units, members
/// and groups.
fn random_site(seed: u64) -> tempfile::TempDir {
    let mut rng = Rng::new(seed * 7919);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "content/site.yaml",
        "format_version: 1\ntitle: 随机测试站点\nbase_url: https://example.org/r/\nas_of: 2023-10-01\nstale_after_days: 60\nportal:\n  site_name: 示例网站\n  domain: example.org（示例）\n  site_id_code: 示例标识码\n  sponsor: 示例主办单位\n  icp: 示例ICP备案号\n  police_record: 示例公安备案号\n  contact: 示例联系方式\n",
    );
    let mut parties: Vec<RParty> = Vec::new();
    let mut units = String::from("format_version: 1\nunits:\n");
    for i in 1..=6 {
        parties.push(RParty {
            id: format!("bu-{i}"),
            name: format!("第{i}局"),
            members: vec![],
        });
        let _ = write!(
            units,
            "  - id: bu-{i}\n    name: 第{i}局\n    kind: department\n"
        );
    }
    for i in 1..=4 {
        parties.push(RParty {
            id: format!("zhen-{i}"),
            name: format!("第{i}镇"),
            members: vec![],
        });
        let _ = write!(
            units,
            "  - id: zhen-{i}\n    name: 第{i}镇\n    kind: township\n"
        );
    }
    units.push_str("groups:\n  - id: ge-zhen\n    name: 各镇\n    member_kinds: [township]\n  - id: bufen\n    name: 部分部门\n    members: [bu-1, bu-2, bu-3]\n  - id: youguan\n    name: 各有关单位\n");
    parties.push(RParty {
        id: "ge-zhen".into(),
        name: "各镇".into(),
        members: (6..10).collect(),
    });
    parties.push(RParty {
        id: "bufen".into(),
        name: "部分部门".into(),
        members: vec![0, 1, 2],
    });
    parties.push(RParty {
        id: "youguan".into(),
        name: "各有关单位".into(),
        members: vec![],
    });
    write("content/units.yaml", &units);
    write("content/reviewers.yaml", &common::signing::reviewers_yaml());
    let deadlines = [
        "8月31日",
        "年底前",
        "6月底前",
        "及时公开",
        "持续推进",
        "视情况而定",
        "",
    ];
    let statuses = [
        (gongkai::model::ProgressStatus::NotStarted, "not_started"),
        (gongkai::model::ProgressStatus::InProgress, "in_progress"),
        (gongkai::model::ProgressStatus::Done, "done"),
    ];
    for year in [2022, 2023] {
        let base = format!("content/plans/{year}");
        write(
            &format!("{base}/plan.yaml"),
            &format!(
                "format_version: 1\ntitle: {year}年随机工作要点\nyear: {year}\nissuer: 示例机关\nissue_date: {}\ndisclosure: 主动公开\n",
                if year == 2022 {
                    "未载明".to_string()
                } else {
                    format!("{year}-03-01")
                }
            ),
        );
        // (task id, every party that may report on it)
        let mut tasks: Vec<(String, Vec<usize>)> = Vec::new();
        for cat in 1..=2u32 {
            let mut file =
                format!("format_version: 1\ncategory:\n  number: {cat}\n  title: 第{cat}类工作\n");
            let subs: Vec<Option<String>> = if cat == 1 {
                vec![Some("甲组".into()), Some("乙组".into())]
            } else {
                vec![None]
            };
            if cat == 1 {
                file.push_str("subcategories:\n");
            } else {
                file.push_str("tasks:\n");
            }
            for (si, sub) in subs.iter().enumerate() {
                let ind = if sub.is_some() { "      " } else { "  " };
                if let Some(s) = sub {
                    let _ = write!(file, "  - title: {s}\n    tasks:\n");
                }
                for ti in 1..=6 {
                    let id = if sub.is_some() {
                        format!("{cat}-{}-{ti}", si + 1)
                    } else {
                        format!("{cat}-{ti}")
                    };
                    let pick = |rng: &mut Rng, n: usize| -> Vec<usize> {
                        let mut v: Vec<usize> = Vec::new();
                        while v.len() < n {
                            let p = rng.below(parties.len());
                            if !v.contains(&p) {
                                v.push(p);
                            }
                        }
                        v
                    };
                    let names = |v: &[usize]| -> String {
                        v.iter()
                            .map(|p| parties[*p].name.as_str())
                            .collect::<Vec<_>>()
                            .join("、")
                    };
                    let ids = |v: &[usize]| -> String {
                        v.iter()
                            .map(|p| parties[*p].id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    let _ = write!(
                        file,
                        "{ind}- id: \"{id}\"\n{ind}  text: 随机任务{id}的内容。\n"
                    );
                    let named: Vec<usize> = if rng.below(2) == 0 {
                        let n = 1 + rng.below(4);
                        let all = pick(&mut rng, n);
                        let nl = 1 + rng.below(all.len().min(2));
                        let (lead, coop) = all.split_at(nl);
                        let _ = write!(
                            file,
                            "{ind}  lead_text: {}\n{ind}  lead: [{}]\n",
                            names(lead),
                            ids(lead)
                        );
                        if !coop.is_empty() {
                            let _ = write!(
                                file,
                                "{ind}  cooperating_text: {}\n{ind}  cooperating: [{}]\n",
                                names(coop),
                                ids(coop)
                            );
                        }
                        all
                    } else {
                        let n = 1 + rng.below(3);
                        let all = pick(&mut rng, n);
                        let _ = write!(
                            file,
                            "{ind}  responsible_text: {}\n{ind}  responsible: [{}]\n",
                            names(&all),
                            ids(&all)
                        );
                        all
                    };
                    let d = deadlines[rng.below(deadlines.len())];
                    if !d.is_empty() {
                        let _ = writeln!(file, "{ind}  deadline: {d}");
                    }
                    let mut reporters = named.clone();
                    for p in &named {
                        reporters.extend(parties[*p].members.iter().copied());
                    }
                    tasks.push((id, reporters));
                }
            }
            write(&format!("{base}/tasks/{cat}.yaml"), &file);
        }
        // Records: random reporters and dates, some on the same day as another of the task.
        let mut records: Vec<String> = Vec::new();
        let mut dates: Vec<(usize, String)> = Vec::new();
        for n in 0..45 {
            let ti = rng.below(tasks.len());
            let (tid, reporters) = &tasks[ti];
            let unit = &parties[reporters[rng.below(reporters.len())]].id;
            let same = dates
                .iter()
                .filter(|d| d.0 == ti)
                .map(|d| d.1.clone())
                .next();
            let date = match same {
                Some(d) if rng.below(3) == 0 => d,
                _ => format!("{year}-{:02}-{:02}", 3 + rng.below(9), 1 + rng.below(28)),
            };
            dates.push((ti, date.clone()));
            let (st, key) = statuses[rng.below(3)];
            let rid = format!("r{n}");
            let summary = format!("{unit}报送任务{tid}的进展。");
            let fp = common::signing::record_fingerprint(
                &rid,
                tid,
                unit,
                &date,
                st,
                &summary,
                "主动公开",
            );
            let block =
                common::signing::review_block(4, "record", &rid, &fp, "主动公开", "2024-01-04", 3);
            records.push(format!(
                "  - id: {rid}\n    task: \"{tid}\"\n    unit: {unit}\n    date: {date}\n    status: {key}\n    summary: {summary}\n{block}"
            ));
        }
        // Two files, records in random order.
        for i in (1..records.len()).rev() {
            let j = rng.below(i + 1);
            records.swap(i, j);
        }
        let (a, b) = records.split_at(records.len() / 2);
        for (f, part) in [("a.yaml", a), ("b.yaml", b)] {
            write(
                &format!("{base}/progress/{f}"),
                &format!("format_version: 1\nrecords:\n{}", part.concat()),
            );
        }
    }
    tmp
}
