//! What an uploaded paper of the local review is: a PDF or a Word document (DOCX),
//! told by its bytes, never by its name or the type the client claims.

use std::io::Cursor;

/// The most an uploaded paper may hold.
pub const MAX_PAPER_BYTES: usize = 20 * 1024 * 1024;

/// An uploaded paper's type: its content type and file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaperType {
    pub content_type: &'static str,
    pub extension: &'static str,
}

pub const PDF: PaperType = PaperType {
    content_type: "application/pdf",
    extension: "pdf",
};

pub const DOCX: PaperType = PaperType {
    content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    extension: "docx",
};

/// The type of `bytes`, or why it is neither a PDF nor a DOCX.
pub fn paper_type(bytes: &[u8]) -> Result<PaperType, String> {
    if bytes.is_empty() {
        return Err("the file is empty".into());
    }
    if bytes.len() > MAX_PAPER_BYTES {
        return Err("the file is larger than 20 MB".into());
    }
    if bytes.starts_with(b"%PDF-") {
        return Ok(PDF);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let is_docx = zip::ZipArchive::new(Cursor::new(bytes))
            .map(|z| z.index_for_name("word/document.xml").is_some())
            .unwrap_or(false);
        if is_docx {
            return Ok(DOCX);
        }
    }
    Err("upload a PDF or a Word document (DOCX)".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paper_is_known_by_its_bytes() {
        assert_eq!(paper_type(b"%PDF-1.7\n...").unwrap(), PDF);
        let docx = crate::scoping_template_docx().unwrap();
        assert_eq!(paper_type(&docx).unwrap(), DOCX);
        let xlsx = crate::chronology_template_xlsx().unwrap();
        assert!(paper_type(&xlsx).is_err(), "a zip that is not a Word document");
        assert!(paper_type(b"MZ\x90\x00").is_err());
        assert!(paper_type(b"").is_err());
    }
}
