//! A report's table as a file: CSV (cells that would run as formulas neutralised, as
//! in the chronology) or XLSX (a frozen header row, and an "About" sheet saying what it
//! is, for whom, and the marking).

use rust_xlsxwriter::{Format, Workbook};

use crate::DocumentError;
use crate::chronology::neutralised;

/// The table as CSV, header first.
pub fn table_csv(headers: &[String], rows: &[Vec<String>]) -> String {
    let mut table = CsvTable::new(headers);
    for row in rows {
        table.row(row);
    }
    table.finish()
}

/// A CSV table written a row at a time, so that no caller holds every row.
#[derive(Debug)]
pub struct CsvTable(csv::Writer<Vec<u8>>);

impl CsvTable {
    pub fn new(headers: &[String]) -> CsvTable {
        let mut out = csv::Writer::from_writer(Vec::new());
        let _ = out.write_record(headers.iter().map(|h| neutralised(h).into_owned()));
        CsvTable(out)
    }

    pub fn row(&mut self, cells: &[String]) {
        let _ = self.0.write_record(cells.iter().map(|c| neutralised(c).into_owned()));
    }

    pub fn finish(self) -> String {
        String::from_utf8(self.0.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// The table as XLSX on a sheet called `sheet`, with `about` lines on a second sheet.
pub fn table_xlsx(
    sheet: &str,
    headers: &[String],
    rows: &[Vec<String>],
    about: &[String],
) -> Result<Vec<u8>, DocumentError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let table = workbook.add_worksheet().set_name(sheet).map_err(DocumentError::from)?;
    for (c, h) in headers.iter().enumerate() {
        let c = u16::try_from(c).map_err(DocumentError::from)?;
        table
            .write_string_with_format(0, c, h, &bold)
            .map_err(DocumentError::from)?;
        table.set_column_width(c, 16.0).map_err(DocumentError::from)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(DocumentError::from)?;
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(DocumentError::from)?;
            match as_number(cell) {
                Some(n) => table.write_number(r, c, n).map_err(DocumentError::from)?,
                None => table.write_string(r, c, cell).map_err(DocumentError::from)?,
            };
        }
    }
    table.set_freeze_panes(1, 1).map_err(DocumentError::from)?;
    let notes = workbook
        .add_worksheet()
        .set_name("About")
        .map_err(DocumentError::from)?;
    for (r, line) in about.iter().enumerate() {
        let r = u32::try_from(r).map_err(DocumentError::from)?;
        notes.write_string(r, 0, line).map_err(DocumentError::from)?;
    }
    workbook.save_to_buffer().map_err(DocumentError::from)
}

/// A whole number written plainly ("6", "-2", not "+6" or "007"): counts of working
/// days stay numbers in the sheet, to sum and average.
fn as_number(cell: &str) -> Option<f64> {
    let n: i32 = cell.parse().ok()?;
    (n.to_string() == cell).then_some(f64::from(n))
}
