//! The one error that crosses the wire. `Internal` carries no detail: that goes to the log.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// No session, or it expired: the debtor must open their link again.
    #[error("unauthorized")]
    Unauthorized,
    #[error("{0}")]
    Validation(String),
    #[error("{0}")]
    Conflict(String),
    #[error("internal error")]
    Internal,
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => {
                AppError::Validation(msg)
            }
            _ => AppError::Internal,
        }
    }
}

impl AppError {
    /// A short code for a page's query (`?error=<code>`), which the page words.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Unauthorized => "forbidden",
            AppError::Validation(_) => "invalid",
            AppError::Conflict(_) => "conflict",
            AppError::Internal => "internal",
        }
    }
}

/// (ssr) An error as a plain HTTP answer: its status and a short sentence. Pages word errors
/// themselves; this is for documents, files and the JSON card calls.
#[cfg(feature = "ssr")]
impl AppError {
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        let text = match &self {
            AppError::NotFound => "Not found.".to_string(),
            AppError::Unauthorized => {
                "Your session has expired. Open the link in your email again.".to_string()
            }
            AppError::Validation(m) | AppError::Conflict(m) => m.clone(),
            AppError::Internal => "Something went wrong on our side. Please try again.".to_string(),
        };
        (self.status(), text).into_response()
    }
}
