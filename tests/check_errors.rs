//! `gongkai check` on one small fixture site per kind of content error, asserting the exact
//! text printed (path:line:col, the quoted line, the caret, the hint, the summary) and the exit
//! status of the real binary.
//!
//! Each fixture in `tests/fixtures/check/<case>/` is a copy of `valid/` (three units, one plan,
//! two tasks, one progress record) with one thing broken. Cases that need bytes a text file
//! cannot hold (GBK, BOM + CRLF) or a missing folder build their site in a temp dir.

use std::path::{Path, PathBuf};

use crate::common;
use common::{files, gongkai_at, temp_copy};

/// The fixture site of `case`.
fn fixture(case: &str) -> PathBuf {
    common::fixture("check").join(case)
}

/// Run `gongkai check <extra…> --root <root>`; returns (exit status, stderr).
fn check(root: &Path, extra: &[&str]) -> (i32, String) {
    let out = gongkai_at(root, &[&["check"], extra].concat());
    assert!(
        out.stdout.is_empty(),
        "check prints nothing to stdout, got {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stderr = String::from_utf8(out.stderr).expect("stderr is UTF-8");
    (out.status.code().expect("exit status"), stderr)
}

/// Check fixture `case` and compare everything it prints.
#[track_caller]
fn assert_case(case: &str, status: i32, expected: &str) {
    let (code, stderr) = check(&fixture(case), &[]);
    assert_eq!(stderr, expected, "stderr of case {case}");
    assert_eq!(code, status, "exit status of case {case}");
}

/// Copy a fixture site into a fresh temp dir (for cases that write odd bytes).
fn temp_fixture(case: &str) -> tempfile::TempDir {
    temp_copy(&fixture(case))
}

const VALID_SUMMARY: &str = "检查通过：1 份计划，2 项任务，3 个单位，0 个单位组，1 条进展记录。\n";

#[test]
fn valid_fixture_passes() {
    assert_case("valid", 0, VALID_SUMMARY);
}

#[test]
fn yaml_syntax_error() {
    assert_case(
        "yaml_syntax",
        1,
        r#"content/plans/2023/tasks/1.yaml:10:1: 错误：缩进没有对齐
 10 |        responsible_text: "x"
    | ^^^^^^^
  = 提示：这一行缩进 7 个空格，上一行是 8 个：同一层的键要上下对齐（只用空格）

发现 1 个错误，0 个警告。
"#,
    );
}

#[test]
fn unknown_field_with_suggestion() {
    assert_case(
        "unknown_field",
        1,
        r#"content/plans/2023/progress/fagai.yaml:7:5: 错误：未知的字段 "statsu"，是否指 "status"（进展状态）？
 7 |     statsu: in_progress
   |     ^^^^^^
  = 提示：这里可用的字段：id（记录编号）、task（任务编号）、unit（报送单位编号）、date（报送日期）、status（进展状态）、summary（进展摘要）、evidence（佐证材料（可选））、review（审核记录（可选））

发现 1 个错误，0 个警告。
"#,
    );
}

#[test]
fn wrong_type_text_for_number() {
    assert_case(
        "wrong_type",
        1,
        r#"content/plans/2023/tasks/1.yaml:3:11: 错误：类型不对：这里应为不小于 0 的整数，实际写的是 一
 3 |   number: 一
   |           ^^
  = 提示：检查这一项的写法；文本中含冒号等符号时请加引号

发现 1 个错误，0 个警告。
"#,
    );
}

#[test]
fn wrong_type_text_for_list() {
    assert_case(
        "wrong_type_list",
        1,
        r#"content/plans/2023/tasks/1.yaml:16:22: 错误：类型不对：这里应为列表（每项以“- ”开头），实际写的是 caizheng
 16 |         responsible: caizheng
    |                      ^^^^^^^^
  = 提示：检查这一项的写法；文本中含冒号等符号时请加引号

发现 1 个错误，0 个警告。
"#,
    );
}

#[test]
fn impossible_date() {
    assert_case(
        "impossible_date",
        1,
        r#"content/plans/2023/plan.yaml:1:1: 警告：plan.yaml 有错误：本计划的任务和进展已先按 2023 年检查（“年底前”等时限按这一年理解）
  = 提示：改正 plan.yaml 后再运行 gongkai check

content/plans/2023/plan.yaml:5:13: 错误：日期不存在：2023-02-30（2023年2月只有28天）；原件没有写明时写“未载明”
 5 | issue_date: 2023-02-30
   |             ^^^^^^^^^^

发现 1 个错误，1 个警告。
"#,
    );
}

#[test]
fn duplicate_key() {
    assert_case(
        "duplicate_key",
        1,
        r#"content/plans/2023/tasks/1.yaml:18:9: 错误：重复的键 "text"
 18 |         text: "重复的任务内容。"
    |         ^^^^
  = 提示：同一层里每个键只能写一次；删掉或合并重复的那一行

发现 1 个错误，0 个警告。
"#,
    );
}

#[test]
fn duplicate_unit_id() {
    assert_case(
        "duplicate_unit_id",
        1,
        r#"content/units.yaml:12:9: 错误：重复的单位编号 "fagai"
 12 |   - id: fagai
    |         ^^^^^
  = 提示：第 3 行已经用过这个编号；单位和单位组的编号都不能重复

发现 1 个错误，0 个警告。
"#,
    );
}

#[test]
fn duplicate_task_id() {
    // The id is quoted: the caret covers both quotes.
    assert_case(
        "duplicate_task_id",
        1,
        r#"content/plans/2023/tasks/1.yaml:13:13: 错误：重复的任务编号 "1-1-1"
 13 |       - id: "1-1-1"
    |             ^^^^^^^
  = 提示：content/plans/2023/tasks/1.yaml:8 已经用过这个编号

发现 1 个错误，0 个警告。
"#,
    );
}

#[test]
fn unknown_unit_id_in_task() {
    // The typo also leaves 市经信局 of the verbatim cell without its id: both are reported.
    assert_case(
        "unknown_unit",
        1,
        r#"content/plans/2023/tasks/1.yaml:10:33: 错误：原文点名的“市经信局”（jingxin）没有列入 responsible
 10 |         responsible_text: "市发改局、市经信局。"
    |                                      ^^^^^^^^
  = 提示：在任务 1-1-1 的 responsible 中加上 jingxin

content/plans/2023/tasks/1.yaml:11:30: 错误：未知的单位编号 "jingxi"，是否指 "jingxin"（市经信局）？
 11 |         responsible: [fagai, jingxi]
    |                              ^^^^^^
  = 提示：单位和单位组的编号在 content/units.yaml 中定义

发现 2 个错误，0 个警告。
"#,
    );
}

#[test]
fn unknown_task_id_in_progress() {
    assert_case(
        "unknown_task",
        1,
        r#"content/plans/2023/progress/fagai.yaml:4:11: 错误：未知的任务编号 "1-1-3"，是否指 "1-1-1"？
 4 |     task: 1-1-3
   |           ^^^^^
  = 提示：任务编号在本计划的 tasks/*.yaml 中定义

发现 1 个错误，0 个警告。
"#,
    );
}

#[test]
fn progress_from_unit_not_responsible() {
    assert_case(
        "unit_not_responsible",
        1,
        r#"content/plans/2023/progress/fagai.yaml:5:11: 错误：“市发改局”（fagai）不是任务 1-1-2 的责任单位
 5 |     unit: fagai
   |           ^^^^^
  = 提示：任务 1-1-2 的责任单位：市财政局

发现 1 个错误，0 个警告。
"#,
    );
}

#[test]
fn progress_dated_in_the_future() {
    // The message names today (Asia/Shanghai), as the binary computes it.
    let today = gongkai::cmd::today_shanghai().format("%Y-%m-%d");
    assert_case(
        "future_record",
        1,
        &format!(
            "content/plans/2023/progress/fagai.yaml:6:11: 错误：进展记录的日期 2099-08-01 晚于今天（{today}）
 6 |     date: 2099-08-01
   |           ^^^^^^^^^^
  = 提示：进展只能记录已经发生的事；检查年份和月份是否写错

发现 1 个错误，0 个警告。
"
        ),
    );
}

#[test]
fn empty_file() {
    assert_case(
        "empty_file",
        1,
        "content/plans/2023/progress/fagai.yaml:1:1: 错误：文件是空的
  = 提示：填写内容（参照 docs/content-format.md），或删除此文件

发现 1 个错误，0 个警告。
",
    );
}

#[test]
fn unit_named_in_cell_but_not_listed() {
    assert_case(
        "cell_unit_not_listed",
        1,
        r#"content/plans/2023/tasks/1.yaml:10:33: 错误：原文点名的“市经信局”（jingxin）没有列入 responsible
 10 |         responsible_text: "市发改局、市经信局。"
    |                                      ^^^^^^^^
  = 提示：在任务 1-1-1 的 responsible 中加上 jingxin

发现 1 个错误，0 个警告。
"#,
    );
}

#[test]
fn unit_listed_but_not_named_in_cell() {
    assert_case(
        "listed_unit_not_in_cell",
        1,
        r#"content/plans/2023/tasks/1.yaml:16:33: 错误：responsible 中的 "fagai"（市发改局）在原文中没有出现
 16 |         responsible: [caizheng, fagai]
    |                                 ^^^^^
  = 提示：结构化的单位须与原文一一对应；原文写法不同时，把它加为该单位的别名

发现 1 个错误，0 个警告。
"#,
    );
}

#[test]
fn three_errors_in_two_files_in_one_run() {
    // One parse error in the progress file does not hide the two findings in the tasks file.
    assert_case(
        "three_errors",
        1,
        r#"content/plans/2023/progress/fagai.yaml:6:11: 错误：日期不存在：2023-13-01（月份应为 1 到 12）
 6 |     date: 2023-13-01
   |           ^^^^^^^^^^

content/plans/2023/tasks/1.yaml:11:39: 错误：responsible 中的 "caizheng"（市财政局）在原文中没有出现
 11 |         responsible: [fagai, jingxin, caizheng]
    |                                       ^^^^^^^^
  = 提示：结构化的单位须与原文一一对应；原文写法不同时，把它加为该单位的别名

content/plans/2023/tasks/1.yaml:13:13: 错误：重复的任务编号 "1-1-1"
 13 |       - id: "1-1-1"
    |             ^^^^^^^
  = 提示：content/plans/2023/tasks/1.yaml:8 已经用过这个编号

发现 3 个错误，0 个警告。
"#,
    );
}

#[test]
fn warning_exits_zero_unless_denied() {
    let expected = r#"content/plans/2023/tasks/1.yaml:17:19: 警告：完成时限“视情况而定”无法自动解读，原样显示，不计逾期
 17 |         deadline: "视情况而定"
    |                   ^^^^^^^^^^^^
  = 提示：若有具体日期，加一行 deadline_date: 年-月-日

发现 0 个错误，1 个警告。
"#;
    assert_case("warning_deadline", 0, expected);
    let (code, stderr) = check(&fixture("warning_deadline"), &["--deny-warnings"]);
    assert_eq!((code, stderr.as_str()), (1, expected));
}

#[test]
fn gbk_encoded_file() {
    let site = temp_fixture("valid");
    let units = site.path().join("content/units.yaml");
    let text = std::fs::read_to_string(&units).unwrap();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    // The first non-UTF-8 byte is 市 of 市发改局 on line 4: `    name: 市发改局`.
    assert_eq!(&gbk[..4], b"form");
    std::fs::write(&units, &gbk).unwrap();
    let (code, stderr) = check(site.path(), &[]);
    assert_eq!(
        stderr,
        "content/units.yaml:4:11: 错误：文件不是 UTF-8 编码
  = 提示：文件看起来是 GBK（GB18030）编码：用记事本打开它，点“文件 → 另存为”，在“编码”里选 UTF-8 后保存（WPS、VS Code 等编辑器也有同样的选项）

发现 1 个错误，0 个警告。
"
    );
    assert_eq!(code, 1);
}

#[test]
fn invalid_utf8_that_is_not_gbk() {
    let site = temp_fixture("valid");
    let plan = site.path().join("content/plans/2023/plan.yaml");
    let mut bytes = std::fs::read(&plan).unwrap();
    bytes.extend_from_slice(b"cc: [\xff\xfe]\n");
    std::fs::write(&plan, &bytes).unwrap();
    let (code, stderr) = check(site.path(), &[]);
    assert_eq!(
        stderr,
        "content/plans/2023/plan.yaml:1:1: 警告：plan.yaml 有错误：本计划的任务和进展已先按 2023 年检查（“年底前”等时限按这一年理解）
  = 提示：改正 plan.yaml 后再运行 gongkai check

content/plans/2023/plan.yaml:7:6: 错误：文件不是 UTF-8 编码
  = 提示：请把文件另存为 UTF-8 编码

发现 1 个错误，1 个警告。
"
    );
    assert_eq!(code, 1);
}

#[test]
fn missing_content_folder_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stderr) = check(dir.path(), &[]);
    assert_eq!(
        stderr,
        format!(
            "错误：找不到内容文件夹 {}。请在站点文件夹中运行，或用 --root 指定包含 content/ 的文件夹。\n",
            dir.path().join("content").display()
        )
    );
    assert_eq!(code, 2);
}

/// Rewrite every YAML file of `root` with a UTF-8 BOM and CRLF line ends.
fn to_bom_crlf(root: &Path) {
    for path in files(&root.join("content"), &["yaml"]) {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
        std::fs::write(&path, bytes).unwrap();
    }
}

#[test]
fn bom_and_crlf_files_load_normally() {
    let site = temp_fixture("valid");
    to_bom_crlf(site.path());
    let units = std::fs::read(site.path().join("content/units.yaml")).unwrap();
    assert!(units.starts_with(b"\xEF\xBB\xBFformat_version: 1\r\n"));
    let (code, stderr) = check(site.path(), &[]);
    assert_eq!((code, stderr.as_str()), (0, VALID_SUMMARY));
}

#[test]
fn bom_and_crlf_do_not_shift_locations() {
    for case in [
        "unknown_field",
        "duplicate_task_id",
        "cell_unit_not_listed",
        "three_errors",
    ] {
        let lf = check(&fixture(case), &[]);
        let site = temp_fixture(case);
        to_bom_crlf(site.path());
        assert_eq!(check(site.path(), &[]), lf, "case {case} with BOM + CRLF");
    }
}

#[test]
fn library_report_matches_binary() {
    // `check_site` in-process renders what the binary prints (less the summary line).
    let checked = gongkai::check_site(&fixture("three_errors"), None).unwrap();
    assert_eq!(checked.report.errors(), 3);
    assert_eq!(checked.report.warnings(), 0);
    let (_, stderr) = check(&fixture("three_errors"), &[]);
    assert_eq!(
        format!("{}发现 3 个错误，0 个警告。\n", checked.report.render()),
        stderr
    );
    let at: Vec<(&str, u32, u32)> = checked
        .report
        .diagnostics
        .iter()
        .map(|d| (d.path.as_str(), d.line, d.col))
        .collect();
    assert_eq!(
        at,
        [
            ("content/plans/2023/progress/fagai.yaml", 6, 11),
            ("content/plans/2023/tasks/1.yaml", 11, 39),
            ("content/plans/2023/tasks/1.yaml", 13, 13),
        ]
    );
}

/// A required text written as `""` renders an empty heading or cell: a located error naming the
/// field and what to write instead (issue 13).
#[test]
fn empty_required_strings() {
    assert_case(
        "empty_strings",
        1,
        r#"content/plans/2023/tasks/1.yaml:7:12: 错误：重点工作任务名称（title）是空的
 7 |   - title: ""
   |            ^^
  = 提示：照原件逐字填写；原表没有“重点工作任务”这一级时，不写 subcategories，把任务直接列在 tasks 下

content/plans/2023/tasks/1.yaml:18:27: 错误：配合单位原文（cooperating_text）是空的
 18 |         cooperating_text: " "
    |                           ^^
  = 提示：照原件逐字填写；原表没有这一栏时，把这一行整行删去

发现 2 个错误，0 个警告。
"#,
    );
}

/// An as-of date before the plan's issue date, and a record after the as-of date: warnings
/// (the pages say the same, `tests/build_site.rs`).
#[test]
fn as_of_before_issue_date_and_records_after_it() {
    assert_case(
        "as_of_warnings",
        0,
        "content/plans/2023/plan.yaml:5:13: 警告：数据截至日期 2023-06-01 早于本计划的印发日期 2023-06-16
 5 | issue_date: 2023-06-16
   |             ^^^^^^^^^^
  = 提示：检查 content/site.yaml 的 as_of 或命令行 --as-of；页面上会注明这一点

content/plans/2023/progress/fagai.yaml:6:11: 警告：进展记录的日期 2023-08-01 晚于数据截至日期 2023-06-01，不计入完成情况
 6 |     date: 2023-08-01
   |           ^^^^^^^^^^
  = 提示：要计入，把 content/site.yaml 的 as_of 改到这一天或以后（或删去 as_of，按今天计算）；页面上会注明未计入的条数

发现 0 个错误，2 个警告。
",
    );
}

/// The first mistakes a clerk makes on a Chinese IME, each alone in the valid fixture's progress
/// record: accepted (Chinese values) or one precise Chinese message pointing at the character to
/// fix, with a hint that names no tool a Windows user lacks.
#[test]
fn chinese_first_mistakes_are_accepted_or_explained() {
    const RECORD: &str = "progress/fagai.yaml";
    /// (replace, with, what check says: `None` accepted, or the message line's end and the hint).
    type Case<'a> = (&'a str, &'a str, Option<(&'a str, &'a str)>);
    let cases: &[Case] = &[
        // (replace, with, None = accepted | Some((message line, hint)))
        ("status: in_progress", "status: 推进中", None),
        ("status: in_progress", "status: 已完成", None),
        (
            "status: in_progress",
            "状态: 已完成",
            Some((
                "fagai.yaml:7:5: 错误：字段名要用英文：“状态”请写作 status",
                "这里可用的字段：id（记录编号）",
            )),
        ),
        (
            "unit: fagai",
            "unit： fagai",
            Some((
                "fagai.yaml:5:9: 错误：冒号写成了全角“：”",
                "键后面要用半角冒号并空一格：unit: …（先切换到英文输入法再输入冒号）",
            )),
        ),
        (
            "    status: in_progress",
            "\tstatus: in_progress",
            Some((
                "fagai.yaml:7:1: 错误：这一行用 Tab 缩进",
                "YAML 只能用空格缩进：把 Tab 换成空格",
            )),
        ),
        (
            "summary: （示例）按月发布经济运行情况。",
            "summary: 说明: 按月发布",
            Some((
                "fagai.yaml:8:16: 错误：值里含有“: ”（冒号加空格），会被当成新的键",
                "给整段文字加上半角引号：summary: \"说明: 按月发布\"",
            )),
        ),
        (
            "summary: （示例）按月发布经济运行情况。",
            "summary: “说明: 按月发布”",
            Some((
                "错误：值里含有“: ”（冒号加空格），会被当成新的键",
                "中文引号“”不起作用，要用半角引号把整段括起来：summary: \"说明: 按月发布\"",
            )),
        ),
        (
            "status: in_progress",
            "status:done",
            Some((
                "fagai.yaml:7:11: 错误：冒号后面缺少空格",
                "写成 status: done（冒号后空一格）",
            )),
        ),
        (
            "  - id: fagai-1-1-1",
            "  -id: fagai-1-1-1",
            Some((
                "fagai.yaml:3:3: 错误：“-”后面缺少空格",
                "列表的每一项写成“- id: fagai-1-1-1”",
            )),
        ),
        (
            "    task: 1-1-1",
            "     task: 1-1-1",
            Some((
                "fagai.yaml:4:1: 错误：缩进没有对齐",
                "这一行缩进 5 个空格，上一行是 4 个",
            )),
        ),
        (
            "status: in_progress",
            "status: finished",
            Some((
                "不认识的取值 \"finished\"",
                "可选的取值：not_started 或 未开始、in_progress 或 推进中、done 或 已完成",
            )),
        ),
        (
            "unit: fagai",
            "unit: 市发展和改革局",
            Some((
                "错误：未知的单位编号 \"市发展和改革局\"，是否指“市发改局”（编号 fagai）？",
                "单位和单位组的编号在 content/units.yaml 中定义",
            )),
        ),
    ];
    for (from, to, expect) in cases {
        let site = temp_fixture("valid");
        let p = site.path().join("content/plans/2023").join(RECORD);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{from}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
        let (code, stderr) = check(site.path(), &[]);
        match expect {
            None => assert_eq!((code, stderr.as_str()), (0, VALID_SUMMARY), "{to}"),
            Some((msg, hint)) => {
                assert_eq!(code, 1, "{to}: {stderr}");
                assert_eq!(stderr.matches("错误：").count(), 1, "{to}: {stderr}");
                let first = stderr.lines().next().unwrap();
                assert!(first.ends_with(msg), "{to}: {stderr}");
                let hint_line = stderr.lines().find(|l| l.contains("= 提示：")).unwrap();
                assert!(hint_line.contains(hint), "{to}: {stderr}");
                assert!(
                    !stderr.contains("iconv") && !stderr.contains("simple key"),
                    "{stderr}"
                );
            }
        }
    }
}

/// Mistakes in several records of one file are all reported in one run: a wrong value does not
/// hide the rest of the file (the value, or its whole record when need be, is set aside and the
/// file read again), and setting one aside never invents an error of its own.
#[test]
fn every_wrong_value_in_a_file_is_reported_in_one_run() {
    let site = temp_fixture("valid");
    let p = site.path().join("content/plans/2023/progress/fagai.yaml");
    let mut text = std::fs::read_to_string(&p).unwrap();
    let rec = |id: &str, date: &str, status: &str, extra: &str| {
        format!(
            "  - id: {id}\n    task: 1-1-1\n    unit: fagai\n    date: {date}\n    status: {status}\n{extra}"
        )
    };
    text.push_str(&rec("m-1", "2023-13-01", "done", "    summary: 完成\n"));
    text.push_str(&rec("m-2", "2023-07-01", "finished", "    summary: 完成\n"));
    text.push_str(&rec(
        "m-3",
        "2023-07-01",
        "done",
        "    状态: 完成\n    summary: 完成\n",
    ));
    text.push_str(&rec("m-4", "2023-07-01", "done", ""));
    text.push_str(&rec(
        "m-5",
        "2023-07-01",
        "done",
        "    summary: [a, b]\n    evidence: 文件\n",
    ));
    text.push_str(&rec("m-6", "2023-07-01", "已完成", "    summary: 完成\n"));
    std::fs::write(&p, text).unwrap();
    let (code, stderr) = check(site.path(), &[]);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(" 错误：")).collect();
    let f = "content/plans/2023/progress/fagai.yaml";
    assert_eq!(
        errors,
        [
            format!("{f}:12:11: 错误：日期不存在：2023-13-01（月份应为 1 到 12）"),
            format!("{f}:19:13: 错误：不认识的取值 \"finished\""),
            format!("{f}:26:5: 错误：字段名要用英文：“状态”请写作 status"),
            format!("{f}:32:5: 错误：缺少必填字段 \"summary\"（进展摘要）"),
            format!("{f}:38:14: 错误：类型不对：这里应为文本，实际写的是列表"),
            format!("{f}:39:15: 错误：类型不对：这里应为列表（每项以“- ”开头），实际写的是 文件"),
        ],
        "{stderr}"
    );
    assert_eq!(code, 1);
}

/// A duplicate record id is reported at the newer record (here in a file read first), with the
/// record that keeps the id in the hint.
#[test]
fn a_duplicate_record_id_is_reported_at_the_newer_record() {
    let site = temp_fixture("valid");
    let dir = site.path().join("content/plans/2023/progress");
    std::fs::write(
        dir.join("0-new.yaml"),
        "format_version: 1\nrecords:\n  - id: fagai-1-1-1\n    task: 1-1-1\n    unit: fagai\n    date: 2023-09-01\n    status: done\n    summary: 新的一条。\n",
    )
    .unwrap();
    let (code, stderr) = check(site.path(), &[]);
    assert_eq!(
        stderr.lines().next().unwrap(),
        "content/plans/2023/progress/0-new.yaml:3:9: 错误：重复的记录编号 \"fagai-1-1-1\"",
        "{stderr}"
    );
    assert!(
        stderr.contains("= 提示：content/plans/2023/progress/fagai.yaml:3 已经用过这个编号（2023-08-01）；给这条新记录另起一个编号"),
        "{stderr}"
    );
    assert_eq!(stderr.matches(" 错误：").count(), 1, "{stderr}");
    assert_eq!(code, 1);
}

/// A broken plan.yaml does not hide the mistakes of the plan's task and progress files.
#[test]
fn a_broken_plan_file_does_not_hide_the_other_files_mistakes() {
    let site = temp_fixture("valid");
    let plan = site.path().join("content/plans/2023");
    let p = plan.join("plan.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, text.replacen("year: 2023", "year: 二〇二三", 1)).unwrap();
    let q = plan.join("progress/fagai.yaml");
    let text = std::fs::read_to_string(&q).unwrap();
    let text = text.replacen("status: in_progress", "status: finished", 1)
        + "  - id: r-2\n    task: 9-9-9\n    unit: fagai\n    date: 2023-08-01\n    status: done\n    summary: 任务编号写错。\n";
    std::fs::write(&q, text).unwrap();
    let (code, stderr) = check(site.path(), &[]);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(" 错误：")).collect();
    assert_eq!(errors.len(), 3, "{stderr}");
    assert!(
        errors[0].starts_with("content/plans/2023/plan.yaml:"),
        "{stderr}"
    );
    assert!(
        errors[1].starts_with("content/plans/2023/progress/fagai.yaml:7:13: 错误：不认识的取值"),
        "{stderr}"
    );
    // The progress record's task is checked against the plan's tasks all the same.
    assert!(
        errors[2].starts_with(
            "content/plans/2023/progress/fagai.yaml:10:11: 错误：未知的任务编号 \"9-9-9\""
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("plan.yaml 有错误：本计划的任务和进展已先按 2023 年检查"),
        "{stderr}"
    );
    assert_eq!(code, 1);
}

/// Twenty mistakes of every kind planted across five files (one YAML syntax error at most per
/// file, last in it, as parsing stops there): one `check` run reports each at its place, and
/// nothing else — a record or unit that could not be read is not reported as unknown where
/// another file refers to it.
#[test]
fn twenty_mistakes_in_five_files_are_reported_in_one_run() {
    let site = temp_fixture("valid");
    let c = site.path().join("content");
    let write = |rel: &str, text: &str| std::fs::write(c.join(rel), text).unwrap();
    write(
        "site.yaml",
        "format_version: 1
title: 测试市政务公开工作要点落实情况
base_url: https://www.example.gov.cn/zwgk/
as_of: 2023-09-31
production: 是
stale_days: 30
portal:
  site_name: 测试市人民政府网站（示例）
  domain: www.example.gov.cn
  site_id_code: 示例标识码0000000000
  sponsor: 测试市人民政府办公室（示例）
  icp: 示例：蜀ICP备00000000号
  police_record: 示例：川公网安备00000000000000号
  contact: 示例：测试市人民政府办公室
",
    );
    write(
        "units.yaml",
        "format_version: 1
units:
  - id: fagai
    name: 市发改局
    kind: department
  - id: sifa
    name: 市司法局
    kind: bureau
  - id: jingxin
    name: 市经信局
    kind: 部门
  - id: jingxin
    name: 市经济和信息化局
    kind: department
groups:
  - id: zu-1
    name: 市直有关部门
    members: [fagai, wsj]
  - id: zu-2
    name： 各乡镇
    members: [fagai]
",
    );
    write(
        "plans/2023/plan.yaml",
        "format_version: 1
title: 2023年全市政务公开工作要点分工表
year: 2023年
issuer: 测试市人民政府办公室
issue_date: 2023-06-31
issuer_name: 办公室
disclosure: 主动公开
",
    );
    write(
        "plans/2023/tasks/1.yaml",
        "format_version: 1
category:
  number: 1
  title: 加大主动公开力度
tasks:
  - id: \"1-1\"
    text: 聚焦推动经济运行整体好转。
    lead: [fagai]
    cooperating: [jingxin, wjw]
    deadline: 及时公开
  - id: \"1-2\"
    text: 做好助企纾困信息公开。
    responsible: [fagai]
    deadline_date: 2023-02-29
  - id: \"1-1\"
    text: 公开规范性文件。
    responsible: [sifa]
  - id: \"1-3\"
    text: 公开第 3 #号文件的解读。
    responsible: [fagai]
  - id: \"1-4\"
    text: 注意: 按时公开
    responsible: [fagai]
",
    );
    write(
        "plans/2023/progress/fagai.yaml",
        "format_version: 1
records:
  - id: r-1
    task: \"1-1\"
    unit: fagai
    date: 2023-08-01
    status: 完了
    summary: 已发布。
  - id: r-2
    task: \"1-1\"
    unit: fagai
    date: 2099-01-01
    status: 推进中
    summary: 已发布。
  - id: r-3
    task: 9-9-9
    unit: fagai
    date: 2023-08-01
    status: 已完成
    summary: 已发布。
  - id: r-4
    task: \"1-3\"
    unit: jingxin
    date: 2023-08-01
    status: 已完成
    summary: 已发布。
  - id: r-5
    task: \"1-2\"
    unit: fagai
    date: 2023-08-01
    status: 已完成
    summary: 写给因日期有误而没有读入的任务，不报未知任务。
  - id: r-6
    task: \"1-1\"
    unit: sifa
    date: 2023-08-01
    status: 已完成
    summary: 写自因类别有误而没有读入的单位，不报未知单位。
  - id: r-7
    task: \"1-4\"
    unit: fagai
    date: 2023-08-01
    status: 已完成
    summary: 写给语法错误之后没有读入的任务，不报未知任务。
  - id: r-8
    task: \"1-1\"
    unit: fagai
    date: 2023-08-02
    status: 推进中
    summary: 第一条。
  - id: r-8
    task: \"1-1\"
    unit: fagai
    date: 2023-08-05
    status: 推进中
    summary: 编号重复的较新一条。
",
    );
    let (code, stderr) = check(site.path(), &[]);
    let errors: Vec<&str> = stderr.lines().filter(|l| l.contains(" 错误：")).collect();
    let planted = [
        ("content/site.yaml:4:", "日期不存在"),
        ("content/site.yaml:5:", ""),
        ("content/site.yaml:6:", "stale_days"),
        ("content/units.yaml:8:", "bureau"),
        ("content/units.yaml:12:", "重复"),
        ("content/units.yaml:18:", "wsj"),
        ("content/units.yaml:20:", "冒号"),
        ("content/plans/2023/plan.yaml:3:", ""),
        ("content/plans/2023/plan.yaml:5:", "日期不存在"),
        ("content/plans/2023/plan.yaml:6:", "issuer_name"),
        ("content/plans/2023/tasks/1.yaml:9:", "wjw"),
        ("content/plans/2023/tasks/1.yaml:14:", "日期不存在"),
        ("content/plans/2023/tasks/1.yaml:15:", "重复"),
        ("content/plans/2023/tasks/1.yaml:19:", "#"),
        ("content/plans/2023/tasks/1.yaml:22:", ""),
        ("content/plans/2023/progress/fagai.yaml:7:", "完了"),
        ("content/plans/2023/progress/fagai.yaml:12:", "晚于今天"),
        ("content/plans/2023/progress/fagai.yaml:16:", "9-9-9"),
        ("content/plans/2023/progress/fagai.yaml:23:", "不是任务"),
        (
            "content/plans/2023/progress/fagai.yaml:51:",
            "重复的记录编号",
        ),
    ];
    for (at, says) in planted {
        assert!(
            errors.iter().any(|e| e.starts_with(at) && e.contains(says)),
            "not reported: {at} {says}\n{stderr}"
        );
    }
    assert_eq!(errors.len(), planted.len(), "{stderr}");
    assert_eq!(code, 1);
}
