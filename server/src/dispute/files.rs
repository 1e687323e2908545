//! Files attached to disputes, notes and replies: read from a multipart form without losing
//! the text around them, checked by content against the creditor's limits, and sent back so
//! that no browser renders them in our origin.

use crate::kernel::forms::form_error;
use crate::storage::{CreditorRow, NewFile};
use app::domain::dispute::MAX_TEXT_CHARS;
use app::domain::upload::{
    HARD_MAX_BYTES, HARD_MAX_FILES, UploadError, UploadLimits, check_file, content_disposition,
};
use app::views::form::FormError;
use axum::extract::Multipart;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// A file as the browser sent it, before any check.
pub struct Upload {
    pub name: String,
    pub declared_type: String,
    pub bytes: Vec<u8>,
}

pub fn limits(c: &CreditorRow) -> UploadLimits {
    UploadLimits::new(c.upload_max_files, c.upload_max_bytes)
}

/// Checks every file; the first refused names itself (its name cleaned for display).
pub fn check_files(uploads: &[Upload], limits: UploadLimits) -> Result<Vec<NewFile>, FormError> {
    if uploads.len() > limits.max_files {
        return Err(form_error("files_too_many", limits.max_files.to_string()));
    }
    uploads
        .iter()
        .map(|u| {
            let shown: String = u
                .name
                .chars()
                .filter(|c| !c.is_control())
                .take(80)
                .collect();
            let (name, kind) =
                check_file(&u.name, &u.declared_type, &u.bytes, limits).map_err(|e| {
                    let code = match e {
                        UploadError::TooMany(_) => "files_too_many",
                        UploadError::Empty => "file_empty",
                        UploadError::TooLarge(_) => "file_large",
                        UploadError::BadName => "file_name",
                        UploadError::NotAllowed => "file_type",
                        UploadError::Mismatch => "file_mismatch",
                        UploadError::Polyglot => "file_polyglot",
                    };
                    form_error(code, shown)
                })?;
            Ok(NewFile {
                name,
                content_type: kind.content_type().into(),
                data: u.bytes.clone(),
            })
        })
        .collect()
}

/// The largest multipart body kept: every file at the portal's limit, and the text around them.
pub const UPLOAD_BODY_LIMIT: usize = HARD_MAX_FILES * HARD_MAX_BYTES + 256 * 1024;

/// The largest body read at all. Past `UPLOAD_BODY_LIMIT` the rest is read and thrown away, so
/// that a phone sending six big photos gets our page saying so (with its text kept) instead of
/// a connection cut mid-upload, which browsers show as a network error.
pub const UPLOAD_DRAIN_LIMIT: usize = 4 * UPLOAD_BODY_LIMIT;

/// A text field longer than this (in bytes) is cut: the domain refuses it as too long anyway.
const MAX_FIELD_BYTES: usize = MAX_TEXT_CHARS * 4 + 64;

/// A multipart form read whole: text fields, and files (parts with a file name).
#[derive(Default)]
pub struct Parts {
    pub fields: Vec<(String, String)>,
    pub files: Vec<Upload>,
}

impl Parts {
    pub fn get(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// How much of a multipart form could be read.
#[derive(Debug, PartialEq, Eq)]
pub enum Read {
    Whole,
    /// Over `UPLOAD_BODY_LIMIT`: the text fields before the limit are kept, no file is.
    TooBig,
    /// Not a multipart form, or it breaks off (a malformed part).
    Broken,
}

impl Read {
    /// Why a form not read whole is refused (`too_big`, `invalid`); `None` when it was whole.
    pub fn refusal(&self) -> Option<&'static str> {
        match self {
            Read::Whole => None,
            Read::TooBig => Some("too_big"),
            Read::Broken => Some("invalid"),
        }
    }
}

/// Reads the form, keeping what came before any problem, so the debtor's words are not lost
/// (browsers send the fields in page order: the text comes before the files). A file input
/// left empty (no name, no bytes) is not a file.
pub async fn read_parts(
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> (Parts, Read) {
    let mut parts = Parts::default();
    let Ok(mut m) = form else {
        return (parts, Read::Broken);
    };
    let (mut total, mut too_big) = (0usize, false);
    let ended = |too_big: bool| if too_big { Read::TooBig } else { Read::Broken };
    loop {
        let mut field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => return (parts, if too_big { Read::TooBig } else { Read::Whole }),
            Err(_) => return (parts, ended(too_big)),
        };
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().map(str::to_string);
        let declared_type = field.content_type().unwrap_or("").to_string();
        let mut bytes = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    total += chunk.len();
                    too_big |= total > UPLOAD_BODY_LIMIT;
                    // Past the limit, read on without keeping; a text field keeps its start only.
                    let room = if file_name.is_some() {
                        usize::MAX
                    } else {
                        MAX_FIELD_BYTES.saturating_sub(bytes.len())
                    };
                    if !too_big {
                        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    }
                }
                Ok(None) => break,
                Err(_) => return (parts, ended(too_big)),
            }
        }
        if too_big {
            continue;
        }
        match file_name {
            Some(file_name) => {
                if file_name.is_empty() && bytes.is_empty() {
                    continue;
                }
                parts.files.push(Upload {
                    name: file_name,
                    declared_type,
                    bytes,
                });
            }
            None => {
                if parts.fields.len() < 200 {
                    parts
                        .fields
                        .push((name, String::from_utf8_lossy(&bytes).to_string()));
                }
            }
        }
    }
}

/// A stored file, sent so that no browser renders it in our origin: its own content type (from
/// its content), as an attachment, sandboxed, not sniffed, not cached.
pub fn file_response(name: &str, content_type: &str, data: Vec<u8>) -> Response {
    let mut res = data.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(v) = HeaderValue::from_str(&content_disposition(name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox; frame-ancestors 'none'"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}
