//! `gongkai check`: load and validate everything, print all findings.

use crate::cli::{CheckArgs, Common};
use crate::cmd::{CONTENT, ENV, OK};

/// Run the check; print findings to stderr and a summary line.
pub fn run(common: &Common, args: &CheckArgs) -> u8 {
    let checked = match crate::check_site(&common.root, args.as_of) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("错误：{e}");
            return ENV;
        }
    };
    let report = &checked.report;
    eprint!("{}", report.render());
    let mut privacy_errors = 0;
    for f in &checked.findings {
        eprintln!("{}", crate::privacy::render(f));
        privacy_errors += usize::from(f.allowed.is_none());
    }
    let (errors, warnings) = (report.errors() + privacy_errors, report.warnings());
    if errors == 0 && warnings == 0 {
        if let Some(site) = &checked.site {
            let tasks: usize = site.plans.iter().map(|p| p.tasks().count()).sum();
            let records: usize = site.plans.iter().map(|p| p.records.len()).sum();
            eprintln!(
                "检查通过：{} 份计划，{tasks} 项任务，{} 个单位，{} 个单位组，{records} 条进展记录。",
                site.plans.len(),
                site.units.len(),
                site.groups.len()
            );
        }
        return OK;
    }
    eprintln!("发现 {errors} 个错误，{warnings} 个警告。");
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        CONTENT
    } else {
        OK
    }
}
