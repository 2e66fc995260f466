//! One module per subcommand; each `run` returns the process exit status.

pub mod build;
pub mod check;
pub mod import;
pub mod import_progress;
pub mod publish;
pub mod report;
pub mod review;
pub mod reviewer;
pub mod schema;
pub mod serve;
pub mod sheet;
pub mod sign;

/// Exit status: success.
pub const OK: u8 = 0;
/// Exit status: content problems the user must fix in `content/`.
pub const CONTENT: u8 = 1;
/// Exit status: usage or environment problems.
pub const ENV: u8 = 2;

pub use crate::check::today_shanghai;

/// A passphrase from `file` (its first line), or typed at the terminal without echo (twice when
/// `confirm`). Never logged.
pub fn read_passphrase(file: Option<&std::path::Path>, confirm: bool) -> Result<String, String> {
    if let Some(f) = file {
        let text = std::fs::read_to_string(f)
            .map_err(|e| format!("无法读取口令文件 {}：{e}", f.display()))?;
        return Ok(text.lines().next().unwrap_or("").to_string());
    }
    let p = rpassword::prompt_password("请输入密钥口令（输入时不显示）：")
        .map_err(|e| format!("无法读取口令：{e}"))?;
    if confirm {
        let again = rpassword::prompt_password("请再输入一次：")
            .map_err(|e| format!("无法读取口令：{e}"))?;
        if again != p {
            return Err("两次输入的口令不一致".into());
        }
    }
    Ok(p)
}
