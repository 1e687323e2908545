//! What operators see: liveness and readiness, the Prometheus counters and who may read them,
//! JSON logs in production, and a server that cannot start saying why in one line.

use crate::both;
use crate::support::{Db, TempDir, TestApp, seed, unique};
use secrecy::SecretString;

both!(
    metrics_count_requests_by_route_template_for_this_machine_only,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Débiteur compté").await;
        let token = app.mint(&s).await;
        let c = app.client();
        c.open(&token).await;
        assert_eq!(c.get("/statement").await.status, 200);
        assert_eq!(c.get("/disputes/no-such-dispute").await.status, 404);

        let page = c.get("/metrics").await;
        assert_eq!(page.status, 200);
        assert!(
            page.header("content-type")
                .unwrap()
                .starts_with("text/plain; version=0.0.4")
        );
        let text = page.text();
        for line in [
            "amiable_http_requests_total{route=\"/statement\",status=\"200\"} 2",
            "amiable_http_requests_total{route=\"/l/{token}\",status=\"303\"} 1",
            "amiable_http_requests_total{route=\"/disputes/{id}\",status=\"404\"} 1",
            "amiable_http_request_duration_seconds_count{route=\"/statement\"} 2",
            "amiable_outbox_depth 0",
            "amiable_payments_recorded_total 0",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} missing in\n{text}");
        }
        assert!(!text.contains(&token), "a link's secret in the metrics");

        // Through a reverse proxy (which says whom it forwards for), the metrics need the token.
        let proxied = c
            .send(
                c.http
                    .get(format!("{}/metrics", app.base))
                    .header("x-forwarded-for", "203.0.113.9"),
            )
            .await;
        assert_eq!(proxied.status, 403);
    }
);

both!(
    a_bearer_of_the_metrics_token_reads_them_through_the_proxy,
    |db: Db| async move {
        let token = "metrics-token-0123456789-abcdef";
        let app = TestApp::start_with(&db, |c| {
            c.metrics_token = Some(SecretString::from(token.to_string()))
        })
        .await;
        let c = app.client();
        let ask = |auth: &str| {
            c.http
                .get(format!("{}/metrics", app.base))
                .header("x-forwarded-for", "203.0.113.9")
                .header("authorization", auth.to_string())
        };
        assert_eq!(c.send(ask(&format!("Bearer {token}"))).await.status, 200);
        assert_eq!(c.send(ask(&format!("Bearer {token}x"))).await.status, 403);
        assert_eq!(c.send(ask("Bearer ")).await.status, 403);
        assert_eq!(c.send(ask(token)).await.status, 403);
    }
);

both!(
    ready_while_the_database_answers_alive_regardless,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let c = app.client();
        let ready = c.get("/readyz").await;
        assert_eq!((ready.status, ready.text().as_str()), (200, "ready"));
        app.state.storage.pool.close().await;
        let ready = c.get("/readyz").await;
        assert_eq!(ready.status, 503);
        assert!(ready.text().contains("database"));
        assert_eq!(
            c.get("/healthz").await.status,
            200,
            "alive, though not ready"
        );
    }
);

both!(
    the_bench_ceiling_serves_its_file_through_the_same_middleware_only_when_asked,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        assert_eq!(
            app.client().get("/bench/ceiling").await.status,
            404,
            "not without the setting"
        );

        let (dir, _) = scratch_db("ceiling");
        let file = dir.0.join("page.html");
        std::fs::write(&file, "<!DOCTYPE html><p>la même page</p>").unwrap();
        let app = TestApp::start_with(&db, |c| c.bench_ceiling_file = Some(file.clone())).await;
        let page = app.client().get("/bench/ceiling").await;
        assert_eq!(page.status, 200);
        assert_eq!(page.text(), "<!DOCTYPE html><p>la même page</p>");
        assert!(
            page.header("content-security-policy").is_some(),
            "the pages' middleware"
        );
        assert!(page.header("x-request-id").is_some());
    }
);

/// The release or debug binary of this build, started as a creditor would.
fn server() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_server"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        // Even asked for, no backtrace for a configuration mistake.
        .env("RUST_BACKTRACE", "1")
        .env(
            "LEPTOS_SITE_ROOT",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"),
        );
    cmd
}

fn scratch_db(name: &str) -> (TempDir, String) {
    let dir = std::env::temp_dir().join(unique("amiable-ops-"));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/{name}.db?mode=rwc", dir.display());
    (TempDir(dir), url)
}

#[test]
fn a_server_that_cannot_start_says_why_in_one_line() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy_addr = busy.local_addr().unwrap().to_string();
    let (_dir, url) = scratch_db("start");
    let production = |extra: (&'static str, String)| {
        vec![
            ("DATABASE_URL", url.clone()),
            ("APP_ENV", "production".to_string()),
            ("PUBLIC_URL", "https://portal.example.com".into()),
            (
                "LINK_SECRET",
                "production-secret-0123456789-0123456789".into(),
            ),
            ("SMTP_URL", "smtp://mail.example.com:587".into()),
            extra,
        ]
    };
    let cases: [(&str, Vec<(&str, String)>); 6] = [
        (
            "cannot listen on",
            vec![
                ("DATABASE_URL", url.clone()),
                ("BIND_ADDR", busy_addr.clone()),
            ],
        ),
        (
            "unable to open database file",
            vec![("DATABASE_URL", "sqlite:///no/such/folder/x.db".into())],
        ),
        (
            "cannot read the font /no/such/font.ttf",
            vec![
                ("DATABASE_URL", url.clone()),
                ("FONT_REGULAR", "/no/such/font.ttf".into()),
            ],
        ),
        (
            "LINK_SECRET is required in production",
            vec![
                ("DATABASE_URL", url.clone()),
                ("APP_ENV", "production".into()),
            ],
        ),
        (
            "BENCH_CEILING_FILE is for the benchmark",
            production(("BENCH_CEILING_FILE", "/etc/hostname".into())),
        ),
        (
            "TRUST_PROXY=\"yes\"",
            production(("TRUST_PROXY", "yes".into())),
        ),
    ];
    for (says, env) in cases {
        let out = server().arg("serve").envs(env).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{says}: {stderr}");
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line, not {stderr}");
        assert!(
            lines[0].starts_with("amiable: ") && lines[0].contains(says),
            "{stderr}"
        );
        assert!(
            !stderr.contains("backtrace") && !stderr.contains("panicked"),
            "{stderr}"
        );
    }
    drop(busy);
}

#[test]
fn production_logs_are_json_lines() {
    use std::io::BufRead;
    let (_dir, url) = scratch_db("json");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = server()
        .arg("serve")
        .envs([
            ("APP_ENV", "production".to_string()),
            ("DATABASE_URL", url),
            ("BIND_ADDR", format!("127.0.0.1:{port}")),
            ("PUBLIC_URL", "https://portal.example.com".into()),
            (
                "LINK_SECRET",
                "production-secret-0123456789-0123456789".into(),
            ),
            ("SMTP_URL", "smtp://mail.example.com:587".into()),
        ])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let log: serde_json::Value =
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
    assert_eq!(log["level"], "INFO", "{line}");
    assert!(
        log["message"].as_str().unwrap().contains("listening"),
        "{line}"
    );
}
