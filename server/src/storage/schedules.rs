//! Payment schedules: the creditor's rules, proposals and counter-proposals, decisions, and
//! the instalments the jobs follow. Every change checks the state it starts from inside its
//! transaction, so a decision on a proposal the debtor has since withdrawn is `Stale`, not a
//! silent overwrite.

use super::events::{NewEvent, append};
use super::invoices::{REMAINING, move_invoice, status_list};
use super::links::{LinkRow, insert_link};
use super::outbox::{NewMail, enqueue};
use super::{Result, Storage, StorageError, Tx, corrupt, map_unique};
use app::domain::invoice::Move;
use app::domain::money::{Currency, Money};
pub use app::domain::schedule::ScheduleStatus;
use app::domain::schedule::{Instalment, Reason, ScheduleRules};
use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A creditor's schedule rules and how accepted schedules are followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesRow {
    pub rules: ScheduleRules,
    /// A friendly reminder goes out this many days before each instalment.
    pub reminder_days: i64,
    /// An instalment still unpaid this many days after its date breaks the schedule.
    pub grace_days: i64,
}

/// A creditor that set no rules: every proposal goes to a person, followed by the defaults.
impl Default for RulesRow {
    fn default() -> Self {
        Self {
            rules: ScheduleRules { bands: vec![] },
            reminder_days: app::domain::schedule::DEFAULT_REMINDER_DAYS,
            grace_days: app::domain::schedule::DEFAULT_GRACE_DAYS,
        }
    }
}

#[derive(Debug, Clone)]
pub struct InstalmentRow {
    pub seq: i64,
    pub due_date: NaiveDate,
    pub amount: Money,
    pub reminded_at: Option<i64>,
    pub charge_attempt_id: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ScheduleRow {
    pub id: String,
    pub creditor_id: String,
    pub debtor_id: String,
    pub status: ScheduleStatus,
    pub total: Money,
    /// 'debtor', or the id of the agent who counter-proposed.
    pub proposed_by: String,
    pub replaces_id: Option<String>,
    pub reasons: Vec<Reason>,
    pub note: String,
    pub needs_agent: bool,
    pub waiting_since: i64,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    /// The card the debtor saved to pay the instalments automatically (a Stripe PaymentMethod).
    pub card_payment_method: Option<String>,
    /// (invoice id, invoice number, what it owed when proposed).
    pub invoices: Vec<(String, String, Money)>,
    pub instalments: Vec<InstalmentRow>,
}

impl ScheduleRow {
    pub fn plan(&self) -> Vec<Instalment> {
        self.instalments
            .iter()
            .map(|i| Instalment {
                due_date: i.due_date,
                amount: i.amount,
            })
            .collect()
    }
}

/// A proposal, a counter-proposal, or a schedule accepted at once.
#[derive(Debug, Clone)]
pub struct NewSchedule<'a> {
    /// Made by the caller, so the mails stored with it can name it.
    pub id: &'a str,
    pub creditor_id: &'a str,
    pub debtor_id: &'a str,
    pub total: Money,
    /// (invoice id, what it owes now), in the proposal's currency.
    pub invoices: &'a [(String, Money)],
    pub instalments: &'a [Instalment],
    pub reasons: &'a [Reason],
    /// Proposed (to an agent), Countered (to the debtor) or Accepted (at once).
    pub status: ScheduleStatus,
    pub proposed_by: &'a str,
    /// A counter-proposal replaces the debtor's proposal, which must still be `Proposed`.
    pub replaces_id: Option<&'a str>,
    pub note: &'a str,
}

/// One line of the agents' queue.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub schedule_id: String,
    pub debtor_id: String,
    pub debtor_name: String,
    pub debtor_reference: String,
    pub status: ScheduleStatus,
    pub total: Money,
    pub waiting_since: i64,
    pub reasons: Vec<Reason>,
}

/// An accepted schedule as the jobs see it: what has been paid on its invoices so far.
#[derive(Debug, Clone)]
pub struct FollowedSchedule {
    pub schedule: ScheduleRow,
    /// Paid on the schedule's invoices since it was proposed (by any means).
    pub paid: Money,
    pub timezone: chrono_tz::Tz,
}

/// What tells the debtor about a change: mails, and the fresh link they carry when the debtor
/// is not in the portal (an agent's decision, a job). Stored with the change, in its transaction.
#[derive(Debug, Clone, Copy, Default)]
pub struct Notice<'a> {
    pub link: Option<&'a LinkRow>,
    pub mails: &'a [NewMail],
}

async fn send(tx: &mut Tx<'_>, notice: Notice<'_>, actor: &str, now: i64) -> Result<()> {
    if let Some(l) = notice.link {
        insert_link(tx, l, actor, "schedule notice").await?;
    }
    for m in notice.mails {
        enqueue(tx, m, now).await?;
    }
    Ok(())
}

const SCHEDULE_COLUMNS: &str = "id, creditor_id, debtor_id, status, currency, total_minor, proposed_by, replaces_id, \
    reasons, note, needs_agent, waiting_since, created_at, decided_at, card_payment_method";

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| corrupt(format!("bad date {s:?}")))
}

fn head_from_row(r: &AnyRow) -> Result<ScheduleRow> {
    let currency = Currency::parse(&r.try_get::<String, _>("currency")?).map_err(corrupt)?;
    let status: String = r.try_get("status")?;
    let reasons: String = r.try_get("reasons")?;
    Ok(ScheduleRow {
        id: r.try_get("id")?,
        creditor_id: r.try_get("creditor_id")?,
        debtor_id: r.try_get("debtor_id")?,
        status: ScheduleStatus::parse(&status)
            .ok_or_else(|| corrupt(format!("schedule status {status:?}")))?,
        total: Money::new(r.try_get("total_minor")?, currency),
        proposed_by: r.try_get("proposed_by")?,
        replaces_id: r.try_get("replaces_id")?,
        reasons: serde_json::from_str(&reasons).map_err(corrupt)?,
        note: r.try_get("note")?,
        needs_agent: r.try_get::<i64, _>("needs_agent")? == 1,
        waiting_since: r.try_get("waiting_since")?,
        created_at: r.try_get("created_at")?,
        decided_at: r.try_get("decided_at")?,
        card_payment_method: r.try_get("card_payment_method")?,
        invoices: Vec::new(),
        instalments: Vec::new(),
    })
}

fn event<'a>(
    s: &'a ScheduleRow,
    kind: &'a str,
    actor: &'a str,
    detail: serde_json::Value,
) -> NewEvent<'a> {
    NewEvent {
        creditor_id: &s.creditor_id,
        debtor_id: Some(&s.debtor_id),
        invoice_id: None,
        kind,
        actor,
        detail,
    }
}

/// Moves the schedule's invoices through the transition table; `Stale` if one moved on.
async fn move_invoices(tx: &mut Tx<'_>, s: &ScheduleRow, m: Move) -> Result<()> {
    for (invoice_id, number, _) in &s.invoices {
        if !move_invoice(tx, m, invoice_id, &s.creditor_id, &s.debtor_id).await? {
            return Err(StorageError::Stale(format!(
                "invoice {number} changed meanwhile"
            )));
        }
    }
    Ok(())
}

/// Moves a schedule from one of `from` to `to`; `Stale` if it is no longer in any of them.
async fn move_schedule(
    tx: &mut Tx<'_>,
    s: &ScheduleRow,
    from: &[ScheduleStatus],
    to: ScheduleStatus,
    actor: &str,
    needs_agent: bool,
    now: i64,
) -> Result<()> {
    let from_list = from
        .iter()
        .map(|f| format!("'{}'", f.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let moved = sqlx::query(&format!(
        "UPDATE schedules SET status = $1, open_key = $2, needs_agent = $3, waiting_since = $4, decided_at = $4, decided_by = $5 \
         WHERE id = $6 AND creditor_id = $7 AND status IN ({from_list})"
    ))
    .bind(to.as_str())
    .bind(to.is_open().then_some(s.debtor_id.as_str()))
    .bind(i64::from(needs_agent))
    .bind(now)
    .bind(actor)
    .bind(&s.id)
    .bind(&s.creditor_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if moved != 1 {
        return Err(StorageError::Stale(format!(
            "the schedule is no longer {}",
            from.iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
                .join(" or ")
        )));
    }
    Ok(())
}

impl Storage {
    pub async fn schedule_rules(&self, creditor_id: &str) -> Result<Option<RulesRow>> {
        let row = sqlx::query(
            "SELECT rules, reminder_days, grace_days FROM schedule_rules WHERE creditor_id = $1",
        )
        .bind(creditor_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let rules: String = r.try_get("rules")?;
            Ok(RulesRow {
                rules: serde_json::from_str(&rules).map_err(corrupt)?,
                reminder_days: r.try_get("reminder_days")?,
                grace_days: r.try_get("grace_days")?,
            })
        })
        .transpose()
    }

    /// Replaces the creditor's rules (the caller validated them), logged with who changed them.
    pub async fn set_schedule_rules(
        &self,
        creditor_id: &str,
        r: &RulesRow,
        actor: &str,
        now: i64,
    ) -> Result<()> {
        let json = serde_json::to_string(&r.rules).map_err(corrupt)?;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM schedule_rules WHERE creditor_id = $1")
            .bind(creditor_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO schedule_rules (creditor_id, rules, reminder_days, grace_days, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(creditor_id)
        .bind(&json)
        .bind(r.reminder_days)
        .bind(r.grace_days)
        .bind(now)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({ "bands": r.rules.bands.len(), "reminder_days": r.reminder_days, "grace_days": r.grace_days });
        append(
            &mut tx,
            NewEvent {
                creditor_id,
                debtor_id: None,
                invoice_id: None,
                kind: "schedule_rules_set",
                actor,
                detail,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a proposal, a counter-proposal or a schedule accepted at once, with its event
    /// and mails. `Duplicate`: the debtor already has an open proposal. `Stale`: an invoice
    /// changed (paid, disputed, scheduled) or the replaced proposal is no longer open.
    pub async fn insert_schedule(
        &self,
        n: &NewSchedule<'_>,
        notice: Notice<'_>,
        now: i64,
    ) -> Result<String> {
        let id = n.id.to_string();
        let mut tx = self.begin().await?;
        let row = ScheduleRow {
            id: id.clone(),
            creditor_id: n.creditor_id.into(),
            debtor_id: n.debtor_id.into(),
            status: n.status,
            total: n.total,
            proposed_by: n.proposed_by.into(),
            replaces_id: n.replaces_id.map(Into::into),
            reasons: n.reasons.to_vec(),
            note: n.note.into(),
            needs_agent: n.status == ScheduleStatus::Proposed,
            waiting_since: now,
            created_at: now,
            decided_at: None,
            card_payment_method: None,
            invoices: n
                .invoices
                .iter()
                .map(|(i, m)| (i.clone(), String::new(), *m))
                .collect(),
            instalments: Vec::new(),
        };
        if let Some(old) = n.replaces_id {
            let old = ScheduleRow {
                id: old.into(),
                ..row.clone()
            };
            move_schedule(
                &mut tx,
                &old,
                &[ScheduleStatus::Proposed],
                ScheduleStatus::Superseded,
                n.proposed_by,
                false,
                now,
            )
            .await?;
        }
        // Each invoice is the debtor's, in the currency, and still open to a schedule.
        for (invoice_id, amount) in n.invoices {
            let r = sqlx::query(&format!(
                "SELECT i.number, i.status, i.currency, {REMAINING} AS remaining_minor FROM invoices i \
                 WHERE i.id = $1 AND i.creditor_id = $2 AND i.debtor_id = $3 AND i.kind = 'invoice'"
            ))
            .bind(invoice_id)
            .bind(n.creditor_id)
            .bind(n.debtor_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StorageError::Stale("an invoice is not on this account".into()))?;
            let number: String = r.try_get("number")?;
            let status: String = r.try_get("status")?;
            let remaining: i64 = r.try_get("remaining_minor")?;
            let currency: String = r.try_get("currency")?;
            if !matches!(status.as_str(), "open" | "promised")
                || currency != amount.currency.code()
                || remaining != amount.minor
            {
                return Err(StorageError::Stale(format!(
                    "invoice {number} changed since the proposal was made"
                )));
            }
        }
        sqlx::query(&format!(
            "INSERT INTO schedules ({SCHEDULE_COLUMNS}, open_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, NULL, NULL, $13)"
        ))
        .bind(&id)
        .bind(n.creditor_id)
        .bind(n.debtor_id)
        .bind(n.status.as_str())
        .bind(n.total.currency.code())
        .bind(n.total.minor)
        .bind(n.proposed_by)
        .bind(n.replaces_id)
        .bind(serde_json::to_string(n.reasons).map_err(corrupt)?)
        .bind(n.note)
        .bind(i64::from(row.needs_agent))
        .bind(now)
        .bind(n.status.is_open().then_some(n.debtor_id))
        .execute(&mut *tx)
        .await
        .map_err(map_unique)?;
        for (invoice_id, amount) in n.invoices {
            sqlx::query("INSERT INTO schedule_invoices (schedule_id, invoice_id, amount_minor) VALUES ($1, $2, $3)")
                .bind(&id)
                .bind(invoice_id)
                .bind(amount.minor)
                .execute(&mut *tx)
                .await?;
        }
        for (seq, i) in n.instalments.iter().enumerate() {
            sqlx::query("INSERT INTO schedule_instalments (schedule_id, seq, due_date, amount_minor) VALUES ($1, $2, $3, $4)")
                .bind(&id)
                .bind(seq as i64 + 1)
                .bind(i.due_date.format("%Y-%m-%d").to_string())
                .bind(i.amount.minor)
                .execute(&mut *tx)
                .await?;
        }
        if n.status == ScheduleStatus::Accepted {
            move_invoices(&mut tx, &row, Move::Schedule).await?;
        }
        let kind = match n.status {
            ScheduleStatus::Accepted => "schedule_accepted",
            ScheduleStatus::Countered => "schedule_countered",
            _ => "schedule_proposed",
        };
        let detail = serde_json::json!({
            "schedule": id, "total_minor": n.total.minor, "currency": n.total.currency.code(),
            "instalments": n.instalments.len(), "replaces": n.replaces_id, "note": n.note,
            "reasons": n.reasons.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "at_once": n.status == ScheduleStatus::Accepted && n.proposed_by == "debtor",
        });
        let actor = if n.proposed_by == "debtor" {
            "debtor"
        } else {
            n.proposed_by
        };
        append(&mut tx, event(&row, kind, actor, detail), now).await?;
        send(&mut tx, notice, actor, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One schedule of a creditor, with its invoices and instalments; `debtor_id` narrows it to
    /// one debtor (the portal), `None` is for the creditor's agents.
    pub async fn schedule(
        &self,
        creditor_id: &str,
        debtor_id: Option<&str>,
        id: &str,
    ) -> Result<Option<ScheduleRow>> {
        // Two queries rather than `$3 IS NULL OR …`: PostgreSQL cannot type an untyped NULL.
        let row = match debtor_id {
            Some(d) => {
                sqlx::query(&format!("SELECT {SCHEDULE_COLUMNS} FROM schedules WHERE id = $1 AND creditor_id = $2 AND debtor_id = $3"))
                    .bind(id)
                    .bind(creditor_id)
                    .bind(d)
                    .fetch_optional(&self.pool)
                    .await?
            }
            None => {
                sqlx::query(&format!("SELECT {SCHEDULE_COLUMNS} FROM schedules WHERE id = $1 AND creditor_id = $2"))
                    .bind(id)
                    .bind(creditor_id)
                    .fetch_optional(&self.pool)
                    .await?
            }
        };
        let Some(row) = row else { return Ok(None) };
        let mut s = head_from_row(&row)?;
        self.fill(&mut s).await?;
        Ok(Some(s))
    }

    /// A debtor's schedules, newest first.
    pub async fn schedules_of(
        &self,
        creditor_id: &str,
        debtor_id: &str,
    ) -> Result<Vec<ScheduleRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {SCHEDULE_COLUMNS} FROM schedules WHERE creditor_id = $1 AND debtor_id = $2 ORDER BY created_at DESC, id DESC"
        ))
        .bind(creditor_id)
        .bind(debtor_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut s = head_from_row(r)?;
            self.fill(&mut s).await?;
            out.push(s);
        }
        Ok(out)
    }

    async fn fill(&self, s: &mut ScheduleRow) -> Result<()> {
        let currency = s.total.currency;
        let rows = sqlx::query(
            "SELECT si.invoice_id, i.number, si.amount_minor FROM schedule_invoices si JOIN invoices i ON i.id = si.invoice_id \
             WHERE si.schedule_id = $1 AND i.creditor_id = $2 ORDER BY i.due_date, i.number",
        )
        .bind(&s.id)
        .bind(&s.creditor_id)
        .fetch_all(&self.pool)
        .await?;
        s.invoices = rows
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("invoice_id")?,
                    r.try_get("number")?,
                    Money::new(r.try_get("amount_minor")?, currency),
                ))
            })
            .collect::<Result<_>>()?;
        let rows = sqlx::query("SELECT seq, due_date, amount_minor, reminded_at, charge_attempt_id FROM schedule_instalments WHERE schedule_id = $1 ORDER BY seq")
            .bind(&s.id)
            .fetch_all(&self.pool)
            .await?;
        s.instalments = rows
            .iter()
            .map(|r| {
                Ok(InstalmentRow {
                    seq: r.try_get("seq")?,
                    due_date: date(&r.try_get::<String, _>("due_date")?)?,
                    amount: Money::new(r.try_get("amount_minor")?, currency),
                    reminded_at: r.try_get("reminded_at")?,
                    charge_attempt_id: r.try_get("charge_attempt_id")?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(())
    }

    /// The debtor withdraws their proposal before anyone decided.
    pub async fn withdraw_schedule(&self, s: &ScheduleRow, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        move_schedule(
            &mut tx,
            s,
            &[ScheduleStatus::Proposed],
            ScheduleStatus::Withdrawn,
            "debtor",
            false,
            now,
        )
        .await?;
        append(
            &mut tx,
            event(
                s,
                "schedule_withdrawn",
                "debtor",
                serde_json::json!({ "schedule": s.id }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An agent accepts or rejects a proposal (`to` is Accepted or Rejected), or the debtor
    /// accepts or declines a counter-proposal. `Stale` if it moved meanwhile.
    pub async fn decide_schedule(
        &self,
        s: &ScheduleRow,
        to: ScheduleStatus,
        actor: &str,
        note: &str,
        notice: Notice<'_>,
        now: i64,
    ) -> Result<()> {
        let from = if actor == "debtor" {
            ScheduleStatus::Countered
        } else {
            ScheduleStatus::Proposed
        };
        let mut tx = self.begin().await?;
        // A declined counter-proposal goes back to the agents.
        move_schedule(
            &mut tx,
            s,
            &[from],
            to,
            actor,
            to == ScheduleStatus::Declined,
            now,
        )
        .await?;
        if !note.is_empty() {
            sqlx::query("UPDATE schedules SET note = $1 WHERE id = $2")
                .bind(note)
                .bind(&s.id)
                .execute(&mut *tx)
                .await?;
        }
        if to == ScheduleStatus::Accepted {
            move_invoices(&mut tx, s, Move::Schedule).await?;
        }
        let kind = format!("schedule_{}", to.as_str());
        append(
            &mut tx,
            event(
                s,
                &kind,
                actor,
                serde_json::json!({ "schedule": s.id, "note": note }),
            ),
            now,
        )
        .await?;
        send(&mut tx, notice, actor, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An agent has seen a broken schedule or a declined counter-proposal: it leaves the queue.
    pub async fn acknowledge_schedule(
        &self,
        s: &ScheduleRow,
        agent_id: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query("UPDATE schedules SET needs_agent = 0 WHERE id = $1 AND creditor_id = $2 AND needs_agent = 1 AND status IN ('broken', 'declined')")
            .bind(&s.id)
            .bind(&s.creditor_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if done != 1 {
            return Err(StorageError::Stale(
                "the case has already been handled".into(),
            ));
        }
        append(
            &mut tx,
            event(
                s,
                "schedule_handled",
                agent_id,
                serde_json::json!({ "schedule": s.id }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What needs a person, oldest first.
    pub async fn schedule_queue(&self, creditor_id: &str) -> Result<Vec<QueueRow>> {
        let rows = sqlx::query(
            "SELECT s.id, s.debtor_id, d.name, d.reference, s.status, s.currency, s.total_minor, s.waiting_since, s.reasons \
             FROM schedules s JOIN debtors d ON d.id = s.debtor_id AND d.creditor_id = s.creditor_id \
             WHERE s.creditor_id = $1 AND s.needs_agent = 1 ORDER BY s.waiting_since, s.id",
        )
        .bind(creditor_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let currency =
                    Currency::parse(&r.try_get::<String, _>("currency")?).map_err(corrupt)?;
                let status: String = r.try_get("status")?;
                let reasons: String = r.try_get("reasons")?;
                Ok(QueueRow {
                    schedule_id: r.try_get("id")?,
                    debtor_id: r.try_get("debtor_id")?,
                    debtor_name: r.try_get("name")?,
                    debtor_reference: r.try_get("reference")?,
                    status: ScheduleStatus::parse(&status)
                        .ok_or_else(|| corrupt("schedule status"))?,
                    total: Money::new(r.try_get("total_minor")?, currency),
                    waiting_since: r.try_get("waiting_since")?,
                    reasons: serde_json::from_str(&reasons).map_err(corrupt)?,
                })
            })
            .collect()
    }

    /// Accepted schedules of every creditor, with what has been paid on each, for the jobs.
    pub async fn followed_schedules(&self, limit: i64) -> Result<Vec<FollowedSchedule>> {
        let rows = sqlx::query(&format!(
            "SELECT {SCHEDULE_COLUMNS}, (SELECT d.timezone FROM debtors d WHERE d.id = s.debtor_id) AS timezone, \
             CAST(COALESCE((SELECT SUM(si.amount_minor - ({REMAINING})) FROM schedule_invoices si JOIN invoices i ON i.id = si.invoice_id \
                WHERE si.schedule_id = s.id), 0) AS BIGINT) AS paid_minor \
             FROM schedules s WHERE s.status = 'accepted' ORDER BY s.id LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut schedule = head_from_row(r)?;
            self.fill(&mut schedule).await?;
            let paid = Money::new(r.try_get("paid_minor")?, schedule.total.currency);
            out.push(FollowedSchedule {
                schedule,
                paid,
                timezone: super::debtors::parse_zone(&r.try_get::<String, _>("timezone")?)?,
            });
        }
        Ok(out)
    }

    /// The friendly reminder before instalment `seq` is queued, once.
    pub async fn remind_instalment(
        &self,
        s: &ScheduleRow,
        seq: i64,
        notice: Notice<'_>,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let marked = sqlx::query("UPDATE schedule_instalments SET reminded_at = $1 WHERE schedule_id = $2 AND seq = $3 AND reminded_at IS NULL")
            .bind(now)
            .bind(&s.id)
            .bind(seq)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if marked != 1 {
            return Ok(false);
        }
        append(
            &mut tx,
            event(
                s,
                "instalment_reminder_sent",
                "system",
                serde_json::json!({ "schedule": s.id, "seq": seq }),
            ),
            now,
        )
        .await?;
        send(&mut tx, notice, "system", now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// An instalment stayed unpaid past the grace period: the schedule breaks, its invoices are
    /// chased again, and the case enters the queue.
    pub async fn break_schedule(
        &self,
        s: &ScheduleRow,
        seq: i64,
        notice: Notice<'_>,
        now: i64,
    ) -> Result<()> {
        self.end_schedule(
            s,
            ScheduleStatus::Broken,
            Move::Unschedule,
            serde_json::json!({ "schedule": s.id, "missed": seq }),
            notice,
            now,
        )
        .await
    }

    /// The debtor saved a card, while paying an instalment, for the next ones.
    pub async fn save_schedule_card(
        &self,
        s: &ScheduleRow,
        payment_method: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE schedules SET card_payment_method = $1 WHERE id = $2 AND creditor_id = $3 AND debtor_id = $4")
            .bind(payment_method)
            .bind(&s.id)
            .bind(&s.creditor_id)
            .bind(&s.debtor_id)
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            event(
                s,
                "schedule_card_saved",
                "debtor",
                serde_json::json!({ "schedule": s.id }),
            ),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Claims instalment `seq` for one automatic charge (attempt `attempt_id`); false if it
    /// was claimed already (by another instance, or an earlier run).
    pub async fn claim_instalment_charge(
        &self,
        s: &ScheduleRow,
        seq: i64,
        attempt_id: &str,
    ) -> Result<bool> {
        let claimed = sqlx::query(
            "UPDATE schedule_instalments SET charge_attempt_id = $1 WHERE schedule_id = $2 AND seq = $3 AND charge_attempt_id IS NULL",
        )
        .bind(attempt_id)
        .bind(&s.id)
        .bind(seq)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(claimed == 1)
    }

    /// Logs an event on a schedule and sends its notice (an automatic charge that failed).
    pub async fn notify_schedule(
        &self,
        s: &ScheduleRow,
        kind: &str,
        detail: serde_json::Value,
        notice: Notice<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        append(&mut tx, event(s, kind, "system", detail), now).await?;
        send(&mut tx, notice, "system", now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Everything on the schedule has been paid.
    pub async fn complete_schedule(&self, s: &ScheduleRow, now: i64) -> Result<()> {
        self.end_schedule(
            s,
            ScheduleStatus::Completed,
            Move::CompleteSchedule,
            serde_json::json!({ "schedule": s.id }),
            Notice::default(),
            now,
        )
        .await
    }

    /// Ends an accepted schedule (`to`: broken or completed); its invoices still `scheduled`
    /// move on by `invoices` (some may have been paid in full meanwhile). A broken one waits
    /// in the queue.
    async fn end_schedule(
        &self,
        s: &ScheduleRow,
        to: ScheduleStatus,
        invoices: Move,
        detail: serde_json::Value,
        notice: Notice<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        move_schedule(
            &mut tx,
            s,
            &[ScheduleStatus::Accepted],
            to,
            "system",
            to == ScheduleStatus::Broken,
            now,
        )
        .await?;
        let sql = format!(
            "UPDATE invoices SET status = $1 WHERE status IN ({}) AND creditor_id = $2 AND debtor_id = $3 \
             AND id IN (SELECT invoice_id FROM schedule_invoices WHERE schedule_id = $4)",
            status_list(invoices.from())
        );
        sqlx::query(&sql)
            .bind(invoices.to().as_str())
            .bind(&s.creditor_id)
            .bind(&s.debtor_id)
            .bind(&s.id)
            .execute(&mut *tx)
            .await?;
        let kind = format!("schedule_{}", to.as_str());
        append(&mut tx, event(s, &kind, "system", detail), now).await?;
        send(&mut tx, notice, "system", now).await?;
        tx.commit().await?;
        Ok(())
    }
}
