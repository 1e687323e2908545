//! leptos issue #4773, reproduced. `leptos_axum::generate_route_list` renders the app while
//! holding leptos_server's `SuppressResourceLoad`, which sets one flag for the whole process;
//! a `Resource` created meanwhile, on any thread, checks the flag on its first poll and then
//! waits forever. Before the islands, every page read its data through a `Resource`, so a
//! page requested while any route list was being generated never loaded (the hang of
//! issue 11). Two things now keep it away: `server::web::page_routes` lists the routes once
//! per process, and pages no longer use a `Resource` at all (their data is loaded before
//! rendering). The first test is the upstream bug; the second shows our pages are immune.
//!
//! The flag is process-wide, so these tests have a binary of their own (in the main one the
//! flag would be raised under the other tests) and take turns on it.
#![allow(clippy::unwrap_used)]

#[path = "support.rs"]
mod support;

use leptos::prelude::{Owner, Resource};
use leptos::server::SuppressResourceLoad;
use std::time::Duration;
use support::{Db, TestApp, seed};
use tokio::sync::Mutex;

static FLAG: Mutex<()> = Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resource_created_while_routes_are_listed_never_loads() {
    let _turn = FLAG.lock().await;
    let _ = any_spawner::Executor::init_tokio();
    let owner = Owner::new();
    owner.set();

    let loaded = Resource::new(|| (), |_| async { 7_u8 });
    assert_eq!(
        tokio::time::timeout(Duration::from_secs(3), async { loaded.await })
            .await
            .ok(),
        Some(7),
        "a resource loads when nothing is suppressed"
    );

    // What generate_route_list holds for the length of its render.
    let listing = SuppressResourceLoad::new();
    let stuck = Resource::new(|| (), |_| async { 7_u8 });
    let during = tokio::time::timeout(Duration::from_secs(1), async { stuck.await }).await;
    drop(listing);
    assert!(
        during.is_err(),
        "a resource loaded while resources were suppressed: leptos #4773 looks fixed"
    );
    let after = tokio::time::timeout(Duration::from_secs(1), async { stuck.await }).await;
    assert!(
        after.is_err(),
        "and it stays stuck once the flag is down: it checked the flag once, on its first poll"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_pages_load_while_routes_are_listed() {
    let (db, _guard) = Db::sqlite().await;
    let app = TestApp::start(&db).await;
    let s = seed(&db.storage, "Débiteur témoin").await;
    let c = app.debtor(&s).await;
    assert_eq!(c.get("/statement").await.status, 200, "the page loads");

    let _turn = FLAG.lock().await;
    let listing = SuppressResourceLoad::new();
    for path in ["/statement", "/schedule", "/disputes", "/messages", "/pay"] {
        let during = tokio::time::timeout(Duration::from_secs(5), c.get(path)).await;
        assert_eq!(
            during.map(|r| r.status).ok(),
            Some(200),
            "{path} loads while resources are suppressed"
        );
    }
    drop(listing);
}
