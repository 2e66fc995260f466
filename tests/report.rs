//! `gongkai report` (进展通报) tells leaders what the site tells citizens, no more and no less:
//!
//! - its per-unit and per-group figures equal the built site's own tallies for the same as-of
//!   date (the ledgers as `data/assignees.csv` gives them, `units/index.html`'s 任务数 and
//!   已逾期), and its overdue and due-soon lists equal `data/tasks.csv`'s, on a fixture shaped
//!   unlike the seed (lead/cooperating and responsible columns, a group by kind and a catch-all
//!   group, a unit without tasks, a plan without progress, deadlines on, before and around the
//!   as-of date, same-day records, a record after the as-of date), at three as-of dates (two in
//!   the past), and on the district and county fixture sites;
//! - `--all` and the default differ exactly by the records the gate holds back (unsigned, only
//!   初审 signed, signed but 依申请公开): the default equals the report of the site without them,
//!   `--all` the report of the site with them all signed, and `--all` marks what rests on them;
//! - the workbook holds the same cells as the JSON and the printed text, read back by openpyxl
//!   (sheets, frozen header rows, real dates, column widths counting Chinese characters double)
//!   and by LibreOffice Calc (converted to CSV);
//! - the workbook is written whole or not at all.

use crate::common;

use chrono::NaiveDate;
use common::office::{calc_sheets, python, run_python, soffice};
use common::{fixture, gongkai_at, stderr, temp_copy};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// How a test record is signed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Sign {
    /// All three stages, 主动公开: published.
    Full,
    /// No review block: held back.
    Unsigned,
    /// Only 初审: held back (待复审).
    FirstOnly,
    /// All three stages but 依申请公开: held back.
    OnRequest,
}

/// The fixture's progress records: (file, id, task, unit, date, status, signing). As of
/// 2024-06-15 (the pinned date).
const RECORDS: &[(&str, &str, &str, &str, &str, &str, Sign)] = &[
    (
        "a.yaml",
        "a1",
        "1-1-1",
        "jia-ju",
        "2024-05-10",
        "in_progress",
        Sign::Full,
    ),
    // Would make 1-1-1 done (the lead decides) and 市甲局 recent: only with --all.
    (
        "a.yaml",
        "a2",
        "1-1-1",
        "jia-ju",
        "2024-06-10",
        "done",
        Sign::Unsigned,
    ),
    (
        "a.yaml",
        "a3",
        "2-1",
        "jia-ju",
        "2024-02-01",
        "in_progress",
        Sign::Full,
    ),
    // After the as-of date: never counted.
    (
        "a.yaml",
        "a4",
        "2-2",
        "jia-ju",
        "2024-07-01",
        "in_progress",
        Sign::Full,
    ),
    (
        "a.yaml",
        "b1",
        "1-1-2",
        "yi-ju",
        "2024-04-01",
        "in_progress",
        Sign::Full,
    ),
    // Done after the 3月31日 deadline: 逾期完成; the cooperating 市甲局 is overdue on it.
    (
        "a.yaml",
        "b2",
        "2-2",
        "yi-ju",
        "2024-04-20",
        "done",
        Sign::Full,
    ),
    (
        "b.yaml",
        "c1",
        "1-1-2",
        "bing-ju",
        "2024-05-20",
        "done",
        Sign::Full,
    ),
    // Same day: the later in the file decides (未开始).
    (
        "b.yaml",
        "c2",
        "1-1-4",
        "bing-ju",
        "2024-05-05",
        "in_progress",
        Sign::Full,
    ),
    (
        "b.yaml",
        "c3",
        "1-1-4",
        "bing-ju",
        "2024-05-05",
        "not_started",
        Sign::Full,
    ),
    (
        "b.yaml",
        "c4",
        "2-4",
        "bing-ju",
        "2024-06-01",
        "done",
        Sign::OnRequest,
    ),
    (
        "b.yaml",
        "m1",
        "2-4",
        "rongmei",
        "2024-06-05",
        "in_progress",
        Sign::Full,
    ),
    // The group reports for both towns; 东镇 later reports done for itself.
    (
        "b.yaml",
        "z1",
        "1-1-3",
        "ge-zhen",
        "2024-03-01",
        "in_progress",
        Sign::Full,
    ),
    (
        "b.yaml",
        "z2",
        "1-1-3",
        "dong-zhen",
        "2024-06-01",
        "done",
        Sign::Full,
    ),
    (
        "b.yaml",
        "d1",
        "2-3",
        "dong-zhen",
        "2024-06-12",
        "in_progress",
        Sign::FirstOnly,
    ),
];

/// Which records a test site gets, and how signed.
#[derive(Clone, Copy)]
enum Variant {
    /// As [`RECORDS`] says.
    Mixed,
    /// Only the fully signed ones.
    SignedOnly,
    /// Every one, fully signed.
    AllSigned,
}

fn record_yaml(id: &str, task: &str, unit: &str, date: &str, status: &str, sign: Sign) -> String {
    let summary = format!("任务{task}进展（{unit}）。");
    let mut out = format!(
        "  - id: {id}\n    task: \"{task}\"\n    unit: {unit}\n    date: {date}\n    status: {status}\n    summary: {summary}\n"
    );
    let (disclosure, stages) = match sign {
        Sign::Full => ("主动公开", 3),
        Sign::FirstOnly => ("主动公开", 1),
        Sign::OnRequest => ("依申请公开", 3),
        Sign::Unsigned => return out,
    };
    let st = match status {
        "done" => gongkai::model::ProgressStatus::Done,
        "in_progress" => gongkai::model::ProgressStatus::InProgress,
        _ => gongkai::model::ProgressStatus::NotStarted,
    };
    let fp = common::signing::record_fingerprint(id, task, unit, date, st, &summary, disclosure);
    // Signed on the record's own date (never before it).
    out.push_str(&common::signing::review_block(
        4, "record", id, &fp, disclosure, date, stages,
    ));
    out
}

/// A copy of `tests/fixtures/report` with its progress records written.
fn report_site(variant: Variant) -> tempfile::TempDir {
    let tmp = temp_copy(&fixture("report"));
    let dir = tmp.path().join("content/plans/2024/progress");
    std::fs::create_dir_all(&dir).unwrap();
    let mut files: BTreeMap<&str, String> = BTreeMap::new();
    for &(file, id, task, unit, date, status, sign) in RECORDS {
        let sign = match variant {
            Variant::Mixed => sign,
            Variant::SignedOnly if sign != Sign::Full => continue,
            Variant::SignedOnly => sign,
            Variant::AllSigned => Sign::Full,
        };
        files
            .entry(file)
            .or_insert_with(|| "format_version: 1\nrecords:\n".into())
            .push_str(&record_yaml(id, task, unit, date, status, sign));
    }
    for (f, text) in files {
        std::fs::write(dir.join(f), text).unwrap();
    }
    tmp
}

/// `gongkai report --json` with `args`, parsed.
fn report_json(root: &Path, args: &[&str]) -> Value {
    let mut all = vec!["report", "--json"];
    all.extend_from_slice(args);
    let o = gongkai_at(root, &all);
    assert!(o.status.success(), "report failed: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The status keys of the open data, in the site's display order.
const STATUS_KEYS: [&str; 8] = [
    "done",
    "done-late",
    "in-progress",
    "not-started",
    "not-reported",
    "overdue",
    "ongoing",
    "ongoing-not-reported",
];

/// One ledger as the built site's files give it.
#[derive(Debug, Default, PartialEq)]
struct Ledger {
    counts: BTreeMap<String, usize>,
    tasks: usize,
    latest: Option<String>,
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// Every ledger of the built site at `out`, by unit or group id, from `data/assignees.csv`: a
/// party's own row on a task, or its row as a member of a group on it (one line per task).
fn site_ledgers(out: &Path) -> BTreeMap<String, Ledger> {
    let mut lines: BTreeMap<(String, String, String), (String, String)> = BTreeMap::new();
    for r in read_csv(&out.join("data/assignees.csv")) {
        // 计划,任务编号,单位编号,单位名称,职责,所属单位组,完成情况代码,完成情况,最近进展日期,统一报送单位组
        lines
            .entry((r[2].clone(), r[0].clone(), r[1].clone()))
            .or_insert((r[6].clone(), r[8].clone()));
    }
    let mut ledgers: BTreeMap<String, Ledger> = BTreeMap::new();
    for ((unit, _, _), (status, latest)) in lines {
        let l = ledgers.entry(unit).or_default();
        *l.counts.entry(status).or_default() += 1;
        l.tasks += 1;
        if !latest.is_empty() && l.latest.as_ref().is_none_or(|x| *x < latest) {
            l.latest = Some(latest);
        }
    }
    for l in ledgers.values_mut() {
        for k in STATUS_KEYS {
            l.counts.entry(k.into()).or_default();
        }
    }
    ledgers
}

/// The report's ledgers, by id (parties without tasks left out, as the CSV has none).
fn report_ledgers(r: &Value) -> BTreeMap<String, Ledger> {
    r["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["tasks"].as_u64().unwrap() > 0)
        .map(|u| {
            let counts: BTreeMap<String, usize> = u["counts"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_u64().unwrap() as usize))
                .collect();
            let tasks = u["tasks"].as_u64().unwrap() as usize;
            assert_eq!(counts.values().sum::<usize>(), tasks, "{u}");
            (
                u["id"].as_str().unwrap().to_string(),
                Ledger {
                    counts,
                    tasks,
                    latest: u["latest"].as_str().map(String::from),
                },
            )
        })
        .collect()
}

/// (name, 任务数, 已逾期) of every row of `units/index.html`.
fn units_page(out: &Path) -> BTreeSet<(String, usize, usize)> {
    let html = std::fs::read_to_string(out.join("units/index.html")).unwrap();
    let cell = |row: &str, label: &str| -> String {
        let at = row
            .find(&format!("data-label={label}>"))
            .or_else(|| row.find(&format!("data-label=\"{label}\">")));
        let rest = &row[at.unwrap_or_else(|| panic!("{label} in {row}"))..];
        let rest = &rest[rest.find('>').unwrap() + 1..];
        rest[..rest.find('<').unwrap()].to_string()
    };
    html.split("<tr>")
        .filter(|r| r.contains("scope=row") || r.contains("scope=\"row\""))
        .map(|row| {
            let name_at = row.find("</a>").unwrap();
            let name = &row[..name_at];
            let name = &name[name.rfind('>').unwrap() + 1..];
            (
                name.to_string(),
                cell(row, "任务数").parse().unwrap(),
                cell(row, "已逾期").parse().unwrap(),
            )
        })
        .collect()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Build the site at `root` as of `as_of` (the pinned date when `None`) and check the report
/// (with `extra` arguments) against it; the report.
fn agrees_with_site(root: &Path, as_of: Option<&str>, extra: &[&str]) -> Value {
    let out = root.join(format!("out-{}", as_of.unwrap_or("pinned")));
    let out_s = out.to_string_lossy().into_owned();
    let mut build = vec!["build", "--output", out_s.as_str()];
    let mut args: Vec<&str> = extra.to_vec();
    if let Some(d) = as_of {
        build.extend(["--as-of", d]);
        args.extend(["--as-of", d]);
    }
    let o = gongkai_at(root, &build);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    let r = report_json(root, &args);
    let as_of = date(r["as_of"].as_str().unwrap());
    let tasks_json: Value =
        serde_json::from_slice(&std::fs::read(out.join("data/tasks.json")).unwrap()).unwrap();
    assert_eq!(r["as_of"], tasks_json["as_of"], "the build's as-of date");

    // Per unit and group: the ledgers.
    assert_eq!(report_ledgers(&r), site_ledgers(&out), "{}", root.display());
    // The index of ledgers: 任务数 and 已逾期, every unit and group.
    let from_report: BTreeSet<(String, usize, usize)> = r["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["name"].as_str().unwrap().to_string(),
                u["tasks"].as_u64().unwrap() as usize,
                u["counts"]["overdue"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(from_report, units_page(&out));

    // Overdue and due soon: the tasks of data/tasks.csv.
    let horizon = as_of + chrono::Duration::days(30);
    let mut overdue = BTreeSet::new();
    let mut due = BTreeSet::new();
    for t in read_csv(&out.join("data/tasks.csv")) {
        // 计划,任务编号,…,截止日期 (9),完成情况 (10),最近进展日期 (11)
        let (plan, id, deadline, status, latest) = (&t[0], &t[1], &t[9], &t[10], &t[11]);
        if status == "已逾期" {
            let days = (as_of - date(deadline)).num_days();
            overdue.insert((plan.clone(), id.clone(), days, latest.clone()));
        } else if !deadline.is_empty()
            && (as_of..=horizon).contains(&date(deadline))
            && status != "已完成"
            && status != "逾期完成"
        {
            let days = (date(deadline) - as_of).num_days();
            due.insert((plan.clone(), id.clone(), days, latest.clone()));
        }
    }
    let listed = |key: &str| -> BTreeSet<(String, String, i64, String)> {
        r[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["plan"].as_str().unwrap().to_string(),
                    t["task"].as_str().unwrap().to_string(),
                    t["days"].as_i64().unwrap(),
                    t["latest"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    assert_eq!(listed("overdue"), overdue, "overdue as of {as_of}");
    assert_eq!(listed("due_soon"), due, "due soon as of {as_of}");

    // 久未报送: the parties with open tasks and no report within the window, from the ledgers.
    let stale_days = r["stale_days"].as_i64().unwrap();
    let expected: BTreeSet<String> = site_ledgers(&out)
        .into_iter()
        .filter(|(_, l)| {
            let open = l.tasks - l.counts["done"] - l.counts["done-late"];
            open > 0
                && l.latest
                    .as_ref()
                    .is_none_or(|d| (as_of - date(d)).num_days() > stale_days)
        })
        .map(|(id, _)| id)
        .collect();
    let stale: BTreeSet<String> = r["stale"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stale, expected, "stale as of {as_of}");
    r
}

#[test]
fn figures_equal_the_built_sites_tallies() {
    let site = report_site(Variant::Mixed);
    let root = site.path();
    let r = agrees_with_site(root, None, &[]);
    // The fixture is what the figures are meant to exercise (pinned 2024-06-15).
    let unit = |id: &str| {
        r["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == id)
            .unwrap()
            .clone()
    };
    // 市甲局: in progress (1-1-1), ongoing (2-1), overdue as cooperating on a task its lead
    // finished late (2-2), overdue on the plan without progress; its unsigned done report of
    // 06-10 not counted, so its latest is 05-10, 36 days.
    let jia = unit("jia-ju");
    assert_eq!(jia["tasks"], 4);
    assert_eq!(jia["counts"]["overdue"], 2);
    assert_eq!(jia["latest"], "2024-05-10");
    assert_eq!(jia["days_since"], 36);
    // 西镇 stands in its group's report on 1-1-3 (in progress, 03-01).
    let xi = unit("xi-zhen");
    assert_eq!(xi["latest"], "2024-03-01");
    assert_eq!(xi["counts"]["in-progress"], 1);
    // The same-day pair: the later in file order (未开始) decides.
    assert_eq!(unit("bing-ju")["counts"]["not-started"], 1);
    assert_eq!(unit("ding-ju")["tasks"], 0);
    // Deadline on the as-of date: due in 0 days, not overdue; the 30th day in, the 31st out.
    let due: Vec<(String, i64)> = r["due_soon"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["task"].as_str().unwrap().to_string(),
                t["days"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        due,
        [("2-3", 0), ("1-1-1", 15), ("1-1-3", 25), ("2-5", 30)].map(|(t, d)| (t.to_string(), d))
    );
    let overdue: Vec<&str> = r["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["task"].as_str().unwrap())
        .collect();
    assert_eq!(
        overdue,
        ["1-1-1", "1-1-2", "1-1-2"],
        "2023 first: most days"
    );
    let stale: Vec<&str> = r["stale"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(stale, ["youguan", "xi-zhen", "yi-ju", "jia-ju"]);
    assert_eq!(r["unsigned_records"], 3);

    // Two as-of dates in the past, one before any record; and a shorter silence.
    agrees_with_site(root, Some("2024-04-15"), &["--stale-days", "10"]);
    agrees_with_site(root, Some("2023-10-01"), &[]);
    // Sites shaped otherwise: responsible-only groups reporting for members, no deadlines, two
    // plans with one never reported on.
    for name in ["district", "county"] {
        let tmp = temp_copy(&fixture(&format!("sites/{name}")));
        agrees_with_site(tmp.path(), None, &[]);
    }
}

/// The report without the fields that say which records it counted.
fn figures(r: &Value) -> Value {
    let mut r = r.clone();
    for k in ["scope", "unsigned_records"] {
        r.as_object_mut().unwrap().remove(k);
    }
    for list in ["units", "overdue", "due_soon"] {
        for x in r[list].as_array_mut().unwrap() {
            x.as_object_mut().unwrap().remove("unsigned");
        }
    }
    r
}

#[test]
fn all_and_default_differ_exactly_by_the_held_back_records() {
    let mixed = report_site(Variant::Mixed);
    let signed_only = report_site(Variant::SignedOnly);
    let all_signed = report_site(Variant::AllSigned);
    let default = report_json(mixed.path(), &[]);
    let all = report_json(mixed.path(), &["--all"]);
    assert_eq!(default["scope"], "published");
    assert_eq!(all["scope"], "all");
    // The default is the site without the held-back records; --all the site with them signed.
    assert_eq!(
        figures(&default),
        figures(&report_json(signed_only.path(), &[]))
    );
    assert_eq!(figures(&all), figures(&report_json(all_signed.path(), &[])));
    assert_ne!(figures(&default), figures(&all));
    // --all marks exactly what rests on them: the latest counted report of 市甲局 on 1-1-1
    // (unsigned), of 东镇 on 2-3 (初审 only) and of 市丙局 on 2-4 (依申请公开).
    let marked: BTreeMap<&str, u64> = all["units"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["unsigned"].as_u64().unwrap() > 0)
        .map(|u| (u["id"].as_str().unwrap(), u["unsigned"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        marked,
        BTreeMap::from([("bing-ju", 1), ("dong-zhen", 1), ("jia-ju", 1)])
    );
    assert!(
        default["units"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["unsigned"] == 0)
    );
    let marked_tasks: Vec<&str> = all["due_soon"]
        .as_array()
        .unwrap()
        .iter()
        .chain(all["overdue"].as_array().unwrap())
        .filter(|t| t["unsigned"] == true)
        .map(|t| t["task"].as_str().unwrap())
        .collect();
    assert_eq!(
        marked_tasks,
        ["2-3"],
        "1-1-1 is done with its unsigned report"
    );
    // The printed report says which it is, at the top.
    let text = |args: &[&str]| {
        let mut a = vec!["report"];
        a.extend_from_slice(args);
        let o = gongkai_at(mixed.path(), &a);
        assert!(o.status.success(), "{}", stderr(&o));
        String::from_utf8(o.stdout).unwrap()
    };
    let t = text(&[]);
    assert!(
        t.lines()
            .nth(1)
            .unwrap()
            .contains("另有 3 条记录未签发或不公开，未计入"),
        "{t}"
    );
    assert!(!t.contains("含未签发："), "{t}");
    let t = text(&["--all"]);
    assert!(
        t.lines()
            .nth(1)
            .unwrap()
            .starts_with("含未签发：计入了 3 条"),
        "{t}"
    );
    assert!(
        t.contains("含未签发\n") || t.contains("  含未签发"),
        "the column: {t}"
    );
}

/// The expected cells of each sheet (below its title and header rows), from the JSON, as Calc
/// shows them.
fn expected_sheets(r: &Value) -> Vec<(String, Vec<Vec<String>>)> {
    let s = |v: &Value| v.as_str().map_or(String::new(), String::from);
    let n = |v: &Value| v.as_i64().map_or(String::new(), |x| x.to_string());
    let all = r["scope"] == "all";
    let units = r["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let mut row = vec![s(&u["name"]), s(&u["kind"]), n(&u["tasks"])];
            row.extend(STATUS_KEYS.iter().map(|k| n(&u["counts"][*k])));
            row.extend([n(&u["due_soon"]), s(&u["latest"]), n(&u["days_since"])]);
            if all {
                row.push(if u["unsigned"] == 0 {
                    String::new()
                } else {
                    n(&u["unsigned"])
                });
            }
            row
        })
        .collect();
    let tasks = |key: &str| -> Vec<Vec<String>> {
        r[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                let who: Vec<String> = t["assignees"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| {
                        format!(
                            "{}（{}，{}）",
                            s(&a["name"]),
                            s(&a["role"]),
                            s(&a["status"])
                        )
                    })
                    .collect();
                let behind: Vec<String> = t["assignees"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|a| a["status"] != "已完成" && a["status"] != "逾期完成")
                    .map(|a| s(&a["name"]))
                    .collect();
                let mut row = vec![
                    s(&t["plan"]),
                    s(&t["task"]),
                    s(&t["text"]),
                    who.join("、"),
                    behind.join("、"),
                    s(&t["deadline_text"]),
                    s(&t["deadline"]),
                    n(&t["days"]),
                    s(&t["status"]),
                    s(&t["latest"]),
                ];
                if all {
                    row.push(if t["unsigned"] == true {
                        "是".into()
                    } else {
                        String::new()
                    });
                }
                row
            })
            .collect()
    };
    let stale = r["stale"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            vec![
                s(&x["name"]),
                s(&x["kind"]),
                n(&x["open"]),
                n(&x["overdue"]),
                x["latest"].as_str().unwrap_or("从未报送").to_string(),
                n(&x["days_since"]),
            ]
        })
        .collect();
    vec![
        ("按单位".into(), units),
        ("逾期任务".into(), tasks("overdue")),
        ("30日内到期".into(), tasks("due_soon")),
        ("久未报送".into(), stale),
    ]
}

/// Cells without the empty ones at the end of a row (Calc's CSV keeps the sheet's width).
fn trimmed(rows: &[Vec<String>]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| {
            let mut r = r.clone();
            while r.last().is_some_and(String::is_empty) {
                r.pop();
            }
            r
        })
        .collect()
}

/// The rows of section `n` (一、二、…) of the printed report, split at runs of spaces.
fn text_section(text: &str, numeral: &str) -> Vec<Vec<String>> {
    text.split("\n\n")
        .find(|s| s.starts_with(&format!("{numeral}、")))
        .unwrap()
        .lines()
        .skip(2) // heading, column headers
        .filter(|l| l.trim() != "（无）")
        .map(|l| l.split_whitespace().map(String::from).collect())
        .collect()
}

#[test]
fn workbook_holds_the_same_cells_as_json_and_text() {
    let site = report_site(Variant::Mixed);
    let root = site.path();
    let json = report_json(root, &["--all"]);
    let o = gongkai_at(root, &["report", "--all", "--xlsx", "通报.xlsx"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("已写入 Excel 文件"), "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    let xlsx = root.join("通报.xlsx");
    let expected = expected_sheets(&json);

    // The printed tables hold the same cells (long text shortened; empty cells not printed).
    for (i, (name, rows)) in expected.iter().enumerate() {
        let printed = text_section(&text, ["一", "二", "三", "四"][i]);
        assert_eq!(printed.len(), rows.len(), "{name}");
        for (p, e) in printed.iter().zip(rows) {
            let cells: Vec<&String> = e.iter().filter(|c| !c.is_empty()).collect();
            if name == "按单位" || name == "久未报送" {
                assert_eq!(p.iter().collect::<Vec<_>>(), cells, "{name}");
            } else {
                assert_eq!(&p[..2], &e[..2], "{name}: plan and task");
            }
        }
    }

    if let Some(py) = python() {
        let out = run_python(
            &py,
            r#"
import json, sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
res = []
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows():
        rows.append([[type(c.value).__name__, c.value.strftime('%Y-%m-%d') if isinstance(c.value, datetime.datetime) else c.value] for c in row])
    widths = {}
    for d in ws.column_dimensions.values():
        for i in range(d.min, d.max + 1):
            widths[openpyxl.utils.get_column_letter(i)] = d.width
    res.append({'name': ws.title, 'freeze': ws.freeze_panes, 'rows': rows, 'widths': widths,
                'print_titles': ws.print_title_rows})
print(json.dumps(res, ensure_ascii=False))
"#,
            &[&xlsx],
        );
        let sheets: Value = serde_json::from_str(&out).unwrap();
        let sheets = sheets.as_array().unwrap();
        let names: Vec<&str> = sheets.iter().map(|s| s["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["按单位", "逾期任务", "30日内到期", "久未报送"]);
        for (sheet, (_, rows)) in sheets.iter().zip(&expected) {
            let name = sheet["name"].as_str().unwrap();
            assert_eq!(
                sheet["freeze"], "A3",
                "{name}: title and header rows frozen"
            );
            assert_eq!(
                sheet["print_titles"], "$1:$2",
                "{name}: repeated on printed pages"
            );
            let cells = sheet["rows"].as_array().unwrap();
            let title = cells[0][0][1].as_str().unwrap();
            assert!(title.contains("含未签发"), "{name}: {title}");
            assert!(title.contains(json["as_of"].as_str().unwrap()), "{title}");
            let header: Vec<&str> = cells[1]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c[1].as_str().unwrap())
                .collect();
            assert!(header.iter().all(|h| !h.is_empty()), "{name}: {header:?}");
            assert_eq!(cells.len() - 2, rows.len(), "{name}");
            for (row, want) in cells[2..].iter().zip(rows) {
                let got: Vec<String> = row
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| match &c[1] {
                        Value::Null => String::new(),
                        Value::Number(x) => x.as_f64().map(|f| (f as i64).to_string()).unwrap(),
                        v => v.as_str().unwrap().to_string(),
                    })
                    .collect();
                let mut got = got;
                got.resize(want.len(), String::new());
                assert_eq!(&got, want, "{name}");
                for (c, (cell, w)) in row.as_array().unwrap().iter().zip(want).enumerate() {
                    let ty = cell[0].as_str().unwrap();
                    if w.len() == 10 && NaiveDate::parse_from_str(w, "%Y-%m-%d").is_ok() {
                        assert_eq!(ty, "datetime", "{name} column {c}: a real date");
                    } else if !w.is_empty() && w.parse::<i64>().is_ok() && c > 1 {
                        assert!(ty == "int" || ty == "float", "{name} column {c}: {ty}");
                    }
                }
            }
            // Every column at least as wide as its widest cell (Chinese counted double), up to
            // the cap where long text wraps.
            let widths = sheet["widths"].as_object().unwrap();
            for c in 0..header.len() {
                let letter = ((b'A' + c as u8) as char).to_string();
                let w = widths[&letter].as_f64().unwrap();
                let widest = cells[1..]
                    .iter()
                    .filter_map(|r| r.as_array().unwrap().get(c))
                    .map(|cell| match &cell[1] {
                        Value::String(s) => s
                            .chars()
                            .map(|ch| if (ch as u32) < 0x1100 { 1 } else { 2 })
                            .sum::<usize>(),
                        v => v.to_string().len(),
                    })
                    .max()
                    .unwrap_or(0);
                assert!(
                    w >= widest.min(60) as f64,
                    "{name} column {letter}: width {w} < {widest}"
                );
            }
        }
    }

    if let Some(office) = soffice() {
        let sheets = calc_sheets(&office, &xlsx);
        let names: Vec<&str> = sheets.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(names, ["按单位", "逾期任务", "30日内到期", "久未报送"]);
        for ((name, rows), (_, want)) in sheets.iter().zip(&expected) {
            assert_eq!(
                trimmed(&rows[2..]),
                trimmed(want),
                "{name} as Calc shows it"
            );
        }
    }
}

#[test]
fn workbook_is_written_whole_or_not_at_all() {
    let site = report_site(Variant::Mixed);
    let root = site.path();
    // Replacing an older report: the new one, and no temporary file beside it.
    std::fs::write(root.join("old.xlsx"), "not a workbook").unwrap();
    let o = gongkai_at(root, &["report", "--xlsx", "old.xlsx"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        std::fs::read(root.join("old.xlsx"))
            .unwrap()
            .starts_with(b"PK")
    );
    // A folder that does not exist: exit 2, a Chinese message, nothing written.
    let o = gongkai_at(root, &["report", "--xlsx", "no/such/通报.xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("无法写入"), "{}", stderr(&o));
    assert!(!root.join("no").exists());
    // Broken content: exit 1, the errors, no workbook.
    std::fs::write(
        root.join("content/plans/2024/progress/c.yaml"),
        "format_version: 1\nrecords:\n  - id: x1\n    task: \"9-9\"\n    unit: jia-ju\n    date: 2024-05-01\n    status: done\n    summary: 不存在的任务。\n",
    )
    .unwrap();
    let o = gongkai_at(root, &["report", "--xlsx", "broken.xlsx"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("无法生成进展通报"), "{}", stderr(&o));
    assert!(!root.join("broken.xlsx").exists());
    let leftovers: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("gongkai-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn help_documents_the_command() {
    let o = common::gongkai(["report", "--help"]);
    let help = String::from_utf8(o.stdout).unwrap();
    for flag in ["--as-of", "--xlsx", "--all", "--stale-days", "--json"] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
    let o = common::gongkai(["--help"]);
    assert!(String::from_utf8(o.stdout).unwrap().contains("进展通报"));
}
