//! Amiable's Leptos app. Every page is rendered on the server (`app`, `pages`), from data the
//! server loaded first; the few parts that react in the browser are islands (`islands`), the
//! only code compiled to Wasm. The domain, the wire types and the sentences serve both.
#![recursion_limit = "256"]

#[cfg(feature = "ssr")]
pub mod app;
#[cfg(feature = "ssr")]
pub mod components;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod islands;
#[cfg(feature = "ssr")]
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ports;
pub mod urlenc;
pub mod views;

#[cfg(feature = "ssr")]
pub use app::{App, shell, use_lang};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}
