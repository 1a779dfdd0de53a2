//! Agency returns: what each agency is asked for (the Initial Scoping and Information
//! Sharing fields and the chronology), how its entries are validated, and the status of
//! a request. Pure: the store keeps requests and entries, the web serves the links.

pub mod chronology;
pub mod request;
pub mod scoping;

pub use chronology::{
    COLUMNS, ChronologyEntry, MAX_DETAIL_CHARS, MAX_ENTRIES_PER_RETURN, MAX_RETURN_BYTES, MAX_ROWS,
    MAX_WHAT_HAPPENED_CHARS, RowError, parse_entries_json, parse_rows,
};
pub use request::{LINK_EXPIRY_WORKING_DAYS, ReturnState, ReturnStatus};
pub use scoping::{SCOPING_QUESTIONS, Scoping};
