//! `gongkai sheet`: write the report sheets (报送表) of one unit or group, or of all.
//! The current status column is computed exactly as `gongkai build` computes the published
//! site: check, the publication gate (only signed records count), then [`crate::compute`].

use crate::cli::{Common, SheetArgs};
use crate::cmd::{CONTENT, ENV, OK};
use crate::compute::Computed;
use crate::status::Rules;

/// Run the command.
pub fn run(common: &Common, args: &SheetArgs) -> u8 {
    let root = &common.root;
    let checked = match crate::check_site(root, args.as_of) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("错误：{e}");
            return ENV;
        }
    };
    let (Some(site), Some(verdicts), 0) = (
        checked.site.clone(),
        checked.verdicts.as_ref(),
        checked.report.errors(),
    ) else {
        eprint!("{}", checked.report.render());
        eprintln!("站点检查未通过，无法生成报送表：请先改正以上问题（gongkai check）。");
        return CONTENT;
    };
    if let Some(p) = &args.plan
        && !site.plans.iter().any(|x| &x.id == p)
    {
        let ids: Vec<&str> = site.plans.iter().map(|x| x.id.as_str()).collect();
        eprintln!("错误：没有计划 “{p}”；站点中的计划：{}", ids.join("、"));
        return ENV;
    }
    let (site, _) = crate::publish::gate(site, verdicts);
    let rules = Rules {
        as_of: checked.as_of,
        stale_after_days: site.config.stale_after_days,
    };
    let cx = Computed::new(&site, rules, &|_, _| true);
    let ids: Vec<String> = match &args.unit {
        Some(id) => {
            if !cx.dir.by_id.contains_key(id.as_str()) {
                let known: Vec<&str> = cx.dir.by_id.keys().copied().collect();
                eprintln!(
                    "错误：没有编号为 “{id}” 的单位或单位组；content/units.yaml 中的编号：{}",
                    known.join("、")
                );
                return ENV;
            }
            vec![id.clone()]
        }
        None => site
            .units
            .iter()
            .map(|u| u.id.value.clone())
            .chain(site.groups.iter().map(|g| g.id.value.clone()))
            .collect(),
    };
    let out = root.join(&args.out);
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("错误：无法创建文件夹 {}：{e}", out.display());
        return ENV;
    }
    let mut written = 0;
    for id in &ids {
        let Some(spec) = crate::sheet::rows(&site, &cx, id, args.plan.as_deref()) else {
            continue;
        };
        if spec.rows.is_empty() {
            if args.unit.is_some() {
                eprintln!("“{}”（{id}）没有任务，未生成报送表。", spec.name);
            }
            continue;
        }
        let bytes =
            match crate::sheet::write::workbook(&spec, &site.config.title.value, rules.as_of) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("错误：{e}");
                    return ENV;
                }
            };
        let path = out.join(format!("{id}-报送表.xlsx"));
        if let Err(e) = crate::review::act::write_atomic(&path, &bytes) {
            eprintln!("错误：无法写入 {}：{e}", path.display());
            return ENV;
        }
        eprintln!(
            "已生成：{}（{}，{} 行）",
            path.display(),
            spec.name,
            spec.rows.len()
        );
        written += 1;
    }
    eprintln!(
        "共生成 {written} 个报送表，数据截至 {}。",
        rules.as_of.format("%Y-%m-%d")
    );
    OK
}
