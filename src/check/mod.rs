//! The rules `check` applies beyond what `build` validates: the internal-link check over the
//! rendered HTML (which `build` and `serve` run too), the government website inspection
//! rules, the report formats, and a content repository checked on its own. The driver runs
//! them (`crate::pipeline::check`).

pub mod format;
pub mod inspect;
pub mod links;
pub mod standalone;
pub mod words;
