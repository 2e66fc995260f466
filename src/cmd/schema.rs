//! `gongkai schema`: write the JSON Schema of every file kind.

use crate::cli::{Common, SchemaArgs};
use crate::cmd::{ENV, OK};

/// Write the schemas; print the files written.
pub fn run(common: &Common, args: &SchemaArgs) -> u8 {
    let dir = common.root.join(&args.out);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("错误：无法创建 {}：{e}", dir.display());
        return ENV;
    }
    for (name, text) in crate::schema::all() {
        let path = dir.join(name);
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("错误：无法写入 {}：{e}", path.display());
            return ENV;
        }
        println!("{}", path.display());
    }
    OK
}
