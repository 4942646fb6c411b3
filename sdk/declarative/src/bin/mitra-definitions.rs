//! `mitra-definitions check DIR…`: checks the definitions of each
//! declarative department directory (its `data/`), printing every error as
//! `file:line: reason`. The same checks run in `mitra plugin build` and
//! `pack` and when the host loads a package.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let ["check", dirs @ ..] = &words[..] else {
        eprintln!("usage: mitra-definitions check DIR…  (a department directory, or its data directory)");
        return ExitCode::from(2);
    };
    let mut failed = false;
    for dir in dirs {
        let dir = Path::new(dir);
        let data = if dir.join("data").join(mitra_declarative::check::DEPARTMENT_FILE).is_file() {
            dir.join("data")
        } else {
            dir.to_owned()
        };
        match mitra_declarative::load_dir(&data) {
            Ok(definitions) => println!("{}: {} services", dir.display(), definitions.services.len()),
            Err(errors) => {
                failed = true;
                for error in errors.0 {
                    println!("{}/{error}", data.display());
                }
            }
        }
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}
