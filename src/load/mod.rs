//! Load: walk `content/`, decode every file (UTF-8, BOM and CRLF tolerated), parse YAML and
//! Markdown front matter into the typed model, and turn every parse error into a located,
//! Chinese [`Diagnostic`]. Loading never stops at the first bad file: it collects, then the
//! caller decides.
//!
//! Only real files inside the site are opened, within a size limit (`fs`); control
//! characters in a file, written as is or through an escape, stop it (`control`).

mod control;
mod fs;
mod plan;
mod yaml_error;

pub use fs::DEFAULT_MAX_FILE_SIZE_MB;

use crate::deadline;
use crate::diag::{Diagnostic, Report};
use crate::model::{
    FORMAT_VERSION, PageFrontMatter, PilotsFile, PlanFile, ProgressFile, SiteFile, TasksFile,
    UnitsFile,
};
use crate::site::{Category, Page, Plan, Record, Site, Subcategory, Task};
use fs::{Class, Guard, Refused, Want};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::any::Any;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::{Arc, Mutex};

/// An environment problem (exit status 2): the site folder itself is unusable.
#[derive(Debug)]
pub struct EnvError(pub String);

impl std::fmt::Display for EnvError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EnvError {}

/// Result of loading: the site if every required file parsed, plus all findings so far.
pub struct Loaded {
    /// The site, when `site.yaml` and `units.yaml` parsed (other files may have failed).
    pub site: Option<Site>,
    /// Findings with the source texts.
    pub report: Report,
    /// Whether every file parsed (the site is only built then).
    pub complete: bool,
    /// The values written in the parts of files that could not be read: a reference to one of
    /// them is not reported as unknown (the mistake that hid it is).
    pub unread: BTreeSet<String>,
}

/// Parsed YAML files kept between loads of the same site (the preview keeps one across
/// rebuilds): a file whose text has not changed is not parsed again.
#[derive(Default)]
pub struct ParseCache {
    /// Relative path → the text that was parsed and what it parsed into.
    files: Mutex<HashMap<String, Cached>>,
}

/// One parsed file: its text and its value (of the file's own type).
type Cached = (String, Arc<dyn Any + Send + Sync>);

impl ParseCache {
    fn get<T: Clone + 'static>(&self, rel: &str, text: &str) -> Option<T> {
        let files = self.files.lock().ok()?;
        let (t, v) = files.get(rel)?;
        if t != text {
            return None;
        }
        v.downcast_ref::<T>().cloned()
    }

    fn put<T: Clone + Send + Sync + 'static>(&self, rel: &str, text: &str, value: &T) {
        if let Ok(mut files) = self.files.lock() {
            files.insert(rel.to_string(), (text.to_string(), Arc::new(value.clone())));
        }
    }
}

/// Load the site folder at `root` (the folder holding `content/`).
pub fn load(root: &Path) -> Result<Loaded, EnvError> {
    load_with(root, None)
}

/// [`load`], reusing the parsed files of `cache` whose text is unchanged (and filling it).
pub fn load_with(root: &Path, cache: Option<&ParseCache>) -> Result<Loaded, EnvError> {
    let content = root.join("content");
    if !content.is_dir() {
        return Err(EnvError(format!(
            "找不到内容文件夹 {}。请在站点文件夹中运行，或用 --root 指定包含 content/ 的文件夹。",
            content.display()
        )));
    }
    let mut cx = Cx {
        guard: Guard::new(root),
        cache,
        report: Report::default(),
        complete: true,
        unread: BTreeSet::new(),
    };
    let names = cx.list("content");
    // site.yaml is read with the default size limit; the rest with the one it sets.
    let config: Option<SiteFile> = cx.fixed_yaml("content", &names, "site.yaml", true);
    if let Some(limit) = config.as_ref().and_then(|c| c.max_file_size_mb.as_ref()) {
        if limit.value == 0 {
            cx.report.push(
                Diagnostic::error(
                    "content/site.yaml",
                    limit.line,
                    limit.col,
                    "max_file_size_mb 应为不小于 1 的整数（单位 MiB）",
                )
                .hint(format!("不写时默认 {DEFAULT_MAX_FILE_SIZE_MB}")),
            );
        } else {
            cx.guard.set_limit_mb(limit.value);
        }
    }
    let mut units: Option<UnitsFile> = cx.fixed_yaml("content", &names, "units.yaml", true);
    if units.is_none() && cx.report.sources.contains_key("content/units.yaml") {
        // A units.yaml with a mistake does not hide the other files' mistakes: they are checked
        // without it, names written in it not reported as unknown. (One that could not even be
        // decoded has no names to go by: the checks wait for it.)
        units = parse_yaml::<UnitsFile>(&format!("format_version: {FORMAT_VERSION}\n")).ok();
    }
    cx.near_misses(
        "content",
        &names,
        Want::Yaml,
        Some(&[
            "site.yaml",
            "units.yaml",
            "allowlist.yaml",
            "reviewers.yaml",
        ]),
    );

    let mut plans = Vec::new();
    match cx.guard.is_dir("content/plans") {
        Ok(true) => {
            for id in cx.list("content/plans") {
                match cx.guard.is_dir(&format!("content/plans/{id}")) {
                    Ok(true) => {
                        if let Some(plan) = cx.plan(&id) {
                            plans.push(plan);
                        }
                    }
                    Ok(false) => {}
                    Err(d) => cx.refuse(d),
                }
            }
        }
        Ok(false) => {
            cx.report.push(
                Diagnostic::error("content/plans", 0, 0, "找不到计划文件夹 content/plans/")
                    .hint("每份工作要点放在 content/plans/<编号>/ 中，内有 plan.yaml 和 tasks/"),
            );
            cx.complete = false;
        }
        Err(d) => cx.refuse(d),
    }
    plans.sort_by(|a, b| {
        b.meta
            .year
            .value
            .cmp(&a.meta.year.value)
            .then(a.id.cmp(&b.id))
    });

    let mut pages = Vec::new();
    for rel in cx.files("content/pages", Want::Markdown, false) {
        if let Some(page) = cx.page(&rel) {
            pages.push(page);
        }
    }
    pages.sort_by(|a, b| a.front.order.cmp(&b.front.order).then(a.slug.cmp(&b.slug)));

    let allow = cx
        .fixed_yaml::<crate::privacy::AllowFile>("content", &names, "allowlist.yaml", false)
        .map(|a| a.allow)
        .unwrap_or_default();

    let reviewers = cx
        .fixed_yaml::<crate::model::ReviewersFile>("content", &names, "reviewers.yaml", false)
        .map(|r| r.reviewers)
        .unwrap_or_default();

    let site = match (config, units) {
        (Some(config), Some(units)) => Some(Site {
            config,
            units: units.units,
            groups: units.groups,
            plans,
            pages,
            allow,
            reviewers,
        }),
        _ => None,
    };
    Ok(Loaded {
        site,
        report: cx.report,
        complete: cx.complete,
        unread: cx.unread,
    })
}

/// Loading context: what may be read, and the findings.
struct Cx<'c> {
    cache: Option<&'c ParseCache>,
    guard: Guard,
    report: Report,
    complete: bool,
    unread: BTreeSet<String>,
}

/// The values written on a YAML line (`key: value`, `- value`, `key: [a, b]`; quotes
/// removed).
fn written_values(line: &str) -> impl Iterator<Item = String> + '_ {
    let t = line.trim_start().trim_start_matches("- ").trim();
    let v = match t.split_once(':') {
        Some((_, v)) => v.trim(),
        None => t,
    };
    let v = v.split(" #").next().unwrap_or(v).trim();
    v.trim_start_matches('[')
        .trim_end_matches(']')
        .split([',', '，'])
        .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
        .filter(|v| !v.is_empty())
}

/// One file read and parsed off the main thread: its text (kept as a source for reports) and
/// either the value or the findings that stopped it (none for a missing optional file).
struct Parsed<T> {
    text: Option<String>,
    result: Result<T, Vec<Diagnostic>>,
    /// With findings: the records that read (see [`yaml_error::Rest`]) and the lines that
    /// did not.
    partial: Option<T>,
    unread: Vec<String>,
}

/// A file that could not be used: its text if it was read (to quote), and why.
struct Unread {
    text: Option<String>,
    findings: Vec<Diagnostic>,
}

impl<T> From<Unread> for Parsed<T> {
    fn from(u: Unread) -> Self {
        Parsed {
            unread: u
                .text
                .as_deref()
                .map(|t| t.lines().map(str::to_string).collect())
                .unwrap_or_default(),
            text: u.text,
            result: Err(u.findings),
            partial: None,
        }
    }
}

/// Read and decode one file: the text, or why not (no finding for a missing optional file).
/// A file with control characters is refused, its text kept to quote.
fn read_text(guard: &Guard, rel: &str, required: bool) -> Result<String, Unread> {
    let unread = |findings: Vec<Diagnostic>| Unread {
        text: None,
        findings,
    };
    let bytes = match guard.read(rel) {
        Ok(b) => b,
        Err(Refused::Missing) => {
            return Err(unread(
                required
                    .then(|| {
                        Diagnostic::error(rel, 0, 0, "缺少必需的文件")
                            .hint("参照 docs/content-format.md 中的示例新建此文件")
                    })
                    .into_iter()
                    .collect(),
            ));
        }
        Err(Refused::Finding(d)) => return Err(unread(vec![d])),
    };
    let text = match decode(&bytes) {
        Ok(text) if text.trim().is_empty() => {
            return Err(unread(vec![
                Diagnostic::error(rel, 1, 1, "文件是空的")
                    .hint("填写内容（参照 docs/content-format.md），或删除此文件"),
            ]));
        }
        Ok(text) => text,
        Err(mut d) => {
            d.path = rel.to_string();
            return Err(unread(vec![d]));
        }
    };
    let control = control::scan_text(rel, &text);
    if control.is_empty() {
        Ok(text)
    } else {
        Err(Unread {
            text: Some(text),
            findings: control,
        })
    }
}

/// Read and parse several YAML files in parallel.
fn parse_files<T: Yaml>(
    guard: &Guard,
    rels: &[String],
    required: bool,
    cache: Option<&ParseCache>,
) -> Vec<Parsed<T>> {
    rels.par_iter()
        .map(|rel| parse_file::<T>(guard, rel, required, cache))
        .collect()
}

/// What a content file parses into.
trait Yaml: DeserializeOwned + schemars::JsonSchema + Clone + Send + Sync + 'static {}
impl<T: DeserializeOwned + schemars::JsonSchema + Clone + Send + Sync + 'static> Yaml for T {}

/// Read and parse one YAML file (pure: safe to run on any thread).
fn parse_file<T: Yaml>(
    guard: &Guard,
    rel: &str,
    required: bool,
    cache: Option<&ParseCache>,
) -> Parsed<T> {
    let text = match read_text(guard, rel, required) {
        Err(u) => return u.into(),
        Ok(text) => text,
    };
    let mut partial = None;
    let mut unread = Vec::new();
    let result = match cache.and_then(|c| c.get::<T>(rel, &text)) {
        Some(v) => Ok(v),
        None => {
            let result = parse_yaml::<T>(&text).map_err(|e| {
                let mut all = vec![yaml_error::diagnostic::<T>(&e, rel, &text, 0)];
                let rest = yaml_error::more_mistakes::<T>(&e, rel, &text);
                all.extend(rest.found);
                partial = rest.partial;
                unread = rest.unread;
                all
            });
            if let (Some(c), Ok(v)) = (cache, &result) {
                c.put(rel, &text, v);
            }
            result
        }
    };
    // Escapes that write control characters are only visible in the parsed values.
    let result = result.and_then(|v| {
        let control = control::scan_yaml(rel, &text, 0);
        if control.is_empty() {
            Ok(v)
        } else {
            Err(control)
        }
    });
    // Values cut short by “ #” read, but not as written.
    let cut = yaml_error::cut_by_hash(rel, &text);
    let result = match result {
        Ok(v) if !cut.is_empty() => {
            partial = Some(v);
            Err(cut)
        }
        Err(mut e) => {
            e.extend(cut);
            Err(e)
        }
        ok => ok,
    };
    if result.is_err() && partial.is_none() {
        unread = text.lines().map(str::to_string).collect();
    }
    Parsed {
        text: Some(text),
        result,
        partial,
        unread,
    }
}

impl Cx<'_> {
    /// Record what reading `rel` gave: its source text and any finding.
    fn take<T>(&mut self, rel: &str, parsed: Parsed<T>) -> Option<T> {
        if let Some(text) = parsed.text {
            self.report.sources.insert(rel.to_string(), text);
        }
        match parsed.result {
            Ok(v) => Some(v),
            Err(findings) => {
                for d in findings {
                    self.refuse(d);
                }
                self.unread
                    .extend(parsed.unread.iter().flat_map(|l| written_values(l)));
                parsed.partial
            }
        }
    }

    /// Record a finding that leaves the site incomplete.
    fn refuse(&mut self, d: Diagnostic) {
        self.report.push(d);
        self.complete = false;
    }

    /// Read and decode one file; `None` (with a finding) when it is missing, empty, not UTF-8,
    /// not a real file inside the site, too large, or holds control characters.
    fn text(&mut self, rel: &str, required: bool) -> Option<String> {
        match read_text(&self.guard, rel, required) {
            Ok(text) => {
                self.report.sources.insert(rel.to_string(), text.clone());
                Some(text)
            }
            Err(u) => {
                self.take::<()>(rel, u.into());
                None
            }
        }
    }

    /// Read and parse one YAML file.
    fn yaml_file<T: Yaml>(&mut self, rel: &str, required: bool) -> Option<T> {
        let parsed = parse_file::<T>(&self.guard, rel, required, self.cache);
        self.take(rel, parsed)
    }

    /// The names in folder `rel`, sorted; unusable names are reported.
    fn list(&mut self, rel: &str) -> Vec<String> {
        let (names, bad) = fs::list(self.guard.root(), rel);
        for d in bad {
            self.refuse(d);
        }
        names
    }

    /// The files of folder `dir` (relative paths) that hold `want` content, in name order, with
    /// a warning for every near miss. A missing folder is a finding when `required`.
    fn files(&mut self, dir: &str, want: Want, required: bool) -> Vec<String> {
        match self.guard.is_dir(dir) {
            Ok(true) => {}
            Ok(false) => {
                if required {
                    self.refuse(
                        Diagnostic::error(dir, 0, 0, "找不到任务文件夹 tasks/")
                            .hint("每个工作任务大类写一个 tasks/<序号>.yaml"),
                    );
                }
                return Vec::new();
            }
            Err(d) => {
                self.refuse(d);
                return Vec::new();
            }
        }
        let names = self.list(dir);
        self.near_misses(dir, &names, want, None);
        names
            .iter()
            .filter(|n| fs::classify(n, want) == Class::Read)
            .map(|n| format!("{dir}/{n}"))
            .collect()
    }

    /// Warn about the near misses among `names` in folder `dir`. In a folder of fixed names
    /// (`fixed`), only near misses of those names.
    fn near_misses(&mut self, dir: &str, names: &[String], want: Want, fixed: Option<&[&str]>) {
        for name in names {
            let Class::NearMiss(to) = fs::classify(name, want) else {
                continue;
            };
            let to = match fixed {
                None => to,
                Some(fixed) => {
                    let lower = to.to_lowercase();
                    let lower = lower
                        .strip_suffix(".yml")
                        .map_or(lower.clone(), |s| format!("{s}.yaml"));
                    match fixed.iter().find(|f| **f == lower) {
                        Some(f) => (*f).to_string(),
                        None => continue,
                    }
                }
            };
            self.report
                .push(fs::near_miss(&format!("{dir}/{name}"), &to));
        }
    }

    /// Read and parse the file of fixed name `name` (`site.yaml`, `plan.yaml`, …) in folder
    /// `dir`, whose names are `names`. The same name in another letter case or with `.yml` is
    /// refused with an error naming the right name (other code refers to these files by name).
    fn fixed_yaml<T: Yaml>(
        &mut self,
        dir: &str,
        names: &[String],
        name: &str,
        required: bool,
    ) -> Option<T> {
        let stem = name.trim_end_matches(".yaml");
        let variants: Vec<&String> = names
            .iter()
            .filter(|n| {
                let l = n.to_lowercase();
                *n != name && (l == format!("{stem}.yaml") || l == format!("{stem}.yml"))
            })
            .collect();
        for v in &variants {
            self.refuse(
                Diagnostic::error(
                    &format!("{dir}/{v}"),
                    0,
                    0,
                    format!("文件名应写作“{name}”（小写，扩展名 .yaml），否则不会读取"),
                )
                .hint(format!("把这个文件改名为 {name}")),
            );
        }
        let rel = format!("{dir}/{name}");
        if names.iter().any(|n| n == name) || variants.is_empty() {
            self.yaml_file(&rel, required)
        } else {
            None
        }
    }

    /// Record the results of [`parse_files`] in the order of `rels`, so that sources and
    /// findings do not depend on thread timing.
    fn take_all<T>(&mut self, rels: &[String], parsed: Vec<Parsed<T>>) -> Vec<Option<T>> {
        parsed
            .into_iter()
            .zip(rels)
            .map(|(p, rel)| self.take(rel, p))
            .collect()
    }
}

/// Parse YAML text with limits fit for large plans.
pub fn parse_yaml<T: DeserializeOwned>(text: &str) -> Result<T, serde_saphyr::Error> {
    let mut budget = serde_saphyr::budget::Budget::default();
    budget.max_events = 50_000_000;
    budget.max_nodes = 20_000_000;
    let options = serde_saphyr::options! { budget: Some(budget) };
    serde_saphyr::from_str_with_options(text, options)
}

/// Split `---\nYAML\n---\nbody`; returns (yaml, body, 1-based line of the body).
pub fn split_front_matter(text: &str) -> Option<(&str, &str, u32)> {
    let rest = text.strip_prefix("---\n")?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = 2 + u32::try_from(yaml.lines().count()).unwrap_or(0) + 1;
            return Some((yaml, body, body_line));
        }
        offset += line.len();
    }
    None
}

/// Decode file bytes: strip a UTF-8 BOM, normalise CRLF to LF; reject non-UTF-8 with a
/// located message that says whether it looks like GBK and how to convert it.
pub fn decode(bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(if s.contains('\r') {
            s.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            s.to_string()
        }),
        Err(e) => {
            let valid = &bytes[..e.valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line = u32::try_from(valid.matches('\n').count() + 1).unwrap_or(u32::MAX);
            let col = u32::try_from(valid.rsplit('\n').next().unwrap_or("").chars().count() + 1)
                .unwrap_or(u32::MAX);
            let (decoded, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            let looks_gbk = !had_errors
                && decoded
                    .chars()
                    .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            let d = Diagnostic::error("", line, col, "文件不是 UTF-8 编码");
            Err(if looks_gbk {
                d.hint("文件看起来是 GBK（GB18030）编码：用记事本打开它，点“文件 → 另存为”，在“编码”里选 UTF-8 后保存（WPS、VS Code 等编辑器也有同样的选项）")
            } else {
                d.hint("请把文件另存为 UTF-8 编码")
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_handles_bom_crlf_and_gbk() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFa: 1\r\nb: 2\r\n").unwrap(),
            "a: 1\nb: 2\n"
        );
        let (gbk, _, _) = encoding_rs::GBK.encode("title: 万源市\n");
        let d = decode(&gbk).unwrap_err();
        assert_eq!((d.line, d.col), (1, 8));
        assert!(d.hint.unwrap().contains("GBK"));
        let d = decode(b"a: 1\nb: \xff\xff\xff\xff").unwrap_err();
        assert_eq!((d.line, d.col), (2, 4));
        assert_eq!(d.hint.as_deref(), Some("请把文件另存为 UTF-8 编码"));
    }

    #[test]
    fn front_matter_split() {
        let (fm, body, line) = split_front_matter("---\ntitle: 关于\n---\n正文\n").unwrap();
        assert_eq!((fm, body, line), ("title: 关于\n", "正文\n", 4));
        assert!(split_front_matter("正文").is_none());
    }
}
