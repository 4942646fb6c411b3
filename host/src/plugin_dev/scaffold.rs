//! `mitra plugin new NAME`: a plugin crate that builds, loads and passes the
//! conformance checks before the vendor changes a line.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use crate::runtime::is_slug;

/// Where the SDK lives in this checkout; vendors outside it pass `--sdk`.
pub fn default_sdk_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("sdk")
}

/// Creates `parent/name` with a Cargo.toml, plugin.toml and src/lib.rs.
pub fn new_plugin(parent: &Path, name: &str, sdk: &Path) -> anyhow::Result<PathBuf> {
    if !is_slug(name) {
        bail!("plugin name {name:?} must be lowercase letters, digits and '-' (it becomes the department id)");
    }
    let dir = parent.join(name);
    if dir.exists() {
        bail!("{} already exists", dir.display());
    }
    let sdk = sdk.canonicalize().with_context(|| format!("the SDK is not at {}; pass --sdk PATH", sdk.display()))?;
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(dir.join("Cargo.toml"), cargo_toml(name, &sdk))?;
    std::fs::write(dir.join("plugin.toml"), plugin_toml(name))?;
    std::fs::write(dir.join("src").join("lib.rs"), lib_rs(name))?;
    std::fs::write(dir.join(".gitignore"), "/target\n*.wasm\n")?;
    Ok(dir)
}

fn cargo_toml(name: &str, sdk: &Path) -> String {
    format!(
        r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2024"
publish = false

[lib]
crate-type = ["cdylib"]

[dependencies]
mitra-sdk = {{ path = {sdk:?} }}

# A plugin is its own workspace, built for wasm32-wasip2 by `mitra plugin build`.
[workspace]

[profile.release]
opt-level = "s"
lto = true
codegen-units = 1
strip = true
"#,
        sdk = sdk.display().to_string()
    )
}

fn plugin_toml(name: &str) -> String {
    format!(
        r#"# Who the plugin is and what the host may grant it.
id = "{name}"
version = "0.1.0"
# Written by `mitra plugin build`.
component = "{name}.wasm"

[capabilities]
# Department systems this plugin may call (host:port), nothing else.
allowed_hosts = []
# A read-only directory of reference data, seen by the plugin as /data.
# data_dir = "data"
memory_mib = 64
deadline_ms = 200
"#
    )
}

fn lib_rs(name: &str) -> String {
    let mut title: String = name.split('-').map(capitalise).collect::<Vec<_>>().join(" ");
    title.truncate(24);
    format!(
        r#"//! The {title} department plugin.

use mitra_sdk::prelude::*;

struct Plugin;

impl Department for Plugin {{
    fn describe() -> DepartmentInfo {{
        DepartmentInfo::new("{name}", Text::new("{title}").te("{title}")).service(
            Service::new("residence", Text::new("Residence certificate").te("నివాస ధృవీకరణ పత్రం"))
                .description(Text::new("Proof of where you live").te("మీ నివాస ధృవీకరణ"))
                .category("certificates")
                .keywords(Language::En, ["residence", "address proof"])
                .keywords(Language::Te, ["నివాసం"])
                .field(Field::aadhaar("aadhaar", Text::new("Aadhaar number").te("ఆధార్ సంఖ్య")))
                .field(Field::integer("years", Text::new("Years at this address").te("ఈ చిరునామాలో ఎన్ని సంవత్సరాలు"), Some(0.0), Some(120.0)))
                .sla_days(7),
        )
    }}

    fn check_eligibility(service: &str, _who: &Applicant, answers: &Answers<'_>) -> Result<Decision, PluginError> {{
        match service {{
            "residence" if answers.number("years")? >= 1.0 => Ok(Decision::Eligible),
            "residence" => Ok(Decision::ineligible(
                Text::new("You must have lived here for at least a year.").te("మీరు కనీసం ఒక సంవత్సరం ఇక్కడ నివసించి ఉండాలి."),
            )),
            other => Err(PluginError::NotFound(other.to_owned())),
        }}
    }}
}}

mitra_sdk::export_department!(Plugin);
"#
    )
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
