//! The publication register (发布登记): one JSON line per publishing build, in a file beside the
//! output folder (never inside it): when, as of which date, every item on the built site with
//! what it is and who signed each stage when, the items taken off since the previous
//! publication with the reason, and the items held back with theirs.
//!
//! Items are named by plan and record id (`2023#sifa-2-1-2`) or page slug (`page:about`), not by
//! file, so moving a record to another file is not a withdrawal. An item counts as published
//! only when the built site shows it: a signed record dated after the as-of date is held back.
//!
//! Every line carries the number of items and a digest of the published list. When a build
//! publishes exactly the list of the previous build (the everyday rebuild), its line says
//! `"unchanged": true` with that digest instead of repeating the list, so the register grows by
//! a short line, not by the whole list, and only the end of the file is read. Lines of format 1
//! (items named by file) are read with their names translated.

use crate::review::{Stage, State, Verdict, Verdicts};
use crate::site::Site;
use crate::vocab::Disclosure;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

/// The register file for output folder `out`: `<out>.publication-register.jsonl` beside it.
pub fn path_for(out: &Path) -> PathBuf {
    super::write::beside(out, |name| format!("{name}.publication-register.jsonl"))
}

/// The register name of a record.
pub fn record_key(plan: &str, id: &str) -> String {
    format!("{plan}#{id}")
}

/// The register name of a page.
pub fn page_key(slug: &str) -> String {
    format!("page:{slug}")
}

/// The file a format-1 item name (`content/plans/2023/progress/a.yaml#id`) points into.
fn legacy_path(item: &str) -> String {
    item.split('#').next().unwrap_or("").to_string()
}

/// The name a format-1 line gave (`content/plans/2023/progress/x.yaml#id`,
/// `content/pages/about.md`) in today's form.
fn legacy_key(item: &str) -> String {
    if let Some((path, id)) = item.split_once('#')
        && let Some(rest) = path.split("plans/").nth(1)
        && let Some(plan) = rest.split('/').next()
    {
        return record_key(plan, id);
    }
    if item.ends_with(".md") && !item.contains('#') {
        let slug = item
            .rsplit('/')
            .next()
            .unwrap_or(item)
            .trim_end_matches(".md");
        return page_key(slug);
    }
    item.to_string()
}

/// A stage as the register records it.
#[derive(Serialize, Deserialize, PartialEq, Eq, Debug, Clone)]
pub struct StageEntry {
    /// 初审 / 复审 / 终审.
    pub stage: String,
    /// Reviewer id.
    pub reviewer: String,
    /// Date.
    pub date: String,
}

/// One published item.
#[derive(Serialize, Deserialize, PartialEq, Eq, Debug, Clone)]
pub struct Entry {
    /// `plan#id` or `page:slug`.
    pub item: String,
    /// The file it is in now.
    #[serde(default)]
    pub path: String,
    /// Reporting unit (records).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// Task number (records).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub task: String,
    /// The first 60 characters of the summary, or the page title.
    #[serde(default)]
    pub text: String,
    /// Every stage's reviewer and date.
    #[serde(default)]
    pub stages: Vec<StageEntry>,
    /// Content fingerprint signed at 终审.
    pub fingerprint: Option<String>,
}

/// An item taken off the site, or held back, and why.
#[derive(Serialize, Deserialize, PartialEq, Eq, Debug, Clone)]
pub struct Off {
    /// `plan#id` or `page:slug`.
    pub item: String,
    /// The file it is (or was) in.
    pub path: String,
    /// Why.
    pub reason: String,
}

/// What a build publishes, held back and takes off, computed before it publishes.
#[derive(Debug, Clone, Default)]
pub struct Publication {
    /// On the built site.
    pub published: Vec<Entry>,
    /// Not on it, with the reason.
    pub held: Vec<Off>,
    /// On the site of the last publication, not on this one, with the reason.
    pub withdrawn: Vec<Off>,
}

/// A register line as written.
#[derive(Serialize)]
struct Line<'a> {
    format: u32,
    event: &'static str,
    id: &'a str,
    time: String,
    as_of: String,
    output: String,
    count: usize,
    digest: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a [Entry]>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    unchanged: bool,
    withdrawn: &'a [Off],
    held: &'a [Off],
}

/// A register line's event and digest, its lists skipped unread.
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    event: Option<String>,
    digest: Option<String>,
}

/// A register line as read back (any format).
#[derive(Deserialize)]
struct Earlier {
    #[serde(default)]
    format: Option<u32>,
    /// `prepared` (before the swap), `committed` (after; lines of format 1 have none),
    /// `recovered` / `aborted` (what a later build found live after an interrupted one).
    #[serde(default)]
    event: Option<String>,
    /// The publication's id (its output's marker carries it).
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    time: String,
    #[serde(default)]
    as_of: String,
    digest: Option<String>,
    #[serde(default)]
    count: usize,
    published: Option<Vec<EarlierEntry>>,
    #[serde(default)]
    unchanged: bool,
    #[serde(default)]
    withdrawn: Vec<EarlierOff>,
    #[serde(default)]
    held: Vec<Off>,
    /// A `prepared` of an incremental build, which replaces files in place.
    #[serde(default)]
    in_place: bool,
}

/// An item of a line of any format (format 1 had `final_by` / `final_date` only).
#[derive(Deserialize)]
struct EarlierEntry {
    item: String,
    #[serde(default)]
    path: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    task: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    stages: Vec<StageEntry>,
    #[serde(default)]
    final_by: Option<String>,
    #[serde(default)]
    final_date: Option<String>,
    #[serde(default)]
    fingerprint: Option<String>,
}

impl EarlierEntry {
    fn upgrade(self, format: u32) -> Entry {
        if format >= 2 {
            return Entry {
                item: self.item,
                path: self.path,
                unit: self.unit,
                task: self.task,
                text: self.text,
                stages: self.stages,
                fingerprint: self.fingerprint,
            };
        }
        Entry {
            item: legacy_key(&self.item),
            path: legacy_path(&self.item),
            unit: String::new(),
            task: String::new(),
            text: String::new(),
            stages: match (self.final_by, self.final_date) {
                (Some(r), Some(d)) => vec![StageEntry {
                    stage: Stage::Final.label().into(),
                    reviewer: r,
                    date: d,
                }],
                _ => Vec::new(),
            },
            fingerprint: self.fingerprint,
        }
    }
}

/// A withdrawal of any format (format 1 wrote the name only).
#[derive(Deserialize)]
#[serde(untagged)]
enum EarlierOff {
    Name(String),
    Off(Off),
}

impl EarlierOff {
    fn upgrade(self) -> Off {
        match self {
            EarlierOff::Name(n) => Off {
                item: legacy_key(&n),
                path: legacy_path(&n),
                reason: String::new(),
            },
            EarlierOff::Off(o) => o,
        }
    }
}

/// Call `f` on the register's lines from the last backwards until it returns `true`. The file
/// is searched for line breaks from its end in blocks, and each line is then read in one go
/// (the register grows with every build, and a line can hold a list of many thousand items).
fn lines_from_end(path: &Path, mut f: impl FnMut(&str) -> bool) -> std::io::Result<()> {
    const BLOCK: u64 = 64 * 1024;
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let len = file.seek(SeekFrom::End(0))?;
    // Hand the bytes `start..end` to `f` as a line; `Ok(true)` stops.
    let mut line = |file: &mut std::fs::File, start: u64, end: u64| -> std::io::Result<bool> {
        if end <= start {
            return Ok(false);
        }
        file.seek(SeekFrom::Start(start))?;
        let mut buf = vec![0; usize::try_from(end - start).unwrap_or(0)];
        file.read_exact(&mut buf)?;
        let text = String::from_utf8_lossy(&buf);
        Ok(!text.trim().is_empty() && f(text.trim_end()))
    };
    let mut line_end = len;
    let mut pos = len;
    let mut block = Vec::new();
    while pos > 0 {
        let n = BLOCK.min(pos);
        pos -= n;
        file.seek(SeekFrom::Start(pos))?;
        block.resize(usize::try_from(n).unwrap_or(0), 0);
        file.read_exact(&mut block)?;
        let mut k = block.len();
        while let Some(nl) = memchr::memrchr(b'\n', &block[..k]) {
            let at = pos + nl as u64;
            if line(&mut file, at + 1, line_end)? {
                return Ok(());
            }
            line_end = at;
            k = nl;
        }
    }
    line(&mut file, 0, line_end)?;
    Ok(())
}

/// The items (`plan#id`, `page:slug`) of the last publication on record for output `out`, or
/// `None` when nothing was published yet.
pub fn last_published(reg: &Path) -> std::io::Result<Option<Vec<String>>> {
    Ok(last_list(reg)?.map(|l| l.into_iter().map(|e| e.item).collect()))
}

/// The items and paths of the last full list of the register at `path` (the rest of each
/// entry is skipped unread: the list of a large site is hundreds of megabytes of JSON).
fn last_list(path: &Path) -> std::io::Result<Option<Vec<Listed>>> {
    /// A line's list, item and path only.
    #[derive(Deserialize)]
    struct Lean {
        #[serde(default)]
        format: Option<u32>,
        published: Option<Vec<Listed>>,
    }
    let mut found = None;
    lines_from_end(path, |line| match serde_json::from_str::<Lean>(line) {
        Ok(Lean {
            published: Some(items),
            format,
        }) => {
            let legacy = format.unwrap_or(1) < 2;
            found = Some(
                items
                    .into_iter()
                    .map(|i| if legacy { i.upgrade() } else { i })
                    .collect(),
            );
            true
        }
        _ => false,
    })?;
    Ok(found)
}

/// An item of a published list and the file it is in.
#[derive(Deserialize)]
struct Listed {
    item: String,
    #[serde(default)]
    path: String,
}

impl Listed {
    /// Format 1 named items by file path (`content/plans/2023/progress/a.yaml#id`).
    fn upgrade(self) -> Listed {
        Listed {
            path: legacy_path(&self.item),
            item: legacy_key(&self.item),
        }
    }
}

fn first_chars(s: &str, n: usize) -> String {
    let t: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out: String = t.chars().take(n).collect();
    if t.chars().count() > n {
        out.push('…');
    }
    out
}

fn stages_of(r: Option<&crate::model::Review>) -> Vec<StageEntry> {
    let Some(r) = r else { return Vec::new() };
    Stage::ALL
        .into_iter()
        .filter_map(|s| {
            let st = s.of(r)?;
            Some(StageEntry {
                stage: s.label().into(),
                reviewer: st.reviewer.as_ref()?.value.clone(),
                date: st.date.value.to_string(),
            })
        })
        .collect()
}

/// Why an item that is not published is not (for the held-back list and for withdrawals).
fn why_not(site: &Site, v: &Verdict, review: Option<&crate::model::Review>) -> String {
    if let Some(r) = review
        && v.state == State::AwaitFirst
        && let Some(a) = r.history.last()
    {
        let what = match a.action.value.as_str() {
            "withdraw" => Some("撤回"),
            "return" => Some("退回"),
            _ => None,
        };
        if let Some(what) = what {
            return format!(
                "{what}：{}（{}，{}）",
                a.reason.value, a.reviewer.value, a.date.value
            );
        }
    }
    if v.changed_after.is_some() {
        return "终审后内容有改动".into();
    }
    if v.state == State::Signed
        && let Some(d) = v.disclosure.filter(|d| *d != Disclosure::Proactive)
    {
        return format!("公开属性为{}", d.label());
    }
    if let Some(r) = review {
        let revoked: Vec<&str> = Stage::ALL
            .into_iter()
            .filter_map(|s| s.of(r)?.reviewer.as_ref())
            .filter(|who| {
                site.reviewers
                    .iter()
                    .any(|x| x.id.value == who.value && x.revoked.is_some())
            })
            .map(|w| w.value.as_str())
            .collect();
        if !revoked.is_empty() {
            return format!("审核人密钥已停用（{}）", revoked.join("、"));
        }
    }
    v.held_reason().unwrap_or_else(|| "未通过三审".into())
}

/// What a build of `site` (all items, with their `verdicts`) as of `as_of` publishes, holds
/// back, and — against the last publication recorded in the register `reg` — takes off.
pub fn publication(
    reg: &Path,
    site: &Site,
    verdicts: &Verdicts,
    as_of: chrono::NaiveDate,
) -> std::io::Result<Publication> {
    let mut p = Publication::default();
    let mut reasons: HashMap<String, (String, String)> = HashMap::new();
    let detector = crate::check::detector(site);
    for (pi, plan) in site.plans.iter().enumerate() {
        for (ri, r) in plan.records.iter().enumerate() {
            let e = &r.entry;
            let v = &verdicts.records[pi][ri];
            let item = record_key(&plan.id, &e.id.value);
            let reason = if !v.publishable() {
                Some(why_not(site, v, e.review.as_deref()))
            } else if e.date.value.0 > as_of {
                Some(format!(
                    "日期 {} 晚于数据截至日期 {}，站点上不显示",
                    e.date.value,
                    as_of.format("%Y-%m-%d")
                ))
            } else {
                None
            };
            match reason {
                Some(reason) => {
                    reasons.insert(item.clone(), (r.path.clone(), reason.clone()));
                    p.held.push(Off {
                        item,
                        path: r.path.clone(),
                        reason,
                    });
                }
                None => p.published.push(Entry {
                    item,
                    path: r.path.clone(),
                    unit: e.unit.value.clone(),
                    task: e.task.value.clone(),
                    text: first_chars(&e.summary.value, 60),
                    stages: stages_of(e.review.as_deref()),
                    fingerprint: e
                        .review
                        .as_ref()
                        .and_then(|x| x.final_.as_ref())
                        .and_then(|f| f.fingerprint.as_ref())
                        .map(|f| f.value.clone()),
                }),
            }
        }
    }
    for (i, page) in site.pages.iter().enumerate() {
        let v = &verdicts.pages[i];
        let item = page_key(&page.slug);
        if v.publishable() {
            p.published.push(Entry {
                item,
                path: page.path.clone(),
                unit: String::new(),
                task: String::new(),
                text: first_chars(&page.front.title.value, 60),
                stages: stages_of(page.front.review.as_ref()),
                fingerprint: page
                    .front
                    .review
                    .as_ref()
                    .and_then(|x| x.final_.as_ref())
                    .and_then(|f| f.fingerprint.as_ref())
                    .map(|f| f.value.clone()),
            });
        } else {
            let reason = why_not(site, v, page.front.review.as_ref());
            reasons.insert(item.clone(), (page.path.clone(), reason.clone()));
            p.held.push(Off {
                item,
                path: page.path.clone(),
                reason,
            });
        }
    }
    if let Some(previous) = last_list(reg)? {
        let now: HashSet<&str> = p.published.iter().map(|e| e.item.as_str()).collect();
        for e in previous {
            if now.contains(e.item.as_str()) {
                continue;
            }
            let (path, reason) = reasons
                .get(&e.item)
                .cloned()
                .unwrap_or_else(|| (e.path.clone(), "已从内容中删除".to_string()));
            p.withdrawn.push(Off {
                item: e.item,
                path,
                reason,
            });
        }
    }
    // What is not on the site was never checked for publication: the register (beside the
    // output, perhaps under the web root) names it with any personal data masked.
    for o in p.held.iter_mut().chain(p.withdrawn.iter_mut()) {
        for s in [&mut o.item, &mut o.path, &mut o.reason] {
            *s = masked(&detector, s);
        }
    }
    Ok(p)
}

/// `s` with every finding of `detector` masked.
fn masked(detector: &crate::privacy::Detector, s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for h in detector.scan(s) {
        if h.start < at || h.end > s.len() {
            continue;
        }
        out.push_str(&s[at..h.start]);
        out.push_str(&crate::privacy::mask(&s[h.start..h.end], h.kind));
        at = h.end;
    }
    out.push_str(&s[at..]);
    out
}

/// The digest of the list `p` publishes (what its register line and its output's marker carry).
pub fn digest(p: &Publication) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    /// The JSON text hashed as it is written, never held whole.
    struct Hashing(Sha256);
    impl std::io::Write for Hashing {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.update(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Hashing(Sha256::new());
    let mut w = std::io::BufWriter::new(&mut h);
    serde_json::to_writer(&mut w, &p.published).map_err(std::io::Error::other)?;
    w.flush()?;
    drop(w);
    let hex: String = h.0.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("sha256:{hex}"))
}

fn now() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%Y-%m-%dT%H:%M:%S+08:00")
        .to_string()
}

fn append_line(reg: &Path, line: &impl Serialize) -> std::io::Result<()> {
    // Straight to bytes (a published list as a `serde_json::Value` takes several times the
    // memory of its text).
    let mut text = serde_json::to_vec(line).map_err(std::io::Error::other)?;
    text.push(b'\n');
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(reg)?;
    f.write_all(&text)?;
    f.sync_data()
}

/// Fail unless the register of output `out` can be appended to (checked before a build touches
/// the output: a publication that cannot be recorded does not happen).
pub fn check_writable(reg: &Path) -> std::io::Result<()> {
    let path = reg;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map(drop)
}

/// Record that the publication with `digest` is about to replace the output (the first half of
/// the transaction; [`append`] is the second).
pub fn prepare(
    reg: &Path,
    out: &Path,
    digest: &str,
    id: &str,
    as_of: chrono::NaiveDate,
    in_place: bool,
) -> std::io::Result<()> {
    let mut line = serde_json::json!({
        "format": 2,
        "event": "prepared",
        "id": id,
        "time": now(),
        "as_of": as_of.format("%Y-%m-%d").to_string(),
        "output": out.display().to_string(),
        "digest": digest,
    });
    if in_place {
        // An incremental build replaces files one by one (not the whole folder at once).
        line["in_place"] = serde_json::Value::Bool(true);
    }
    append_line(reg, &line)
}

/// The digest the output folder `out` carries in its marker (the publication that is live).
pub fn live_digest(out: &Path) -> Option<String> {
    let text = std::fs::read_to_string(out.join(super::write::MARKER)).ok()?;
    text.lines().nth(1).map(str::to_string)
}

/// The id of the publication the output folder `out` holds (first line of its marker).
pub fn live_id(out: &Path) -> Option<String> {
    let text = std::fs::read_to_string(out.join(super::write::MARKER)).ok()?;
    let first = text.lines().next()?;
    first
        .strip_prefix("gongkai output folder ")
        .map(str::to_string)
}

/// When the last entry is a `prepared` without its `committed` (a build was killed during the
/// swap), record what is actually live and say so.
pub fn reconcile(reg: &Path, out: &Path) -> std::io::Result<Option<String>> {
    let mut last = None;
    lines_from_end(reg, |line| match serde_json::from_str::<Earlier>(line) {
        Ok(e) => {
            last = Some(e);
            true
        }
        Err(_) => false,
    })?;
    let Some(e) = last.filter(|e| e.event.as_deref() == Some("prepared")) else {
        return Ok(None);
    };
    let live = live_digest(out);
    let (event, msg) = if e.id.is_some() && live_id(out) == e.id {
        (
            "recovered",
            format!(
                "上次发布（{}）在登记完成前中断，但它的新站点已就位；已补记为已发布",
                e.time
            ),
        )
    } else if e.in_place {
        // Files were being replaced one by one: some may already be new. Each is whole, and
        // every one of them passed the gate and the privacy scan; the build cache is gone, so
        // this build renders and swaps in the whole site.
        (
            "aborted",
            format!(
                "上次增量发布（{}）在逐个替换文件时中断，没有登记为已发布：部分文件可能已是新内容（每个文件完整，均已通过三审和隐私检查）；本次生成将重新生成全部文件并整体替换，已登记",
                e.time
            ),
        )
    } else {
        (
            "aborted",
            format!(
                "上次发布（{}）在替换输出时中断，没有生效；站点仍是之前发布的内容，已登记",
                e.time
            ),
        )
    };
    let mut line = serde_json::json!({
        "format": 2,
        "event": event,
        "time": now(),
        "output": out.display().to_string(),
        "prepared_digest": e.digest,
        "live_digest": live,
    });
    if e.in_place && event == "aborted" {
        line["partial"] = serde_json::Value::Bool(true);
    }
    append_line(reg, &line)?;
    Ok(Some(msg))
}

/// Record a rollback of the target with register `reg` from release `from` to `to` (whose
/// marker carries `digest`): the line repeats the published list of the publication that made
/// `to`, so the next publication's withdrawals are counted against what is live.
pub fn record_rollback(
    reg: &Path,
    from: Option<&str>,
    to: &str,
    digest: Option<&str>,
) -> std::io::Result<()> {
    let mut list = None;
    if let Some(d) = digest {
        lines_from_end(reg, |line| match serde_json::from_str::<Earlier>(line) {
            Ok(e) if e.published.is_some() && e.digest.as_deref() == Some(d) => {
                let f = e.format.unwrap_or(1);
                list = e
                    .published
                    .map(|l| l.into_iter().map(|i| i.upgrade(f)).collect::<Vec<_>>());
                true
            }
            _ => false,
        })?;
    }
    append_line(
        reg,
        &serde_json::json!({
            "format": 2,
            "event": "rollback",
            "time": now(),
            "from": from,
            "to": to,
            "digest": digest,
            "count": list.as_ref().map_or(0, Vec::len),
            "published": list,
        }),
    )
}

/// Append publication `p` (as of `as_of`) to the register of output `out`.
pub fn append(
    reg: &Path,
    out: &Path,
    p: &Publication,
    id: &str,
    as_of: chrono::NaiveDate,
) -> std::io::Result<()> {
    let path = reg;
    let digest = digest(p)?;
    // Most rebuilds publish the same list: compare the last publication's digest.
    let mut last_digest = None;
    lines_from_end(path, |line| match serde_json::from_str::<Head>(line) {
        Ok(e)
            if e.event
                .as_deref()
                .is_none_or(|ev| ev == "committed" || ev == "rollback") =>
        {
            last_digest = e.digest;
            true
        }
        _ => false,
    })?;
    let unchanged = last_digest.as_deref() == Some(digest.as_str());
    let line = Line {
        format: 2,
        event: "committed",
        id,
        time: now(),
        as_of: as_of.format("%Y-%m-%d").to_string(),
        output: out.display().to_string(),
        count: p.published.len(),
        digest: &digest,
        published: (!unchanged).then_some(p.published.as_slice()),
        unchanged,
        withdrawn: &p.withdrawn,
        held: &p.held,
    };
    append_line(reg, &line)
}

/// The last line of the register of output `out`, in words: when, as of, how many items,
/// what was taken off and what was held back.
pub fn summary(reg: &Path) -> std::io::Result<String> {
    let mut last = None;
    lines_from_end(reg, |line| match serde_json::from_str::<Earlier>(line) {
        Ok(e) if e.event.as_deref().is_none_or(|ev| ev == "committed") => {
            last = Some(e);
            true
        }
        _ => false,
    })?;
    let Some(e) = last else {
        return Ok("发布登记是空的\n".into());
    };
    let mut s = format!(
        "最近一次发布：{}，数据截至 {}，公开 {} 项{}\n",
        e.time,
        e.as_of,
        e.count,
        if e.unchanged {
            "（与上次相同）"
        } else {
            ""
        }
    );
    let withdrawn: Vec<Off> = e.withdrawn.into_iter().map(EarlierOff::upgrade).collect();
    s.push_str(&format!("撤下 {} 项\n", withdrawn.len()));
    for o in &withdrawn {
        s.push_str(&format!("  {}（{}）：{}\n", o.item, o.path, o.reason));
    }
    s.push_str(&format!("未发布 {} 项\n", e.held.len()));
    for o in &e.held {
        s.push_str(&format!("  {}（{}）：{}\n", o.item, o.path, o.reason));
    }
    Ok(s)
}

/// The register of output `out` as CSV for Excel (UTF-8 with BOM): one row per item published
/// for the first time, taken off, or held back, per build; a rebuild that changed nothing is
/// one row.
pub fn csv(reg: &Path) -> std::io::Result<Vec<u8>> {
    let mut lines = Vec::new();
    let text = match std::fs::read_to_string(reg) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e),
    };
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
        if let Ok(e) = serde_json::from_str::<Earlier>(l) {
            lines.push(e);
        }
    }
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let err = |e: csv::Error| std::io::Error::other(e.to_string());
    w.write_record([
        "生成时间",
        "数据截至",
        "操作",
        "条目",
        "文件",
        "责任单位",
        "任务",
        "内容（前60字）",
        "初审人",
        "初审日期",
        "复审人",
        "复审日期",
        "终审人",
        "终审日期",
        "理由",
        "公开条目数",
    ])
    .map_err(err)?;
    let mut previous: HashSet<String> = HashSet::new();
    for line in lines {
        match line.event.as_deref() {
            Some("prepared") => continue,
            Some(ev @ ("recovered" | "aborted" | "rollback")) => {
                let op = match ev {
                    "recovered" => "中断后补记（新站点已生效）",
                    "aborted" => "中断（未生效）",
                    _ => "回退到之前的发布版本",
                };
                if let Some(list) = line.published {
                    previous = list.into_iter().map(|e| e.item).collect();
                }
                let mut row = vec![line.time.clone(), line.as_of.clone(), op.to_string()];
                row.extend(std::iter::repeat_n(String::new(), 13));
                w.write_record(row).map_err(err)?;
                continue;
            }
            _ => {}
        }
        let f = line.format.unwrap_or(1);
        let count = line.count.to_string();
        let base = |op: &str, e: Option<&Entry>, off: Option<&Off>| -> Vec<String> {
            let mut row = vec![line.time.clone(), line.as_of.clone(), op.to_string()];
            match (e, off) {
                (Some(e), _) => {
                    row.extend([
                        e.item.clone(),
                        e.path.clone(),
                        e.unit.clone(),
                        e.task.clone(),
                        e.text.clone(),
                    ]);
                    for s in Stage::ALL {
                        let st = e.stages.iter().find(|x| x.stage == s.label());
                        row.push(st.map(|x| x.reviewer.clone()).unwrap_or_default());
                        row.push(st.map(|x| x.date.clone()).unwrap_or_default());
                    }
                    row.push(String::new());
                }
                (None, Some(o)) => {
                    row.extend([o.item.clone(), o.path.clone()]);
                    row.extend(std::iter::repeat_n(String::new(), 9));
                    row.push(o.reason.clone());
                }
                (None, None) => row.extend(std::iter::repeat_n(String::new(), 12)),
            }
            row.push(count.clone());
            row
        };
        let mut wrote = false;
        if let Some(list) = line.published {
            let list: Vec<Entry> = list.into_iter().map(|i| i.upgrade(f)).collect();
            for e in list.iter().filter(|e| !previous.contains(&e.item)) {
                w.write_record(base("发布", Some(e), None)).map_err(err)?;
                wrote = true;
            }
            previous = list.into_iter().map(|e| e.item).collect();
        }
        for o in line.withdrawn.into_iter().map(EarlierOff::upgrade) {
            previous.remove(&o.item);
            w.write_record(base("撤下", None, Some(&o))).map_err(err)?;
            wrote = true;
        }
        for o in &line.held {
            w.write_record(base("未发布", None, Some(o))).map_err(err)?;
        }
        if !wrote {
            let op = if line.unchanged {
                "重新生成（公开内容无变化）"
            } else {
                "生成"
            };
            w.write_record(base(op, None, None)).map_err(err)?;
        }
    }
    w.into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::lines_from_end;

    #[test]
    fn lines_are_read_back_from_the_end_across_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        let long = "x".repeat(100_000);
        std::fs::write(&path, format!("first\n{long}\n\nthird\n")).unwrap();
        let mut seen = Vec::new();
        lines_from_end(&path, |l| {
            seen.push(l.len());
            false
        })
        .unwrap();
        assert_eq!(seen, [5, 100_000, 5]);
        let mut first = None;
        lines_from_end(&path, |l| {
            first = Some(l.to_string());
            true
        })
        .unwrap();
        assert_eq!(first.as_deref(), Some("third"));
        lines_from_end(&dir.path().join("missing"), |_| panic!("no lines")).unwrap();
    }
}
