//! Files a debtor attaches to a dispute: PDF, PNG or JPEG, checked by what they contain, not by
//! what the browser or the name claims. Pure, so the rules have their own tests.

use serde::{Deserialize, Serialize};

/// What the portal accepts at most; a creditor may lower both.
pub const HARD_MAX_FILES: usize = 5;
pub const HARD_MAX_BYTES: usize = 5 * 1024 * 1024;
/// Longest file name kept, in characters.
pub const MAX_NAME_CHARS: usize = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    Pdf,
    Png,
    Jpeg,
}

impl FileKind {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
        }
    }

    pub fn parse(content_type: &str) -> Option<Self> {
        [Self::Pdf, Self::Png, Self::Jpeg]
            .into_iter()
            .find(|k| k.content_type() == content_type)
    }

    fn from_extension(name: &str) -> Option<Self> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "pdf" => Some(Self::Pdf),
            "png" => Some(Self::Png),
            "jpg" | "jpeg" => Some(Self::Jpeg),
            _ => None,
        }
    }

    /// What the bytes are, from their signature.
    fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else {
            None
        }
    }
}

/// The creditor's limits, never above the portal's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadLimits {
    pub max_files: usize,
    pub max_bytes: usize,
}

impl UploadLimits {
    pub fn new(max_files: i64, max_bytes: i64) -> Self {
        Self {
            max_files: usize::try_from(max_files).unwrap_or(0).min(HARD_MAX_FILES),
            max_bytes: usize::try_from(max_bytes).unwrap_or(0).min(HARD_MAX_BYTES),
        }
    }
}

impl Default for UploadLimits {
    fn default() -> Self {
        Self {
            max_files: HARD_MAX_FILES,
            max_bytes: HARD_MAX_BYTES,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum UploadError {
    #[error("more than {0} files")]
    TooMany(usize),
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {0} bytes")]
    TooLarge(usize),
    #[error("the file name is empty, too long, or has path separators or control characters")]
    BadName,
    #[error("only PDF, PNG and JPEG files are accepted")]
    NotAllowed,
    #[error("the content is not what the name or the type says")]
    Mismatch,
    #[error("the file holds something besides a PDF, PNG or JPEG")]
    Polyglot,
}

/// A file name as stored and offered back: no path, no control characters, no leading dot,
/// at most `MAX_NAME_CHARS` characters. Refused rather than cleaned, so the debtor knows.
pub fn check_name(name: &str) -> Result<String, UploadError> {
    let name = name.trim();
    let bad = name.is_empty()
        || name.chars().count() > MAX_NAME_CHARS
        || name.starts_with('.')
        || name.chars().any(|c| {
            c.is_control()
                || matches!(
                    c,
                    '/' | '\\' | '"' | '\u{202E}' | '\u{202D}' | '\u{2066}'..='\u{2069}'
                )
        });
    if bad {
        Err(UploadError::BadName)
    } else {
        Ok(name.to_string())
    }
}

/// Checks one file: its name, the type the browser declared (empty or
/// `application/octet-stream` when it did not know), its size and its content.
pub fn check_file(
    name: &str,
    declared_type: &str,
    bytes: &[u8],
    limits: UploadLimits,
) -> Result<(String, FileKind), UploadError> {
    let name = check_name(name)?;
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    if bytes.len() > limits.max_bytes {
        return Err(UploadError::TooLarge(limits.max_bytes));
    }
    let by_name = FileKind::from_extension(&name).ok_or(UploadError::NotAllowed)?;
    let by_content = FileKind::sniff(bytes).ok_or(UploadError::Mismatch)?;
    let declared = declared_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let declared_ok = match declared.as_str() {
        "" | "application/octet-stream" => true,
        "image/jpg" | "image/pjpeg" => by_content == FileKind::Jpeg,
        t => FileKind::parse(t) == Some(by_content),
    };
    if by_name != by_content || !declared_ok {
        return Err(UploadError::Mismatch);
    }
    if !well_formed(by_content, bytes) || holds_other_formats(bytes) {
        return Err(UploadError::Polyglot);
    }
    Ok((name, by_content))
}

/// The file ends where its format says it ends: nothing is appended after a PNG's IEND chunk
/// or a PDF's last `%%EOF` (bar trailing whitespace). A JPEG must hold an end-of-image marker,
/// but may carry data after it: phones append motion-photo videos there, and refusing every
/// such photo would fail the debtors this is for; the marker scan still looks at that data.
fn well_formed(kind: FileKind, bytes: &[u8]) -> bool {
    match kind {
        FileKind::Png => png_ends_at_iend(bytes),
        FileKind::Jpeg => bytes.windows(2).any(|w| w == [0xFF, 0xD9]),
        FileKind::Pdf => {
            let end = bytes
                .iter()
                .rposition(|b| !b.is_ascii_whitespace() && *b != 0)
                .map_or(0, |i| i + 1);
            bytes[..end].ends_with(b"%%EOF")
        }
    }
}

/// Walks the PNG chunks: each is length, type, data, CRC; the last must be IEND at the very end.
fn png_ends_at_iend(bytes: &[u8]) -> bool {
    let mut at = 8;
    while at + 12 <= bytes.len() {
        let len =
            u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize;
        let kind = &bytes[at + 4..at + 8];
        let Some(next) = at.checked_add(12).and_then(|n| n.checked_add(len)) else {
            return false;
        };
        if next > bytes.len() {
            return false;
        }
        if kind == b"IEND" {
            return next == bytes.len();
        }
        at = next;
    }
    false
}

/// Markers of HTML, script or an archive anywhere in the file: such a file can be read as
/// something else (a page, a JAR) by a program that sniffs.
fn holds_other_formats(bytes: &[u8]) -> bool {
    const MARKERS: [&[u8]; 9] = [
        b"<script",
        b"<html",
        b"<!doctype",
        b"<svg",
        b"<iframe",
        b"<body",
        b"javascript:",
        b"PK\x03\x04",
        b"PK\x05\x06",
    ];
    bytes.windows(12).any(|w| {
        MARKERS
            .iter()
            .any(|m| w.len() >= m.len() && w[..m.len()].eq_ignore_ascii_case(m))
    }) || {
        // The last few bytes, which `windows(12)` only sees from their first byte.
        let tail = &bytes[bytes.len().saturating_sub(11)..];
        MARKERS
            .iter()
            .any(|m| tail.windows(m.len()).any(|w| w.eq_ignore_ascii_case(m)))
    }
}

/// `Content-Disposition` for a stored file: ASCII fallback plus the UTF-8 name (RFC 6266).
pub fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_ ()".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png() -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
        b.extend_from_slice(&[0, 0, 0, 13]);
        b.extend_from_slice(b"IHDR");
        b.extend_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
        b.extend_from_slice(&[0x1f, 0x15, 0xc4, 0x89]);
        b.extend_from_slice(&[0, 0, 0, 0]);
        b.extend_from_slice(b"IEND");
        b.extend_from_slice(&[0xae, 0x42, 0x60, 0x82]);
        b
    }

    fn pdf() -> Vec<u8> {
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
            .to_vec()
    }

    const L: UploadLimits = UploadLimits {
        max_files: 5,
        max_bytes: 1000,
    };

    #[test]
    fn files_are_known_by_their_content() {
        assert_eq!(
            check_file("facture.pdf", "application/pdf", &pdf(), L),
            Ok(("facture.pdf".into(), FileKind::Pdf))
        );
        assert_eq!(
            check_file("photo.PNG", "", &png(), L).unwrap().1,
            FileKind::Png
        );
        assert_eq!(
            check_file(
                "scan.jpg",
                "image/jpeg",
                &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0xFF, 0xD9],
                L
            )
            .unwrap()
            .1,
            FileKind::Jpeg
        );
        assert_eq!(
            check_file(
                "scan.jpeg",
                "application/octet-stream",
                &[0xFF, 0xD8, 0xFF, 0xD9],
                L
            )
            .unwrap()
            .1,
            FileKind::Jpeg
        );
    }

    #[test]
    fn a_name_type_or_content_that_disagree_is_refused() {
        assert_eq!(
            check_file("photo.pdf", "application/pdf", &png(), L),
            Err(UploadError::Mismatch)
        );
        assert_eq!(
            check_file("doc.pdf", "image/png", &pdf(), L),
            Err(UploadError::Mismatch)
        );
        assert_eq!(
            check_file("page.pdf", "application/pdf", b"<html>hello</html>", L),
            Err(UploadError::Mismatch)
        );
        assert_eq!(
            check_file("page.html", "text/html", b"<html></html>", L),
            Err(UploadError::NotAllowed)
        );
        assert_eq!(
            check_file("noextension", "application/pdf", &pdf(), L),
            Err(UploadError::NotAllowed)
        );
    }

    #[test]
    fn polyglots_and_appended_payloads_are_refused() {
        let mut p = png();
        p.extend_from_slice(b"<script>alert(1)</script>");
        assert_eq!(
            check_file("a.png", "image/png", &p, L),
            Err(UploadError::Polyglot),
            "data after IEND"
        );
        let mut inside = pdf();
        inside.splice(10..10, b"<SCRIPT>alert(1)</SCRIPT>".iter().copied());
        assert_eq!(
            check_file("a.pdf", "application/pdf", &inside, L),
            Err(UploadError::Polyglot),
            "HTML inside a PDF"
        );
        let mut zip = pdf();
        zip.splice(10..10, b"PK\x03\x04rest".iter().copied());
        assert_eq!(
            check_file("a.pdf", "application/pdf", &zip, L),
            Err(UploadError::Polyglot),
            "an archive inside"
        );
        let mut after = pdf();
        after.extend_from_slice(b"<html><body>x</body></html>");
        assert_eq!(
            check_file("a.pdf", "application/pdf", &after, L),
            Err(UploadError::Polyglot)
        );
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xD9];
        jpeg.extend_from_slice(b"<HTML><script src=//x>");
        assert_eq!(
            check_file("a.jpg", "image/jpeg", &jpeg, L),
            Err(UploadError::Polyglot)
        );
        assert_eq!(
            check_file("a.jpg", "image/jpeg", &[0xFF, 0xD8, 0xFF, 0xE0, 0, 0], L),
            Err(UploadError::Polyglot),
            "no end of image"
        );
        let mut truncated = png();
        truncated.truncate(30);
        assert_eq!(
            check_file("a.png", "image/png", &truncated, L),
            Err(UploadError::Polyglot),
            "no IEND at all"
        );
    }

    #[test]
    fn empty_large_and_badly_named_files_are_refused() {
        assert_eq!(
            check_file("a.pdf", "application/pdf", b"", L),
            Err(UploadError::Empty)
        );
        let mut big = pdf();
        big.resize(1001, b' ');
        assert_eq!(
            check_file("a.pdf", "application/pdf", &big, L),
            Err(UploadError::TooLarge(1000))
        );
        for name in [
            "../etc/passwd.pdf",
            "a\\b.pdf",
            "a\u{0}.pdf",
            "line\nbreak.pdf",
            ".hidden.pdf",
            "",
            "  ",
            "evil\u{202E}fdp.exe.pdf",
            "q\".pdf",
        ] {
            assert_eq!(
                check_file(name, "application/pdf", &pdf(), L),
                Err(UploadError::BadName),
                "{name:?}"
            );
        }
        let named = |n: usize| format!("{}.pdf", "a".repeat(n));
        assert_eq!(
            check_name(&named(MAX_NAME_CHARS - 4)),
            Ok(named(MAX_NAME_CHARS - 4)),
            "120 characters"
        );
        assert_eq!(
            check_name(&named(MAX_NAME_CHARS - 3)),
            Err(UploadError::BadName),
            "121 characters"
        );
        assert_eq!(
            check_name("Relevé été 2026.pdf"),
            Ok("Relevé été 2026.pdf".into())
        );
    }

    #[test]
    fn limits_never_exceed_the_portals() {
        assert_eq!(UploadLimits::new(50, 1 << 40), UploadLimits::default());
        assert_eq!(
            UploadLimits::new(2, 1000),
            UploadLimits {
                max_files: 2,
                max_bytes: 1000
            }
        );
        assert_eq!(
            UploadLimits::new(-1, -1),
            UploadLimits {
                max_files: 0,
                max_bytes: 0
            }
        );
    }

    #[test]
    fn the_download_name_is_quoted_safely() {
        assert_eq!(
            content_disposition("reçu 1.pdf"),
            "attachment; filename=\"re_u 1.pdf\"; filename*=UTF-8''re%C3%A7u%201.pdf"
        );
    }
}
