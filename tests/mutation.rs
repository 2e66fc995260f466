//! Mutation test: break one file of a copy of the default content in many random ways and check
//! that loading and validating never panics and that every finding is located.
//!
//! Deterministic: a fixed seed drives a xorshift generator, so a failure names its case number
//! and reproduces on every machine. It runs 10,000 cases in an optimised build (`cargo test
//! --release`, as CI does: under a minute on 2 cores) and 1,000 in a debug build, where a case
//! is about ten times slower; `GONGKAI_MUTATION_CASES` overrides either.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use crate::common;
use common::rng::Rng;

const SEED: u64 = 0x9E37_79B9_7F4A_7C15;
const DEFAULT_CASES: usize = if cfg!(debug_assertions) {
    1_000
} else {
    10_000
};

/// Text that means something to YAML, to the loader or to the validators.
const SNIPPETS: &[&str] = &[
    "- ",
    ": ",
    "  ",
    "\n",
    "\t",
    "\r",
    "\r\n",
    "#",
    "\"",
    "'",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!str ",
    "!!int ",
    "? ",
    "|\n",
    ">-\n",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "~",
    "null",
    "true",
    "0x1F",
    "1e999",
    ".nan",
    "-1",
    "99999999999999999999",
    "2023-02-30",
    "2099-12-31",
    "0000-00-00",
    "\u{FEFF}",
    "\u{3000}",
    "\u{200B}",
    "市发改局",
    "各乡镇人民政府",
    "等部门（单位）",
    "“",
    "”",
    "、",
    "：",
    "fagai",
    "xiangzhen",
    "1-1-1",
    "id: x\n",
    "text: \n",
    "format_version: 2\n",
    "\\u00e9",
    "\\",
    "é",
    "𠀀",
    "\u{10FFFF}",
];

/// Byte sequences that are not UTF-8 (lone lead and continuation bytes, GBK text, overlong).
const INVALID: &[&[u8]] = &[
    b"\xFF",
    b"\xFE\xFF",
    b"\xC3",
    b"\xE4\xB8",
    b"\x80",
    b"\xC0\xAF",
    b"\xED\xA0\x80",
    b"\xCA\xD0\xB7\xA2",
    b"\xF4\x90\x80\x80",
    b"\x00",
];

/// Apply one random change to `bytes`.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    let len = bytes.len();
    match rng.below(10) {
        // Flip one bit.
        0 if len > 0 => {
            let i = rng.below(len);
            bytes[i] ^= 1 << rng.below(8);
        }
        // Overwrite one byte with anything.
        1 if len > 0 => {
            let i = rng.below(len);
            bytes[i] = rng.next_u64() as u8;
        }
        // Truncate.
        2 => bytes.truncate(rng.below(len + 1)),
        // Duplicate a line.
        3 => {
            let mut lines = split_lines(bytes);
            if !lines.is_empty() {
                let i = rng.below(lines.len());
                let line = lines[i].clone();
                let at = rng.below(lines.len() + 1);
                lines.insert(at, line);
                *bytes = lines.concat();
            }
        }
        // Delete a line.
        4 => {
            let mut lines = split_lines(bytes);
            if !lines.is_empty() {
                lines.remove(rng.below(lines.len()));
                *bytes = lines.concat();
            }
        }
        // Reshuffle a run of lines.
        5 => {
            let mut lines = split_lines(bytes);
            if lines.len() > 1 {
                let start = rng.below(lines.len());
                let end = (start + 2 + rng.below(6)).min(lines.len());
                for i in (start + 1..end).rev() {
                    let j = start + rng.below(i - start + 1);
                    lines.swap(i, j);
                }
                *bytes = lines.concat();
            }
        }
        // Insert a YAML-significant snippet.
        6 | 7 => {
            let s = rng.pick(SNIPPETS).as_bytes();
            let at = rng.below(len + 1);
            bytes.splice(at..at, s.iter().copied());
        }
        // Insert bytes that are not UTF-8.
        8 => {
            let s = *rng.pick(INVALID);
            let at = rng.below(len + 1);
            bytes.splice(at..at, s.iter().copied());
        }
        // Insert a random character (any scalar value).
        _ => {
            let c = loop {
                let raw = if rng.below(2) == 0 {
                    rng.below(0x80) as u32
                } else {
                    rng.below(0x11_0000) as u32
                };
                if let Some(c) = char::from_u32(raw) {
                    break c;
                }
            };
            let mut buf = [0; 4];
            let s = c.encode_utf8(&mut buf).as_bytes().to_vec();
            let at = rng.below(len + 1);
            bytes.splice(at..at, s);
        }
    }
}

/// Lines with their `\n` kept, so `concat` gives the bytes back.
fn split_lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes
        .split_inclusive(|b| *b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

/// Show mutated bytes in a failure message: text where it is text, escapes elsewhere.
fn show(bytes: &[u8]) -> String {
    bytes.utf8_chunks().fold(String::new(), |mut s, chunk| {
        s.push_str(chunk.valid());
        for b in chunk.invalid() {
            s.push_str(&format!("\\x{b:02X}"));
        }
        s
    })
}

/// Check case `case`: `file` (a path under `first`, the copy the files were listed in) of the
/// copy at `root` mutated to `bytes`, then restored. Returns (1 when it had errors, findings).
fn check_case(root: &Path, first: &Path, file: &Path, bytes: &[u8], case: usize) -> (usize, usize) {
    let rel_path = file.strip_prefix(first).unwrap();
    let path = root.join(rel_path);
    let original = std::fs::read(&path).unwrap();
    std::fs::write(&path, bytes).unwrap();
    let rel = rel_path.display().to_string();
    let context = || format!("case {case}, {rel} mutated to:\n{}", show(bytes));
    let result = catch_unwind(AssertUnwindSafe(|| {
        let checked = gongkai::check_site(root, None).expect("content/ exists");
        let rendered = checked.report.render();
        (checked, rendered)
    }));
    let Ok((checked, rendered)) = result else {
        panic!("check_site panicked on {}", context());
    };
    let report = &checked.report;
    for d in &report.diagnostics {
        let whole_file = d.line == 0 && d.col == 0;
        assert!(
            whole_file || (d.line >= 1 && d.col >= 1),
            "unlocated finding {d:?} on {}",
            context()
        );
        if let (false, Some(src)) = (whole_file, report.sources.get(&d.path)) {
            // A finding may point just past the last line (an unexpected end of file).
            let lines = src.lines().count().max(1) + 1;
            assert!(
                d.line as usize <= lines,
                "finding {d:?} past the end of a {lines}-line file on {}",
                context()
            );
        }
        assert!(rendered.contains(&d.headline()));
    }
    std::fs::write(&path, original).unwrap();
    (usize::from(report.errors() > 0), report.diagnostics.len())
}

#[test]
fn mutated_content_never_panics_and_every_finding_is_located() {
    let cases: usize = std::env::var("GONGKAI_MUTATION_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    let site = common::default_site();
    let files = common::files(&site.path().join("content"), &[]);
    let originals: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(f).unwrap()).collect();

    // The unmutated copy is clean, so every finding below comes from a mutation.
    let clean = gongkai::check_site(site.path(), None).unwrap();
    assert_eq!(clean.report.render(), "");

    // The cases are made one after another from the seed and checked on two threads, each
    // in its own copy of the content (a check runs on one core).
    let (send, receive) = std::sync::mpsc::sync_channel::<(usize, usize, Vec<u8>)>(8);
    let receive = std::sync::Mutex::new(receive);
    let with_errors = std::sync::atomic::AtomicUsize::new(0);
    let findings = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..2)
            .map(|w| {
                let (receive, with_errors, findings) = (&receive, &with_errors, &findings);
                let (files, first) = (&files, site.path());
                s.spawn(move || {
                    let own = (w > 0).then(common::default_site);
                    let root = own.as_ref().map_or(first, |t| t.path());
                    loop {
                        let next = receive.lock().unwrap().recv();
                        let Ok((case, which, bytes)) = next else {
                            break;
                        };
                        let (errors, n) = check_case(root, first, &files[which], &bytes, case);
                        with_errors.fetch_add(errors, std::sync::atomic::Ordering::Relaxed);
                        findings.fetch_add(n, std::sync::atomic::Ordering::Relaxed);
                    }
                })
            })
            .collect();
        let mut rng = Rng::new(SEED);
        for case in 0..cases {
            let which = rng.below(files.len());
            let mut bytes = originals[which].clone();
            for _ in 0..=rng.below(3) {
                mutate(&mut rng, &mut bytes);
            }
            if send.send((case, which, bytes)).is_err() {
                break; // a worker failed: its panic is raised below
            }
        }
        drop(send);
        for w in workers {
            if let Err(e) = w.join() {
                std::panic::resume_unwind(e);
            }
        }
    });
    let (with_errors, findings) = (with_errors.into_inner(), findings.into_inner());
    #[allow(clippy::print_stdout)]
    {
        println!(
            "mutation: {cases} cases run over {} files (seed {SEED:#x}); {with_errors} had errors, {findings} findings in all",
            files.len()
        );
    }
    assert!(
        cases == 0 || with_errors > cases / 4,
        "mutations should mostly break the content"
    );
}
