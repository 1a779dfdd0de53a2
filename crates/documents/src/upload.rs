//! Reading an uploaded chronology template (XLSX or CSV) into validated entries.
//! The first row must be the template's column names; every later row is checked, and
//! any bad row fails the whole upload.
//!
//! Uploads come from outside, so their size is checked before anything is allocated
//! for it: an XLSX is a ZIP whose parts are decompressed (with a cap) to learn their
//! real size before the spreadsheet reader sees them, and its cells are read one at a
//! time, refusing the first cell beyond row 5,001 or column 30 rather than allocating
//! the rectangle a sheet claims. A CSV is counted row by row as it is read.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::{Duration, NaiveDate};
use domain::returns::{COLUMNS, ChronologyEntry, MAX_ROWS, RowError, parse_rows};

/// The most columns a chronology sheet may use.
pub const MAX_COLUMNS: usize = 30;
/// The most rows a sheet may hold: the header and [`MAX_ROWS`] entries.
const MAX_SHEET_ROWS: usize = MAX_ROWS + 1;
/// The most bytes the parts of an XLSX may take once decompressed, all together.
pub const MAX_EXPANDED_BYTES: u64 = 24 * 1024 * 1024;
/// The most parts (files) an XLSX may hold.
const MAX_PARTS: usize = 200;
/// The most cell elements read from a sheet (a sheet may repeat a position).
const MAX_CELLS: usize = MAX_SHEET_ROWS * MAX_COLUMNS;

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not a spreadsheet: upload the chronology template as XLSX or CSV")]
    NotASpreadsheet,
    /// The sheet is larger than a chronology may be; the message names the limit.
    #[error("{0}")]
    TooBig(String),
    #[error("{0}")]
    Unreadable(String),
    #[error("{} rows have errors; nothing was saved", .0.len())]
    Rows(Vec<RowError>),
}

fn too_many_rows() -> UploadError {
    UploadError::TooBig(format!(
        "the sheet has more than {MAX_ROWS} rows of entries: a chronology upload may hold at most {MAX_ROWS} entries (rows 2 to {MAX_SHEET_ROWS}); split it into several files"
    ))
}

fn too_many_columns() -> UploadError {
    UploadError::TooBig(format!(
        "the sheet uses more than {MAX_COLUMNS} columns: keep to the template's {} columns",
        COLUMNS.len()
    ))
}

/// Reads an XLSX (by its ZIP signature) or UTF-8 CSV upload.
pub fn read_chronology(bytes: &[u8]) -> Result<Vec<ChronologyEntry>, UploadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(UploadError::Empty);
    }
    let rows = if bytes.starts_with(b"PK\x03\x04") {
        xlsx_rows(bytes)?
    } else {
        csv_rows(bytes)?
    };
    let Some((header, data)) = rows.split_first() else {
        return Err(UploadError::Empty);
    };
    let header: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_lowercase().replace(' ', "_"))
        .collect();
    if header
        .iter()
        .take(COLUMNS.len())
        .map(String::as_str)
        .ne(COLUMNS.iter().copied())
    {
        return Err(UploadError::Rows(vec![RowError {
            row: 1,
            field: "(header)".into(),
            message: format!(
                "the first row must be the template's column names: {}",
                COLUMNS.join(", ")
            ),
        }]));
    }
    if data.iter().all(|r| r.iter().all(|c| c.trim().is_empty())) {
        return Err(UploadError::Empty);
    }
    parse_rows(data, 2).map_err(UploadError::Rows)
}

fn csv_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, UploadError> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| UploadError::NotASpreadsheet)?;
    if text.contains('\0') {
        return Err(UploadError::NotASpreadsheet);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(UploadError::Unreadable(format!("the CSV could not be read: {e}"))),
        }
        if rows.len() == MAX_SHEET_ROWS {
            return Err(too_many_rows());
        }
        if record.len() > MAX_COLUMNS {
            return Err(too_many_columns());
        }
        rows.push(record.iter().map(str::to_owned).collect());
    }
    if rows.first().is_none_or(|h: &Vec<String>| h.len() < 2) {
        return Err(UploadError::NotASpreadsheet);
    }
    Ok(rows)
}

/// Decompresses every part of the ZIP, stopping at the cap, to learn the real sizes
/// (a ZIP's own size fields may lie).
fn check_expanded_size(bytes: &[u8]) -> Result<(), UploadError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| UploadError::NotASpreadsheet)?;
    if zip.len() > MAX_PARTS {
        return Err(UploadError::TooBig(format!(
            "the workbook holds more than {MAX_PARTS} parts: upload the chronology template as it was given"
        )));
    }
    let mut total = 0u64;
    let mut sink = [0u8; 16 * 1024];
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|_| UploadError::NotASpreadsheet)?;
        loop {
            let n = part.read(&mut sink).map_err(|_| UploadError::NotASpreadsheet)?;
            if n == 0 {
                break;
            }
            total = total.saturating_add(n as u64);
            if total > MAX_EXPANDED_BYTES {
                return Err(UploadError::TooBig(format!(
                    "the workbook expands to more than {} MB: a chronology of {MAX_ROWS} entries needs far less; upload the template with your entries only",
                    MAX_EXPANDED_BYTES / (1024 * 1024)
                )));
            }
        }
    }
    Ok(())
}

fn xlsx_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, UploadError> {
    check_expanded_size(bytes)?;
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| UploadError::NotASpreadsheet)?;
    let Some(sheet) = workbook.sheet_names().first().cloned() else {
        return Err(UploadError::Empty);
    };
    let mut cells = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(|e| UploadError::Unreadable(format!("the workbook could not be read: {e}")))?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut read = 0usize;
    while let Some(cell) = cells
        .next_cell()
        .map_err(|e| UploadError::Unreadable(format!("the workbook could not be read: {e}")))?
    {
        read += 1;
        if read > MAX_CELLS {
            return Err(too_many_rows());
        }
        let (row, column) = cell.get_position();
        let (row, column) = (row as usize, column as usize);
        if row >= MAX_SHEET_ROWS {
            return Err(too_many_rows());
        }
        if column >= MAX_COLUMNS {
            return Err(too_many_columns());
        }
        let text = cell_text(&Data::from(cell.get_value().clone()), column);
        if text.is_empty() {
            continue;
        }
        if rows.len() <= row {
            rows.resize_with(row + 1, Vec::new);
        }
        let cells_of_row = &mut rows[row];
        if cells_of_row.len() <= column {
            cells_of_row.resize(column + 1, String::new());
        }
        cells_of_row[column] = text;
    }
    Ok(rows)
}

/// A cell as the text the template's column expects: dates as YYYY-MM-DD, times as HH:MM.
fn cell_text(cell: &Data, column: usize) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::DateTime(dt) => serial_text(dt.as_f64(), column),
        Data::Float(f) if column <= 1 => serial_text(*f, column),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

fn serial_text(serial: f64, column: usize) -> String {
    let Some(epoch) = NaiveDate::from_ymd_opt(1899, 12, 30) else {
        return String::new();
    };
    if !serial.is_finite() {
        return serial.to_string();
    }
    if column == 1 || serial < 1.0 {
        let minutes = ((serial.fract() * 24.0 * 60.0).round()) as i64;
        return format!("{:02}:{:02}", minutes / 60 % 24, minutes % 60);
    }
    // A serial beyond the calendar's reach is shown as the number it is, and refused as
    // a date by the row check.
    let days = serial.trunc();
    if !(0.0..=2_958_465.0).contains(&days) {
        return serial.to_string();
    }
    epoch
        .checked_add_signed(Duration::days(days as i64))
        .map_or_else(|| serial.to_string(), |d| d.to_string())
}
