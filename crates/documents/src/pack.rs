//! The papers pack: one ZIP with the referral form, every return, the merged
//! chronology and an index.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

use crate::DocumentError;

#[derive(Debug, Clone)]
pub struct PackFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A ZIP of `files` with an `index.txt` listing them first.
pub fn pack_zip(case_reference: &str, files: &[PackFile], notes: &[String]) -> Result<Vec<u8>, DocumentError> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    let mut index = format!("Papers pack for Rapid Review {case_reference}\r\n\r\n");
    for f in files {
        index.push_str(&format!("{}\r\n", f.name));
    }
    for n in notes {
        index.push_str(&format!("\r\n{n}"));
    }
    zip.start_file("index.txt", options).map_err(DocumentError::from)?;
    zip.write_all(index.as_bytes()).map_err(DocumentError::from)?;
    for f in files {
        zip.start_file(f.name.as_str(), options).map_err(DocumentError::from)?;
        zip.write_all(&f.bytes).map_err(DocumentError::from)?;
    }
    Ok(zip.finish().map_err(DocumentError::from)?.into_inner())
}
