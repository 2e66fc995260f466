//! Command-line types (clap derive only). Doc comments are the help text.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// gongkai（公开）：政务公开工作要点分工表的静态站点生成器。
#[derive(Debug, Parser)]
#[command(name = "gongkai", version, about, long_about = None)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub common: Common,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every command.
#[derive(Debug, Args, Clone)]
pub struct Common {
    /// 站点文件夹（内含 content/，可选 themes/）；默认当前文件夹
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 检查 content/ 中的全部内容，列出所有问题（文件:行:列）
    Check(CheckArgs),
    /// 生成站点到 output/（先在旁边的暂存文件夹生成，成功后整体替换）
    Build(BuildArgs),
    /// 把各类 YAML 文件的 JSON Schema 写到文件夹（默认 docs/schema/）
    Schema(SchemaArgs),
}

/// `gongkai check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// 数据截至日期（年-月-日）；默认取 site.yaml 的 as_of，再默认北京时间今天
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date_arg)]
    pub as_of: Option<chrono::NaiveDate>,
    /// 把警告也当作错误（退出码 1）
    #[arg(long)]
    pub deny_warnings: bool,
}

/// `gongkai build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// 输出文件夹（相对于 --root）；默认 output
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub output: PathBuf,
    /// 数据截至日期（年-月-日）；默认取 site.yaml 的 as_of，再默认北京时间今天
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date_arg)]
    pub as_of: Option<chrono::NaiveDate>,
}

/// `gongkai schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// 写入的文件夹（相对于 --root）
    #[arg(long, value_name = "DIR", default_value = "docs/schema")]
    pub out: PathBuf,
}

fn parse_date_arg(s: &str) -> Result<chrono::NaiveDate, String> {
    crate::model::parse_date(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn root_before_or_after_the_command() {
        let a = Cli::try_parse_from(["gongkai", "--root", "x", "check"]).unwrap();
        let b = Cli::try_parse_from(["gongkai", "check", "--root", "x"]).unwrap();
        assert_eq!(a.common.root, b.common.root);
    }
}
