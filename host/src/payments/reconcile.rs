//! What the gateway's callbacks alone cannot promise: a payment whose
//! callback never came is found by asking the gateway, an order nobody paid
//! is marked expired, and money due back is refunded through the gateway's
//! API and the citizen told.
//!
//! Every host runs a [`Reconciler`]; with several hosts on one database the
//! store's claims keep each refund to one of them (a lease on the order: a
//! host that stops mid-refund leaves it to another after the lease). A host
//! that stops after the gateway refunded but before it marked the order
//! finds the refund at the gateway on the next claim instead of making a
//! second one.

use std::collections::BTreeMap;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::gateway::{GatewayApi, RefundRequest};
use super::{captured_event_id, event, pays};
use crate::chat::engine::tr;
use crate::chat::outgoing::Outgoing;
use crate::chat::payments::rupees;
use crate::store::{OutboxItem, PaymentRecord, RefundDone, Store, Writer, now_ms};
use crate::telemetry::{ReasonLabel, metrics};

/// The template that tells a citizen of a refund outside the 24-hour window:
/// body "{{1}} for order {{2}} has been refunded to the account you paid
/// from (refund {{3}})."
pub const REFUNDED_TEMPLATE: &str = "mitra_payment_refunded";

/// How often and how soon the reconciler acts.
#[derive(Clone, Debug)]
pub struct ReconcileConfig {
    /// How long after an order is made the gateway is first asked about it
    /// (its callback usually comes within seconds).
    pub query_after: Duration,
    /// How long before the gateway is asked about the same order again.
    pub query_every: Duration,
    /// How long a claimed refund stays with the host that claimed it.
    pub refund_lease: Duration,
    /// The pause between rounds.
    pub every: Duration,
}

impl Default for ReconcileConfig {
    fn default() -> Self {
        ReconcileConfig {
            query_after: Duration::from_secs(120),
            query_every: Duration::from_secs(60),
            refund_lease: Duration::from_secs(300),
            every: Duration::from_secs(10),
        }
    }
}

/// What one round did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// Orders the gateway was asked about.
    pub checked: usize,
    /// Captured payments found that way (handed to the conversation).
    pub found: usize,
    /// Orders marked expired.
    pub expired: usize,
    /// Refunds made (or found made) and told.
    pub refunded: usize,
    /// Calls to the gateway that failed (tried again next round).
    pub failed: usize,
}

/// Asks, expires and refunds, round after round.
#[derive(Clone)]
pub struct Reconciler {
    store: Store,
    writer: Writer,
    api: GatewayApi,
    config: ReconcileConfig,
}

fn ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}

fn counted(what: &'static str) {
    metrics().payments_reconciled.get_or_create(&ReasonLabel { reason: what }).inc();
}

impl Reconciler {
    pub fn new(store: Store, writer: Writer, api: GatewayApi, config: ReconcileConfig) -> Self {
        Reconciler { store, writer, api, config }
    }

    /// Runs rounds until the task is dropped.
    pub async fn run(self) {
        loop {
            match self.round().await {
                Ok(round) if round != Round::default() => tracing::info!(?round, "payments reconciled"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = format!("{e:#}"), "a payments round failed; trying again"),
            }
            tokio::time::sleep(self.config.every).await;
        }
    }

    /// One round: the orders whose callback is late, then the refunds due.
    pub async fn round(&self) -> anyhow::Result<Round> {
        let mut round = Round::default();
        self.check_orders(&mut round).await?;
        self.refund(&mut round).await?;
        Ok(round)
    }

    async fn check_orders(&self, round: &mut Round) -> anyhow::Result<()> {
        let now = now_ms();
        let made_before = now.saturating_sub(ms(self.config.query_after));
        let checked_before = now.saturating_sub(ms(self.config.query_every));
        for order in self.store.payments_to_check(made_before, checked_before, 100).await? {
            round.checked += 1;
            let payments = match self.api.payments_of(&order.order_id).await {
                Ok(payments) => payments,
                Err(e) => {
                    round.failed += 1;
                    counted("query-failed");
                    tracing::warn!(order = order.order_id, error = %e, "asking the gateway about an order failed");
                    continue;
                }
            };
            if let Some(payment) = payments.iter().find(|p| p.status == "captured" && pays(&order, p)) {
                // The same event a callback would have made: one fulfilment
                // whichever of the two comes first.
                let inbound = event(&order, payment, captured_event_id(&order.order_id), true);
                self.writer.webhook(vec![inbound], Vec::new()).await?;
                let sha = hex::encode(Sha256::digest(format!("status-query:{}:{}", order.order_id, payment.id)));
                let detail = format!("payment.captured (found by the status query, {})", payment.id);
                self.store.record_payment_callback(&sha, Some(&order.order_id), "accepted", &detail).await?;
                self.store.payment_checked(&order.order_id, false).await?;
                round.found += 1;
                counted("found-by-query");
                tracing::info!(order = order.order_id, payment = payment.id, "a payment without a callback was found");
                continue;
            }
            // Nothing taken: past its time (and a query's pause, for a
            // payment the citizen started at the last moment), it expired.
            let over = now >= order.expires_at_ms.saturating_add(ms(self.config.query_every));
            if self.store.payment_checked(&order.order_id, over).await? {
                round.expired += 1;
                counted("expired");
            }
        }
        Ok(())
    }

    async fn refund(&self, round: &mut Round) -> anyhow::Result<()> {
        for order in self.store.claim_refunds(ms(self.config.refund_lease), 20).await? {
            let Some(payment_id) = order.gateway_payment_id.clone() else {
                // Due back without a payment to refund cannot happen; kept
                // claimed (and logged) until someone looks.
                tracing::error!(order = order.order_id, "an order due back has no gateway payment id");
                continue;
            };
            match self.refund_once(&order, &payment_id).await {
                Ok(refund_id) => {
                    let told = self.told(&order, &refund_id).await?;
                    self.store
                        .refund_done(&order.order_id, &RefundDone::Refunded { refund_id: &refund_id, told: &told })
                        .await?;
                    round.refunded += 1;
                    counted("refunded");
                    tracing::info!(order = order.order_id, refund = refund_id, "refunded");
                }
                Err(e) => {
                    self.store.refund_done(&order.order_id, &RefundDone::Failed).await?;
                    round.failed += 1;
                    counted("refund-failed");
                    tracing::warn!(order = order.order_id, error = %e, "a refund failed; it is due again");
                }
            }
        }
        Ok(())
    }

    /// The order's refund: one the gateway already made for it (a host
    /// stopped before marking it), or a new one.
    async fn refund_once(&self, order: &PaymentRecord, payment_id: &str) -> Result<String, super::gateway::ApiError> {
        let made = self.api.refunds_of(payment_id).await?;
        if let Some(refund) =
            made.iter().find(|r| r.status != "failed" && r.receipt.as_deref() == Some(&order.order_id))
        {
            return Ok(refund.id.clone());
        }
        let mut notes = BTreeMap::new();
        notes.insert("service".to_owned(), format!("{}/{}", order.plugin_id, order.service_id));
        if let Some(number) = &order.application_number {
            notes.insert("application".to_owned(), number.clone());
        }
        let request = RefundRequest { amount: order.amount_paise, receipt: order.order_id.clone(), notes };
        Ok(self.api.refund(payment_id, &request).await?.id)
    }

    /// The citizen's message about the refund.
    async fn told(&self, order: &PaymentRecord, refund_id: &str) -> anyhow::Result<OutboxItem> {
        let window_until_ms = crate::applications::window_until(&self.store, &order.wa_id).await?;
        Ok(refunded_message(order, refund_id, window_until_ms))
    }
}

/// What the citizen is told of `order`'s refund: a message inside their
/// 24-hour window, [`REFUNDED_TEMPLATE`] after it.
pub fn refunded_message(order: &PaymentRecord, refund_id: &str, window_until_ms: i64) -> OutboxItem {
    let lang = crate::applications::notify::language(&order.language);
    let amount = rupees(order.amount_paise);
    let about = order
        .application_number
        .as_ref()
        .map(|n| format!(" ({} {n})", tr(lang, "application", "దరఖాస్తు", "आवेदन")))
        .unwrap_or_default();
    let body = format!(
        "↩️ {amount} {} *{}*{about} {}.\n{}: {refund_id}\n{}",
        tr(lang, "for order", "ఆర్డర్", "ऑर्डर"),
        order.order_id,
        tr(
            lang,
            "has been refunded to the account you paid from",
            "కోసం చెల్లించిన మొత్తం మీరు చెల్లించిన ఖాతాకు తిరిగి జమ చేయబడింది",
            "की राशि उसी खाते में वापस कर दी गई है जिससे आपने भुगतान किया था"
        ),
        tr(lang, "Refund reference", "రీఫండ్ సూచిక", "रिफ़ंड संदर्भ"),
        tr(
            lang,
            "Banks take up to 7 working days to show it.",
            "మీ ఖాతాలో కనిపించడానికి బ్యాంకులకు 7 పని దినాల వరకు పట్టవచ్చు.",
            "बैंक में दिखने में 7 कार्य दिवस तक लग सकते हैं।"
        ),
    );
    let template = Outgoing::Template {
        name: REFUNDED_TEMPLATE.into(),
        language: order.language.clone(),
        parameters: vec![amount, order.order_id.clone(), refund_id.to_owned()],
        buttons: vec![],
    };
    let id = format!("{}/refunded/{refund_id}", order.order_id);
    Outgoing::Text(body).queued(id, &order.phone_number_id, &order.wa_id, Some(window_until_ms), Some(&template))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(language: &str) -> PaymentRecord {
        PaymentRecord {
            order_id: "MTRP-261204-AB12CD34".into(),
            wa_id: "919876543210".into(),
            phone_number_id: "1001".into(),
            plugin_id: "municipal".into(),
            service_id: "birth-certificate".into(),
            amount_paise: 5050,
            status: "refunding".into(),
            created_at_ms: 0,
            expires_at_ms: 0,
            paid_at_ms: Some(1),
            gateway_payment_id: Some("pay_1".into()),
            application_number: Some("MTR-261204-AB12CD34".into()),
            refund_id: None,
            language: language.into(),
        }
    }

    #[test]
    fn a_refund_is_told_in_the_citizen_s_language_with_a_template_after_the_window() {
        let told = refunded_message(&order("te"), "rfnd_1", 42);
        let body: serde_json::Value = serde_json::from_str(&told.body).unwrap();
        let text = body["text"]["body"].as_str().unwrap();
        assert!(text.contains("₹50.50") && text.contains("rfnd_1") && text.contains("MTR-261204-AB12CD34"), "{text}");
        assert!(text.contains("తిరిగి జమ"), "{text}");
        assert_eq!(told.window_until_ms, Some(42));
        let fallback: serde_json::Value = serde_json::from_str(told.fallback.as_deref().unwrap()).unwrap();
        assert_eq!(fallback["template"]["name"], REFUNDED_TEMPLATE);
        assert_eq!(fallback["template"]["language"]["code"], "te");
        assert_eq!(fallback["template"]["components"][0]["parameters"][2]["text"], "rfnd_1");
        crate::chat::outgoing::check_limits(&body).unwrap();
        crate::chat::outgoing::check_limits(&fallback).unwrap();
    }
}
