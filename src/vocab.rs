//! Every fixed word list gongkai matches, in one place: the words of a 责任单位 cell that name
//! no unit (filler, "and others" endings), the words that make a name a group of units, the
//! endings that tell a unit's kind, and the disclosure attribute (公开属性).
//!
//! `gongkai check` (`validate`) and `gongkai import` both read cells through
//! [`unnamed_pieces`] and [`says_and_others`], so a cell that import takes without a note
//! cannot draw a warning from check on the imported site, and the other way round.

use crate::model::UnitKind;
use serde::{Deserialize, Serialize};

/// Endings that say "and other units" besides those named (等有关部门 …), longest first so that
/// 等部门（单位） is matched whole before 等部门.
pub const AND_OTHERS: &[&str] = &[
    "等有关部门（单位）",
    "等相关部门（单位）",
    "等部门（单位）",
    "等有关部门",
    "等相关部门",
    "等有关单位",
    "等相关单位",
    "等部门",
    "等单位",
];

/// Words in a cell that name no unit and are not a typo: role words and conjunctions (matched
/// after [`AND_OTHERS`], longest first).
pub const FILLER: &[&str] = &[
    "按职责分工",
    "相关部门",
    "相关单位",
    "牵头",
    "配合",
    "负责",
    "分别",
    "和",
    "及",
    "与",
];

/// Characters that separate names in a cell.
pub const SEPARATORS: &[char] = &['、', '，', ',', '；', ';', '。', '\n', ' ', '　', '\t'];

/// A name containing one of these is a group of units rather than one unit (各乡镇人民政府,
/// 区直各有关单位, 市级有关部门（单位）, 其他部门).
pub const GROUP_WORDS: &[&str] = &["各", "有关", "相关", "其他", "其余"];

/// A name starting with one of these is a group (全市各级行政机关).
pub const GROUP_PREFIXES: &[&str] = &["全市", "全县", "全区"];

/// A name ending with one of these names a kind of body, not one body (政府信息公开工作部门).
pub const GROUP_ENDINGS: &[&str] = &["工作部门"];

/// Name endings of a 街道.
const SUBDISTRICT_ENDINGS: &[&str] = &["街道", "街道办事处", "街道办"];
/// Name endings of a 乡镇.
const TOWNSHIP_ENDINGS: &[&str] = &["镇", "乡"];
/// Words of a party body's name.
const PARTY_WORDS: &[&str] = &["市委", "县委", "区委", "州委", "党委", "党组"];
/// Name endings of other bodies (事业单位, 中心 …).
const OTHER_ORGAN_ENDINGS: &[&str] = &["中心", "馆", "站", "所", "院", "队", "台"];
/// Name endings of a 科室.
const SECTION_ENDINGS: &[&str] = &["科", "股"];

/// Whether the cell says there are more units than those named ([`AND_OTHERS`]).
pub fn says_and_others(cell: &str) -> bool {
    AND_OTHERS.iter().any(|p| cell.contains(p))
}

/// The pieces of a 责任单位 cell that name no known unit: what is left once the known names
/// (`found`, byte ranges), the [`AND_OTHERS`] endings and the [`FILLER`] words are taken out,
/// split at [`SEPARATORS`], trimmed of a leading 等, quotes, colons and unbalanced brackets,
/// and kept when at least two letters or digits long. Returns (byte offset in `cell`, piece) in
/// text order, each piece once.
pub fn unnamed_pieces<'c>(cell: &'c str, found: &[(usize, usize)]) -> Vec<(usize, &'c str)> {
    let mut free = vec![true; cell.len()];
    for &(start, end) in found {
        if let Some(f) = free.get_mut(start..end) {
            f.fill(false);
        }
    }
    for phrase in AND_OTHERS.iter().chain(FILLER) {
        for (start, _) in cell.match_indices(phrase) {
            let range = start..start + phrase.len();
            if free[range.clone()].iter().all(|f| *f) {
                free[range].fill(false);
            }
        }
    }
    let mut out: Vec<(usize, &str)> = Vec::new();
    let mut start = None;
    for (i, c) in cell
        .char_indices()
        .chain(std::iter::once((cell.len(), '、')))
    {
        let inside = i < cell.len() && free[i] && !SEPARATORS.contains(&c);
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                start = None;
                let piece = trim_piece(&cell[s..i]);
                let meaningful = piece.chars().filter(|c| c.is_alphanumeric()).count() >= 2;
                if meaningful && !out.iter().any(|(_, p)| *p == piece) {
                    let offset = s + cell[s..i].find(piece).unwrap_or(0);
                    out.push((offset, piece));
                }
            }
            _ => {}
        }
    }
    out
}

fn trim_piece(piece: &str) -> &str {
    let mut piece = piece
        .trim_start_matches('等')
        .trim_matches(|c: char| c.is_whitespace() || "：:“”\"".contains(c));
    // Brackets only when unbalanced: 各村（社区） keeps its own.
    if !piece.contains(['（', '(']) {
        piece = piece.trim_end_matches(['）', ')']);
    }
    if !piece.contains(['）', ')']) {
        piece = piece.trim_start_matches(['（', '(']);
    }
    piece
}

/// Whether a name is a catch-all for several units (区直各有关单位, 政府信息公开工作部门,
/// 各乡镇（街道）, 市直各部门, 全市各级行政机关): [`GROUP_WORDS`], [`GROUP_PREFIXES`],
/// [`GROUP_ENDINGS`]. `gongkai import` makes such a name a group, and `gongkai check` warns
/// about a unit so named.
pub fn is_group_name(name: &str) -> bool {
    GROUP_WORDS.iter().any(|w| name.contains(w))
        || GROUP_PREFIXES.iter().any(|p| name.starts_with(p))
        || GROUP_ENDINGS.iter().any(|e| name.ends_with(e))
}

/// Guess whether a name is a group ([`is_group_name`]) and, for a unit, its kind.
pub fn guess_kind(name: &str) -> (bool, UnitKind) {
    let group = is_group_name(name);
    let ends = |list: &[&str]| list.iter().any(|e| name.ends_with(e));
    let kind = if ends(SUBDISTRICT_ENDINGS) {
        UnitKind::Subdistrict
    } else if ends(TOWNSHIP_ENDINGS)
        || name.ends_with("人民政府") && TOWNSHIP_ENDINGS.iter().any(|t| name.contains(t))
    {
        UnitKind::Township
    } else if PARTY_WORDS.iter().any(|w| name.contains(w)) {
        UnitKind::PartyOrgan
    } else if ends(OTHER_ORGAN_ENDINGS) {
        UnitKind::OtherOrgan
    } else if ends(SECTION_ENDINGS) {
        UnitKind::Section
    } else {
        UnitKind::Department
    };
    (group, kind)
}

/// 公开属性: whether a progress record or page may be published. The serde names are the
/// spellings written in YAML and given to `gongkai sign --disclosure`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Disclosure {
    /// 主动公开: published once 终审 matches.
    #[serde(rename = "主动公开")]
    Proactive,
    /// 依申请公开: given on request only, never published.
    #[serde(rename = "依申请公开")]
    OnRequest,
    /// 不予公开: never published; needs a reason.
    #[serde(rename = "不予公开")]
    Withheld,
}

impl Disclosure {
    /// All attributes, in the order they are listed to users.
    pub const ALL: [Disclosure; 3] = [
        Disclosure::Proactive,
        Disclosure::OnRequest,
        Disclosure::Withheld,
    ];

    /// The spelling (its serde name).
    pub fn label(self) -> &'static str {
        match self {
            Disclosure::Proactive => "主动公开",
            Disclosure::OnRequest => "依申请公开",
            Disclosure::Withheld => "不予公开",
        }
    }

    /// The attribute spelled `s` exactly (its serde name), if any.
    pub fn parse(s: &str) -> Option<Disclosure> {
        use serde::de::IntoDeserializer;
        let d: serde::de::value::StrDeserializer<'_, serde::de::value::Error> =
            s.into_deserializer();
        Disclosure::deserialize(d).ok()
    }

    /// The spellings joined with 、 (for messages).
    pub fn choices() -> String {
        Disclosure::ALL.map(Disclosure::label).join("、")
    }
}

impl std::fmt::Display for Disclosure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Chinese words accepted for the enumerated values written in English (the first word is the
/// label shown in hints). The enums take them as serde aliases; a test keeps the two in step,
/// and `gongkai schema` lists both spellings.
pub const VALUE_WORDS: &[(&str, &[&str])] = &[
    ("not_started", &["未开始"]),
    ("in_progress", &["推进中", "进行中"]),
    ("done", &["已完成", "完成"]),
    ("department", &["政府工作部门", "部门"]),
    ("township", &["乡镇"]),
    ("subdistrict", &["街道"]),
    ("party_organ", &["党委机构"]),
    ("other_organ", &["其他机构"]),
    ("section", &["科室"]),
];

/// The Chinese label of an enumerated value written in English, if it has one.
pub fn value_label(value: &str) -> Option<&'static str> {
    VALUE_WORDS
        .iter()
        .find(|(v, _)| *v == value)
        .map(|(_, w)| w[0])
}

/// Whether `word` is one of the Chinese spellings in [`VALUE_WORDS`].
pub fn is_value_word(word: &str) -> bool {
    VALUE_WORDS.iter().any(|(_, w)| w.contains(&word))
}

/// Chinese words a clerk may write as a key, with the English keys they may mean (the first
/// one that is allowed where the word was written is suggested).
pub const KEY_WORDS: &[(&str, &[&str])] = &[
    ("编号", &["id", "number"]),
    ("序号", &["number", "id"]),
    ("记录编号", &["id"]),
    ("任务", &["task", "tasks"]),
    ("任务编号", &["task"]),
    ("任务内容", &["text"]),
    ("单位", &["unit", "units"]),
    ("责任单位", &["unit", "responsible"]),
    ("报送单位", &["unit"]),
    ("牵头单位", &["lead"]),
    ("配合单位", &["cooperating"]),
    ("日期", &["date", "issue_date"]),
    ("时间", &["date"]),
    ("报送日期", &["date"]),
    ("状态", &["status"]),
    ("进展状态", &["status"]),
    ("完成状态", &["status"]),
    ("进展", &["summary"]),
    ("进展情况", &["summary"]),
    ("情况", &["summary"]),
    ("摘要", &["summary", "description"]),
    ("内容", &["summary", "text"]),
    ("佐证", &["evidence"]),
    ("佐证材料", &["evidence"]),
    ("附件", &["evidence", "annexes"]),
    ("审核", &["review"]),
    ("三审", &["review"]),
    ("标题", &["title"]),
    ("名称", &["name", "title"]),
    ("单位名称", &["name"]),
    ("姓名", &["name"]),
    ("类别", &["kind"]),
    ("类型", &["kind"]),
    ("别名", &["aliases"]),
    ("简称", &["aliases"]),
    ("成员", &["members"]),
    ("完成时限", &["deadline"]),
    ("时限", &["deadline"]),
    ("年度", &["year"]),
    ("发文单位", &["issuer"]),
    ("印发日期", &["issue_date"]),
    ("文号", &["doc_number"]),
    ("公开属性", &["disclosure"]),
    ("截至日期", &["as_of"]),
    ("数据截至", &["as_of"]),
];

/// The English key meant by the Chinese key `word`, among the keys `allowed` where it was written.
pub fn key_for<'a>(word: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let word = word.trim();
    KEY_WORDS
        .iter()
        .filter(|(w, _)| *w == word)
        .flat_map(|(_, keys)| keys.iter())
        .find_map(|k| allowed.iter().find(|a| *a == k).copied())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_chinese_value_word_reads_as_its_english_value() {
        use crate::model::{ProgressStatus, UnitKind};
        fn read<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
            crate::load::parse_yaml::<T>(s).ok()
        }
        for (english, words) in super::VALUE_WORDS {
            for w in *words {
                let same = match (read::<ProgressStatus>(english), read::<UnitKind>(english)) {
                    (Some(a), _) => read::<ProgressStatus>(w) == Some(a),
                    (_, Some(a)) => read::<UnitKind>(w) == Some(a),
                    _ => panic!("{english} is no value"),
                };
                assert!(same, "{w} does not read as {english}");
            }
        }
        // And every English value has its words listed.
        for s in [
            "not_started",
            "in_progress",
            "done",
            "department",
            "section",
        ] {
            assert!(super::value_label(s).is_some(), "{s}");
        }
    }

    use super::*;

    fn pieces(cell: &str, found: &[(usize, usize)]) -> Vec<String> {
        unnamed_pieces(cell, found)
            .into_iter()
            .map(|(off, p)| {
                assert_eq!(&cell[off..off + p.len()], p, "{cell}");
                p.to_string()
            })
            .collect()
    }

    #[test]
    fn cells_lose_known_names_filler_and_and_others_endings() {
        let fagai = "市发改局".len();
        // (cell, byte ranges of the known names in it, pieces left)
        type Case<'a> = (&'a str, &'a [(usize, usize)], &'a [&'a str]);
        let cases: &[Case<'_>] = &[
            ("市发改局等有关部门", &[(0, fagai)], &[]),
            ("市发改局等有关部门（单位）", &[(0, fagai)], &[]),
            ("市发改局等有关单位", &[(0, fagai)], &[]),
            ("市发改局等部门（单位）", &[(0, fagai)], &[]),
            ("市发改局牵头，相关部门配合", &[(0, fagai)], &[]),
            ("市发改局和县林业局", &[(0, fagai)], &["县林业局"]),
            ("市发改局、有关部门", &[(0, fagai)], &["有关部门"]),
            ("县林业局、“县水利局”：", &[], &["县林业局", "县水利局"]),
            ("各村（社区）", &[], &["各村（社区）"]),
            ("县林业局）、（县水利局", &[], &["县林业局", "县水利局"]),
            ("县林业局、县林业局", &[], &["县林业局"]),
            ("甲、乙、等", &[], &[]),
            ("", &[], &[]),
        ];
        for (cell, found, want) in cases {
            assert_eq!(pieces(cell, found), want.to_vec(), "{cell}");
        }
        // The offset is that of the trimmed piece.
        assert_eq!(
            unnamed_pieces("等县林业局", &[]),
            vec![("等".len(), "县林业局")]
        );
    }

    #[test]
    fn and_others() {
        for yes in ["市发改局等有关部门", "甲等部门（单位）", "甲等相关单位"]
        {
            assert!(says_and_others(yes), "{yes}");
        }
        for no in ["市发改局、有关部门", "甲牵头"] {
            assert!(!says_and_others(no), "{no}");
        }
    }

    #[test]
    fn kinds() {
        let cases = [
            ("县财政局", (false, UnitKind::Department)),
            ("城关镇", (false, UnitKind::Township)),
            ("城关镇人民政府", (false, UnitKind::Township)),
            ("东城街道", (false, UnitKind::Subdistrict)),
            ("县委宣传部", (false, UnitKind::PartyOrgan)),
            ("县政务服务中心", (false, UnitKind::OtherOrgan)),
            ("办公室秘书科", (false, UnitKind::Section)),
            ("各村（社区）", (true, UnitKind::Department)),
            ("区直各有关单位", (true, UnitKind::Department)),
            ("政府信息公开工作部门", (true, UnitKind::Department)),
            ("全市各级行政机关", (true, UnitKind::Department)),
            ("各乡镇（街道）", (true, UnitKind::Department)),
            ("市直各部门", (true, UnitKind::Department)),
        ];
        for (name, want) in cases {
            assert_eq!(guess_kind(name), want, "{name}");
        }
    }

    #[test]
    fn disclosure_spellings_are_the_serde_names() {
        for d in Disclosure::ALL {
            assert_eq!(Disclosure::parse(d.label()), Some(d));
            let json = serde_json::to_string(&d).unwrap();
            assert_eq!(json, format!("\"{}\"", d.label()));
        }
        assert_eq!(Disclosure::parse("公开"), None);
        assert_eq!(Disclosure::parse(" 主动公开"), None);
        assert_eq!(Disclosure::choices(), "主动公开、依申请公开、不予公开");
    }
}
