//! JSON Schemas generated from the content types, one per file kind, so editors validate and
//! auto-complete the YAML. Each doc comment's first paragraph becomes the Chinese `title` and
//! the whole comment the `description`, so editors show Chinese hints.

use crate::model::{
    PageFrontMatter, PilotsFile, PlanFile, ProgressFile, SiteFile, TasksFile, UnitsFile,
};
use serde_json::Value;

/// The schema of `T` with Chinese titles.
pub fn for_type<T: schemars::JsonSchema>() -> Value {
    let schema = schemars::schema_for!(T);
    let mut v = schema.to_value();
    add_titles(&mut v);
    add_value_words(&mut v);
    v
}

/// Let every enumerated value written in English also be written in Chinese
/// ([`crate::vocab::VALUE_WORDS`]): `"const": "done"` becomes `"enum": ["done", "已完成", …]`.
fn add_value_words(v: &mut Value) {
    match v {
        Value::Object(map) => {
            let words = map
                .get("const")
                .and_then(Value::as_str)
                .and_then(|c| crate::vocab::VALUE_WORDS.iter().find(|(v, _)| *v == c));
            if let Some((value, words)) = words {
                let mut all = vec![Value::String((*value).to_string())];
                all.extend(words.iter().map(|w| Value::String((*w).to_string())));
                map.remove("const");
                map.insert("enum".to_string(), Value::Array(all));
            }
            for (_, x) in map.iter_mut() {
                add_value_words(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(add_value_words),
        _ => {}
    }
}

/// Give every schema that has a description a title: the description's first paragraph.
fn add_titles(v: &mut Value) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(d)) = map.get("description") {
                let title = d.split("\n\n").next().unwrap_or(d).trim().to_string();
                map.insert("title".to_string(), Value::String(title));
            }
            for (_, x) in map.iter_mut() {
                add_titles(x);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(add_titles),
        _ => {}
    }
}

/// (file name, pretty JSON) for every file kind, in a fixed order.
pub fn all() -> Vec<(&'static str, String)> {
    fn one<T: schemars::JsonSchema>(name: &'static str) -> (&'static str, String) {
        let mut text = serde_json::to_string_pretty(&for_type::<T>()).unwrap_or_default();
        text.push('\n');
        (name, text)
    }
    vec![
        one::<SiteFile>("site.schema.json"),
        one::<UnitsFile>("units.schema.json"),
        one::<PlanFile>("plan.schema.json"),
        one::<PilotsFile>("pilots.schema.json"),
        one::<TasksFile>("tasks.schema.json"),
        one::<ProgressFile>("progress.schema.json"),
        one::<PageFrontMatter>("page.schema.json"),
        one::<crate::privacy::AllowFile>("allowlist.schema.json"),
        one::<crate::model::ReviewersFile>("reviewers.schema.json"),
    ]
}
