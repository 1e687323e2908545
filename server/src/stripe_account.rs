//! The Stripe adapter: each creditor's own Stripe account, through async-stripe.
//! Card data never reaches us: the browser gives it to Stripe (a SetupIntent confirmed by
//! Stripe.js), and the server charges the resulting payment method with an amount it computed.

use secrecy::{ExposeSecret, SecretString};
use std::collections::HashMap;
use std::time::Duration;
use stripe::{Client, ClientBuilder, IdempotencyKey, RequestStrategy, StripeError, StripeRequest};
use stripe_core::customer::CreateCustomer;
use stripe_core::payment_intent::{CreatePaymentIntent, RetrievePaymentIntent};
use stripe_core::setup_intent::{CreateSetupIntent, CreateSetupIntentUsage, RetrieveSetupIntent};
use stripe_core::{PaymentIntentStatus, SetupIntentStatus};

/// One request may not hold a debtor's page for long.
const TIMEOUT: Duration = Duration::from_secs(20);

pub struct StripeAccount {
    client: Client,
}

/// Where a PaymentIntent stands, in the terms the portal acts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChargeOutcome {
    Succeeded {
        payment_intent: String,
        amount_received: i64,
        currency: String,
    },
    /// The bank asks the cardholder to authenticate (3-D Secure): the browser finishes it.
    RequiresAction {
        payment_intent: String,
        client_secret: String,
    },
    /// Declined or authentication failed; `code` is Stripe's decline or error code.
    Failed {
        payment_intent: Option<String>,
        code: String,
    },
    /// Still being processed by the bank: ask again later.
    Pending { payment_intent: String },
}

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// Stripe could not be reached or did not answer in time: nothing is known to be charged.
    #[error("the card service cannot be reached: {0}")]
    Unreachable(String),
    /// Stripe refused the request (other than a decline): a bug or a configuration problem.
    #[error("the card service refused the request: {0}")]
    Refused(String),
}

impl StripeAccount {
    /// `api_url`: `None` for Stripe itself, or a Stripe-compatible sandbox.
    pub fn new(secret_key: &SecretString, api_url: Option<&str>) -> Result<Self, GatewayError> {
        let mut b = ClientBuilder::new(secret_key.expose_secret())
            .timeout(TIMEOUT)
            .request_strategy(RequestStrategy::Once);
        if let Some(url) = api_url {
            b = b.url(url);
        }
        Ok(Self {
            client: b
                .build()
                .map_err(|e| GatewayError::Refused(e.to_string()))?,
        })
    }

    /// A Stripe Customer for a debtor (the idempotency key makes a retry return the same one).
    pub async fn create_customer(
        &self,
        debtor_id: &str,
        name: &str,
    ) -> Result<String, GatewayError> {
        let c = CreateCustomer::new()
            .name(name)
            .metadata(HashMap::from([(
                "debtor".to_string(),
                debtor_id.to_string(),
            )]))
            .customize()
            .request_strategy(idempotent(&format!("cus-{debtor_id}"))?)
            .send(&self.client)
            .await
            .map_err(|e| gateway_error("creating a Customer", e))?;
        Ok(c.id.to_string())
    }

    /// A SetupIntent for a payment by `customer`; returns (id, client secret for Stripe.js).
    /// `off_session`: the debtor agreed to later charges without them (a schedule's instalments).
    pub async fn create_setup_intent(
        &self,
        attempt_id: &str,
        creditor_id: &str,
        customer: &str,
        off_session: bool,
    ) -> Result<(String, String), GatewayError> {
        let metadata = HashMap::from([
            ("attempt".to_string(), attempt_id.to_string()),
            ("creditor".to_string(), creditor_id.to_string()),
        ]);
        let si = CreateSetupIntent::new()
            .customer(customer)
            .usage(if off_session {
                CreateSetupIntentUsage::OffSession
            } else {
                CreateSetupIntentUsage::OnSession
            })
            .metadata(metadata)
            .customize()
            .request_strategy(idempotent(&format!("seti-{attempt_id}"))?)
            .send(&self.client)
            .await
            .map_err(|e| gateway_error("creating a SetupIntent", e))?;
        let secret = si
            .client_secret
            .ok_or_else(|| GatewayError::Refused("SetupIntent without a client secret".into()))?;
        Ok((si.id.to_string(), secret))
    }

    pub async fn setup_intent_secret(&self, id: &str) -> Result<String, GatewayError> {
        let si = RetrieveSetupIntent::new(id)
            .send(&self.client)
            .await
            .map_err(|e| gateway_error("reading a SetupIntent", e))?;
        si.client_secret
            .ok_or_else(|| GatewayError::Refused("SetupIntent without a client secret".into()))
    }

    /// The payment method the debtor confirmed in the browser; else why there is none (a code
    /// for `card_failure`).
    pub async fn confirmed_payment_method(
        &self,
        setup_intent_id: &str,
    ) -> Result<Result<String, String>, GatewayError> {
        let si = RetrieveSetupIntent::new(setup_intent_id)
            .send(&self.client)
            .await
            .map_err(|e| gateway_error("reading a SetupIntent", e))?;
        let why = match (&si.status, si.payment_method) {
            (SetupIntentStatus::Succeeded, Some(pm)) => return Ok(Ok(pm.into_id().to_string())),
            (SetupIntentStatus::RequiresAction, _) => "setup_intent_authentication_failure",
            (SetupIntentStatus::Canceled, _) => "card_declined",
            _ => {
                return Ok(Err(si
                    .last_setup_error
                    .and_then(|e| e.decline_code)
                    .unwrap_or_else(|| "card_declined".into())));
            }
        };
        Ok(Err(why.to_string()))
    }

    /// Creates and confirms the PaymentIntent. The idempotency key is the attempt, so a retry
    /// after a lost answer returns the same PaymentIntent instead of charging twice.
    /// `off_session`: the debtor is not there (an instalment charged to a saved card), so the
    /// bank cannot ask them to authenticate; such a request comes back as a failure.
    #[allow(clippy::too_many_arguments)]
    pub async fn charge(
        &self,
        attempt_id: &str,
        customer: &str,
        payment_method: &str,
        amount_minor: i64,
        currency: &str,
        metadata: HashMap<String, String>,
        off_session: bool,
    ) -> Result<ChargeOutcome, GatewayError> {
        let currency: stripe_types::Currency = currency
            .to_ascii_lowercase()
            .parse()
            .map_err(|_| GatewayError::Refused(format!("currency {currency}")))?;
        let mut create = CreatePaymentIntent::new(amount_minor, currency)
            .customer(customer)
            .payment_method(payment_method)
            .confirm(true);
        if off_session {
            create = create.off_session(
                stripe_core::payment_intent::CreatePaymentIntentOffSession::Bool(true),
            );
        }
        let res = create
            .metadata(metadata)
            .customize()
            .request_strategy(idempotent(&format!("pi-{attempt_id}"))?)
            .send(&self.client)
            .await;
        match res {
            Ok(pi) => Ok(outcome(&pi)),
            Err(StripeError::Stripe(err, 402)) => {
                let code = err
                    .decline_code
                    .clone()
                    .or_else(|| err.code.as_ref().map(|c| c.as_str().to_string()));
                let payment_intent = err.payment_intent.as_ref().map(|pi| pi.id.to_string());
                Ok(ChargeOutcome::Failed {
                    payment_intent,
                    code: code.unwrap_or_else(|| "card_declined".into()),
                })
            }
            Err(e) => Err(gateway_error("creating a PaymentIntent", e)),
        }
    }

    pub async fn payment_intent(&self, id: &str) -> Result<ChargeOutcome, GatewayError> {
        let pi = RetrievePaymentIntent::new(id)
            .send(&self.client)
            .await
            .map_err(|e| gateway_error("reading a PaymentIntent", e))?;
        Ok(outcome(&pi))
    }
}

pub fn outcome(pi: &stripe_shared::PaymentIntent) -> ChargeOutcome {
    let id = pi.id.to_string();
    match &pi.status {
        PaymentIntentStatus::Succeeded => ChargeOutcome::Succeeded {
            payment_intent: id,
            amount_received: if pi.amount_received > 0 {
                pi.amount_received
            } else {
                pi.amount
            },
            currency: pi.currency.to_string(),
        },
        PaymentIntentStatus::RequiresAction => match &pi.client_secret {
            Some(s) => ChargeOutcome::RequiresAction {
                payment_intent: id,
                client_secret: s.clone(),
            },
            None => ChargeOutcome::Pending { payment_intent: id },
        },
        PaymentIntentStatus::RequiresPaymentMethod | PaymentIntentStatus::Canceled => {
            let code = pi
                .last_payment_error
                .as_ref()
                .and_then(|e| {
                    e.decline_code
                        .clone()
                        .or_else(|| e.code.as_ref().map(|c| c.as_str().to_string()))
                })
                .unwrap_or_else(|| {
                    if pi.status == PaymentIntentStatus::Canceled {
                        "canceled".into()
                    } else {
                        "card_declined".into()
                    }
                });
            ChargeOutcome::Failed {
                payment_intent: Some(id),
                code,
            }
        }
        _ => ChargeOutcome::Pending { payment_intent: id },
    }
}

fn idempotent(key: &str) -> Result<RequestStrategy, GatewayError> {
    Ok(RequestStrategy::Idempotent(
        IdempotencyKey::new(key)
            .map_err(|e| GatewayError::Refused(format!("idempotency key: {e:?}")))?,
    ))
}

fn gateway_error(doing: &str, e: StripeError) -> GatewayError {
    match e {
        StripeError::Stripe(err, status) => GatewayError::Refused(format!(
            "{doing}: HTTP {status}: {}",
            err.message.clone().unwrap_or_else(|| "no message".into())
        )),
        StripeError::Timeout | StripeError::ClientError(_) => {
            GatewayError::Unreachable(format!("{doing}: {e}"))
        }
        other => GatewayError::Refused(format!("{doing}: {other}")),
    }
}
