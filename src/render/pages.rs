//! Markdown pages, the preview's review queue, and the 404 page.

use super::common::{Meta, crumb, crumbs};
use super::view::{Fields, view};
use super::{FrameParts, Renderer, markdown};
use crate::review::State;
use crate::route::url;
use std::collections::BTreeMap;
use tera::Context;

view! {
    /// A Markdown page.
    pub struct MarkdownPage {
        /// The page.
        pub page: PageView,
    }
}

view! {
    /// A Markdown page's content.
    pub struct PageView {
        /// Title.
        pub title: String,
        /// Body, sanitised HTML.
        pub html: String,
        /// Review badge (preview only).
        pub badge: Option<String>,
    }
}

view! {
    /// The preview's review queue.
    pub struct ReviewPage {
        /// Items by stage awaited.
        pub groups: Vec<QueueGroup>,
    }
}

view! {
    /// The items awaiting one stage.
    pub struct QueueGroup {
        /// What they wait for.
        pub label: String,
        /// Items.
        pub items: Vec<QueueItem>,
    }
}

view! {
    /// An item awaiting review.
    pub struct QueueItem {
        /// What it is.
        pub title: String,
        /// Where it shows.
        pub href: String,
        /// `path#id`.
        pub source: String,
        /// Why it waits again (changed after a stage).
        pub note: Option<String>,
    }
}

view! {
    /// The 404 page.
    pub struct NotFoundPage {
        /// The style sheet, minified, for the page's `<style>` element.
        pub inline_css: String,
        /// `head.js`, inline: the page is served at any depth, so no relative link reaches it.
        pub inline_head_js: String,
        /// `care.js` (the care toolbar's script), inline for the same reason.
        pub inline_care_js: String,
    }
}

/// Field names of this family's views.
pub(super) const FIELDS: &[&[&str]] = &[
    MarkdownPage::FIELDS,
    PageView::FIELDS,
    ReviewPage::FIELDS,
    QueueGroup::FIELDS,
    QueueItem::FIELDS,
    NotFoundPage::FIELDS,
];

fn stage_order(s: State) -> u8 {
    match s {
        State::AwaitFirst => 0,
        State::AwaitSecond => 1,
        State::AwaitFinal => 2,
        State::Signed => 3,
    }
}

impl Renderer<'_> {
    pub(super) fn page(&self, i: usize, c: &mut Context) -> FrameParts {
        let p = &self.site.pages[i];
        let date = p
            .front
            .date
            .as_ref()
            .map_or(self.cx.rules.as_of, |d| d.value.0);
        let meta = Meta {
            title: p.front.title.value.clone(),
            kind: "detail",
            column_name: Some(p.front.title.value.clone()),
            column_type: Some("页面"),
            article_title: Some(p.front.title.value.clone()),
            pub_date: Some(format!("{} 00:00", date.format("%Y-%m-%d"))),
            content_source: Some(self.site.config.portal.sponsor.value.clone()),
            description: Some(
                p.front
                    .description
                    .clone()
                    .unwrap_or_else(|| p.front.title.clone())
                    .value,
            ),
            keywords: Some(p.front.title.value.clone()),
        };
        MarkdownPage {
            page: PageView {
                title: p.front.title.value.clone(),
                html: markdown::render(&p.body),
                badge: self.opts.verdicts.as_ref().and_then(|v| v.pages[i].badge()),
            },
        }
        .insert_into(c);
        (meta, crumbs(vec![crumb(p.front.title.clone(), None)]))
    }

    /// Preview only: everything awaiting each review stage, linked to where it shows.
    pub(super) fn review_queue(&self, c: &mut Context) -> FrameParts {
        let mut groups: BTreeMap<(u8, String), Vec<QueueItem>> = BTreeMap::new();
        if let Some(v) = self.opts.verdicts.as_ref() {
            for (pi, plan) in self.site.plans.iter().enumerate() {
                for (ri, r) in plan.records.iter().enumerate() {
                    let vd = &v.records[pi][ri];
                    if vd.publishable() {
                        continue;
                    }
                    let e = &r.entry;
                    let key = (stage_order(vd.state), vd.badge().unwrap_or_default());
                    groups.entry(key).or_default().push(QueueItem {
                        title: format!(
                            "{} 报送的任务 {} 进展（{}）",
                            self.cx.dir.name(&e.unit.value),
                            e.task.value,
                            e.date.value
                        ),
                        href: url::record(&plan.id, &e.task.value, &e.id.value),
                        source: format!("{}#{}", r.path, e.id.value),
                        note: vd
                            .changed_after
                            .map(|s| format!("{}后内容有改动", s.label())),
                    });
                }
            }
            for (i, p) in self.site.pages.iter().enumerate() {
                let vd = &v.pages[i];
                if vd.publishable() {
                    continue;
                }
                let key = (stage_order(vd.state), vd.badge().unwrap_or_default());
                groups.entry(key).or_default().push(QueueItem {
                    title: format!("页面：{}", p.front.title),
                    href: url::page(&p.slug),
                    source: p.path.clone(),
                    note: vd
                        .changed_after
                        .map(|s| format!("{}后内容有改动", s.label())),
                });
            }
        }
        ReviewPage {
            groups: groups
                .into_iter()
                .map(|((_, label), items)| QueueGroup { label, items })
                .collect(),
        }
        .insert_into(c);
        let meta = Meta::list(
            "待审核条目".into(),
            "待审核",
            "预览",
            "预览：等待初审、复审、终审的条目".into(),
            "三审",
        );
        (meta, crumbs(vec![crumb("待审核条目", None)]))
    }

    pub(super) fn not_found(&self, c: &mut Context) -> FrameParts {
        NotFoundPage {
            inline_css: self.inline_css(),
            inline_head_js: self.inline_asset("head.js"),
            inline_care_js: self.inline_asset("care.js"),
        }
        .insert_into(c);
        let meta = Meta {
            title: "页面不存在".into(),
            kind: "other",
            column_name: None,
            column_type: None,
            article_title: None,
            pub_date: None,
            content_source: None,
            description: None,
            keywords: None,
        };
        (meta, Vec::new())
    }

    /// A script of the theme, as written, for an inline `<script>` element of the 404 page.
    fn inline_asset(&self, name: &str) -> String {
        self.assets
            .get(name)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    }

    /// The style sheet, minified, for the 404 page's `<style>` element.
    fn inline_css(&self) -> String {
        let css = self
            .assets
            .get("style.css")
            .map_or(std::borrow::Cow::Borrowed(""), |b| {
                String::from_utf8_lossy(b)
            });
        super::css::minify(&css)
    }
}
