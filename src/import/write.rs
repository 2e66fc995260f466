//! The imported plan as `content/` YAML text, in the layout of the default content. Strings are
//! written double-quoted with JSON escaping (valid YAML), ids plain.

use super::units::{Dictionary, GroupDef, UnitDef};
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
# 原表未载明公开属性；按原件改为 {}，页面上照样显示“未载明”。\n\
disclosure: {}\n",
        comment(title),
        comment(source),
        q(title),
        crate::vocab::Disclosure::choices(),
        crate::model::UNSTATED
    )
}

/// A new site's `content/units.yaml`: the entries the table names.
pub fn units_yaml(dict: &Dictionary) -> String {
    let mut s = String::from(
        "# 责任单位名录（由 gongkai import 生成）。编号会成为网址（units/<编号>.html），定下后不要再改。\n\
# 导入时新增的单位（编号 danwei-…、zu-…）请核对名称、类别，并换成有意义的编号。\n\
format_version: 1\n",
    );
    let units: Vec<_> = dict.units.iter().filter(|u| u.used).collect();
    let groups: Vec<_> = dict.groups.iter().filter(|g| g.used).collect();
    s.push_str(if units.is_empty() {
        "units: []\n"
    } else {
        "units:\n"
    });
    for u in units {
        unit_entry(&mut s, u, "  ");
    }
    s.push_str(if groups.is_empty() {
        "groups: []\n"
    } else {
        "groups:\n"
    });
    for g in groups {
        group_entry(&mut s, g, "  ");
    }
    s
}

/// One unit of `units.yaml`, its `- id:` line indented by `indent`.
fn unit_entry(s: &mut String, u: &UnitDef, indent: &str) {
    s.push_str(&format!(
        "{indent}- id: {}\n{indent}  name: {}\n{indent}  kind: {}\n",
        u.id,
        q(&u.name),
        kind_key(u.kind)
    ));
    if !u.aliases.is_empty() {
        s.push_str(&format!("{indent}  aliases: {}\n", flow(&u.aliases)));
    }
}

/// One group of `units.yaml`, its `- id:` line indented by `indent`.
fn group_entry(s: &mut String, g: &GroupDef, indent: &str) {
    s.push_str(&format!(
        "{indent}- id: {}\n{indent}  name: {}\n",
        g.id,
        q(&g.name)
    ));
    if !g.aliases.is_empty() {
        s.push_str(&format!("{indent}  aliases: {}\n", flow(&g.aliases)));
    }
    if !g.members.is_empty() {
        s.push_str(&format!("{indent}  members: {}\n", flow_ids(&g.members)));
    }
    if !g.member_kinds.is_empty() {
        let kinds: Vec<String> = g
            .member_kinds
            .iter()
            .map(|k| kind_key(*k).to_string())
            .collect();
        s.push_str(&format!("{indent}  member_kinds: {}\n", flow_ids(&kinds)));
    }
    if let Some(n) = &g.note {
        s.push_str(&format!("{indent}  note: {}\n", q(n)));
    }
}

/// A top-level key of a YAML text: (line index, key, value after the colon without comment).
fn top_keys(lines: &[&str]) -> Vec<(usize, String, String)> {
    lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let l = l.trim_start_matches('\u{feff}').trim_end_matches('\r');
            let first = l.chars().next()?;
            if first.is_whitespace() || "#-".contains(first) {
                return None;
            }
            let (k, v) = l.split_once(':')?;
            let v = v.split(" #").next().unwrap_or("").trim();
            Some((i, k.trim().to_string(), v.to_string()))
        })
        .collect()
}

/// The clerk's `units.yaml` with the units and groups this import added appended to its
/// `units:` and `groups:` lists as text: every byte already there stays (comments, order,
/// quoting, CRLF), so nothing the clerk wrote is re-serialised. `units: []` becomes `units:`
/// when units are added. The result is read back and must list the old entries then the new.
pub fn merge_units_yaml(existing: &str, dict: &Dictionary) -> Result<String, String> {
    let nl = if existing.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let lines: Vec<&str> = existing.split_inclusive('\n').collect();
    let keys = top_keys(&lines);
    // (line index to insert before, text) and (line index, replacement) edits.
    let mut inserts: Vec<(usize, String)> = Vec::new();
    let mut replace: Vec<(usize, String)> = Vec::new();
    let mut append = String::new();
    let new_units: Vec<&UnitDef> = dict.units.iter().filter(|u| u.new).collect();
    let new_groups: Vec<&GroupDef> = dict.groups.iter().filter(|g| g.new).collect();
    for key in ["units", "groups"] {
        let entries = |indent: &str| {
            let mut s = String::new();
            if key == "units" {
                for u in &new_units {
                    unit_entry(&mut s, u, indent);
                }
            } else {
                for g in &new_groups {
                    group_entry(&mut s, g, indent);
                }
            }
            s.replace('\n', nl)
        };
        if entries("").is_empty() {
            continue;
        }
        let Some(k) = keys.iter().position(|(_, name, _)| name == key) else {
            append.push_str(&format!("{key}:{nl}{}", entries("  ")));
            continue;
        };
        let (line, _, value) = &keys[k];
        match value.as_str() {
            "" => {}
            "[]" => {
                replace.push((*line, format!("{key}:{nl}{}", entries("  "))));
                continue;
            }
            _ => {
                return Err(format!(
                    "content/units.yaml 第 {} 行的 {key} 写在一行里（[...]），无法在后面追加；请改成每条一行的列表（- id: …）后再导入",
                    line + 1
                ));
            }
        }
        let end = keys.get(k + 1).map_or(lines.len(), |n| n.0);
        let body = &lines[line + 1..end];
        let last = body
            .iter()
            .rposition(|l| {
                let t = l.trim();
                !t.is_empty() && !t.starts_with('#')
            })
            .map_or(line + 1, |i| line + 1 + i + 1);
        let indent = body
            .iter()
            .find(|l| l.trim_start().starts_with("- "))
            .map_or("  ".to_string(), |l| {
                l[..l.len() - l.trim_start().len()].to_string()
            });
        let mut text = entries(&indent);
        if !lines[last - 1].ends_with('\n') {
            text.insert_str(0, nl);
        }
        inserts.push((last, text));
    }
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        for (_, t) in inserts.iter().filter(|(at, _)| *at == i) {
            out.push_str(t);
        }
        match replace.iter().find(|(at, _)| *at == i) {
            Some((_, r)) => out.push_str(r),
            None => out.push_str(l),
        }
    }
    for (_, t) in inserts.iter().filter(|(at, _)| *at == lines.len()) {
        out.push_str(t);
    }
    if !append.is_empty() {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(nl);
        }
        out.push_str(&append);
    }
    // Read back: the old entries, then the new ones, nothing else.
    let back = Dictionary::from_yaml(&out)
        .map_err(|e| format!("追加新单位后 content/units.yaml 无法读取（{e}）；请手工添加"))?;
    let ids = |u: &[UnitDef], g: &[GroupDef]| -> Vec<String> {
        u.iter()
            .map(|x| x.id.clone())
            .chain(g.iter().map(|x| x.id.clone()))
            .collect()
    };
    if ids(&back.units, &back.groups) != ids(&dict.units, &dict.groups) {
        return Err(
            "content/units.yaml 的写法特殊，无法在不改动原有内容的情况下追加新单位；请把 units 和 groups 写成每条一行的列表后再导入"
                .to_string(),
        );
    }
    Ok(out)
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

#[cfg(test)]
mod tests {
    use super::*;

    const CLERK: &str = "# 我们的单位名录\r\nformat_version: 1\r\nunits:\r\n- id: caizheng   # 财政\r\n  name: 县财政局\r\n  kind: department\r\n\r\n# 以下是单位组\r\ngroups:\r\n- id: xiangzhen\r\n  name: 各乡镇\r\n# 完\r\n";

    #[test]
    fn new_units_and_groups_are_appended_as_text() {
        let mut d = Dictionary::from_yaml(CLERK).unwrap();
        d.split("县审计局、县财政局、各村（社区）");
        let merged = merge_units_yaml(CLERK, &d).unwrap();
        let want = "# 我们的单位名录\r\nformat_version: 1\r\nunits:\r\n- id: caizheng   # 财政\r\n  name: 县财政局\r\n  kind: department\r\n- id: danwei-1\r\n  name: \"县审计局\"\r\n  kind: department\r\n\r\n# 以下是单位组\r\ngroups:\r\n- id: xiangzhen\r\n  name: 各乡镇\r\n- id: zu-1\r\n  name: \"各村（社区）\"\r\n  note: \"由 gongkai import 新增，请核对名称、编号和成员\"\r\n# 完\r\n";
        assert_eq!(merged, want);
        // Nothing new: the same bytes.
        let d = Dictionary::from_yaml(CLERK).unwrap();
        assert_eq!(merge_units_yaml(CLERK, &d).unwrap(), CLERK);
    }

    #[test]
    fn empty_and_missing_lists() {
        let text = "format_version: 1\nunits: []";
        let mut d = Dictionary::from_yaml(text).unwrap();
        d.split("县审计局、各村（社区）");
        let merged = merge_units_yaml(text, &d).unwrap();
        assert_eq!(
            merged,
            "format_version: 1\nunits:\n  - id: danwei-1\n    name: \"县审计局\"\n    kind: department\ngroups:\n  - id: zu-1\n    name: \"各村（社区）\"\n    note: \"由 gongkai import 新增，请核对名称、编号和成员\"\n"
        );
        let flow = "format_version: 1\nunits: [{id: a, name: 甲局, kind: department}]\n";
        let mut d = Dictionary::from_yaml(flow).unwrap();
        d.split("县审计局");
        assert!(
            merge_units_yaml(flow, &d)
                .unwrap_err()
                .contains("写在一行里")
        );
    }
}
