//! `gongkai sign` and `gongkai withdraw` never break the file they edit (issue 14, items 4–5):
//! the real binary on files shaped the way clerks write them (BOM, CRLF, comments, a quoted
//! multi-line summary whose next line reads `review:`, block scalars, flow-style records), every
//! refusal leaving the file byte for byte as it was, re-signing only with a reason kept in the
//! history, and a withdrawn item gone from every output.

use std::path::Path;

use crate::common;
use common::{default_site as site, gongkai_at, stderr, tree};

fn gongkai(root: &Path, args: &[&str]) -> (i32, String) {
    let o = gongkai_at(root, args);
    (o.status.code().unwrap_or(-1), stderr(&o))
}

const FILE: &str = "content/plans/2023/progress/test.yaml";

/// `gongkai sign TARGET --stage STAGE --date DATE` as example reviewer `who` (0, 1, 2), plus `extra`.
fn sign(
    root: &Path,
    target: &str,
    stage: &str,
    who: usize,
    date: &str,
    extra: &[&str],
) -> (i32, String) {
    let keys = common::signing::sign_args(who);
    let mut args = vec!["sign", target, "--stage", stage, "--date", date];
    args.extend(keys.iter().map(String::as_str));
    args.extend(extra);
    gongkai(root, &args)
}

/// The text a clerk's editor leaves: BOM, CRLF, comments everywhere, a double-quoted summary
/// continued on a line that starts with `review:`, a literal block, and a flow-style record.
fn clerk_file() -> String {
    let lf = [
        "# 测试进展：注释要原样保留",
        "format_version: 1",
        "records:",
        "  # 第一条",
        "  - id: quoted",
        "    task: 1-1-1",
        "    unit: fagai",
        "    date: 2023-09-01",
        "    status: 推进中   # 中文状态",
        "    summary: \"MARKER-QUOTED-1 多行摘要，",
        "      review: 这一行是摘要的一部分\"",
        "  - id: literal",
        "    task: 1-1-1",
        "    unit: jingxin",
        "    date: 2023-09-02",
        "    status: in_progress",
        "    summary: |",
        "      MARKER-LITERAL-2 第一行",
        "      第二行",
        "",
        "  # 流式写法的记录",
        "  - {id: flow, task: 1-1-1, unit: ziranziyuan, date: 2023-09-03, status: in_progress, summary: MARKER-FLOW-3}",
        "# 文件末尾",
        "",
    ]
    .join("\n");
    format!("\u{feff}{}", lf.replace('\n', "\r\n"))
}

/// `new` is `old` with lines added and nothing else: every line of `old`, in order, is in `new`.
fn only_added(old: &str, new: &str) -> Vec<String> {
    let mut added = Vec::new();
    let mut o = old.split_inclusive('\n').peekable();
    for l in new.split_inclusive('\n') {
        if o.peek() == Some(&l) {
            o.next();
        } else {
            added.push(l.to_string());
        }
    }
    assert!(o.next().is_none(), "a line of the original is gone:\n{new}");
    added
}

#[test]
fn sign_keeps_every_byte_it_does_not_own() {
    let s = site();
    let root = s.path();
    let path = root.join(FILE);
    let original = clerk_file();
    std::fs::write(&path, &original).unwrap();
    let (code, err) = gongkai(root, &["check"]);
    assert_eq!(code, 0, "{err}");
    for target in ["quoted", "literal"] {
        for (i, stage) in ["初审", "复审", "终审"].into_iter().enumerate() {
            let (code, err) = sign(
                root,
                &format!("{FILE}#{target}"),
                stage,
                i,
                "2023-09-20",
                &[],
            );
            assert_eq!(code, 0, "{target} {stage}: {err}");
        }
    }
    let now = std::fs::read_to_string(&path).unwrap();
    assert!(now.starts_with('\u{feff}'), "BOM lost");
    assert!(
        !now.replace("\r\n", "").contains('\n'),
        "a bare LF was written"
    );
    let added = only_added(&original, &now);
    assert_eq!(added.len(), 2 * 17, "{added:?}");
    assert!(added.iter().all(|l| l.starts_with("    ")), "{added:?}");
    assert!(now.contains("      review: 这一行是摘要的一部分\"\r\n    review:\r\n"));
    // Published as written: the summary kept its second line.
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(root.join("output/2023/tasks/1-1-1.html")).unwrap();
    assert!(
        page.contains("MARKER-QUOTED-1 多行摘要， review: 这一行是摘要的一部分"),
        "summary cut"
    );
    assert!(page.contains("MARKER-LITERAL-2"));
    assert!(
        !page.contains("MARKER-FLOW-3"),
        "the unsigned flow record is not published"
    );
}

#[test]
fn every_refused_sign_leaves_the_file_byte_identical() {
    let s = site();
    let root = s.path();
    let path = root.join(FILE);
    std::fs::write(&path, clerk_file()).unwrap();
    let q = format!("{FILE}#quoted");
    assert_eq!(sign(root, &q, "初审", 0, "2023-09-20", &[]).0, 0);
    let before = std::fs::read(&path).unwrap();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::hours(8 + 48))
        .format("%Y-%m-%d")
        .to_string();
    let other_key = common::signing::sign_args(2);
    let cases: Vec<(&str, Vec<String>, &str)> = vec![
        (
            "flow-style record",
            vec![
                format!("{FILE}#flow"),
                "初审".into(),
                "0".into(),
                "2023-09-20".into(),
            ],
            "流式写法",
        ),
        (
            "终审 before 复审",
            vec![q.clone(), "终审".into(), "2".into(), "2023-09-21".into()],
            "现在待复审，不能签终审",
        ),
        (
            "date in the future",
            vec![q.clone(), "复审".into(), "1".into(), tomorrow.clone()],
            "晚于今天",
        ),
        (
            "复审 dated before 初审",
            vec![q.clone(), "复审".into(), "1".into(), "2023-09-19".into()],
            "早于初审日期",
        ),
        (
            "dated before the record",
            vec![
                format!("{FILE}#literal"),
                "初审".into(),
                "0".into(),
                "2023-08-01".into(),
            ],
            "早于条目本身的日期",
        ),
        (
            "初审 again without --redo",
            vec![q.clone(), "初审".into(), "0".into(), "2023-09-21".into()],
            "--redo --reason",
        ),
        (
            "--redo without a reason",
            vec![
                q.clone(),
                "初审".into(),
                "0".into(),
                "2023-09-21".into(),
                "--redo".into(),
            ],
            "写明理由",
        ),
        (
            "same reviewer twice",
            vec![q.clone(), "复审".into(), "0".into(), "2023-09-21".into()],
            "不能签复审",
        ),
        (
            "不予公开 without a reason",
            vec![
                q.clone(),
                "复审".into(),
                "1".into(),
                "2023-09-21".into(),
                "--disclosure".into(),
                "不予公开".into(),
            ],
            "写明理由",
        ),
    ];
    for (name, a, expect) in &cases {
        let extra: Vec<&str> = a[4..].iter().map(String::as_str).collect();
        let (code, err) = sign(root, &a[0], &a[1], a[2].parse().unwrap(), &a[3], &extra);
        assert_ne!(code, 0, "{name}: accepted");
        assert!(err.contains(expect), "{name}: {err}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            before,
            "{name}: the file changed"
        );
    }
    // Someone else's key under a reviewer's name.
    let mut args = vec![
        "sign",
        q.as_str(),
        "--stage",
        "复审",
        "--date",
        "2023-09-21",
        "--as",
        "shili-fushen",
    ];
    args.extend(other_key[2..].iter().map(String::as_str));
    let (code, err) = gongkai(root, &args);
    assert_ne!(code, 0);
    assert!(err.contains("不是 \"shili-fushen\" 的"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // A record holding an ID number is not signed at all.
    let id_file = "content/plans/2023/progress/id.yaml";
    std::fs::write(
        root.join(id_file),
        "format_version: 1\nrecords:\n  - id: idno\n    task: 1-1-1\n    unit: fagai\n    date: 2023-09-01\n    status: done\n    summary: 联系人身份证号 11010519491231002X\n",
    )
    .unwrap();
    let id_before = std::fs::read(root.join(id_file)).unwrap();
    let (code, err) = sign(
        root,
        &format!("{id_file}#idno"),
        "初审",
        0,
        "2023-09-20",
        &[],
    );
    assert_ne!(code, 0);
    assert!(err.contains("疑似个人信息"), "{err}");
    assert_eq!(std::fs::read(root.join(id_file)).unwrap(), id_before);
}

#[test]
fn re_signing_needs_a_reason_and_is_kept_in_the_history() {
    let s = site();
    let root = s.path();
    let path = root.join(FILE);
    std::fs::write(&path, clerk_file()).unwrap();
    let q = format!("{FILE}#quoted");
    assert_eq!(sign(root, &q, "初审", 0, "2023-09-20", &[]).0, 0);
    assert_eq!(sign(root, &q, "复审", 1, "2023-09-21", &[]).0, 0);
    let (code, err) = sign(
        root,
        &q,
        "初审",
        0,
        "2023-09-22",
        &["--redo", "--reason", "初审时漏看了佐证"],
    );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("      history:\r\n        - action: redo\r\n          stage: first\r\n          reviewer: \"shili-chushen\"\r\n          date: 2023-09-22\r\n          reason: \"初审时漏看了佐证\"\r\n          replaced:\r\n            reviewer: \"shili-chushen\"\r\n            date: 2023-09-20\r\n"), "{text}");
    assert!(
        !text.contains("shili-fushen"),
        "复审 after a re-signed 初审 must be signed again"
    );
    let (code, err) = gongkai(root, &["review"]);
    assert_eq!(code, 0, "{err}");
    // The history is signed: changing its reason is a located error.
    let forged = text.replace("初审时漏看了佐证", "初审人签错了");
    std::fs::write(&path, forged).unwrap();
    let (code, err) = gongkai(root, &["check"]);
    assert_ne!(code, 0);
    assert!(err.contains("审核经过中重签的签名无效"), "{err}");
    assert!(err.contains("test.yaml:"), "{err}");
}

/// Every output file as text.
fn outputs(root: &Path) -> Vec<(String, String)> {
    tree(&root.join("output"))
        .into_iter()
        .map(|(p, b)| (p, String::from_utf8_lossy(&b).into_owned()))
        .collect()
}

#[test]
fn a_withdrawn_item_leaves_every_output_and_the_register_says_why() {
    let s = site();
    let root = s.path();
    std::fs::write(
        root.join(FILE),
        "format_version: 1\nrecords:\n  - id: out\n    task: 1-1-1\n    unit: fagai\n    date: 2023-09-01\n    status: done\n    summary: MARKER-WITHDRAW-8d1e\n  - id: stays\n    task: 1-1-1\n    unit: jingxin\n    date: 2023-09-01\n    status: in_progress\n    summary: MARKER-STAYS-2b7c\n",
    )
    .unwrap();
    for id in ["out", "stays"] {
        for (i, stage) in ["初审", "复审", "终审"].into_iter().enumerate() {
            assert_eq!(
                sign(root, &format!("{FILE}#{id}"), stage, i, "2023-09-20", &[]).0,
                0
            );
        }
    }
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    let out = outputs(root);
    let with: Vec<&String> = out
        .iter()
        .filter(|(_, t)| t.contains("MARKER-WITHDRAW-8d1e"))
        .map(|(p, _)| p)
        .collect();
    assert!(
        with.len() >= 4,
        "published in pages, feed and open data: {with:?}"
    );

    let target = format!("{FILE}#out");
    let withdraw = |who: usize, reason: &str| {
        let keys = common::signing::sign_args(who);
        let mut args = vec!["withdraw", target.as_str(), "--reason", reason];
        args.extend(keys.iter().map(String::as_str));
        gongkai(root, &args)
    };
    // Only a reviewer who may sign 终审 withdraws; the file stays as it was otherwise.
    let before = std::fs::read(root.join(FILE)).unwrap();
    let (code, err) = withdraw(0, "试试");
    assert_ne!(code, 0);
    assert!(err.contains("不能撤回"), "{err}");
    assert_eq!(std::fs::read(root.join(FILE)).unwrap(), before);
    let (code, err) = withdraw(2, "数据口径有误，待核实后重新发布");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("已撤回"), "{err}");
    // Withdrawing it again: it is no longer signed.
    let (code, err) = withdraw(2, "再撤一次");
    assert_ne!(code, 0);
    assert!(err.contains("无需撤回"), "{err}");

    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("将撤下已公开内容"), "{err}");
    assert!(err.contains("test.yaml#out"), "{err}");
    let out = outputs(root);
    assert!(out.len() > 100);
    for (p, t) in &out {
        assert!(
            !t.contains("MARKER-WITHDRAW-8d1e"),
            "withdrawn item still in {p}"
        );
    }
    assert!(
        out.iter().any(|(_, t)| t.contains("MARKER-STAYS-2b7c")),
        "the other record stays"
    );
    let reg = std::fs::read_to_string(root.join("output.publication-register.jsonl")).unwrap();
    let last = reg.lines().last().unwrap();
    assert!(
        last.contains("撤回") && last.contains("数据口径有误"),
        "{last}"
    );
    // The withdrawal cannot be undone by deleting it: the item is unsigned without its stages.
    let text = std::fs::read_to_string(root.join(FILE)).unwrap();
    let cut = text.find("      history:").unwrap();
    let stripped = format!(
        "{}{}",
        &text[..cut],
        &text[text[cut..].find("  - id: stays").unwrap() + cut..]
    );
    std::fs::write(root.join(FILE), stripped).unwrap();
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    for (p, t) in &outputs(root) {
        assert!(!t.contains("MARKER-WITHDRAW-8d1e"), "came back in {p}");
    }
}

#[test]
fn two_signers_at_once_both_land() {
    let s = site();
    let root = s.path();
    std::fs::write(root.join(FILE), clerk_file()).unwrap();
    let run = |id: &'static str, who: usize| {
        let root = root.to_path_buf();
        std::thread::spawn(move || {
            sign(
                &root,
                &format!("{FILE}#{id}"),
                "初审",
                who,
                "2023-09-20",
                &[],
            )
        })
    };
    for _ in 0..3 {
        std::fs::write(root.join(FILE), clerk_file()).unwrap();
        let a = run("quoted", 0);
        let b = run("literal", 0);
        let (ra, rb) = (a.join().unwrap(), b.join().unwrap());
        let text = std::fs::read_to_string(root.join(FILE)).unwrap();
        let signed = text.matches("first:").count();
        // Each either landed or was told to retry; what landed is all there and the file checks.
        assert_eq!(
            signed,
            usize::from(ra.0 == 0) + usize::from(rb.0 == 0),
            "{ra:?} {rb:?}\n{text}"
        );
        for r in [&ra, &rb] {
            assert!(r.0 == 0 || r.1.contains("被改动了"), "{r:?}");
        }
        let (code, err) = gongkai(root, &["check"]);
        assert_eq!(code, 0, "{err}");
    }
}

/// The register's published list as `plan#id` (records only).
fn register_records(root: &Path) -> Vec<String> {
    let reg = std::fs::read_to_string(root.join("output.publication-register.jsonl")).unwrap();
    let line = reg
        .lines()
        .rev()
        .find(|l| l.contains("\"published\""))
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    let mut out: Vec<String> = v["published"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["item"].as_str().unwrap().to_string())
        .filter(|i| !i.starts_with("page:"))
        .collect();
    out.sort();
    out
}

/// The records the built site shows, from its open data (`plan#id`).
fn site_records(root: &Path) -> Vec<String> {
    let csv = std::fs::read_to_string(root.join("output/data/progress.csv")).unwrap();
    let mut out: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let mut f = l.split(',');
            format!("{}#{}", f.next().unwrap(), f.next().unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_register_matches_the_site() {
    let s = site();
    let root = s.path();
    // A signed record dated after the pinned as-of date is on no page: not published.
    std::fs::write(
        root.join(FILE),
        "format_version: 1\nrecords:\n  - id: late\n    task: 1-1-1\n    unit: fagai\n    date: 2023-12-30\n    status: done\n    summary: MARKER-LATE-5e1a 晚于截至日期的记录\n",
    )
    .unwrap();
    for (i, stage) in ["初审", "复审", "终审"].into_iter().enumerate() {
        assert_eq!(
            sign(root, &format!("{FILE}#late"), stage, i, "2024-01-02", &[]).0,
            0
        );
    }
    let (code, err) = gongkai(root, &["build", "--as-of", "2023-12-01"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(register_records(root), site_records(root));
    let reg = std::fs::read_to_string(root.join("output.publication-register.jsonl")).unwrap();
    assert!(reg.contains("\"item\":\"2023#late\",\"path\":\"content/plans/2023/progress/test.yaml\",\"reason\":\"日期 2023-12-30 晚于数据截至日期 2023-12-01，站点上不显示\""), "{reg}");
    // Every entry says what the item is and who signed each stage when.
    let v: serde_json::Value =
        serde_json::from_str(reg.lines().find(|l| l.contains("\"published\"")).unwrap()).unwrap();
    let e = &v["published"][0];
    assert_eq!(e["stages"].as_array().unwrap().len(), 3, "{e}");
    for k in ["unit", "task", "text", "path"] {
        assert!(!e[k].as_str().unwrap().is_empty(), "{k} missing: {e}");
    }
    assert!(e["text"].as_str().unwrap().chars().count() <= 61);

    // Moving an unchanged record to another file is not a withdrawal.
    let bumen = root.join("content/plans/2023/progress/bumen.yaml");
    let text = std::fs::read_to_string(&bumen).unwrap();
    let start = text.find("  - id: sifa-2-1-2").unwrap();
    let end = start + 1 + text[start + 1..].find("  - id: ").unwrap();
    std::fs::write(&bumen, format!("{}{}", &text[..start], &text[end..])).unwrap();
    std::fs::write(
        root.join("content/plans/2023/progress/moved.yaml"),
        format!("format_version: 1\nrecords:\n{}", &text[start..end]),
    )
    .unwrap();
    let (code, err) = gongkai(root, &["build", "--as-of", "2023-12-01"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("将撤下"), "{err}");
    let last = std::fs::read_to_string(root.join("output.publication-register.jsonl")).unwrap();
    let last = last.lines().last().unwrap();
    assert!(last.contains("\"withdrawn\":[]"), "{last}");
    assert!(
        last.contains("\"path\":\"content/plans/2023/progress/moved.yaml\""),
        "{last}"
    );
    assert_eq!(register_records(root), site_records(root));

    // Deleting a published record: taken off, under the heading, with the reason.
    let text =
        std::fs::read_to_string(root.join("content/plans/2023/progress/moved.yaml")).unwrap();
    std::fs::remove_file(root.join("content/plans/2023/progress/moved.yaml")).unwrap();
    let (code, err) = gongkai(root, &["build", "--as-of", "2023-12-01"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("将撤下已公开内容（1 项"), "{err}");
    assert!(
        err.contains("2023#sifa-2-1-2（content/plans/2023/progress/moved.yaml）：已从内容中删除"),
        "{err}"
    );
    assert!(!text.is_empty());

    // The whole register for Excel: BOM, a header, one row per change.
    let (code, err) = gongkai(root, &["register", "--csv"]);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read(root.join("发布登记.csv")).unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"));
    let csv = String::from_utf8(csv).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert!(
        rows[0].contains(
            "生成时间,数据截至,操作,条目,文件,责任单位,任务,内容（前60字）,初审人,初审日期"
        )
    );
    assert!(
        rows.iter()
            .any(|r| r.contains(",撤下,2023#sifa-2-1-2,") && r.contains("已从内容中删除"))
    );
    assert!(rows.iter().any(|r| r.contains(",未发布,2023#late,")));
    assert!(
        rows.iter()
            .any(|r| r.contains(",发布,2023#sifa-2-1-2,") && r.contains("shili-zhongshen"))
    );
    let (code, out) = {
        let o = gongkai_at(root, &["register"]);
        (
            o.status.code().unwrap(),
            String::from_utf8_lossy(&o.stdout).into_owned(),
        )
    };
    assert_eq!(code, 0);
    assert!(
        out.contains("撤下 1 项") && out.contains("已从内容中删除"),
        "{out}"
    );
}

#[test]
fn registers_of_the_old_format_are_read_with_their_names_translated() {
    let s = site();
    let root = s.path();
    // A format-1 line as version 0.1 wrote it, naming a page and a record by file.
    std::fs::write(
        root.join("output.publication-register.jsonl"),
        "{\"time\":\"2023-10-01T10:00:00+08:00\",\"as_of\":\"2023-10-01\",\"output\":\"output\",\"count\":2,\"digest\":\"sha256:00\",\"published\":[{\"item\":\"content/plans/2023/progress/bumen.yaml#sifa-2-1-2\",\"final_by\":\"李主任\",\"final_date\":\"2023-09-03\",\"fingerprint\":null},{\"item\":\"content/plans/2023/progress/bumen.yaml#gone\",\"final_by\":null,\"final_date\":null,\"fingerprint\":null}],\"withdrawn\":[]}\n",
    )
    .unwrap();
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    // sifa-2-1-2 is still published (same name), only the record that no longer exists is taken off.
    assert!(err.contains("将撤下已公开内容（1 项"), "{err}");
    assert!(err.contains("2023#gone"), "{err}");
    let (code, err) = gongkai(root, &["register", "--csv", "reg.csv"]);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(root.join("reg.csv")).unwrap();
    assert!(
        csv.contains(
            ",发布,2023#sifa-2-1-2,content/plans/2023/progress/bumen.yaml,,,,,,,,李主任,2023-09-03"
        ),
        "{csv}"
    );
}
