//! `gongkai sign PATH#ID --stage 初审|复审|终审 --as REVIEWER`: the reviewer signs a review stage
//! with their own key (decrypted with their passphrase, in memory only), editing only the item's
//! `review:` block; the file is restored byte for byte when the signed site does not check.

use crate::cli::{Common, SignArgs, WithdrawArgs};
use crate::cmd::{CONTENT, ENV, OK};
use crate::review::act::{self, Act, Refusal, Request};
use crate::review::{self, Stage};

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
    let kp = match open_key(
        &args.reviewer,
        args.key.as_deref(),
        args.passphrase_file.as_deref(),
    ) {
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
fn open_key(
    reviewer: &str,
    key: Option<&std::path::Path>,
    passphrase_file: Option<&std::path::Path>,
) -> Result<crate::signoff::KeyPair, Fail> {
    let rid = reviewer.trim();
    if rid.is_empty() {
        return Err((
            ENV,
            "--as 须写审核人编号（content/reviewers.yaml 中登记的）".into(),
        ));
    }
    let key_path = match key {
        Some(k) => k.to_path_buf(),
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
    let passphrase = crate::cmd::read_passphrase(passphrase_file, false).map_err(|e| (ENV, e))?;
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

fn refusal(r: Refusal) -> Fail {
    match r {
        Refusal::Content(m) => (CONTENT, m),
        Refusal::Env(m) => (ENV, m),
    }
}

/// Do `act` on `target` with the reviewer's key: check, sign every payload, write; then check
/// the whole site again and put the file back byte for byte if it does not pass (which the
/// edit's own check makes should never happen).
fn act_on(
    common: &Common,
    req: &Request<'_>,
    kp: &crate::signoff::KeyPair,
) -> Result<String, Fail> {
    let (target, act) = (req.target, req.act);
    let checked = crate::check_site(&common.root, None).map_err(|e| (ENV, e.to_string()))?;
    if checked.report.errors() > 0 {
        eprint!("{}", checked.report.render());
    }
    let prepared = act::prepare(&checked, req).map_err(|r| {
        // Show the personal data that stops the signing, where it is.
        if let (Some(site), Act::Sign(_)) = (&checked.site, act)
            && let Ok(owner) = act::owner(site, target)
        {
            for f in checked
                .findings
                .iter()
                .filter(|f| f.owner == owner && f.allowed.is_none())
            {
                eprint!("{}", crate::privacy::render(f));
            }
        }
        refusal(r)
    })?;
    let full = common.root.join(prepared.path());
    let original =
        std::fs::read(&full).map_err(|e| (ENV, format!("无法读取 {}：{e}", prepared.path())))?;
    let signatures: Vec<String> = prepared.payloads().iter().map(|p| kp.sign(p)).collect();
    let path = prepared.path().to_string();
    let done = prepared.write(&common.root, &signatures).map_err(refusal)?;
    let mine = std::fs::read(&full).unwrap_or_default();
    let again = crate::check_site(&common.root, None).map_err(|e| (ENV, e.to_string()))?;
    if again.report.errors() > 0 {
        // Put back what was there, unless someone wrote the file since.
        if std::fs::read(&full).unwrap_or_default() == mine {
            let _ = act::write_atomic(&full, &original);
        }
        eprint!("{}", again.report.render());
        return Err((
            CONTENT,
            format!("签署后 {path} 未通过检查，已恢复原文件，请查看上面的错误"),
        ));
    }
    Ok(done)
}

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
    let req = Request {
        target,
        act: Act::Sign(stage),
        reviewer: args.reviewer.trim(),
        date: args.date.unwrap_or_else(crate::cmd::today_shanghai),
        disclosure: args.disclosure.as_deref(),
        reason: args.reason.as_deref(),
        redo: args.redo,
    };
    act_on(common, &req, kp)
}

/// `gongkai withdraw PATH#ID --reason … --as REVIEWER`.
pub fn withdraw(common: &Common, args: &WithdrawArgs) -> u8 {
    let run = || -> Result<String, Fail> {
        let target = normalize_target(&common.root, &args.target).map_err(|m| (ENV, m))?;
        let kp = open_key(
            &args.reviewer,
            args.key.as_deref(),
            args.passphrase_file.as_deref(),
        )?;
        let req = Request {
            target: &target,
            act: Act::Withdraw,
            reviewer: args.reviewer.trim(),
            date: crate::cmd::today_shanghai(),
            disclosure: None,
            reason: Some(&args.reason),
            redo: false,
        };
        act_on(common, &req, &kp)
    };
    match run() {
        Ok(msg) => {
            eprintln!("{msg}");
            OK
        }
        Err((code, msg)) => {
            eprintln!("错误：{msg}");
            code
        }
    }
}
