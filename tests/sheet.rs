//! Unit report sheets (issue 16, item 3): `gongkai sheet` writes a protected .xlsx per unit or
//! group, a unit fills it as in Excel/WPS (openpyxl here), `gongkai import-progress` reads it
//! back into unsigned records that pass `check`, 三审 signs them and `build` publishes them.
//! Importing twice adds nothing; every mistake is reported in one run with its row and column;
//! a tampered key column is refused; a refused import leaves the tree byte-identical.
//! Fixture: `tests/fixtures/sites/county` (lead/cooperating columns, a group of townships, a
//! group of sections, two plans).

use std::path::{Path, PathBuf};

use crate::common;
use common::{fixture, gongkai_at, office, stderr, temp_copy, tree};

fn run(root: &Path, args: &[&str]) -> (i32, String) {
    let o = gongkai_at(root, args);
    (o.status.code().unwrap_or(-1), stderr(&o))
}

fn county() -> tempfile::TempDir {
    temp_copy(&fixture("sites/county"))
}

/// Make the sheet of `unit` in `root/报送表/`; returns its path.
fn sheet(root: &Path, unit: &str) -> PathBuf {
    let (code, err) = run(root, &["sheet", "--unit", unit, "--as-of", "2024-06-30"]);
    assert_eq!(code, 0, "{err}");
    let path = root.join(format!("报送表/{unit}-报送表.xlsx"));
    assert!(path.is_file(), "{err}");
    path
}

/// Open the sheet with openpyxl, report its protection, and fill the rows given as JSON
/// `[[plan, task, unit, {column letter: value}]]` (a value `date:YYYY-MM-DD` is written as
/// a date cell, as Excel does when one types a date), then save it as Excel would.
const FILL: &str = r#"
import sys, json, datetime, openpyxl
path, fills = sys.argv[1], json.loads(open(sys.argv[2], encoding='utf-8').read())
wb = openpyxl.load_workbook(path)
ws = wb.active
head = [c.value for c in ws[3]]
rows = {}
for r in range(4, ws.max_row + 1):
    rows[(ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 3).value)] = r
lists = [dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == 'list']
dates = [str(dv.sqref) for dv in ws.data_validations.dataValidation if dv.type == 'date']
info = {
  'title': ws['E1'].value, 'a1': ws['A1'].value, 'head': head, 'protected': bool(ws.protection.sheet),
  'hidden': sorted({openpyxl.utils.get_column_letter(i) for d in ws.column_dimensions.values() if d.hidden for i in range(d.min, d.max + 1)}),
  'unlocked': sorted({c.column_letter for row in ws.iter_rows(min_row=4) for c in row if not c.protection.locked}),
  'current': {f'{k[0]}/{k[1]}/{k[2]}': ws.cell(r, 9).value for k, r in rows.items()},
  'lists': lists, 'dates': dates, 'freeze': ws.freeze_panes, 'rows': [list(k) for k in rows],
}
for plan, task, unit, cells in fills:
    r = rows[(plan, task, unit)]
    for col, v in cells.items():
        if isinstance(v, str) and v.startswith('date:'):
            v = datetime.date.fromisoformat(v[5:])
        ws[f'{col}{r}'] = v
wb.save(path)
print(json.dumps(info, ensure_ascii=False))
"#;

fn fill(py: &Path, xlsx: &Path, fills: &str) -> serde_json::Value {
    let spec = xlsx.with_extension("json");
    std::fs::write(&spec, fills).unwrap();
    let out = office::run_python(py, FILL, &[xlsx, &spec]);
    std::fs::remove_file(&spec).unwrap();
    serde_json::from_str(&out).unwrap()
}

#[test]
fn round_trip_unit_and_group_to_the_published_site() {
    let Some(py) = office::python() else { return };
    let site = county();
    let root = site.path();
    let unit = sheet(root, "gongkai-gu");
    let group = sheet(root, "ge-xiangzhen");

    let info = fill(
        &py,
        &unit,
        r#"[["2024", "1-1", "gongkai-gu", {"J": "已完成", "K": "date:2024-06-15",
             "L": "主动公开目录已更新并在网站公开。", "M": "主动公开目录", "N": "https://example.org/mulu"}]]"#,
    );
    assert_eq!(info["protected"], true, "{info}");
    assert_eq!(info["hidden"], serde_json::json!(["A", "B", "C", "D"]));
    assert_eq!(
        info["unlocked"],
        serde_json::json!(["J", "K", "L", "M", "N"])
    );
    assert_eq!(info["freeze"], "A4");
    assert!(
        info["title"].as_str().unwrap().contains("政务公开股报送表"),
        "{info}"
    );
    assert!(
        info["title"].as_str().unwrap().contains("2024-06-30"),
        "{info}"
    );
    // Title over the visible columns, not in the hidden key columns.
    assert!(info["a1"].is_null(), "{info}");
    assert!(
        info["lists"][0]
            .as_str()
            .unwrap()
            .contains("推进中,已完成,未开始"),
        "{info}"
    );
    assert_eq!(info["dates"].as_array().unwrap().len(), 1, "{info}");
    assert_eq!(info["head"][9], "进展状态");
    // Its tasks in both plans, and the task it has through the group of sections.
    let rows = info["rows"].as_array().unwrap();
    for want in [
        ["2024", "1-1"],
        ["2024", "1-2"],
        ["2024", "1-4"],
        ["2023", "1-1"],
    ] {
        assert!(
            rows.iter()
                .any(|r| r[0] == want[0] && r[1] == want[1] && r[2] == "gongkai-gu"),
            "{want:?} in {rows:?}"
        );
    }

    // The group: one row per member and task; a member types the date as text.
    let ginfo = fill(
        &py,
        &group,
        r#"[["2024", "1-2", "dongcheng", {"J": "推进中", "K": "2024-06-20", "L": "已按月更新公开专栏。"}]]"#,
    );
    let grows = ginfo["rows"].as_array().unwrap();
    assert!(grows.iter().any(|r| r[2] == "dongcheng"), "{grows:?}");
    assert!(grows.iter().any(|r| r[2] == "xicheng"), "{grows:?}");

    let (code, err) = run(
        root,
        &[
            "import-progress",
            unit.to_str().unwrap(),
            group.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("已导入 2 条进展记录"), "{err}");
    let written = root.join("content/plans/2024/progress/gongkai-gu-2024-06.yaml");
    let text = std::fs::read_to_string(&written).unwrap();
    assert!(
        text.contains("status: done") && text.contains("主动公开目录已更新"),
        "{text}"
    );
    assert!(
        root.join("content/plans/2024/progress/dongcheng-2024-06.yaml")
            .is_file()
    );
    let (code, err) = run(root, &["check"]);
    assert_eq!(code, 0, "{err}");

    // Unsigned, so not published until 三审.
    for (i, stage) in common::signing::STAGES.iter().enumerate() {
        let mut args = vec![
            "sign",
            "--pending",
            "--yes",
            "--stage",
            stage,
            "--date",
            "2024-06-28",
        ];
        let keys = common::signing::sign_args(i);
        args.extend(keys.iter().map(String::as_str));
        let (code, err) = run(root, &args);
        assert_eq!(code, 0, "{stage}: {err}");
    }
    let (code, err) = run(root, &["build", "--as-of", "2024-06-30"]);
    assert_eq!(code, 0, "{err}");
    let pages: Vec<String> = tree(&root.join("output"))
        .into_iter()
        .filter(|(p, b)| {
            p.ends_with(".html")
                && String::from_utf8_lossy(b).contains("主动公开目录已更新并在网站公开")
        })
        .map(|(p, _)| p)
        .collect();
    assert!(
        pages
            .iter()
            .any(|p| p.contains("2024") && p.contains("1-1")),
        "{pages:?}"
    );
    let pages: Vec<String> = tree(&root.join("output"))
        .into_iter()
        .filter(|(p, b)| {
            p.ends_with(".html") && String::from_utf8_lossy(b).contains("已按月更新公开专栏")
        })
        .map(|(p, _)| p)
        .collect();
    assert!(
        pages
            .iter()
            .any(|p| p.contains("2024") && p.contains("1-2")),
        "{pages:?}"
    );

    // Importing the same sheets again adds nothing and leaves every file as it was.
    let before = tree(&root.join("content"));
    let (code, err) = run(
        root,
        &[
            "import-progress",
            unit.to_str().unwrap(),
            group.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("已导入过，跳过 2 条"), "{err}");
    assert_eq!(before, tree(&root.join("content")));

    // The sheet made now shows the published status.
    let again = sheet(root, "gongkai-gu");
    let info = fill(
        &py,
        &again,
        r#"[["2024", "1-4", "gongkai-gu", {"J": "推进中", "K": "date:2024-06-25", "L": "第二批报送的进展。"}]]"#,
    );
    assert_eq!(info["current"]["2024/1-1/gongkai-gu"], "已完成", "{info}");

    // A later sheet of the same unit and month is appended to the file that now holds signed
    // records: its bytes stay as they were, so its signatures hold and it is still published.
    let signed = std::fs::read(&written).unwrap();
    let (code, err) = run(root, &["import-progress", again.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("已导入 1 条进展记录"), "{err}");
    let now = std::fs::read(&written).unwrap();
    assert!(
        now.len() > signed.len() && now.starts_with(&signed),
        "{}",
        String::from_utf8_lossy(&now)
    );
    let (code, err) = run(root, &["build", "--as-of", "2024-06-30"]);
    assert_eq!(code, 0, "{err}");
    let site_text: String = tree(&root.join("output"))
        .into_iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(_, b)| String::from_utf8_lossy(&b).into_owned())
        .collect();
    assert!(site_text.contains("主动公开目录已更新并在网站公开"));
    // The new record waits for 三审.
    assert!(!site_text.contains("第二批报送的进展"));
}

#[test]
fn every_mistake_at_once_and_nothing_written() {
    let Some(py) = office::python() else { return };
    let site = county();
    let root = site.path();
    let unit = sheet(root, "gongkai-gu");
    fill(
        &py,
        &unit,
        r#"[["2024", "1-1", "gongkai-gu", {"J": "差不多", "K": "date:2024-06-15", "L": "做了一些。"}],
            ["2024", "1-2", "gongkai-gu", {"J": "推进中", "K": "2024-13-01", "L": "在推进。"}],
            ["2024", "1-4", "gongkai-gu", {"J": "已完成", "K": "2099-01-01"}],
            ["2023", "1-1", "gongkai-gu", {"J": "已完成", "K": "2023-08-20", "L": "已编制。", "M": "目录"}]]"#,
    );
    let before = tree(root);
    let (code, err) = run(root, &["import-progress", unit.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    for want in [
        "工作表“报送表” 第4行 J列（进展状态）：不认识的进展状态 “差不多”",
        "第5行 K列（日期）：日期不存在：2024-13-01",
        "第6行 K列（日期）：日期 2099-01-01 晚于今天",
        "第6行 L列（进展情况）：选了进展状态却没有写进展情况",
        "第7行 N列（佐证材料链接）：写了佐证材料名称却没有链接",
        "改正：从下拉列表中选择：推进中、已完成、未开始",
        "发现 5 个问题，没有导入任何记录",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    assert!(err.contains("-报送表.xlsx 工作表"), "{err}");
    assert_eq!(before, tree(root));
}

#[test]
fn tampered_key_column_is_refused() {
    let Some(py) = office::python() else { return };
    let site = county();
    let root = site.path();
    let unit = sheet(root, "gongkai-gu");
    // Unhide column B and point the 1-1 row at task 1-3 (another unit's).
    fill(
        &py,
        &unit,
        r#"[["2024", "1-1", "gongkai-gu", {"B": "1-3", "J": "已完成", "K": "date:2024-06-15", "L": "完成。"}]]"#,
    );
    let before = tree(root);
    let (code, err) = run(root, &["import-progress", unit.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("第4行 D列（校验码）：隐藏的编号列"), "{err}");
    assert_eq!(before, tree(root));
}

#[test]
fn all_writes_one_file_per_unit_and_group_with_tasks() {
    let site = county();
    let root = site.path();
    let (code, err) = run(root, &["sheet", "--all", "--plan", "2024", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    let names: Vec<String> = tree(&root.join("out")).into_keys().collect();
    for want in [
        "gongkai-gu",
        "xian-caizheng",
        "ge-xiangzhen",
        "ge-gu",
        "dongcheng",
    ] {
        assert!(
            names.contains(&format!("{want}-报送表.xlsx")),
            "{want}: {names:?}"
        );
    }
    // Same input, same bytes.
    let first = tree(&root.join("out"));
    assert_eq!(
        run(root, &["sheet", "--all", "--plan", "2024", "--out", "out"]).0,
        0
    );
    assert_eq!(first, tree(&root.join("out")));
    let (code, err) = run(root, &["sheet", "--unit", "nobody"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("没有编号为 “nobody” 的单位"), "{err}");
}
