//! `gongkai report [--as-of D] [--all] [--stale-days N] [--json] [--xlsx FILE]`: the progress
//! report for leaders (进展通报), printed as tables or JSON and optionally written as a workbook.

use crate::cli::{Common, ReportArgs};
use crate::cmd::{CONTENT, ENV, OK};
use crate::report::{Options, Scope};

/// Check the site, compute the report as of the build's date, print it, write the workbook.
pub fn run(common: &Common, args: &ReportArgs) -> u8 {
    // The build's first step, so the as-of date and the verdicts are the build's.
    let checked = match crate::check_site_with(&common.root, args.as_of, None) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("错误：{e}");
            return ENV;
        }
    };
    let errors = checked.report.errors();
    let Some(site) = checked.site.as_ref().filter(|_| errors == 0) else {
        eprint!("{}", checked.report.render());
        eprintln!("内容有 {errors} 个错误，无法生成进展通报；请先用 gongkai check 修正");
        return CONTENT;
    };
    let verdicts = checked
        .verdicts
        .unwrap_or_else(|| crate::review::Verdicts::new(site, crate::check::today_shanghai()));
    let opts = Options {
        as_of: checked.as_of,
        scope: if args.all {
            Scope::All
        } else {
            Scope::Published
        },
        stale_days: args.stale_days,
        horizon_days: 30,
    };
    let report = crate::report::compute(site, &verdicts, &opts);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        print!("{}", crate::report::text::render(&report));
    }
    if let Some(file) = &args.xlsx {
        let to = common.root.join(file);
        let written = crate::report::xlsx::workbook(&report)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                crate::review::act::write_atomic(&to, &bytes).map_err(|e| e.to_string())
            });
        match written {
            Ok(()) => eprintln!("已写入 Excel 文件：{}", to.display()),
            Err(e) => {
                eprintln!("错误：无法写入 {}：{e}", to.display());
                return ENV;
            }
        }
    }
    OK
}
