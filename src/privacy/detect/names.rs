//! Personal names after the keywords and house-number addresses.
//!
//! # Names and addresses
//!
//! - Personal name: after 联系人, 申请人, 信访人, 投诉人, 举报人 or 户主 (optionally `：`/`:`
//!   and spaces), a name of 2–4 Han characters: a known single surname (common surnames; those
//!   that are mostly function words, such as 应 or 于, left out) and one or two given-name
//!   characters, or a compound surname (欧阳, 司马 …) and one or two. Not a name: a common word
//!   after the keyword (申请人陈述, 申请人对…, 申请人诉求), a title (王先生, 张科长), or a declared
//!   office contact (the name starts with one).
//! - House-number address: `…路12号`, `…街十二号`, `…大道8号`, `…巷3号`, `…弄5号` (a road name
//!   of at least one Han character, not a word such as 思路 or 线路) and `…村3组15号` /
//!   `…村三社十五号`; the numbers in digits (full-width too) or Han numerals. The value is the
//!   key from two characters before 路/街/村 to 号, so an address matches whatever precedes it.

use super::normalize::is_drop;
use crate::privacy::{Hit, Kind};
use unicode_normalization::UnicodeNormalization;

/// What comes before 人 in the keywords 联系人, 申请人, 信访人, 投诉人, 举报人.
pub(super) const NAME_PREFIXES: [&[u8]; 5] = [
    "联系".as_bytes(),
    "申请".as_bytes(),
    "信访".as_bytes(),
    "投诉".as_bytes(),
    "举报".as_bytes(),
];

/// Common single surnames, less those that are mostly function words after the keywords
/// (应, 于, 和, 向, 由, 时, 全, 明 …).
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤常温康文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹欧耿关兰焦俞左柳甘祝舒阮柯纪梅童凌毕单季裴霍涂苗翁冉骆蓝辛靳柴蒙鲍喻祁蒲滕饶牟艾尤穆卓吉缪褚娄窦戚岑景宫卜晏席米柏瞿桂佟臧闵苟邬卞姬仇栾隋刁巫寇桑郎甄丛仲虞敖巩佘苑邝鞠匡荆冀郁胥栗燕楚鄢谌奚粟冼蔺仝厉伊郜阚帅屠禹祖漆巴卿狄晋芮扈晁邸雍辜裘亓邰赫杭逯茹嵇湛揭檀昝衡尧";

/// Two-character surnames.
const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "钟离", "澹台", "公冶", "濮阳", "端木", "南宫", "西门", "申屠", "太史",
    "呼延", "独孤", "百里", "东郭", "闻人", "万俟", "第五",
];

/// Words that start with a surname character but are not names after the keywords.
const NAME_STOPS: &[&str] = &[
    "陈述", "陈列", "关于", "关注", "关心", "关系", "关联", "单位", "单独", "范围", "常住", "常年",
    "常规", "常见", "文化", "文件", "文书", "文明", "文字", "安全", "安排", "安置", "安装", "高度",
    "任何", "任务", "方式", "方面", "方可", "方便", "方案", "方法", "方向", "董事", "高效", "庞大",
    "金额", "程序", "程度", "马上", "万元", "万一", "余额", "余下", "严格", "严重", "毕业", "纪律",
    "纪要", "白天", "林业", "林地", "钱款", "曾经", "曾于", "曾在", "曾向", "曾多", "曾被", "曾因",
    "许可", "许多", "周边", "周末", "周期", "周知", "付款", "付费", "付清", "杜绝", "顾问", "武装",
    "章程", "景区", "季度", "祝贺", "何时", "何种", "何人", "何处", "张贴", "罗列", "郑重", "谢谢",
    "陆续", "黄金", "温馨", "颜色", "巩固", "仲裁", "甄别", "揭示", "揭露", "揭发", "辜负", "衡量",
    "易于", "齐全", "左右", "尤其", "康复", "苗木", "江河", "石油", "梅花", "蓝色", "辛苦", "童年",
    "卓越", "吉日", "艾滋", "伊始", "孔子", "柴油", "龙头", "史料", "毛病", "汤汁", "牛奶",
];

/// Titles that follow a surname (王先生, 张科长): not a full name.
const TITLES: &[&str] = &[
    "先生", "女士", "同志", "老师", "师傅", "主任", "科长", "局长", "书记", "经理", "所长", "站长",
    "队长", "镇长", "村长", "组长", "部长", "处长", "股长", "社长", "会长", "律师", "医生", "大爷",
    "大妈", "阿姨",
];

/// Characters that cannot begin a given name (they start the next word: 张三电话 → 张三).
const NOT_GIVEN: &str = "电手联身的及等于在对向说提要请已为是因将就到从并或住户诉申投举有无不也都均签年籍性出之所被把给让反称邮地址号证码和与同先女老男系现来表反映";

fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// A Han character after NFKC (CJK compatibility ideographs become the unified ones).
fn han(c: char) -> Option<char> {
    if is_han(c) {
        return Some(c);
    }
    if ('\u{F900}'..='\u{FAFF}').contains(&c) || ('\u{2F800}'..='\u{2FA1F}').contains(&c) {
        let n = std::iter::once(c).nfkc().next()?;
        return is_han(n).then_some(n);
    }
    None
}

/// A personal name right after a keyword ending at byte `q`.
pub(super) fn name_after(text: &str, q: usize, out: &mut Vec<Hit>) {
    let mut chars: Vec<(usize, usize, char)> = Vec::with_capacity(4);
    let mut skipped = 0;
    let mut seen_han = false;
    for (o, c) in text[q..].char_indices() {
        if is_drop(c) {
            continue;
        }
        if !seen_han && matches!(c, ':' | '：' | ' ' | '\u{3000}' | '\u{A0}' | '\t') {
            skipped += 1;
            if skipped > 4 {
                return;
            }
            continue;
        }
        let Some(h) = han(c) else { break };
        seen_han = true;
        chars.push((q + o, q + o + c.len_utf8(), h));
        if chars.len() == 4 {
            break;
        }
    }
    if chars.len() < 2 {
        return;
    }
    let two: String = chars[..2].iter().map(|c| c.2).collect();
    let sur = if COMPOUND_SURNAMES.contains(&two.as_str()) {
        2
    } else if SURNAMES.contains(chars[0].2) && !NAME_STOPS.contains(&two.as_str()) {
        1
    } else {
        return;
    };
    let rest: String = chars[sur..].iter().map(|c| c.2).collect();
    if TITLES.iter().any(|t| rest.starts_with(t)) {
        return;
    }
    let mut given = 0;
    for c in &chars[sur..] {
        if given == 2 || NOT_GIVEN.contains(c.2) {
            break;
        }
        given += 1;
    }
    if given == 0 {
        return;
    }
    let name = &chars[..sur + given];
    out.push(Hit {
        start: name[0].0,
        end: name[name.len() - 1].1,
        kind: Kind::PersonName,
        value: name.iter().map(|c| c.2).collect(),
    });
}

/// A digit (ASCII or full-width) or a Han numeral.
fn numeral(c: char) -> bool {
    c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || "零〇一二三四五六七八九十百千两壹贰叁肆伍陆柒捌玖拾佰".contains(c)
}

/// Characters before 路 that make a word, not a road name (思路, 线路, 道路 …).
const NOT_ROAD: &str = "思线道网出套门电回迷弯近歧退进来去后心活生财销末陌世半一走铁水陆航";

/// Walk back from `end` over characters satisfying `f` (at most `max`); the new start and count.
fn back_while(text: &str, end: usize, max: usize, f: impl Fn(char) -> bool) -> (usize, usize) {
    let mut start = end;
    let mut n = 0;
    for (o, c) in text[..end].char_indices().rev() {
        if n == max || !f(c) {
            break;
        }
        start = o;
        n += 1;
    }
    (start, n)
}

/// A house-number address ending with the 号 at byte `h`.
pub(super) fn address_before(text: &str, h: usize) -> Option<Hit> {
    let end = h + "号".len();
    // The house number: numerals, possibly 12-3 or 12之3.
    let (ns, nn) = back_while(text, h, 8, |c| numeral(c) || matches!(c, '-' | '－' | '之'));
    if nn == 0 || !text[ns..h].chars().next().is_some_and(numeral) {
        return None;
    }
    let (mo, marker) = text[..ns].char_indices().next_back()?;
    let key_from = |anchor: usize| -> (usize, String) {
        let (s, _) = back_while(text, anchor, 2, is_han);
        let key: String = text[s..end]
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                '－' => '-',
                _ => c,
            })
            .collect();
        (s, key)
    };
    match marker {
        '路' | '街' | '巷' | '弄' | '道' => {
            let (rs, rn) = back_while(text, mo, 6, is_han);
            let before = text[..mo].chars().next_back();
            if rn == 0
                || (marker == '道' && before != Some('大'))
                || (marker == '道' && rn < 2)
                || (marker == '路' && before.is_some_and(|c| NOT_ROAD.contains(c)))
            {
                return None;
            }
            let anchor = if marker == '道' {
                mo - "大".len()
            } else {
                mo
            };
            let (_, key) = key_from(anchor);
            Some(Hit {
                start: rs,
                end,
                kind: Kind::Address,
                value: key,
            })
        }
        '组' | '社' => {
            let (gs, gn) = back_while(text, mo, 4, numeral);
            if gn == 0 {
                return None;
            }
            let (vo, v) = text[..gs].char_indices().next_back()?;
            if v != '村' {
                return None;
            }
            let (rs, rn) = back_while(text, vo, 6, is_han);
            if rn == 0 {
                return None;
            }
            let (_, key) = key_from(vo);
            Some(Hit {
                start: rs,
                end,
                kind: Kind::Address,
                value: key,
            })
        }
        _ => None,
    }
}
