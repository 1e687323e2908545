//! The types that cross the wire between the server and the pages, one file per feature. They
//! depend on the domain only; `api` (server functions) and `ports` (what the server provides)
//! both use them, and neither uses the other's. Those of pages the server renders whole are
//! not in the Wasm.
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
pub mod schedule;
pub mod statement;
