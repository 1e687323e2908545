//! The types that cross the wire between the server and the pages, one file per feature. They
//! depend on the domain only. The server builds them and the pages render them; only those an
//! island takes as props (the schedule's) are in the Wasm.
#[cfg(feature = "ssr")]
pub mod agent;
#[cfg(feature = "ssr")]
pub mod dispute;
#[cfg(feature = "ssr")]
pub mod form;
#[cfg(feature = "ssr")]
pub mod message;
#[cfg(feature = "ssr")]
pub mod payment;
#[cfg(feature = "ssr")]
pub mod promise;
#[cfg(feature = "ssr")]
pub mod reminder;
pub mod schedule;
pub mod statement;
