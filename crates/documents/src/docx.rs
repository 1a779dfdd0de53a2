//! Word documents: the shared pieces (the OFFICIAL-SENSITIVE marking, headings, tables),
//! the blank scoping template and an agency's completed return.

use std::io::Cursor;

use docx_rs::{Docx, Footer, Header, LineSpacing, Paragraph, Run, Table, TableCell, TableRow};
use domain::returns::{ChronologyEntry, SCOPING_QUESTIONS, Scoping};

use crate::DocumentError;

pub(crate) fn heading(text: &str, size: usize) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(text).bold().size(size))
        .line_spacing(LineSpacing::new().before(240).after(120))
}

pub(crate) fn para(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(text))
        .line_spacing(LineSpacing::new().after(120))
}

/// A text of several lines as one paragraph each (an empty text as one empty line).
pub(crate) fn paras(mut doc: Docx, text: &str) -> Docx {
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        doc = doc.add_paragraph(para(line));
    }
    if text.trim().is_empty() {
        doc = doc.add_paragraph(para("(Not written yet.)"));
    }
    doc
}

pub(crate) fn cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(text)))
}

pub(crate) fn bold_cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(text).bold()))
}

/// A table of (label, value) rows.
pub(crate) fn pairs_table(rows: &[(&str, String)]) -> Table {
    Table::new(
        rows.iter()
            .map(|(k, v)| TableRow::new(vec![bold_cell(k), cell(v)]))
            .collect(),
    )
}

/// A table with a header row.
pub(crate) fn grid(header: &[&str], rows: Vec<Vec<String>>) -> Table {
    let mut all = vec![TableRow::new(header.iter().map(|h| bold_cell(h)).collect())];
    all.extend(
        rows.into_iter()
            .map(|r| TableRow::new(r.iter().map(|c| cell(c)).collect())),
    );
    Table::new(all)
}

/// A new document marked OFFICIAL-SENSITIVE at the top and foot of every page.
pub(crate) fn official() -> Docx {
    let mark = || Paragraph::new().add_run(Run::new().add_text("OFFICIAL-SENSITIVE").bold().size(20));
    Docx::new()
        .header(Header::new().add_paragraph(mark()))
        .footer(Footer::new().add_paragraph(mark()))
}

/// A date as people write it: "21 December 2026".
pub(crate) fn long(d: chrono::NaiveDate) -> String {
    domain::dates::long(d)
}

pub(crate) fn pack(doc: Docx) -> Result<Vec<u8>, DocumentError> {
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
