//! Server functions: thin doors that find the caller's session and call the portal service
//! (`ports`); what they return is in `views`.
//! Those of pages the server renders whole (paying, the back office) are not in the Wasm.
#[cfg(feature = "ssr")]
pub mod agent;
#[cfg(feature = "ssr")]
pub mod case;
#[cfg(feature = "ssr")]
pub mod payment;
#[cfg(feature = "ssr")]
pub mod promise;
pub mod schedule;
pub mod statement;
