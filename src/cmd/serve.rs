//! `gongkai serve`: the reviewers' preview.

use crate::cli::{Common, ServeArgs};
use crate::cmd::{ENV, OK};
use crate::serve::{DEBOUNCE, Event};

/// Serve until interrupted, printing what the preview does.
pub fn run(common: &Common, args: &ServeArgs) -> u8 {
    let timings = std::env::var_os("GONGKAI_TIMINGS").is_some_and(|v| v == "1");
    let on = move |e: Event| match e {
        Event::Started {
            addr,
            took,
            tls: None,
        } => eprintln!(
            "预览已启动：{addr} （首次生成用时 {} 毫秒；只在本机可见，不写入 output/）",
            took.as_millis()
        ),
        Event::Started {
            addr,
            took,
            tls: Some((fingerprint, generated)),
        } => {
            eprintln!(
                "三审网页已启动：{addr}__gongkai/review/ （首次生成用时 {} 毫秒；只用 HTTPS，不写入 output/）",
                took.as_millis()
            );
            eprintln!("证书指纹（SHA-256）：{fingerprint}");
            if let Some(p) = generated {
                eprintln!(
                    "这是自签名证书（{}）：请审核人在浏览器提示证书不受信任时，核对浏览器显示的指纹与上面一致后再继续；或把证书安装到各审核电脑（见 README）。",
                    p.display()
                );
            }
        }
        Event::Rebuilt {
            incremental,
            took,
            since_notice,
            timings: lines,
        } => {
            if timings && let Some(lines) = lines {
                for l in lines {
                    eprintln!("{l}");
                }
            }
            eprintln!(
                "检测到改动，已重新生成（{}）：生成用时 {} 毫秒（从收到通知起 {} 毫秒；另有文件监视防抖 {} 毫秒）",
                if incremental {
                    "只更新受影响的页面"
                } else {
                    "全部页面"
                },
                took.as_millis(),
                since_notice.as_millis(),
                DEBOUNCE.as_millis()
            );
        }
        Event::ContentError(text) => eprintln!("{text}"),
        Event::Recovered => eprintln!("内容已修正，预览恢复。"),
    };
    let review = args.review.then(|| crate::serve::ReviewOptions {
        listen: args
            .listen
            .unwrap_or_else(|| std::net::SocketAddr::from(([127, 0, 0, 1], 8443))),
        hosts: args.hosts.clone(),
        tls_cert: args.tls_cert.clone(),
        tls_key: args.tls_key.clone(),
    });
    match crate::serve::run(common.root.clone(), args.port, args.as_of, review, on) {
        Ok(()) => OK,
        Err(e) => {
            eprintln!("错误：{e}");
            ENV
        }
    }
}
