//! Reading an uploaded chronology template (XLSX or CSV) into validated entries.
//! The first row must be the template's column names; every later row is checked, and
//! any bad row fails the whole upload.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::{Duration, NaiveDate};
use domain::returns::{COLUMNS, ChronologyEntry, RowError, parse_rows};

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not a spreadsheet: upload the chronology template as XLSX or CSV")]
    NotASpreadsheet,
    #[error("{0}")]
    Unreadable(String),
    #[error("{} rows have errors; nothing was saved", .0.len())]
    Rows(Vec<RowError>),
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
    for record in reader.records() {
        let record = record.map_err(|e| UploadError::Unreadable(format!("the CSV could not be read: {e}")))?;
        rows.push(record.iter().map(str::to_owned).collect());
    }
    if rows.first().is_none_or(|h: &Vec<String>| h.len() < 2) {
        return Err(UploadError::NotASpreadsheet);
    }
    Ok(rows)
}

fn xlsx_rows(bytes: &[u8]) -> Result<Vec<Vec<String>>, UploadError> {
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| UploadError::NotASpreadsheet)?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or(UploadError::Empty)?
        .map_err(|e| UploadError::Unreadable(format!("the workbook could not be read: {e}")))?;
    Ok(range
        .rows()
        .map(|row| row.iter().enumerate().map(|(i, c)| cell_text(c, i)).collect())
        .collect())
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
    if column == 1 || serial < 1.0 {
        let minutes = ((serial.fract() * 24.0 * 60.0).round()) as i64;
        return format!("{:02}:{:02}", minutes / 60 % 24, minutes % 60);
    }
    (epoch + Duration::days(serial.trunc() as i64)).to_string()
}
