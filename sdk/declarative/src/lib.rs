//! # mitra-declarative
//!
//! Services as definitions (see `DEFINITIONS.md`): the files a department
//! writes instead of Rust, read and checked whole with the file, line and
//! reason of every error ([`check`]), and served ([`serve`]): eligibility
//! rules and templates in CEL ([`expr`]), the department's record fetched,
//! the document filled in.
//!
//! The same code runs in three places: in the generic department component
//! (`plugins/declarative`), in `mitra plugin build/pack` before a package is
//! signed, and in the host when it loads a package.

pub mod check;
pub mod expr;
pub mod model;
pub mod serve;

pub use check::{DefinitionError, DefinitionErrors, Definitions, is_slug, load_dir, parse_dir};
