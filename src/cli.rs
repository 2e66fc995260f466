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
    /// 审核预览：在本机 127.0.0.1 上预览全部内容（含未签发的），改动后自动刷新
    Serve(ServeArgs),
    /// 三审签署：审核人用自己的密钥签一个审核环节（内容改动后签署失效）
    Sign(SignArgs),
    /// 发布到网站服务器文件夹（releases/ 下新建版本并原子切换 current），或打包成 zip 交给门户网站的 CMS
    Publish(PublishArgs),
    /// 回退：把 current 切回之前的发布版本，并登记
    Rollback(RollbackArgs),
    /// 发布登记：最近一次发布的情况，或用 --csv 导出全部登记供审计
    Register(RegisterArgs),
    /// 撤回：终审审核人签署撤回一条已公开的内容，下次生成站点时从所有输出中撤下
    Withdraw(WithdrawArgs),
    /// 审核进度：列出待初审、待复审、待终审、签发后改动的条目，以及下次生成时将撤下的已公开内容
    Review(ReviewArgs),
    /// 审核人密钥：在审核人自己的电脑上生成密钥，输出要登记到 content/reviewers.yaml 的条目
    #[command(subcommand)]
    Reviewer(ReviewerCommand),
    /// 从 Word（.docx）、Excel（.xlsx）或 CSV 分工表导入，生成新站点的 content/
    Import(ImportArgs),
    /// 进展通报：各单位任务完成情况、逾期任务、30日内到期任务、久未报送的单位（口径与网站一致），可导出 Excel
    Report(ReportArgs),
    /// 生成单位报送表（.xlsx）：列出该单位（或单位组各成员）的任务和当前完成情况，留出填写进展的列
    Sheet(SheetArgs),
    /// 导入单位填好的报送表：检查每一行，把进展写成待三审的进展记录（有任何问题时什么都不写）
    ImportProgress(ImportProgressArgs),
}

/// `gongkai report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// 数据截至日期（年-月-日）；默认取 site.yaml 的 as_of，再默认北京时间今天（与 build 相同）
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date_arg)]
    pub as_of: Option<chrono::NaiveDate>,
    /// 同时写成 Excel 文件（.xlsx，相对于 --root）：按单位、逾期任务、30日内到期、久未报送各一张工作表
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
    /// 也计入未签发（未三审通过或不是主动公开）的进展记录，供内部掌握；通报中标明“含未签发”
    #[arg(long)]
    pub all: bool,
    /// 有未完成任务、超过这么多天没有报送进展的单位列入“久未报送”
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub stale_days: u32,
    /// 以 JSON 输出（供其他程序读取）
    #[arg(long)]
    pub json: bool,
}

/// `gongkai sheet`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("who").required(true).args(["unit", "all"])))]
pub struct SheetArgs {
    /// 单位或单位组编号（content/units.yaml 中的 id）；单位组的报送表每个成员每项任务一行
    #[arg(long, value_name = "ID")]
    pub unit: Option<String>,
    /// 为每个有任务的单位和单位组各生成一个报送表
    #[arg(long)]
    pub all: bool,
    /// 只列这份计划（content/plans/ 下的文件夹名，如 2024）的任务；默认全部计划
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<String>,
    /// 数据截至日期（年-月-日），决定“当前完成情况”；默认取 site.yaml 的 as_of，再默认北京时间今天
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date_arg)]
    pub as_of: Option<chrono::NaiveDate>,
    /// 报送表写到哪个文件夹（相对于 --root）；文件名为 <单位编号>-报送表.xlsx
    #[arg(long, value_name = "DIR", default_value = "报送表")]
    pub out: PathBuf,
}

/// `gongkai import-progress`.
#[derive(Debug, Args)]
pub struct ImportProgressArgs {
    /// 填好的报送表（.xlsx），可写多个
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// 只检查并列出将写入的记录和文件，不写入
    #[arg(long)]
    pub dry_run: bool,
}

/// `gongkai import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// 分工表文件：.docx、.xlsx 或 .csv（UTF-8 或 GB18030）
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// 读取的工作表名称（.xlsx）；默认第一个有表头的工作表
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// 指定一列的含义：列（表头文字、列字母或列号）=字段（number、task_number、category、subcategory、text、responsible、lead、cooperating、deadline、ignore）；可重复
    #[arg(long = "map", value_name = "COLUMN=FIELD", value_parser = parse_map_arg)]
    pub map: Vec<crate::import::MapRule>,
    /// 计划年度；默认从标题（如“2023年……”）读取
    #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(i32).range(1900..=2200))]
    pub year: Option<i32>,
    /// 只显示导入摘要、需要核对之处和将写入的文件名，不写入
    #[arg(long)]
    pub dry_run: bool,
    /// 把这份计划加到 --root 指定的已有站点：写入 content/plans/<年度>/，在 content/units.yaml 末尾追加新单位，不改 site.yaml
    #[arg(long)]
    pub add_plan: bool,
    /// 允许写入非空的 --root 文件夹（同名文件会被覆盖，并逐个列出；已有的 site.yaml 不动）；与 --add-plan 一起用：替换这一年度的计划文件夹（原文件夹移到 import-backup/）
    #[arg(long)]
    pub force: bool,
    /// 与 --dry-run 一起用：同时显示每个将写入文件的全部内容
    #[arg(long)]
    pub verbose: bool,
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
    /// 另一个 gongkai 正在生成同一输出文件夹时，最多等待的秒数（之后退出码 2）
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub wait: u64,
    /// 输出文件夹里有不是 gongkai 生成的文件时也替换（这些文件会被删除）
    #[arg(long)]
    pub force: bool,
    /// 不用上次生成留下的缓存，重新生成全部页面（默认只有进展记录改动时只重新生成受影响的页面）
    #[arg(long)]
    pub full: bool,
}

/// `gongkai serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// 端口（只在本机 127.0.0.1 上预览时）
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// 三审网页：让审核人在办公网其他电脑的浏览器里登记密钥、签署（只用 HTTPS）
    #[arg(long)]
    pub review: bool,
    /// 与 --review 同用：监听的地址和端口，如 192.168.1.20:8443（默认 127.0.0.1:8443）
    #[arg(long, value_name = "ADDR:PORT", requires = "review")]
    pub listen: Option<std::net::SocketAddr>,
    /// 与 --review 同用：其他电脑访问本机用的名称（如 gongkai.bgs.local），可写多个；其他名称的请求一律拒绝
    #[arg(long = "host", value_name = "NAME", requires = "review")]
    pub hosts: Vec<String>,
    /// 与 --review 同用：单位的 HTTPS 证书（PEM）；不给时在首次启动时生成自签名证书并显示其指纹
    #[arg(long, value_name = "FILE", requires_all = ["review", "tls_key"])]
    pub tls_cert: Option<PathBuf>,
    /// 与 --tls-cert 同用：证书的私钥（PEM）
    #[arg(long, value_name = "FILE", requires_all = ["review", "tls_cert"])]
    pub tls_key: Option<PathBuf>,
    /// 数据截至日期（年-月-日）；默认取 site.yaml 的 as_of，再默认北京时间今天
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date_arg)]
    pub as_of: Option<chrono::NaiveDate>,
}

/// `gongkai sign`.
#[derive(Debug, Args)]
pub struct SignArgs {
    /// 要签署的条目，可写多个：进展记录写 文件#记录编号（如 content/plans/2023/progress/bumen.yaml#sifa-2-1-2），页面写文件路径；路径可以以 ./ 开头、用 \ 分隔或写绝对路径
    #[arg(value_name = "PATH#ID", required_unless_present = "pending")]
    pub target: Vec<String>,
    /// 签所有正在等待这一环节的条目：先列出，确认后再签（--yes 不再询问）
    #[arg(long, conflicts_with = "target")]
    pub pending: bool,
    /// 与 --pending 同用：不询问，直接签
    #[arg(long, requires = "pending")]
    pub yes: bool,
    /// 审核环节：初审、复审 或 终审
    #[arg(long)]
    pub stage: String,
    /// 审核人编号（content/reviewers.yaml 中登记的），用这位审核人的密钥签署
    #[arg(long = "as", value_name = "REVIEWER")]
    pub reviewer: String,
    /// 密钥文件；默认用户配置文件夹中的 gongkai/keys/<审核人编号>.key.json
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// 从文件读取密钥口令（供脚本和测试用；口令不要写在命令行上）；不给时在终端提示输入（不回显）
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
    /// 审核日期（年-月-日）；默认北京时间今天
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date_arg)]
    pub date: Option<chrono::NaiveDate>,
    /// 公开属性：主动公开、依申请公开 或 不予公开；默认沿用已有的，没有则为主动公开
    #[arg(long)]
    pub disclosure: Option<String>,
    /// 理由：不予公开的理由，或与 --redo 同用时重签的理由（记入审核经过）
    #[arg(long)]
    pub reason: Option<String>,
    /// 重签一个已经签过的环节（须用 --reason 写明理由；原签署记入审核经过，之后的环节须重签）
    #[arg(long)]
    pub redo: bool,
}

/// `gongkai withdraw`.
#[derive(Debug, Args)]
pub struct WithdrawArgs {
    /// 要撤回的条目：进展记录写 文件#记录编号，页面写文件路径
    #[arg(value_name = "PATH#ID")]
    pub target: String,
    /// 撤回的理由（记入审核经过和发布登记）
    #[arg(long)]
    pub reason: String,
    /// 审核人编号（须可签终审），用这位审核人的密钥签署撤回
    #[arg(long = "as", value_name = "REVIEWER")]
    pub reviewer: String,
    /// 密钥文件；默认用户配置文件夹中的 gongkai/keys/<审核人编号>.key.json
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// 从文件读取密钥口令（供脚本和测试用）；不给时在终端提示输入（不回显）
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
}

/// `gongkai review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// 以 JSON 输出（供其他程序读取）
    #[arg(long)]
    pub json: bool,
    /// 已发布站点的输出文件夹（用于读取它旁边的发布登记，找出将撤下的内容）
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub output: std::path::PathBuf,
}

/// `gongkai publish`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("dest").required(true).args(["to", "zip"])))]
pub struct PublishArgs {
    /// 目标文件夹：新版本放进 DIR/releases/，DIR/current 指向正在使用的版本（网站服务器以它为根目录）；
    /// 写成 用户@服务器:/路径 时经 SSH（系统的 ssh 和 rsync）发布到那台服务器
    #[arg(long, value_name = "DIR")]
    pub to: Option<String>,
    /// 与远程 --to 同用：只列出将要运行的命令，不连接服务器
    #[arg(long)]
    pub dry_run: bool,
    /// 打包成 zip（含 MANIFEST.gongkai.json：每个文件的大小和 SHA-256），交给门户网站的 CMS 导入
    #[arg(long, value_name = "FILE")]
    pub zip: Option<PathBuf>,
    /// 数据截至日期（年-月-日）；默认取 site.yaml 的 as_of，再默认北京时间今天
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date_arg)]
    pub as_of: Option<chrono::NaiveDate>,
    /// 保留最近几个发布版本（供回退）
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..))]
    pub keep: u64,
    /// 另一个 gongkai 正在发布到同一目标时，最多等待的秒数（之后退出码 2）
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub wait: u64,
}

/// `gongkai rollback`.
#[derive(Debug, Args)]
pub struct RollbackArgs {
    /// 目标文件夹（gongkai publish --to 用的那个）
    #[arg(long, value_name = "DIR")]
    pub to: PathBuf,
    /// 回退到的版本（DIR/releases/ 下的文件夹名）；默认当前版本的前一个
    #[arg(value_name = "RELEASE")]
    pub release: Option<String>,
    /// 另一个 gongkai 正在发布到同一目标时，最多等待的秒数
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub wait: u64,
}

/// `gongkai register`.
#[derive(Debug, Args)]
pub struct RegisterArgs {
    /// 已发布站点的输出文件夹（发布登记在它旁边）
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub output: std::path::PathBuf,
    /// 把发布登记写成 Excel 可直接打开的 CSV（UTF-8 带 BOM）；不写文件名时为 发布登记.csv
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "发布登记.csv")]
    pub csv: Option<std::path::PathBuf>,
}

/// `gongkai reviewer …`.
#[derive(Debug, Subcommand)]
pub enum ReviewerCommand {
    /// 在本机生成一位审核人的密钥（私钥用口令加密，保存在用户配置文件夹），输出 reviewers.yaml 条目
    New(ReviewerNewArgs),
}

/// `gongkai reviewer new`.
#[derive(Debug, Args)]
pub struct ReviewerNewArgs {
    /// 审核人编号：小写字母、数字和连字符，例如 zhang-kezhang
    #[arg(long)]
    pub id: String,
    /// 姓名或岗位（只在审核工具中显示，不会发布）
    #[arg(long)]
    pub name: String,
    /// 可签的环节，用逗号分隔：初审、复审、终审
    #[arg(long, value_delimiter = ',')]
    pub stages: Vec<String>,
    /// 密钥文件写到哪里；默认用户配置文件夹中的 gongkai/keys/<编号>.key.json
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// 从文件读取口令（供脚本和测试用）；不给时在终端提示输入两次（不回显）
    #[arg(long, value_name = "FILE")]
    pub passphrase_file: Option<PathBuf>,
}

/// `gongkai schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// 写入的文件夹（相对于 --root）
    #[arg(long, value_name = "DIR", default_value = "docs/schema")]
    pub out: PathBuf,
}

fn parse_map_arg(s: &str) -> Result<crate::import::MapRule, String> {
    s.parse()
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
