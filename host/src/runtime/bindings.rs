//! Host-side bindings of the contract's two versions.
//!
//! `mitra:plugin@0.2.0` imports 0.1.0's interfaces unchanged and differs in
//! what `render-document` returns, so the host links one set of imports and
//! one set of Rust types for both; only the 0.2.0 document is new. The host
//! works with the 0.2.0 [`Document`] throughout: a 0.1.0 plugin's document is
//! converted up as it is lifted ([`From<DocumentV0_1>`]).

/// The 0.1.0 world: the imports and types both versions share.
pub(super) mod v0_1 {
    wasmtime::component::bindgen!({
        path: "../wit/0.1.0",
        world: "department",
        imports: {
            // A request to a host outside the allow-list traps: it is a sandbox
            // violation the host reports, not an error the plugin may swallow.
            "mitra:plugin/http.send": trappable,
        },
        additional_derives: [serde::Serialize, serde::Deserialize, PartialEq],
    });
}

pub use self::v0_1::mitra;
/// The 0.1.0 document: fields with one-script values, no holder.
pub use self::v0_1::mitra::plugin::types::Document as DocumentV0_1;
pub use self::v0_1::mitra::plugin::types::*;
pub use self::v0_2::mitra::plugin0_2_0::documents::{Document, Holder, Identifier, Photo, Section, TitledField};

/// The 0.2.0 world, its imports and shared types taken from the 0.1.0
/// bindings.
pub(super) mod v0_2 {
    wasmtime::component::bindgen!({
        path: "../wit/0.2.0",
        world: "mitra:plugin/department@0.2.0",
        with: {
            "mitra:plugin/types@0.1.0": crate::runtime::bindings::v0_1::mitra::plugin::types,
            "mitra:plugin/log@0.1.0": crate::runtime::bindings::v0_1::mitra::plugin::log,
            "mitra:plugin/config@0.1.0": crate::runtime::bindings::v0_1::mitra::plugin::config,
            "mitra:plugin/http@0.1.0": crate::runtime::bindings::v0_1::mitra::plugin::http,
        },
        additional_derives: [serde::Serialize, serde::Deserialize, PartialEq],
    });
}

impl Text {
    /// The text in `language`, falling back to English where a translation is missing.
    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::En => &self.en,
            Language::Te => self.te.as_deref().unwrap_or(&self.en),
            Language::Hi => self.hi.as_deref().unwrap_or(&self.en),
        }
    }
}

/// A 0.1.0 document as one untitled section whose values are in one script.
impl From<DocumentV0_1> for Document {
    fn from(document: DocumentV0_1) -> Self {
        let fields: Vec<TitledField> = document
            .fields
            .into_iter()
            .map(|f| TitledField { label: f.label, value: Text { en: f.value, te: None, hi: None } })
            .collect();
        Document {
            title: document.title,
            holder: None,
            sections: if fields.is_empty() { Vec::new() } else { vec![Section { heading: None, fields }] },
            body: document.body,
            layout: document.layout,
            valid_days: document.valid_days,
        }
    }
}

impl Document {
    /// Every field of every section, in order.
    pub fn fields(&self) -> impl Iterator<Item = &TitledField> {
        self.sections.iter().flat_map(|s| s.fields.iter())
    }
}
