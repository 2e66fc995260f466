//! Progress records and Markdown pages: the items that go through 三审 before they are
//! published, with their review blocks.

use super::Date;
use crate::loc::Located;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// 进展记录（content/plans/<编号>/progress/*.yaml）
///
/// 各责任单位报送的落实进展。
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressFile {
    /// 格式版本
    ///
    /// 本文件格式的版本号，目前为 1。
    pub format_version: Located<u32>,
    /// 进展记录
    #[serde(default)]
    pub records: Vec<ProgressEntry>,
}

/// 进展记录
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressEntry {
    /// 记录编号
    ///
    /// 在本计划内唯一，小写字母、数字和连字符。
    pub id: Located<String>,
    /// 任务编号
    pub task: Located<String>,
    /// 报送单位编号
    ///
    /// 必须是该任务的责任单位，或其责任单位组的成员。
    pub unit: Located<String>,
    /// 报送日期
    pub date: Located<Date>,
    /// 进展状态
    pub status: Located<ProgressStatus>,
    /// 进展摘要
    pub summary: Located<String>,
    /// 佐证材料（可选）
    #[serde(default)]
    pub evidence: Vec<Evidence>,
    /// 审核记录（可选）
    ///
    /// 三审（初审、复审、终审）和公开属性。
    #[serde(default)]
    pub review: Option<Box<Review>>,
}

impl ProgressEntry {
    /// The line of the entry's first key, whatever their order: where the record starts in
    /// its file (values not read from a file, at line 0, do not count).
    pub fn first_line(&self) -> u32 {
        [
            self.id.line,
            self.task.line,
            self.unit.line,
            self.date.line,
            self.status.line,
            self.summary.line,
        ]
        .into_iter()
        .chain(self.evidence.iter().map(|e| e.title.line.min(e.url.line)))
        .chain(self.review.iter().map(|r| r.disclosure.line))
        .filter(|&l| l > 0)
        .min()
        .unwrap_or(0)
    }
}

/// 进展状态
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProgressStatus {
    /// 未开始
    #[serde(alias = "未开始")]
    NotStarted,
    /// 推进中
    #[serde(alias = "推进中", alias = "进行中")]
    InProgress,
    /// 已完成
    #[serde(alias = "已完成", alias = "完成")]
    Done,
}

impl ProgressStatus {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            ProgressStatus::NotStarted => "未开始",
            ProgressStatus::InProgress => "推进中",
            ProgressStatus::Done => "已完成",
        }
    }
}

/// 佐证材料
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// 材料名称
    pub title: Located<String>,
    /// 链接
    ///
    /// http:// 或 https:// 开头的网址，或站内相对路径。
    pub url: Located<String>,
}

/// 审核记录
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// 公开属性
    ///
    /// 主动公开、依申请公开或不予公开。
    pub disclosure: Located<String>,
    /// 不予公开理由
    #[serde(default)]
    pub withheld_reason: Option<String>,
    /// 初审
    #[serde(default)]
    pub first: Option<ReviewStage>,
    /// 复审
    #[serde(default)]
    pub second: Option<ReviewStage>,
    /// 终审
    #[serde(default, rename = "final")]
    pub final_: Option<ReviewStage>,
    /// 审核经过
    ///
    /// 退回、重签和撤回，每条由操作的审核人签名，按时间先后排列。由 gongkai sign、
    /// gongkai withdraw 或审核网页写入，不要手写。
    #[serde(default)]
    pub history: Vec<ReviewAction>,
}

/// 审核经过中的一条：退回、重签或撤回
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewAction {
    /// 操作
    ///
    /// return（退回）、redo（重签）或 withdraw（撤回）。
    pub action: Located<String>,
    /// 环节
    ///
    /// 退回或重签的环节：first、second 或 final；撤回不写。
    #[serde(default)]
    pub stage: Option<Located<String>>,
    /// 审核人编号
    pub reviewer: Located<String>,
    /// 日期
    pub date: Located<Date>,
    /// 理由
    pub reason: Located<String>,
    /// 被重签的签署
    ///
    /// 重签时原来签该环节的审核人编号和日期。
    #[serde(default)]
    pub replaced: Option<Replaced>,
    /// 内容指纹
    pub fingerprint: Located<String>,
    /// 签名
    pub signature: Located<String>,
}

/// 被重签的签署：原审核人和日期
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Replaced {
    /// 原审核人编号
    pub reviewer: String,
    /// 原签署日期
    pub date: Date,
}

impl Review {
    /// The disclosure attribute, when `disclosure` is spelled as one of the three (anything
    /// else is kept as written, for `check` to report at its place).
    pub fn attribute(&self) -> Option<crate::vocab::Disclosure> {
        crate::vocab::Disclosure::parse(&self.disclosure.value)
    }
}

/// 审核环节
///
/// 由 gongkai sign（或审核网页）写入，不要手写：没有审核人密钥的签名无效。
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewStage {
    /// 审核人编号
    ///
    /// content/reviewers.yaml 中的编号。不会出现在发布的站点上。
    #[serde(default)]
    pub reviewer: Option<Located<String>>,
    /// 审核人（旧格式）
    ///
    /// 旧版本手写的审核人姓名，没有密钥签名，不再有效；请用 gongkai sign 重新签署。
    #[serde(default)]
    pub by: Option<Located<String>>,
    /// 审核日期
    pub date: Located<Date>,
    /// 内容指纹
    ///
    /// 签署时全部公开内容的指纹；内容改动后不再匹配，须重新审核。
    #[serde(default)]
    pub fingerprint: Option<Located<String>>,
    /// 签名
    ///
    /// 审核人用自己的密钥对签署内容（docs/review.md）所作的签名。
    #[serde(default)]
    pub signature: Option<Located<String>>,
}

/// 页面前置信息（content/pages/*.md 开头的 YAML）
///
/// Markdown 页面的标题等信息，写在文件开头两行 --- 之间。
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PageFrontMatter {
    /// 页面标题
    pub title: Located<String>,
    /// 页面描述（可选）
    ///
    /// 用于 Description 元数据。
    #[serde(default)]
    pub description: Option<Located<String>>,
    /// 排序
    ///
    /// 数字小的排在前面。
    #[serde(default)]
    pub order: i32,
    /// 发布日期（可选）
    #[serde(default)]
    pub date: Option<Located<Date>>,
    /// 审核记录（可选）
    #[serde(default)]
    pub review: Option<Review>,
}

impl PageFrontMatter {
    /// Move every located value down `by` lines: the front matter is parsed on its own, and
    /// starts on line 2 of the page.
    pub fn shift_lines(&mut self, by: u32) {
        let mut lines: Vec<&mut u32> = vec![&mut self.title.line];
        lines.extend(self.description.as_mut().map(|d| &mut d.line));
        lines.extend(self.date.as_mut().map(|d| &mut d.line));
        if let Some(r) = self.review.as_mut() {
            lines.push(&mut r.disclosure.line);
            for s in [&mut r.first, &mut r.second, &mut r.final_]
                .into_iter()
                .flatten()
            {
                lines.push(&mut s.date.line);
            }
        }
        for l in lines {
            if *l > 0 {
                *l = l.saturating_add(by);
            }
        }
    }
}
