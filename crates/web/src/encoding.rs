//! Answers compressed once and kept: the Case JSON is the same bytes for every reader
//! of a kind until the case changes, so it is compressed once per change rather than per
//! request (tower-http's layer, which compresses everything else, leaves an answer that
//! already has a `Content-Encoding` alone). Brotli is chosen over gzip when the client
//! takes both equally, as the layer does.

use axum::body::Bytes;
use axum::http::HeaderValue;

/// How an answer's body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    /// What the client's `Accept-Encoding` takes best: the coding with the higher `q`,
    /// brotli on a tie, else none. A coding with `q=0` is refused; `*` stands for any
    /// coding not named.
    pub fn preferred(accept: Option<&HeaderValue>) -> Encoding {
        let Some(accept) = accept.and_then(|v| v.to_str().ok()) else {
            return Encoding::Identity;
        };
        let (mut br, mut gzip, mut any) = (None, None, None);
        for item in accept.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            match name.as_str() {
                "br" => br = Some(q),
                "gzip" | "x-gzip" => gzip = Some(q),
                "*" => any = Some(q),
                _ => {}
            }
        }
        let (br, gzip) = (br.or(any).unwrap_or(0.0), gzip.or(any).unwrap_or(0.0));
        if br > 0.0 && br >= gzip {
            Encoding::Brotli
        } else if gzip > 0.0 {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }

    /// The `Content-Encoding` value, if any.
    pub fn header(self) -> Option<HeaderValue> {
        match self {
            Encoding::Identity => None,
            Encoding::Gzip => Some(HeaderValue::from_static("gzip")),
            Encoding::Brotli => Some(HeaderValue::from_static("br")),
        }
    }

    /// `body` encoded so (gzip level 6, brotli quality 5: done once per change, so a
    /// little more effort than per request); `None` if the encoder failed.
    pub fn encode(self, body: &[u8]) -> Option<Bytes> {
        use std::io::Write;
        match self {
            Encoding::Identity => Some(Bytes::copy_from_slice(body)),
            Encoding::Gzip => {
                let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
                encoder.write_all(body).ok()?;
                encoder.finish().ok().map(Bytes::from)
            }
            Encoding::Brotli => {
                let mut out = Vec::new();
                {
                    let mut encoder = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
                    encoder.write_all(body).ok()?;
                    encoder.flush().ok()?;
                }
                Some(Bytes::from(out))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn preferred(accept: &str) -> Encoding {
        Encoding::preferred(Some(&HeaderValue::from_str(accept).unwrap()))
    }

    #[test]
    fn brotli_is_chosen_over_gzip_and_a_refused_coding_is_never_chosen() {
        assert_eq!(preferred("gzip, deflate, br, zstd"), Encoding::Brotli);
        assert_eq!(preferred("gzip"), Encoding::Gzip);
        assert_eq!(preferred("br;q=0, gzip;q=0.5"), Encoding::Gzip);
        assert_eq!(preferred("BR ; q=0.8"), Encoding::Brotli);
        assert_eq!(preferred("gzip;q=0, br;q=0"), Encoding::Identity);
        assert_eq!(preferred("*"), Encoding::Brotli);
        assert_eq!(preferred("*;q=0, gzip"), Encoding::Gzip);
        assert_eq!(preferred("br;q=0.5, gzip"), Encoding::Gzip, "the client's preference");
        assert_eq!(preferred("deflate, identity"), Encoding::Identity);
        assert_eq!(Encoding::preferred(None), Encoding::Identity);
    }

    #[test]
    fn each_encoding_gives_back_the_same_bytes_once_decoded() {
        use std::io::Read;
        let body = br#"{"case":"synthetic","events":[1,2,3]}"#.repeat(50);
        let gzip = Encoding::Gzip.encode(&body).unwrap();
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(&gzip[..])
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, body);
        assert!(gzip.len() < body.len() / 4);
        let br = Encoding::Brotli.encode(&body).unwrap();
        let mut decoded = Vec::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded, body);
        assert_eq!(Encoding::Identity.encode(&body).unwrap(), body);
    }
}
