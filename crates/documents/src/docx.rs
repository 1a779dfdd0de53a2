//! Word documents: the blank scoping template, an agency's completed return, and the
//! referral form as recorded.

use std::io::Cursor;

use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};
use domain::returns::{ChronologyEntry, SCOPING_QUESTIONS, Scoping};

use crate::DocumentError;

fn heading(text: &str, size: usize) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text).bold().size(size))
}

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

fn cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(para(text))
}

fn pack(doc: Docx) -> Result<Vec<u8>, DocumentError> {
    let mut out = Cursor::new(Vec::new());
    doc.build().pack(&mut out).map_err(DocumentError::from)?;
    Ok(out.into_inner())
}

/// The Initial Scoping and Information Sharing template, blank.
pub fn scoping_template_docx() -> Result<Vec<u8>, DocumentError> {
    let mut doc = Docx::new()
        .add_paragraph(heading("Initial Scoping and Information Sharing", 36))
        .add_paragraph(para(
            "Rapid Review: please complete for your agency and return by the date in your request.",
        ))
        .add_paragraph(para("Case reference:"))
        .add_paragraph(para("Agency:"));
    for (_, question) in SCOPING_QUESTIONS {
        doc = doc
            .add_paragraph(heading(question, 24))
            .add_paragraph(para(" "))
            .add_paragraph(para(" "));
    }
    pack(doc)
}

/// One agency's return: its scoping answers and its chronology entries.
pub fn return_docx(
    case_reference: &str,
    agency: &str,
    scoping: &Scoping,
    entries: &[ChronologyEntry],
) -> Result<Vec<u8>, DocumentError> {
    let mut doc = Docx::new()
        .add_paragraph(heading("Initial Scoping and Information Sharing", 36))
        .add_paragraph(para(&format!("Case reference: {case_reference}")))
        .add_paragraph(para(&format!("Agency: {agency}")));
    for (_, question, answer) in scoping.answers() {
        let answer = if answer.is_empty() {
            "(not answered)".to_owned()
        } else {
            answer
        };
        doc = doc.add_paragraph(heading(question, 24)).add_paragraph(para(&answer));
    }
    doc = doc.add_paragraph(heading("Chronology", 28));
    let mut rows = vec![TableRow::new(
        ["Date", "Time", "What happened", "Who", "Source", "Significance"]
            .iter()
            .map(|h| cell(h))
            .collect(),
    )];
    for e in entries {
        rows.push(TableRow::new(e.cells().iter().map(|c| cell(c)).collect()));
    }
    pack(doc.add_table(Table::new(rows)))
}

/// The referral form as recorded, field by field.
#[derive(Debug, Clone, Default)]
pub struct ReferralForm {
    pub case_reference: String,
    /// (label, value) pairs in the order the form shows them.
    pub fields: Vec<(String, String)>,
}

pub fn referral_docx(form: &ReferralForm) -> Result<Vec<u8>, DocumentError> {
    let mut doc = Docx::new()
        .add_paragraph(heading("Joint Case Review referral form", 36))
        .add_paragraph(para(&format!("Case reference: {}", form.case_reference)));
    let rows: Vec<TableRow> = form
        .fields
        .iter()
        .map(|(k, v)| TableRow::new(vec![cell(k), cell(v)]))
        .collect();
    if !rows.is_empty() {
        doc = doc.add_table(Table::new(rows));
    }
    pack(doc)
}
