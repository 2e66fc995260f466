//! The loaded site: every file of `content/` parsed, merged and indexed, ready to validate,
//! compute status on and render. Plain data: no IO, no templates.

use crate::deadline::DeadlineKind;
use crate::model::{
    Group, PageFrontMatter, PilotBatch, PlanFile, ProgressEntry, SiteFile, TaskEntry, Unit,
    UnitKind,
};
use std::collections::{BTreeMap, BTreeSet};

/// Everything under `content/`.
#[derive(Debug, Clone)]
pub struct Site {
    /// `content/site.yaml`.
    pub config: SiteFile,
    /// Units from `content/units.yaml`, in file order.
    pub units: Vec<Unit>,
    /// Unit groups from `content/units.yaml`, in file order.
    pub groups: Vec<Group>,
    /// Plans, newest year first.
    pub plans: Vec<Plan>,
    /// Markdown pages, by `order` then slug.
    pub pages: Vec<Page>,
    /// Allow-listed phrases for the privacy check (`content/allowlist.yaml`).
    pub allow: Vec<crate::privacy::AllowEntry>,
    /// Reviewers and their public keys (`content/reviewers.yaml`), in file order.
    pub reviewers: Vec<crate::model::Reviewer>,
}

/// One work plan (工作要点分工表) and its progress records.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Folder name under `content/plans/`; part of URLs.
    pub id: String,
    /// Relative path of `plan.yaml`.
    pub path: String,
    /// The plan document.
    pub meta: PlanFile,
    /// Categories in number order, repeated categories merged.
    pub categories: Vec<Category>,
    /// Pilot batches.
    pub pilots: Vec<PilotBatch>,
    /// Relative path of `pilots.yaml`, if present.
    pub pilots_path: Option<String>,
    /// Progress records, in file then entry order.
    pub records: Vec<Record>,
}

/// A numbered category (工作任务).
#[derive(Debug, Clone)]
pub struct Category {
    /// 序号.
    pub number: u32,
    /// 工作任务.
    pub title: crate::loc::Located<String>,
    /// The tasks file where the title was first written (site-relative).
    pub path: String,
    /// 重点工作任务, in order.
    pub subcategories: Vec<Subcategory>,
}

/// A sub-category (重点工作任务).
#[derive(Debug, Clone)]
pub struct Subcategory {
    /// 1-based position within the category.
    pub number: u32,
    /// Title; none for the tasks a table lists directly under the category (no 重点工作任务
    /// level), which are shown without a heading.
    pub title: Option<crate::loc::Located<String>>,
    /// The tasks file it is written in (site-relative).
    pub path: String,
    /// Tasks in order.
    pub tasks: Vec<Task>,
}

/// A task with its interpreted deadline.
#[derive(Debug, Clone)]
pub struct Task {
    /// As written.
    pub entry: TaskEntry,
    /// Relative path of the file it is in.
    pub path: String,
    /// Category number.
    pub category: u32,
    /// Sub-category number.
    pub subcategory: u32,
    /// Interpreted deadline.
    pub deadline: DeadlineKind,
}

impl Task {
    /// The task id.
    pub fn id(&self) -> &str {
        &self.entry.id.value
    }

    /// Every assignee id (responsible, lead, cooperating), deduplicated, in order.
    pub fn assignees(&self) -> Vec<&str> {
        let mut seen = BTreeSet::new();
        self.entry
            .lead
            .iter()
            .chain(&self.entry.responsible)
            .chain(&self.entry.cooperating)
            .map(|l| l.value.as_str())
            .filter(|id| seen.insert(*id))
            .collect()
    }

    /// Whether `id` is a cooperating (not lead or responsible) assignee.
    pub fn is_cooperating(&self, id: &str) -> bool {
        self.entry.cooperating.iter().any(|c| c.value == id)
            && !self
                .entry
                .lead
                .iter()
                .chain(&self.entry.responsible)
                .any(|c| c.value == id)
    }
}

/// A progress record.
#[derive(Debug, Clone)]
pub struct Record {
    /// As written.
    pub entry: ProgressEntry,
    /// Relative path of the file it is in.
    pub path: String,
}

/// A Markdown page.
#[derive(Debug, Clone)]
pub struct Page {
    /// File stem; part of the URL.
    pub slug: String,
    /// Relative path.
    pub path: String,
    /// Front matter.
    pub front: PageFrontMatter,
    /// Markdown body.
    pub body: String,
    /// Line of the body's first line in the file (for located messages).
    pub body_line: u32,
}

impl Site {
    /// Whether this build offers search: the search page, the header box and the index
    /// (`search` in site.yaml, default on; never without the cargo feature `search`).
    pub fn search(&self) -> bool {
        self.config.search && cfg!(feature = "search")
    }
}

impl Plan {
    /// Every task in order.
    pub fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.categories
            .iter()
            .flat_map(|c| c.subcategories.iter())
            .flat_map(|s| s.tasks.iter())
    }
}

/// What an id names: a unit or a group.
#[derive(Debug, Clone, Copy)]
pub enum Party<'a> {
    /// A unit.
    Unit(&'a Unit),
    /// A group.
    Group(&'a Group),
}

impl<'a> Party<'a> {
    /// Display name.
    pub fn name(&self) -> &'a str {
        match self {
            Party::Unit(u) => &u.name.value,
            Party::Group(g) => &g.name.value,
        }
    }
    /// Id.
    pub fn id(&self) -> &'a str {
        match self {
            Party::Unit(u) => &u.id.value,
            Party::Group(g) => &g.id.value,
        }
    }
}

/// Lookups over units and groups, built once.
#[derive(Debug, Clone, Default)]
pub struct Directory<'a> {
    /// Id to unit or group.
    pub by_id: BTreeMap<&'a str, Party<'a>>,
    /// Every name and alias to its id.
    pub by_name: BTreeMap<&'a str, &'a str>,
    /// Group id to its known members (explicit and by kind), in units.yaml order.
    pub members: BTreeMap<&'a str, Vec<&'a str>>,
    /// Unit id to the groups it belongs to.
    pub groups_of: BTreeMap<&'a str, Vec<&'a str>>,
    /// Every name, longest first (then by name), with a searcher built once, and its id.
    finders: Vec<(memchr::memmem::Finder<'a>, &'a str)>,
}

impl<'a> Directory<'a> {
    /// Build the index. Duplicate ids keep the first; validation reports them.
    pub fn new(units: &'a [Unit], groups: &'a [Group]) -> Self {
        let mut dir = Directory::default();
        for u in units {
            dir.by_id.entry(&u.id.value).or_insert(Party::Unit(u));
            for n in std::iter::once(&u.name).chain(&u.aliases) {
                dir.by_name.entry(&n.value).or_insert(&u.id.value);
            }
        }
        for g in groups {
            dir.by_id.entry(&g.id.value).or_insert(Party::Group(g));
            for n in std::iter::once(&g.name).chain(&g.aliases) {
                dir.by_name.entry(&n.value).or_insert(&g.id.value);
            }
            let mut members: Vec<&str> = Vec::new();
            let mut seen = BTreeSet::new();
            for u in units {
                let explicit = g.members.iter().any(|m| m.value == u.id.value);
                if (explicit || g.member_kinds.contains(&u.kind))
                    && seen.insert(u.id.value.as_str())
                {
                    members.push(&u.id.value);
                }
            }
            for m in &members {
                dir.groups_of.entry(m).or_default().push(&g.id.value);
            }
            dir.members.insert(&g.id.value, members);
        }
        let mut names: Vec<(&'a str, &'a str)> = dir
            .by_name
            .iter()
            .filter(|(n, _)| !n.is_empty())
            .map(|(n, i)| (*n, *i))
            .collect();
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(b.0)));
        dir.finders = names
            .into_iter()
            .map(|(n, id)| (memchr::memmem::Finder::new(n), id))
            .collect();
        dir
    }

    /// The unit with this id, if it is a unit.
    pub fn unit(&self, id: &str) -> Option<&'a Unit> {
        match self.by_id.get(id) {
            Some(Party::Unit(u)) => Some(u),
            _ => None,
        }
    }

    /// Whether `id` names a group.
    pub fn is_group(&self, id: &str) -> bool {
        matches!(self.by_id.get(id), Some(Party::Group(_)))
    }

    /// Display name for an id (the id itself when unknown).
    pub fn name<'s>(&'s self, id: &'s str) -> &'s str {
        self.by_id.get(id).map_or(id, Party::name)
    }

    /// Kind of a unit id.
    pub fn kind(&self, id: &str) -> Option<UnitKind> {
        self.unit(id).map(|u| u.kind)
    }

    /// Find every known unit or group name in `text`, longest name first, without overlaps.
    /// Returns (byte start, byte end, id) in text order.
    pub fn find_names(&self, text: &str) -> Vec<(usize, usize, &'a str)> {
        let mut taken: Vec<(usize, usize, &'a str)> = Vec::new();
        for (finder, id) in &self.finders {
            let len = finder.needle().len();
            for start in finder.find_iter(text.as_bytes()) {
                let end = start + len;
                if !taken.iter().any(|(s, e, _)| start < *e && *s < end) {
                    taken.push((start, end, id));
                }
            }
        }
        taken.sort();
        taken
    }
}
