//! `gongkai reviewer new`: a reviewer's key pair, made on the reviewer's own PC. The private key
//! is written encrypted with the reviewer's passphrase to the user's config folder; only the
//! `content/reviewers.yaml` entry with the public key is printed, for the clerk to add.

use crate::cli::ReviewerNewArgs;
use crate::cmd::{ENV, OK};
use crate::review::Stage;
use crate::signoff::KeyPair;

/// Make the key pair and print the entry.
pub fn new(args: &ReviewerNewArgs) -> u8 {
    match make(args) {
        Ok(msg) => {
            println!("{msg}");
            OK
        }
        Err(msg) => {
            eprintln!("错误：{msg}");
            ENV
        }
    }
}

fn make(args: &ReviewerNewArgs) -> Result<String, String> {
    if !crate::validate::is_valid_id(&args.id) {
        return Err(format!(
            "审核人编号 \"{}\" 不合规：只用小写字母、数字和连字符，例如 zhang-kezhang",
            args.id
        ));
    }
    if args.name.trim().is_empty() {
        return Err("--name 须写姓名或岗位".into());
    }
    let mut stages = Vec::new();
    for s in &args.stages {
        let st = Stage::parse(s.trim())
            .ok_or_else(|| format!("--stages 只能是 初审、复审、终审，而不是 \"{s}\""))?;
        if !stages.contains(&st) {
            stages.push(st);
        }
    }
    if stages.is_empty() {
        return Err("--stages 至少写一个环节，例如 --stages 复审".into());
    }
    let path = match &args.out {
        Some(p) => p.clone(),
        None => crate::signoff::default_key_path(&args.id)
            .ok_or("找不到用户配置文件夹；请用 --out 指定密钥文件的位置")?,
    };
    if path.exists() {
        return Err(format!(
            "{} 已存在：一位审核人只需一把密钥；要换新密钥，先在 content/reviewers.yaml 中停用旧的（revoked: 日期），再删除这个文件",
            path.display()
        ));
    }
    let passphrase = crate::cmd::read_passphrase(args.passphrase_file.as_deref(), true)?;
    let kp = KeyPair::generate(&args.id)?;
    let file = kp.to_key_file(&passphrase)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("无法创建 {}：{e}", dir.display()))?;
    }
    write_new(&path, &file).map_err(|e| format!("无法写入 {}：{e}", path.display()))?;
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let stage_list: Vec<&str> = stages.iter().map(|s| s.label()).collect();
    Ok(format!(
        "# 已生成审核人 {} 的密钥，私钥已用口令加密保存在 {}（只在本机，不要放进站点，不要发给任何人）。\n# 请把下面几行交给站点管理员，加进 content/reviewers.yaml 的 reviewers: 下：\n  - id: {}\n    name: {}\n    stages: [{}]\n    public_key: \"{}\"",
        args.id,
        path.display(),
        args.id,
        q(args.name.trim()),
        stage_list.join(", "),
        kp.public().encode()
    ))
}

/// Create `path` with `text`, failing if it exists; owner-only permissions where supported.
fn write_new(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        o.mode(0o600);
    }
    let mut f = o.open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}
