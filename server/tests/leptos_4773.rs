//! leptos issue #4773, reproduced. `leptos_axum::generate_route_list` renders the app while
//! holding leptos_server's `SuppressResourceLoad`, which sets one flag for the whole process;
//! a `Resource` created meanwhile, on any thread, checks the flag on its first poll and then
//! waits forever. So a page requested while any route list is being generated never loads.
//!
//! The flag is process-wide, so this test has a binary of its own: in the main one it would
//! hang the other tests' pages. If it fails, leptos has fixed the bug, and
//! `server::web::page_routes` no longer needs to list the routes once per process.
#![allow(clippy::unwrap_used)]

#[path = "support.rs"]
mod support;

use std::time::Duration;
use support::{Db, TestApp, seed};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_requested_while_routes_are_listed_never_loads() {
    let (db, _guard) = Db::sqlite().await;
    let app = TestApp::start(&db).await;
    let s = seed(&db.storage, "Débiteur témoin").await;
    let c = app.debtor(&s).await;
    assert_eq!(c.get("/statement").await.status, 200, "the page loads");

    // What generate_route_list holds for the length of its render.
    let listing = leptos::server::SuppressResourceLoad::new();
    let during = tokio::time::timeout(Duration::from_secs(3), c.get("/statement")).await;
    drop(listing);
    assert!(
        during.is_err(),
        "the page loaded while resources were suppressed: leptos #4773 looks fixed"
    );

    assert_eq!(
        c.get("/statement").await.status,
        200,
        "and loads again once the flag is down"
    );
}
