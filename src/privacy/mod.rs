//! The pre-publication privacy check (谁公开谁审查): resident ID numbers (18-digit with check
//! character and a real birth date, and the 15-digit legacy form), mainland mobile numbers, bank
//! card numbers (Luhn), e-mail addresses, personal names after 联系人 and similar keywords,
//! house-number addresses and a configurable list of sensitive words. [`detect`] owns the rules
//! (one text unit in, findings out); this module applies them to the lines of a content file,
//! locates the findings and shows them masked, never in full. An allow-list in
//! `content/allowlist.yaml` silences a phrase in one file, with a reason.

pub mod detect;
pub mod output;
pub mod source;

pub use detect::{Detector, is_credit_code, is_legacy_resident_id, is_resident_id, luhn};
pub use source::{Owner, scan_site};

use crate::diag::Diagnostic;
use crate::loc::Located;
use schemars::JsonSchema;
use serde::Deserialize;

/// Default sensitive words (site.yaml `sensitive_words` replaces the list).
pub const DEFAULT_WORDS: &[&str] = &[
    "绝密",
    "机密",
    "内部资料",
    "内部文件",
    "不得外传",
    "涉密文件",
];

/// Kind of personal or sensitive data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Resident ID number: 18 characters with a valid check character and birth date, or the
    /// 15-digit legacy form.
    IdNumber,
    /// Mainland mobile number.
    Mobile,
    /// Bank card number (Luhn).
    BankCard,
    /// E-mail address.
    Email,
    /// A personal name after 联系人, 申请人, 信访人, 投诉人, 举报人 or 户主.
    PersonName,
    /// A house-number address (…路…号, …村…组…号).
    Address,
    /// A configured sensitive word.
    Word,
}

impl Kind {
    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Kind::IdNumber => "居民身份证号",
            Kind::Mobile => "手机号码",
            Kind::BankCard => "银行卡号",
            Kind::Email => "电子邮箱",
            Kind::PersonName => "个人姓名",
            Kind::Address => "门牌地址",
            Kind::Word => "敏感词",
        }
    }
}

/// One finding in a text unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Byte start in the original text (the first character of the finding).
    pub start: usize,
    /// Byte end in the original text (exclusive; separators and invisible characters inside
    /// the finding are within `start..end`).
    pub end: usize,
    /// What it is.
    pub kind: Kind,
    /// The normalised value: ASCII digits for numbers (upper-case `X` for an ID, no `+86`),
    /// lower-case `local@domain` for an e-mail address, the name for a person, the key from
    /// two characters before 路/街/村 to 号 for an address, the word for a sensitive word.
    /// Equal values mean the same datum, whatever way it was written.
    pub value: String,
}

/// 允许清单（content/allowlist.yaml）
///
/// 经审查确认可以公开的短语：每条写明短语、所在文件和理由，只在该文件中放行该短语的全部出现。
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllowFile {
    /// 格式版本
    pub format_version: Located<u32>,
    /// 放行条目
    #[serde(default)]
    pub allow: Vec<AllowEntry>,
}

/// 放行条目
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllowEntry {
    /// 短语
    ///
    /// 被检出的原文短语，逐字照录。
    pub phrase: Located<String>,
    /// 文件
    ///
    /// 相对于站点文件夹的路径，例如 content/plans/2023/tasks/5.yaml。
    pub file: String,
    /// 理由
    pub reason: String,
}

/// Every finding in one line of text (a detector with `words` and no exemptions).
pub fn scan_line(line: &str, words: &[String]) -> Vec<Hit> {
    Detector::new(words, &[] as &[&str], &[] as &[&str]).scan(line)
}

/// Mask a finding: keep a few characters at each end, never the whole value.
pub fn mask(s: &str, kind: Kind) -> String {
    let c: Vec<char> = s.chars().collect();
    let keep = |a: usize, z: usize| -> String {
        let n = c.len();
        if n <= a + z {
            return "*".repeat(n);
        }
        let mut out: String = c[..a].iter().collect();
        out.push_str(&"*".repeat(n - a - z));
        out.extend(&c[n - z..]);
        out
    };
    match kind {
        Kind::IdNumber | Kind::BankCard => keep(4, 4),
        Kind::Mobile => keep(3, 4),
        Kind::PersonName => keep(1, 0),
        Kind::Address => keep(2, 1),
        Kind::Email => match s.split_once('@') {
            Some((l, d)) => format!("{}***@{d}", l.chars().next().unwrap_or('*')),
            None => keep(1, 0),
        },
        Kind::Word => s.to_string(),
    }
}

/// A located finding.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The diagnostic (message masked).
    pub diag: Diagnostic,
    /// Kind.
    pub kind: Kind,
    /// The normalised value ([`Hit::value`]): what matches a finding in the output to its
    /// source.
    pub value: String,
    /// The item the value belongs to.
    pub owner: Owner,
    /// Reason when allow-listed.
    pub allowed: Option<String>,
    /// The output files it would reach (filled by the build's scan of the output).
    pub outputs: Vec<String>,
}

/// Scan one file's text, line by line, with a detector for `words` and no exemptions.
/// `skip_line` says which lines are public by design.
pub fn scan_file(
    path: &str,
    text: &str,
    words: &[String],
    allow: &[AllowEntry],
    skip_line: &dyn Fn(&str) -> bool,
) -> Vec<Finding> {
    let detector = Detector::new(words, &[] as &[&str], &[] as &[&str]);
    scan_file_with(&detector, path, text, allow, skip_line)
}

/// [`scan_file`] with a configured detector (public numbers and contacts exempt). Each line
/// is one text unit. The message shows the normalised value masked.
pub fn scan_file_with(
    detector: &Detector,
    path: &str,
    text: &str,
    allow: &[AllowEntry],
    skip_line: &dyn Fn(&str) -> bool,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut hits = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if skip_line(line) {
            continue;
        }
        hits.clear();
        detector.scan_into(line, &mut hits);
        for h in hits.drain(..) {
            let found = &line[h.start..h.end];
            let col = u32::try_from(line[..h.start].chars().count() + 1).unwrap_or(1);
            let allowed = allowed_by(allow, path, line, found, &h.value);
            let shown = mask(&h.value, h.kind);
            let diag = Diagnostic::error(
                path,
                u32::try_from(n + 1).unwrap_or(u32::MAX),
                col,
                format!("发现疑似{}：{shown}", h.kind.label()),
            )
            .width(found.chars().count())
            .hint("发布前删除或改写；确需公开的，在 content/allowlist.yaml 登记短语、文件和理由");
            out.push(Finding {
                diag,
                kind: h.kind,
                value: h.value,
                owner: Owner::Site,
                allowed,
                outputs: Vec::new(),
            });
        }
    }
    out
}

/// The reason of the allow-list entry that covers a finding in `path`: its phrase stands in
/// `text` (the line or value scanned) and holds the finding as written (`found`) or its
/// normalised `value`.
pub fn allowed_by(
    allow: &[AllowEntry],
    path: &str,
    text: &str,
    found: &str,
    value: &str,
) -> Option<String> {
    allow
        .iter()
        .find(|a| {
            let phrase = a.phrase.value.as_str();
            a.file == path
                && (text.contains(phrase) || found.contains(phrase))
                && (phrase.contains(found) || phrase.contains(value))
        })
        .map(|a| a.reason.clone())
}

/// Render a finding without quoting the line (which would show the value in full).
pub fn render(f: &Finding) -> String {
    match &f.allowed {
        None => {
            let mut s = f.diag.headline();
            s.push('\n');
            if let Some((first, rest)) = f.outputs.split_first() {
                let more = match rest.len() {
                    0 => String::new(),
                    n => format!(" 等 {} 个文件", n + 1),
                };
                s.push_str(&format!(
                    "  = 将出现在：{}{more}\n",
                    crate::diag::visible(first, 120)
                ));
            }
            if let Some(h) = &f.diag.hint {
                s.push_str(&format!("  = 提示：{h}\n"));
            }
            s
        }
        Some(reason) => format!(
            "{}:{}:{}: 已放行：{}（理由：{reason}）\n",
            f.diag.path,
            f.diag.line,
            f.diag.col,
            f.diag.message.replace("发现疑似", "疑似")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<Kind> {
        scan_line(
            s,
            &DEFAULT_WORDS
                .iter()
                .map(|w| w.to_string())
                .collect::<Vec<_>>(),
        )
        .into_iter()
        .map(|h| h.kind)
        .collect()
    }

    #[test]
    fn resident_ids_need_a_valid_check_digit() {
        // A valid number (check digit computed by the MOD 11-2 rule).
        assert!(is_resident_id(b"11010519491231002X"));
        assert!(is_resident_id(b"510181199001011233"));
        assert!(!is_resident_id(b"510181199001011234"), "wrong check digit");
        assert_eq!(
            kinds("身份证 11010519491231002X 已登记"),
            vec![Kind::IdNumber]
        );
        // Same digits, wrong check digit: not flagged as an ID.
        assert!(!is_resident_id(b"110105194912310021"));
        assert!(!kinds("编号110105194912310021").contains(&Kind::IdNumber));
        // Impossible birth date.
        assert!(!is_resident_id(b"110105194913310029"));
    }

    #[test]
    fn mobiles_cards_emails_words() {
        assert_eq!(kinds("联系电话13812345678。"), vec![Kind::Mobile]);
        assert!(
            kinds("电话 12812345678").is_empty(),
            "second digit 2 is not a mobile prefix"
        );
        assert!(
            kinds("2023年6月16日 文号 138123456789").is_empty(),
            "12 digits is not a mobile"
        );
        assert_eq!(
            kinds("卡号 6222020200112233440"),
            if luhn(b"6222020200112233440") {
                vec![Kind::BankCard]
            } else {
                vec![]
            }
        );
        assert_eq!(kinds("卡号 4111111111111111"), vec![Kind::BankCard]);
        assert!(kinds("卡号 4111111111111112").is_empty(), "fails Luhn");
        assert_eq!(kinds("请发 zhang.san@example.gov.cn 。"), vec![Kind::Email]);
        assert!(kinds("@某某 说").is_empty());
        assert_eq!(kinds("本文件属内部资料"), vec![Kind::Word]);
        assert!(kinds("防止泄露国家秘密、商业秘密、工作秘密、个人隐私等敏感信息").is_empty());
        assert!(kinds("2023年全市政务公开工作要点分工表，12345政务服务便民热线").is_empty());
    }

    #[test]
    fn masking_never_shows_the_whole_value() {
        assert_eq!(
            mask("11010519491231002X", Kind::IdNumber),
            "1101**********002X"
        );
        assert_eq!(mask("13812345678", Kind::Mobile), "138****5678");
        assert_eq!(mask("zhang@example.com", Kind::Email), "z***@example.com");
        assert_eq!(mask("李某某", Kind::PersonName), "李**");
        assert_eq!(mask("人民路12号", Kind::Address), "人民***号");
    }

    #[test]
    fn a_file_is_scanned_line_by_line_and_shows_the_normalised_value_masked() {
        let words: Vec<String> = DEFAULT_WORDS.iter().map(|w| w.to_string()).collect();
        let text = "a: 1\nsummary: 联系人张三，电话＋８６ １３８-１２３４-５６７８\n";
        let f = scan_file("content/x.yaml", text, &words, &[], &|_| false);
        let heads: Vec<String> = f.iter().map(|f| f.diag.headline()).collect();
        assert_eq!(
            heads,
            vec![
                "content/x.yaml:2:13: 错误：发现疑似个人姓名：张*",
                "content/x.yaml:2:22: 错误：发现疑似手机号码：138****5678",
            ]
        );
        assert_eq!(f[1].diag.width, 13, "the caret spans the digits as written");
    }
}
