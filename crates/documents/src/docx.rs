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

/// The document as a DOCX file. Its parts are written straight into the archive
/// (docx-rs's streaming `pack`), not rendered whole beside it first: the largest return
/// took 47 MB more that way.
pub(crate) fn pack(doc: Docx) -> Result<Vec<u8>, DocumentError> {
    let mut out = Cursor::new(Vec::new());
    doc.pack(&mut out).map_err(DocumentError::from)?;
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
    let header = ["Date", "Time", "What happened", "Who", "Source", "Significance"];
    let marker_row = TableRow::new((0..header.len()).map(|i| cell(&cell_marker(i))).collect());
    let table = Table::new(vec![
        TableRow::new(header.iter().map(|h| cell(h)).collect()),
        marker_row,
    ]);
    pack_with_rows(doc.add_table(table), entries.iter().map(ChronologyEntry::cells))
}

/// The text that stands for cell `i` of the row [`pack_with_rows`] repeats.
fn cell_marker(i: usize) -> String {
    format!("@@rapid-review-cell-{i}@@")
}

/// Packs `doc`, whose one table row of [`cell_marker`]s is written once for each of
/// `rows`, its markers replaced by the row's cells. A return's chronology may hold 5 MB
/// of text: as docx-rs tables (a cell with its properties for each value) it took 40 MB
/// more to build; written into the rendered part it takes little more than the text.
fn pack_with_rows<const N: usize>(
    doc: Docx,
    rows: impl Iterator<Item = [String; N]>,
) -> Result<Vec<u8>, DocumentError> {
    let mut xml = doc.build();
    let document = std::mem::take(&mut xml.document);
    let first = cell_marker(0);
    let bad = || DocumentError::from("the repeated row was not found in the document");
    let at = find(&document, first.as_bytes(), 0).ok_or_else(bad)?;
    let start = rfind(&document[..at], b"<w:tr").ok_or_else(bad)?;
    let end = find(&document, b"</w:tr>", at).ok_or_else(bad)? + b"</w:tr>".len();
    // The row's XML between its markers: N + 1 pieces.
    let mut pieces: Vec<&[u8]> = Vec::with_capacity(N + 1);
    let mut from = start;
    for i in 0..N {
        let marker = cell_marker(i);
        let found = find(&document[..end], marker.as_bytes(), from).ok_or_else(bad)?;
        pieces.push(&document[from..found]);
        from = found + marker.len();
    }
    pieces.push(&document[from..end]);
    let mut spliced = Vec::with_capacity(document.len());
    spliced.extend_from_slice(&document[..start]);
    for row in rows {
        for (i, value) in row.iter().enumerate() {
            spliced.extend_from_slice(pieces[i]);
            escape_into(&mut spliced, value);
        }
        spliced.extend_from_slice(pieces[N]);
    }
    spliced.extend_from_slice(&document[end..]);
    drop(document);
    xml.document = spliced;
    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out).map_err(DocumentError::from)?;
    Ok(out.into_inner())
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// `text` as XML character data.
fn escape_into(out: &mut Vec<u8>, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '>' => out.extend_from_slice(b"&gt;"),
            '"' => out.extend_from_slice(b"&quot;"),
            '\'' => out.extend_from_slice(b"&apos;"),
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}
