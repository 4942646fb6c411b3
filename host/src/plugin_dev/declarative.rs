//! Declarative departments in the vendor's tools: `mitra plugin new
//! --declarative` scaffolds one, `mitra plugin build` gives it the generic
//! department component (built from `plugins/declarative`).

use std::path::{Path, PathBuf};

use anyhow::bail;

use crate::runtime::is_slug;

/// The generic department component's crate: `MITRA_DECLARATIVE_CRATE`, or
/// the one in this checkout.
pub fn component_crate() -> PathBuf {
    std::env::var_os("MITRA_DECLARATIVE_CRATE")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("plugins").join("declarative"))
}

/// Creates `parent/name`: a manifest, `data/department.toml` and one
/// service that builds, loads and passes the conformance checks as it is.
pub fn new_department(parent: &Path, name: &str) -> anyhow::Result<PathBuf> {
    if !is_slug(name) {
        bail!("department name {name:?} must be lowercase letters, digits and '-' (it becomes the department id)");
    }
    let dir = parent.join(name);
    if dir.exists() {
        bail!("{} already exists", dir.display());
    }
    std::fs::create_dir_all(dir.join("data").join("services"))?;
    std::fs::write(dir.join("plugin.toml"), plugin_toml(name))?;
    let title = title(name);
    std::fs::write(
        dir.join("data").join("department.toml"),
        format!(
            "# The department. Its services are the files in services/ (see DEFINITIONS.md).\nid = \"{name}\"\nname = {{ en = \"{title}\", te = \"{title}\", hi = \"{title}\" }}\n"
        ),
    )?;
    std::fs::write(dir.join("data").join("services").join("residence.toml"), SERVICE)?;
    std::fs::write(dir.join(".gitignore"), "*.wasm\n")?;
    Ok(dir)
}

fn title(name: &str) -> String {
    let mut title: String = name
        .split('-')
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map(|c| c.to_uppercase().chain(chars).collect::<String>()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ");
    title.truncate(24);
    title
}

fn plugin_toml(name: &str) -> String {
    format!(
        r#"# A department whose services are definitions (data/services/*.toml),
# served by Mitra's generic department component.
id = "{name}"
version = "0.1.0"
# Written by `mitra plugin build`.
component = "declarative.wasm"

[capabilities]
# The department's own systems (host:port), and nothing else.
allowed_hosts = []
data_dir = "data"
memory_mib = 32
deadline_ms = 2000

[config]
# Where the services' [fetch] paths go.
# backend = "http://127.0.0.1:7899"
"#
    )
}

/// A first service with no department system to call: an application
/// checked by a rule on its answers.
const SERVICE: &str = r#"# One service. Reference: sdk/declarative/DEFINITIONS.md in the Mitra repository.
id = "residence"
title = { en = "Residence certificate", te = "నివాస ధృవీకరణ పత్రం", hi = "निवास प्रमाण पत्र" }
description = { en = "Proof of where you live", te = "మీ నివాస ధృవీకరణ", hi = "आपके निवास का प्रमाण" }
category = "certificates"
delivery = "application"
sla_days = 7
keywords = { en = ["residence", "address proof", "nivasam"], te = ["నివాసం"], hi = ["निवास"] }

[[fields]]
id = "aadhaar"
label = { en = "Aadhaar number?", te = "ఆధార్ సంఖ్య?", hi = "आधार संख्या?" }
kind = "aadhaar"

[[fields]]
id = "years"
label = { en = "Years at this address?", te = "ఈ చిరునామాలో ఎన్ని సంవత్సరాలు?", hi = "इस पते पर कितने वर्ष?" }
kind = "number"
min = 0
max = 120
integer = true

[[rules]]
when = "answers.years >= 1"
otherwise = { en = "You must have lived here for at least a year.", te = "మీరు కనీసం ఒక సంవత్సరం ఇక్కడ నివసించి ఉండాలి.", hi = "आपको यहाँ कम से कम एक वर्ष रहना चाहिए।" }
"#;
