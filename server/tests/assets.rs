//! Pages and files as they travel: text compressed as the browser asks, static files under a
//! name that follows their content and kept for a year, personal pages never stored.

use crate::both;
use crate::support::{Db, TestApp, seed};

both!(
    pages_are_compressed_as_asked_and_static_files_kept_a_year,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Débiteur compressé").await;
        let c = app.debtor(&s).await;
        // reqwest here does not decompress: what arrives is what the server sent.
        let page = |enc: &'static str| {
            let req = c
                .http
                .get(format!("{}/statement", app.base))
                .header("accept-encoding", enc);
            c.send(req)
        };
        let (br, gz, plain) = (
            page("br, gzip").await,
            page("gzip").await,
            page("identity").await,
        );
        assert_eq!(br.header("content-encoding").as_deref(), Some("br"));
        assert_eq!(gz.header("content-encoding").as_deref(), Some("gzip"));
        assert_eq!(plain.header("content-encoding"), None);
        assert!(plain.text().contains("Débiteur compressé"));
        assert!(
            br.body.len() * 2 < plain.body.len(),
            "{} of {} bytes",
            br.body.len(),
            plain.body.len()
        );
        for p in [&br, &gz, &plain] {
            assert_eq!(
                p.header("cache-control").as_deref(),
                Some("no-store"),
                "a personal page"
            );
        }

        // The stylesheet's address carries the files' version; it is kept a year.
        let html = plain.text();
        let css = html.split("href=\"").find_map(|h| {
            h.split('"')
                .next()
                .filter(|u| u.ends_with("/pkg/amiable.css"))
        });
        let css = css.expect("the page links its stylesheet");
        assert!(
            css.starts_with("/assets/") && css.len() > "/assets//pkg/amiable.css".len() + 8,
            "{css}"
        );
        let file = c.get(css).await;
        assert_eq!(
            file.status, 200,
            "{css} (run make test: cargo leptos build writes target/site)"
        );
        assert_eq!(
            file.header("cache-control").as_deref(),
            Some("public, max-age=31536000, immutable")
        );
        assert!(
            file.header("content-type")
                .unwrap_or_default()
                .starts_with("text/css")
        );
        // An older or made-up version is not served: a stale name never finds new content.
        assert_eq!(
            c.get("/assets/0000000000000000/pkg/amiable.css")
                .await
                .status,
            404
        );
    }
);
