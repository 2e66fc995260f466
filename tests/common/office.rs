//! Office software the tests use as a unit or a leader would: Python's openpyxl (what a script,
//! and in its file format Excel and WPS, read and write) and headless LibreOffice Calc. Both are
//! installed by `scripts/test.sh` (Debian packages `python3-openpyxl`, `libreoffice-calc-nogui`);
//! outside CI a test without them is skipped with a note, in CI it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A Python interpreter that can `import openpyxl`: `python3` on PATH, else the system one
/// (a pyenv `python3` first on PATH does not see Debian's packages).
pub fn python() -> Option<PathBuf> {
    for p in ["python3", "/usr/bin/python3"] {
        let ok = Command::new(p)
            .args(["-c", "import openpyxl"])
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return Some(PathBuf::from(p));
        }
    }
    assert!(
        std::env::var("CI").is_err(),
        "Python with openpyxl is required in CI (python3-openpyxl)"
    );
    eprintln!("openpyxl not installed: skipping");
    None
}

/// Run a Python script (given as text) with `args`; panics with its stderr on failure and
/// returns its stdout.
pub fn run_python(python: &Path, script: &str, args: &[&Path]) -> String {
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "python failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("python wrote UTF-8")
}

/// LibreOffice's `soffice`, if installed (a failure in CI when not).
pub fn soffice() -> Option<PathBuf> {
    for p in ["/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice"] {
        if Path::new(p).exists() {
            return Some(PathBuf::from(p));
        }
    }
    assert!(
        std::env::var("CI").is_err(),
        "LibreOffice Calc is required in CI (libreoffice-calc-nogui)"
    );
    eprintln!("LibreOffice not installed: skipping");
    None
}

/// Every sheet of the workbook at `xlsx` as LibreOffice Calc reads it, converted to CSV
/// (UTF-8, comma, formatted text as shown): `(sheet name, rows of cells)` in sheet order.
pub fn calc_sheets(soffice: &Path, xlsx: &Path) -> Vec<(String, Vec<Vec<String>>)> {
    let work = tempfile::tempdir().unwrap();
    let profile = format!("file://{}", work.path().join("profile").display());
    let out_dir = work.path().join("out");
    let out = Command::new(soffice)
        .arg(format!("-env:UserInstallation={profile}"))
        .args(["--headless", "--convert-to"])
        // Filter options: comma, double quote, UTF-8, from line 1, …, -1 = every sheet to a
        // file of its own named <file>-<sheet>.csv.
        .arg("csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1")
        .arg("--outdir")
        .arg(&out_dir)
        .arg(xlsx)
        .output()
        .expect("run soffice");
    let log = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "soffice failed: {log}");
    let stem = xlsx.file_stem().unwrap().to_string_lossy().into_owned();
    // Sheet order as LibreOffice reports it ("Writing sheet <name> -> <file>").
    log.lines()
        .filter_map(|l| l.strip_prefix("Writing sheet "))
        .map(|l| {
            let name = l.split(" -> ").next().unwrap().to_owned();
            let file = out_dir.join(format!("{stem}-{name}.csv"));
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_path(&file)
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let rows = reader
                .records()
                .map(|r| r.unwrap().iter().map(str::to_owned).collect())
                .collect();
            (name, rows)
        })
        .collect()
}
