//! The papers pack: one ZIP with the referral form, every return, the merged
//! chronology and an index.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

use crate::DocumentError;

/// A papers pack written a file at a time, each compressed as it is added, so that
/// only one return's document is ever held uncompressed.
#[derive(Debug)]
pub struct PackWriter {
    zip: zip::ZipWriter<Cursor<Vec<u8>>>,
    index: String,
}

impl PackWriter {
    pub fn new(case_reference: &str) -> PackWriter {
        PackWriter {
            zip: zip::ZipWriter::new(Cursor::new(Vec::new())),
            index: format!("Papers pack for Rapid Review {case_reference}\r\n\r\n"),
        }
    }

    pub fn add(&mut self, name: &str, bytes: &[u8]) -> Result<(), DocumentError> {
        let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        self.zip.start_file(name, options).map_err(DocumentError::from)?;
        self.zip.write_all(bytes).map_err(DocumentError::from)?;
        self.index.push_str(&format!("{name}\r\n"));
        Ok(())
    }

    /// The ZIP, with `index.txt` (every file added, then `notes`) last.
    pub fn finish(mut self, notes: &[String]) -> Result<Vec<u8>, DocumentError> {
        for n in notes {
            self.index.push_str(&format!("\r\n{n}"));
        }
        self.zip
            .start_file("index.txt", SimpleFileOptions::default())
            .map_err(DocumentError::from)?;
        self.zip.write_all(self.index.as_bytes()).map_err(DocumentError::from)?;
        Ok(self.zip.finish().map_err(DocumentError::from)?.into_inner())
    }
}
