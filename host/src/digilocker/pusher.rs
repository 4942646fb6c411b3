//! "Save to DigiLocker" behind the chat: the offer queued once a
//! certificate has been sent, the push a citizen's tap records (one per
//! certificate, in the database), and the background pusher `mitra serve`
//! runs, which sends each recorded push with the [`PushClient`], tries
//! again with backoff while DigiLocker is unavailable, and tells the
//! citizen how it ended, in the transaction that marks it so: saved, or,
//! once it gives up, that it could not be and that the certificate stays
//! valid and can be pulled into DigiLocker by its number.
//!
//! Every host may run a pusher: a push is claimed with a lease
//! ([`Store::claim_digilocker_pushes`]), so one host sends it; a push whose
//! host stopped mid-way is claimed again when the lease runs out, so
//! DigiLocker may then receive it twice (the same URI, which it keeps
//! once) but the citizen is told once.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use super::push::{LockerOwner, PushClient, PushConfig};
use super::{DigiLockerConfig, issued, pushes};
use crate::applications::notify::language;
use crate::certificates::issuer;
use crate::chat::digilocker as words;
use crate::chat::engine::Citizen;
use crate::chat::outgoing::Outgoing;
use crate::runtime::{Language, Text};
use crate::store::{ApplicationRecord, DigiLockerPush, OutboxItem, PUSH_FAILED, PUSH_SAVED, PushDone, Store, now_ms};
use crate::telemetry::OutcomeLabel;

/// How failed pushes are tried again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retries {
    /// Attempts before a push is given up.
    pub attempts: i64,
    /// The wait after the first failure; each later one is twice the one
    /// before…
    pub first: Duration,
    /// …up to this.
    pub longest: Duration,
}

impl Default for Retries {
    /// Eight attempts over about an hour: 30 s, 1, 2, 4, 8, 16 and 30
    /// minutes apart, long enough to outlast most of DigiLocker's outages
    /// and short enough that the citizen still remembers asking.
    fn default() -> Self {
        Self { attempts: 8, first: Duration::from_secs(30), longest: Duration::from_secs(30 * 60) }
    }
}

impl Retries {
    /// The wait after failed attempt `attempts` (1 for the first).
    pub fn after(&self, attempts: i64) -> Duration {
        let doublings = u32::try_from(attempts.clamp(1, 32) - 1).unwrap_or(0);
        self.first.saturating_mul(2u32.saturating_pow(doublings)).min(self.longest)
    }
}

/// How long a claimed push is its pusher's: longer than a push may take
/// (the client gives DigiLocker 20 seconds).
const LEASE: Duration = Duration::from_secs(120);
/// How long a tap's push waits before it is sent, so that the tap's own
/// reply ("saving…"), stored with the turn, is queued before the outcome's.
pub const SETTLE: Duration = Duration::from_millis(500);
/// How often a pusher looks for pushes other hosts recorded (or left).
const POLL: Duration = Duration::from_secs(5);
/// Most pushes claimed at once.
const BATCH: i64 = 16;

/// What a tap on "Save to DigiLocker" came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Requested {
    /// Recorded now, or earlier and not yet ended.
    Saving,
    /// Saved earlier.
    Saved { title: Text },
    /// Given up earlier.
    Failed { title: Text, department: Text },
    /// Not an issued certificate Mitra may push (revoked, not issued, of
    /// no DigiLocker document type).
    NotSaveable,
    /// Not the tapping citizen's certificate.
    NotYours,
}

/// The pusher, and what the chat and the sender ask of it.
pub struct Pusher {
    client: PushClient,
    issuer: Arc<DigiLockerConfig>,
    store: Store,
    retries: Retries,
    /// A push was recorded: look now rather than at the next poll.
    wake: Notify,
}

impl std::fmt::Debug for Pusher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pusher").field("client", &self.client).field("retries", &self.retries).finish()
    }
}

impl Pusher {
    pub fn new(push: PushConfig, issuer: DigiLockerConfig, store: Store) -> Self {
        let client = PushClient::new(push, issuer.clone(), store.clone());
        Self { client, issuer: Arc::new(issuer), store, retries: Retries::default(), wake: Notify::new() }
    }

    /// Tries failed pushes again as `retries` says.
    pub fn with_retries(mut self, retries: Retries) -> Self {
        self.retries = retries;
        self
    }

    /// Called by the sender once certificate `number` has been sent as
    /// `sent`: queues the offer to save it, behind `sent` and within its
    /// window, unless the certificate has a push already or is not one
    /// DigiLocker takes. Returns whether it was offered.
    pub async fn certificate_sent(&self, number: &str, sent: &OutboxItem) -> anyhow::Result<bool> {
        if sent.window_until_ms.is_none_or(|until| now_ms() > until) {
            return Ok(false);
        }
        let found = match issued::find(&self.store, &self.issuer, number, None).await? {
            Ok(found) => found,
            Err(_) => return Ok(false),
        };
        let lang = language(&found.application.language);
        let offer = words::offer(number, found.document.document.title.get(lang), lang);
        let item = offer.queued(
            format!("{}/digilocker", sent.id),
            &sent.phone_number_id,
            &sent.wa_id,
            sent.window_until_ms,
            None,
        );
        let offered = self.store.offer_digilocker_push(number, &item).await?;
        if offered {
            pushes().get_or_create(&OutcomeLabel { outcome: "offered" }).inc();
        }
        Ok(offered)
    }

    /// Records `citizen`'s consent to save certificate `number` (speaking
    /// `language`); the push is sent shortly after ([`SETTLE`]).
    pub async fn request(&self, citizen: &Citizen, language: &str, number: &str) -> anyhow::Result<Requested> {
        let Some(application) = self.store.application(number).await? else { return Ok(Requested::NotYours) };
        if application.wa_id != citizen.wa_id {
            return Ok(Requested::NotYours);
        }
        if let Some(earlier) = self.store.digilocker_push(number).await? {
            return Ok(standing(&earlier, &application));
        }
        if issued::find(&self.store, &self.issuer, number, None).await?.is_err() {
            return Ok(Requested::NotSaveable);
        }
        let now = now_ms();
        let due = now.saturating_add(i64::try_from(SETTLE.as_millis()).unwrap_or(0));
        let push = DigiLockerPush::requested(number, &citizen.wa_id, &citizen.phone_number_id, language, now, due);
        let (new, stands) = self.store.request_digilocker_push(&push).await?;
        if new {
            tracing::info!(number, "a citizen asked to save a certificate to DigiLocker");
            pushes().get_or_create(&OutcomeLabel { outcome: "requested" }).inc();
            self.wake.notify_one();
        }
        Ok(standing(&stands, &application))
    }

    /// Runs until the process ends: sends due pushes, then waits for the
    /// next one due, a new one, or the next look.
    pub async fn run(self: Arc<Self>) {
        loop {
            if let Err(error) = self.round().await {
                tracing::error!(error = format!("{error:#}"), "DigiLocker pushes unavailable; retrying");
            }
            let wait = match self.store.next_digilocker_push_due().await {
                Ok(Some(due)) => Duration::from_millis(u64::try_from(due - now_ms()).unwrap_or(0)).min(POLL),
                _ => POLL,
            };
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// Sends the pushes due now; how many were attempted.
    pub async fn round(&self) -> anyhow::Result<usize> {
        let lease = i64::try_from(LEASE.as_millis()).unwrap_or(i64::MAX);
        let claimed = self.store.claim_digilocker_pushes(lease, BATCH).await?;
        let count = claimed.len();
        // A few a minute at most: one after another.
        for push in claimed {
            if let Err(error) = self.attempt(&push).await {
                tracing::error!(error = format!("{error:#}"), number = push.number, "a DigiLocker push failed");
            }
        }
        Ok(count)
    }

    async fn attempt(&self, push: &DigiLockerPush) -> anyhow::Result<()> {
        let span = tracing::info_span!("digilocker_push", number = push.number, attempt = push.attempts);
        let pushed = tracing::Instrument::instrument(
            self.client.push(&push.number, LockerOwner::of_whatsapp(&push.wa_id)),
            span,
        )
        .await;
        let error = match pushed {
            Ok(uri) => return self.finish(push, Ok(&uri.to_string())).await,
            Err(error) => error,
        };
        let said = error.to_string();
        if error.is_final() || push.attempts >= self.retries.attempts {
            tracing::warn!(number = push.number, attempts = push.attempts, error = said, "DigiLocker push given up");
            return self.finish(push, Err(&said)).await;
        }
        let wait = self.retries.after(push.attempts);
        tracing::warn!(
            number = push.number,
            attempts = push.attempts,
            wait_ms = wait.as_millis() as u64,
            error = said,
            "DigiLocker push failed; will retry"
        );
        pushes().get_or_create(&OutcomeLabel { outcome: "retried" }).inc();
        let at = now_ms().saturating_add(i64::try_from(wait.as_millis()).unwrap_or(i64::MAX));
        self.store.retry_digilocker_push(&push.number, at, &said).await
    }

    /// Ends `push` as `outcome` (the URI, or why not) and tells the citizen,
    /// once.
    async fn finish(&self, push: &DigiLockerPush, outcome: Result<&str, &str>) -> anyhow::Result<()> {
        let lang = language(&push.language);
        let (title, department) = self.names(&push.number, lang).await?;
        let (said, kind) = match outcome {
            Ok(_) => (words::saved(&push.number, &title, lang), PUSH_SAVED),
            Err(_) => (words::not_saved(&push.number, &title, &department, lang), PUSH_FAILED),
        };
        let template = words::outcome_template(&push.number, &title, outcome.is_ok(), lang);
        let window_until = crate::applications::window_until(&self.store, &push.wa_id).await?;
        let id = format!("{}/digilocker/{kind}", push.number);
        // Decided now: outside the window the template goes straight away.
        let told = if now_ms() > window_until {
            template.queued(id, &push.phone_number_id, &push.wa_id, None, None)
        } else {
            Outgoing::Text(said).queued(id, &push.phone_number_id, &push.wa_id, Some(window_until), Some(&template))
        };
        let done = match outcome {
            Ok(uri) => PushDone::Saved { uri, told: &told },
            Err(error) => PushDone::Failed { error, told: &told },
        };
        if self.store.finish_digilocker_push(&push.number, &done).await? {
            tracing::info!(number = push.number, outcome = kind, "DigiLocker push ended; the citizen is told");
            pushes().get_or_create(&OutcomeLabel { outcome: kind }).inc();
        }
        Ok(())
    }

    /// Certificate `number`'s title and issuing department in `lang` (the
    /// number itself if its document cannot be read).
    async fn names(&self, number: &str, lang: Language) -> anyhow::Result<(String, String)> {
        let document = self.store.application(number).await?.as_ref().and_then(issuer::stored_document);
        Ok(match document {
            Some(d) => (d.document.title.get(lang).to_owned(), d.department.get(lang).to_owned()),
            None => (number.to_owned(), "the department".to_owned()),
        })
    }
}

/// What a recorded push tells a citizen who taps again, with the names of
/// `application`'s certificate.
fn standing(push: &DigiLockerPush, application: &ApplicationRecord) -> Requested {
    let document = issuer::stored_document(application);
    let plain = |en: &str| Text { en: en.to_owned(), te: None, hi: None };
    let title = document.as_ref().map_or_else(|| plain(&push.number), |d| d.document.title.clone());
    match push.state.as_str() {
        PUSH_SAVED => Requested::Saved { title },
        PUSH_FAILED => {
            Requested::Failed { title, department: document.map_or_else(|| plain("the department"), |d| d.department) }
        }
        _ => Requested::Saving,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_from_the_first_wait_up_to_the_longest() {
        let retries = Retries::default();
        let waits: Vec<u64> = (1..=8).map(|n| retries.after(n).as_secs()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1800, 1800]);
        assert_eq!(retries.after(0), retries.first);
        assert_eq!(retries.after(i64::MAX), retries.longest);
        // Seven waits between eight attempts: about an hour in all.
        let total: u64 = (1..retries.attempts).map(|n| retries.after(n).as_secs()).sum();
        assert_eq!(total, 3690);
    }
}
