//! Documents Rapid Review writes and reads, with no office software: the chronology
//! (XLSX and CSV, and the blank template agencies fill in), the scoping template and
//! returns (DOCX), the referral form, the Rapid Review Template and the letters to the
//! Panel and the agencies (DOCX), the meeting invitation (ICS) and the papers pack (ZIP). Readers turn an uploaded chronology into validated domain entries.

mod chronology;
mod docx;
pub mod file_names;
mod ics;
mod outcome;
mod pack;
mod papers_in;
mod referral;
mod review;
mod table;
mod upload;

pub use chronology::{MergedEntry, chronology_csv, chronology_template_xlsx, chronology_xlsx};
pub use docx::{return_docx, scoping_template_docx};
pub use ics::{Invitation, meeting_ics};
pub use outcome::{
    Addressed, DEFAULT_PARTNERSHIP, DecisionLetter, NoLetter, RecipientLetter, decision_letter_docx, recipient_letter,
};
pub use pack::PackWriter;
pub use papers_in::{MAX_PAPER_BYTES, PaperType, paper_type};
pub use referral::{ReferralForm, describe_child, referral_docx, referral_form};
pub use review::{
    CaseHeading, OutcomeLetter, PanelLetter, SignOffLine, TemplateDocument, outcome_letter_docx, panel_letter_docx,
    rapid_review_template_docx,
};
pub use table::{CsvTable, table_csv, table_xlsx};
pub use upload::{UploadError, read_chronology};

/// A buffer for a large document of about `needed` bytes.
///
/// Its capacity is at least 33 MiB: above the largest threshold at which glibc serves an
/// allocation with a mapping of its own (32 MiB), so that it goes back to the system
/// when dropped instead of staying in one thread's heap, and is never copied while it
/// grows. Capacity that is never written costs no memory. The password hash's memory
/// does the same (store `password_worker`). What the largest return still leaves behind
/// is smaller allocations: docs/benchmarks.md, "Memory".
pub fn large_buffer(needed: usize) -> Vec<u8> {
    const OWN_MAPPING_BYTES: usize = 33 * 1024 * 1024;
    Vec::with_capacity(needed.max(OWN_MAPPING_BYTES))
}

/// A document could not be written.
#[derive(Debug, thiserror::Error)]
#[error("could not write the document: {0}")]
pub struct DocumentError(String);

impl DocumentError {
    fn from(e: impl std::fmt::Display) -> Self {
        DocumentError(e.to_string())
    }
}
