//! Generated content for the preview's incremental-rebuild tests: the YAML writers, a block of same-unit tasks to add to the default content, and a whole
//! generated site (kept as a model that random edits change, then written out as content
//! files) whose unit ledgers, category pages and timeline paginate.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

pub use super::rng::Rng;

/// A progress record's status, as written in YAML.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    NotStarted,
    InProgress,
    Done,
}

impl Status {
    /// The YAML value.
    pub fn key(self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::InProgress => "in_progress",
            Status::Done => "done",
        }
    }
}

/// One progress record as written in a progress file.
#[derive(Clone, Debug)]
pub struct Record {
    /// Record id (unique in the plan).
    pub id: String,
    /// Task id.
    pub task: String,
    /// Reporting unit or group id.
    pub unit: String,
    /// Report date in the plan's year: (month, day).
    pub date: (u32, u32),
    pub status: Status,
    pub summary: String,
}

/// A progress file's text. No `review:` block: the preview shows unsigned records.
pub fn progress_yaml(records: &[Record]) -> String {
    let mut s = String::from("# 生成的进展记录（测试用）。\nformat_version: 1\nrecords:\n");
    for r in records {
        let _ = write!(
            s,
            "  - id: {}\n    task: \"{}\"\n    unit: {}\n    date: {YEAR}-{:02}-{:02}\n    status: {}\n    summary: \"{}\"\n",
            r.id,
            r.task,
            r.unit,
            r.date.0,
            r.date.1,
            r.status.key(),
            r.summary
        );
    }
    s
}

/// One task as written in a tasks file.
#[derive(Clone, Debug)]
pub struct TaskSpec {
    pub id: String,
    pub text: String,
    /// The verbatim 责任单位 cell.
    pub cell: String,
    /// Unit and group ids named in the cell.
    pub responsible: Vec<String>,
    /// Verbatim deadline such as `12月31日` or `及时公开`.
    pub deadline: String,
}

/// A tasks file's text: one category with the given sub-categories.
pub fn tasks_yaml(number: u32, title: &str, subcategories: &[(String, Vec<TaskSpec>)]) -> String {
    let mut s = format!(
        "# 生成的工作任务（测试用）。\nformat_version: 1\ncategory:\n  number: {number}\n  title: \"{title}\"\nsubcategories:\n"
    );
    for (sub, tasks) in subcategories {
        let _ = write!(s, "  - title: \"{sub}\"\n    tasks:\n");
        for t in tasks {
            let _ = write!(
                s,
                "      - id: \"{}\"\n        text: \"{}\"\n        responsible_text: \"{}\"\n        responsible: [{}]\n        deadline: \"{}\"\n",
                t.id,
                t.text,
                t.cell,
                t.responsible.join(", "),
                t.deadline
            );
        }
    }
    s
}

/// The year of every generated plan.
pub const YEAR: i32 = 2023;

/// `n` tasks all assigned to one unit (named in the cell as `cell_name`), with ids
/// `{prefix}-1` … `{prefix}-{n}` and the one deadline, for adding to an existing category.
pub fn same_unit_tasks(
    prefix: &str,
    unit: &str,
    cell_name: &str,
    deadline: &str,
    n: usize,
) -> Vec<TaskSpec> {
    (1..=n)
        .map(|i| TaskSpec {
            id: format!("{prefix}-{i}"),
            text: format!("（生成）第{i}条任务：按季度公开本单位相关工作的推进情况和结果。"),
            cell: format!("{cell_name}。"),
            responsible: vec![unit.to_string()],
            deadline: deadline.to_string(),
        })
        .collect()
}

/// A unit or a group of the generated site.
#[derive(Clone, Debug)]
pub struct Party {
    pub id: String,
    /// Display name in units.yaml (what a rename changes).
    pub name: String,
    /// The alias the task cells use, so renaming the display name keeps every cell valid.
    pub alias: String,
    /// `Some(kind)` for a unit, `None` for a group.
    pub kind: Option<&'static str>,
    /// Explicit members of a group (unit ids).
    pub members: Vec<String>,
    /// `member_kinds` of a group.
    pub member_kinds: Vec<&'static str>,
}

/// A task of the generated site.
#[derive(Clone, Debug)]
pub struct GenTask {
    pub spec: TaskSpec,
    /// Category number (1-based).
    pub category: u32,
    /// Sub-category index within the category.
    pub sub: usize,
}

/// The generated site: units and groups, two categories of tasks, pilots, and progress records
/// spread over several progress files. `write` puts it on disk; the edit methods change the
/// model, and `write` again rewrites the files whose text changed.
pub struct GenSite {
    pub parties: Vec<Party>,
    pub tasks: Vec<GenTask>,
    /// Progress file name → records in file order.
    pub progress: BTreeMap<String, Vec<Record>>,
    /// Counter for fresh record ids and new names.
    serial: usize,
    /// Text of every content file as last written, by path relative to the site folder.
    written: BTreeMap<String, String>,
    /// For publishing builds: every record carries a review block signed by the example
    /// reviewers (and `reviewers.yaml` is written), through 终审 unless it is in `unsigned`.
    pub publishing: bool,
    /// Ids of records signed at 初审 and 复审 only (held by the gate: 待终审).
    pub unsigned: std::collections::BTreeSet<String>,
}

/// A progress file's text with every record signed by the example reviewers on
/// [`SIGNED_ON`], through 终审 unless its id is in `unsigned` (then 初审 and 复审 only).
pub fn signed_progress_yaml(
    records: &[Record],
    unsigned: &std::collections::BTreeSet<String>,
) -> String {
    use gongkai::model::ProgressStatus;
    let mut s = String::from("# 生成的进展记录（测试用，已签署）。\nformat_version: 1\nrecords:\n");
    for r in records {
        let date = format!("{YEAR}-{:02}-{:02}", r.date.0, r.date.1);
        let status = match r.status {
            Status::NotStarted => ProgressStatus::NotStarted,
            Status::InProgress => ProgressStatus::InProgress,
            Status::Done => ProgressStatus::Done,
        };
        let fp = super::signing::record_fingerprint(
            &r.id,
            &r.task,
            &r.unit,
            &date,
            status,
            &r.summary,
            "主动公开",
        );
        let stages = if unsigned.contains(&r.id) { 2 } else { 3 };
        let _ = write!(
            s,
            "  - id: {}\n    task: \"{}\"\n    unit: {}\n    date: {date}\n    status: {}\n    summary: \"{}\"\n{}",
            r.id,
            r.task,
            r.unit,
            r.status.key(),
            r.summary,
            super::signing::review_block(4, "record", &r.id, &fp, "主动公开", SIGNED_ON, stages)
        );
    }
    s
}

/// The date of every sign-off of a publishing site (after every record's date).
pub const SIGNED_ON: &str = "2023-12-15";

/// Names of the progress files records are spread over: three large ones, and small ones that
/// hold a few records each (so that a changed file touches only a few tasks, as when each unit
/// keeps its own file) and are deleted when their last record goes.
pub const PROGRESS_FILES: [&str; 15] = [
    "bumen.yaml",
    "xiangzhen.yaml",
    "qita.yaml",
    "buchong-01.yaml",
    "buchong-02.yaml",
    "buchong-03.yaml",
    "buchong-04.yaml",
    "buchong-05.yaml",
    "buchong-06.yaml",
    "buchong-07.yaml",
    "buchong-08.yaml",
    "buchong-09.yaml",
    "buchong-10.yaml",
    "buchong-11.yaml",
    "buchong-12.yaml",
];
/// How many of [`PROGRESS_FILES`] (the first ones) start large.
const LARGE_FILES: usize = 3;

/// Deadlines and how often each is drawn (percent): 2023-12 holds well over 100 tasks, so that
/// timeline section paginates; 2023-06 and 2023-09 are smaller (shown in full on the timeline
/// page while they fit).
const DEADLINES: [(&str, usize); 5] = [
    ("12月31日", 45),
    ("6月30日", 20),
    ("9月30日", 10),
    ("及时公开", 15),
    ("长期坚持", 10),
];

/// Site shape.
pub const CATEGORIES: u32 = 2;
pub const SUBCATEGORIES: usize = 3;
pub const TASKS_PER_SUBCATEGORY: usize = 50;
pub const INITIAL_RECORDS: usize = 150;
/// As-of date of the generated site (site.yaml); records may be dated later (up to
/// 2023-11-30, still before today), which the status rules ignore until as-of reaches them.
pub const AS_OF: &str = "2023-10-01";

impl GenSite {
    /// A new site drawn from `rng`: 300 tasks (2 categories × 3 sub-categories × 50), 10 units
    /// and 2 groups; `bu-a` is assigned about 55% of the tasks and `bu-b` and the group
    /// `pianqu` (explicit members `zhen-a`, `zhen-b`, `zhen-c`) about 40% each, so their
    /// ledgers and their members' ledgers paginate; `gezhen` (every township) about 10%;
    /// 150 progress records, 80% of them in three large progress files and the rest in twelve
    /// small ones.
    pub fn new(rng: &mut Rng) -> Self {
        let mut parties = Vec::new();
        for (i, c) in ["甲", "乙", "丙", "丁", "戊", "己"].iter().enumerate() {
            let id = format!("bu-{}", (b'a' + i as u8) as char);
            parties.push(Party {
                id,
                name: format!("万测市{c}务局"),
                alias: format!("市{c}局"),
                kind: Some(if i == 5 { "other_organ" } else { "department" }),
                members: vec![],
                member_kinds: vec![],
            });
        }
        for (i, c) in ["东", "南", "西", "北"].iter().enumerate() {
            parties.push(Party {
                id: format!("zhen-{}", (b'a' + i as u8) as char),
                name: format!("万测{c}山镇"),
                alias: format!("{c}山镇"),
                kind: Some("township"),
                members: vec![],
                member_kinds: vec![],
            });
        }
        parties.push(Party {
            id: "pianqu".into(),
            name: "万测第一片区各单位".into(),
            alias: "第一片区各单位".into(),
            kind: None,
            members: vec!["zhen-a".into(), "zhen-b".into(), "zhen-c".into()],
            member_kinds: vec![],
        });
        parties.push(Party {
            id: "gezhen".into(),
            name: "万测各镇人民政府".into(),
            alias: "各镇人民政府".into(),
            kind: None,
            members: vec![],
            member_kinds: vec!["township"],
        });

        let mut tasks = Vec::new();
        for cat in 1..=CATEGORIES {
            for sub in 0..SUBCATEGORIES {
                for n in 1..=TASKS_PER_SUBCATEGORY {
                    let mut resp: Vec<usize> = Vec::new();
                    for (pi, percent) in [(0, 55), (1, 40), (10, 40), (11, 10)] {
                        if rng.chance(percent) {
                            resp.push(pi);
                        }
                    }
                    for _ in 0..rng.below(3) {
                        let pi = 2 + rng.below(8); // bu-c … zhen-d
                        if !resp.contains(&pi) {
                            resp.push(pi);
                        }
                    }
                    if resp.is_empty() {
                        resp.push(2 + rng.below(8));
                    }
                    resp.sort_unstable();
                    let mut roll = rng.below(100);
                    let deadline = DEADLINES
                        .iter()
                        .find(|(_, p)| {
                            let hit = roll < *p;
                            roll = roll.saturating_sub(*p);
                            hit
                        })
                        .map_or(DEADLINES[0].0, |d| d.0);
                    let id = format!("{cat}-{}-{n}", sub + 1);
                    tasks.push(GenTask {
                        spec: TaskSpec {
                            text: format!(
                                "（生成）第{cat}类第{}组第{n}项：及时公开相关政策文件和解读材料，做好政策咨询答复。",
                                sub + 1
                            ),
                            cell: resp
                                .iter()
                                .map(|&pi| parties[pi].alias.as_str())
                                .collect::<Vec<_>>()
                                .join("、")
                                + "。",
                            responsible: resp.iter().map(|&pi| parties[pi].id.clone()).collect(),
                            deadline: deadline.to_string(),
                            id,
                        },
                        category: cat,
                        sub,
                    });
                }
            }
        }
        let mut site = GenSite {
            parties,
            tasks,
            progress: PROGRESS_FILES
                .iter()
                .map(|f| (f.to_string(), Vec::new()))
                .collect(),
            serial: 0,
            written: BTreeMap::new(),
            publishing: false,
            unsigned: Default::default(),
        };
        for _ in 0..INITIAL_RECORDS {
            let r = site.new_record(rng);
            let file = if rng.chance(80) {
                rng.pick(&PROGRESS_FILES[..LARGE_FILES])
            } else {
                rng.pick(&PROGRESS_FILES[LARGE_FILES..])
            }
            .to_string();
            site.progress.get_mut(&file).unwrap().push(r);
        }
        site
    }

    /// Unit ids that are members of group `gid`.
    fn members(&self, gid: &str) -> Vec<&str> {
        let g = self.parties.iter().find(|p| p.id == gid).unwrap();
        self.parties
            .iter()
            .filter(|u| {
                u.kind.is_some()
                    && (g.members.contains(&u.id)
                        || u.kind.is_some_and(|k| g.member_kinds.contains(&k)))
            })
            .map(|u| u.id.as_str())
            .collect()
    }

    /// Who may report on task `ti`: its units, its groups, and their members.
    pub fn reporters(&self, ti: usize) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for id in &self.tasks[ti].spec.responsible {
            out.push(id.clone());
            let is_group = self.parties.iter().any(|p| &p.id == id && p.kind.is_none());
            if is_group {
                out.extend(self.members(id).into_iter().map(String::from));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    fn fresh(&mut self) -> usize {
        self.serial += 1;
        self.serial
    }

    /// A random date in 2023-01-01 ..= 2023-11-28.
    pub fn random_date(rng: &mut Rng) -> (u32, u32) {
        (1 + rng.below(11) as u32, 1 + rng.below(28) as u32)
    }

    /// A random status (done and in progress three times as likely as not started).
    pub fn random_status(rng: &mut Rng) -> Status {
        match rng.below(7) {
            0 => Status::NotStarted,
            1..=3 => Status::InProgress,
            _ => Status::Done,
        }
    }

    /// A new valid record with a fresh id on a random task.
    pub fn new_record(&mut self, rng: &mut Rng) -> Record {
        let ti = rng.below(self.tasks.len());
        let unit = rng.pick(&self.reporters(ti)).clone();
        let n = self.fresh();
        Record {
            id: format!("r{n}"),
            task: self.tasks[ti].spec.id.clone(),
            unit,
            date: Self::random_date(rng),
            status: Self::random_status(rng),
            summary: format!("（生成）第{n}份报送：已按要求公开相关信息。"),
        }
    }

    /// Number of records.
    pub fn record_count(&self) -> usize {
        self.progress.values().map(Vec::len).sum()
    }

    /// (file, index) of a random record; `None` when there are none.
    pub fn random_record(&self, rng: &mut Rng) -> Option<(String, usize)> {
        let n = self.record_count();
        if n == 0 {
            return None;
        }
        let mut k = rng.below(n);
        for (f, rs) in &self.progress {
            if k < rs.len() {
                return Some((f.clone(), k));
            }
            k -= rs.len();
        }
        unreachable!()
    }

    /// Apply one random edit drawn from `rng`; returns its kind and a description. About 87%
    /// are progress-record edits (added, status changed, date moved, deleted, moved to another
    /// progress file, moved to another task, summary edited), the rest unit or group renames
    /// (the display name in units.yaml) and task text edits.
    pub fn random_edit(&mut self, rng: &mut Rng) -> (EditKind, String) {
        let roll = rng.below(100);
        let picked = self.random_record(rng);
        let Some((file, i)) = picked.filter(|_| roll >= 22) else {
            let r = self.new_record(rng);
            let file = rng.pick(&PROGRESS_FILES).to_string();
            let at = rng.below(self.progress[&file].len() + 1);
            let d = format!(
                "add record {} (task {}, unit {}, {}-{:02}-{:02}, {}) to progress/{file} at {at}",
                r.id,
                r.task,
                r.unit,
                YEAR,
                r.date.0,
                r.date.1,
                r.status.key()
            );
            self.progress.get_mut(&file).unwrap().insert(at, r);
            return (EditKind::Progress, d);
        };
        let r = &self.progress[&file][i];
        let what = format!(
            "record {} (task {}, unit {}) in progress/{file}",
            r.id, r.task, r.unit
        );
        match roll {
            22..=39 => {
                let old = r.status;
                let mut new = Self::random_status(rng);
                if new == old {
                    new = match old {
                        Status::Done => Status::InProgress,
                        _ => Status::Done,
                    };
                }
                self.progress.get_mut(&file).unwrap()[i].status = new;
                let d = format!("{what}: status {} -> {}", old.key(), new.key());
                (EditKind::Progress, d)
            }
            40..=53 => {
                let old = r.date;
                let new = Self::random_date(rng);
                self.progress.get_mut(&file).unwrap()[i].date = new;
                let d = format!(
                    "{what}: date {YEAR}-{:02}-{:02} -> {YEAR}-{:02}-{:02}",
                    old.0, old.1, new.0, new.1
                );
                (EditKind::Progress, d)
            }
            54..=65 => {
                self.progress.get_mut(&file).unwrap().remove(i);
                (EditKind::Progress, format!("delete {what}"))
            }
            66..=75 => {
                let others: Vec<&str> = PROGRESS_FILES
                    .iter()
                    .copied()
                    .filter(|f| *f != file)
                    .collect();
                let to = rng.pick(&others).to_string();
                let rec = self.progress.get_mut(&file).unwrap().remove(i);
                let at = rng.below(self.progress[&to].len() + 1);
                self.progress.get_mut(&to).unwrap().insert(at, rec);
                (
                    EditKind::Progress,
                    format!("move {what} to progress/{to} at {at}"),
                )
            }
            76..=81 => {
                let ti = rng.below(self.tasks.len());
                let unit = rng.pick(&self.reporters(ti)).clone();
                let task = self.tasks[ti].spec.id.clone();
                let d = format!("{what}: now task {task}, unit {unit}");
                let rec = &mut self.progress.get_mut(&file).unwrap()[i];
                rec.task = task;
                rec.unit = unit;
                (EditKind::Progress, d)
            }
            82..=86 => {
                let n = self.fresh();
                self.progress.get_mut(&file).unwrap()[i].summary =
                    format!("（生成）修改后的报送（第{n}次修改）：已公开。");
                (EditKind::Progress, format!("{what}: summary edited"))
            }
            87..=93 => {
                let pi = rng.below(self.parties.len());
                let n = self.fresh();
                let p = &mut self.parties[pi];
                let base = p.name.split('（').next().unwrap().to_string();
                let new = format!("{base}（第{n}版）");
                let d = format!("rename {} from {} to {new}", p.id, p.name);
                p.name = new;
                (EditKind::Rename, d)
            }
            _ => {
                let ti = rng.below(self.tasks.len());
                let n = self.fresh();
                let t = &mut self.tasks[ti].spec;
                let base = t.text.split('（').take(2).collect::<Vec<_>>().join("（");
                t.text = format!("{base}（第{n}次修订）");
                (EditKind::TaskText, format!("task {} text edited", t.id))
            }
        }
    }

    /// Every content file's text, by path relative to the site folder. An empty progress file
    /// is left out (deleted).
    pub fn files(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        out.insert(
            "content/site.yaml".to_string(),
            format!(
                "format_version: 1\ntitle: 万测市政务公开工作要点落实情况（生成）\nbase_url: https://www.example.gov.cn/zwgk/gongkai/\nas_of: {AS_OF}\ntheme: default\nstale_after_days: 60\nportal:\n  site_name: 万测市人民政府网站（示例）\n  domain: www.example.gov.cn（示例）\n  site_id_code: 示例标识码0000000000\n  sponsor: 万测市人民政府办公室（示例）\n  icp: 示例：蜀ICP备00000000号\n  police_record: 示例：川公网安备00000000000000号\n  contact: 示例：万测市人民政府办公室政务公开科\n"
            ),
        );
        let mut units = String::from("format_version: 1\nunits:\n");
        for p in self.parties.iter().filter(|p| p.kind.is_some()) {
            let _ = write!(
                units,
                "  - id: {}\n    name: \"{}\"\n    kind: {}\n    aliases: [\"{}\"]\n",
                p.id,
                p.name,
                p.kind.unwrap(),
                p.alias
            );
        }
        units.push_str("groups:\n");
        for p in self.parties.iter().filter(|p| p.kind.is_none()) {
            let _ = write!(
                units,
                "  - id: {}\n    name: \"{}\"\n    aliases: [\"{}\"]\n",
                p.id, p.name, p.alias
            );
            if !p.members.is_empty() {
                let _ = writeln!(units, "    members: [{}]", p.members.join(", "));
            }
            if !p.member_kinds.is_empty() {
                let _ = writeln!(units, "    member_kinds: [{}]", p.member_kinds.join(", "));
            }
        }
        out.insert("content/units.yaml".to_string(), units);
        out.insert(
            format!("content/plans/{YEAR}/plan.yaml"),
            format!(
                "format_version: 1\ntitle: {YEAR}年万测市政务公开工作要点分工表（生成）\nyear: {YEAR}\nissuer: 万测市人民政府办公室\nissue_date: {YEAR}-02-01\ndisclosure: 主动公开\ncc: [市委办, 市人大办]\n"
            ),
        );
        out.insert(
            format!("content/plans/{YEAR}/pilots.yaml"),
            "format_version: 1\nbatches:\n  - id: batch-1\n    name: 第一批先行单位\n    source: 生成的先行单位名单\n    townships: [zhen-a, zhen-d]\n    departments: [bu-c]\n    tasks: [1-1-1, 2-3-50]\n".to_string(),
        );
        for cat in 1..=CATEGORIES {
            let subs: Vec<(String, Vec<TaskSpec>)> = (0..SUBCATEGORIES)
                .map(|sub| {
                    (
                        format!("第{cat}类第{}组重点工作", sub + 1),
                        self.tasks
                            .iter()
                            .filter(|t| t.category == cat && t.sub == sub)
                            .map(|t| t.spec.clone())
                            .collect(),
                    )
                })
                .collect();
            out.insert(
                format!("content/plans/{YEAR}/tasks/{cat}.yaml"),
                tasks_yaml(cat, &format!("生成的工作任务大类{cat}"), &subs),
            );
        }
        for (f, rs) in &self.progress {
            if !rs.is_empty() {
                out.insert(
                    format!("content/plans/{YEAR}/progress/{f}"),
                    if self.publishing {
                        signed_progress_yaml(rs, &self.unsigned)
                    } else {
                        progress_yaml(rs)
                    },
                );
            }
        }
        if self.publishing {
            out.insert(
                "content/reviewers.yaml".to_string(),
                super::signing::reviewers_yaml(),
            );
        }
        out
    }

    /// Write the content files whose text changed since the last `write` (all of them the
    /// first time) and delete the ones that are gone.
    pub fn write(&mut self, root: &Path) {
        let files = self.files();
        for (rel, text) in &files {
            if self.written.get(rel) != Some(text) {
                let path = root.join(rel);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, text).unwrap();
            }
        }
        for rel in self.written.keys() {
            if !files.contains_key(rel) {
                std::fs::remove_file(root.join(rel)).unwrap();
            }
        }
        self.written = files;
    }

    /// How many tasks each unit's or group's ledger lists (its own tasks, and for a unit also
    /// those of its groups).
    pub fn ledger_sizes(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for p in &self.parties {
            let groups: Vec<&str> = self
                .parties
                .iter()
                .filter(|g| g.kind.is_none() && self.members(&g.id).contains(&p.id.as_str()))
                .map(|g| g.id.as_str())
                .collect();
            let n = self
                .tasks
                .iter()
                .filter(|t| {
                    t.spec
                        .responsible
                        .iter()
                        .any(|r| *r == p.id || groups.contains(&r.as_str()))
                })
                .count();
            out.insert(p.id.clone(), n);
        }
        out
    }

    /// How many tasks have each deadline.
    pub fn deadline_counts(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for t in &self.tasks {
            *out.entry(t.spec.deadline.clone()).or_default() += 1;
        }
        out
    }
}

/// What kind of edit [`GenSite::random_edit`] made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditKind {
    /// A progress-record edit.
    Progress,
    /// A unit's or group's display name changed.
    Rename,
    /// A task's text changed.
    TaskText,
}
