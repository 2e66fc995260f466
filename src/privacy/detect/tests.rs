//! Table-driven tests of the detector: every class, positives and the negatives the issue
//! lists.

use super::numbers::is_card;
use super::*;

/// Complete 17 digits into a resident ID (MOD 11-2 check character).
fn id18(p: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = p.bytes().zip(W).map(|(d, w)| u32::from(d - b'0') * w).sum();
    format!("{p}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

/// Complete digits with a Luhn check digit.
fn luhn_complete(p: &str) -> String {
    (b'0'..=b'9')
        .map(|d| format!("{p}{}", d as char))
        .find(|s| luhn(s.as_bytes()))
        .unwrap()
}

fn det() -> Detector {
    Detector::default()
}

fn found(text: &str) -> Vec<(Kind, String)> {
    det()
        .scan(text)
        .into_iter()
        .map(|h| (h.kind, h.value))
        .collect()
}

/// Each text holds exactly one finding of this kind with this value.
fn assert_one(cases: &[(&str, Kind, &str)]) {
    let mut failed = Vec::new();
    for (text, kind, value) in cases {
        let got = found(text);
        if got != vec![(*kind, value.to_string())] {
            failed.push(format!("{text:?}: expected {kind:?} {value}, got {got:?}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

fn assert_none(cases: &[&str]) {
    let mut failed = Vec::new();
    for text in cases {
        let got = found(text);
        if !got.is_empty() {
            failed.push(format!("{text:?}: {got:?}"));
        }
    }
    assert!(failed.is_empty(), "false positives:\n{}", failed.join("\n"));
}

const ID: &str = "11010519491231002X";
const MOB: &str = "13812345678";

#[test]
fn resident_ids_in_every_disguise() {
    use Kind::IdNumber as I;
    assert_one(&[
        ("身份证11010519491231002X", I, ID),
        ("身份证 11010519491231002x 已登记", I, ID),
        ("ID11010519491231002X", I, ID),
        ("idcard=11010519491231002X&a=1", I, ID),
        ("110105 19491231 002X", I, ID),
        ("110105-19491231-002X", I, ID),
        ("110105 1949 1231 002X", I, ID),
        ("1101 0519 4912 3100 2X", I, ID),
        ("110105 19491231 002 X", I, ID),
        ("１１０１０５１９４９１２３１００２Ｘ", I, ID),
        ("110105\u{200B}19491231\u{200B}002X", I, ID),
        ("1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 X", I, ID),
        ("https://x.cn/u/11010519491231002X.html", I, ID),
        ("510181199001011233", I, "510181199001011233"),
        ("身份证号：510181 19900101 1233。", I, "510181199001011233"),
        // 15-digit legacy form: 110105 491231 002 (born 1949-12-31).
        ("旧证110105491231002", I, "110105491231002"),
        ("110105 491231 002", I, "110105491231002"),
    ]);
}

#[test]
fn resident_ids_need_check_character_real_date_and_province() {
    assert!(is_resident_id(ID.as_bytes()));
    assert!(!is_resident_id(b"110105194912310021"), "wrong check");
    let cases = [
        ("11010519900230123", false, "Feb 30"),
        ("11010519900431123", false, "Apr 31"),
        ("11010519010229123", false, "Feb 29 in 1901"),
        ("11010519000229123", false, "Feb 29 in 1900 (not leap)"),
        ("11010520000229123", true, "Feb 29 in 2000"),
        ("11010519960229123", true, "Feb 29 in 1996"),
        ("11010518991231123", false, "year 1899"),
        ("11010519491331123", false, "month 13"),
        ("11010519491200123", false, "day 0"),
        ("00010519491231123", false, "province 00"),
        ("99010519491231123", false, "province 99"),
    ];
    for (p, ok, why) in cases {
        let id = id18(p);
        assert_eq!(is_resident_id(id.as_bytes()), ok, "{why}: {id}");
        let ids = found(&id)
            .iter()
            .filter(|(k, _)| *k == Kind::IdNumber)
            .count();
        assert_eq!(ids, usize::from(ok), "{why}: {id}");
    }
    let next_year = current_year() + 1;
    let future = id18(&format!("110105{next_year}0101123"));
    assert!(!is_resident_id(future.as_bytes()), "born next year");
    let this_year = id18(&format!("110105{}0101123", current_year()));
    assert!(is_resident_id(this_year.as_bytes()), "born this year");
    // Legacy form.
    assert!(is_legacy_resident_id(b"110105491231002"));
    assert!(!is_legacy_resident_id(b"110105490230002"), "Feb 30");
    assert!(!is_legacy_resident_id(b"110105010229002"), "Feb 29 1901");
    assert!(is_legacy_resident_id(b"110105960229002"), "Feb 29 1996");
    assert!(!is_legacy_resident_id(b"000105491231002"), "province 00");
}

#[test]
fn mobiles_in_every_disguise() {
    use Kind::Mobile as M;
    assert_one(&[
        ("联系电话13812345678。", M, MOB),
        ("138 1234 5678", M, MOB),
        ("138-1234-5678", M, MOB),
        ("138.1234.5678", M, MOB),
        ("138_1234_5678", M, MOB),
        ("138 - 1234 - 5678", M, MOB),
        ("1381234 5678", M, MOB),
        ("138 12345678", M, MOB),
        ("+86 138 1234 5678", M, MOB),
        ("+86-138-1234-5678", M, MOB),
        ("+8613812345678", M, MOB),
        ("0086 13812345678", M, MOB),
        ("008613812345678", M, MOB),
        ("86-13812345678", M, MOB),
        ("（+86）13812345678", M, MOB),
        ("１３８１２３４５６７８", M, MOB),
        ("＋８６　１３８　１２３４　５６７８", M, MOB),
        ("１３８－１２３４－５６７８", M, MOB),
        ("138\u{A0}1234\u{A0}5678", M, MOB),
        ("138\u{3000}1234\u{3000}5678", M, MOB),
        ("138\u{2014}1234\u{2014}5678", M, MOB),
        ("138\u{2013}1234\u{2013}5678", M, MOB),
        ("138\u{2212}1234\u{2212}5678", M, MOB),
        ("138\u{30FC}1234\u{30FC}5678", M, MOB),
        ("138·1234·5678", M, MOB),
        ("138\n1234\n5678", M, MOB),
        ("138\r\n    1234\r\n    5678", M, MOB),
        ("138\u{200B}1234\u{200D}5678", M, MOB),
        ("1\u{200B}3\u{200B}8\u{200B}1234\u{FEFF}5678", M, MOB),
        ("13\u{AD}81234\u{2060}5678", M, MOB),
        ("1 3 8 1 2 3 4 5 6 7 8", M, MOB),
        ("8 6 1 3 8 1 2 3 4 5 6 7 8", M, MOB),
        ("+86 1 3 8 1 2 3 4 5 6 7 8", M, MOB),
        ("+86138 1234 5678", M, MOB),
        ("0086138-1234-5678", M, MOB),
        ("a13812345678", M, MOB),
        ("tel13812345678abc", M, MOB),
        ("https://x.cn/u/13812345678", M, MOB),
        ("https://x.cn/page?tel=13812345678&x=1", M, MOB),
        ("plans/13812345678/index.html", M, MOB),
        (
            "\u{1D7CF}\u{1D7D1}\u{1D7D6}\u{1D7CF}\u{1D7D0}\u{1D7D1}\u{1D7D2}\u{1D7D3}\u{1D7D4}\u{1D7D5}\u{1D7D6}",
            M,
            MOB,
        ),
        ("①③⑧①②③④⑤⑥⑦⑧", M, MOB),
        ("1\u{FE0F}\u{20E3}3\u{FE0F}\u{20E3}812345678", M, MOB),
    ]);
}

#[test]
fn bank_cards_in_every_disguise() {
    use Kind::BankCard as B;
    let c19 = luhn_complete("622202020011223344");
    let c16 = "4111111111111111";
    let grouped19 = format!(
        "{} {} {} {} {}",
        &c19[..4],
        &c19[4..8],
        &c19[8..12],
        &c19[12..16],
        &c19[16..]
    );
    let dashed19 = grouped19.replace(' ', "-");
    let six13 = format!("{} {}", &c19[..6], &c19[6..]);
    let full: String = c19
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap())
        .collect();
    let cases: Vec<(String, &str)> = vec![
        (format!("卡号 {c16}"), c16),
        (format!("卡号：{c19}"), &c19),
        ("4111 1111 1111 1111".to_string(), c16),
        (grouped19.clone(), &c19),
        (dashed19, &c19),
        (six13, &c19),
        (full, &c19),
        (format!("card{c19}x"), &c19),
    ];
    let cases: Vec<(&str, Kind, &str)> = cases.iter().map(|(t, v)| (t.as_str(), B, *v)).collect();
    assert_one(&cases);
    assert_none(&[
        "卡号 4111111111111112", // fails Luhn
        "20231015000000000018",  // 20 digits
        "2023101500000000002",   // issuer class 2 (a date-led serial)
        "1234567890123452",      // issuer class 1
        "4111 11 11 1111 1111",  // a group of 2 before the last
    ]);
}

#[test]
fn e_mail_addresses() {
    use Kind::Email as E;
    assert_one(&[
        (
            "请发 zhang.san@example.gov.cn 。",
            E,
            "zhang.san@example.gov.cn",
        ),
        ("请发zhang@example.com。", E, "zhang@example.com"),
        ("zhang＠example.com", E, "zhang@example.com"),
        ("ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ", E, "zhang@example.com"),
        ("zhang﹫example.com", E, "zhang@example.com"),
        ("zhang @ example.com", E, "zhang@example.com"),
        ("Zhang.San@Example.COM", E, "zhang.san@example.com"),
        ("13812345678@qq.com", E, "13812345678@qq.com"),
        (
            "mailto:a_b-c+d@mail.example.org?subject=x",
            E,
            "a_b-c+d@mail.example.org",
        ),
    ]);
    assert_none(&[
        "@某某 说",
        "logo@2x.png",
        "icon@3x.webp",
        "user@localhost",
        "@media screen",
        "a@b",
        "x@.com",
    ]);
}

#[test]
fn personal_names_after_the_keywords() {
    use Kind::PersonName as P;
    assert_one(&[
        ("联系人张三", P, "张三"),
        ("联系人：张三", P, "张三"),
        ("联系人: 张三", P, "张三"),
        ("申请人：李某某", P, "李某某"),
        ("信访人 王五", P, "王五"),
        ("投诉人欧阳娜娜", P, "欧阳娜娜"),
        ("举报人：赵六反映", P, "赵六"),
        ("户主刘德华", P, "刘德华"),
        ("联系人张三同志", P, "张三"),
        ("联系人张三，", P, "张三"),
        ("被投诉人李四", P, "李四"),
        ("联系人　陈晓明", P, "陈晓明"),
        ("联系人张\u{200B}三", P, "张三"),
    ]);
    assert_eq!(
        found("联系人张三，电话13812345678"),
        vec![
            (Kind::PersonName, "张三".to_string()),
            (Kind::Mobile, MOB.to_string())
        ]
    );
    assert_none(&[
        "最大限度满足申请人对政府信息的合理需求",
        "全面准确了解申请人诉求",
        "申请人应当提交书面申请",
        "联系人电话",
        "户主姓名",
        "申请人陈述申辩",
        "联系人王先生",
        "联系人：张科长",
        "投诉人和被投诉人",
        "举报人的合法权益",
        "联系人员",
        "信访人信息",
        "申请人关于公开的请求",
        "联系人及联系方式",
        "申请人可以",
        "申请人身份证明",
        "申请人数",
        "投诉人于",
        "户主",
        "联系人",
    ]);
}

#[test]
fn office_contacts_and_public_numbers_are_exempt() {
    let d = Detector::new(
        super::super::DEFAULT_WORDS,
        &[
            "138 0000 1111",
            "+86 139-0000-2222",
            "office@example.gov.cn",
        ],
        &["张三"],
    );
    for text in [
        "咨询电话13800001111",
        "咨询电话 138-0000-1111",
        "电话：+86 13900002222",
        "电话１３９００００２２２２",
        "邮箱 Office@Example.gov.cn",
        "联系人张三",
        "联系人：张三，电话13800001111",
    ] {
        assert!(d.scan(text).is_empty(), "{text}: {:?}", d.scan(text));
    }
    assert_eq!(d.scan("联系人李四").len(), 1);
    assert_eq!(d.scan("电话13800001112").len(), 1);
    let d = Detector::default().with_public_text(
        "联系人：王五，电话13800002222，邮箱wy@example.gov.cn，地址：太平镇人民路1号",
    );
    for text in [
        "联系人王五",
        "13800002222",
        "wy@example.gov.cn",
        "位于人民路1号",
        "万源市太平镇人民路1号",
    ] {
        assert!(d.scan(text).is_empty(), "{text}: {:?}", d.scan(text));
    }
    assert_eq!(d.scan("位于人民路2号").len(), 1);
    // A number inside a public mailbox goes with it; the contact text's digits are not
    // joined into one number.
    let d = Detector::default().with_public_text("邮箱13800003333@139.com，电话0818-8623456");
    assert!(d.scan("13800003333@139.com").is_empty());
    assert_eq!(
        d.scan("13800003333").len(),
        1,
        "only the mailbox was declared"
    );
    assert_ne!(d.digest(), Detector::default().digest());
    assert_eq!(Detector::default().digest(), Detector::default().digest());
}

#[test]
fn house_number_addresses() {
    use Kind::Address as A;
    assert_one(&[
        ("家住人民路12号", A, "人民路12号"),
        ("解放街十二号", A, "解放街十二号"),
        ("住址：万源市太平镇人民路１２号", A, "人民路12号"),
        ("白沙镇新华村3组15号", A, "新华村3组15号"),
        ("新华村三社十五号", A, "新华村三社十五号"),
        ("人民大道8号", A, "人民大道8号"),
        ("长安巷3号", A, "长安巷3号"),
        ("建设路12-3号", A, "建设路12-3号"),
    ]);
    assert_none(&[
        "万府办〔2023〕8号",
        "万府发〔2023〕12号",
        "川办函〔2023〕101号",
        "工作思路3号",
        "线路1号",
        "道路2号",
        "第3组15号",
        "1号文件",
        "街道办事处",
        "人民路",
    ]);
}

#[test]
fn what_is_not_personal_data() {
    assert_none(&[
        // Dates in every common form, ranges within one unit.
        "2023-10-15",
        "2023.10.15",
        "2023/10/15",
        "2023年10月15日",
        "20231015",
        "2023-01-01—2023-12-31",
        "2023-01-01 — 2023-12-31",
        "2023.01.01-2023.12.31",
        "2023-01-01～2023-12-31",
        "2023年1月1日至2023年12月31日",
        "2023-01-01 2023-06-30 2023-12-31",
        "2023-10-15 08:30:00",
        "20230101-20231231",
        "20230101 20231231",
        "2023-10-15T08:30:00+08:00",
        // 文号, 索引号, 统一社会信用代码, 备案号, 标识码, 邮编.
        "万府办〔2023〕8号",
        "川府发〔2023〕12号",
        "索引号：11511781MB1P53447H/2023-00076",
        "000014349/2023-00076",
        "000000000/2024-00001（示例）",
        "统一社会信用代码：11511781008000000X",
        "91350100M000100Y43",
        "914403001922038216",
        "川公网安备 51178102000123号",
        "川公网安备51178102000123号",
        "蜀ICP备12345678号-1",
        "网站标识码：5117810001",
        "5117810001",
        "邮编：636350",
        "636350",
        // Task numbers, tallies, counts, money, landlines, hotlines, versions, ISBN, IP.
        "2-1-2",
        "任务 2-1-2、2-1-3、3-4-15",
        "50 1 1 7 3",
        "12 3 45 6 7 8 9 10 11",
        "共 12 项，完成 8 项",
        "1,234,567.89元",
        "0818-8623456",
        "（0818）8623456",
        "028-12345678",
        "0818-8623456-8001",
        "12345政务服务便民热线",
        "138123456789",
        "12812345678",
        "v1.2.3",
        "ISBN 978-7-5097-1234-5",
        "192.168.100.200",
        "第1234567号",
        // Hashes.
        "sha256:bcfc9a3b12d21089fb930f5e",
        "fingerprint: \"sha256:a13812345678bcdef0123456\"",
        "app.3f8a13812345678b9c0d.css",
        // Words close to the sensitive ones.
        "防止泄露国家秘密、商业秘密、工作秘密、个人隐私等敏感信息",
        "2023年全市政务公开工作要点分工表，12345政务服务便民热线",
    ]);
}

#[test]
fn all_digit_credit_codes_are_not_cards() {
    // Find an all-digit code that passes the GB 32100 check and also Luhn with a card issuer
    // class: the credit-code rule must win.
    let code = (0..100_000u32)
        .map(|n| format!("91511781{n:09}"))
        .filter_map(|p| {
            (b'0'..=b'9')
                .map(|c| format!("{p}{}", c as char))
                .find(|s| is_credit_code(s.as_bytes()))
        })
        .find(|s| is_card(s.as_bytes()) && !is_resident_id(s.as_bytes()))
        .unwrap();
    assert!(found(&code).is_empty(), "{code}");
    assert!(found(&format!("统一社会信用代码：{code}")).is_empty());
    // Same with a letter check character after 17 digits.
    let code = (0..100_000u32)
        .map(|n| format!("91511781{n:09}H"))
        .find(|s| is_credit_code(s.as_bytes()) && is_card(&s.as_bytes()[..17]))
        .unwrap();
    assert!(found(&code).is_empty(), "{code}");
    assert!(is_credit_code(b"91350100M000100Y43"));
    assert!(is_credit_code(b"914403001922038216"));
    assert!(!is_credit_code(b"914403001922038217"));
}

#[test]
fn sensitive_words_and_invisible_characters() {
    assert_eq!(
        found("本文件属内部资料"),
        vec![(Kind::Word, "内部资料".to_string())]
    );
    let text = "本文件属内部\u{200B}资料";
    let hits = det().scan(text);
    assert_eq!(hits.len(), 1);
    assert_eq!(&text[hits[0].start..hits[0].end], "内部\u{200B}资料");
    // Words beginning with an ASCII or a non-Han character are found too.
    let d = Detector::new(
        &["SECRET", "（密）", "秘密★"],
        &[] as &[&str],
        &[] as &[&str],
    );
    let kinds = |t: &str| d.scan(t).into_iter().map(|h| h.value).collect::<Vec<_>>();
    assert_eq!(kinds("a TOP SECRET file"), vec!["SECRET"]);
    assert_eq!(kinds("标注（密）的"), vec!["（密）"]);
    assert_eq!(kinds("秘密★一年"), vec!["秘密★"]);
    assert!(kinds("秘密").is_empty());
}

#[test]
fn ranges_point_into_the_original_text() {
    let cases = [
        ("电话：138 1234 5678。", "138 1234 5678"),
        ("电话：+86 138 1234 5678。", "138 1234 5678"),
        ("电话：+8613812345678。", "8613812345678"),
        ("电话１３８１２３４５６７８号", "１３８１２３４５６７８"),
        ("ID11010519491231002X.", "11010519491231002X"),
        ("110105 19491231 002 X。", "110105 19491231 002 X"),
        ("1\u{200B}3812345678", "1\u{200B}3812345678"),
        ("请发 zhang＠example.com。", "zhang＠example.com"),
        ("联系人：张三，", "张三"),
        // The road name is read back over at most six Han characters.
        ("家住人民路12号。", "家住人民路12号"),
        ("：人民路12号。", "人民路12号"),
        ("①③⑧①②③④⑤⑥⑦⑧", "①③⑧①②③④⑤⑥⑦⑧"),
    ];
    for (text, want) in cases {
        let hits = det().scan(text);
        assert_eq!(hits.len(), 1, "{text}: {hits:?}");
        assert_eq!(&text[hits[0].start..hits[0].end], want, "{text}");
    }
}

#[test]
fn one_finding_inside_another_is_reported_once_and_several_are_sorted() {
    assert_eq!(found("13812345678@qq.com").len(), 1);
    let text = "张三 13812345678，李四 13912345678；身份证11010519491231002X";
    let hits = det().scan(text);
    let kinds: Vec<Kind> = hits.iter().map(|h| h.kind).collect();
    assert_eq!(kinds, vec![Kind::Mobile, Kind::Mobile, Kind::IdNumber]);
    assert!(hits.windows(2).all(|w| w[0].start < w[1].start));
}

#[test]
fn the_joining_rule_keeps_groups_apart_unless_they_look_like_a_number() {
    // 3-4-4 joins; 4-3-4 and 2-5-4 do not (but each group alone is nothing).
    assert_eq!(found("138 1234 5678").len(), 1);
    assert!(found("1381 234 5678 9").is_empty());
    assert!(found("13 81234 5678").is_empty());
    // Separated by more than two non-space separators, or by other punctuation: apart.
    assert!(found("138 --- 1234 5678").is_empty());
    assert!(found("138/1234/5678").is_empty());
    assert!(found("138,1234,5678").is_empty());
    assert!(found("138：1234：5678").is_empty());
    // A single-digit chain only as a whole.
    assert!(found("1 1 3 8 1 2 3 4 5 6 7 8").is_empty());
    // A mobile window inside a longer chain is still found.
    assert_eq!(
        found("2023 138 1234 5678"),
        vec![(Kind::Mobile, MOB.to_string())]
    );
}

#[test]
fn the_character_table_agrees_with_nfkc() {
    // Every BMP character whose NFKC is one ASCII digit, letter or '@' projects to it.
    let t = bmp_table();
    for cp in 0x80u32..0x10000 {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let n: String = std::iter::once(c).nfkc().collect();
        if n.len() == 1 {
            let a = n.as_bytes()[0];
            if a.is_ascii_alphanumeric() || a == b'@' {
                assert_eq!(t[cp as usize], a, "U+{cp:04X}");
            }
        }
    }
    assert_eq!(t[0xFF10], b'0');
    assert_eq!(t[0xFF20], b'@');
    assert_eq!(t[0x3000], b' ');
    assert_eq!(t[0x00A0], b' ');
    assert_eq!(t[0x200B], DROP);
    assert_eq!(t[0x2014], b'-');
    assert_eq!(t[0xFF0C], BREAK, "，");
}

#[test]
fn a_detector_is_shared_across_threads() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Detector>();
    let d = Detector::default();
    let found: Vec<usize> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| d.scan("电话13812345678，身份证11010519491231002X").len()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(found, vec![2; 4]);
}
