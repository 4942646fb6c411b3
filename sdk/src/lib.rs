//! # mitra-sdk
//!
//! Everything a department vendor needs to build a Mitra plugin: the
//! contract's types as Rust types, builders for services, forms and documents,
//! the validators Indian forms need, and [`export_department!`].
//!
//! A plugin is a `cdylib` crate built for `wasm32-wasip2`:
//!
//! ```no_run
//! use mitra_sdk::prelude::*;
//!
//! struct Hello;
//!
//! impl Department for Hello {
//!     fn describe() -> DepartmentInfo {
//!         DepartmentInfo::new("hello", Text::new("Hello").te("నమస్తే"))
//!             .service(
//!                 Service::new("greeting", Text::new("Greeting").te("శుభాకాంక్ష"))
//!                     .field(Field::text("name", Text::new("Your name?").te("మీ పేరు?"))),
//!             )
//!     }
//!
//!     fn check_eligibility(_service: &str, _who: &Applicant, _answers: &Answers<'_>) -> Result<Decision, PluginError> {
//!         Ok(Decision::Eligible)
//!     }
//! }
//!
//! mitra_sdk::export_department!(Hello);
//! ```
//!
//! The host gives a plugin nothing but what the contract names: logging
//! ([`host::log`]), its operator-set configuration ([`host::config`]), HTTP to
//! the hosts its manifest allows ([`host::http`]), and its read-only data
//! directory, visible as `/data` to `std::fs`.
#![deny(missing_docs)]

// The generated bindings name this crate by its public path, which must
// resolve inside the crate too.
#[allow(unused_extern_crates)] // used by the generated code only
extern crate self as mitra_sdk;

pub mod clock;
pub mod money;
pub mod validate;

/// The date library the SDK's date answers use (`Answers::date` returns a
/// [`time::Date`]), re-exported so a plugin can name its types without
/// depending on it.
pub use time;

#[cfg(feature = "guest")]
mod answers;
#[cfg(feature = "guest")]
mod builders;
#[cfg(feature = "guest")]
mod department;
#[cfg(feature = "guest")]
pub mod host;

#[cfg(feature = "guest")]
#[doc(hidden)]
#[allow(missing_docs, unreachable_pub, clippy::all)]
pub mod wit {
    wit_bindgen::generate!({
        path: "../wit/0.2.0",
        world: "mitra:plugin/department@0.2.0",
        generate_all,
        pub_export_macro: true,
        export_macro_name: "__export_department_world",
        default_bindings_module: "mitra_sdk::wit",
        runtime_path: "mitra_sdk::wit::__rt",
        additional_derives: [PartialEq],
    });

    // Plugins depend on mitra-sdk only; the generated code finds the
    // wit-bindgen runtime through this path.
    pub use wit_bindgen::rt as __rt;

    /// The optional `wizer-initialize` export (see [`crate::pre_initialise!`]).
    pub mod pre_init {
        wit_bindgen::generate!({
            path: "../wit/pre-init",
            world: "mitra:pre-init/pre-init@0.1.0",
            pub_export_macro: true,
            export_macro_name: "__export_pre_init_world",
            default_bindings_module: "mitra_sdk::wit::pre_init",
            runtime_path: "mitra_sdk::wit::__rt",
        });
    }
}

/// Has the host run `$init` once when it loads the plugin and start every
/// call from the memory it leaves (still a fresh instance per call).
///
/// For set-up that every call would otherwise repeat: parser tables, warmed
/// caches. `$init` runs with nothing granted (no `/data`, no network, no
/// config) and must neither depend on the citizen or the time nor keep file
/// handles; see `wit/pre-init/world.wit`.
///
/// ```ignore
/// fn warm_up() { my_rules::parse("answers.age >= 60"); }
/// mitra_sdk::pre_initialise!(warm_up);
/// ```
#[cfg(feature = "guest")]
#[macro_export]
macro_rules! pre_initialise {
    ($init:path) => {
        const _: () = {
            struct __MitraPreInit;
            impl $crate::wit::pre_init::Guest for __MitraPreInit {
                fn wizer_initialize() {
                    $init()
                }
            }
    $crate::wit::pre_init::__export_pre_init_world!(__MitraPreInit with_types_in $crate::wit::pre_init);
        };
    };
}

#[cfg(feature = "guest")]
pub use answers::Answers;
#[cfg(feature = "guest")]
#[doc(hidden)]
pub use department::Adapter;
#[cfg(feature = "guest")]
pub use department::Department;
#[cfg(feature = "guest")]
pub use wit::mitra::plugin0_1_0::types::{
    Answer, AnswerValue, Applicant, Application, ChoiceOption, DataRecord, DateRule, Decision, Delivery,
    DepartmentInfo, Document, Field, FieldKind, Geo, Keywords, Labelled, Language, Layout, Media, NumberRules,
    PluginError, Service, Text, TextRules,
};
/// The 0.2.0 document: a [`Certificate`] with its holder and titled sections.
#[cfg(feature = "guest")]
pub use wit::mitra::plugin0_2_0::documents::{
    Document as Certificate, Holder, Identifier, Photo, Section, TitledField,
};

/// The contract version this SDK builds plugins against: `mitra:plugin@0.2.0`,
/// which is 0.1.0 with a richer document (`render-document` returns a
/// [`Certificate`]); a plugin that implements only
/// [`Department::render_document`] is served its 0.1.0 document, converted.
pub const CONTRACT_VERSION: &str = "0.2.0";

/// `use mitra_sdk::prelude::*;` brings in what a department plugin uses.
#[cfg(feature = "guest")]
pub mod prelude {
    pub use crate::{
        Answer, AnswerValue, Answers, Applicant, Application, Certificate, DataRecord, DateRule, Decision, Delivery,
        Department, DepartmentInfo, Document, Field, Holder, Labelled, Language, Layout, PluginError, Section, Service,
        Text, host, validate,
    };
}
