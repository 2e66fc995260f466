//! Loading one plan folder (`plan.yaml`, `tasks/`, `pilots.yaml`, `progress/`) and one
//! Markdown page.

use super::*;

impl Cx<'_> {
    /// Load `content/plans/<id>/`.
    pub(super) fn plan(&mut self, id: &str) -> Option<Plan> {
        let base = format!("content/plans/{id}");
        let path = format!("{base}/plan.yaml");
        let names = self.list(&base);
        self.near_misses(
            &base,
            &names,
            Want::Yaml,
            Some(&["plan.yaml", "pilots.yaml"]),
        );
        let meta: Option<PlanFile> = self.fixed_yaml(&base, &names, "plan.yaml", true);

        let mut categories: Vec<Category> = Vec::new();
        let task_rels = self.files(&format!("{base}/tasks"), Want::Yaml, true);
        let progress_rels = self.files(&format!("{base}/progress"), Want::Yaml, false);
        // Task and progress files are parsed together, in parallel.
        let guard = &self.guard;
        let (task_files, progress_files) = rayon::join(
            || parse_files::<TasksFile>(guard, &task_rels, true, self.cache),
            || parse_files::<ProgressFile>(guard, &progress_rels, true, self.cache),
        );
        let task_files = self.take_all(&task_rels, task_files);
        let progress_files = self.take_all(&progress_rels, progress_files);
        // A broken plan.yaml does not hide the mistakes of the plan's other files: they are
        // checked against a stand-in (the year from the folder name or the broken file); the
        // plan.yaml error itself keeps the site from being built.
        let meta = match meta {
            Some(meta) => meta,
            None if names.iter().any(|n| n == "plan.yaml") => {
                let year = stand_in_year(id, self.report.sources.get(&path));
                self.report.push(
                    Diagnostic::warning(
                        &path,
                        0,
                        0,
                        format!(
                            "plan.yaml 有错误：本计划的任务和进展已先按 {year} 年检查（“年底前”等时限按这一年理解）"
                        ),
                    )
                    .hint("改正 plan.yaml 后再运行 gongkai check"),
                );
                parse_yaml::<PlanFile>(&format!(
                    "format_version: {FORMAT_VERSION}\ntitle: \"{id}\"\nyear: {year}\nissuer: \"{id}\"\nissue_date: 未载明\ndisclosure: 主动公开\n"
                ))
                .ok()?
            }
            None => return None,
        };
        let year = meta.year.value;
        for (tf, rel) in task_files.into_iter().zip(&task_rels) {
            let Some(tf) = tf else {
                continue;
            };
            let number = tf.category.number.value;
            let idx = match categories.iter().position(|c| c.number == number) {
                Some(i) => {
                    if categories[i].title.value != tf.category.title.value {
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
                        title: tf.category.title.clone(),
                        path: rel.clone(),
                        subcategories: Vec::new(),
                    });
                    categories.len() - 1
                }
            };
            let cat = &mut categories[idx];
            if tf.tasks.is_empty() && tf.subcategories.is_empty() {
                let n = &tf.category.number;
                self.report.push(
                    Diagnostic::error(rel, n.line, n.col, "这个文件里没有任务")
                        .hint("在 tasks 下列出任务；原表有“重点工作任务”一级时，写在 subcategories 的各项下"),
                );
            }
            let direct = (!tf.tasks.is_empty()).then_some((None, tf.tasks));
            let subs = tf
                .subcategories
                .into_iter()
                .map(|s| (Some(s.title), s.tasks));
            for (sub_title, sub_tasks) in direct.into_iter().chain(subs) {
                let snum = u32::try_from(cat.subcategories.len() + 1).unwrap_or(u32::MAX);
                let tasks = sub_tasks
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
                    title: sub_title,
                    path: rel.clone(),
                    tasks,
                });
            }
        }
        categories.sort_by_key(|c| c.number);

        let pilots_rel = format!("{base}/pilots.yaml");
        let pilots_exists = names.iter().any(|n| n == "pilots.yaml");
        let pilots = self
            .fixed_yaml::<PilotsFile>(&base, &names, "pilots.yaml", false)
            .map(|p| p.batches)
            .unwrap_or_default();

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
    pub(super) fn page(&mut self, rel: &str) -> Option<Page> {
        let text = self.text(rel, true)?;
        // `about.md` and `about.MD` are both the page `about`.
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let slug = name
            .rsplit_once('.')
            .map_or(name, |(stem, _)| stem)
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
            Ok(mut fm) => {
                // The front matter starts on line 2 of the file.
                fm.shift_lines(1);
                let control = control::scan_yaml(rel, front, 1);
                if !control.is_empty() {
                    for d in control {
                        self.refuse(d);
                    }
                    return None;
                }
                Some(Page {
                    slug,
                    path: rel.to_string(),
                    front: fm,
                    body: body.to_string(),
                    body_line,
                })
            }
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

/// The year a plan with a broken `plan.yaml` is checked as: its folder name when that is a
/// year, else the `year:` written in the file, else this year.
fn stand_in_year(id: &str, text: Option<&String>) -> i32 {
    let plausible = |y: i32| (1900..=2200).contains(&y).then_some(y);
    id.parse()
        .ok()
        .and_then(plausible)
        .or_else(|| {
            text?
                .lines()
                .find_map(|l| l.trim().strip_prefix("year:"))
                .and_then(|v| v.trim().parse().ok())
                .and_then(plausible)
        })
        .unwrap_or_else(|| chrono::Datelike::year(&crate::check::today_shanghai()))
}
