//! Splitting 责任单位 cells into units and groups: known names (and aliases) matched longest
//! first, exactly as `gongkai check` matches them; leftover names proposed as new units. The
//! word lists (filler, "and others" endings, group words) are those of [`crate::vocab`].

use crate::model::{UnitKind, UnitsFile};
use crate::vocab::{self, guess_kind};

/// The default content's directory, used as the dictionary of known names when the target
/// site has no `units.yaml` of its own.
pub const BUILTIN: &str = include_str!("../../content/units.yaml");

/// A unit of the dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitDef {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: UnitKind,
    /// Other spellings.
    pub aliases: Vec<String>,
    /// Proposed by this import.
    pub new: bool,
    /// Named by some cell of the table.
    pub used: bool,
}

/// A group of the dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupDef {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Other spellings.
    pub aliases: Vec<String>,
    /// Explicit member ids.
    pub members: Vec<String>,
    /// Member kinds.
    pub member_kinds: Vec<UnitKind>,
    /// Note.
    pub note: Option<String>,
    /// Proposed by this import.
    pub new: bool,
    /// Named by some cell of the table.
    pub used: bool,
}

/// Known units and groups.
#[derive(Debug, Clone, Default)]
pub struct Dictionary {
    /// Units in file order, new ones last.
    pub units: Vec<UnitDef>,
    /// Groups in file order, new ones last.
    pub groups: Vec<GroupDef>,
    /// Names this dictionary lacks are looked up here before being proposed as new (the
    /// built-in dictionary, when the target site has a `units.yaml` of its own).
    pub fallback: Option<Box<Dictionary>>,
}

/// How one cell splits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    /// Ids in text order, without repeats.
    pub ids: Vec<String>,
    /// The cell says 等部门 / 等相关部门 / 等单位: more units than those named.
    pub and_others: bool,
    /// Names that were not known and were added to the dictionary: (name, id, is group).
    pub added: Vec<(String, String, bool)>,
}

impl Dictionary {
    /// Parse a `units.yaml` text.
    pub fn from_yaml(text: &str) -> Result<Self, String> {
        let f: UnitsFile = crate::load::parse_yaml(text).map_err(|e| e.to_string())?;
        Ok(Dictionary {
            units: f
                .units
                .into_iter()
                .map(|u| UnitDef {
                    id: u.id.value,
                    name: u.name.value,
                    kind: u.kind,
                    aliases: u.aliases.into_iter().map(|a| a.value).collect(),
                    new: false,
                    used: false,
                })
                .collect(),
            groups: f
                .groups
                .into_iter()
                .map(|g| GroupDef {
                    id: g.id.value,
                    name: g.name.value,
                    aliases: g.aliases.into_iter().map(|a| a.value).collect(),
                    members: g.members.into_iter().map(|a| a.value).collect(),
                    member_kinds: g.member_kinds,
                    note: g.note.map(String::from),
                    new: false,
                    used: false,
                })
                .collect(),
            fallback: None,
        })
    }

    /// The built-in dictionary.
    pub fn builtin() -> Self {
        Self::from_yaml(BUILTIN).unwrap_or_default()
    }

    /// Every name and alias with its id; the first owner of a name wins, units before groups
    /// (as in `site::Directory`).
    fn names(&self) -> Vec<(&str, &str)> {
        let mut map: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
        for u in &self.units {
            for n in std::iter::once(&u.name).chain(&u.aliases) {
                map.entry(n).or_insert(&u.id);
            }
        }
        for g in &self.groups {
            for n in std::iter::once(&g.name).chain(&g.aliases) {
                map.entry(n).or_insert(&g.id);
            }
        }
        let mut names: Vec<(&str, &str)> = map.into_iter().collect();
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(b.0)));
        names
    }

    /// Known names in `text`, longest first, without overlaps: (byte start, byte end, id), in
    /// text order. The same algorithm as `site::Directory::find_names`.
    pub fn find(&self, text: &str) -> Vec<(usize, usize, String)> {
        let mut taken: Vec<(usize, usize, String)> = Vec::new();
        for (name, id) in self.names() {
            if name.is_empty() {
                continue;
            }
            let mut from = 0;
            while let Some(pos) = text[from..].find(name) {
                let start = from + pos;
                let end = start + name.len();
                if !taken.iter().any(|(s, e, _)| start < *e && *s < end) {
                    taken.push((start, end, id.to_string()));
                }
                from = end;
            }
        }
        taken.sort();
        taken
    }

    fn id_taken(&self, id: &str) -> bool {
        self.units.iter().any(|u| u.id == id) || self.groups.iter().any(|g| g.id == id)
    }

    fn fresh_id(&self, prefix: &str) -> String {
        (1..)
            .map(|n| format!("{prefix}-{n}"))
            .find(|id| !self.id_taken(id))
            .unwrap_or_default()
    }

    fn mark_used(&mut self, id: &str) {
        if let Some(u) = self.units.iter_mut().find(|u| u.id == id) {
            u.used = true;
        }
        let members: Vec<String> = match self.groups.iter_mut().find(|g| g.id == id) {
            Some(g) => {
                g.used = true;
                g.members.clone()
            }
            None => Vec::new(),
        };
        for m in members {
            if let Some(u) = self.units.iter_mut().find(|u| u.id == m) {
                u.used = true;
            }
        }
    }

    /// Copy the entries of the fallback dictionary that name parts of `cell` this dictionary
    /// does not know (an id already taken gets a suffix).
    fn adopt_from_fallback(&mut self, cell: &str, out: &mut Split) {
        let Some(fb) = self.fallback.take() else {
            return;
        };
        let mut rest = cell.to_string();
        for (start, end, _) in self.find(cell).iter().rev() {
            rest.replace_range(*start..*end, "、");
        }
        for (start, end, fid) in fb.find(&rest) {
            let name = rest[start..end].to_string();
            let id = if self.id_taken(&fid) {
                self.fresh_id(&fid)
            } else {
                fid.clone()
            };
            if let Some(u) = fb.units.iter().find(|u| u.id == fid) {
                self.units.push(UnitDef {
                    id: id.clone(),
                    new: true,
                    used: false,
                    ..u.clone()
                });
                out.added.push((name, id, false));
            } else if let Some(g) = fb.groups.iter().find(|g| g.id == fid) {
                self.groups.push(GroupDef {
                    id: id.clone(),
                    new: true,
                    used: false,
                    members: Vec::new(),
                    ..g.clone()
                });
                out.added.push((name, id, true));
            }
        }
        self.fallback = Some(fb);
    }

    /// Split a cell into ids; names not in the dictionary are added to it as new units or
    /// groups (reported in [`Split::added`]).
    pub fn split(&mut self, cell: &str) -> Split {
        let mut out = Split {
            and_others: vocab::says_and_others(cell),
            ..Split::default()
        };
        self.adopt_from_fallback(cell, &mut out);
        for piece in leftovers(cell, &self.find(cell)) {
            if self
                .find(&piece)
                .iter()
                .any(|(s, e, _)| *s == 0 && *e == piece.len())
            {
                continue; // added by an earlier piece of the same cell
            }
            let (is_group, kind) = guess_kind(&piece);
            if is_group {
                let id = self.fresh_id("zu");
                self.groups.push(GroupDef {
                    id: id.clone(),
                    name: piece.clone(),
                    aliases: Vec::new(),
                    members: Vec::new(),
                    member_kinds: Vec::new(),
                    note: Some("由 gongkai import 新增，请核对名称、编号和成员".to_string()),
                    new: true,
                    used: false,
                });
                out.added.push((piece, id, true));
            } else {
                let id = self.fresh_id("danwei");
                self.units.push(UnitDef {
                    id: id.clone(),
                    name: piece.clone(),
                    kind,
                    aliases: Vec::new(),
                    new: true,
                    used: false,
                });
                out.added.push((piece, id, false));
            }
        }
        for (_, _, id) in self.find(cell) {
            if !out.ids.contains(&id) {
                out.ids.push(id);
            }
        }
        for id in out.ids.clone() {
            self.mark_used(&id);
        }
        out
    }
}

/// The pieces of a cell that name no known unit ([`vocab::unnamed_pieces`], as `check` reads
/// the cell).
pub fn leftovers(cell: &str, found: &[(usize, usize, String)]) -> Vec<String> {
    let ranges: Vec<(usize, usize)> = found.iter().map(|(s, e, _)| (*s, *e)).collect();
    vocab::unnamed_pieces(cell, &ranges)
        .into_iter()
        .map(|(_, p)| p.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(d: &Dictionary, s: &Split) -> Vec<String> {
        s.ids
            .iter()
            .map(|id| {
                d.units
                    .iter()
                    .find(|u| u.id == *id)
                    .map(|u| u.name.clone())
                    .or_else(|| {
                        d.groups
                            .iter()
                            .find(|g| g.id == *id)
                            .map(|g| g.name.clone())
                    })
                    .unwrap()
            })
            .collect()
    }

    #[test]
    fn longest_known_name_first() {
        let mut d = Dictionary::builtin();
        let s = d.split("市级各部门（单位），各乡、镇人民政府，街道办事处。");
        assert_eq!(s.ids, vec!["shiji-gebumen", "xiangzhen", "jiedao"]);
        assert!(!s.and_others && s.added.is_empty());
        let s =
            d.split("市发改局、市经信局、市自然资源局等部门（单位），各乡镇人民政府、街道办事处。");
        assert_eq!(
            s.ids,
            vec!["fagai", "jingxin", "ziranziyuan", "xiangzhen", "jiedao"]
        );
        assert!(s.and_others);
        // Aliases count as the unit.
        let s = d.split("市生态环境局、市市场监管局、市应急局、市卫健局等相关部门，各乡、镇人民政府，各街道办事处。");
        assert_eq!(
            s.ids,
            vec![
                "shengtai",
                "shichang",
                "yingji",
                "weijian",
                "xiangzhen",
                "jiedao"
            ]
        );
        assert!(d.units.iter().find(|u| u.id == "weijian").unwrap().used);
    }

    #[test]
    fn unknown_names_become_new_units_and_groups() {
        let mut d = Dictionary::builtin();
        let s = d.split("县财政局牵头，县审计局、各村（社区）配合；市发改局");
        assert_eq!(
            names(&d, &s),
            vec!["县财政局", "县审计局", "各村（社区）", "市发改局"]
        );
        assert_eq!(
            s.added,
            vec![
                ("县财政局".to_string(), "danwei-1".to_string(), false),
                ("县审计局".to_string(), "danwei-2".to_string(), false),
                ("各村（社区）".to_string(), "zu-1".to_string(), true),
            ]
        );
        // Known from now on.
        let s = d.split("县财政局");
        assert_eq!(s.ids, vec!["danwei-1"]);
        assert!(s.added.is_empty());
    }
}
