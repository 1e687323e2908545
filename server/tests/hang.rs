//! No page hangs while routers are being built (leptos issue #4773). Every integration test
//! builds its own router, many at once in this one process; building one used to list the
//! app's routes, which holds a process-wide flag that makes any page created meanwhile wait
//! forever (`tests/leptos_4773.rs` shows the mechanism). Before the fix this loop hung about
//! one request in ten.
#![allow(clippy::unwrap_used)]

use crate::support::{Db, TestApp, seed};
use app::ports::SESSION_COOKIE;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Requests made while another thread builds routers.
const REQUESTS: usize = 120;

// Not a storage test: one database kind is enough to serve the pages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_load_while_routers_are_being_built() {
    let (db, _guard) = Db::sqlite().await;
    let app = TestApp::start(&db).await;
    let s = seed(&db.storage, "Débiteur pressé").await;
    let session = app.debtor(&s).await.cookie(SESSION_COOKIE).unwrap();

    // Routers built on a thread of their own, as concurrent tests do.
    let stop = Arc::new(AtomicBool::new(false));
    let builder = {
        let (state, stop) = (app.state.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut built = 0usize;
            while !stop.load(Ordering::Relaxed) {
                drop(server::web::router(state.clone()));
                built += 1;
                std::thread::sleep(Duration::from_millis(1));
            }
            built
        })
    };
    // Far shorter than the server's own 30 s timeout: a hang is seen as the client giving up.
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let mut hung = Vec::new();
    for i in 0..REQUESTS {
        let path = ["/statement", "/disputes", "/schedule"][i % 3];
        let res = http
            .get(format!("{}{path}", app.base))
            .header("cookie", format!("{SESSION_COOKIE}={session}"))
            .send()
            .await;
        match res {
            Ok(r) => assert_eq!(r.status(), 200, "{path}"),
            Err(e) if e.is_timeout() => hung.push(path),
            Err(e) => panic!("{path}: {e}"),
        }
    }
    stop.store(true, Ordering::Relaxed);
    let built = builder.join().unwrap();
    assert!(built > 10, "routers were built meanwhile ({built})");
    assert!(
        hung.is_empty(),
        "{} of {REQUESTS} requests hung while {built} routers were built: {hung:?}",
        hung.len()
    );
}
