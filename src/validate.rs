//! Validate: cross-file checks on a loaded [`Site`], each finding located at the value the
//! user wrote. Runs after loading; never stops at the first problem.

use crate::deadline::DeadlineKind;
use crate::diag::{Diagnostic, Report, suggest};
use crate::loc::Located;
use crate::model::{FORMAT_VERSION, UnitKind};
use crate::site::{Directory, Party, Plan, Record, Site, Task};
use crate::vocab;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// Whether `id` is a valid id (lowercase ASCII letters, digits, hyphens; it becomes a URL).
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && !id.starts_with('-')
}

fn id_error(path: &str, id: &Located<String>, what: &str) -> Diagnostic {
    Diagnostic::error(
        path,
        id.line,
        id.col,
        format!(
            "{what}编号 \"{}\" 不合规：只能用小写字母、数字、连字符和下划线",
            id.value
        ),
    )
    .width(id.value.chars().count())
    .hint("编号会成为网址的一部分，例如 fagai、2-1-3")
}

fn version(report: &mut Report, path: &str, v: &Located<u32>) {
    if v.value != FORMAT_VERSION {
        report.push(
            Diagnostic::error(
                path,
                v.line,
                v.col,
                format!(
                    "不支持的格式版本 {}，本版 gongkai 读取版本 {FORMAT_VERSION}",
                    v.value
                ),
            )
            .hint(format!("写 format_version: {FORMAT_VERSION}")),
        );
    }
}

/// Run every check. `today` is the real date (records may not be dated after it).
/// `unread` holds the values written in parts of files that could not be read: references to
/// them are not reported as unknown (the mistake that hid them is).
pub fn validate(site: &Site, report: &mut Report, today: NaiveDate, unread: &BTreeSet<String>) {
    let dir = Directory::new(&site.units, &site.groups);
    version(report, "content/site.yaml", &site.config.format_version);
    check_site_config(site, report);
    check_directory(site, &dir, report, unread);
    for plan in &site.plans {
        check_plan(plan, &dir, report, today, unread);
    }
    empty_strings(site, report);
    for page in &site.pages {
        if !is_valid_id(&page.slug) {
            report.push(
                Diagnostic::error(
                    &page.path,
                    1,
                    1,
                    format!("页面文件名 \"{}\" 不合规", page.slug),
                )
                .hint("文件名会成为网址：只用小写字母、数字、连字符，例如 about.md"),
            );
        }
    }
}

/// A required text written as an empty string would render an empty heading or cell: a located
/// error for each (an optional field left out entirely is fine).
fn empty_strings(site: &Site, report: &mut Report) {
    const REQUIRED: &str = "照原件逐字填写";
    const OPTIONAL: &str = "照原件逐字填写；原表没有这一栏时，把这一行整行删去";
    fn check_with(report: &mut Report, path: &str, what: &str, v: &Located<String>, hint: &str) {
        if v.value.trim().is_empty() {
            report.push(
                Diagnostic::error(path, v.line, v.col, format!("{what}是空的"))
                    .width(v.value.chars().count().max(2))
                    .hint(hint),
            );
        }
    }
    let check = |report: &mut Report, path: &str, what: &str, v: &Located<String>| {
        check_with(report, path, what, v, REQUIRED);
    };
    check(
        report,
        "content/site.yaml",
        "站点标题（title）",
        &site.config.title,
    );
    for u in &site.units {
        check(report, "content/units.yaml", "单位名称（name）", &u.name);
    }
    for g in &site.groups {
        check(report, "content/units.yaml", "单位组名称（name）", &g.name);
    }
    for plan in &site.plans {
        let m = &plan.meta;
        check(report, &plan.path, "标题（title）", &m.title);
        check(report, &plan.path, "发布机构（issuer）", &m.issuer);
        for (what, o) in [
            ("成文日期（written_date）", &m.written_date),
            ("文号（doc_number）", &m.doc_number),
            ("索引号（index_number）", &m.index_number),
            ("主题分类（subject）", &m.subject),
        ] {
            if let Some(o) = o {
                check_with(
                    report,
                    &plan.path,
                    what,
                    o,
                    "照原件填写；原件没有写明时写“未载明”，本站不用这一项时整行删去",
                );
            }
        }
        for c in &plan.categories {
            check(report, &c.path, "工作任务（category.title）", &c.title);
            for sub in &c.subcategories {
                if let Some(t) = &sub.title {
                    check_with(
                        report,
                        &sub.path,
                        "重点工作任务名称（title）",
                        t,
                        "照原件逐字填写；原表没有“重点工作任务”这一级时，不写 subcategories，把任务直接列在 tasks 下",
                    );
                }
                for t in &sub.tasks {
                    let e = &t.entry;
                    for (what, cell) in [
                        ("责任单位原文（responsible_text）", &e.responsible_text),
                        ("牵头单位原文（lead_text）", &e.lead_text),
                        ("配合单位原文（cooperating_text）", &e.cooperating_text),
                        ("完成时限（deadline）", &e.deadline),
                    ] {
                        if let Some(v) = cell {
                            check_with(report, &t.path, what, v, OPTIONAL);
                        }
                    }
                }
            }
        }
        if let Some(pp) = &plan.pilots_path {
            for b in &plan.pilots {
                check(report, pp, "批次名称（name）", &b.name);
            }
        }
    }
}

/// What the as-of date makes a reader misread: an as-of date before a plan's issue date, and
/// records dated after a pinned as-of date (not counted). Warnings; the pages say the same.
pub fn as_of_warnings(site: &Site, as_of: NaiveDate, today: NaiveDate, report: &mut Report) {
    for plan in &site.plans {
        let issued = &plan.meta.issue_date;
        if let Some(d) = issued.value.known()
            && as_of < d
        {
            report.push(
                Diagnostic::warning(
                    &plan.path,
                    issued.line,
                    issued.col,
                    format!(
                        "数据截至日期 {} 早于本计划的印发日期 {}",
                        as_of.format("%Y-%m-%d"),
                        d.format("%Y-%m-%d")
                    ),
                )
                .width(10)
                .hint("检查 content/site.yaml 的 as_of 或命令行 --as-of；页面上会注明这一点"),
            );
        }
        for r in &plan.records {
            let date = &r.entry.date;
            // After today is an error of its own; here only a pinned as-of date matters.
            if date.value.0 > as_of && date.value.0 <= today {
                report.push(
                    Diagnostic::warning(
                        &r.path,
                        date.line,
                        date.col,
                        format!(
                            "进展记录的日期 {} 晚于数据截至日期 {}，不计入完成情况",
                            date.value,
                            as_of.format("%Y-%m-%d")
                        ),
                    )
                    .width(10)
                    .hint("要计入，把 content/site.yaml 的 as_of 改到这一天或以后（或删去 as_of，按今天计算）；页面上会注明未计入的条数"),
                );
            }
        }
    }
}

fn check_site_config(site: &Site, report: &mut Report) {
    let p = "content/site.yaml";
    let b = &site.config.base_url;
    let ok_scheme = b.value.starts_with("https://") || b.value.starts_with("http://");
    let host_ok = b
        .value
        .split("://")
        .nth(1)
        .is_some_and(|r| !r.is_empty() && !r.starts_with('/'));
    if !ok_scheme || !host_ok || b.value.contains(char::is_whitespace) {
        report.push(
            Diagnostic::error(
                p,
                b.line,
                b.col,
                format!("站点网址 \"{}\" 不是绝对网址", b.value),
            )
            .width(b.value.chars().count())
            .hint("写成 https://域名/路径/ 的形式，例如 https://www.example.gov.cn/zwgk/"),
        );
    } else if !b.value.ends_with('/') {
        report.push(
            Diagnostic::error(
                p,
                b.line,
                b.col,
                format!("站点网址 \"{}\" 应以 / 结尾", b.value),
            )
            .width(b.value.chars().count())
            .hint(format!("改为 {}/", b.value)),
        );
    }
    if !is_valid_id(&site.config.theme) {
        report.push(Diagnostic::error(
            p,
            1,
            1,
            format!("主题名称 \"{}\" 不合规", site.config.theme),
        ));
    }
    if let Some(n) = site.config.feed_entries.as_ref().filter(|n| n.value == 0) {
        report.push(
            Diagnostic::error(p, n.line, n.col, "feed_entries 应为不小于 1 的整数").hint(format!(
                "订阅源至少列一条进展；不写时为 {}",
                crate::model::DEFAULT_FEED_ENTRIES
            )),
        );
    }
    let portal = &site.config.portal;
    for (what, v) in [
        ("门户网站首页地址（portal.url）", &portal.url),
        (
            "党政机关网站标识链接（portal.conac_url）",
            &portal.conac_url,
        ),
        (
            "“我为政府网站找错”地址（portal.report_error_url）",
            &portal.report_error_url,
        ),
    ] {
        let Some(v) = v else { continue };
        let rest = v
            .value
            .strip_prefix("https://")
            .or_else(|| v.value.strip_prefix("http://"));
        let ok = rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
            && !v
                .value
                .contains(|c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>');
        if !ok {
            report.push(
                Diagnostic::error(p, v.line, v.col, format!("{what} \"{}\" 不是绝对网址", v.value))
                    .width(v.value.chars().count())
                    .hint("写成 https://域名/路径 的形式，例如 https://www.example.gov.cn/；不用这一项时整行删去"),
            );
        }
    }
}

fn check_directory(
    site: &Site,
    dir: &Directory<'_>,
    report: &mut Report,
    unread: &BTreeSet<String>,
) {
    let p = "content/units.yaml";
    // A catch-all written as one unit: its tasks would count as one body's (the words are those
    // `gongkai import` reads such a cell with, crate::vocab).
    for u in &site.units {
        if vocab::is_group_name(&u.name.value) {
            report.push(
                Diagnostic::warning(
                    p,
                    u.name.line,
                    u.name.col,
                    format!("“{}”是对一类单位的统称，应登记为单位组", u.name.value),
                )
                .width(u.name.value.chars().count())
                .hint(format!(
                    "把编号 {} 这一条从 units 移到 groups（编号和名称不变，删去 kind 一行），任务中的编号不用改",
                    u.id.value
                )),
            );
        }
    }
    let mut ids: BTreeMap<&str, &Located<String>> = BTreeMap::new();
    let mut names: BTreeMap<&str, (&str, &Located<String>)> = BTreeMap::new();
    let entries = site
        .units
        .iter()
        .map(|u| (&u.id, &u.name, &u.aliases))
        .chain(site.groups.iter().map(|g| (&g.id, &g.name, &g.aliases)));
    for (id, name, aliases) in entries {
        if !is_valid_id(&id.value) {
            report.push(id_error(p, id, "单位"));
        }
        if let Some(first) = ids.get(id.value.as_str()) {
            report.push(
                Diagnostic::error(
                    p,
                    id.line,
                    id.col,
                    format!("重复的单位编号 \"{}\"", id.value),
                )
                .width(id.value.chars().count())
                .hint(format!(
                    "第 {} 行已经用过这个编号；单位和单位组的编号都不能重复",
                    first.line
                )),
            );
        } else {
            ids.insert(&id.value, id);
        }
        for n in std::iter::once(name).chain(aliases.iter()) {
            if n.value.trim().is_empty() {
                report.push(Diagnostic::error(p, n.line, n.col, "单位名称不能为空"));
                continue;
            }
            match names.get(n.value.as_str()) {
                Some((other, first)) if *other != id.value => report.push(
                    Diagnostic::error(
                        p,
                        n.line,
                        n.col,
                        format!("名称“{}”同时属于 \"{other}\" 和 \"{}\"", n.value, id.value),
                    )
                    .width(n.value.chars().count())
                    .hint(format!(
                        "第 {} 行已用过这个名称；一个名称只能指一个单位",
                        first.line
                    )),
                ),
                Some(_) => {}
                None => {
                    names.insert(&n.value, (&id.value, n));
                }
            }
        }
    }
    for g in &site.groups {
        for m in &g.members {
            match dir.by_id.get(m.value.as_str()) {
                Some(Party::Unit(_)) => {}
                Some(Party::Group(_)) => report.push(
                    Diagnostic::error(
                        p,
                        m.line,
                        m.col,
                        format!("成员 \"{}\" 是单位组，不是单位", m.value),
                    )
                    .width(m.value.chars().count())
                    .hint("单位组的成员只能是单位"),
                ),
                None => unknown_party(report, p, m, dir, unread),
            }
        }
    }
}

/// Report an unknown unit or group, unless its name was written in a part of a file that could
/// not be read (that file's mistake is reported instead).
fn unknown_party(
    report: &mut Report,
    path: &str,
    id: &Located<String>,
    dir: &Directory<'_>,
    unread: &BTreeSet<String>,
) {
    if unread.contains(&id.value) {
        return;
    }
    let mut msg = format!("未知的单位编号 \"{}\"", id.value);
    let near_name = (!dir.by_name.contains_key(id.value.as_str()))
        .then(|| crate::diag::suggest_name(&id.value, dir.by_name.keys().copied()));
    if let Some(s) = suggest(&id.value, dir.by_id.keys().copied()) {
        msg.push_str(&format!("，是否指 \"{s}\"（{}）？", dir.name(s)));
    } else if let Some(Some(name)) = near_name
        && let Some(real) = dir.by_name.get(name)
    {
        msg.push_str(&format!("，是否指“{name}”（编号 {real}）？"));
    }
    let several = id.value.contains(['，', '、', ',']);
    let hint = match dir.by_name.get(id.value.as_str()) {
        Some(real) => format!("这里要写编号而不是名称：“{}”的编号是 {real}", id.value),
        None if several => {
            "这里只能写一个编号；列表的各项用半角逗号分隔，例如 [sifa, fagai]".to_string()
        }
        None => "单位和单位组的编号在 content/units.yaml 中定义".to_string(),
    };
    report.push(
        Diagnostic::error(path, id.line, id.col, msg)
            .width(id.value.chars().count())
            .hint(hint),
    );
}

fn check_cell(
    task: &Task,
    text: Option<&Located<String>>,
    ids: &[Located<String>],
    field: &str,
    dir: &Directory<'_>,
    report: &mut Report,
) {
    let Some(text) = text else {
        return;
    };
    // Columns inside the cell count from its first character, one past an opening quote.
    // Looked up only when a finding is reported: scanning the file for every task would make
    // checking a large task file quadratic.
    let value_col = |report: &Report| {
        let quoted = text
            .line
            .checked_sub(1)
            .and_then(|i| report.sources.get(&task.path)?.lines().nth(i as usize))
            .and_then(|l| l.chars().nth(text.col.checked_sub(1)? as usize))
            .is_some_and(|c| c == '"' || c == '\'');
        text.col + u32::from(quoted)
    };
    let found = dir.find_names(&text.value);
    let named: BTreeSet<&str> = found.iter().map(|f| f.2).collect();
    let listed: BTreeSet<&str> = ids.iter().map(|l| l.value.as_str()).collect();
    for (start, end, id) in &found {
        if !listed.contains(id) {
            let col = value_col(report)
                + u32::try_from(text.value[..*start].chars().count()).unwrap_or(0);
            let name = &text.value[*start..*end];
            report.push(
                Diagnostic::error(
                    &task.path,
                    text.line,
                    col,
                    format!("原文点名的“{name}”（{id}）没有列入 {field}"),
                )
                .width(name.chars().count())
                .hint(format!("在任务 {} 的 {field} 中加上 {id}", task.id())),
            );
        }
    }
    for l in ids {
        if dir.by_id.contains_key(l.value.as_str()) && !named.contains(l.value.as_str()) {
            report.push(
                Diagnostic::error(
                    &task.path,
                    l.line,
                    l.col,
                    format!(
                        "{field} 中的 \"{}\"（{}）在原文中没有出现",
                        l.value,
                        dir.name(&l.value)
                    ),
                )
                .width(l.value.chars().count())
                .hint("结构化的单位须与原文一一对应；原文写法不同时，把它加为该单位的别名"),
            );
        }
    }
    // Leftover text that names no known unit: likely a typo or a unit missing from units.yaml.
    // Read as `gongkai import` reads the cell (crate::vocab), so the two cannot disagree.
    let ranges: Vec<(usize, usize)> = found.iter().map(|(s, e, _)| (*s, *e)).collect();
    for (offset, piece) in vocab::unnamed_pieces(&text.value, &ranges) {
        let col =
            value_col(report) + u32::try_from(text.value[..offset].chars().count()).unwrap_or(0);
        let mut msg = format!("原文中的“{piece}”不是已知的单位或单位组");
        if let Some(s) = suggest(piece, dir.by_name.keys().copied())
            .or_else(|| crate::diag::suggest_name(piece, dir.by_name.keys().copied()))
        {
            msg.push_str(&format!("，是否指“{s}”？"));
        }
        report.push(
            Diagnostic::warning(&task.path, text.line, col, msg)
                .width(piece.chars().count())
                .hint("在 content/units.yaml 中登记这个单位（或把这种写法加为别名）"),
        );
    }
    let says_others = vocab::says_and_others(&text.value);
    if says_others && !task.entry.and_others {
        report.push(
            Diagnostic::warning(
                &task.path,
                task.entry.id.line,
                task.entry.id.col,
                format!(
                    "任务 {} 的原文写有“等部门”，但没有标 and_others: true",
                    task.id()
                ),
            )
            .hint("加上 and_others: true，表示点名之外还有其他单位"),
        );
    }
}

fn check_plan(
    plan: &Plan,
    dir: &Directory<'_>,
    report: &mut Report,
    today: NaiveDate,
    unread: &BTreeSet<String>,
) {
    version(report, &plan.path, &plan.meta.format_version);
    if !is_valid_id(&plan.id) {
        report.push(
            Diagnostic::error(
                &plan.path,
                1,
                1,
                format!("计划文件夹名 \"{}\" 不合规", plan.id),
            )
            .hint("文件夹名会成为网址：只用小写字母、数字和连字符，例如 2023"),
        );
    }
    let year = plan.meta.year.value;
    if !(1900..=2200).contains(&year) {
        let y = &plan.meta.year;
        report.push(Diagnostic::error(
            &plan.path,
            y.line,
            y.col,
            format!("年度 {year} 不合理"),
        ));
    }
    let mut task_ids: BTreeMap<&str, &Task> = BTreeMap::new();
    for task in plan.tasks() {
        let id = &task.entry.id;
        if !is_valid_id(&id.value) {
            report.push(id_error(&task.path, id, "任务"));
        }
        if let Some(first) = task_ids.get(id.value.as_str()) {
            report.push(
                Diagnostic::error(
                    &task.path,
                    id.line,
                    id.col,
                    format!("重复的任务编号 \"{}\"", id.value),
                )
                .width(id.value.chars().count())
                .hint(format!(
                    "{}:{} 已经用过这个编号",
                    first.path, first.entry.id.line
                )),
            );
        } else {
            task_ids.insert(&id.value, task);
        }
        if task.entry.text.trim().is_empty() {
            report.push(Diagnostic::error(
                &task.path,
                id.line,
                id.col,
                format!("任务 {} 的内容为空", id.value),
            ));
        }
        let e = &task.entry;
        for l in e.responsible.iter().chain(&e.lead).chain(&e.cooperating) {
            if !dir.by_id.contains_key(l.value.as_str()) {
                unknown_party(report, &task.path, l, dir, unread);
            }
        }
        if e.responsible.is_empty() && e.lead.is_empty() && e.cooperating.is_empty() {
            report.push(
                Diagnostic::warning(
                    &task.path,
                    id.line,
                    id.col,
                    format!("任务 {} 没有责任单位", id.value),
                )
                .hint("在 responsible（或 lead / cooperating）中列出单位编号"),
            );
        }
        check_cell(
            task,
            e.responsible_text.as_ref(),
            &e.responsible,
            "responsible",
            dir,
            report,
        );
        check_cell(task, e.lead_text.as_ref(), &e.lead, "lead", dir, report);
        check_cell(
            task,
            e.cooperating_text.as_ref(),
            &e.cooperating,
            "cooperating",
            dir,
            report,
        );
        if let (DeadlineKind::Text, Some(t)) = (task.deadline, &e.deadline) {
            report.push(
                Diagnostic::warning(
                    &task.path,
                    t.line,
                    t.col,
                    format!("完成时限“{}”无法自动解读，原样显示，不计逾期", t.value),
                )
                .width(t.value.chars().count())
                .hint("若有具体日期，加一行 deadline_date: 年-月-日"),
            );
        }
    }

    if let Some(pp) = &plan.pilots_path {
        let mut seen = BTreeSet::new();
        for b in &plan.pilots {
            if !is_valid_id(&b.id.value) {
                report.push(id_error(pp, &b.id, "批次"));
            }
            if !seen.insert(b.id.value.as_str()) {
                report.push(
                    Diagnostic::error(
                        pp,
                        b.id.line,
                        b.id.col,
                        format!("重复的批次编号 \"{}\"", b.id.value),
                    )
                    .width(b.id.value.chars().count()),
                );
            }
            for (list, local) in [(&b.townships, true), (&b.departments, false)] {
                for u in list {
                    match dir.kind(&u.value) {
                        None => unknown_party(report, pp, u, dir, unread),
                        Some(k) => {
                            let is_local = matches!(k, UnitKind::Township | UnitKind::Subdistrict);
                            if is_local != local {
                                report.push(
                                    Diagnostic::warning(
                                        pp,
                                        u.line,
                                        u.col,
                                        format!(
                                            "“{}”是{}，却列在{}中",
                                            dir.name(&u.value),
                                            k.label(),
                                            if local {
                                                "乡镇（街道）"
                                            } else {
                                                "部门"
                                            }
                                        ),
                                    )
                                    .width(u.value.chars().count()),
                                );
                            }
                        }
                    }
                }
            }
            for t in &b.tasks {
                if !task_ids.contains_key(t.value.as_str()) {
                    unknown_task(report, pp, t, &task_ids, unread);
                }
            }
        }
    }

    // A duplicate id is reported at the newer record, the earlier one named in the hint: the
    // one already signed stays, else the one dated first, else the one read first.
    let mut by_id: BTreeMap<&str, Vec<(usize, &Record)>> = BTreeMap::new();
    for (i, r) in plan.records.iter().enumerate() {
        by_id
            .entry(r.entry.id.value.as_str())
            .or_default()
            .push((i, r));
    }
    let signed = |r: &Record| {
        r.entry
            .review
            .as_ref()
            .is_some_and(|v| v.first.is_some() || v.second.is_some() || v.final_.is_some())
    };
    for same in by_id.values().filter(|v| v.len() > 1) {
        let Some(&(keep_i, keep)) = same
            .iter()
            .min_by_key(|(i, r)| (!signed(r), r.entry.date.value.0, *i))
        else {
            continue;
        };
        for &(i, r) in same {
            if i == keep_i {
                continue;
            }
            let e = &r.entry;
            report.push(
                Diagnostic::error(
                    &r.path,
                    e.id.line,
                    e.id.col,
                    format!("重复的记录编号 \"{}\"", e.id.value),
                )
                .width(e.id.value.chars().count())
                .hint(format!(
                    "{}:{} 已经用过这个编号（{}）；给这条新记录另起一个编号",
                    keep.path, keep.entry.id.line, keep.entry.date.value.0
                )),
            );
        }
    }
    for r in &plan.records {
        let e = &r.entry;
        if !is_valid_id(&e.id.value) {
            report.push(id_error(&r.path, &e.id, "记录"));
        }
        if e.date.value.0 > today {
            report.push(
                Diagnostic::error(
                    &r.path,
                    e.date.line,
                    e.date.col,
                    format!(
                        "进展记录的日期 {} 晚于今天（{}）",
                        e.date.value,
                        today.format("%Y-%m-%d")
                    ),
                )
                .width(10)
                .hint("进展只能记录已经发生的事；检查年份和月份是否写错"),
            );
        }
        for ev in &e.evidence {
            let u = ev.url.value.trim().to_ascii_lowercase();
            let scheme_ok = u.starts_with("https://")
                || u.starts_with("http://")
                || !(u.contains(':') || u.starts_with("//"));
            if !scheme_ok || u.is_empty() {
                report.push(
                    Diagnostic::error(
                        &r.path,
                        ev.url.line,
                        ev.url.col,
                        format!("佐证材料链接 \"{}\" 不安全或无效", ev.url.value),
                    )
                    .width(ev.url.value.chars().count())
                    .hint("只能用 http:// 或 https:// 开头的网址，或站内相对路径"),
                );
            }
        }
        let unit_known = dir.by_id.contains_key(e.unit.value.as_str());
        if !unit_known {
            unknown_party(report, &r.path, &e.unit, dir, unread);
        }
        match task_ids.get(e.task.value.as_str()) {
            None => unknown_task(report, &r.path, &e.task, &task_ids, unread),
            Some(task) if unit_known => {
                let assignees = task.assignees();
                let direct = assignees.contains(&e.unit.value.as_str());
                let via_group = dir
                    .groups_of
                    .get(e.unit.value.as_str())
                    .is_some_and(|gs| gs.iter().any(|g| assignees.contains(g)));
                if !direct && !via_group {
                    let names: Vec<&str> = assignees.iter().map(|a| dir.name(a)).collect();
                    report.push(
                        Diagnostic::error(
                            &r.path,
                            e.unit.line,
                            e.unit.col,
                            format!(
                                "“{}”（{}）不是任务 {} 的责任单位",
                                dir.name(&e.unit.value),
                                e.unit.value,
                                task.id()
                            ),
                        )
                        .width(e.unit.value.chars().count())
                        .hint(format!(
                            "任务 {} 的责任单位：{}",
                            task.id(),
                            names.join("、")
                        )),
                    );
                }
            }
            Some(_) => {}
        }
    }
}

/// Report an unknown task, unless its id was written in a part of a file that could not be read.
fn unknown_task(
    report: &mut Report,
    path: &str,
    t: &Located<String>,
    tasks: &BTreeMap<&str, &Task>,
    unread: &BTreeSet<String>,
) {
    if unread.contains(&t.value) {
        return;
    }
    let mut msg = format!("未知的任务编号 \"{}\"", t.value);
    if let Some(s) = suggest(&t.value, tasks.keys().copied()) {
        msg.push_str(&format!("，是否指 \"{s}\"？"));
    }
    report.push(
        Diagnostic::error(path, t.line, t.col, msg)
            .width(t.value.chars().count())
            .hint("任务编号在本计划的 tasks/*.yaml 中定义"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for ok in ["fagai", "2-1-3", "batch-1", "a_b"] {
            assert!(is_valid_id(ok), "{ok}");
        }
        for bad in [
            "",
            "Fagai",
            "发改",
            "../x",
            "a/b",
            "a b",
            "-a",
            &"x".repeat(65),
        ] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }
}
