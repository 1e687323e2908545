//! Test harness: databases, fixtures, the app on port 0, a small cookie-aware client.
#![allow(dead_code, clippy::unwrap_used)]

use app::domain::invoice::DocumentKind;
use app::domain::money::Currency;
use chrono::{Duration, NaiveDate, Utc};
use secrecy::SecretString;
use server::config::{AppEnv, Config};
use server::kernel::AppState;
use server::storage::{LineRow, NewCreditor, NewDebtor, NewInvoice, Storage};
use std::net::SocketAddr;

/// Runs the same test body on SQLite and on PostgreSQL: `both!(name, |db| async move { … })`.
#[macro_export]
macro_rules! both {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                // The guard outlives the body: an `async move` that uses only `db.storage`
                // captures just that field and would drop the rest (and delete the file) at once.
                let (db, _guard) = $crate::support::Db::sqlite().await;
                ($body)(db).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let db = $crate::support::Db::postgres().await;
                ($body)(db).await;
            }
        }
    };
}

/// The password of every agent the tests create.
pub const PASSWORD: &str = "un mot de passe assez long";

pub struct Db {
    pub storage: Storage,
    pub url: String,
}

/// A directory removed when dropped.
pub struct TempDir(pub std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn unique(prefix: &str) -> String {
    format!("{prefix}{}", uuid::Uuid::new_v4().simple())
}

/// An invoice number of a realistic length, unique within a creditor.
pub fn invoice_number(prefix: &str) -> String {
    format!(
        "{prefix}{}",
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    )
}

impl Db {
    pub async fn sqlite() -> (Self, TempDir) {
        let dir = std::env::temp_dir().join(unique("amiable-test-"));
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.display());
        let storage = Storage::connect(&url).await.unwrap();
        storage.migrate().await.unwrap();
        (Self { storage, url }, TempDir(dir))
    }

    /// A new database in the cluster `make test` started; fails loudly when there is none,
    /// so a missing PostgreSQL can never pass for a green run.
    pub async fn postgres() -> Self {
        let base = std::env::var("TEST_POSTGRES_URL").expect(
            "TEST_POSTGRES_URL is not set: run the tests with `make test`, which starts PostgreSQL",
        );
        sqlx::any::install_default_drivers();
        let name = unique("t_");
        let admin = sqlx::AnyPool::connect(&base)
            .await
            .expect("connecting to the test PostgreSQL");
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .unwrap();
        admin.close().await;
        let url = match base.rsplit_once('/') {
            Some((head, _)) => format!("{head}/{name}"),
            None => panic!("TEST_POSTGRES_URL must end with a database name"),
        };
        let storage = Storage::connect(&url).await.unwrap();
        storage.migrate().await.unwrap();
        Self { storage, url }
    }
}

pub fn now() -> i64 {
    Utc::now().timestamp()
}

pub fn today() -> NaiveDate {
    server::kernel::clock::today_in(chrono_tz::Europe::Paris, Utc::now())
}

#[derive(Clone)]
pub struct Seeded {
    pub creditor_id: String,
    pub slug: String,
    pub debtor_id: String,
    pub debtor_ref: String,
    pub email: String,
    pub invoice_ids: Vec<String>,
}

/// A creditor with one debtor and three invoices (overdue 40 days, due in 3 days, a credit note).
pub async fn seed(storage: &Storage, debtor_name: &str) -> Seeded {
    let slug = unique("cred-");
    let creditor_id = storage
        .insert_creditor(
            &NewCreditor {
                slug: slug.clone(),
                name: format!("Créancier {slug}"),
                legal_name: "Équipements Test SAS".into(),
                address: "1 rue de la Paix\n75002 Paris".into(),
                identifiers: "SIREN 123 456 789".into(),
                contact_email: "recouvrement@test.example".into(),
                accent_colour: "#0f6e5c".into(),
                logo: None,
                bank_details: Some("IBAN FR76 3000 6000 0112 3456 7890 189".into()),
                timezone: chrono_tz::Europe::Paris,
                link_ttl_days: 30,
            },
            now(),
        )
        .await
        .unwrap();
    seed_debtor(storage, &creditor_id, &slug, debtor_name).await
}

pub async fn seed_debtor(
    storage: &Storage,
    creditor_id: &str,
    slug: &str,
    debtor_name: &str,
) -> Seeded {
    let debtor_ref = unique("D-");
    let email = format!("{}@debtor.example", unique("ap-"));
    let debtor_id = storage
        .insert_debtor(
            creditor_id,
            &NewDebtor {
                reference: debtor_ref.clone(),
                name: debtor_name.into(),
                address: "12 rue des Lilas\n69003 Lyon".into(),
                identifiers: String::new(),
                lang: app::domain::locale::Lang::Fr,
                timezone: chrono_tz::Europe::Paris,
                contacts: vec![("Claire Martin".into(), email.clone())],
            },
            now(),
        )
        .await
        .unwrap();
    let t = today();
    let mut invoice_ids = vec![];
    for (number, due, kind, amount) in [
        (
            invoice_number("F-"),
            t - Duration::days(40),
            DocumentKind::Invoice,
            123_456i64,
        ),
        (
            invoice_number("F-"),
            t + Duration::days(3),
            DocumentKind::Invoice,
            50_000,
        ),
        (
            invoice_number("AV-"),
            t - Duration::days(10),
            DocumentKind::CreditNote,
            10_000,
        ),
    ] {
        let id = storage
            .insert_invoice(
                creditor_id,
                &NewInvoice {
                    debtor_id: debtor_id.clone(),
                    number: number.clone(),
                    kind,
                    issue_date: due - Duration::days(30),
                    due_date: due,
                    currency: Currency::Eur,
                    amount_minor: amount,
                    tax_minor: amount / 6,
                    payment_reference: number,
                    original_pdf: None,
                    lines: vec![LineRow {
                        description: "Four à sole — modèle Ardent".into(),
                        quantity_milli: 1000,
                        unit_price_minor: amount - amount / 6,
                        tax_rate_bp: 2000,
                        total_minor: amount - amount / 6,
                    }],
                },
                now(),
            )
            .await
            .unwrap();
        invoice_ids.push(id);
    }
    Seeded {
        creditor_id: creditor_id.into(),
        slug: slug.into(),
        debtor_id,
        debtor_ref,
        email,
        invoice_ids,
    }
}

/// The Stripe-compatible sandbox (localstripe) that `.ci/test.sh` starts.
pub fn stripe_url() -> String {
    std::env::var("STRIPE_SANDBOX_URL").unwrap_or_else(|_| "http://127.0.0.1:18420".into())
}

pub fn test_config(database_url: &str) -> Config {
    let maildev_smtp =
        std::env::var("MAILDEV_SMTP").unwrap_or_else(|_| "smtp://127.0.0.1:10025".into());
    Config {
        env: AppEnv::Test,
        database_url: database_url.into(),
        bind_addr: "127.0.0.1:0".into(),
        public_url: "http://127.0.0.1:1".into(), // replaced once the port is known
        link_secret: SecretString::from("test-secret-that-is-long-enough-0123456789".to_string()),
        smtp_url: maildev_smtp,
        mail_from: "Amiable Test <no-reply@amiable.test>".into(),
        font_regular: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf".into(),
        font_bold: "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf".into(),
        session_ttl_secs: 3600,
        link_rate_per_minute: 1000,
        renewals_per_address_per_hour: 1000,
        stripe_js_url: format!("{}/js.stripe.com/v3/", stripe_url()),
        stripe_api_url: Some(stripe_url()),
        demo_stripe: None,
        // What `cargo leptos build` wrote (make test builds first).
        site_root: concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site").into(),
        metrics_token: None,
        trust_proxy: false,
        bench_ceiling_file: None,
    }
}

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    /// The app's clock: the wall clock, moved forward when a test lets days pass.
    pub clock: std::sync::Arc<server::kernel::clock::ShiftedClock>,
}

impl TestApp {
    pub async fn start(db: &Db) -> Self {
        Self::start_with(db, |_| {}).await
    }

    /// Serves the real router on a free port, with the outbox worker sending to maildev.
    pub async fn start_with(db: &Db, adjust: impl FnOnce(&mut Config)) -> Self {
        // The server's log, shown with a failing test's output.
        let _ = tracing_subscriber::fmt()
            .with_env_filter("warn,server=info")
            .with_test_writer()
            .try_init();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut config = test_config(&db.url);
        config.public_url = format!("http://{addr}");
        adjust(&mut config);
        let mailer = std::sync::Arc::new(
            server::mail::SmtpMailer::new(&config.smtp_url, &config.mail_from).unwrap(),
        );
        let clock = std::sync::Arc::new(server::kernel::clock::ShiftedClock::default());
        let state = AppState::with_clock(config, db.storage.clone(), clock.clone()).unwrap();
        // Mail is sent as in production; the periodic jobs run only when a test calls them, so
        // letting days pass on the clock never races a background run.
        server::jobs::spawn_outbox(state.clone(), mailer);
        let router = server::web::router(state.clone());
        tokio::spawn(async move {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap();
        });
        Self {
            base: format!("http://{addr}"),
            state,
            clock,
        }
    }

    /// Lets days pass on the app's clock (what the jobs and pages see as now).
    pub fn let_days_pass(&self, days: i64) {
        self.clock.advance(Duration::days(days));
    }

    /// Today in Paris, by the app's clock.
    pub fn today(&self) -> NaiveDate {
        self.state.today_in(chrono_tz::Europe::Paris)
    }

    pub async fn mint(&self, s: &Seeded) -> String {
        let (_, token) = self
            .state
            .links
            .mint(
                &self.state.storage,
                &s.creditor_id,
                &s.debtor_id,
                "test",
                self.state.now(),
            )
            .await
            .unwrap();
        token
    }

    /// A browser that opened a fresh link of the seeded debtor.
    pub async fn debtor(&self, s: &Seeded) -> Client {
        let c = self.client();
        assert_eq!(c.open(&self.mint(s).await).await.status, 200);
        c
    }

    /// A browser signed in as a new agent of `creditor_id` with `role`.
    pub async fn agent(
        &self,
        db: &Db,
        creditor_id: &str,
        role: app::domain::agent::Role,
    ) -> Client {
        let email = format!("{}@creditor.example", unique("agent-"));
        server::account::create(
            &db.storage,
            creditor_id,
            &email,
            "Agnès Agent",
            role,
            PASSWORD,
            now(),
        )
        .await
        .unwrap();
        let c = self.client();
        assert_eq!(
            c.post_form("/agent/login", &[("email", &email), ("password", PASSWORD)])
                .await
                .location(),
            "/agent"
        );
        c
    }

    pub fn client(&self) -> Client {
        Client {
            base: self.base.clone(),
            // A hang must fail the test with its URL, not stall the whole run.
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(std::time::Duration::from_secs(45))
                .build()
                .unwrap(),
            cookies: Default::default(),
        }
    }
}

/// A browser-like client: keeps cookies by hand so tests can read and forge them.
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
    pub cookies: std::sync::Mutex<std::collections::BTreeMap<String, String>>,
}

pub struct Page {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Page {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).to_string()
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    }
    pub fn location(&self) -> String {
        self.header("location").unwrap_or_default()
    }
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(String::from)
            .collect()
    }
}

impl Client {
    fn cookie_header(&self) -> String {
        self.cookies
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn remember(&self, res: &reqwest::Response) {
        for c in res.headers().get_all("set-cookie") {
            let c = c.to_str().unwrap();
            let pair = c.split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            let expired = c.contains("Max-Age=0");
            let mut jar = self.cookies.lock().unwrap();
            if expired || v.is_empty() {
                jar.remove(k);
            } else {
                jar.insert(k.to_string(), v.to_string());
            }
        }
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Page {
        let req = req.header("cookie", self.cookie_header()).build().unwrap();
        let what = format!("{} {}", req.method(), req.url());
        let res = self
            .http
            .execute(req)
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        self.remember(&res);
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let body = res.bytes().await.unwrap().to_vec();
        Page {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        self.send(self.http.get(format!("{}{path}", self.base)))
            .await
    }

    /// A form post as a browser on our own pages sends it.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Page {
        self.send(
            self.http
                .post(format!("{}{path}", self.base))
                .header("sec-fetch-site", "same-origin")
                .form(form),
        )
        .await
    }

    /// A multipart form as a browser sends it: text fields, then files (name, type, bytes).
    /// Built by hand so a test can send any file name, hostile ones included, byte for byte.
    pub async fn post_multipart(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, Vec<u8>)],
    ) -> Page {
        let boundary = "----amiable-test-boundary-7MA4YWxkTrZu0gW";
        let mut body: Vec<u8> = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        for (name, content_type, bytes) in files {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("sec-fetch-site", "same-origin")
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body);
        self.send(req).await
    }

    /// Opens a link and follows the redirect to the statement; returns the final page.
    pub async fn open(&self, token: &str) -> Page {
        let first = self.get(&format!("/l/{token}")).await;
        assert_eq!(first.status, 303, "opening a link redirects");
        self.get(&first.location()).await
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies
            .lock()
            .unwrap()
            .insert(name.into(), value.into());
    }
}

/// The real SMTP server's HTTP API.
pub struct Maildev {
    pub api: String,
}

impl Maildev {
    pub fn from_env() -> Self {
        Self {
            api: std::env::var("MAILDEV_API").expect(
                "MAILDEV_API is not set: run the tests with `make test`, which starts maildev",
            ),
        }
    }

    /// Mails to this address, waiting up to 15 s for at least `n` to arrive.
    pub async fn wait_for(&self, to: &str, n: usize) -> Vec<serde_json::Value> {
        for _ in 0..60 {
            let found = self.to(to).await;
            if found.len() >= n {
                return found;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        panic!("expected {n} mail(s) to {to} in maildev");
    }

    /// The first mail to this address whose subject starts with `subject`, waiting up to 15 s.
    pub async fn about(&self, to: &str, subject: &str) -> serde_json::Value {
        for _ in 0..60 {
            if let Some(m) = self
                .to(to)
                .await
                .into_iter()
                .find(|m| m["subject"].as_str().unwrap_or("").starts_with(subject))
            {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        panic!("no mail “{subject}” to {to}");
    }

    pub async fn to(&self, to: &str) -> Vec<serde_json::Value> {
        let all: Vec<serde_json::Value> = reqwest::get(format!("{}/email", self.api))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        all.into_iter()
            .filter(|m| {
                m["to"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|t| t["address"].as_str() == Some(to)))
            })
            .collect()
    }
}

/// Extracts the first portal link token from a mail body.
pub fn token_in(text: &str) -> Option<String> {
    let start = text.find("/l/")? + 3;
    Some(
        text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
            .collect(),
    )
}

/// The brief's example bands on the seeded creditor: the seed's two invoices (1,234.56 € and
/// 500.00 €) fall in the 500–5,000 € band: at most 6 instalments within 186 days, the first
/// at least 20 % within 7 days, accepted at once.
pub async fn with_rules(db: &Db, s: &Seeded) {
    let rules = server::storage::RulesRow {
        rules: app::domain::schedule::ScheduleRules::example(Currency::Eur),
        reminder_days: 3,
        grace_days: 7,
    };
    server::schedule::rules::set_rules(&db.storage, &s.creditor_id, rules, "test", now())
        .await
        .unwrap();
}

/// An accepted schedule stored directly, with instalments at the given day offsets.
pub async fn accepted(db: &Db, s: &Seeded, offsets: &[(i64, i64)]) -> String {
    let facts = db
        .storage
        .invoice_facts(&s.creditor_id, &s.debtor_id)
        .await
        .unwrap();
    let inv = facts.iter().find(|f| f.id == s.invoice_ids[1]).unwrap();
    let id = server::storage::new_id();
    let instalments: Vec<app::domain::schedule::Instalment> = offsets
        .iter()
        .map(|(d, m)| app::domain::schedule::Instalment {
            due_date: today() + Duration::days(*d),
            amount: app::domain::money::Money::new(*m, Currency::Eur),
        })
        .collect();
    let n = server::storage::NewSchedule {
        id: &id,
        creditor_id: &s.creditor_id,
        debtor_id: &s.debtor_id,
        total: inv.remaining,
        invoices: &[(inv.id.clone(), inv.remaining)],
        instalments: &instalments,
        reasons: &[],
        status: server::storage::ScheduleStatus::Accepted,
        proposed_by: "debtor",
        replaces_id: None,
        note: "",
    };
    db.storage
        .insert_schedule(&n, server::storage::Notice::default(), now())
        .await
        .unwrap();
    id
}
