//! The imported plan as `content/` YAML text, in the layout of the default content. Strings are
//! written double-quoted with JSON escaping (valid YAML), ids plain.

use super::units::Dictionary;
use crate::model::UnitKind;

/// Quote a string for YAML.
pub fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

fn kind_key(k: UnitKind) -> &'static str {
    match k {
        UnitKind::Department => "department",
        UnitKind::Township => "township",
        UnitKind::Subdistrict => "subdistrict",
        UnitKind::PartyOrgan => "party_organ",
        UnitKind::OtherOrgan => "other_organ",
        UnitKind::Section => "section",
    }
}

/// Text for a `#` comment: one line.
fn comment(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

fn flow(items: &[String]) -> String {
    format!(
        "[{}]",
        items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
    )
}

fn flow_ids(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

/// `content/site.yaml` with placeholders marked 示例.
pub fn site_yaml(plan_title: &str) -> String {
    let base = plan_title.trim_end_matches("分工表").trim_end_matches("表");
    let title = format!("{base}落实情况");
    format!(
        "# 站点配置（由 gongkai import 生成）。标注“示例”的值是占位，上线前须换成真实值。\n\
format_version: 1\n\
title: {}\n\
# 示例网址：发布时改为站点的真实地址（以 / 结尾）。\n\
base_url: https://www.example.gov.cn/\n\
theme: default\n\
portal:\n\
\x20 site_name: \"示例：网站名称\"\n\
\x20 domain: \"示例：www.example.gov.cn\"\n\
\x20 site_id_code: \"示例：网站标识码\"\n\
\x20 sponsor: \"示例：主办单位\"\n\
\x20 icp: \"示例：ICP备案号\"\n\
\x20 police_record: \"示例：公安机关备案号\"\n\
\x20 contact: \"示例：联系方式\"\n",
        q(&title)
    )
}

/// `content/plans/<year>/plan.yaml` with placeholders marked 示例.
pub fn plan_yaml(title: &str, year: i32, source: &str) -> String {
    format!(
        "# {}：文件信息（由 gongkai import 从 {} 生成；标注“示例”的值请按原件改写）。\n\
format_version: 1\n\
title: {}\n\
year: {year}\n\
issuer: \"示例：印发机关\"\n\
# 原表未载明印发日期；知道日期时改为 年-月-日，例如 {year}-03-01。\n\
issue_date: 未载明\n\
disclosure: {}\n",
        comment(title),
        comment(source),
        q(title),
        crate::vocab::Disclosure::Proactive
    )
}

/// `content/units.yaml`: every entry when `all`, else only those the table names.
pub fn units_yaml(dict: &Dictionary, all: bool) -> String {
    let mut s = String::from(
        "# 责任单位名录（由 gongkai import 生成）。编号会成为网址（units/<编号>.html），定下后不要再改。\n\
# 导入时新增的单位（编号 danwei-…、zu-…）请核对名称、类别，并换成有意义的编号。\n\
format_version: 1\n",
    );
    let units: Vec<_> = dict.units.iter().filter(|u| all || u.used).collect();
    let groups: Vec<_> = dict.groups.iter().filter(|g| all || g.used).collect();
    s.push_str(if units.is_empty() {
        "units: []\n"
    } else {
        "units:\n"
    });
    for u in units {
        s.push_str(&format!(
            "  - id: {}\n    name: {}\n    kind: {}\n",
            u.id,
            q(&u.name),
            kind_key(u.kind)
        ));
        if !u.aliases.is_empty() {
            s.push_str(&format!("    aliases: {}\n", flow(&u.aliases)));
        }
    }
    s.push_str(if groups.is_empty() {
        "groups: []\n"
    } else {
        "groups:\n"
    });
    for g in groups {
        s.push_str(&format!("  - id: {}\n    name: {}\n", g.id, q(&g.name)));
        if !g.aliases.is_empty() {
            s.push_str(&format!("    aliases: {}\n", flow(&g.aliases)));
        }
        if !g.members.is_empty() {
            s.push_str(&format!("    members: {}\n", flow_ids(&g.members)));
        }
        if !g.member_kinds.is_empty() {
            let kinds: Vec<String> = g
                .member_kinds
                .iter()
                .map(|k| kind_key(*k).to_string())
                .collect();
            s.push_str(&format!("    member_kinds: {}\n", flow_ids(&kinds)));
        }
        if let Some(n) = &g.note {
            s.push_str(&format!("    note: {}\n", q(n)));
        }
    }
    s
}

/// A task ready to write.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskOut {
    /// `<category>-<subcategory>-<n>`.
    pub id: String,
    /// Task text.
    pub text: String,
    /// 责任单位 verbatim.
    pub responsible_text: Option<String>,
    /// 责任单位 ids.
    pub responsible: Vec<String>,
    /// 牵头单位 verbatim.
    pub lead_text: Option<String>,
    /// 牵头单位 ids.
    pub lead: Vec<String>,
    /// 配合单位 verbatim.
    pub cooperating_text: Option<String>,
    /// 配合单位 ids.
    pub cooperating: Vec<String>,
    /// 等部门.
    pub and_others: bool,
    /// 完成时限 verbatim.
    pub deadline: Option<String>,
}

/// `content/plans/<year>/tasks/<n>.yaml` for one category. Tasks of a sub-category with an
/// empty title (the table has no 重点工作任务 level there) go directly under `tasks:`.
pub fn tasks_yaml(
    number: u32,
    title: &str,
    subs: &[(String, Vec<TaskOut>)],
    source: &str,
) -> String {
    let mut s = format!(
        "# 工作任务大类 {number}：{}（由 gongkai import 从 {} 逐字导入）\n\
format_version: 1\n\
category:\n\
\x20 number: {number}\n\
\x20 title: {}\n",
        comment(title),
        comment(source),
        q(title)
    );
    let direct: Vec<&TaskOut> = subs
        .iter()
        .filter(|(t, _)| t.is_empty())
        .flat_map(|(_, ts)| ts)
        .collect();
    if !direct.is_empty() {
        s.push_str("tasks:\n");
        for t in direct {
            task_yaml(&mut s, t, "  ");
        }
    }
    if subs.iter().any(|(t, _)| !t.is_empty()) {
        s.push_str("subcategories:\n");
    }
    for (sub, tasks) in subs.iter().filter(|(t, _)| !t.is_empty()) {
        s.push_str(&format!("  - title: {}\n    tasks:\n", q(sub)));
        for t in tasks {
            task_yaml(&mut s, t, "      ");
        }
    }
    s
}

/// One task of a tasks file, its `- id:` line indented by `indent`.
fn task_yaml(s: &mut String, t: &TaskOut, indent: &str) {
    s.push_str(&format!(
        "{indent}- id: {}\n{indent}  text: {}\n",
        q(&t.id),
        q(&t.text)
    ));
    for (key, text, ids) in [
        ("responsible", &t.responsible_text, &t.responsible),
        ("lead", &t.lead_text, &t.lead),
        ("cooperating", &t.cooperating_text, &t.cooperating),
    ] {
        if let Some(text) = text {
            s.push_str(&format!("{indent}  {key}_text: {}\n", q(text)));
        }
        if !ids.is_empty() {
            s.push_str(&format!("{indent}  {key}: {}\n", flow_ids(ids)));
        }
    }
    if t.and_others {
        s.push_str(&format!("{indent}  and_others: true\n"));
    }
    if let Some(d) = &t.deadline {
        s.push_str(&format!("{indent}  deadline: {}\n", q(d)));
    }
}
