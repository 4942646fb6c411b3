//! Host-side bindings of the `mitra:plugin@0.1.0` world.

wasmtime::component::bindgen!({
    path: "../wit",
    world: "department",
    imports: {
        // A request to a host outside the allow-list traps: it is a sandbox
        // violation the host reports, not an error the plugin may swallow.
        "mitra:plugin/http.send": trappable,
    },
    additional_derives: [serde::Serialize, serde::Deserialize, PartialEq],
});

pub use self::mitra::plugin::types::*;

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
