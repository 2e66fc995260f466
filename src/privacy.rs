//! The pre-publication privacy check (谁公开谁审查): resident ID numbers (check digit
//! validated), mainland mobile numbers, bank card numbers (Luhn), e-mail addresses and a
//! configurable list of sensitive words, in every line of every content file. Findings are
//! located and shown masked, never in full. An allow-list in `content/allowlist.yaml` silences a
//! phrase in one file, with a reason.

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
    /// 18-digit resident ID number with a valid check digit.
    IdNumber,
    /// Mainland mobile number.
    Mobile,
    /// Bank card number (Luhn).
    BankCard,
    /// E-mail address.
    Email,
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
            Kind::Word => "敏感词",
        }
    }
}

/// One finding in a line: byte range and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Byte start in the line.
    pub start: usize,
    /// Byte end.
    pub end: usize,
    /// What it is.
    pub kind: Kind,
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

/// ISO 7064 MOD 11-2 check of an 18-character resident ID number, plus a plausible birth date.
pub fn is_resident_id(s: &[u8]) -> bool {
    if s.len() != 18 || !s[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: &[u8; 11] = b"10X98765432";
    let sum: u32 = s[..17]
        .iter()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = C[(sum % 11) as usize];
    if s[17].to_ascii_uppercase() != check {
        return false;
    }
    let num = |a: usize, b: usize| {
        std::str::from_utf8(&s[a..b])
            .ok()
            .and_then(|x| x.parse::<u32>().ok())
    };
    matches!((num(6, 10), num(10, 12), num(12, 14)), (Some(y), Some(m), Some(d)) if (1900..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
}

/// Luhn check.
pub fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = u32::from(d - b'0');
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// Find every finding in one line of text.
pub fn scan_line(line: &str, words: &[String]) -> Vec<Hit> {
    scan_line_with(line, &finders(words))
}

/// A searcher for each (non-empty) sensitive word, built once per file.
fn finders(words: &[String]) -> Vec<memchr::memmem::Finder<'_>> {
    words
        .iter()
        .filter(|w| !w.is_empty())
        .map(|w| memchr::memmem::Finder::new(w.as_bytes()))
        .collect()
}

fn scan_line_with(line: &str, words: &[memchr::memmem::Finder<'_>]) -> Vec<Hit> {
    let b = line.as_bytes();
    let mut hits = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let mut end = j;
            if j - i == 17 && j < b.len() && (b[j] == b'X' || b[j] == b'x') {
                end = j + 1;
            }
            let bounded = end == b.len() || !b[end].is_ascii_alphanumeric();
            let run = &b[i..end];
            if bounded {
                if run.len() == 18 && is_resident_id(run) {
                    hits.push(Hit {
                        start: i,
                        end,
                        kind: Kind::IdNumber,
                    });
                } else if run.len() == 11 && run[0] == b'1' && (b'3'..=b'9').contains(&run[1]) {
                    hits.push(Hit {
                        start: i,
                        end,
                        kind: Kind::Mobile,
                    });
                } else if (16..=19).contains(&run.len())
                    && run.iter().all(u8::is_ascii_digit)
                    && luhn(run)
                {
                    hits.push(Hit {
                        start: i,
                        end,
                        kind: Kind::BankCard,
                    });
                }
            }
            i = end.max(i + 1);
            continue;
        }
        if b[i] == b'@' {
            let is_local = |c: u8| c.is_ascii_alphanumeric() || b"._%+-".contains(&c);
            let is_dom = |c: u8| c.is_ascii_alphanumeric() || c == b'.' || c == b'-';
            let mut s = i;
            while s > 0 && is_local(b[s - 1]) {
                s -= 1;
            }
            let mut e = i + 1;
            while e < b.len() && is_dom(b[e]) {
                e += 1;
            }
            let domain = &line[i + 1..e];
            let domain = domain.trim_end_matches('.');
            if s < i && domain.contains('.') && !domain.starts_with('.') {
                hits.push(Hit {
                    start: s,
                    end: i + 1 + domain.len(),
                    kind: Kind::Email,
                });
            }
            i = e.max(i + 1);
            continue;
        }
        i += 1;
    }
    for w in words {
        let len = w.needle().len();
        for p in w.find_iter(b) {
            hits.push(Hit {
                start: p,
                end: p + len,
                kind: Kind::Word,
            });
        }
    }
    hits.sort_by_key(|h| h.start);
    hits
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
    /// Reason when allow-listed.
    pub allowed: Option<String>,
}

/// Scan one file's text. `skip_line` says which lines are public by design.
pub fn scan_file(
    path: &str,
    text: &str,
    words: &[String],
    allow: &[AllowEntry],
    skip_line: &dyn Fn(&str) -> bool,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let words = finders(words);
    for (n, line) in text.lines().enumerate() {
        if skip_line(line) {
            continue;
        }
        for h in scan_line_with(line, &words) {
            let found = &line[h.start..h.end];
            let col = u32::try_from(line[..h.start].chars().count() + 1).unwrap_or(1);
            let allowed = allow
                .iter()
                .find(|a| {
                    a.file == path
                        && line.contains(a.phrase.value.as_str())
                        && a.phrase.value.contains(found)
                })
                .map(|a| a.reason.clone());
            let shown = mask(found, h.kind);
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
                allowed,
            });
        }
    }
    out
}

/// Render a finding without quoting the line (which would show the value in full).
pub fn render(f: &Finding) -> String {
    match &f.allowed {
        None => {
            let mut s = f.diag.headline();
            s.push('\n');
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
    }
}
