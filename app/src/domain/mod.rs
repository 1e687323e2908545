//! Pure rules and types: no I/O, no Leptos. Compiles for Wasm and the server alike.
pub mod agent;
pub mod contact;
pub mod dispute;
pub mod epc_qr;
pub mod iban;
pub mod invoice;
pub mod locale;
pub mod money;
pub mod payment;
pub mod promise;
pub mod proposal;
pub mod rf;
pub mod schedule;
pub mod statement;
pub mod upload;
