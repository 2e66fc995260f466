//! Sign-off in the browser (`gongkai serve --review`): the review queue, a page per item with
//! 通过初审 / 通过复审 / 通过终审 and 退回, and the enrolment page where a reviewer's browser makes
//! its own key (WebCrypto, not extractable: Ed25519, or ECDSA P-256 where the browser has no
//! Ed25519) and shows the `reviewers.yaml` entry for the clerk to add.
//!
//! The server never sees a secret: it gives the browser the canonical payload
//! ([`crate::review::act::prepare`]), the browser signs it with the key it keeps, and the server
//! checks the signature against the reviewer's registered public key and writes through
//! [`crate::review::act::Prepared::write`], the function `gongkai sign` uses. Every POST carries
//! the page's CSRF token; requests whose `Host` is not one the server was started for are refused
//! (a DNS-rebinding page cannot reach it).

use crate::review::act::{self, Act, Refusal, Request};
use crate::review::{Stage, State as ReviewState};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;

/// What the review routes need.
#[derive(Clone)]
pub struct Review {
    /// Site folder.
    pub root: PathBuf,
    /// The CSRF token of this run of the server.
    pub csrf: Arc<str>,
    /// Accepted `Host` values (`name:port`, lower case).
    pub hosts: Arc<HashSet<String>>,
}

const JS: &str = include_str!("review.js");

/// HTML-escape.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Percent-encode a query value.
fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn page(r: &Review, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><meta name=\"gongkai-csrf\" content=\"{}\"><title>{} - 三审</title>\
<style>body{{font:1.125rem/1.7 \"Noto Sans CJK SC\",\"Microsoft YaHei\",sans-serif;margin:0;background:#fff;color:#1a1a1a}}main{{max-width:50rem;margin:0 auto;padding:1rem}}\
a{{color:#0b4f9c}}a:focus,button:focus,input:focus,textarea:focus{{outline:3px solid #b35900;outline-offset:2px}}\
button{{font:inherit;padding:.5rem 1.25rem;margin:.25rem .5rem .25rem 0;border:2px solid #0b4f9c;border-radius:4px;background:#0b4f9c;color:#fff;cursor:pointer;min-height:44px}}\
button.return{{background:#fff;color:#a10000;border-color:#a10000}}textarea,input[type=text]{{font:inherit;width:100%;box-sizing:border-box;border:2px solid #555;padding:.4rem}}\
dl{{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}}dt{{font-weight:bold}}dd{{margin:0}}.state{{font-weight:bold;color:#7a4a00}}\
#result{{font-weight:bold;padding:.5rem 0}}#result.error{{color:#a10000}}#result.ok{{color:#1d6b2f}}pre{{white-space:pre-wrap;background:#f3f4f6;padding:1rem;border:1px solid #999}}\
.banner{{background:#7a4a00;color:#fff;padding:.5rem 1rem}}</style></head>\
<body><p class=\"banner\">三审网页（审核用，未经三审的内容不得对外发布）</p><main><h1>{}</h1>{body}</main><script src=\"/__gongkai/review/review.js\"></script></body></html>",
        esc(&r.csrf),
        esc(title),
        esc(title)
    );
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

/// `Host` check: only the names the server was started for.
pub async fn host_check(
    State(r): State<Review>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_ascii_lowercase)
        .or_else(|| {
            req.uri()
                .authority()
                .map(|a| a.as_str().to_ascii_lowercase())
        });
    match host {
        Some(h) if r.hosts.contains(&h) => next.run(req).await,
        _ => (
            StatusCode::MISDIRECTED_REQUEST,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "请用启动时给出的地址访问（Host 不符）",
        )
            .into_response(),
    }
}

/// The review script.
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        JS,
    )
        .into_response()
}

fn checked(r: &Review) -> Result<crate::check::Checked, String> {
    crate::check_site(&r.root, None).map_err(|e| e.to_string())
}

/// The queue: what waits for which stage, each linking to its page.
pub async fn queue(State(r): State<Review>) -> Response {
    let r2 = r.clone();
    let body = tokio::task::spawn_blocking(move || -> Result<String, String> {
        let c = checked(&r2)?;
        let (Some(site), Some(v)) = (c.site.as_ref(), c.verdicts.as_ref()) else {
            return Err(c.report.render());
        };
        let q = crate::review::queue(site, v, None);
        let mut out = String::from(
            "<p><a href=\"/__gongkai/review/enrol\">登记本浏览器的审核密钥</a> · <a href=\"/\">预览站点</a></p><p>本浏览器的审核人：<strong id=\"me\">（未登记）</strong></p>",
        );
        for (title, items) in [
            ("待初审", &q.first),
            ("签发后内容有改动，待重新初审", &q.voided),
            ("待复审", &q.second),
            ("待终审", &q.final_),
        ] {
            out.push_str(&format!("<h2>{}（{} 项）</h2><ul>", esc(title), items.len()));
            for i in items.iter() {
                out.push_str(&format!(
                    "<li><a href=\"/__gongkai/review/item?t={}\">{}</a> {}</li>",
                    enc(&i.item),
                    esc(&i.item),
                    esc(&i.what)
                ));
            }
            out.push_str("</ul>");
        }
        Ok(out)
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    match body {
        Ok(b) => page(&r, "待审核的内容", &b),
        Err(e) => page(&r, "内容有错误", &format!("<pre>{}</pre>", esc(&e))),
    }
}

/// `?t=PATH#ID`.
#[derive(Deserialize)]
pub struct ItemQuery {
    t: String,
}

/// One item: what it says, where its trail stands, and the buttons for the stage it waits for.
pub async fn item(State(r): State<Review>, Query(q): Query<ItemQuery>) -> Response {
    let r2 = r.clone();
    let target = q.t.clone();
    let body = tokio::task::spawn_blocking(move || item_body(&r2, &target))
        .await
        .unwrap_or_else(|e| Err(e.to_string()));
    match body {
        Ok(b) => page(&r, "审核条目", &b),
        Err(e) => page(&r, "无法审核", &format!("<pre>{}</pre>", esc(&e))),
    }
}

fn item_body(r: &Review, target: &str) -> Result<String, String> {
    let c = checked(r)?;
    let Some(site) = c.site.as_ref() else {
        return Err(c.report.render());
    };
    let owner = act::owner(site, target).map_err(|e| e.to_string())?;
    let (state, _) = act::state_of(&c, target).map_err(|e| e.to_string())?;
    let mut dl = String::new();
    let row = |dl: &mut String, k: &str, v: &str| {
        dl.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(k), esc(v)));
    };
    let review = match owner {
        crate::privacy::Owner::Record(pi, ri) => {
            let plan = &site.plans[pi];
            let e = &plan.records[ri].entry;
            let task = plan
                .tasks()
                .find(|t| t.id() == e.task.value)
                .map(|t| t.entry.text.value.clone())
                .unwrap_or_default();
            let unit = site
                .units
                .iter()
                .find(|u| u.id.value == e.unit.value)
                .map_or(e.unit.value.clone(), |u| u.name.value.clone());
            row(&mut dl, "条目", target);
            row(&mut dl, "任务", &format!("{} {}", e.task.value, task));
            row(&mut dl, "报送单位", &unit);
            row(&mut dl, "日期", &e.date.value.to_string());
            row(&mut dl, "进展状态", e.status.value.label());
            row(&mut dl, "进展摘要", &e.summary.value);
            for ev in &e.evidence {
                row(
                    &mut dl,
                    "佐证材料",
                    &format!("{}（{}）", ev.title.value, ev.url.value),
                );
            }
            e.review.as_deref().cloned()
        }
        crate::privacy::Owner::Page(i) => {
            let p = &site.pages[i];
            row(&mut dl, "条目", target);
            row(&mut dl, "页面标题", &p.front.title.value);
            if let Some(d) = &p.front.description {
                row(&mut dl, "说明", &d.value);
            }
            row(&mut dl, "正文", &p.body);
            p.front.review.clone()
        }
        _ => return Err("只能审核进展记录和页面".into()),
    };
    if let Some(rv) = &review {
        row(&mut dl, "公开属性", &rv.disclosure.value);
        for s in Stage::ALL {
            if let Some(st) = s.of(rv) {
                let who = st.reviewer.as_ref().map_or("", |w| w.value.as_str());
                row(&mut dl, s.label(), &format!("{who}，{}", st.date.value));
            }
        }
        for a in &rv.history {
            let what = match a.action.value.as_str() {
                "return" => "退回",
                "redo" => "重签",
                "withdraw" => "撤回",
                other => other,
            };
            row(
                &mut dl,
                what,
                &format!("{}，{}：{}", a.reviewer.value, a.date.value, a.reason.value),
            );
        }
    }
    let stage = match state {
        ReviewState::AwaitFirst => Some(Stage::First),
        ReviewState::AwaitSecond => Some(Stage::Second),
        ReviewState::AwaitFinal => Some(Stage::Final),
        ReviewState::Signed => None,
    };
    let mut out = format!(
        "<p><a href=\"/__gongkai/review/\">返回待审核列表</a></p><p>本浏览器的审核人：<strong id=\"me\">（未登记）</strong></p><p>现在：<span class=\"state\" id=\"state\">{}</span></p><dl>{dl}</dl>",
        esc(state.label())
    );
    match stage {
        Some(s) => out.push_str(&format!(
            "<form id=\"act\" data-target=\"{}\" data-stage=\"{}\" onsubmit=\"return false\">\
<button type=\"button\" id=\"approve\" data-act=\"sign\">通过{}</button>\
<p><label for=\"reason\">退回理由（退回时必填）</label><textarea id=\"reason\" rows=\"3\"></textarea></p>\
<button type=\"button\" class=\"return\" id=\"return\" data-act=\"return\">退回</button></form>",
            esc(target),
            s.key(),
            s.label()
        )),
        None => out.push_str("<p>已通过三审。</p>"),
    }
    out.push_str("<p id=\"result\" role=\"status\" aria-live=\"polite\"></p>");
    Ok(out)
}

/// The enrolment page.
pub async fn enrol(State(r): State<Review>) -> Response {
    page(
        &r,
        "登记审核密钥",
        "<p>在审核人自己的电脑和浏览器上登记：浏览器生成一对密钥，私钥留在这个浏览器里，不能导出，也不会发给服务器；\
把下面生成的条目交给站点管理员，加进 <code>content/reviewers.yaml</code> 后即可在本浏览器签署。</p>\
<form id=\"enrol\" onsubmit=\"return false\">\
<p><label for=\"rid\">审核人编号（小写字母、数字和连字符）</label><input type=\"text\" id=\"rid\" autocomplete=\"off\"></p>\
<p><label for=\"rname\">姓名（不会发布）</label><input type=\"text\" id=\"rname\" autocomplete=\"off\"></p>\
<fieldset><legend>可签的环节</legend>\
<label><input type=\"checkbox\" name=\"stage\" value=\"初审\"> 初审</label> \
<label><input type=\"checkbox\" name=\"stage\" value=\"复审\"> 复审</label> \
<label><input type=\"checkbox\" name=\"stage\" value=\"终审\"> 终审</label></fieldset>\
<button type=\"button\" id=\"make\">生成密钥</button></form>\
<p id=\"result\" role=\"status\" aria-live=\"polite\"></p><pre id=\"entry\" hidden></pre>",
    )
}

/// A sign / return request from the browser.
#[derive(Deserialize)]
pub struct ActBody {
    target: String,
    act: String,
    stage: String,
    reviewer: String,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    signatures: Vec<String>,
}

/// What the browser gets back.
#[derive(Serialize, Default)]
pub struct ActReply {
    #[serde(skip_serializing_if = "Option::is_none")]
    payloads: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

fn csrf_ok(r: &Review, headers: &HeaderMap) -> bool {
    let Some(t) = headers.get("x-gongkai-csrf").and_then(|v| v.to_str().ok()) else {
        return false;
    };
    // Constant time: the token is compared in full whatever it holds.
    let (a, b) = (t.as_bytes(), r.csrf.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

fn reply(status: StatusCode, r: ActReply) -> Response {
    (status, Json(r)).into_response()
}

fn fail(status: StatusCode, msg: impl Into<String>) -> Response {
    reply(
        status,
        ActReply {
            error: Some(msg.into()),
            ..ActReply::default()
        },
    )
}

fn request<'a>(b: &'a ActBody) -> Result<Request<'a>, String> {
    let stage = Stage::parse(&b.stage).ok_or("环节无效")?;
    let act = match b.act.as_str() {
        "sign" => Act::Sign(stage),
        "return" => Act::Return(stage),
        _ => return Err("操作无效".into()),
    };
    Ok(Request {
        target: &b.target,
        act,
        reviewer: b.reviewer.trim(),
        date: crate::check::today_shanghai(),
        disclosure: None,
        reason: b.reason.as_deref(),
        redo: false,
    })
}

/// Step 1: what to sign.
pub async fn prepare(
    State(r): State<Review>,
    headers: HeaderMap,
    Json(b): Json<ActBody>,
) -> Response {
    if !csrf_ok(&r, &headers) {
        return fail(
            StatusCode::FORBIDDEN,
            "页面已过期（CSRF 校验失败），请刷新后重试",
        );
    }
    let done = tokio::task::spawn_blocking(move || -> Result<Vec<String>, String> {
        let req = request(&b)?;
        let c = checked(&r)?;
        let p = act::prepare(&c, &req).map_err(|e| e.to_string())?;
        Ok(p.payloads())
    })
    .await
    .unwrap_or_else(|e| Err(e.to_string()));
    match done {
        Ok(payloads) => reply(
            StatusCode::OK,
            ActReply {
                payloads: Some(payloads),
                ..ActReply::default()
            },
        ),
        Err(e) => fail(StatusCode::CONFLICT, e),
    }
}

/// Step 2: the signatures, checked against the reviewer's registered key, then written.
pub async fn submit(
    State(r): State<Review>,
    headers: HeaderMap,
    Json(b): Json<ActBody>,
) -> Response {
    if !csrf_ok(&r, &headers) {
        return fail(
            StatusCode::FORBIDDEN,
            "页面已过期（CSRF 校验失败），请刷新后重试",
        );
    }
    let done = tokio::task::spawn_blocking(move || -> Result<String, Refusal> {
        let req = request(&b).map_err(Refusal::Env)?;
        let c = checked(&r).map_err(Refusal::Env)?;
        let p = act::prepare(&c, &req)?;
        p.write(&r.root, &b.signatures)
    })
    .await
    .unwrap_or_else(|e| Err(Refusal::Env(e.to_string())));
    match done {
        Ok(message) => reply(
            StatusCode::OK,
            ActReply {
                message: Some(message),
                ..ActReply::default()
            },
        ),
        Err(e) => fail(StatusCode::CONFLICT, e.to_string()),
    }
}
