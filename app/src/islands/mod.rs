//! Islands: the only parts of the portal compiled to Wasm and brought to life in the browser.
//! Every page is rendered whole on the server; a page with no island ships no Wasm at all.
pub mod offer_codec;
pub mod proposal;
