//! The only place environment variables are read. See `.env.example` for each one.

use anyhow::{Context, bail};
use secrecy::SecretString;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppEnv {
    Development,
    Test,
    Production,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub env: AppEnv,
    pub database_url: String,
    /// Where the server listens.
    pub bind_addr: String,
    /// The address people reach the portal at: links in emails, the CSRF origin check, and
    /// whether cookies are `Secure` and HSTS is sent (https).
    pub public_url: String,
    /// Master secret from which each creditor's link-signing keys are derived.
    pub link_secret: SecretString,
    pub smtp_url: String,
    pub mail_from: String,
    pub font_regular: PathBuf,
    pub font_bold: PathBuf,
    pub session_ttl_secs: i64,
    /// Requests per minute per client address on the link routes (exchange and renewal).
    pub link_rate_per_minute: u32,
    /// Fresh-link emails per hour to one address.
    pub renewals_per_address_per_hour: u32,
    /// Where browsers load Stripe.js from (a sandbox serves its own).
    pub stripe_js_url: String,
    /// A Stripe-compatible sandbox for development and tests; `None` is Stripe itself.
    /// Each creditor's keys are its own and stored sealed (`server payments set`).
    pub stripe_api_url: Option<String>,
    /// Keys `make run` gives the demo creditor (the sandbox's, or real test keys).
    pub demo_stripe: Option<DemoStripe>,
    /// Folder of the built site (`/pkg`, public files); cargo-leptos sets LEPTOS_SITE_ROOT.
    pub site_root: PathBuf,
    /// Lets a bearer of this token read `/metrics` through the reverse proxy.
    pub metrics_token: Option<SecretString>,
    /// The reverse proxy is the only way in: take the client's address from the last
    /// `X-Forwarded-For` hop (rate limits). Off, the header is never believed.
    pub trust_proxy: bool,
    /// `make bench` only: a page saved from this server, served from memory at
    /// `/bench/ceiling` through the same middleware, as the ceiling a page can reach.
    pub bench_ceiling_file: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct DemoStripe {
    pub publishable_key: String,
    pub secret_key: SecretString,
    pub webhook_secret: SecretString,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse_var<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse()
            .map_err(|e| anyhow::anyhow!("{name}={v:?} is not valid: {e}")),
    }
}

impl Config {
    pub fn from_env() -> anyhow::Result<Self> {
        let env = match var("APP_ENV").as_deref() {
            None | Some("development") => AppEnv::Development,
            Some("test") => AppEnv::Test,
            Some("production") => AppEnv::Production,
            Some(other) => bail!("APP_ENV={other:?}: expected development, test or production"),
        };
        let database_url =
            var("DATABASE_URL").unwrap_or_else(|| "sqlite://data/amiable.db?mode=rwc".into());
        let link_secret = match var("LINK_SECRET") {
            Some(s) if s.len() >= 32 => SecretString::from(s),
            Some(_) => bail!("LINK_SECRET must be at least 32 characters"),
            None if env == AppEnv::Production => bail!("LINK_SECRET is required in production"),
            None => SecretString::from(
                dev_secret(&database_url).context("creating a development LINK_SECRET")?,
            ),
        };
        let public_url = var("PUBLIC_URL").unwrap_or_else(|| "http://127.0.0.1:3000".into());
        let public_url = public_url.trim_end_matches('/').to_string();
        if env == AppEnv::Production && !public_url.starts_with("https://") {
            bail!("PUBLIC_URL must be https in production");
        }
        let smtp_url = var("SMTP_URL").unwrap_or_else(|| "smtp://127.0.0.1:1025".into());
        if env == AppEnv::Production
            && (smtp_url.contains("127.0.0.1") || smtp_url.contains("localhost"))
        {
            bail!("SMTP_URL points at a local mail catcher, which is refused in production");
        }
        let stripe_api_url = var("STRIPE_API_URL").map(|u| u.trim_end_matches('/').to_string());
        if env == AppEnv::Production && stripe_api_url.is_some() {
            bail!("STRIPE_API_URL points at a Stripe sandbox, which is refused in production");
        }
        let demo_stripe = match (
            var("DEMO_STRIPE_PUBLISHABLE_KEY"),
            var("DEMO_STRIPE_SECRET_KEY"),
            var("DEMO_STRIPE_WEBHOOK_SECRET"),
        ) {
            (Some(p), Some(s), Some(w)) => Some(DemoStripe {
                publishable_key: p,
                secret_key: s.into(),
                webhook_secret: w.into(),
            }),
            _ => None,
        };
        let fonts = PathBuf::from("/usr/share/fonts/truetype/dejavu");
        Ok(Self {
            env,
            database_url,
            bind_addr: var("BIND_ADDR")
                .or_else(|| var("LEPTOS_SITE_ADDR"))
                .unwrap_or_else(|| "127.0.0.1:3000".into()),
            public_url,
            link_secret,
            smtp_url,
            mail_from: var("MAIL_FROM")
                .unwrap_or_else(|| "Amiable <no-reply@amiable.localhost>".into()),
            font_regular: var("FONT_REGULAR")
                .map(PathBuf::from)
                .unwrap_or_else(|| fonts.join("DejaVuSans.ttf")),
            font_bold: var("FONT_BOLD")
                .map(PathBuf::from)
                .unwrap_or_else(|| fonts.join("DejaVuSans-Bold.ttf")),
            session_ttl_secs: parse_var("SESSION_TTL_HOURS", 8i64)? * 3600,
            link_rate_per_minute: parse_var("LINK_RATE_PER_MINUTE", 20u32)?,
            renewals_per_address_per_hour: parse_var("RENEWALS_PER_ADDRESS_PER_HOUR", 3u32)?,
            stripe_js_url: var("STRIPE_JS_URL")
                .unwrap_or_else(|| "https://js.stripe.com/v3/".into()),
            stripe_api_url,
            demo_stripe,
            site_root: PathBuf::from(
                var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            ),
            metrics_token: match var("METRICS_TOKEN") {
                Some(t) if t.len() < 24 => bail!("METRICS_TOKEN must be at least 24 characters"),
                t => t.map(SecretString::from),
            },
            trust_proxy: match var("TRUST_PROXY").as_deref() {
                None | Some("0") => false,
                Some("1") => true,
                Some(other) => bail!("TRUST_PROXY={other:?}: expected 1 (behind the proxy) or 0"),
            },
            bench_ceiling_file: match var("BENCH_CEILING_FILE") {
                Some(_) if env == AppEnv::Production => {
                    bail!("BENCH_CEILING_FILE is for the benchmark, never production")
                }
                f => f.map(PathBuf::from),
            },
        })
    }

    /// Log lines as JSON in production (one object per line), for people to read otherwise.
    pub fn json_logs(&self) -> bool {
        self.env == AppEnv::Production
    }

    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// Origins the card form needs in the pages' CSP: Stripe.js, its frames and its API.
    pub fn payment_origins(&self) -> String {
        let mut origins = vec![origin(&self.stripe_js_url)];
        match &self.stripe_api_url {
            Some(sandbox) => origins.push(origin(sandbox)),
            None => origins.extend([
                "https://api.stripe.com".to_string(),
                "https://hooks.stripe.com".to_string(),
            ]),
        }
        origins.retain(|o| !o.is_empty());
        origins.dedup();
        origins.join(" ")
    }
}

/// `scheme://host[:port]` of a URL; empty if it has none (CSP sources cannot carry paths we trust).
fn origin(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return String::new();
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let clean = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
    };
    if matches!(scheme, "http" | "https") && clean(host) {
        format!("{scheme}://{host}")
    } else {
        String::new()
    }
}

/// Outside production a secret is made once and kept beside the SQLite file (else in `data/`),
/// so demo links survive restarts and the server and `server links …` always share it,
/// whatever directory each runs from.
fn dev_secret(database_url: &str) -> anyhow::Result<String> {
    let dir = database_url
        .strip_prefix("sqlite://")
        .and_then(|rest| rest.split('?').next())
        .and_then(|file| std::path::Path::new(file).parent().map(PathBuf::from))
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("data"));
    let path = dir.join(".link_secret");
    if let Ok(s) = std::fs::read_to_string(&path)
        && s.trim().len() >= 32
    {
        return Ok(s.trim().to_string());
    }
    std::fs::create_dir_all(&dir)?;
    let s = random_secret();
    std::fs::write(&path, &s).with_context(|| format!("writing {}", path.display()))?;
    // Readable by its owner only: it signs every link.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(s)
}

/// 32 random bytes, URL-safe base64: a development secret.
fn random_secret() -> String {
    use base64::Engine;
    let bytes: [u8; 32] = rand::random();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
