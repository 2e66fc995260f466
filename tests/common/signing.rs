//! Sign-offs for test sites, made the only way a real site can get them: with a reviewer's key.
//! The keys are the example reviewers' of `tests/fixtures/example-keys/` (their passphrase is
//! documented there); `gongkai sign` arguments and review blocks signed in-process.

use gongkai::signoff::{KeyPair, StagePayload};
use std::path::PathBuf;
use std::sync::OnceLock;

/// The example reviewers, one per stage: 初审, 复审, 终审.
pub const REVIEWERS: [&str; 3] = ["shili-chushen", "shili-fushen", "shili-zhongshen"];
/// Stage labels in order.
pub const STAGES: [&str; 3] = ["初审", "复审", "终审"];
const KEYS: [&str; 3] = ["first", "second", "final"];

fn dir() -> PathBuf {
    super::fixture("example-keys")
}

/// The example key pairs, opened once.
pub fn keys() -> &'static [KeyPair] {
    static K: OnceLock<Vec<KeyPair>> = OnceLock::new();
    K.get_or_init(|| {
        let pass = std::fs::read_to_string(dir().join("passphrase.txt")).unwrap();
        let pass = pass.lines().next().unwrap().to_string();
        REVIEWERS
            .iter()
            .map(|r| {
                let text = std::fs::read_to_string(dir().join(format!("{r}.key.json"))).unwrap();
                KeyPair::from_key_file(&text, &pass).unwrap()
            })
            .collect()
    })
}

/// `--as REVIEWER --key FILE --passphrase-file FILE` for `gongkai sign` at stage index `i`.
pub fn sign_args(i: usize) -> Vec<String> {
    let d = dir();
    vec![
        "--as".into(),
        REVIEWERS[i].into(),
        "--key".into(),
        d.join(format!("{}.key.json", REVIEWERS[i]))
            .to_string_lossy()
            .into_owned(),
        "--passphrase-file".into(),
        d.join("passphrase.txt").to_string_lossy().into_owned(),
    ]
}

/// The `reviewers.yaml` of the example reviewers (what the default content has).
pub fn reviewers_yaml() -> String {
    std::fs::read_to_string(super::repo().join("content/reviewers.yaml")).unwrap()
}

/// A `review:` block at `indent`, disclosure `disclosure`, signed at the first `stages` stages by
/// the example reviewers on `date` (YYYY-MM-DD), over content fingerprint `content` of item
/// (`kind`, `id`).
#[allow(clippy::too_many_arguments)]
pub fn review_block(
    indent: usize,
    kind: &str,
    id: &str,
    content: &str,
    disclosure: &str,
    date: &str,
    stages: usize,
) -> String {
    use gongkai::review::{Stage, edit};
    let d = gongkai::model::parse_date(date).unwrap();
    let mut block = edit::Block::new(disclosure);
    for (i, stage) in Stage::ALL.into_iter().enumerate().take(stages) {
        let signature = keys()[i].sign(
            &StagePayload {
                kind,
                id,
                content,
                disclosure,
                stage: KEYS[i],
                date: d,
                reviewer: REVIEWERS[i],
                reason: None,
            }
            .text(),
        );
        block.stages.push(edit::SignedStage {
            stage,
            reviewer: REVIEWERS[i].into(),
            date: date.into(),
            fingerprint: content.into(),
            signature,
        });
    }
    let mut out = block.render(indent).join("\n");
    out.push('\n');
    out
}

/// The fingerprint `gongkai sign` would sign for a plain progress record (no evidence) with
/// these values, as the site reads them.
pub fn record_fingerprint(
    id: &str,
    task: &str,
    unit: &str,
    date: &str,
    status: gongkai::model::ProgressStatus,
    summary: &str,
    disclosure: &str,
) -> String {
    use gongkai::loc::Located;
    let entry = gongkai::model::ProgressEntry {
        id: Located::new(id.into()),
        task: Located::new(task.into()),
        unit: Located::new(unit.into()),
        date: Located::new(gongkai::model::Date(
            gongkai::model::parse_date(date).unwrap(),
        )),
        status: Located::new(status),
        summary: Located::new(summary.into()),
        evidence: vec![],
        review: Some(Box::new(gongkai::model::Review {
            disclosure: Located::new(disclosure.into()),
            withheld_reason: None,
            first: None,
            second: None,
            final_: None,
            history: Vec::new(),
        })),
    };
    gongkai::review::record_fingerprint(&entry)
}
