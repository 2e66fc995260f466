//! The three-review gate, sign-off fingerprints and the pre-publication privacy check, tested
//! through the real binary on a copy of the default content.

use std::path::Path;

use crate::common;
use common::{default_site as site, gongkai_at, repo, stderr, tree};

/// Run `gongkai <args…> --root <root>`; returns (exit status, stderr).
fn gongkai(root: &Path, args: &[&str]) -> (i32, String) {
    let o = gongkai_at(root, args);
    (o.status.code().unwrap_or(-1), stderr(&o))
}

fn replace(path: &Path, from: &str, to: &str) {
    let s = std::fs::read_to_string(path).unwrap();
    assert!(s.contains(from), "{from} not in {}", path.display());
    std::fs::write(path, s.replacen(from, to, 1)).unwrap();
}

/// Every output file (HTML, XML, JSON, CSV …) as text, by relative path.
fn all_output(dir: &Path) -> Vec<(String, String)> {
    tree(dir)
        .into_iter()
        .map(|(path, bytes)| (path, String::from_utf8_lossy(&bytes).into_owned()))
        .collect()
}

/// `gongkai sign TARGET --stage … <extra…>` by the example reviewer of each of the three stages.
fn sign_stages(root: &Path, target: &str, extra: &[&str]) {
    for (i, stage) in common::signing::STAGES.iter().enumerate() {
        let who = common::signing::sign_args(i);
        let mut args = vec!["sign", target, "--stage", stage, "--date", "2023-09-20"];
        args.extend(who.iter().map(String::as_str));
        args.extend(extra);
        let (code, err) = gongkai(root, &args);
        assert_eq!(code, 0, "{err}");
    }
}

fn sign_all(root: &Path, target: &str) {
    sign_stages(root, target, &[]);
}

#[test]
fn nothing_unsigned_withheld_or_edited_after_signing_reaches_any_output() {
    let s = site();
    let root = s.path();
    let progress = root.join("content/plans/2023/progress/test.yaml");
    std::fs::write(
        &progress,
        "format_version: 1\nrecords:\n  - id: unsigned-1\n    task: 1-1-1\n    unit: fagai\n    date: 2023-09-01\n    status: in_progress\n    summary: MARKER-UNSIGNED-7f3a\n  - id: withheld-1\n    task: 1-1-1\n    unit: jingxin\n    date: 2023-09-02\n    status: in_progress\n    summary: MARKER-WITHHELD-91bc\n  - id: edited-1\n    task: 1-1-1\n    unit: ziranziyuan\n    date: 2023-09-03\n    status: in_progress\n    summary: 原文 MARKER-SIGNED-OK-55d0\n",
    )
    .unwrap();
    let file = "content/plans/2023/progress/test.yaml";
    sign_all(root, &format!("{file}#edited-1"));
    sign_stages(
        root,
        &format!("{file}#withheld-1"),
        &["--disclosure", "不予公开", "--reason", "涉及个人信息"],
    );
    // A signed record is published…
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    let out = all_output(&root.join("output"));
    assert!(
        out.iter().any(|(_, t)| t.contains("MARKER-SIGNED-OK-55d0")),
        "the signed record is published"
    );
    // …until its text changes after 终审.
    replace(
        &progress,
        "原文 MARKER-SIGNED-OK-55d0",
        "改动后 MARKER-EDITED-c4e2",
    );
    let (code, err) = gongkai(root, &["check"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("进展记录 \"edited-1\" 在终审后内容有改动，签发已失效，退回待初审"),
        "{err}"
    );
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("test.yaml#unsigned-1：待初审"), "{err}");
    assert!(
        err.contains("test.yaml#withheld-1：公开属性为不予公开"),
        "{err}"
    );
    assert!(
        err.contains("test.yaml#edited-1：终审后内容有改动，须重新审核"),
        "{err}"
    );
    let out = all_output(&root.join("output"));
    assert!(out.len() > 100);
    for marker in [
        "MARKER-UNSIGNED-7f3a",
        "MARKER-WITHHELD-91bc",
        "MARKER-EDITED-c4e2",
        "MARKER-SIGNED-OK-55d0",
        "示例初审人",
        "shili-chushen",
        "涉及个人信息",
    ] {
        for (path, text) in &out {
            assert!(!text.contains(marker), "{marker} leaked into {path}");
        }
    }
    // The publication register sits beside the output, records the sign-off, and the withdrawal.
    // (Each publication is a `prepared` entry before the swap and a `committed` one after.)
    let reg = std::fs::read_to_string(root.join("output.publication-register.jsonl")).unwrap();
    let lines: Vec<&str> = reg
        .lines()
        .filter(|l| l.contains("\"event\":\"committed\""))
        .collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].contains("\"item\":\"2023#edited-1\"") && lines[0].contains("shili-zhongshen")
    );
    assert!(
        lines[1].contains("\"withdrawn\":[{\"item\":\"2023#edited-1\",\"path\":\"content/plans/2023/progress/test.yaml\",\"reason\":\"终审后内容有改动\"}]"),
        "{}",
        lines[1]
    );
    // A rebuild that publishes the same list records a short line with the same digest.
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    let reg = std::fs::read_to_string(root.join("output.publication-register.jsonl")).unwrap();
    let lines: Vec<&str> = reg
        .lines()
        .filter(|l| l.contains("\"event\":\"committed\""))
        .collect();
    assert_eq!(lines.len(), 3);
    let digest = |l: &str| l[l.find("\"digest\":").unwrap()..][..80].to_string();
    assert!(lines[2].contains("\"unchanged\":true") && !lines[2].contains("\"published\""));
    assert_eq!(digest(lines[2]), digest(lines[1]));
    assert!(lines[2].contains("\"withdrawn\":[]"), "{}", lines[2]);

    // The preview shows all three, badged with what they wait for.
    let files = gongkai::serve::build_preview(root, None).unwrap();
    let page = String::from_utf8_lossy(&files["2023/tasks/1-1-1.html"]).into_owned();
    for (marker, badge) in [
        ("MARKER-UNSIGNED-7f3a", "待初审"),
        ("MARKER-WITHHELD-91bc", "不予公开"),
        ("MARKER-EDITED-c4e2", "待初审"),
    ] {
        let at = page
            .find(marker)
            .unwrap_or_else(|| panic!("{marker} missing from the preview"));
        let head = &page[..at];
        let item = &head[head.rfind("<li").unwrap()..];
        assert!(
            item.contains(&format!("class=badge>{badge}</span>")),
            "{marker}: {item}"
        );
    }
    assert!(page.contains("预览版，未经三审，不得对外发布"));
    assert!(page.contains("noindex"));
    let queue = String::from_utf8_lossy(&files["review.html"]).into_owned();
    assert!(
        queue.contains("待初审")
            && queue.contains("test.yaml#unsigned-1")
            && queue.contains("终审后内容有改动")
    );
}

#[test]
fn trail_errors_are_located() {
    let s = site();
    let root = s.path();
    let p = root.join("content/plans/2023/progress/bad.yaml");
    std::fs::write(
        &p,
        "format_version: 1\nrecords:\n  - id: bad-1\n    task: 1-1-1\n    unit: fagai\n    date: 2023-09-01\n    status: done\n    summary: x\n    review:\n      disclosure: 主动公开\n      first:\n        by: 甲\n        date: 2023-09-05\n      final:\n        by: 丙\n        date: 2023-09-04\n  - id: bad-2\n    task: 1-1-1\n    unit: fagai\n    date: 2023-09-01\n    status: done\n    summary: y\n    review:\n      disclosure: 不予公开\n",
    )
    .unwrap();
    let (code, err) = gongkai(root, &["check"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("content/plans/2023/progress/bad.yaml:13:15: 错误：初审是旧格式（只写了审核人姓名，没有密钥签名），不再有效"),
        "{err}"
    );
    assert!(
        err.contains("content/plans/2023/progress/bad.yaml:16:15: 错误：终审是旧格式"),
        "{err}"
    );
    assert!(
        err.contains("content/plans/2023/progress/bad.yaml:24:19: 错误：不予公开须写明理由"),
        "{err}"
    );
}

#[test]
fn a_planted_id_number_stops_the_publishing_build_masked_and_located() {
    let s = site();
    let root = s.path();
    let (code, _) = gongkai(root, &["build"]);
    assert_eq!(code, 0);
    let before = std::fs::read(root.join("output/index.html")).unwrap();
    // In the plan itself (always published).
    replace(
        &root.join("content/plans/2023/tasks/4.yaml"),
        "加强政府网站日常监管，",
        "加强政府网站日常监管（联系人身份证11010519491231002X），",
    );
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("content/plans/2023/tasks/4.yaml:"), "{err}");
    assert!(
        err.contains("错误：发现疑似居民身份证号：1101**********002X"),
        "{err}"
    );
    assert!(
        !err.contains("11010519491231002X"),
        "never shown in full: {err}"
    );
    assert!(err.contains("拒绝发布"), "{err}");
    assert_eq!(
        std::fs::read(root.join("output/index.html")).unwrap(),
        before,
        "old output intact"
    );
    let (code, err) = gongkai(root, &["check"]);
    assert_eq!(code, 1);
    assert!(err.contains("发现疑似居民身份证号"), "{err}");

    // The allow-list silences it, and check still lists it as allowed with the reason.
    std::fs::write(
        root.join("content/allowlist.yaml"),
        "format_version: 1\nallow:\n  - phrase: \"11010519491231002X\"\n    file: content/plans/2023/tasks/4.yaml\n    reason: 测试：公开的示例号码\n",
    )
    .unwrap();
    let (code, err) = gongkai(root, &["check"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("已放行：疑似居民身份证号：1101**********002X（理由：测试：公开的示例号码）"),
        "{err}"
    );
    std::fs::remove_file(root.join("content/allowlist.yaml")).unwrap();
    replace(
        &root.join("content/plans/2023/tasks/4.yaml"),
        "（联系人身份证11010519491231002X）",
        "",
    );

    // In an unsigned record: check reports it, the build holds the record back and succeeds.
    replace(
        &root.join("content/plans/2023/progress/bumen.yaml"),
        "（示例）联合个体劳动者协会开展政策宣讲2场。",
        "（示例）联合个体劳动者协会开展政策宣讲2场，联系人手机13812345678。",
    );
    let (code, err) = gongkai(root, &["check"]);
    assert_eq!(code, 1);
    assert!(err.contains("发现疑似手机号码：138****5678"), "{err}");
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 0, "an unpublished record does not block: {err}");
    // Nothing with a finding is signed.
    let target = "content/plans/2023/progress/bumen.yaml#shichang-2-2-2";
    let who = common::signing::sign_args(0);
    let mut args = vec!["sign", target, "--stage", "初审", "--date", "2023-09-20"];
    args.extend(who.iter().map(String::as_str));
    let before_sign = std::fs::read(root.join("content/plans/2023/progress/bumen.yaml")).unwrap();
    let (code, err) = gongkai(root, &args);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("不能签署") && err.contains("138****5678"),
        "{err}"
    );
    assert!(!err.contains("13812345678"), "{err}");
    assert_eq!(
        std::fs::read(root.join("content/plans/2023/progress/bumen.yaml")).unwrap(),
        before_sign,
        "the file is not touched"
    );
    // Signed while an allow-list entry covered the number, then the entry is withdrawn: the
    // finding blocks the build.
    std::fs::write(
        root.join("content/allowlist.yaml"),
        "format_version: 1\nallow:\n  - phrase: \"13812345678\"\n    file: content/plans/2023/progress/bumen.yaml\n    reason: 测试\n",
    )
    .unwrap();
    sign_all(root, target);
    std::fs::remove_file(root.join("content/allowlist.yaml")).unwrap();
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("bumen.yaml:") && err.contains("138****5678"),
        "{err}"
    );
}

#[test]
fn default_content_has_signed_and_unsigned_records() {
    let (code, err) = gongkai(repo(), &["check"]);
    assert_eq!(code, 0, "{err}");
    let s = site();
    let (code, err) = gongkai(s.path(), &["build"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("未发布 "), "some examples are unsigned: {err}");
    let home = std::fs::read_to_string(s.path().join("output/index.html")).unwrap();
    assert!(
        home.contains("白沙镇政策咨询事项"),
        "a signed example is published"
    );
    assert!(!home.contains("待初审") && !home.contains("预览版"));
}

/// The output scan's digest (beside the output, never inside it) lets a rebuild skip files
/// whose bytes are unchanged; it changes with the word list and the allow-list, so a rebuild
/// after such a change scans everything again, and a refused build leaves it as it was.
#[test]
fn the_output_scan_digest_follows_the_word_list_and_the_allow_list() {
    let s = site();
    let root = s.path();
    let digest_file = root.join("output.privacy-scan-digest");
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    let first = std::fs::read_to_string(&digest_file).unwrap();
    assert_eq!(first.trim().len(), 64, "{first}");
    assert!(!root.join("output/output.privacy-scan-digest").exists());
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read_to_string(&digest_file).unwrap(), first);
    // Another allow-list: another digest.
    std::fs::write(
        root.join("content/allowlist.yaml"),
        "format_version: 1\nallow:\n  - phrase: \"0818-8621234\"\n    file: content/site.yaml\n    reason: 测试\n",
    )
    .unwrap();
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    let second = std::fs::read_to_string(&digest_file).unwrap();
    assert_ne!(second, first);
    // Another word list: another digest.
    let site_yaml = root.join("content/site.yaml");
    let text = std::fs::read_to_string(&site_yaml).unwrap();
    std::fs::write(&site_yaml, format!("{text}sensitive_words: [绝密, 机密]\n")).unwrap();
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    let third = std::fs::read_to_string(&digest_file).unwrap();
    assert_ne!(third, second);
    // A refused build changes neither the output nor the digest.
    replace(
        &root.join("content/plans/2023/tasks/4.yaml"),
        "加强政府网站日常监管，",
        "加强政府网站日常监管（电话13812345678），",
    );
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(std::fs::read_to_string(&digest_file).unwrap(), third);
}

/// Only the scan of the output can see a number that a template puts together from two values:
/// here the page title `… 138 1234` and the site title `5678 …` joined by the template's
/// ` - ` in `<title>`. Neither value holds it, so `check` passes; the build refuses, says the
/// value has no single source and where it would appear, and publishes nothing.
#[test]
fn a_number_put_together_by_a_template_stops_the_build() {
    let s = site();
    let root = s.path();
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    let before = tree(&root.join("output"));
    replace(
        &root.join("content/site.yaml"),
        "title: 万源市政务公开工作要点落实情况",
        "title: 5678 万源市政务公开工作要点落实情况",
    );
    replace(
        &root.join("content/plans/2023/plan.yaml"),
        "title: 2023年全市政务公开工作要点分工表",
        "title: 2023年全市政务公开工作要点分工表 值班 138 1234",
    );
    let (code, err) = gongkai(root, &["check"]);
    assert_eq!(code, 0, "no single value holds the number: {err}");
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("发布的文件中发现疑似手机号码：138****5678")
            && err.contains("没有哪一个内容值单独含有它")
            && err.contains("将出现在："),
        "{err}"
    );
    assert!(!err.contains("13812345678"), "{err}");
    assert_eq!(tree(&root.join("output")), before, "nothing published");
}

/// A sign-off typed by hand cannot publish anything (issue 14): the fingerprint copied from a
/// genuine stage with a made-up signature, another stage's genuine signature copied over, a
/// stage signed by a reviewer not allowed to sign it, and a reviewer not in reviewers.yaml are
/// each a located error, and the record stays off every output.
#[test]
fn hand_forged_sign_offs_are_refused_and_never_published() {
    let s = site();
    let root = s.path();
    let file = "content/plans/2023/progress/forged.yaml";
    let head = "format_version: 1\nrecords:\n";
    let rec = |id: &str, marker: &str| {
        format!(
            "  - id: {id}\n    task: 1-1-1\n    unit: fagai\n    date: 2023-09-01\n    status: done\n    summary: {marker}\n"
        )
    };
    // A genuine trail to copy from.
    std::fs::write(
        root.join(file),
        format!("{head}{}", rec("real", "MARKER-REAL-aa11")),
    )
    .unwrap();
    sign_all(root, &format!("{file}#real"));
    let real = std::fs::read_to_string(root.join(file)).unwrap();
    let block = &real[real.find("    review:").unwrap()..];
    let sig_of = |stage: &str| {
        let at = block.find(&format!("{stage}:")).unwrap();
        let rest = &block[at..];
        let s = &rest[rest.find("signature: ").unwrap() + 11..];
        s[..s.find('\n').unwrap()].to_string()
    };
    let fp = {
        let s = &block[block.find("fingerprint: ").unwrap() + 13..];
        s[..s.find('\n').unwrap()].to_string()
    };
    // Forgeries of a different record with the same text (so the same content fingerprint).
    let stage = |key: &str, who: &str, sig: &str| {
        format!(
            "      {key}:\n        reviewer: {who}\n        date: 2023-09-20\n        fingerprint: {fp}\n        signature: {sig}\n"
        )
    };
    let forged = |id: &str, marker: &str, stages: [String; 3]| {
        format!(
            "{}    review:\n      disclosure: 主动公开\n{}{}{}",
            rec(id, marker),
            stages[0],
            stages[1],
            stages[2]
        )
    };
    let made_up = "ed25519:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw==";
    let text = format!(
        "{head}{}{}{}{}",
        forged(
            "made-up",
            "MARKER-FORGED-1",
            [
                stage("first", "shili-chushen", made_up),
                stage("second", "shili-fushen", made_up),
                stage("final", "shili-zhongshen", made_up)
            ]
        ),
        forged(
            "copied",
            "MARKER-FORGED-2",
            [
                stage("first", "shili-chushen", &sig_of("first")),
                stage("second", "shili-fushen", &sig_of("second")),
                stage("final", "shili-zhongshen", &sig_of("final"))
            ]
        ),
        forged(
            "wrong-stage",
            "MARKER-FORGED-3",
            [
                stage("first", "shili-chushen", made_up),
                stage("second", "shili-chushen", made_up),
                stage("final", "shili-chushen", made_up)
            ]
        ),
        forged(
            "stranger",
            "MARKER-FORGED-4",
            [
                stage("first", "li-zhuren", made_up),
                stage("second", "li-zhuren", made_up),
                stage("final", "li-zhuren", made_up)
            ]
        ),
    );
    std::fs::write(root.join(file), &text).unwrap();
    let (code, err) = gongkai(root, &["check"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("forged.yaml:15:20: 错误：初审的签名无效"),
        "{err}"
    );
    assert!(
        err.contains("错误：初审的签名无效（不是审核人 \"shili-chushen\" 用自己的密钥签的"),
        "{err}"
    );
    assert!(
        err.contains("错误：审核人 \"shili-chushen\" 不能签复审"),
        "{err}"
    );
    assert!(
        err.contains("错误：审核人 \"li-zhuren\" 不在 content/reviewers.yaml 中"),
        "{err}"
    );
    // Published nowhere (the genuine record was replaced; the build refuses on errors, so
    // check with the errors' items removed the build is clean and publishes none of them).
    let (code, _) = gongkai(root, &["build"]);
    assert_eq!(code, 1, "a site with forged sign-offs does not build");
    assert!(!root.join("output").exists());
}

/// The canonical payload is frozen (issue 14): a record, its content fingerprint, the payload of
/// its 初审 and the example key's signature, in `tests/fixtures/signoff/vector-v1.txt`. Any
/// change to the fingerprint, the payload layout or the field names fails here, because it would
/// void every sign-off ever made. (`UPDATE_VECTOR=1` rewrites the file, for a new version.)
#[test]
fn the_signed_payload_matches_its_test_vector() {
    let yaml = "format_version: 1\nrecords:\n  - id: fagai-1-1-1\n    task: 1-1-1\n    unit: fagai\n    date: 2023-08-01\n    status: 已完成\n    summary: （示例）按月发布经济运行情况。\n    evidence:\n      - title: 经济运行情况\n        url: https://www.example.gov.cn/a.html\n";
    let s = site();
    std::fs::write(
        s.path().join("content/plans/2023/progress/vector.yaml"),
        yaml,
    )
    .unwrap();
    let site = gongkai::check_site(s.path(), None).unwrap().site.unwrap();
    let rec = site.plans[0]
        .records
        .iter()
        .find(|r| r.path.ends_with("vector.yaml"))
        .unwrap();
    let fp = gongkai::review::record_fingerprint(&rec.entry);
    let payload = gongkai::signoff::StagePayload {
        kind: "record",
        id: "fagai-1-1-1",
        content: &fp,
        disclosure: "主动公开",
        stage: "first",
        date: gongkai::model::parse_date("2023-09-01").unwrap(),
        reviewer: "shili-chushen",
        reason: None,
    }
    .text();
    let sig = common::signing::keys()[0].sign(&payload);
    let got = format!(
        "# 签署内容的测试向量（docs/review.md）。记录：\n{}\n# 内容指纹：\n{fp}\n# 初审的签署内容（payload，逐字节，末尾有换行）：\n{payload}# 示例初审人 shili-chushen 的签名（Ed25519，确定性）：\n{sig}\n",
        yaml.lines()
            .map(|l| format!("#   {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let path = common::fixture("signoff/vector-v1.txt");
    if std::env::var_os("UPDATE_VECTOR").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &got).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), got);
    // `done` and `已完成` are one value.
    let mut done = rec.entry.clone();
    done.status.value = gongkai::model::ProgressStatus::Done;
    assert_eq!(gongkai::review::record_fingerprint(&done), fp);
}

/// A reviewer's own key (issue 14): `reviewer new` keeps the private key encrypted outside the
/// site and prints the entry; once listed, the reviewer signs with it; a wrong passphrase, a
/// stage the reviewer may not sign, or someone else's key file leave the file byte for byte as
/// it was. A production site refuses the example keys; other sites are told how many items
/// carry them.
#[test]
fn reviewers_sign_with_their_own_keys_and_production_refuses_the_examples() {
    let s = site();
    let root = s.path();
    let keys = tempfile::tempdir().unwrap();
    let pass = keys.path().join("pass.txt");
    std::fs::write(&pass, "张科长的口令-2026\n").unwrap();
    let key = keys.path().join("zhang.key.json");
    let o = gongkai_at(
        root,
        &[
            "reviewer",
            "new",
            "--id",
            "zhang-kezhang",
            "--name",
            "张科长",
            "--stages",
            "复审",
            "--out",
            key.to_str().unwrap(),
            "--passphrase-file",
            pass.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let entry = String::from_utf8(o.stdout).unwrap();
    let key_text = std::fs::read_to_string(&key).unwrap();
    assert!(key_text.contains("argon2id") && !key_text.contains("张科长的口令"));
    assert!(!root.join("content").join("zhang.key.json").exists());
    // The clerk adds the entry.
    let reviewers = root.join("content/reviewers.yaml");
    let mut text = std::fs::read_to_string(&reviewers).unwrap();
    text.push_str(
        &entry
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    text.push('\n');
    std::fs::write(&reviewers, text).unwrap();
    let (code, err) = gongkai(root, &["check"]);
    assert_eq!(code, 0, "{err}");

    let file = "content/plans/2023/progress/bumen.yaml";
    let target = format!("{file}#shichang-2-2-2");
    let before = std::fs::read(root.join(file)).unwrap();
    let first = common::signing::sign_args(0);
    let mut args = vec!["sign", &target, "--stage", "初审", "--date", "2023-09-20"];
    args.extend(first.iter().map(String::as_str));
    let (code, err) = gongkai(root, &args);
    assert_eq!(code, 0, "{err}");
    let signed_first = std::fs::read(root.join(file)).unwrap();
    assert_ne!(signed_first, before);
    let ex = common::signing::sign_args(0);
    let (ex_key, ex_pass) = (
        std::path::PathBuf::from(&ex[3]),
        std::path::PathBuf::from(&ex[5]),
    );
    let bad_pass = keys.path().join("bad.txt");
    std::fs::write(&bad_pass, "不是这个口令不是这个口令\n").unwrap();
    let sign = |who: &str, key: &Path, pass: &Path| {
        gongkai(
            root,
            &[
                "sign",
                &target,
                "--stage",
                "复审",
                "--date",
                "2023-09-21",
                "--as",
                who,
                "--key",
                key.to_str().unwrap(),
                "--passphrase-file",
                pass.to_str().unwrap(),
            ],
        )
    };
    for (who, k, p, why) in [
        (
            "zhang-kezhang",
            key.as_path(),
            bad_pass.as_path(),
            "口令不对",
        ),
        (
            "shili-chushen",
            ex_key.as_path(),
            ex_pass.as_path(),
            "不能签复审",
        ),
        (
            "shili-fushen",
            key.as_path(),
            pass.as_path(),
            "是审核人 \"zhang-kezhang\" 的密钥，不是 \"shili-fushen\" 的",
        ),
    ] {
        let (code, err) = sign(who, k, p);
        assert_ne!(code, 0, "{who}: {err}");
        assert!(err.contains(why), "{who}: {err}");
        assert_eq!(
            std::fs::read(root.join(file)).unwrap(),
            signed_first,
            "{who}: file untouched"
        );
    }
    let (code, err) = sign("zhang-kezhang", &key, &pass);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::read_to_string(root.join(file))
            .unwrap()
            .contains("reviewer: \"zhang-kezhang\"")
    );
    let (code, err) = gongkai(root, &["check"]);
    assert_eq!(code, 0, "{err}");

    // Example signatures: a notice on an ordinary site, refused on a production one.
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("项内容的三审签署用的是示例审核人的示例密钥"),
        "{err}"
    );
    let site_yaml = root.join("content/site.yaml");
    let mut y = std::fs::read_to_string(&site_yaml).unwrap();
    y.push_str("production: true\n");
    std::fs::write(&site_yaml, y).unwrap();
    let (code, err) = gongkai(root, &["check"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("用的是示例密钥，正式站点不接受"), "{err}");
}

/// The 32 bytes of an `ed25519:<base64>` key.
fn base64_key(k: &str) -> Vec<u8> {
    let b = k.strip_prefix("ed25519:").unwrap();
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in b.bytes().filter(|c| *c != b'=') {
        bits = (bits << 6) | alphabet.iter().position(|a| *a == c).unwrap() as u32;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

/// Verified signatures are remembered between runs (a 10,000-task rebuild does not verify
/// 50,000 signatures again), but only under an HMAC whose secret lives outside the site: tags
/// written into the cache by hand — the plain hash of a forged stage — verify nothing.
#[test]
fn the_verification_cache_cannot_be_poisoned() {
    use sha2::{Digest, Sha256};
    let s = site();
    let root = s.path();
    let dirs = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .args(args)
            .arg("--root")
            .arg(root)
            .env("GONGKAI_CACHE_DIR", dirs.path().join("cache"))
            .env("GONGKAI_CONFIG_DIR", dirs.path().join("config"))
            .output()
            .unwrap();
        (o.status.code().unwrap_or(-1), stderr(&o))
    };
    let (code, err) = run(&["check"]);
    assert_eq!(code, 0, "{err}");
    // A header, then sorted 16-byte tags.
    let cache = dirs.path().join("cache/verified-signatures.v2");
    let tags = std::fs::read(&cache).unwrap();
    assert_eq!(&tags[..16], b"gongkai-vsig-v2\n");
    assert_eq!(tags.len() % 16, 0);
    assert!(tags.len() / 16 > 20, "the example sign-offs are remembered");
    // The file with one more tag, where a lookup by bisection finds it.
    let with = |extra: &[u8]| {
        let mut all: Vec<&[u8]> = tags[16..].chunks(16).chain([extra]).collect();
        all.sort();
        let mut b = tags[..16].to_vec();
        b.extend(all.concat());
        b
    };
    let secret = std::fs::read_to_string(dirs.path().join("config/verify-cache.secret")).unwrap();
    assert!(!secret.trim().is_empty() && !root.join("content/verify-cache.secret").exists());
    // Forge 复审 of a published record: a made-up signature; put its plain tag and a tag under
    // a guessed secret into the cache.
    let file = root.join("content/plans/2023/progress/bumen.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let at = text.find("      second:").unwrap();
    let sig_at = at + text[at..].find("signature: ").unwrap() + 11;
    let end = sig_at + text[sig_at..].find('\n').unwrap();
    let forged = "ed25519:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw==";
    std::fs::write(
        &file,
        format!("{}{forged}{}", &text[..sig_at], &text[end..]),
    )
    .unwrap();
    // The plain hash of what the forged stage would need verified (public key, payload,
    // signature), as an attacker can compute it.
    let site = gongkai::check_site(root, None).unwrap().site.unwrap();
    let rec = site.plans[0]
        .records
        .iter()
        .find(|r| r.path.ends_with("bumen.yaml"))
        .unwrap();
    let second = rec.entry.review.as_ref().unwrap().second.as_ref().unwrap();
    let payload = gongkai::signoff::StagePayload {
        kind: "record",
        id: &rec.entry.id.value,
        content: &gongkai::review::record_fingerprint(&rec.entry),
        disclosure: "主动公开",
        stage: "second",
        date: second.date.value.0,
        reviewer: "shili-fushen",
        reason: None,
    }
    .text();
    let key = gongkai::signoff::PublicKey::parse(gongkai::signoff::EXAMPLE_PUBLIC_KEYS[1]).unwrap();
    assert!(!key.verify(&payload, forged));
    let mut msg = Vec::new();
    msg.extend_from_slice(&base64_key(gongkai::signoff::EXAMPLE_PUBLIC_KEYS[1]));
    msg.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    msg.extend_from_slice(payload.as_bytes());
    msg.extend_from_slice(forged.as_bytes());
    let d = Sha256::digest(&msg);
    std::fs::write(&cache, with(&d[..16])).unwrap();
    let (code, err) = run(&["check"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("复审的签名无效"), "{err}");
    // Control: the tag under the user's own secret is what the cache looks up — the forged
    // stage passes with it, so the refusal above is the HMAC's doing, not a cache never read.
    let secret: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&secret.trim()[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let mut k = [0u8; 64];
    k[..32].copy_from_slice(&secret);
    let pad = |x: u8| k.iter().map(|b| b ^ x).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(&msg)
        .finalize();
    let outer = Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize();
    std::fs::write(&cache, with(&outer[..16])).unwrap();
    let (code, err) = run(&["check"]);
    assert_eq!(code, 0, "a tag under the secret is trusted: {err}");
    // And the untouched sign-offs still verify from the cache alone.
    std::fs::write(&cache, &tags).unwrap();
    std::fs::write(&file, &text).unwrap();
    let (code, err) = run(&["check"]);
    assert_eq!(code, 0, "{err}");
}

/// `gongkai review` (issue 14, item 6): what waits for each stage, what an edit voided, and
/// what is public now but will be taken off at the next build — in the terminal and as JSON.
#[test]
fn review_lists_the_queue_and_what_the_next_build_withdraws() {
    let s = site();
    let root = s.path();
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    let file = root.join("content/plans/2023/progress/bumen.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    // The first record of bumen.yaml is published; edit its summary after 终审.
    let at = text.find("    summary: ").unwrap();
    std::fs::write(
        &file,
        format!("{}    summary: 改动后{}", &text[..at], &text[at + 13..]),
    )
    .unwrap();
    let o = gongkai_at(root, &["review"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8(o.stdout).unwrap();
    let first_id = {
        let i = text.find("  - id: ").unwrap() + 8;
        text[i..i + text[i..].find('\n').unwrap()]
            .trim()
            .to_string()
    };
    let item = format!("content/plans/2023/progress/bumen.yaml#{first_id}");
    // Each section: its heading line and the indented item lines under it.
    let section = |title: &str| -> String {
        let mut lines = out.lines().skip_while(|l| !l.starts_with(title));
        let head = lines
            .next()
            .unwrap_or_else(|| panic!("{title} missing: {out}"));
        let items: Vec<&str> = lines.take_while(|l| l.starts_with("  ")).collect();
        format!("{head}\n{}", items.join("\n"))
    };
    assert!(section("签发后内容有改动").contains(&item), "{out}");
    assert!(section("下次生成站点时将撤下").contains(&item), "{out}");
    assert!(
        section("待初审").contains("#shichang-2-2-2"),
        "an unsigned example waits: {out}"
    );
    let o = gongkai_at(root, &["review", "--json"]);
    let q: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        q["to_withdraw"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["item"] == item.as_str())
    );
    assert!(
        q["first"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["item"] != item.as_str())
    );
}

/// Batch signing (issue 14, item 4 in part): several items in one command with one passphrase,
/// written as `./…`, with `\` separators or as an absolute path; a failure stops there and
/// leaves that file as it was.
#[test]
fn sign_takes_several_items_and_any_spelling_of_their_paths() {
    let s = site();
    let root = s.path();
    let file = "content/plans/2023/progress/test.yaml";
    std::fs::write(
        root.join(file),
        "format_version: 1\nrecords:\n  - id: a\n    task: 1-1-1\n    unit: fagai\n    date: 2023-09-01\n    status: in_progress\n    summary: 甲\n  - id: b\n    task: 1-1-1\n    unit: fagai\n    date: 2023-09-02\n    status: in_progress\n    summary: 乙\n  - id: c\n    task: 1-1-1\n    unit: fagai\n    date: 2023-09-03\n    status: in_progress\n    summary: 丙\n",
    )
    .unwrap();
    let abs = root.join(file);
    let targets = [
        format!("./{file}#a"),
        format!("{}#b", file.replace('/', "\\")),
        format!("{}#c", abs.display()),
    ];
    let who = common::signing::sign_args(0);
    let mut args = vec!["sign", "--stage", "初审", "--date", "2023-09-20"];
    args.extend(targets.iter().map(String::as_str));
    args.extend(who.iter().map(String::as_str));
    let (code, err) = gongkai(root, &args);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.matches("已签初审").count(), 3, "{err}");
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    assert_eq!(text.matches("reviewer: \"shili-chushen\"").count(), 3);
    // 复审 of a, then of an item that does not exist: a is signed, the error names the other,
    // and the file holds a's 复审 and nothing else new.
    let who = common::signing::sign_args(1);
    let missing = format!("{file}#zzz");
    let a = format!("{file}#a");
    let mut args = vec![
        "sign",
        "--stage",
        "复审",
        "--date",
        "2023-09-21",
        &a,
        &missing,
    ];
    args.extend(who.iter().map(String::as_str));
    let (code, err) = gongkai(root, &args);
    assert_ne!(code, 0, "{err}");
    assert!(
        err.contains("找不到编号为 \"zzz\"") && err.contains("前 1 项已签"),
        "{err}"
    );
    let after = std::fs::read_to_string(root.join(file)).unwrap();
    assert_eq!(after.matches("reviewer: \"shili-fushen\"").count(), 1);
}

/// `sign --pending` (issue 14, item 4 in part): lists every item waiting for the stage and signs
/// them after a confirmation (or with `--yes`); declining signs nothing.
#[test]
fn sign_pending_lists_confirms_and_signs_what_waits() {
    let s = site();
    let root = s.path();
    let file = root.join("content/plans/2023/progress/shizhengfu.yaml");
    let before = std::fs::read(&file).unwrap();
    let who = common::signing::sign_args(2);
    let mut args = vec![
        "sign",
        "--pending",
        "--stage",
        "终审",
        "--date",
        "2024-01-05",
    ];
    args.extend(who.iter().map(String::as_str));
    // Declined: nothing signed.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(&args)
        .arg("--root")
        .arg(root)
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write as _;
        child
            .stdin
            .take()
            .unwrap()
            .write_all("n\n".as_bytes())
            .unwrap();
    }
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("等待终审的条目（1 项）") && err.contains("#zfb-4-2-2"),
        "{err}"
    );
    assert!(err.contains("未签任何条目"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), before);
    // With --yes: signed, and the next build publishes it.
    args.push("--yes");
    let (code, err) = gongkai(root, &args);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("已签终审") && err.contains("#zfb-4-2-2"),
        "{err}"
    );
    let (code, err) = gongkai(root, &["build"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("zfb-4-2-2"), "no longer held back: {err}");
    let (code, err) = gongkai(root, &args);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("没有等待终审的条目"), "{err}");
}
