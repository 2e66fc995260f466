//! The content format: one Rust type per YAML file kind, exactly as staff write it.
//!
//! Keys are English `snake_case`; every field's doc comment gives its Chinese name (first
//! paragraph, which becomes the JSON Schema `title`) and its meaning (the `description`), so
//! editors show Chinese hints. `docs/content-format.md` explains the same with examples.
//!
//! | YAML key | 中文 | Rust |
//! |---|---|---|
//! | `responsible_text` | 责任单位（原文） | [`TaskEntry::responsible_text`] |
//! | `responsible` | 责任单位（结构化） | [`TaskEntry::responsible`] |
//! | `lead` / `cooperating` | 牵头单位 / 配合单位 | [`TaskEntry::lead`] / [`TaskEntry::cooperating`] |
//! | `deadline` | 完成时限（原文） | [`TaskEntry::deadline`] |
//! | `as_of` | 数据截至日期 | [`SiteFile::as_of`] |

use crate::loc::Located;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

mod progress;
pub use progress::*;

/// The format version this build of gongkai reads.
pub const FORMAT_VERSION: u32 = 1;

/// A calendar date written `YYYY-MM-DD` (a date that does not exist, such as 2023-02-30, is an
/// error naming the month's length).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date(pub NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        parse_date(&s).map(Date).map_err(serde::de::Error::custom)
    }
}

/// Parse `YYYY-MM-DD`, with a Chinese message for impossible or malformed dates.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let t = s.trim();
    let parts: Vec<&str> = t.split('-').collect();
    let nums: Option<Vec<u32>> = if parts.len() == 3 {
        parts
            .iter()
            .map(|p| {
                if p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit()) {
                    None
                } else {
                    p.parse().ok()
                }
            })
            .collect()
    } else {
        None
    };
    let Some([y, m, d]) = nums.as_deref().map(|v| [v[0], v[1], v[2]]) else {
        return Err(format!(
            "日期格式不对：\"{t}\"，应写作 年-月-日，例如 2023-08-31"
        ));
    };
    if !(1..=12).contains(&m) {
        return Err(format!("日期不存在：{t}（月份应为 1 到 12）"));
    }
    let y_i = i32::try_from(y).unwrap_or(0);
    match NaiveDate::from_ymd_opt(y_i, m, d) {
        Some(date) if (1900..=2200).contains(&y) => Ok(date),
        Some(_) => Err(format!("日期不合理：{t}（年份应在 1900 到 2200 之间）")),
        None => {
            let days = days_in_month(y_i, m);
            Err(format!("日期不存在：{t}（{y}年{m}月只有{days}天）"))
        }
    }
}

/// Number of days in a month.
pub fn days_in_month(y: i32, m: u32) -> u32 {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .map_or(31, |d| chrono::Datelike::day(&d))
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$",
            "description": "日期，格式 年-月-日，例如 2023-08-31"
        })
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

/// The word a plan file uses for a date the source document does not give.
pub const UNSTATED: &str = "未载明";

/// A date the source document may not state: `YYYY-MM-DD`, or 未载明.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum MaybeDate {
    /// The date.
    Known(Date),
    /// 未载明: the source is silent.
    Unstated,
}

impl MaybeDate {
    /// The date, when stated.
    pub fn known(self) -> Option<NaiveDate> {
        match self {
            MaybeDate::Known(d) => Some(d.0),
            MaybeDate::Unstated => None,
        }
    }
}

impl<'de> Deserialize<'de> for MaybeDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s.trim() == UNSTATED {
            return Ok(MaybeDate::Unstated);
        }
        parse_date(&s)
            .map(|d| MaybeDate::Known(Date(d)))
            .map_err(|e| serde::de::Error::custom(format!("{e}；原件没有写明时写“{UNSTATED}”")))
    }
}

impl JsonSchema for MaybeDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "MaybeDate".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "anyOf": [
                {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$"},
                {"const": UNSTATED}
            ],
            "description": "日期，格式 年-月-日，例如 2023-08-31；原件没有写明时写“未载明”"
        })
    }
}

impl std::fmt::Display for MaybeDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MaybeDate::Known(d) => d.fmt(f),
            MaybeDate::Unstated => f.write_str(UNSTATED),
        }
    }
}

/// 站点配置（content/site.yaml）
///
/// 站点标题、网址、数据截至日期、主题和政府网站页面元数据。
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    /// 格式版本
    ///
    /// 本文件格式的版本号，目前为 1。
    pub format_version: Located<u32>,
    /// 站点标题
    ///
    /// 显示在每页页头和浏览器标题栏。
    pub title: Located<String>,
    /// 站点网址
    ///
    /// 站点发布后的绝对网址（以 http:// 或 https:// 开头，以 / 结尾），只用于站点地图、订阅源和 Url 元数据；页面之间一律用相对链接。
    pub base_url: Located<String>,
    /// 数据截至日期（可选）
    ///
    /// 固定完成情况的计算日期。命令行 --as-of 优先；两者都没有时取北京时间今天。
    #[serde(default)]
    pub as_of: Option<Located<Date>>,
    /// 主题名称
    ///
    /// 在站点的 themes/<名称>/ 中查找模板和资源，找不到的文件用内置 default 主题。
    #[serde(default = "default_theme")]
    pub theme: String,
    /// 长期任务提醒天数
    ///
    /// “及时公开”“长期坚持”类任务超过这么多天没有新的进展记录时，标注“久未更新”。
    #[serde(default = "default_stale_days")]
    pub stale_after_days: u32,
    /// 门户网站信息
    ///
    /// 每页显示的政府网站元数据和页脚信息。
    pub portal: Portal,
    /// 敏感词（可选）
    ///
    /// 发布前检查的敏感词清单；不写时用默认清单（绝密、机密、内部资料、内部文件、不得外传、涉密文件）。
    #[serde(default)]
    pub sensitive_words: Option<Vec<String>>,
    /// 公开号码（可选）
    ///
    /// 本机关对外公布、可以出现在任何页面上的电话、手机号码和电子邮箱，例如值班电话、政务信箱。发布前检查不把它们当作个人信息；联系方式（portal.contact）中的号码、邮箱和联系人已自动视为公开，不必重复。
    #[serde(default)]
    pub public_numbers: Vec<Located<String>>,
    /// 单个文件大小上限（MB，可选）
    ///
    /// 单位 MiB（1 MiB = 1024 × 1024 字节）。content/ 中超过这个大小的文件不读取，报错；不写时为 256。site.yaml 本身总按 256 MiB 的默认上限读取。
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub max_file_size_mb: Option<Located<u32>>,
    /// 正式站点
    ///
    /// 写 true 时，示例审核人（tests/fixtures/example-keys/ 中的示例密钥）的签名一律无效。
    #[serde(default)]
    pub production: bool,
    /// 允许同一人签两个环节
    ///
    /// 默认不允许同一审核人签同一条目的两个环节；写 true 时允许，check 会给出警告。
    #[serde(default)]
    pub same_reviewer_allowed: bool,
    /// 站内搜索
    ///
    /// 默认 true：生成站内搜索页和搜索索引（只含已通过发布检查的页面文字），页头显示搜索框。写 false 时不生成（例如门户网站的全站搜索已经覆盖本站，或任务特别多、想缩短生成时间）：页头、页脚和网站地图都不再出现站内搜索。
    #[serde(default = "default_true")]
    pub search: bool,
    /// 订阅源条数（可选）
    ///
    /// 进展订阅（feed.xml）只列最近的这么多条进展记录，不写时为 200；全部记录在开放数据的进展记录下载（data/progress.csv）中。
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub feed_entries: Option<Located<u32>>,
}

/// Entries in the Atom feed when `feed_entries` is not set.
pub const DEFAULT_FEED_ENTRIES: u32 = 200;

impl SiteFile {
    /// How many of the latest records the feed lists.
    pub fn feed_entries(&self) -> usize {
        self.feed_entries
            .as_ref()
            .map_or(DEFAULT_FEED_ENTRIES, |n| n.value) as usize
    }
}

fn default_true() -> bool {
    true
}

fn default_theme() -> String {
    "default".to_string()
}

fn default_stale_days() -> u32 {
    90
}

/// 门户网站信息
///
/// 政府网站发展指引要求的页面元数据和页脚信息。标注“示例”的值是占位，上线前须换成真实值。
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Portal {
    /// 网站名称（SiteName）
    pub site_name: Located<String>,
    /// 网站域名（SiteDomain）
    pub domain: Located<String>,
    /// 网站标识码（SiteIDCode）
    pub site_id_code: Located<String>,
    /// 主办单位
    pub sponsor: Located<String>,
    /// ICP 备案号
    pub icp: Located<String>,
    /// 公安机关备案号
    pub police_record: Located<String>,
    /// 联系方式
    ///
    /// 公开的联系电话或地址。此字段按设计公开，不做个人信息检查。
    pub contact: Located<String>,
    /// 门户网站首页地址（可选）
    ///
    /// 本站所属政府门户网站的首页，以 http:// 或 https:// 开头。写了以后，页头显示门户名称（site_name）并链接到这里，“当前位置”从门户开始。
    #[serde(default)]
    pub url: Option<Located<String>>,
    /// 承办单位（可选）
    ///
    /// 页脚“承办单位”；不写则不显示。
    #[serde(default)]
    pub organiser: Option<Located<String>>,
    /// 网站标志图片（可选）
    ///
    /// 页头门户名称前显示的标志（如国徽、市徽），相对 content/ 的图片路径，例如 images/emblem.png；支持 png、jpg、gif、svg、webp。
    #[serde(default)]
    pub emblem: Option<Located<String>>,
    /// 党政机关网站标识图片（可选）
    ///
    /// 机构编制部门核发的“党政机关”网站标识图片，相对 content/ 的路径，例如 images/dzjg.png；显示在页脚。
    #[serde(default)]
    pub conac_mark: Option<Located<String>>,
    /// 党政机关网站标识链接（可选）
    ///
    /// 标识指向的开办者信息页面（核发时给出的地址），以 http:// 或 https:// 开头。
    #[serde(default)]
    pub conac_url: Option<Located<String>>,
    /// “我为政府网站找错”地址（可选）
    ///
    /// 页脚“我为政府网站找错”的链接，以 http:// 或 https:// 开头；不写时用全国政府网站统一纠错平台按网站标识码生成的地址。
    #[serde(default)]
    pub report_error_url: Option<Located<String>>,
}

/// 工作要点文件（content/plans/<编号>/plan.yaml）
///
/// 一份工作要点分工表的文件信息。文件夹名就是这份计划的编号（只能用小写字母、数字和连字符）。
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// 格式版本
    ///
    /// 本文件格式的版本号，目前为 1。
    pub format_version: Located<u32>,
    /// 标题
    ///
    /// 文件标题，例如“2023年全市政务公开工作要点分工表”。
    pub title: Located<String>,
    /// 年度
    ///
    /// 计划年度。“8月31日”“年底前”这类时限按这一年解读。
    pub year: Located<i32>,
    /// 发布机构
    ///
    /// 印发文件的机关，例如“万源市人民政府办公室”。
    pub issuer: Located<String>,
    /// 印发日期
    ///
    /// 年-月-日，例如 2023-06-16；原件没有写明时写“未载明”，页面上照样显示“未载明”。
    pub issue_date: Located<MaybeDate>,
    /// 成文日期（可选）
    ///
    /// 原文未给出时写占位值并标注“示例”。
    #[serde(default)]
    pub written_date: Option<Located<String>>,
    /// 文号（可选）
    #[serde(default)]
    pub doc_number: Option<Located<String>>,
    /// 索引号（可选）
    #[serde(default)]
    pub index_number: Option<Located<String>>,
    /// 主题分类（可选）
    ///
    /// 信息公开目录的主题分类，例如“政务公开”；任务页的信息公开栏显示它。原件没有写明时写“未载明”。
    #[serde(default)]
    pub subject: Option<Located<String>>,
    /// 信息公开选项
    ///
    /// 照原件填写，例如“主动公开”；原件没有写明时写“未载明”，页面上照样显示“未载明”。
    pub disclosure: String,
    /// 抄送
    ///
    /// 抄送机关，按原文逐个列出。
    #[serde(default)]
    pub cc: Vec<Located<String>>,
    /// 附件
    #[serde(default)]
    pub annexes: Vec<Annex>,
}

/// 附件
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Annex {
    /// 附件序号
    pub number: u32,
    /// 附件标题
    pub title: Located<String>,
}

/// 责任单位名录（content/units.yaml）
///
/// 所有责任单位和单位组。编号会成为网址的一部分，定下后不要再改。
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitsFile {
    /// 格式版本
    ///
    /// 本文件格式的版本号，目前为 1。
    pub format_version: Located<u32>,
    /// 责任单位
    #[serde(default)]
    pub units: Vec<Unit>,
    /// 单位组
    ///
    /// 作为集体承担任务的单位组，例如“各乡镇人民政府”“市级各部门（单位）”。
    #[serde(default)]
    pub groups: Vec<Group>,
}

/// 责任单位
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// 单位编号
    ///
    /// 小写字母、数字和连字符，例如 fagai。会成为网址 units/<编号>.html。
    pub id: Located<String>,
    /// 单位名称
    ///
    /// 原文中的正式简称，例如“市发改局”。
    pub name: Located<String>,
    /// 单位类别
    pub kind: UnitKind,
    /// 别名
    ///
    /// 原文中同一单位的其他写法，例如“市卫健局”是“市卫生健康局”的别名。
    #[serde(default)]
    pub aliases: Vec<Located<String>>,
}

/// 审核人名录（content/reviewers.yaml）
///
/// 可以签署三审的人和他们的公钥。私钥只在审核人自己的电脑或浏览器里，从不放进站点。
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewersFile {
    /// 格式版本
    ///
    /// 本文件格式的版本号，目前为 1。
    pub format_version: Located<u32>,
    /// 审核人
    #[serde(default)]
    pub reviewers: Vec<Reviewer>,
}

/// 审核人
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reviewer {
    /// 审核人编号
    ///
    /// 小写字母、数字和连字符，例如 zhang-kezhang。签署记录只写编号。
    pub id: Located<String>,
    /// 姓名或岗位
    ///
    /// 只在审核工具和登记簿中显示，不会出现在发布的站点上。
    pub name: Located<String>,
    /// 可签环节
    ///
    /// 初审、复审、终审中的一个或几个。
    pub stages: Vec<Located<String>>,
    /// 公钥
    ///
    /// gongkai reviewer new 或审核网页的登记页给出的 ed25519:（或浏览器没有 Ed25519 时的 p256:）开头的一串字符。
    pub public_key: Located<String>,
    /// 停用日期（可选）
    ///
    /// 密钥停用（人员调离、密钥泄露）的日期。停用后这把密钥的所有签名都不再有效。
    #[serde(default)]
    pub revoked: Option<Located<Date>>,
}

/// 单位类别
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// 政府工作部门
    #[serde(alias = "政府工作部门", alias = "部门")]
    Department,
    /// 乡镇
    #[serde(alias = "乡镇")]
    Township,
    /// 街道
    #[serde(alias = "街道")]
    Subdistrict,
    /// 党委机构
    #[serde(alias = "党委机构")]
    PartyOrgan,
    /// 其他机构（事业单位、中心等）
    #[serde(alias = "其他机构")]
    OtherOrgan,
    /// 科室
    #[serde(alias = "科室")]
    Section,
}

impl UnitKind {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Department => "政府工作部门",
            UnitKind::Township => "乡镇",
            UnitKind::Subdistrict => "街道",
            UnitKind::PartyOrgan => "党委机构",
            UnitKind::OtherOrgan => "其他机构",
            UnitKind::Section => "科室",
        }
    }
}

/// 单位组
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// 单位组编号
    ///
    /// 与单位编号共用一个命名空间。
    pub id: Located<String>,
    /// 单位组名称
    ///
    /// 原文写法，例如“各乡镇人民政府”。
    pub name: Located<String>,
    /// 别名
    ///
    /// 原文中的其他写法，例如“各乡、镇人民政府”。
    #[serde(default)]
    pub aliases: Vec<Located<String>>,
    /// 成员单位
    ///
    /// 已知的成员单位编号。
    #[serde(default)]
    pub members: Vec<Located<String>>,
    /// 按类别纳入的成员
    ///
    /// 这些类别的所有单位都算成员，例如各乡镇人民政府包括所有 township。
    #[serde(default)]
    pub member_kinds: Vec<UnitKind>,
    /// 说明（可选）
    #[serde(default)]
    pub note: Option<Located<String>>,
}

/// 先行单位（content/plans/<编号>/pilots.yaml）
///
/// 深化政务公开先行单位的批次。
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PilotsFile {
    /// 格式版本
    ///
    /// 本文件格式的版本号，目前为 1。
    pub format_version: Located<u32>,
    /// 批次
    #[serde(default)]
    pub batches: Vec<PilotBatch>,
}

/// 先行单位批次
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PilotBatch {
    /// 批次编号
    ///
    /// 小写字母、数字和连字符，例如 batch-1。
    pub id: Located<String>,
    /// 批次名称
    ///
    /// 例如“第一批先行单位”。
    pub name: Located<String>,
    /// 出处
    ///
    /// 名单出自何处，例如“附件2”。
    pub source: Located<String>,
    /// 乡镇（街道）
    #[serde(default)]
    pub townships: Vec<Located<String>>,
    /// 部门
    #[serde(default)]
    pub departments: Vec<Located<String>>,
    /// 相关任务
    ///
    /// 针对先行单位的任务编号。
    #[serde(default)]
    pub tasks: Vec<Located<String>>,
}

/// 工作任务（content/plans/<编号>/tasks/*.yaml）
///
/// 一个工作任务大类（序号、工作任务）及其重点工作任务和具体任务。同一大类可以分在几个文件里（例如原表跨页重复的大类），按文件名顺序合并。原表没有“重点工作任务”一级时，把具体任务直接写在 tasks 下。
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TasksFile {
    /// 格式版本
    ///
    /// 本文件格式的版本号，目前为 1。
    pub format_version: Located<u32>,
    /// 工作任务（大类）
    pub category: CategoryHead,
    /// 具体任务（原表没有重点工作任务一级时）
    ///
    /// 直接属于大类的任务，排在本文件各重点工作任务之前。
    #[serde(default)]
    pub tasks: Vec<TaskEntry>,
    /// 重点工作任务（小类）
    ///
    /// 原表没有这一级时省略，把任务写在 tasks 下。
    #[serde(default)]
    pub subcategories: Vec<SubcategoryEntry>,
}

/// 工作任务大类
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryHead {
    /// 序号
    pub number: Located<u32>,
    /// 工作任务
    ///
    /// 大类名称，例如“加大主动公开力度”。
    pub title: Located<String>,
}

/// 重点工作任务
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubcategoryEntry {
    /// 重点工作任务名称
    ///
    /// 例如“切实推进民生保障信息公开”。
    pub title: Located<String>,
    /// 具体任务
    pub tasks: Vec<TaskEntry>,
}

/// 具体任务
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskEntry {
    /// 任务编号
    ///
    /// 在本计划内唯一，小写字母、数字和连字符，例如 2-1-2。会成为网址 tasks/<编号>.html。
    pub id: Located<String>,
    /// 任务内容（原文）
    ///
    /// 逐字照录原表。
    pub text: Located<String>,
    /// 责任单位（原文）
    ///
    /// 原表“责任单位”栏，逐字照录。
    #[serde(default)]
    pub responsible_text: Option<Located<String>>,
    /// 责任单位（结构化）
    ///
    /// 原文中点名的单位和单位组编号，与原文一一对应（别名算同一单位）。
    #[serde(default)]
    pub responsible: Vec<Located<String>>,
    /// 牵头单位（原文，可选）
    ///
    /// 原表有单独“牵头单位”栏时使用。
    #[serde(default)]
    pub lead_text: Option<Located<String>>,
    /// 牵头单位（结构化）
    #[serde(default)]
    pub lead: Vec<Located<String>>,
    /// 配合单位（原文，可选）
    #[serde(default)]
    pub cooperating_text: Option<Located<String>>,
    /// 配合单位（结构化）
    #[serde(default)]
    pub cooperating: Vec<Located<String>>,
    /// 含“等”
    ///
    /// 原文写有“等部门（单位）”“等相关部门”，即点名之外还有其他单位。
    #[serde(default)]
    pub and_others: bool,
    /// 完成时限（原文）
    ///
    /// 逐字照录，例如“8月31日”“及时公开”“长期坚持”“年底前”。原表没有时限栏时省略。
    #[serde(default)]
    pub deadline: Option<Located<String>>,
    /// 完成时限（明确日期，可选）
    ///
    /// 原文无法自动解读时，用它给出具体日期。
    #[serde(default)]
    pub deadline_date: Option<Located<Date>>,
}
