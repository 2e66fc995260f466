//! The publication register (发布登记): one JSON line per publishing build, in a file beside the
//! output folder (never inside it): when, the items published with their 终审 sign-off, and the
//! items withdrawn since the previous publication.

use crate::site::Site;
use serde_json::{Value, json};
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// The register file for output folder `out`: `<out>.publication-register.jsonl` beside it.
pub fn path_for(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!("{name}.publication-register.jsonl"))
}

/// Items of the previous publication, from the register's last line.
fn previous(path: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .and_then(|l| serde_json::from_str::<Value>(l).ok())
        .and_then(|v| {
            v["published"].as_array().map(|a| {
                a.iter()
                    .filter_map(|x| x["item"].as_str().map(String::from))
                    .collect()
            })
        })
        .unwrap_or_default()
}

/// Append this publication (of the gated site `public`) to the register.
pub fn append(out: &Path, public: &Site, as_of: chrono::NaiveDate) -> std::io::Result<()> {
    let path = path_for(out);
    let mut items = Vec::new();
    for plan in &public.plans {
        for r in &plan.records {
            let fin = r.entry.review.as_ref().and_then(|v| v.final_.as_ref());
            items.push(json!({
                "item": format!("{}#{}", r.path, r.entry.id.value),
                "final_by": fin.map(|f| f.by.clone()),
                "final_date": fin.map(|f| f.date.value.to_string()),
                "fingerprint": fin.and_then(|f| f.fingerprint.clone()),
            }));
        }
    }
    for p in &public.pages {
        let fin = p.front.review.as_ref().and_then(|v| v.final_.as_ref());
        items.push(json!({
            "item": p.path,
            "final_by": fin.map(|f| f.by.clone()),
            "final_date": fin.map(|f| f.date.value.to_string()),
            "fingerprint": fin.and_then(|f| f.fingerprint.clone()),
        }));
    }
    let now: std::collections::BTreeSet<String> = items
        .iter()
        .filter_map(|i| i["item"].as_str().map(String::from))
        .collect();
    let withdrawn: Vec<String> = previous(&path)
        .into_iter()
        .filter(|i| !now.contains(i))
        .collect();
    let time = (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%Y-%m-%dT%H:%M:%S+08:00")
        .to_string();
    let line = json!({
        "time": time,
        "as_of": as_of.format("%Y-%m-%d").to_string(),
        "output": out.display().to_string(),
        "published": items,
        "withdrawn": withdrawn,
    });
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)?;
    writeln!(f, "{line}")
}
