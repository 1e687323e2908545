# Sourced by every project script: where the machine-wide tools live and which versions we pin.
# Tools are installed once per machine, outside the clone, keyed by version, so a fresh clone
# (which is what CI is) reuses them.
AMIABLE_TOOLS=${AMIABLE_TOOLS:-$HOME/.cache/amiable-tools}
CARGO_LEPTOS_VERSION=0.3.11
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen pin in Cargo.toml
BINARYEN_VERSION=132.0.0       # npm binaryen: Debian's wasm-opt 108 breaks hydration
MAILDEV_VERSION=2.2.1
LOCALSTRIPE_VERSION=1.15.10
LIGHTHOUSE_VERSION=13.5.0      # make bench only
TWIGGY_VERSION=0.8.0           # make bench only

export PATH="$AMIABLE_TOOLS/cargo-leptos-$CARGO_LEPTOS_VERSION/bin:$AMIABLE_TOOLS/wasm-bindgen-$WASM_BINDGEN_VERSION/bin:$AMIABLE_TOOLS/npm-binaryen-$BINARYEN_VERSION/node_modules/.bin:$AMIABLE_TOOLS/npm-maildev-$MAILDEV_VERSION/node_modules/.bin:$AMIABLE_TOOLS/npm-lighthouse-$LIGHTHOUSE_VERSION/node_modules/.bin:$AMIABLE_TOOLS/twiggy-$TWIGGY_VERSION/bin:$HOME/.cargo/bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# libfaketime (Debian's faketime package), preloaded to move a test process's clock.
FAKETIME_LIB=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -n1 || true)
# Leptos reads this at compile time (option_env!) to name the Wasm file; cargo-leptos sets it,
# so every other cargo command must too, or plain `cargo test` rebuilds with another file name.
export LEPTOS_OUTPUT_NAME=amiable
