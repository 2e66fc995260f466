//! `gongkai sign PATH#ID --stage 初审|复审|终审 --as REVIEWER`: the reviewer signs a review stage
//! with their own key (decrypted with their passphrase, in memory only), editing only the item's
//! `review:` block; the file is restored byte for byte when the signed site does not check.

use crate::cli::{Common, SignArgs};
use crate::cmd::{CONTENT, ENV, OK};
use crate::model::Review;
use crate::privacy::Owner;
use crate::review::{self, Stage, State};
use crate::vocab::Disclosure;

/// Sign every item given, in order, with one passphrase prompt; stops at the first failure
/// (whose file is left as it was; the items before it stay signed).
pub fn run(common: &Common, args: &SignArgs) -> u8 {
    let targets = if args.pending {
        match pending(common, args) {
            Ok(Some(t)) => t,
            Ok(None) => return OK,
            Err((code, msg)) => {
                eprintln!("错误：{msg}");
                return code;
            }
        }
    } else {
        args.target.clone()
    };
    let kp = match open_key(args) {
        Ok(k) => k,
        Err((code, msg)) => {
            eprintln!("错误：{msg}");
            return code;
        }
    };
    let total = targets.len();
    for (n, raw) in targets.iter().enumerate() {
        let target = match normalize_target(&common.root, raw) {
            Ok(t) => t,
            Err(msg) => {
                eprintln!("错误：{msg}");
                return ENV;
            }
        };
        match sign(common, args, &target, &kp) {
            Ok(msg) => eprintln!("{msg}"),
            Err((code, msg)) => {
                eprintln!("错误：{msg}");
                if n > 0 {
                    eprintln!("（前 {n} 项已签，其余 {} 项未签）", total - n);
                }
                return code;
            }
        }
    }
    OK
}

type Fail = (u8, String);

/// `--pending`: every item waiting for this stage, listed; `None` when there is none or the
/// reviewer does not confirm.
fn pending(common: &Common, args: &SignArgs) -> Result<Option<Vec<String>>, Fail> {
    let stage = Stage::parse(&args.stage).ok_or((
        ENV,
        format!("--stage 应为 初审、复审 或 终审，而不是 \"{}\"", args.stage),
    ))?;
    let checked = crate::check_site(&common.root, None).map_err(|e| (ENV, e.to_string()))?;
    let (Some(site), Some(verdicts)) = (
        checked
            .site
            .as_ref()
            .filter(|_| checked.report.errors() == 0),
        checked.verdicts.as_ref(),
    ) else {
        eprint!("{}", checked.report.render());
        return Err((
            CONTENT,
            "内容有错误，请先用 gongkai check 修正后再签".into(),
        ));
    };
    let q = review::queue(site, verdicts, None);
    let mut items: Vec<&review::QueueItem> = match stage {
        Stage::First => q.first.iter().chain(&q.voided).collect(),
        Stage::Second => q.second.iter().collect(),
        Stage::Final => q.final_.iter().collect(),
    };
    items.sort_by(|a, b| a.item.cmp(&b.item));
    if items.is_empty() {
        eprintln!("没有等待{}的条目。", stage.label());
        return Ok(None);
    }
    eprintln!("等待{}的条目（{} 项）：", stage.label(), items.len());
    for i in &items {
        eprintln!("  {}  {}", i.item, i.what);
    }
    if !args.yes {
        use std::io::BufRead as _;
        eprint!(
            "以审核人 {} 的身份签这 {} 项{}？输入“是”或 y 确认：",
            args.reviewer.trim(),
            items.len(),
            stage.label()
        );
        let mut line = String::new();
        let _ = std::io::stdin().lock().read_line(&mut line);
        if !matches!(line.trim(), "是" | "y" | "Y" | "yes") {
            eprintln!("未签任何条目。");
            return Ok(None);
        }
    }
    Ok(Some(items.iter().map(|i| i.item.clone()).collect()))
}

/// The reviewer's key, opened once for all items.
fn open_key(args: &SignArgs) -> Result<crate::signoff::KeyPair, Fail> {
    let rid = args.reviewer.trim();
    if rid.is_empty() {
        return Err((
            ENV,
            "--as 须写审核人编号（content/reviewers.yaml 中登记的）".into(),
        ));
    }
    let key_path = match &args.key {
        Some(k) => k.clone(),
        None => crate::signoff::default_key_path(rid).ok_or((
            ENV,
            "找不到用户配置文件夹；请用 --key 指定密钥文件".to_string(),
        ))?,
    };
    let key_text = std::fs::read_to_string(&key_path).map_err(|e| {
        (
            ENV,
            format!(
                "无法读取密钥文件 {}：{e}（密钥由 gongkai reviewer new 在审核人自己的电脑上生成）",
                key_path.display()
            ),
        )
    })?;
    let passphrase = crate::cmd::read_passphrase(args.passphrase_file.as_deref(), false)
        .map_err(|e| (ENV, e))?;
    let kp = crate::signoff::KeyPair::from_key_file(&key_text, &passphrase)
        .map_err(|e| (ENV, format!("{}：{e}", key_path.display())))?;
    if kp.reviewer != rid {
        return Err((
            ENV,
            format!(
                "{} 是审核人 \"{}\" 的密钥，不是 \"{rid}\" 的",
                key_path.display(),
                kp.reviewer
            ),
        ));
    }
    Ok(kp)
}

/// `PATH#ID` as the site names it: `/` separators (a Windows `\` is accepted), no leading
/// `./`, and an absolute path inside the site folder made relative to it.
pub fn normalize_target(root: &std::path::Path, raw: &str) -> Result<String, String> {
    let (path, id) = match raw.rsplit_once('#') {
        Some((p, i)) => (p, Some(i)),
        None => (raw, None),
    };
    let mut p = path.replace('\\', "/");
    if std::path::Path::new(&p).is_absolute() || p.starts_with('/') {
        let abs = std::path::Path::new(&p);
        let base = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let full = std::fs::canonicalize(abs).unwrap_or_else(|_| abs.to_path_buf());
        let rel = full
            .strip_prefix(&base)
            .map_err(|_| format!("{path} 不在站点文件夹 {} 中", root.display()))?;
        p = rel.to_string_lossy().replace('\\', "/");
    }
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.to_string();
    }
    Ok(match id {
        Some(i) => format!("{p}#{i}"),
        None => p,
    })
}

/// Where the item is: its current review, the first and past-the-last line of its keys, the
/// indent of its keys, and how to fingerprint it with a given disclosure attribute.
type Located = (
    Option<Review>,
    usize,
    usize,
    usize,
    Box<dyn Fn(&str) -> String>,
);

fn sign(
    common: &Common,
    args: &SignArgs,
    target: &str,
    kp: &crate::signoff::KeyPair,
) -> Result<String, Fail> {
    let stage = Stage::parse(&args.stage).ok_or((
        ENV,
        format!("--stage 应为 初审、复审 或 终审，而不是 \"{}\"", args.stage),
    ))?;
    if args.reviewer.trim().is_empty() {
        return Err((
            ENV,
            "--as 须写审核人编号（content/reviewers.yaml 中登记的）".into(),
        ));
    }
    let (path, id) = match target.split_once('#') {
        Some((p, i)) => (p.to_string(), Some(i.to_string())),
        None => (target.to_string(), None),
    };
    let checked = crate::check_site(&common.root, None).map_err(|e| (ENV, e.to_string()))?;
    let Some(site) = checked
        .site
        .as_ref()
        .filter(|_| checked.report.errors() == 0)
    else {
        eprint!("{}", checked.report.render());
        return Err((
            CONTENT,
            "内容有错误，请先用 gongkai check 修正后再签".into(),
        ));
    };
    let date = args.date.unwrap_or_else(crate::cmd::today_shanghai);
    // Find the item: (current review, fingerprint function, line range of its keys, key indent).
    let text = std::fs::read_to_string(common.root.join(&path))
        .map_err(|e| (ENV, format!("无法读取 {path}：{e}")))?;
    let text = crate::load::decode(text.as_bytes()).map_err(|d| (CONTENT, d.message))?;
    let lines: Vec<&str> = text.lines().collect();
    let owner = match &id {
        Some(id) => site
            .plans
            .iter()
            .enumerate()
            .find_map(|(pi, p)| {
                p.records
                    .iter()
                    .position(|r| r.path == path && r.entry.id.value == *id)
                    .map(|ri| Owner::Record(pi, ri))
            })
            .ok_or((
                CONTENT,
                format!("在 {path} 中找不到编号为 \"{id}\" 的进展记录"),
            ))?,
        None => site
            .pages
            .iter()
            .position(|p| p.path == path)
            .map(Owner::Page)
            .ok_or((
                CONTENT,
                format!("找不到页面 {path}（进展记录请写 文件#记录编号）"),
            ))?,
    };
    // Nothing with personal data is signed: the finding must be removed or allow-listed first.
    let findings: Vec<&crate::privacy::Finding> = checked
        .findings
        .iter()
        .filter(|f| f.owner == owner && f.allowed.is_none())
        .collect();
    if !findings.is_empty() {
        for f in &findings {
            eprint!("{}", crate::privacy::render(f));
        }
        return Err((
            CONTENT,
            format!(
                "{} 含 {} 处疑似个人信息或敏感内容，不能签署：先删除或改写（确需公开的在 content/allowlist.yaml 登记）再签",
                target,
                findings.len()
            ),
        ));
    }
    let (old, start, end, indent, fp_of): Located = if let Some(id) = &id {
        let rec = site
            .plans
            .iter()
            .flat_map(|p| p.records.iter())
            .find(|r| r.path == path && r.entry.id.value == *id)
            .ok_or((
                CONTENT,
                format!("在 {path} 中找不到编号为 \"{id}\" 的进展记录"),
            ))?;
        let e = &rec.entry;
        let first = (e.first_line() as usize).saturating_sub(1);
        let line = lines.get(first).copied().unwrap_or("");
        let lead = line.len() - line.trim_start().len();
        let indent = if line.trim_start().starts_with("- ") {
            lead + 2
        } else {
            lead
        };
        let mut end = first + 1;
        while end < lines.len() {
            let l = lines[end];
            let t = l.trim_start();
            if !t.is_empty() && !t.starts_with('#') && l.len() - t.len() < indent {
                break;
            }
            end += 1;
        }
        let entry = e.clone();
        (
            e.review.clone(),
            first,
            end,
            indent,
            Box::new(move |disclosure: &str| {
                let mut x = entry.clone();
                if let Some(r) = x.review.as_mut() {
                    r.disclosure.value = disclosure.to_string();
                } else {
                    x.review = Some(empty_review(disclosure));
                }
                review::record_fingerprint(&x)
            }),
        )
    } else {
        let page = site.pages.iter().find(|p| p.path == path).ok_or((
            CONTENT,
            format!("找不到页面 {path}（进展记录请写 文件#记录编号）"),
        ))?;
        let fm_end = lines
            .iter()
            .skip(1)
            .position(|l| l.trim_end() == "---")
            .map_or(1, |i| i + 1);
        let page = page.clone();
        (
            page.front.review.clone(),
            1,
            fm_end,
            0,
            Box::new(move |disclosure: &str| {
                let mut x = page.clone();
                if let Some(r) = x.front.review.as_mut() {
                    r.disclosure.value = disclosure.to_string();
                } else {
                    x.front.review = Some(empty_review(disclosure));
                }
                review::page_fingerprint(&x)
            }),
        )
    };

    let current_disclosure = old.as_ref().map(|r| r.disclosure.value.clone());
    let written = args
        .disclosure
        .clone()
        .or(current_disclosure)
        .unwrap_or_else(|| Disclosure::Proactive.label().to_string());
    let Some(disclosure) = Disclosure::parse(&written) else {
        return Err((
            ENV,
            format!(
                "--disclosure 应为 {} 之一，而不是 \"{written}\"",
                Disclosure::choices()
            ),
        ));
    };
    let reason = args
        .reason
        .clone()
        .or_else(|| old.as_ref().and_then(|r| r.withheld_reason.clone()));
    if disclosure == Disclosure::Withheld && reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err((ENV, "不予公开须用 --reason 写明理由".into()));
    }
    let fp = fp_of("");
    // The item as the signature names it.
    let (kind, item_id, item_date) = match owner {
        Owner::Record(pi, ri) => {
            let e = &site.plans[pi].records[ri].entry;
            ("record", e.id.value.clone(), Some(e.date.value.0))
        }
        Owner::Page(i) => {
            let p = &site.pages[i];
            (
                "page",
                p.slug.clone(),
                p.front.date.as_ref().map(|d| d.value.0),
            )
        }
        _ => return Err((ENV, "只能签署进展记录和页面".into())),
    };
    // Where the item stands with the disclosure it will have (a changed attribute voids every
    // earlier stage: the trail restarts at 初审).
    let mut probe = old
        .clone()
        .unwrap_or_else(|| empty_review(disclosure.label()));
    let restarted = old
        .as_ref()
        .is_some_and(|o| o.disclosure.value != disclosure.label() && o.first.is_some());
    probe.disclosure.value = disclosure.label().to_string();
    let keys = review::Keyring::new(site);
    let today = crate::cmd::today_shanghai();
    let item = review::Item {
        kind,
        id: &item_id,
        date: item_date,
        review: Some(&probe),
        content: &fp,
    };
    let state = review::verify(&keys, &item, today).0.state;
    let allowed = match stage {
        Stage::First => true,
        Stage::Second => state == State::AwaitSecond,
        Stage::Final => state == State::AwaitFinal,
    };
    if !allowed {
        let why = if restarted {
            "公开属性改了，三审须从初审重新开始"
        } else {
            "三审须依次进行（初审 → 复审 → 终审），内容改动后须从初审重新开始"
        };
        return Err((
            CONTENT,
            format!(
                "该条目现在{}，不能签{}：{why}",
                state.label(),
                stage.label()
            ),
        ));
    }
    // The reviewer: listed, allowed this stage, and holding the listed key.
    let rid = args.reviewer.trim();
    let who = site
        .reviewers
        .iter()
        .find(|r| r.id.value == rid)
        .ok_or((
            CONTENT,
            format!("审核人 \"{rid}\" 不在 content/reviewers.yaml 中：新审核人先在自己电脑上运行 gongkai reviewer new，把输出的条目交给站点管理员登记"),
        ))?;
    if !who
        .stages
        .iter()
        .any(|x| Stage::parse(&x.value) == Some(stage))
    {
        return Err((
            CONTENT,
            format!(
                "审核人 \"{rid}\" 不能签{}（content/reviewers.yaml 的 stages）",
                stage.label()
            ),
        ));
    }
    if who.revoked.is_some() {
        return Err((CONTENT, format!("审核人 \"{rid}\" 的密钥已停用")));
    }
    if kp.public().encode() != who.public_key.value.trim() {
        return Err((ENV, format!("所用密钥不是审核人 \"{rid}\" 登记的密钥")));
    }
    // Keep the earlier stages (valid, or the state would not allow this one); drop this and
    // later ones; add this one, signed.
    let mut stages: Vec<(Stage, String, String, String, String)> = Vec::new();
    for s in Stage::ALL {
        if s >= stage {
            break;
        }
        if let Some(st) = s.of(&probe)
            && let (Some(r), Some(f), Some(g)) = (&st.reviewer, &st.fingerprint, &st.signature)
        {
            stages.push((
                s,
                r.value.clone(),
                st.date.value.to_string(),
                f.value.clone(),
                g.value.clone(),
            ));
        }
    }
    let signature = kp.sign(&review::payload(&item, stage, &fp, date, rid));
    stages.push((
        stage,
        rid.to_string(),
        date.format("%Y-%m-%d").to_string(),
        fp.clone(),
        signature,
    ));

    let pad = " ".repeat(indent);
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let mut block = vec![
        format!("{pad}review:"),
        format!("{pad}  disclosure: {disclosure}"),
    ];
    if let Some(r) = &reason {
        block.push(format!("{pad}  withheld_reason: {}", q(r)));
    }
    for (s, who, d, f, g) in &stages {
        block.push(format!("{pad}  {}:", s.key()));
        block.push(format!("{pad}    reviewer: {}", q(who)));
        block.push(format!("{pad}    date: {d}"));
        block.push(format!("{pad}    fingerprint: {f}"));
        block.push(format!("{pad}    signature: {g}"));
    }
    // Remove the old review block inside [start, end) and insert the new one at the end.
    let mut out: Vec<String> = Vec::with_capacity(lines.len() + block.len());
    let mut i = 0;
    let mut insert_at = None;
    while i < lines.len() {
        if i >= start && i < end {
            let l = lines[i];
            let t = l.trim_start();
            let lead = l.len() - t.len();
            if lead == indent
                && (t.starts_with("review:") || (i == start && t.starts_with("- review:")))
            {
                i += 1;
                while i < end {
                    let l2 = lines[i];
                    let t2 = l2.trim_start();
                    if !t2.is_empty() && l2.len() - t2.len() <= indent {
                        break;
                    }
                    i += 1;
                }
                continue;
            }
        }
        if i == end {
            insert_at = Some(out.len());
        }
        out.push(lines[i].to_string());
        i += 1;
    }
    let mut at = insert_at.unwrap_or(out.len());
    while at > 0 && out[at - 1].trim().is_empty() {
        at -= 1;
    }
    for (k, l) in block.into_iter().enumerate() {
        out.insert(at + k, l);
    }
    let mut new_text = out.join("\n");
    new_text.push('\n');
    let full = common.root.join(&path);
    let original = std::fs::read(&full).map_err(|e| (ENV, format!("无法读取 {path}：{e}")))?;
    let tmp = full.with_extension("signing.tmp");
    std::fs::write(&tmp, &new_text)
        .map_err(|e| (ENV, format!("无法写入 {}：{e}", tmp.display())))?;
    std::fs::rename(&tmp, &full).map_err(|e| (ENV, format!("无法写入 {}：{e}", full.display())))?;
    // Prove it: reload and confirm the new state.
    let again = crate::check_site(&common.root, None).map_err(|e| (ENV, e.to_string()))?;
    let ok = again.report.errors() == 0;
    if !ok {
        // Put the file back exactly as it was.
        let _ = std::fs::write(&tmp, &original).and_then(|()| std::fs::rename(&tmp, &full));
        eprint!("{}", again.report.render());
        return Err((
            CONTENT,
            format!("签署后 {path} 未通过检查，已恢复原文件，请查看上面的错误"),
        ));
    }
    let after = match (stage, disclosure) {
        (Stage::First, _) => "待复审".to_string(),
        (Stage::Second, _) => "待终审".to_string(),
        (Stage::Final, Disclosure::Proactive) => "已终审，下次生成站点时发布".to_string(),
        (Stage::Final, d) => format!("已终审；公开属性为{}，不会发布到站点上", d.label()),
    };
    let restart = if restarted {
        "公开属性已改，之前的签署作废，三审从初审重新开始。"
    } else {
        ""
    };
    Ok(format!(
        "{restart}已签{}：{}（审核人 {rid}，{}）。现在{after}。",
        stage.label(),
        target,
        date.format("%Y-%m-%d")
    ))
}

fn empty_review(disclosure: &str) -> Review {
    Review {
        disclosure: crate::loc::Located::new(disclosure.to_string()),
        withheld_reason: None,
        first: None,
        second: None,
        final_: None,
    }
}
