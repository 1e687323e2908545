//! Server functions: thin doors that find the caller's session and call the portal service.
pub mod agent;
pub mod error;
pub mod payment;
pub mod schedule;
pub mod statement;

pub use error::AppError;
