//! Synthetic-plan generator for the benchmark (issue 6).
//!
//! ```text
//! cargo run --release --example synth -- --tasks N [--seed S] --out DIR [--hugo DIR] [--no-search]
//!     [--plans P] [--units U] [--records-per-task M]
//! ```
//!
//! Writes a valid gongkai site folder with N tasks (5 categories, 20 sub-categories, 61 units
//! and groups, 1–12 responsible units per task, 0–4 signed progress records per task, task
//! texts of 150–400 characters) and, with `--hugo`, an equivalent Hugo site: one page per task
//! (text, unit list, progress table from front matter), a paginated list page per category
//! (100 tasks per page), a taxonomy term page (ledger) per unit and group, the plan overview,
//! the timeline, the pilots page, the ledger index and a 404 page — the same page set as
//! `gongkai build`, with comparable HTML, built with `hugo --minify`.
//!
//! Statuses shown on the Hugo pages are computed here with gongkai's own rules, so Hugo only
//! renders them (that favours Hugo slightly). Deterministic for a given seed (xorshift64*).
//! `--no-search` writes `search: false` into site.yaml (no search page or index).
//!
//! Country scale (issue 18): `--plans P` spreads the tasks over P plans, one per year ending in
//! 2023 (task i goes to plan i mod P); `--units U` adds U synthetic townships (`t00001` …, all
//! members of the 各乡镇 group) to the 57 named units; `--records-per-task M` draws each task's
//! record count uniformly from 0..=2M instead of the default mix (mean 1.7). Without these three
//! flags the output is the same as before they existed (the benchmark's sites do not change).
//! The Hugo site is written for one plan with the default units and records only.

use gongkai::deadline::{DeadlineKind, interpret};
use gongkai::loc::Located;
use gongkai::model::{Date, Evidence, ProgressEntry, ProgressStatus, Review};
use gongkai::status::{Outcome, Part, Report, Rules, Status};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const YEAR: i32 = 2023;
const AS_OF: (u32, u32) = (9, 30);
const RECORDS_PER_FILE: usize = 2000;

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        for _ in 0..8 {
            r.next();
        }
        r
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    fn f(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.range(0, v.len() - 1)]
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Department,
    Township,
    Subdistrict,
    OtherOrgan,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Department => "department",
            Kind::Township => "township",
            Kind::Subdistrict => "subdistrict",
            Kind::OtherOrgan => "other_organ",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Kind::Department => "政府工作部门",
            Kind::Township => "乡镇",
            Kind::Subdistrict => "街道",
            Kind::OtherOrgan => "其他机构",
        }
    }
}

struct Party {
    id: String,
    name: String,
    /// None for a group.
    kind: Option<Kind>,
    /// Members (indexes into parties) for a group.
    members: Vec<usize>,
    member_kinds: Vec<Kind>,
    note: Option<String>,
}

const DEPTS: &[(&str, &str)] = &[
    ("fagai", "市发改局"),
    ("jingxin", "市经信局"),
    ("jiaoyu", "市教育局"),
    ("keji", "市科技局"),
    ("gongan", "市公安局"),
    ("minzheng", "市民政局"),
    ("sifa", "市司法局"),
    ("caizheng", "市财政局"),
    ("renshe", "市人社局"),
    ("ziranziyuan", "市自然资源局"),
    ("shengtai", "市生态环境局"),
    ("zhujian", "市住建局"),
    ("jiaotong", "市交通运输局"),
    ("shuili", "市水利局"),
    ("nongye", "市农业农村局"),
    ("shangwu", "市商务局"),
    ("wenlv", "市文广旅局"),
    ("weijian", "市卫生健康局"),
    ("tuiyijunren", "市退役军人事务局"),
    ("yingji", "市应急管理局"),
    ("shenji", "市审计局"),
    ("shichang", "市市场监管局"),
    ("tongji", "市统计局"),
    ("yibao", "市医保局"),
    ("linye", "市林业局"),
    ("xinfang", "市信访局"),
    ("shuju", "市大数据中心"),
    ("shuiwu", "市税务局"),
    ("xiangcun", "市乡村振兴局"),
    ("jinrong", "市金融工作局"),
    ("zonghezhifa", "市综合执法局"),
    ("tiyu", "市体育局"),
    ("minzong", "市民宗局"),
    ("xzsp", "市行政审批局"),
    ("jiguan", "市机关事务局"),
    ("qixiang", "市气象局"),
];
const TOWNS: &[(&str, &str)] = &[
    ("baisha", "白沙镇"),
    ("guandu", "官渡镇"),
    ("caoba", "草坝镇"),
    ("shatan", "沙滩镇"),
    ("taiping", "太平镇"),
    ("batai", "八台镇"),
    ("qinghua", "青花镇"),
    ("shitang", "石塘镇"),
    ("luowen", "罗文镇"),
    ("jiuyuan", "旧院镇"),
    ("dasha", "大沙镇"),
    ("huangzhong", "黄钟镇"),
];
const STREETS: &[(&str, &str)] = &[
    ("gudongguan", "古东关街道"),
    ("taishang", "太上街道"),
    ("yuanyang", "园艺街道"),
    ("hongjun", "红军街道"),
];
const ORGANS: &[(&str, &str)] = &[
    ("ggzyjy", "市公共资源交易服务中心"),
    ("touzicujin", "市投资促进服务中心"),
    ("rongmei", "市融媒体中心"),
    ("dangan", "市档案馆"),
    ("gjj", "市住房公积金管理中心"),
];

const CATS: &[&str] = &[
    "加大主动公开力度",
    "优化政务服务",
    "深化基层政务公开",
    "强化政策解读回应",
    "夯实公开工作基础",
];
const SUB_WORDS: &[&str] = &[
    "切实推进",
    "持续深化",
    "着力加强",
    "全面做好",
    "扎实开展",
    "不断完善",
    "大力推进",
    "稳步推进",
];
const SUB_TOPICS: &[&str] = &[
    "经济运行信息公开",
    "民生保障信息公开",
    "重大建设项目信息公开",
    "财政预决算信息公开",
    "政策咨询服务",
    "政务服务事项公开",
    "基层公开标准化规范化",
    "政府信息管理",
    "政策解读工作",
    "回应关切工作",
    "政府网站集约化",
    "政务新媒体管理",
    "依申请公开办理",
    "政府开放日活动",
    "公共企事业单位信息公开",
    "行政规范性文件公开",
    "营商环境信息公开",
    "乡村振兴信息公开",
    "生态环境信息公开",
    "安全生产信息公开",
];
const PHRASES: &[&str] = &[
    "围绕推动经济运行整体好转",
    "聚焦群众关心关注的热点问题",
    "及时发布相关政策文件及实施情况",
    "加强政策解读和舆情回应",
    "完善信息发布审核机制",
    "推进政务公开标准化规范化建设",
    "做好重大决策预公开工作",
    "规范政府信息公开申请办理",
    "丰富政策解读形式",
    "拓展政府网站和政务新媒体功能",
    "健全公众参与机制",
    "强化公开工作考核评估",
    "深入推进基层政务公开",
    "优化政务服务事项办理流程",
    "加大财政资金使用情况公开力度",
    "推动公共企事业单位信息公开",
    "做好民生实事项目进展公开",
    "加强政府信息资源管理",
    "提升政务公开专区服务水平",
    "开展政府开放日活动",
    "公开重大建设项目批准和实施信息",
    "完善依申请公开工作机制",
    "建立健全政策咨询服务体系",
    "落实信息发布保密审查制度",
    "规范行政规范性文件发布",
    "推进办事指南标准化",
    "加强公开平台建设",
    "及时回应社会关切",
];
const SUMMARIES: &[&str] = &[
    "已在门户网站专栏集中发布相关信息",
    "按月更新工作进展并公开数据",
    "已完成政策解读材料的编制和发布",
    "组织专题培训一次，明确工作要求",
    "已建立工作台账并逐项推进",
    "相关信息已通过政务新媒体同步发布",
    "正在梳理事项清单，待审核后公开",
    "已完成年度目标任务",
    "召开专题会议研究部署",
    "对照要点开展自查并完成整改",
    "已公开办事指南和咨询电话",
    "配合上级部门完成专项检查",
];

fn text_of(rng: &mut Rng, min_chars: usize, max_chars: usize, phrases: &[&str]) -> String {
    let target = rng.range(min_chars, max_chars);
    let mut s = String::new();
    let mut n = 0;
    while n < target {
        let p = rng.pick(phrases);
        s.push_str(p);
        n += p.chars().count();
        if n + 1 >= target {
            break;
        }
        s.push(if rng.range(0, 2) == 0 { '。' } else { '，' });
        n += 1;
    }
    // Trim to at most max-1 characters, end with a full stop.
    let mut v: Vec<char> = s.chars().collect();
    v.truncate(max_chars - 1);
    while v.last().is_some_and(|c| *c == '，' || *c == '。') {
        v.pop();
    }
    let mut out: String = v.into_iter().collect();
    out.push('。');
    out
}

fn q(s: &str) -> String {
    // YAML double-quoted scalar (the generated text never needs escapes beyond these).
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn date(m: u32, d: u32) -> chrono::NaiveDate {
    date_in(YEAR, m, d)
}

fn date_in(year: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(year, m, d).expect("valid date")
}

fn cn_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

struct Rec {
    id: String,
    unit: usize,
    date: chrono::NaiveDate,
    status: ProgressStatus,
    summary: String,
    evidence: Option<(String, String)>,
}

struct TaskGen {
    /// Index of its plan (0 unless `--plans`).
    plan: usize,
    id: String,
    cat: usize,
    sub: usize,
    text: String,
    resp: Vec<usize>,
    and_others: bool,
    deadline: String,
    records: Vec<Rec>,
}

fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).expect("create folder");
    }
    std::fs::write(path, text).expect("write file");
}

fn main() {
    let mut tasks_n = 1000usize;
    let mut seed = 1u64;
    let mut out: Option<PathBuf> = None;
    let mut hugo: Option<PathBuf> = None;
    let mut search = true;
    let mut plans_n = 1usize;
    let mut extra_units = 0usize;
    let mut records_mean: Option<usize> = None;
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        if args[i] == "--no-search" {
            search = false;
            i += 1;
            continue;
        }
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--tasks" => tasks_n = v.parse().expect("--tasks N"),
            "--seed" => seed = v.parse().expect("--seed S"),
            "--out" => out = Some(v.into()),
            "--hugo" => hugo = Some(v.into()),
            "--plans" => plans_n = v.parse().expect("--plans P"),
            "--units" => extra_units = v.parse().expect("--units U"),
            "--records-per-task" => {
                records_mean = Some(v.parse().expect("--records-per-task M"));
            }
            "-h" | "--help" => {
                println!(
                    "synth --tasks N [--seed S] --out DIR [--hugo DIR] [--no-search] [--plans P] [--units U] [--records-per-task M]"
                );
                return;
            }
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    let out = out.expect("--out DIR is required");
    assert!((1..=20).contains(&plans_n), "--plans is 1 to 20");
    assert!(
        hugo.is_none() || (plans_n == 1 && extra_units == 0 && records_mean.is_none()),
        "--hugo writes the single-plan site only (without --plans, --units, --records-per-task)"
    );
    // Plan p is the plan of year YEAR - (P - 1 - p): the last one is YEAR, as before.
    let years: Vec<i32> = (0..plans_n)
        .map(|p| YEAR - i32::try_from(plans_n - 1 - p).expect("few plans"))
        .collect();
    let mut rng = Rng::new(seed);

    // ---- units and groups -------------------------------------------------------------------
    let mut parties: Vec<Party> = Vec::new();
    for (list, kind) in [
        (DEPTS, Kind::Department),
        (TOWNS, Kind::Township),
        (STREETS, Kind::Subdistrict),
        (ORGANS, Kind::OtherOrgan),
    ] {
        for (id, name) in list {
            parties.push(Party {
                id: id.to_string(),
                name: name.to_string(),
                kind: Some(kind),
                members: vec![],
                member_kinds: vec![],
                note: None,
            });
        }
    }
    for n in 1..=extra_units {
        parties.push(Party {
            id: format!("t{n:05}"),
            name: format!("合成第{n}乡镇"),
            kind: Some(Kind::Township),
            members: vec![],
            member_kinds: vec![],
            note: None,
        });
    }
    let of_kind = |parties: &[Party], k: Kind| -> Vec<usize> {
        parties
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == Some(k))
            .map(|(i, _)| i)
            .collect()
    };
    let towns = of_kind(&parties, Kind::Township);
    let streets = of_kind(&parties, Kind::Subdistrict);
    let organs = of_kind(&parties, Kind::OtherOrgan);
    parties.push(Party {
        id: "xiangzhen".into(),
        name: "各乡镇人民政府".into(),
        kind: None,
        members: towns,
        member_kinds: vec![Kind::Township],
        note: Some("成员为本名录中的全部乡镇。".into()),
    });
    parties.push(Party {
        id: "jiedao".into(),
        name: "各街道办事处".into(),
        kind: None,
        members: streets,
        member_kinds: vec![Kind::Subdistrict],
        note: None,
    });
    parties.push(Party {
        id: "lingdao".into(),
        name: "市政务公开领导小组成员单位".into(),
        kind: None,
        members: vec![0, 1, 5, 7, 8, 17],
        member_kinds: vec![],
        note: Some("示例：领导小组成员单位（部分）。".into()),
    });
    parties.push(Party {
        id: "shizhi".into(),
        name: "市属各中心".into(),
        kind: None,
        members: organs,
        member_kinds: vec![],
        note: None,
    });
    let np = parties.len();
    // The groups each party belongs to (in group order).
    let mut group_of: Vec<Vec<usize>> = vec![Vec::new(); np];
    for (g, p) in parties.iter().enumerate() {
        for m in &p.members {
            group_of[*m].push(g);
        }
    }

    // ---- tasks ------------------------------------------------------------------------------
    let subs: Vec<Vec<String>> = (0..CATS.len())
        .map(|c| {
            (0..4)
                .map(|s| {
                    format!(
                        "{}{}",
                        SUB_WORDS[(c * 4 + s) % SUB_WORDS.len()],
                        SUB_TOPICS[c * 4 + s]
                    )
                })
                .collect()
        })
        .collect();
    let mut counters = vec![vec![vec![0usize; 4]; CATS.len()]; plans_n];
    let mut tasks: Vec<TaskGen> = Vec::with_capacity(tasks_n);
    for ti in 0..tasks_n {
        let plan = ti % plans_n;
        let year = years[plan];
        // Category sizes differ a little: weights 3,2,2,2,1.
        let c = match rng.range(0, 9) {
            0..=2 => 0,
            3..=4 => 1,
            5..=6 => 2,
            7..=8 => 3,
            _ => 4,
        };
        let s = rng.range(0, 3);
        counters[plan][c][s] += 1;
        let id = format!("{}-{}-{}", c + 1, s + 1, counters[plan][c][s]);
        let text = text_of(&mut rng, 150, 400, PHRASES);
        // 1–12 units, skewed towards few; the first tasks name every party once so that every
        // unit and group has a ledger with at least one task.
        let k = 1 + ((rng.f().powf(2.2)) * 12.0) as usize;
        let k = k.min(12);
        let mut resp: Vec<usize> = Vec::new();
        if ti < np {
            resp.push(ti);
        }
        let mut guard = 0;
        while resp.len() < k && guard < 200 {
            guard += 1;
            let p = rng.range(0, np - 1);
            if resp.contains(&p) {
                continue;
            }
            // Never name a group together with one of its members.
            if parties[p].members.iter().any(|m| resp.contains(m))
                || group_of[p].iter().any(|g| resp.contains(g))
            {
                continue;
            }
            resp.push(p);
        }
        let and_others = rng.range(0, 3) == 0;
        let deadline = match rng.range(0, 9) {
            0..=3 => "及时公开".to_string(),
            4..=5 => "长期坚持".to_string(),
            6 => "年底前".to_string(),
            _ => {
                let m = rng.range(1, 12) as u32;
                let d = if rng.range(0, 1) == 0 {
                    chrono::Datelike::day(&date_in(year, m, 1).with_day_last())
                } else {
                    rng.range(1, 28) as u32
                };
                format!("{m}月{d}日")
            }
        };
        let nrec = match records_mean {
            Some(m) => rng.range(0, 2 * m),
            None => match rng.range(0, 9) {
                0..=1 => 0,
                2..=4 => 1,
                5..=6 => 2,
                7..=8 => 3,
                _ => 4,
            },
        };
        let mut dates: Vec<chrono::NaiveDate> = (0..nrec)
            .map(|_| date_in(year, 1, 1) + chrono::Duration::days(rng.range(0, 271) as i64))
            .collect();
        dates.sort();
        let mut records = Vec::new();
        for (j, d) in dates.into_iter().enumerate() {
            let a = *rng.pick(&resp);
            let unit = if !parties[a].members.is_empty() && rng.range(0, 3) != 0 {
                *rng.pick(&parties[a].members)
            } else {
                a
            };
            let status = match rng.range(0, 9) {
                0 => ProgressStatus::NotStarted,
                1..=5 => ProgressStatus::InProgress,
                _ => ProgressStatus::Done,
            };
            let summary = format!("（示例）{}", text_of(&mut rng, 30, 80, SUMMARIES));
            let evidence = (rng.range(0, 2) == 0).then(|| {
                (
                    "（示例）公开专栏".to_string(),
                    format!("https://www.example.gov.cn/zwgk/xxgk/{}-{j}.html", id),
                )
            });
            records.push(Rec {
                id: if plans_n == 1 {
                    format!("r{id}-{j}")
                } else {
                    format!("r{year}-{id}-{j}")
                },
                unit,
                date: d,
                status,
                summary,
                evidence,
            });
        }
        tasks.push(TaskGen {
            plan,
            id,
            cat: c,
            sub: s,
            text,
            resp,
            and_others,
            deadline,
            records,
        });
    }

    // ---- gongkai site -----------------------------------------------------------------------
    let content = out.join("content");
    if out.exists() {
        std::fs::remove_dir_all(&out).expect("remove old --out");
    }
    write(
        &content.join("site.yaml"),
        &format!(
            "format_version: 1\ntitle: 万源市政务公开工作要点落实情况（合成数据）\nbase_url: https://www.example.gov.cn/zwgk/gongkai/\nas_of: 2023-09-30\ntheme: default\nstale_after_days: 60\nportal:\n  site_name: 万源市人民政府网站（示例）\n  domain: www.example.gov.cn（示例）\n  site_id_code: 示例标识码0000000000\n  sponsor: 万源市人民政府办公室（示例）\n  icp: 示例：蜀ICP备00000000号\n  police_record: 示例：川公网安备00000000000000号\n  contact: 示例：万源市人民政府办公室政务公开科\n{}",
            if search { "" } else { "search: false\n" }
        ),
    );
    let mut units =
        String::from("# 合成数据：由 examples/synth.rs 生成。\nformat_version: 1\nunits:\n");
    for p in parties.iter().filter(|p| p.kind.is_some()) {
        let _ = writeln!(
            units,
            "  - id: {}\n    name: {}\n    kind: {}",
            p.id,
            p.name,
            p.kind.map_or("", Kind::key)
        );
    }
    units.push_str("groups:\n");
    for p in parties.iter().filter(|p| p.kind.is_none()) {
        let _ = writeln!(units, "  - id: {}\n    name: {}", p.id, p.name);
        if p.member_kinds.is_empty() {
            let ids: Vec<&str> = p.members.iter().map(|m| parties[*m].id.as_str()).collect();
            let _ = writeln!(units, "    members: [{}]", ids.join(", "));
        } else {
            let ks: Vec<&str> = p.member_kinds.iter().map(|k| k.key()).collect();
            let _ = writeln!(units, "    member_kinds: [{}]", ks.join(", "));
        }
        if let Some(n) = &p.note {
            let _ = writeln!(units, "    note: {}", q(n));
        }
    }
    write(&content.join("units.yaml"), &units);
    // The example reviewers (their keys are the repository's example keys, tests/fixtures/).
    write(
        &content.join("reviewers.yaml"),
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("content/reviewers.yaml"),
        )
        .expect("content/reviewers.yaml"),
    );
    let keys = example_keys();
    for (pi, year) in years.iter().enumerate() {
        let plan_tasks: Vec<&TaskGen> = tasks.iter().filter(|t| t.plan == pi).collect();
        write_plan(&content, *year, &plan_tasks, &parties, &subs, &keys);
    }
    let recs: usize = tasks.iter().map(|t| t.records.len()).sum();
    eprintln!(
        "synth: {} tasks, {} records, {} units and groups, {} plan(s) → {}",
        tasks.len(),
        recs,
        np,
        plans_n,
        out.display()
    );

    if let Some(h) = hugo {
        hugo_site(&h, &parties, &subs, &tasks);
        eprintln!("synth: Hugo site → {}", h.display());
    }
}

/// One plan's folder: plan.yaml, pilots.yaml, a task file per sub-category and the signed
/// progress records in files of [`RECORDS_PER_FILE`].
fn write_plan(
    content: &Path,
    year: i32,
    tasks: &[&TaskGen],
    parties: &[Party],
    subs: &[Vec<String>],
    keys: &[gongkai::signoff::KeyPair],
) {
    let plan_dir = content.join(format!("plans/{year}"));
    write(
        &plan_dir.join("plan.yaml"),
        &format!(
            "format_version: 1\ntitle: {year}年全市政务公开工作要点分工表（合成数据）\nyear: {year}\nissuer: 万源市人民政府办公室\nissue_date: {year}-06-16\nwritten_date: 示例：合成数据\ndisclosure: 主动公开\ncc: [市委办, 市人大办, 市政协办]\n"
        ),
    );
    let pick_ids = |kind: Kind, n: usize, off: usize| -> Vec<String> {
        parties
            .iter()
            .filter(|p| p.kind == Some(kind))
            .skip(off)
            .take(n)
            .map(|p| p.id.clone())
            .collect()
    };
    let pilot_tasks: Vec<&str> = tasks.iter().take(6).map(|t| t.id.as_str()).collect();
    let pilots = format!(
        "format_version: 1\nbatches:\n  - id: batch-1\n    name: 第一批先行单位\n    source: 合成数据\n    townships: [{}]\n    departments: [{}]\n    tasks: [{}]\n  - id: batch-2\n    name: 第二批先行单位\n    source: 合成数据\n    townships: [{}]\n    departments: [{}]\n    tasks: [{}]\n",
        pick_ids(Kind::Township, 5, 0).join(", "),
        pick_ids(Kind::Department, 5, 0).join(", "),
        pilot_tasks[..3.min(pilot_tasks.len())].join(", "),
        pick_ids(Kind::Township, 5, 5).join(", "),
        pick_ids(Kind::Department, 8, 5).join(", "),
        pilot_tasks[3.min(pilot_tasks.len())..].join(", "),
    );
    write(&plan_dir.join("pilots.yaml"), &pilots);
    // One task file per sub-category (a file holds one sub-category of one category).
    for (c, cat) in CATS.iter().enumerate() {
        for (s, sub) in subs[c].iter().enumerate() {
            let mut f = format!(
                "format_version: 1\ncategory:\n  number: {}\n  title: {}\nsubcategories:\n  - title: {}\n    tasks:\n",
                c + 1,
                q(cat),
                q(sub)
            );
            for t in tasks.iter().filter(|t| t.cat == c && t.sub == s) {
                let names: Vec<&str> = t.resp.iter().map(|p| parties[*p].name.as_str()).collect();
                let ids: Vec<&str> = t.resp.iter().map(|p| parties[*p].id.as_str()).collect();
                let mut rt = names.join("、");
                if t.and_others {
                    rt.push_str("等部门（单位）");
                }
                let _ = writeln!(
                    f,
                    "      - id: {}\n        text: {}\n        responsible_text: {}\n        responsible: [{}]",
                    q(&t.id),
                    q(&t.text),
                    q(&rt),
                    ids.join(", ")
                );
                if t.and_others {
                    f.push_str("        and_others: true\n");
                }
                let _ = writeln!(f, "        deadline: {}", q(&t.deadline));
            }
            write(
                &plan_dir.join(format!("tasks/{}-{}.yaml", c + 1, s + 1)),
                &f,
            );
        }
    }
    // Progress records, signed (三审) so that they are published, split over several files.
    let all_recs: Vec<(&TaskGen, &Rec)> = tasks
        .iter()
        .flat_map(|t| t.records.iter().map(move |r| (*t, r)))
        .collect();
    for (fi, chunk) in all_recs.chunks(RECORDS_PER_FILE).enumerate() {
        let mut f = String::from("format_version: 1\nrecords:\n");
        for (t, r) in chunk {
            let entry = ProgressEntry {
                id: Located::new(r.id.clone()),
                task: Located::new(t.id.clone()),
                unit: Located::new(parties[r.unit].id.clone()),
                date: Located::new(Date(r.date)),
                status: Located::new(r.status),
                summary: Located::new(r.summary.clone()),
                evidence: r
                    .evidence
                    .iter()
                    .map(|(title, url)| Evidence {
                        title: Located::new(title.clone()),
                        url: Located::new(url.clone()),
                    })
                    .collect(),
                review: Some(Box::new(Review {
                    disclosure: Located::new("主动公开".into()),
                    withheld_reason: None,
                    first: None,
                    second: None,
                    final_: None,
                    history: Vec::new(),
                })),
            };
            let fp = gongkai::review::record_fingerprint(&entry);
            let status = match r.status {
                ProgressStatus::NotStarted => "not_started",
                ProgressStatus::InProgress => "in_progress",
                ProgressStatus::Done => "done",
            };
            let _ = writeln!(
                f,
                "  - id: {}\n    task: {}\n    unit: {}\n    date: {}\n    status: {status}\n    summary: {}",
                r.id,
                q(&t.id),
                parties[r.unit].id,
                r.date,
                q(&r.summary)
            );
            if let Some((title, url)) = &r.evidence {
                let _ = writeln!(
                    f,
                    "    evidence:\n      - title: {}\n        url: {}",
                    q(title),
                    q(url)
                );
            }
            let d = |n: i64| r.date + chrono::Duration::days(n);
            let _ = writeln!(f, "    review:\n      disclosure: 主动公开");
            for (i, (stage, who)) in [
                ("first", "shili-chushen"),
                ("second", "shili-fushen"),
                ("final", "shili-zhongshen"),
            ]
            .into_iter()
            .enumerate()
            {
                let date = d(i as i64 + 1);
                let sig = keys[i].sign(
                    &gongkai::signoff::StagePayload {
                        kind: "record",
                        id: &r.id,
                        content: &fp,
                        disclosure: "主动公开",
                        stage,
                        date,
                        reviewer: who,
                        reason: None,
                    }
                    .text(),
                );
                let _ = writeln!(
                    f,
                    "      {stage}: {{reviewer: {who}, date: {date}, fingerprint: \"{fp}\", signature: \"{sig}\"}}"
                );
            }
        }
        write(&plan_dir.join(format!("progress/p{:04}.yaml", fi + 1)), &f);
    }
}

/// The example reviewers' keys (初审, 复审, 终审), from the repository's
/// `tests/fixtures/example-keys/`.
fn example_keys() -> Vec<gongkai::signoff::KeyPair> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/example-keys");
    let pass = std::fs::read_to_string(dir.join("passphrase.txt")).expect("passphrase.txt");
    let pass = pass.lines().next().unwrap_or("");
    ["shili-chushen", "shili-fushen", "shili-zhongshen"]
        .iter()
        .map(|r| {
            let text =
                std::fs::read_to_string(dir.join(format!("{r}.key.json"))).expect("key file");
            gongkai::signoff::KeyPair::from_key_file(&text, pass).expect("example key")
        })
        .collect()
}

/// A task's records in gongkai's one order: newest first by date, then the later in the file.
fn newest_first(records: &[Rec]) -> impl Iterator<Item = &Rec> {
    let mut v: Vec<(usize, &Rec)> = records.iter().enumerate().collect();
    v.sort_by_key(|(i, r)| std::cmp::Reverse((r.date, *i)));
    v.into_iter().map(|x| x.1)
}

trait LastDay {
    fn with_day_last(self) -> chrono::NaiveDate;
}
impl LastDay for chrono::NaiveDate {
    fn with_day_last(self) -> chrono::NaiveDate {
        use chrono::Datelike;
        let (y, m) = if self.month() == 12 {
            (self.year() + 1, 1)
        } else {
            (self.year(), self.month() + 1)
        };
        chrono::NaiveDate::from_ymd_opt(y, m, 1)
            .expect("date")
            .pred_opt()
            .expect("date")
    }
}

fn st_json(o: &Outcome) -> Value {
    json!({"key": o.status.key(), "label": o.status.label(), "stale": o.stale.then_some("超过60天未报送"), "last": o.last_update.map(cn_date)})
}

/// Number of statuses.
const NS: usize = Status::ALL.len();

// ---- Hugo site ------------------------------------------------------------------------------

fn hugo_site(dir: &Path, parties: &[Party], subs: &[Vec<String>], tasks: &[TaskGen]) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("remove old --hugo");
    }
    let as_of = date(AS_OF.0, AS_OF.1);
    let rules = Rules {
        as_of,
        stale_after_days: 60,
    };
    let np = parties.len();
    let status_idx = |s: Status| Status::ALL.iter().position(|x| *x == s).unwrap_or(0);
    let mut cat_tally = vec![[0usize; NS]; CATS.len()];
    let mut total = [0usize; NS];
    // Per party: (task index, role/via, outcome) for ledger counts.
    let mut ledger_tally: Vec<([usize; NS], usize)> = vec![([0; NS], 0); np];
    let mut latest: Vec<(chrono::NaiveDate, usize, usize)> = Vec::new();
    let cat_dir = |c: usize| format!("content/2023/c{}", c + 1);
    let tl_key = |t: &TaskGen| match interpret(&t.deadline, YEAR) {
        DeadlineKind::Date(d) => d.format("%Y-%m").to_string(),
        DeadlineKind::Timely => "k0".to_string(),
        _ => "k1".to_string(),
    };
    let mut section_size: BTreeMap<String, usize> = BTreeMap::new();
    for t in tasks {
        *section_size.entry(tl_key(t)).or_default() += 1;
    }
    // As gongkai's timeline: sections (months, then 及时公开, 长期坚持) are shown in full on the
    // timeline page while it stays within 100 rows; the others get paginated list pages.
    let mut inline: Vec<String> = Vec::new();
    let mut budget = 100usize;
    for (k, n) in &section_size {
        if *n <= budget {
            inline.push(k.clone());
            budget -= n;
        }
    }
    for (ti, t) in tasks.iter().enumerate() {
        let dl = interpret(&t.deadline, YEAR);
        // As gongkai's compute: `record` is the position in file order (records are written in
        // task order), a member's status includes the reports of the groups named on the task.
        let reports = |u: usize| -> Vec<Report> {
            t.records
                .iter()
                .enumerate()
                .filter(|(_, r)| r.unit == u && r.date <= as_of)
                .map(|(i, r)| Report {
                    date: r.date,
                    status: r.status,
                    record: i,
                })
                .collect()
        };
        let effective = |u: usize| -> Outcome {
            let via: Vec<Vec<Report>> = t
                .resp
                .iter()
                .filter(|g| parties[**g].kind.is_none() && parties[**g].members.contains(&u))
                .map(|g| reports(*g))
                .collect();
            let via: Vec<&[Report]> = via.iter().map(Vec::as_slice).collect();
            rules.member(dl, &reports(u), &via)
        };
        let mut assignees = Vec::new();
        let mut outs = Vec::new();
        let mut ledger = serde_json::Map::new();
        let mut terms: Vec<&str> = Vec::new();
        for &a in &t.resp {
            let p = &parties[a];
            let (outcome, members) = if p.kind.is_none() {
                let ms: Vec<(usize, Outcome)> =
                    p.members.iter().map(|m| (*m, effective(*m))).collect();
                let mo: Vec<Outcome> = ms.iter().map(|x| x.1).collect();
                (rules.group(dl, &reports(a), &mo), ms)
            } else {
                (effective(a), vec![])
            };
            outs.push(outcome);
            // The latest record counted for a party: its own or its group's.
            let latest_of = |o: &Outcome| {
                o.latest.map(|i| &t.records[i]).map(|r| {
                    json!({"date": cn_date(r.date), "summary": r.summary, "by": (r.unit != a).then(|| &parties[r.unit].name)})
                })
            };
            ledger.insert(
                p.id.clone(),
                json!({"role": "责任", "st": st_json(&outcome), "latest": latest_of(&outcome)}),
            );
            terms.push(&p.id);
            ledger_tally[a].0[status_idx(outcome.status)] += 1;
            ledger_tally[a].1 += usize::from(outcome.status == Status::Overdue);
            for (m, mo) in &members {
                let mid = parties[*m].id.as_str();
                if t.resp.contains(m) || ledger.contains_key(mid) {
                    continue;
                }
                ledger.insert(mid.to_string(), json!({"role": "责任", "via": {"id": p.id, "name": p.name}, "st": st_json(mo), "latest": latest_of(mo)}));
                terms.push(mid);
                ledger_tally[*m].0[status_idx(mo.status)] += 1;
                ledger_tally[*m].1 += usize::from(mo.status == Status::Overdue);
            }
            assignees.push(json!({
                "id": p.id, "name": p.name, "role": "责任", "st": st_json(&outcome), "group": p.kind.is_none(),
                "members": members.iter().map(|(m, o)| json!({"id": parties[*m].id, "name": parties[*m].name, "st": st_json(o)})).collect::<Vec<_>>(),
            }));
        }
        let parts: Vec<Part> = outs
            .iter()
            .map(|o| Part {
                outcome: *o,
                lead: false,
            })
            .collect();
        let outcome = rules.task(dl, &parts);
        cat_tally[t.cat][status_idx(outcome.status)] += 1;
        total[status_idx(outcome.status)] += 1;
        let (kind_label, meaning, tl, dl_iso) = match dl {
            DeadlineKind::Date(d) => (
                "限期完成",
                format!("{}前完成", cn_date(d)),
                format!("{}", d.format("%Y-%m")),
                d.to_string(),
            ),
            DeadlineKind::Timely => (
                "及时公开类",
                "有信息即公开，持续进行".to_string(),
                "k0".to_string(),
                String::new(),
            ),
            _ => (
                "长期任务",
                "长期任务，持续推进".to_string(),
                "k1".to_string(),
                String::new(),
            ),
        };
        let tl_big = !inline.contains(&tl);
        let upcoming = matches!(dl, DeadlineKind::Date(d) if d >= as_of && (d - as_of).num_days() <= 30 && !matches!(outcome.status, Status::Done | Status::DoneLate));
        for (ri, r) in t.records.iter().enumerate() {
            latest.push((r.date, ti, ri));
        }
        let mut rt = t
            .resp
            .iter()
            .map(|p| parties[*p].name.as_str())
            .collect::<Vec<_>>()
            .join("、");
        if t.and_others {
            rt.push_str("等部门（单位）");
        }
        let fm = json!({
            "title": format!("任务 {}", t.id),
            "tid": t.id,
            "subno": t.sub + 1,
            "text": t.text,
            "category": format!("{}　{}", t.cat + 1, CATS[t.cat]),
            "subcategory": subs[t.cat][t.sub],
            "cells": [{"label": "责任单位", "segments": t.resp.iter().enumerate().flat_map(|(i, p)| {
                let mut v = vec![json!({"text": parties[*p].name, "href": format!("units/{}.html", parties[*p].id)})];
                if i + 1 < t.resp.len() { v.push(json!({"text": "、"})); }
                v
            }).chain(t.and_others.then(|| json!({"text": "等部门（单位）"}))).collect::<Vec<_>>()}],
            "responsible_text": rt,
            "and_others": t.and_others,
            "units": t.resp.iter().map(|p| json!({"id": parties[*p].id, "name": parties[*p].name})).collect::<Vec<_>>(),
            "deadline": {"text": t.deadline, "kind_label": kind_label, "meaning": meaning},
            "dl": dl_iso,
            "tlsec": if tl_big { json!([tl]) } else { json!([]) },
            "stl": outcome.status.label(),
            "tl": tl,
            "st": st_json(&outcome),
            "overdue": outcome.status == Status::Overdue,
            "upcoming": upcoming,
            "assignees": assignees,
            "records": newest_first(&t.records).map(|r| json!({"id": r.id, "date": cn_date(r.date), "unit": {"id": parties[r.unit].id, "name": parties[r.unit].name}, "status": r.status.label(),
                "summary": r.summary, "evidence": r.evidence.iter().map(|(a, b)| json!({"title": a, "url": b})).collect::<Vec<_>>()})).collect::<Vec<_>>(),
            "ledger": ledger,
            "units_tax": terms,
            "weight": ti + 1,
        });
        let mut fm = fm;
        // The taxonomy key must be the taxonomy's name.
        let terms = fm
            .as_object_mut()
            .and_then(|o| o.remove("units_tax"))
            .unwrap_or(Value::Null);
        fm["unit"] = terms;
        write(
            &dir.join(format!("{}/{}.md", cat_dir(t.cat), t.id)),
            &format!("{}\n", serde_json::to_string(&fm).expect("json")),
        );
    }
    let counts = |t: &[usize; NS], n: usize| -> Vec<Value> {
        Status::ALL
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let pct = if n == 0 {
                    "0".to_string()
                } else {
                    let v = format!("{:.1}", t[i] as f64 * 100.0 / n as f64);
                    v.strip_suffix(".0").map(str::to_string).unwrap_or(v)
                };
                json!({"key": s.key(), "label": s.label(), "count": t[i], "pct": pct})
            })
            .collect()
    };
    let n_total: usize = total.iter().sum();
    let summary = json!({
        "total": n_total, "counts": counts(&total, n_total),
        "categories": (0..CATS.len()).map(|c| {
            let n: usize = cat_tally[c].iter().sum();
            json!({"number": c + 1, "title": CATS[c], "href": format!("2023/c{}.html", c + 1), "total": n, "counts": counts(&cat_tally[c], n)})
        }).collect::<Vec<_>>(),
    });
    latest.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2)));
    let latest: Vec<Value> = latest.iter().take(10).map(|(_, ti, ri)| {
        let t = &tasks[*ti];
        let r = &t.records[*ri];
        json!({"date": cn_date(r.date), "unit": {"id": parties[r.unit].id, "name": parties[r.unit].name}, "task": t.id, "href": format!("2023/c{}/{}.html", t.cat + 1, t.id), "status": r.status.label(), "summary": r.summary})
    }).collect();
    let plan = json!({"title": "2023年全市政务公开工作要点分工表（合成数据）", "issuer": "万源市人民政府办公室", "written_date": "示例：合成数据", "issue_date": "2023年6月16日", "disclosure": "主动公开", "cc": "市委办，市人大办，市政协办",
        "categories": (0..CATS.len()).map(|c| json!({"number": c + 1, "title": CATS[c], "href": format!("2023/c{}.html", c + 1)})).collect::<Vec<_>>()});
    let ov = json!({"plan": plan, "tally": summary, "latest": latest});
    let mut home = ov.clone();
    home["title"] = json!("万源市政务公开工作要点落实情况（合成数据）");
    write(&dir.join("content/_index.md"), &format!("{}\n", home));
    let mut planfm = ov.clone();
    planfm["title"] = json!("2023年全市政务公开工作要点分工表（合成数据）");
    planfm["layout"] = json!("plan");
    write(
        &dir.join("content/2023/_index.md"),
        &format!("{}\n", planfm),
    );
    for c in 0..CATS.len() {
        let n: usize = cat_tally[c].iter().sum();
        let fm = json!({"title": format!("{}　{}", c + 1, CATS[c]), "catno": c + 1, "cattitle": CATS[c], "total": n, "counts": counts(&cat_tally[c], n),
            "subs": subs[c].iter().enumerate().map(|(s, t)| json!({"n": s + 1, "title": t})).collect::<Vec<_>>()});
        write(
            &dir.join(format!("{}/_index.md", cat_dir(c))),
            &format!("{}\n", fm),
        );
    }
    write(
        &dir.join("content/2023/timeline.md"),
        &format!(
            "{}\n",
            json!({"title": "时间表", "layout": "timeline", "inline": inline})
        ),
    );
    let link = |i: usize| json!({"id": parties[i].id, "name": parties[i].name});
    let batches = json!([
        {"name": "第一批先行单位", "source": "合成数据", "townships": (0..5).map(|i| link(DEPTS.len() + i)).collect::<Vec<_>>(), "departments": (0..5).map(link).collect::<Vec<_>>(), "tasks": tasks.iter().take(3).map(|t| t.id.clone()).collect::<Vec<_>>()},
        {"name": "第二批先行单位", "source": "合成数据", "townships": (5..10).map(|i| link(DEPTS.len() + i)).collect::<Vec<_>>(), "departments": (5..13).map(link).collect::<Vec<_>>(), "tasks": tasks.iter().skip(3).take(3).map(|t| t.id.clone()).collect::<Vec<_>>()},
    ]);
    write(
        &dir.join("content/2023/pilots.md"),
        &format!(
            "{}\n",
            json!({"title": "先行单位", "layout": "pilots", "batches": batches})
        ),
    );
    // Ledger index and one term page per unit and group.
    let mut kinds: BTreeMap<Kind, Vec<Value>> = BTreeMap::new();
    let mut groups = Vec::new();
    for (i, p) in parties.iter().enumerate() {
        let n: usize = ledger_tally[i].0.iter().sum();
        match p.kind {
            Some(k) => kinds.entry(k).or_default().push(json!({"id": p.id, "name": p.name, "tasks": n, "overdue": ledger_tally[i].1})),
            None => groups.push(json!({"id": p.id, "name": p.name, "tasks": n, "overdue": ledger_tally[i].1, "members": p.members.len()})),
        }
        let counts: Vec<Value> = Status::ALL
            .iter()
            .enumerate()
            .map(
                |(j, s)| json!({"key": s.key(), "label": s.label(), "count": ledger_tally[i].0[j]}),
            )
            .collect();
        let fm = json!({"title": p.name, "uname": p.name, "kind": p.kind.map_or("单位组", Kind::label), "is_group": p.kind.is_none(),
            "members": p.members.iter().map(|m| link(*m)).collect::<Vec<_>>(),
            "groups": (0..np).filter(|g| parties[*g].members.contains(&i)).map(link).collect::<Vec<_>>(),
            "note": p.note, "total": n, "overdue": ledger_tally[i].1, "counts": counts});
        write(
            &dir.join(format!("content/unit/{}/_index.md", p.id)),
            &format!("{}\n", fm),
        );
    }
    let kinds: Vec<Value> = kinds
        .into_iter()
        .map(|(k, v)| json!({"label": k.label(), "units": v}))
        .collect();
    write(
        &dir.join("content/tlsec/_index.md"),
        &format!(
            "{}\n",
            json!({"title": "时间表分节", "build": {"render": "never", "list": "never"}})
        ),
    );
    write(
        &dir.join("content/unit/_index.md"),
        &format!(
            "{}\n",
            json!({"title": "工作台账", "kinds": kinds, "groups": groups})
        ),
    );
    for (name, text) in HUGO_FILES {
        write(&dir.join(name), text);
    }
    // The same style sheet and scripts as gongkai's default theme (not minified by either).
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static");
    for f in ["style.css", "head.js", "care.js"] {
        if let Ok(b) = std::fs::read(theme.join(f)) {
            let dest = dir.join("static/assets").join(f);
            std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
            std::fs::write(dest, b).expect("write asset");
        }
    }
}

const HUGO_FILES: &[(&str, &str)] = &[
    (
        "hugo.toml",
        r##"baseURL = "https://www.example.gov.cn/zwgk/gongkai/"
title = "万源市政务公开工作要点落实情况（合成数据）"
locale = "zh-CN"
uglyURLs = true
disableKinds = ["rss"]
enableRobotsTXT = false
[pagination]
pagerSize = 100
disableAliases = true
[taxonomies]
unit = "unit"
tlsec = "tlsec"
[params]
as_of = "2023年9月30日"
[params.portal]
site_name = "万源市人民政府网站（示例）"
domain = "www.example.gov.cn（示例）"
site_id_code = "示例标识码0000000000"
sponsor = "万源市人民政府办公室（示例）"
icp = "示例：蜀ICP备00000000号"
police_record = "示例：川公网安备00000000000000号"
contact = "示例：万源市人民政府办公室政务公开科"
"##,
    ),
    (
        "layouts/baseof.html",
        r##"<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} - {{ site.Title }}{{ end }}</title>
<meta name="SiteName" content="{{ site.Params.portal.site_name }}">
<meta name="SiteDomain" content="{{ site.Params.portal.domain }}">
<meta name="SiteIDCode" content="{{ site.Params.portal.site_id_code }}">
{{ if .IsPage }}<meta name="ArticleTitle" content="{{ .Params.subcategory }}（{{ .Title }}）">
<meta name="PubDate" content="2023-06-16 00:00">
<meta name="ContentSource" content="万源市人民政府办公室">
<meta name="Keywords" content="政务公开,{{ .Params.subcategory }}">
<meta name="Description" content="{{ substr .Params.text 0 120 }}">
<meta name="description" content="{{ substr .Params.text 0 120 }}">
{{ else }}<meta name="ColumnName" content="{{ .Title }}">
<meta name="ColumnType" content="工作任务">
<meta name="Keywords" content="政务公开,{{ .Title }}">
<meta name="Description" content="{{ .Title }}的全部任务、责任单位、完成时限和完成情况">
<meta name="description" content="{{ .Title }}的全部任务、责任单位、完成时限和完成情况">
{{ end }}<meta name="Url" content="{{ .Permalink }}">
<link rel="stylesheet" href="{{ relURL "assets/style.css" }}">
<script src="{{ relURL "assets/head.js" }}"></script>
<script src="{{ relURL "assets/care.js" }}" defer></script>
<link rel="alternate" type="application/atom+xml" title="落实进展订阅" href="{{ relURL "feed.xml" }}">
</head>
<body>
<a class="skip" href="#main">跳到正文</a>
<header class="site-header">
<div class="wrap head-row">
<p class="site-title"><a href="{{ relURL "index.html" }}">{{ site.Title }}</a></p>
{{ partial "toolbar.html" . }}
</div>
<nav class="mainnav" aria-label="主导航">
<ul class="wrap">
<li><a href="{{ relURL "index.html" }}"{{ if .IsHome }} aria-current="page"{{ end }}>总览</a></li>
<li><a href="{{ relURL "2023/timeline.html" }}">时间表</a></li>
<li><a href="{{ relURL "2023/pilots.html" }}">先行单位</a></li>
<li><a href="{{ relURL "unit.html" }}">工作台账</a></li>
</ul>
</nav>
</header>
{{ if not .IsHome }}<nav class="crumbs wrap" aria-label="当前位置">
<ol><li><a href="{{ relURL "index.html" }}">首页</a></li>{{ if .IsPage }}<li><a href="{{ relURL "2023.html" }}">2023年全市政务公开工作要点分工表（合成数据）</a></li><li><a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></li>{{ end }}<li><span aria-current="page">{{ .Title }}</span></li></ol>
</nav>
{{ end }}<main id="main" class="wrap" tabindex="-1">
{{ block "main" . }}{{ end }}
<p class="asof">数据截至 {{ site.Params.as_of }}</p>
</main>
<footer class="site-footer">
<div class="wrap">
<dl class="portal">
<div><dt>主办单位</dt><dd>{{ site.Params.portal.sponsor }}</dd></div>
<div><dt>网站标识码</dt><dd>{{ site.Params.portal.site_id_code }}</dd></div>
<div><dt>ICP备案号</dt><dd>{{ site.Params.portal.icp }}</dd></div>
<div><dt>公安备案号</dt><dd>{{ site.Params.portal.police_record }}</dd></div>
<div><dt>联系我们</dt><dd>{{ site.Params.portal.contact }}</dd></div>
</dl>
<p class="opendata">开放数据：<a href="{{ relURL "data/tasks.csv" }}">任务表（CSV）</a>、<a href="{{ relURL "data/tasks.json" }}">任务表（JSON）</a>、<a href="{{ relURL "data/progress.csv" }}">进展记录（CSV）</a>、<a href="{{ relURL "feed.xml" }}">进展订阅（Atom）</a>、<a href="{{ relURL "sitemap.xml" }}">网站地图</a></p>
</div>
</footer>
</body>
</html>
"##,
    ),
    (
        "layouts/_partials/toolbar.html",
        r##"<div class="care" id="care" role="group" aria-label="无障碍与关怀模式" hidden>
<span class="care-label" aria-hidden="true">无障碍：</span>
<button type="button" data-size="0" aria-pressed="true">标准字</button>
<button type="button" data-size="1" aria-pressed="false">大字</button>
<button type="button" data-size="2" aria-pressed="false">特大字</button>
<button type="button" data-toggle="contrast" aria-pressed="false">高对比度</button>
<button type="button" data-toggle="spacing" aria-pressed="false">加宽行距</button>
<button type="button" data-read aria-pressed="false" hidden>朗读正文</button>
<button type="button" data-reset>恢复默认</button>
</div>
"##,
    ),
    (
        "layouts/_partials/status.html",
        r##"<span class="st st-{{ .key }}"><span class="st-i" aria-hidden="true">{{ if eq .key "done" }}✔{{ else if eq .key "done-late" }}✔{{ else if eq .key "in-progress" }}◐{{ else if eq .key "not-started" }}○{{ else if eq .key "not-reported" }}？{{ else if eq .key "overdue" }}✖{{ else }}↻{{ end }}</span>{{ .label }}{{ with .stale }}<span class="stale">（{{ . }}）</span>{{ end }}</span>"##,
    ),
    (
        "layouts/_partials/task_table.html",
        r##"<table class="tasks stack">
<caption>{{ .caption }}</caption>
<thead><tr><th scope="col" class="c-id">编号</th><th scope="col">任务内容</th><th scope="col" class="c-units">责任单位</th><th scope="col" class="c-dl">完成时限</th><th scope="col" class="c-st">完成情况</th></tr></thead>
<tbody>
{{ range .rows }}<tr>
<th scope="row" class="c-id" data-label="编号"><a href="{{ .RelPermalink }}">{{ .Params.tid }}</a></th>
<td data-label="任务内容">{{ .Params.text }}</td>
<td data-label="责任单位">{{ range $i, $u := .Params.units }}{{ if $i }}、{{ end }}<a href="{{ relURL (printf "unit/%s.html" $u.id) }}">{{ $u.name }}</a>{{ end }}{{ if .Params.and_others }}等{{ end }}</td>
<td data-label="完成时限">{{ .Params.deadline.text }}</td>
<td data-label="完成情况">{{ partial "status.html" .Params.st }}</td>
</tr>
{{ end }}</tbody>
</table>
"##,
    ),
    (
        "layouts/_partials/overview.html",
        r##"{{ $p := .Params.plan }}<h1>{{ $p.title }}</h1>
<dl class="docmeta">
<div><dt>发布机构</dt><dd>{{ $p.issuer }}</dd></div>
<div><dt>成文日期</dt><dd>{{ $p.written_date }}</dd></div>
<div><dt>发布日期</dt><dd>{{ $p.issue_date }}</dd></div>
<div><dt>公开方式</dt><dd>{{ $p.disclosure }}</dd></div>
<div><dt>抄送</dt><dd>{{ $p.cc }}</dd></div>
</dl>
<section aria-labelledby="sum-h">
<h2 id="sum-h">完成情况汇总</h2>
<ul class="tiles">
{{ range .Params.tally.counts }}<li class="tile tile-{{ .key }}">{{ partial "status.html" . }}<span class="num">{{ .count }}</span><span class="pct">占 {{ .pct }}%</span></li>
{{ end }}</ul>
<table class="summary stack">
<caption>各工作任务完成情况（共 {{ .Params.tally.total }} 项任务）</caption>
<thead><tr><th scope="col">工作任务</th><th scope="col">任务数</th>{{ range .Params.tally.counts }}<th scope="col">{{ .label }}</th>{{ end }}</tr></thead>
<tbody>
{{ range .Params.tally.categories }}<tr><th scope="row" data-label="工作任务"><a href="{{ relURL .href }}">{{ .number }}　{{ .title }}</a></th><td data-label="任务数">{{ .total }}</td>{{ range .counts }}<td data-label="{{ .label }}">{{ .count }}</td>{{ end }}</tr>
{{ end }}<tr class="total"><th scope="row" data-label="工作任务">合计</th><td data-label="任务数">{{ .Params.tally.total }}</td>{{ range .Params.tally.counts }}<td data-label="{{ .label }}">{{ .count }}（{{ .pct }}%）</td>{{ end }}</tr>
</tbody>
</table>
</section>
<section aria-labelledby="cat-h">
<h2 id="cat-h">工作任务</h2>
<ul class="cards">
{{ range $p.categories }}<li><a href="{{ relURL .href }}">{{ .number }}　{{ .title }}</a></li>
{{ end }}<li><a href="{{ relURL "2023/timeline.html" }}">时间表：按完成时限查看</a></li>
<li><a href="{{ relURL "2023/pilots.html" }}">先行单位名单</a></li>
<li><a href="{{ relURL "unit.html" }}">各单位工作台账</a></li>
</ul>
</section>
{{ $tasks := where site.RegularPages "Params.tid" "!=" nil }}
{{ $overdue := where $tasks "Params.overdue" true }}
<section aria-labelledby="od-h">
<h2 id="od-h">已逾期任务（{{ len $overdue }} 项）</h2>
{{ if gt (len $overdue) 100 }}<p class="note">下表列出前 100 项；全部任务见<a href="{{ relURL "2023/timeline.html" }}">时间表</a>和<a href="{{ relURL "data/tasks.csv" }}">任务表（CSV）</a>。</p>{{ end }}
{{ if $overdue }}{{ partial "task_table.html" (dict "rows" (first 100 $overdue) "caption" "完成时限已过、尚未完成的任务") }}{{ else }}<p>没有逾期任务。</p>{{ end }}
</section>
{{ $up := sort (where $tasks "Params.upcoming" true) "Params.dl" }}
<section aria-labelledby="up-h">
<h2 id="up-h">30天内到期的任务（{{ len $up }} 项）</h2>
{{ if gt (len $up) 100 }}<p class="note">下表列出最早到期的 100 项；全部任务见<a href="{{ relURL "2023/timeline.html" }}">时间表</a>。</p>{{ end }}
{{ if $up }}{{ partial "task_table.html" (dict "rows" (first 100 $up) "caption" "数据截至日起30天内到期、尚未完成的任务") }}{{ else }}<p>30天内没有到期的任务。</p>{{ end }}
</section>
<section aria-labelledby="news-h">
<h2 id="news-h">最新进展</h2>
<ol class="updates">
{{ range .Params.latest }}<li><p class="upd-head"><span class="date">{{ .date }}</span> <a href="{{ relURL (printf "unit/%s.html" .unit.id) }}">{{ .unit.name }}</a> · <a href="{{ relURL .href }}">任务 {{ .task }}</a> · {{ .status }}</p><p>{{ .summary }}</p></li>
{{ end }}</ol>
</section>
"##,
    ),
    (
        "layouts/home.html",
        r##"{{ define "main" }}{{ partial "overview.html" . }}{{ end }}"##,
    ),
    (
        "layouts/plan.html",
        r##"{{ define "main" }}{{ partial "overview.html" . }}{{ end }}"##,
    ),
    (
        "layouts/section.html",
        r##"{{ define "main" }}{{ $pg := .Paginate .RegularPages.ByWeight 100 }}
<h1>{{ .Title }}{{ if gt $pg.TotalPages 1 }}（第{{ $pg.PageNumber }}页，共{{ $pg.TotalPages }}页）{{ end }}</h1>
<p class="lead">2023年全市政务公开工作要点分工表（合成数据） · 本类共 {{ .Params.total }} 项任务：{{ range .Params.counts }}{{ if gt .count 0 }}{{ .label }} {{ .count }} 项，{{ end }}{{ end }}</p>
{{ partial "pager.html" $pg }}
{{ $subs := .Params.subs }}
{{ range $pg.Pages.GroupByParam "subno" }}{{ $s := index $subs (sub (int .Key) 1) }}<section aria-labelledby="s{{ .Key }}">
<h2 id="s{{ .Key }}">{{ $s.title }}</h2>
{{ partial "task_table.html" (dict "rows" .Pages "caption" (printf "重点工作任务：%s" $s.title)) }}
</section>
{{ end }}
{{ partial "pager.html" $pg }}
{{ end }}"##,
    ),
    (
        "layouts/_partials/pager.html",
        r##"{{ if gt .TotalPages 1 }}<nav class="pager" aria-label="分页">
<ul>
{{ if .HasPrev }}<li><a href="{{ .Prev.URL }}" rel="prev">上一页</a></li>{{ end }}
{{ $cur := .PageNumber }}{{ $last := .TotalPages }}{{ range .Pagers }}{{ $n := .PageNumber }}{{ $m := sub $n 1 }}{{ if or (eq $n 1) (eq $n $last) (and (ge $n (sub $cur 2)) (le $n (add $cur 2))) }}<li>{{ if eq $n $cur }}<a href="{{ .URL }}" aria-current="page" aria-label="第{{ $n }}页（当前页）">{{ $n }}</a>{{ else }}<a href="{{ .URL }}" aria-label="第{{ $n }}页">{{ $n }}</a>{{ end }}</li>{{ else if or (eq $m 1) (and (ge $m (sub $cur 2)) (le $m (add $cur 2))) }}<li class="gap" aria-hidden="true">…</li>{{ end }}{{ end }}
{{ if .HasNext }}<li><a href="{{ .Next.URL }}" rel="next">下一页</a></li>{{ end }}
</ul>
</nav>
{{ end }}"##,
    ),
    (
        "layouts/page.html",
        r##"{{ define "main" }}
<h1>{{ .Title }}</h1>
<p class="lead">{{ .Params.category }} › {{ .Params.subcategory }}</p>
<section aria-labelledby="text-h">
<h2 id="text-h">任务内容</h2>
<blockquote class="verbatim"><p>{{ .Params.text }}</p></blockquote>
</section>
<section aria-labelledby="who-h">
<h2 id="who-h">责任单位</h2>
{{ range .Params.cells }}<p class="verbatim"><span class="k">{{ .label }}（原文）：</span>{{ range .segments }}{{ if .href }}<a href="{{ relURL .href }}">{{ .text }}</a>{{ else }}{{ .text }}{{ end }}{{ end }}</p>
{{ end }}{{ if .Params.and_others }}<p class="note">原文写有“等”，除上列单位外还有其他单位参与。</p>{{ end }}
</section>
<section aria-labelledby="dl-h">
<h2 id="dl-h">完成时限与完成情况</h2>
<dl class="facts">
<div><dt>完成时限（原文）</dt><dd>{{ .Params.deadline.text }}</dd></div>
<div><dt>时限解读</dt><dd>{{ .Params.deadline.kind_label }}：{{ .Params.deadline.meaning }}</dd></div>
<div><dt>完成情况</dt><dd>{{ partial "status.html" .Params.st }}{{ with .Params.st.last }}（最近进展 {{ . }}）{{ end }}</dd></div>
</dl>
<table class="stack">
<caption>各责任单位完成情况</caption>
<thead><tr><th scope="col">责任单位</th><th scope="col">职责</th><th scope="col">完成情况</th><th scope="col">最近进展</th></tr></thead>
<tbody>
{{ range .Params.assignees }}<tr>
<th scope="row" data-label="责任单位"><a href="{{ relURL (printf "unit/%s.html" .id) }}">{{ .name }}</a>{{ if .group }}{{ if .members }}<details><summary>成员单位（{{ len .members }} 个）</summary><ul class="members">{{ range .members }}<li><a href="{{ relURL (printf "unit/%s.html" .id) }}">{{ .name }}</a>：{{ partial "status.html" .st }}</li>{{ end }}</ul></details>{{ else }}<span class="note">（成员单位未列明）</span>{{ end }}{{ end }}</th>
<td data-label="职责">{{ .role }}</td>
<td data-label="完成情况">{{ partial "status.html" .st }}</td>
<td data-label="最近进展">{{ or .st.last "暂无" }}</td>
</tr>
{{ end }}</tbody>
</table>
</section>
<section aria-labelledby="tl-h">
<h2 id="tl-h">进展记录</h2>
{{ if .Params.records }}<ol class="timeline">
{{ range .Params.records }}<li id="r-{{ .id }}"><p class="upd-head"><span class="date">{{ .date }}</span> <a href="{{ relURL (printf "unit/%s.html" .unit.id) }}">{{ .unit.name }}</a> · {{ .status }}</p><p>{{ .summary }}</p>{{ if .evidence }}<ul class="evidence">{{ range .evidence }}<li><a href="{{ .url }}" rel="noopener noreferrer">{{ .title }}</a></li>{{ end }}</ul>{{ end }}</li>
{{ end }}</ol>{{ else }}<p>截至 {{ site.Params.as_of }} 暂无进展记录。</p>{{ end }}
</section>
{{ end }}"##,
    ),
    (
        "layouts/timeline.html",
        r##"{{ define "main" }}
<h1>时间表</h1>
<p class="lead">2023年全市政务公开工作要点分工表（合成数据）：按完成时限排列的全部任务。</p>
{{ $tasks := sort (where site.RegularPages "Params.tid" "!=" nil) "Params.dl" }}
{{ $groups := $tasks.GroupByParam "tl" }}
<nav class="toc" aria-label="时间表目录"><ul>{{ range $groups }}<li><a href="#m{{ .Key }}">{{ .Key }}</a></li>{{ end }}</ul></nav>
{{ range $groups }}<section aria-labelledby="m{{ .Key }}">
<h2 id="m{{ .Key }}">{{ .Key }}（{{ len .Pages }} 项）</h2>
<p class="note">{{ range (.Pages.GroupByParam "stl") }}{{ .Key }} {{ len .Pages }} 项，{{ end }}</p>
{{ if in $.Params.inline .Key }}{{ partial "task_table.html" (dict "rows" .Pages "caption" (printf "完成时限：%s" .Key)) }}{{ else }}<p><a href="{{ relURL (printf "tlsec/%s.html" .Key) }}">查看{{ .Key }}的全部 {{ len .Pages }} 项任务（分页）</a></p>{{ end }}
</section>
{{ end }}
{{ end }}"##,
    ),
    (
        "layouts/pilots.html",
        r##"{{ define "main" }}
<h1>先行单位</h1>
{{ range .Params.batches }}<section>
<h2>{{ .name }}</h2>
<p class="note">出处：{{ .source }}</p>
<p>乡镇（街道）：{{ range $i, $u := .townships }}{{ if $i }}、{{ end }}<a href="{{ relURL (printf "unit/%s.html" $u.id) }}">{{ $u.name }}</a>{{ end }}</p>
<p>部门：{{ range $i, $u := .departments }}{{ if $i }}、{{ end }}<a href="{{ relURL (printf "unit/%s.html" $u.id) }}">{{ $u.name }}</a>{{ end }}</p>
{{ $ids := .tasks }}{{ partial "task_table.html" (dict "rows" (where site.RegularPages "Params.tid" "in" $ids) "caption" "相关任务") }}
</section>
{{ end }}
{{ end }}"##,
    ),
    (
        "layouts/taxonomy.html",
        r##"{{ define "main" }}
<h1>工作台账</h1>
<p class="lead">每个责任单位和单位组都有一本工作台账，列出它牵头或参与的全部任务及完成情况。</p>
<section aria-labelledby="g-h">
<h2 id="g-h">单位组</h2>
<table class="stack">
<caption>单位组及其任务</caption>
<thead><tr><th scope="col">单位组</th><th scope="col">已知成员</th><th scope="col">任务数</th><th scope="col">已逾期</th></tr></thead>
<tbody>{{ range .Params.groups }}<tr><th scope="row" data-label="单位组"><a href="{{ relURL (printf "unit/%s.html" .id) }}">{{ .name }}</a></th><td data-label="已知成员">{{ .members }} 个</td><td data-label="任务数">{{ .tasks }}</td><td data-label="已逾期">{{ .overdue }}</td></tr>
{{ end }}</tbody>
</table>
</section>
{{ range $i, $k := .Params.kinds }}<section aria-labelledby="k-{{ $i }}">
<h2 id="k-{{ $i }}">{{ $k.label }}</h2>
<table class="stack">
<caption>{{ $k.label }}及其任务</caption>
<thead><tr><th scope="col">单位</th><th scope="col">任务数</th><th scope="col">已逾期</th></tr></thead>
<tbody>{{ range $k.units }}<tr><th scope="row" data-label="单位"><a href="{{ relURL (printf "unit/%s.html" .id) }}">{{ .name }}</a></th><td data-label="任务数">{{ .tasks }}</td><td data-label="已逾期">{{ .overdue }}</td></tr>
{{ end }}</tbody>
</table>
</section>
{{ end }}
{{ end }}"##,
    ),
    (
        "layouts/term.html",
        r##"{{ define "main" }}{{ $id := .Data.Term }}
<h1>{{ .Params.uname }}工作台账</h1>
<dl class="facts">
<div><dt>类别</dt><dd>{{ .Params.kind }}</dd></div>
{{ with .Params.groups }}<div><dt>所属单位组</dt><dd>{{ range $i, $g := . }}{{ if $i }}、{{ end }}<a href="{{ relURL (printf "unit/%s.html" $g.id) }}">{{ $g.name }}</a>{{ end }}</dd></div>{{ end }}
{{ if .Params.is_group }}<div><dt>已知成员</dt><dd>{{ range $i, $m := .Params.members }}{{ if $i }}、{{ end }}<a href="{{ relURL (printf "unit/%s.html" $m.id) }}">{{ $m.name }}</a>{{ end }}</dd></div>{{ end }}
{{ with .Params.note }}<div><dt>说明</dt><dd>{{ . }}</dd></div>{{ end }}
<div><dt>任务总数</dt><dd>{{ .Params.total }} 项</dd></div>
<div><dt>已逾期</dt><dd>{{ .Params.overdue }} 项</dd></div>
</dl>
<ul class="tiles">
{{ range .Params.counts }}<li class="tile tile-{{ .key }}">{{ partial "status.html" . }}<span class="num">{{ .count }}</span></li>
{{ end }}</ul>
{{ $pg := .Paginate .Pages.ByWeight 100 }}{{ partial "pager.html" $pg }}<table class="stack ledger">
<caption>{{ .Params.uname }}牵头或参与的任务</caption>
<thead><tr><th scope="col" class="c-id">任务</th><th scope="col">任务内容</th><th scope="col">职责</th><th scope="col" class="c-dl">完成时限</th><th scope="col" class="c-st">本单位完成情况</th><th scope="col">最近进展</th></tr></thead>
<tbody>
{{ range $pg.Pages }}{{ $l := index .Params.ledger $id }}<tr>
<th scope="row" class="c-id" data-label="任务"><a href="{{ .RelPermalink }}">{{ .Params.tid }}</a></th>
<td data-label="任务内容">{{ .Params.text }}</td>
<td data-label="职责">{{ $l.role }}{{ with $l.via }}（通过<a href="{{ relURL (printf "unit/%s.html" .id) }}">{{ .name }}</a>）{{ end }}</td>
<td data-label="完成时限">{{ .Params.deadline.text }}</td>
<td data-label="本单位完成情况">{{ partial "status.html" $l.st }}</td>
<td data-label="最近进展">{{ with $l.latest }}{{ .date }}{{ with .by }}（{{ . }}报送）{{ end }}：{{ .summary }}{{ else }}暂无报送{{ end }}</td>
</tr>
{{ end }}</tbody>
</table>{{ partial "pager.html" $pg }}
{{ end }}"##,
    ),
    (
        "layouts/tlsec/term.html",
        r##"{{ define "main" }}{{ $pg := .Paginate (sort .Pages "Params.dl") 100 }}
<h1>{{ .Title }}（共 {{ len .Pages }} 项，第{{ $pg.PageNumber }}页，共{{ $pg.TotalPages }}页）</h1>
<p class="lead">2023年全市政务公开工作要点分工表（合成数据） · <a href="{{ relURL "2023/timeline.html" }}">返回时间表</a></p>
{{ partial "pager.html" $pg }}
{{ partial "task_table.html" (dict "rows" $pg.Pages "caption" (printf "完成时限：%s" .Title)) }}
{{ partial "pager.html" $pg }}
{{ end }}"##,
    ),
    (
        "layouts/404.html",
        r##"{{ define "main" }}<h1>页面不存在</h1><p>您访问的页面不存在或已移动。<a href="{{ relURL "index.html" }}">返回首页</a></p>{{ end }}"##,
    ),
];
