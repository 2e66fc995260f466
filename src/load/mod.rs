//! Load: walk `content/`, decode every file (UTF-8, BOM and CRLF tolerated), parse YAML and
//! Markdown front matter into the typed model, and turn every parse error into a located,
//! Chinese [`Diagnostic`]. Loading never stops at the first bad file: it collects, then the
//! caller decides.

mod yaml_error;

use crate::deadline;
use crate::diag::{Diagnostic, Report};
use crate::model::{
    PageFrontMatter, PilotsFile, PlanFile, ProgressFile, SiteFile, TasksFile, UnitsFile,
};
use crate::site::{Category, Page, Plan, Record, Site, Subcategory, Task};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::any::Any;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
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
    /// Whether every file parsed (cross-reference checks are only trusted then).
    pub complete: bool,
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
        root: root.to_path_buf(),
        cache,
        report: Report::default(),
        complete: true,
    };
    let config: Option<SiteFile> = cx.yaml_file("content/site.yaml", true);
    let units: Option<UnitsFile> = cx.yaml_file("content/units.yaml", true);

    let mut plans = Vec::new();
    let plans_dir = content.join("plans");
    if plans_dir.is_dir() {
        for dir in sorted_entries(&plans_dir, |p| p.is_dir()) {
            let id = file_name(&dir);
            if let Some(plan) = cx.plan(&id) {
                plans.push(plan);
            }
        }
    } else {
        cx.report.push(
            Diagnostic::error("content/plans", 0, 0, "找不到计划文件夹 content/plans/")
                .hint("每份工作要点放在 content/plans/<编号>/ 中，内有 plan.yaml 和 tasks/"),
        );
        cx.complete = false;
    }
    plans.sort_by(|a, b| {
        b.meta
            .year
            .value
            .cmp(&a.meta.year.value)
            .then(a.id.cmp(&b.id))
    });

    let mut pages = Vec::new();
    let pages_dir = content.join("pages");
    if pages_dir.is_dir() {
        for file in sorted_entries(&pages_dir, |p| {
            p.is_file() && p.extension().is_some_and(|e| e == "md")
        }) {
            let rel = format!("content/pages/{}", file_name(&file));
            if let Some(page) = cx.page(&rel) {
                pages.push(page);
            }
        }
    }
    pages.sort_by(|a, b| a.front.order.cmp(&b.front.order).then(a.slug.cmp(&b.slug)));

    let allow = if content.join("allowlist.yaml").is_file() {
        cx.yaml_file::<crate::privacy::AllowFile>("content/allowlist.yaml", false)
            .map(|a| a.allow)
            .unwrap_or_default()
    } else {
        Vec::new()
    };

    let site = match (config, units) {
        (Some(config), Some(units)) => Some(Site {
            config,
            units: units.units,
            groups: units.groups,
            plans,
            pages,
            allow,
        }),
        _ => None,
    };
    Ok(Loaded {
        site,
        report: cx.report,
        complete: cx.complete,
    })
}

/// Loading context: the root and the findings.
struct Cx<'c> {
    cache: Option<&'c ParseCache>,
    root: PathBuf,
    report: Report,
    complete: bool,
}

/// One file read and parsed off the main thread: its text (kept as a source for reports) and
/// either the value or the finding that stopped it.
struct Parsed<T> {
    text: Option<String>,
    result: Result<T, Option<Diagnostic>>,
}

/// Read and decode one file: the text, or the finding (`None` for a missing optional file).
fn read_text(root: &Path, rel: &str, required: bool) -> Result<String, Option<Diagnostic>> {
    let bytes = match std::fs::read(root.join(rel)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(required.then(|| {
                Diagnostic::error(rel, 0, 0, "缺少必需的文件")
                    .hint("参照 docs/content-format.md 中的示例新建此文件")
            }));
        }
        Err(e) => {
            return Err(Some(Diagnostic::error(
                rel,
                0,
                0,
                format!("无法读取文件：{e}"),
            )));
        }
    };
    match decode(&bytes) {
        Ok(text) if text.trim().is_empty() => Err(Some(
            Diagnostic::error(rel, 1, 1, "文件是空的")
                .hint("填写内容（参照 docs/content-format.md），或删除此文件"),
        )),
        Ok(text) => Ok(text),
        Err(mut d) => {
            d.path = rel.to_string();
            Err(Some(d))
        }
    }
}

/// Read and parse several YAML files in parallel.
fn parse_files<T: Yaml>(
    root: &Path,
    rels: &[String],
    required: bool,
    cache: Option<&ParseCache>,
) -> Vec<Parsed<T>> {
    rels.par_iter()
        .map(|rel| parse_file::<T>(root, rel, required, cache))
        .collect()
}

/// What a content file parses into.
trait Yaml: DeserializeOwned + schemars::JsonSchema + Clone + Send + Sync + 'static {}
impl<T: DeserializeOwned + schemars::JsonSchema + Clone + Send + Sync + 'static> Yaml for T {}

/// Read and parse one YAML file (pure: safe to run on any thread).
fn parse_file<T: Yaml>(
    root: &Path,
    rel: &str,
    required: bool,
    cache: Option<&ParseCache>,
) -> Parsed<T> {
    match read_text(root, rel, required) {
        Err(d) => Parsed {
            text: None,
            result: Err(d),
        },
        Ok(text) => {
            if let Some(v) = cache.and_then(|c| c.get::<T>(rel, &text)) {
                return Parsed {
                    text: Some(text),
                    result: Ok(v),
                };
            }
            let result = parse_yaml::<T>(&text)
                .map_err(|e| Some(yaml_error::diagnostic::<T>(&e, rel, &text, 0)));
            if let (Some(c), Ok(v)) = (cache, &result) {
                c.put(rel, &text, v);
            }
            Parsed {
                text: Some(text),
                result,
            }
        }
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
            Err(d) => {
                if let Some(d) = d {
                    self.report.push(d);
                    self.complete = false;
                }
                None
            }
        }
    }

    /// Read and decode one file; `None` (with a finding) when it is missing, empty or not UTF-8.
    fn text(&mut self, rel: &str, required: bool) -> Option<String> {
        let parsed = Parsed {
            text: None,
            result: read_text(&self.root, rel, required),
        };
        let text = self.take(rel, parsed)?;
        self.report.sources.insert(rel.to_string(), text.clone());
        Some(text)
    }

    /// Read and parse one YAML file.
    fn yaml_file<T: Yaml>(&mut self, rel: &str, required: bool) -> Option<T> {
        let parsed = parse_file::<T>(&self.root, rel, required, self.cache);
        self.take(rel, parsed)
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

    /// Load `content/plans/<id>/`.
    fn plan(&mut self, id: &str) -> Option<Plan> {
        let base = format!("content/plans/{id}");
        let path = format!("{base}/plan.yaml");
        let meta: PlanFile = self.yaml_file(&path, true)?;
        let year = meta.year.value;

        let mut categories: Vec<Category> = Vec::new();
        let tasks_dir = self.root.join(&base).join("tasks");
        let task_files = if tasks_dir.is_dir() {
            sorted_entries(&tasks_dir, is_yaml)
        } else {
            self.report.push(
                Diagnostic::error(&format!("{base}/tasks"), 0, 0, "找不到任务文件夹 tasks/")
                    .hint("每个工作任务大类写一个 tasks/<序号>.yaml"),
            );
            self.complete = false;
            Vec::new()
        };
        let task_rels: Vec<String> = task_files
            .iter()
            .map(|f| format!("{base}/tasks/{}", file_name(f)))
            .collect();
        let progress_dir = self.root.join(&base).join("progress");
        let progress_rels: Vec<String> = if progress_dir.is_dir() {
            sorted_entries(&progress_dir, is_yaml)
                .iter()
                .map(|f| format!("{base}/progress/{}", file_name(f)))
                .collect()
        } else {
            Vec::new()
        };
        // Task and progress files are parsed together, in parallel.
        let root = self.root.as_path();
        let (task_files, progress_files) = rayon::join(
            || parse_files::<TasksFile>(root, &task_rels, true, self.cache),
            || parse_files::<ProgressFile>(root, &progress_rels, true, self.cache),
        );
        let task_files = self.take_all(&task_rels, task_files);
        let progress_files = self.take_all(&progress_rels, progress_files);
        for (tf, rel) in task_files.into_iter().zip(&task_rels) {
            let Some(tf) = tf else {
                continue;
            };
            let number = tf.category.number.value;
            let idx = match categories.iter().position(|c| c.number == number) {
                Some(i) => {
                    if categories[i].title != tf.category.title.value {
                        let t = &tf.category.title;
                        self.report.push(
                            Diagnostic::error(
                                rel,
                                t.line,
                                t.col,
                                format!(
                                    "序号 {number} 的工作任务在别的文件中叫“{}”，这里却叫“{}”",
                                    categories[i].title, t.value
                                ),
                            )
                            .width(t.value.chars().count())
                            .hint("同一序号的大类名称须一致；跨页重复的大类请照抄同一名称"),
                        );
                    }
                    i
                }
                None => {
                    categories.push(Category {
                        number,
                        title: tf.category.title.value.clone(),
                        subcategories: Vec::new(),
                    });
                    categories.len() - 1
                }
            };
            let cat = &mut categories[idx];
            for sub in tf.subcategories {
                let snum = u32::try_from(cat.subcategories.len() + 1).unwrap_or(u32::MAX);
                let tasks = sub
                    .tasks
                    .into_iter()
                    .map(|entry| {
                        let deadline = match (&entry.deadline_date, &entry.deadline) {
                            (Some(d), _) => deadline::DeadlineKind::Date(d.value.0),
                            (None, Some(t)) => deadline::interpret(&t.value, year),
                            (None, None) => deadline::DeadlineKind::None,
                        };
                        Task {
                            entry,
                            path: rel.clone(),
                            category: number,
                            subcategory: snum,
                            deadline,
                        }
                    })
                    .collect();
                cat.subcategories.push(Subcategory {
                    number: snum,
                    title: sub.title,
                    tasks,
                });
            }
        }
        categories.sort_by_key(|c| c.number);

        let pilots_rel = format!("{base}/pilots.yaml");
        let pilots_exists = self.root.join(&pilots_rel).is_file();
        let pilots = if pilots_exists {
            self.yaml_file::<PilotsFile>(&pilots_rel, false)
                .map(|p| p.batches)
                .unwrap_or_default()
        } else {
            Vec::new()
        };

        let mut records = Vec::new();
        for (pf, rel) in progress_files.into_iter().zip(&progress_rels) {
            if let Some(pf) = pf {
                records.extend(pf.records.into_iter().map(|entry| Record {
                    entry,
                    path: rel.clone(),
                }));
            }
        }

        Some(Plan {
            id: id.to_string(),
            path,
            meta,
            categories,
            pilots,
            pilots_path: pilots_exists.then_some(pilots_rel),
            records,
        })
    }

    /// Load one Markdown page with YAML front matter between `---` lines.
    fn page(&mut self, rel: &str) -> Option<Page> {
        let text = self.text(rel, true)?;
        let slug = rel
            .rsplit('/')
            .next()
            .unwrap_or(rel)
            .trim_end_matches(".md")
            .to_string();
        let Some((front, body, body_line)) = split_front_matter(&text) else {
            self.report.push(
                Diagnostic::error(rel, 1, 1, "页面缺少开头的前置信息（两行 --- 之间的 YAML）")
                    .hint("在文件开头写：---、title: 页面标题、--- 三行，再写正文"),
            );
            self.complete = false;
            return None;
        };
        match parse_yaml::<PageFrontMatter>(front) {
            Ok(fm) => Some(Page {
                slug,
                path: rel.to_string(),
                front: fm,
                body: body.to_string(),
                body_line,
            }),
            Err(e) => {
                // The front matter starts on line 2 of the file.
                self.report
                    .push(yaml_error::diagnostic::<PageFrontMatter>(&e, rel, &text, 1));
                self.complete = false;
                None
            }
        }
    }
}

fn is_yaml(p: &Path) -> bool {
    p.is_file() && p.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Entries of `dir` matching `keep`, sorted by name (deterministic on every file system).
fn sorted_entries(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| !file_name(p).starts_with('.') && keep(p))
        .collect();
    v.sort();
    v
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
                d.hint("文件看起来是 GBK（GB18030）编码。请在编辑器中“另存为 UTF-8”，或运行：iconv -f GB18030 -t UTF-8 原文件 > 新文件")
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
