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
/// more to build; streamed into the deflated part, row by row, it takes only the
/// compressed archive.
fn pack_with_rows<const N: usize>(
    doc: Docx,
    rows: impl Iterator<Item = [String; N]>,
) -> Result<Vec<u8>, DocumentError> {
    let mut xml = doc.build();
    let document = std::mem::take(&mut xml.document);
    let first = cell_marker(0);
    let bad = || DocumentError::from("the repeated row was not found in the document");
    let at = find(&document, first.as_bytes(), 0).ok_or_else(bad)?;
    // The row's own tag: `<w:tr>` or `<w:tr …>`, not `<w:trPr>` inside it.
    let start = rfind(&document[..at], b"<w:tr>")
        .max(rfind(&document[..at], b"<w:tr "))
        .ok_or_else(bad)?;
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
    let mut out = Cursor::new(crate::large_buffer(0));
    pack_parts(&mut out, &xml, |w| {
        w.write_all(&document[..start])?;
        for row in rows {
            for (i, value) in row.iter().enumerate() {
                w.write_all(pieces[i])?;
                escaped(w, value)?;
            }
            w.write_all(pieces[N])?;
        }
        w.write_all(&document[end..])
    })?;
    Ok(out.into_inner())
}

/// Writes the parts of `xml` into a DOCX archive, `word/document.xml` by `document`,
/// each part deflated as it is written (as docx-rs's own packing does, less its parts
/// stored uncompressed and the document held whole beside the archive).
fn pack_parts(
    out: &mut Cursor<Vec<u8>>,
    xml: &docx_rs::XMLDocx,
    document: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), DocumentError> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(out);
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let part = |zip: &mut zip::ZipWriter<&mut Cursor<Vec<u8>>>, name: &str, bytes: &[u8]| {
        zip.start_file(name, options).map_err(DocumentError::from)?;
        zip.write_all(bytes).map_err(DocumentError::from)
    };
    part(&mut zip, "[Content_Types].xml", &xml.content_type)?;
    part(&mut zip, "_rels/.rels", &xml.rels)?;
    part(&mut zip, "docProps/app.xml", &xml.doc_props.app)?;
    part(&mut zip, "docProps/core.xml", &xml.doc_props.core)?;
    part(&mut zip, "docProps/custom.xml", &xml.doc_props.custom)?;
    part(&mut zip, "word/_rels/document.xml.rels", &xml.document_rels)?;
    zip.start_file("word/document.xml", options)
        .map_err(DocumentError::from)?;
    document(&mut zip).map_err(DocumentError::from)?;
    part(&mut zip, "word/styles.xml", &xml.styles)?;
    part(&mut zip, "word/settings.xml", &xml.settings)?;
    part(&mut zip, "word/fontTable.xml", &xml.font_table)?;
    part(&mut zip, "word/comments.xml", &xml.comments)?;
    part(&mut zip, "word/numbering.xml", &xml.numberings)?;
    part(&mut zip, "word/commentsExtended.xml", &xml.comments_extended)?;
    part(&mut zip, "word/footnotes.xml", &xml.footnotes)?;
    for (i, header) in xml.headers.iter().enumerate() {
        part(&mut zip, &format!("word/header{}.xml", i + 1), header)?;
        if let Some(rels) = xml.header_rels.get(i) {
            part(&mut zip, &format!("word/_rels/header{}.xml.rels", i + 1), rels)?;
        }
    }
    for (i, footer) in xml.footers.iter().enumerate() {
        part(&mut zip, &format!("word/footer{}.xml", i + 1), footer)?;
        if let Some(rels) = xml.footer_rels.get(i) {
            part(&mut zip, &format!("word/_rels/footer{}.xml.rels", i + 1), rels)?;
        }
    }
    if !xml.media.is_empty() || xml.taskpanes.is_some() || !xml.custom_items.is_empty() {
        return Err(DocumentError::from(
            "a document with images, task panes or custom XML is packed by docx-rs",
        ));
    }
    zip.finish().map_err(DocumentError::from)?;
    Ok(())
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

/// Writes `text` as XML character data.
fn escaped(out: &mut dyn std::io::Write, text: &str) -> std::io::Result<()> {
    let mut from = 0;
    for (at, c) in text.char_indices() {
        let entity: &[u8] = match c {
            '&' => b"&amp;",
            '<' => b"&lt;",
            '>' => b"&gt;",
            '"' => b"&quot;",
            '\'' => b"&apos;",
            _ => continue,
        };
        out.write_all(&text.as_bytes()[from..at])?;
        out.write_all(entity)?;
        from = at + c.len_utf8();
    }
    out.write_all(&text.as_bytes()[from..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(what: &str) -> ChronologyEntry {
        ChronologyEntry::from_cells(&[
            "2026-11-02".into(),
            "09:15".into(),
            what.into(),
            "Nurse & \"Dr\" <A>".into(),
        ])
        .unwrap()
    }

    #[test]
    fn a_return_s_rows_are_written_into_the_document_escaped_and_it_reads_back() {
        let entries: Vec<ChronologyEntry> = (0..300)
            .map(|i| entry(&format!("Seen {i} & sent <home> 'today'")))
            .collect();
        let bytes = return_docx("RR-2026-0001", "A school", &Scoping::default(), &entries).unwrap();
        let read = docx_rs::read_docx(&bytes).unwrap();
        let json = read.json();
        assert!(
            json.contains("Seen 0 & sent <home> 'today'"),
            "the text reads back unescaped"
        );
        assert!(json.contains("Seen 299 & sent"));
        assert!(json.contains("Nurse & \\\"Dr\\\" <A>"));
        assert!(!json.contains("@@rapid-review-cell-"), "no marker is left");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let document = zip.by_name("word/document.xml").unwrap();
        assert_eq!(document.compression(), zip::CompressionMethod::Deflated);
    }
}
