//! The merged multi-agency chronology as XLSX and CSV, and the blank template.

use domain::returns::{COLUMNS, ChronologyEntry};
use rust_xlsxwriter::{DataValidation, DataValidationRule, ExcelDateTime, Format, Workbook};

use crate::DocumentError;

/// One submitted entry and the agency that gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergedEntry {
    pub agency: String,
    pub entry: ChronologyEntry,
}

const HEADERS: [&str; 6] = [
    "Date",
    "Time",
    "What happened",
    "Who was involved",
    "Source",
    "Significance",
];

/// CSV of the merged chronology: `agency` then the template's columns.
pub fn chronology_csv(entries: &[MergedEntry]) -> String {
    // Sized once: a return may hold 5 MB of text, and a growing buffer holds it twice.
    let size: usize = entries.iter().map(|e| e.entry.text_bytes() + e.agency.len() + 48).sum();
    let mut out = csv::Writer::from_writer(crate::large_buffer(size + 256));
    let mut header: Vec<std::borrow::Cow<'_, str>> = vec!["agency".into()];
    header.extend(COLUMNS.map(std::borrow::Cow::Borrowed));
    let _ = out.write_record(header.iter().map(|c| c.as_bytes()));
    for e in entries {
        let cells = e.entry.cells();
        let mut record = vec![neutralised(&e.agency)];
        record.extend(cells.iter().map(|c| neutralised(c)));
        let _ = out.write_record(record.iter().map(|c| c.as_bytes()));
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A cell that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return) gets a leading apostrophe, as OWASP's CSV-injection
/// guidance says, so it opens as the text it is; the text after the apostrophe is the
/// original. Others pass unchanged.
pub(crate) fn neutralised(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// XLSX of the merged chronology, one row per entry, agency first.
pub fn chronology_xlsx(case_reference: &str, entries: &[MergedEntry]) -> Result<Vec<u8>, DocumentError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let sheet = workbook
        .add_worksheet()
        .set_name("Chronology")
        .map_err(DocumentError::from)?;
    sheet
        .write_string_with_format(0, 0, "Agency", &bold)
        .map_err(DocumentError::from)?;
    for (i, h) in HEADERS.iter().enumerate() {
        sheet
            .write_string_with_format(0, col(i + 1), *h, &bold)
            .map_err(DocumentError::from)?;
    }
    for (r, e) in entries.iter().enumerate() {
        let row = u32::try_from(r + 1).map_err(DocumentError::from)?;
        sheet.write_string(row, 0, &e.agency).map_err(DocumentError::from)?;
        for (i, cell) in e.entry.cells().iter().enumerate() {
            if i == 2 {
                sheet
                    .write_string_with_format(row, col(i + 1), cell, &wrap)
                    .map_err(DocumentError::from)?;
            } else {
                sheet.write_string(row, col(i + 1), cell).map_err(DocumentError::from)?;
            }
        }
    }
    for (c, width) in [
        (0, 24.0),
        (1, 12.0),
        (2, 8.0),
        (3, 60.0),
        (4, 24.0),
        (5, 20.0),
        (6, 30.0),
    ] {
        sheet.set_column_width(c, width).map_err(DocumentError::from)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(DocumentError::from)?;
    let about = workbook
        .add_worksheet()
        .set_name("About")
        .map_err(DocumentError::from)?;
    about
        .write_string(0, 0, format!("Merged multi-agency chronology for {case_reference}"))
        .map_err(DocumentError::from)?;
    about
        .write_string(1, 0, format!("{} entries, oldest first.", entries.len()))
        .map_err(DocumentError::from)?;
    about
        .write_string(2, 0, "OFFICIAL-SENSITIVE: share only with the Rapid Review attendees.")
        .map_err(DocumentError::from)?;
    workbook.save_to_buffer().map_err(DocumentError::from)
}

/// The blank chronology template: the columns, a date check on the first column, and
/// an instructions sheet. Agencies fill it in and upload it on their return page.
pub fn chronology_template_xlsx() -> Result<Vec<u8>, DocumentError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let text = Format::new().set_num_format("@");
    let sheet = workbook
        .add_worksheet()
        .set_name("Chronology")
        .map_err(DocumentError::from)?;
    for (i, key) in COLUMNS.iter().enumerate() {
        sheet
            .write_string_with_format(0, col(i), *key, &bold)
            .map_err(DocumentError::from)?;
    }
    sheet.set_column_format(0, &date_format).map_err(DocumentError::from)?;
    for c in 1..6 {
        sheet.set_column_format(c, &text).map_err(DocumentError::from)?;
    }
    for (c, width) in [(0, 12.0), (1, 8.0), (2, 60.0), (3, 24.0), (4, 20.0), (5, 30.0)] {
        sheet.set_column_width(c, width).map_err(DocumentError::from)?;
    }
    let earliest = ExcelDateTime::from_ymd(1900, 1, 1).map_err(DocumentError::from)?;
    let latest = ExcelDateTime::from_ymd(2100, 12, 31).map_err(DocumentError::from)?;
    let validation = DataValidation::new()
        .allow_date(DataValidationRule::Between(earliest, latest))
        .set_input_message("Enter the date as YYYY-MM-DD")
        .map_err(DocumentError::from)?
        .set_error_message("This column holds dates: enter the date as YYYY-MM-DD")
        .map_err(DocumentError::from)?;
    sheet
        .add_data_validation(1, 0, 5000, 0, &validation)
        .map_err(DocumentError::from)?;
    sheet.set_freeze_panes(1, 0).map_err(DocumentError::from)?;
    let help = workbook
        .add_worksheet()
        .set_name("Instructions")
        .map_err(DocumentError::from)?;
    let lines = [
        "How to fill in the chronology",
        "",
        "One row for each significant contact or event your agency knows of, on the Chronology sheet.",
        "Keep the first row (the column names) as it is.",
        "date: the day it happened, as YYYY-MM-DD (required).",
        "time: the time, as HH:MM, if known.",
        "what_happened: what happened (required).",
        "who: who was involved (roles, not names, where you can).",
        "source: where the information comes from (for example the case record).",
        "significance: why it matters to the review.",
        "",
        "Upload the file on your return page. If any row is wrong, nothing is saved and every",
        "wrong row is listed with its number so that you can correct it and upload again.",
    ];
    for (i, line) in lines.iter().enumerate() {
        let row = u32::try_from(i).map_err(DocumentError::from)?;
        if i == 0 {
            help.write_string_with_format(row, 0, *line, &bold)
                .map_err(DocumentError::from)?;
        } else {
            help.write_string(row, 0, *line).map_err(DocumentError::from)?;
        }
    }
    help.set_column_width(0, 100.0).map_err(DocumentError::from)?;
    workbook.save_to_buffer().map_err(DocumentError::from)
}

fn col(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use domain::events::Text;
    use domain::returns::ChronologyEntry;

    fn entry(what: &str, who: &str) -> MergedEntry {
        MergedEntry {
            agency: "county-police".into(),
            entry: ChronologyEntry {
                date: "2026-03-01".parse().unwrap(),
                time: None,
                what_happened: Text::try_from(what).unwrap(),
                who: Some(Text::try_from(who).unwrap()),
                source: None,
                significance: None,
            },
        }
    }

    /// Hardening row 9: formula cells open as text, and the original survives after
    /// the apostrophe.
    #[test]
    fn the_csv_export_neutralises_formula_cells_and_keeps_their_text() {
        let dangerous = [
            "=HYPERLINK(\"http://evil.example\",\"click\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "-=cmd|' /C calc'!A0",
        ];
        let entries: Vec<MergedEntry> = dangerous.iter().map(|d| entry(d, "Plain who")).collect();
        let csv = chronology_csv(&entries);
        let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), dangerous.len());
        for (row, original) in rows.iter().zip(dangerous) {
            let cell = &row[3];
            assert!(cell.starts_with('\''), "{cell}");
            assert_eq!(&cell[1..], original);
            assert_eq!(&row[4], "Plain who");
        }
    }
}
