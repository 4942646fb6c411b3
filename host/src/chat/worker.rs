//! Turns stored inbound messages into replies in the outbox.
//!
//! The webhook stores messages and hands the new ones to the worker in
//! memory; the worker handles each citizen's messages in order, different
//! citizens in parallel, commits what a batch produced (messages marked
//! handled, sessions, applications, replies) in one transaction, and the
//! writer hands the replies to the sender in memory. The database is what
//! recovery works from: at start the worker takes every message left
//! unhandled by the process before it, and while running, any message left
//! unhandled for [`STALE_MS`] (a failed batch, or a host that stopped) —
//! leased, so two hosts never take the same one.
//!
//! Batches are pipelined: while one batch commits, the next is handled on
//! the sessions the first left, kept in memory ([`Sessions`]). A batch is
//! committed only after the one before it has been; if that one failed, the
//! batch handled on its sessions is dropped unsent with it, the sessions
//! are read again from the database, and recovery takes both batches'
//! messages (still unhandled there) in order.
//!
//! A citizen's turn that waits on something outside the host (a
//! department's system fulfilling a paid application) does not hold up its
//! batch: past [`SLOW_TURN`] the batch commits without it, the citizen's
//! newer messages wait for it in memory ([`Turns`]), and it is committed
//! with whichever batch is next once it ends.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::future::Future;
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::{Duration, Instant};

use lru::LruCache;
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::task::JoinSet;

use super::engine::{Citizen, Engine, Input, Session};
use super::outgoing::{Outgoing, REOPEN_TEMPLATE, WINDOW_MS};
use crate::channel::whatsapp::Message;
use crate::privacy::Privacy;
use crate::runtime::Language;
use crate::store::{CitizenNote, Completion, InboundRecord, OutboxItem, Store, Writer, now_ms};

/// How often the worker looks for messages left behind.
const RECOVERY_POLL: Duration = Duration::from_secs(1);
/// A message unhandled this long was left behind: the live path hands a
/// message over within milliseconds.
pub const STALE_MS: i64 = 10_000;
/// Most messages handled in one pass (and committed in one transaction).
const BATCH: usize = 512;
/// How long a batch waits for its slowest citizen (with one host; several
/// hosts wait for all). A turn is CPU work of a
/// millisecond or less unless it waits on something outside the host (a
/// department's system fulfilling a paid application, a plugin queued
/// behind the sandbox budget); past this the batch commits without it and
/// that citizen's turn goes on alone, committed with whatever batch is next
/// once it ends. One slow department never holds up everyone's replies.
const SLOW_TURN: Duration = Duration::from_millis(20);
/// How long a message taken over by recovery is remembered, so that a copy
/// still on its way in memory is not handled a second time.
const REMEMBER_RECOVERED: Duration = Duration::from_secs(120);
/// Conversation states kept in memory with one host (see [`Sessions`]):
/// some hundreds of bytes each, so tens of megabytes at most, and enough for
/// every citizen active in the last minutes of a busy day.
const SESSIONS_KEPT: NonZeroUsize = NonZeroUsize::new(100_000).unwrap();

/// Runs the worker until the process ends: messages come from `inbox` (the
/// webhook) and from recovery; the writer hands the replies to the sender.
/// Sessions not in memory are read from `reader` ([`Store::reader`]): beside
/// the writer, not after its commit in progress, which a citizen's first
/// message in a while would wait for otherwise (BENCHMARKS.md, "Sessions
/// and the console read beside the writer").
pub async fn run(
    store: Store,
    reader: Store,
    writer: Writer,
    engine: Engine,
    privacy: Arc<Privacy>,
    mut inbox: UnboundedReceiver<Vec<InboundRecord>>,
) {
    // With one host, whatever the last process left, leased or not, is this
    // one's; several hosts respect each other's leases.
    let started = now_ms();
    let mut lease_ended_before = if store.single_host() { i64::MAX } else { started };
    let mut received_before = started;
    let mut recovered: HashMap<String, Instant> = HashMap::new();
    let mut next_recovery = Instant::now();
    let mut chunks = Vec::new();
    let mut sessions = Sessions::new(store.single_host(), privacy);
    let mut turns = Turns::default();
    // Messages of citizens whose slow turn has ended, to handle first.
    let mut ready: Vec<InboundRecord> = Vec::new();
    // The batch being committed, and whose messages it holds.
    let mut committing: Option<Committing> = None;
    let mut committing_citizens: Vec<String> = Vec::new();
    // Citizens with messages a failed batch dropped (they wait in the
    // database): their new messages are left there too, for recovery to
    // take all of them in order, straight away rather than once stale.
    let mut behind = Behind::default();
    loop {
        let mut batch = std::mem::take(&mut ready);
        if Instant::now() >= next_recovery && (inbox.is_empty() || behind.catching_up()) {
            next_recovery = Instant::now() + RECOVERY_POLL;
            // What the database shows unhandled must not include the batch
            // still being committed (with one host, leases are not looked at).
            if !stored(committing.take()).await {
                sessions.forget();
                turns.doubt_all();
                behind.add(committing_citizens.drain(..));
            }
            if behind.catching_up() {
                received_before = now_ms();
            }
            match store.lease_unhandled(received_before, lease_ended_before, BATCH as i64).await {
                Ok(left) => {
                    // A citizen whose turn is running has their messages in
                    // memory (that turn's, or waiting for it), as do the
                    // messages about to be handled.
                    let queued: HashSet<&str> = batch.iter().map(|r| r.wamid.as_str()).collect();
                    let (left, in_memory): (Vec<_>, Vec<_>) =
                        left.into_iter().partition(|r| !turns.busy(&r.wa_id) && !queued.contains(r.wamid.as_str()));
                    if !left.is_empty() {
                        tracing::info!(messages = left.len(), "taking over messages left unhandled");
                        // More may be left: look again straight away.
                        next_recovery = Instant::now();
                        let at = Instant::now();
                        recovered.retain(|_, when| at.duration_since(*when) < REMEMBER_RECOVERED);
                        recovered.extend(left.iter().map(|r| (r.wamid.clone(), at)));
                        batch.extend(left);
                    } else if !in_memory.iter().any(|r| behind.holds(&r.wa_id)) {
                        // From now on only what the live path has left behind.
                        received_before = now_ms() - STALE_MS;
                        // One host: a lease of its own is over once its batch is.
                        if !store.single_host() {
                            lease_ended_before = now_ms();
                        }
                        behind.caught_up();
                    }
                }
                // Nothing is known to be caught up: whoever is behind stays
                // behind until a look succeeds.
                Err(error) => tracing::error!(error = format!("{error:#}"), "looking for unhandled messages failed"),
            }
        }
        if batch.is_empty() {
            let wait = next_recovery.saturating_duration_since(Instant::now());
            tokio::select! {
                received = inbox.recv_many(&mut chunks, BATCH) => {
                    if received == 0 {
                        return; // the webhook is gone: the host is stopping
                    }
                }
                // A slow turn ended while nothing else came: commit it.
                Some(ended) = turns.next(), if turns.running() => turns.ended.push(ended),
                _ = tokio::time::sleep(wait) => continue,
            }
            // Every webhook batch queued by now joins this pass, in order.
            batch.extend(chunks.drain(..).flatten());
            batch.retain(|r| !recovered.contains_key(&r.wamid) && !behind.holds(&r.wa_id));
        }
        if batch.is_empty() && turns.ended.is_empty() {
            continue;
        }
        let ended = match process(&reader, &engine, &mut sessions, &mut turns, batch).await {
            Ok(ended) => ended,
            Err((error, batch_citizens)) => {
                // The messages stay unhandled in the database; recovery takes
                // them again once they are stale. What memory held of their
                // citizens is gone: read it again once the batch before has
                // been stored.
                tracing::error!(error = format!("{error:#}"), "inbound processing failed; will retry");
                if !stored(committing.take()).await {
                    behind.add(committing_citizens.drain(..));
                }
                sessions.forget();
                turns.doubt_all();
                behind.add(batch_citizens);
                next_recovery = Instant::now();
                continue;
            }
        };
        let mut handled = Vec::with_capacity(ended.len());
        for (wa_id, outcome) in ended {
            let waiting = turns.waiting.remove(&wa_id).unwrap_or_default();
            let doubtful = turns.doubtful.remove(&wa_id);
            let done = match outcome {
                Ok(done) if !doubtful => done,
                Ok(_) => {
                    tracing::warn!(
                        wa_id,
                        "a slow turn began on a state that was not stored; dropped, to be handled again"
                    );
                    behind.add([wa_id]);
                    next_recovery = Instant::now();
                    continue;
                }
                Err(error) => {
                    tracing::error!(
                        error = format!("{error:#}"),
                        wa_id,
                        "handling a citizen's messages failed; will retry"
                    );
                    behind.add([wa_id]);
                    next_recovery = Instant::now();
                    continue;
                }
            };
            // A citizen behind has every later message in the database,
            // where recovery takes them in order.
            if !behind.holds(&wa_id) {
                ready.extend(waiting);
            }
            handled.push(done);
        }
        if handled.is_empty() {
            continue;
        }
        let citizens: Vec<String> = handled.iter().map(|h| h.wa_id.clone()).collect();
        // This batch was handled on the sessions the one before it left: it
        // may commit only once that one has.
        if !stored(committing.take()).await {
            tracing::warn!(citizens = citizens.len(), "handled on unstored sessions; dropped, to be handled again");
            sessions.forget();
            turns.doubt_all();
            behind.add(committing_citizens.drain(..));
            behind.add(citizens);
            ready.retain(|r| !behind.holds(&r.wa_id));
            next_recovery = Instant::now();
            continue;
        }
        let mut completions = Vec::with_capacity(handled.iter().map(|h| h.done.len()).sum());
        let mut left = Vec::with_capacity(handled.len());
        for Handled { wa_id, done, session } in handled {
            completions.extend(done);
            left.push((wa_id, session));
        }
        sessions.put(left);
        // Queued at once (the writer may take it into the commit it is
        // about to start); waited for before the next batch commits.
        committing = Some(Box::pin(writer.complete(completions)));
        committing_citizens = citizens;
    }
}

/// What one turn came to: a citizen's messages of one batch, handled in
/// order, and the state they left.
struct Handled {
    wa_id: String,
    done: Vec<Completion>,
    session: Session,
}

/// The citizens' turns in progress. A citizen has at most one: their
/// messages that come meanwhile wait for it, to be handled after it, in
/// order.
#[derive(Default)]
struct Turns {
    running: JoinSet<anyhow::Result<Handled>>,
    /// Whose each running turn is.
    citizens: HashMap<tokio::task::Id, String>,
    /// Per citizen with a turn running: their messages that came since.
    waiting: HashMap<String, Vec<InboundRecord>>,
    /// Citizens whose turn was running when a commit failed: it began on a
    /// state that may never have been stored, so what it makes is dropped
    /// and recovery handles its messages again.
    doubtful: HashSet<String>,
    /// Turns that ended while the worker waited for messages.
    ended: Vec<(String, anyhow::Result<Handled>)>,
}

impl Turns {
    fn busy(&self, wa_id: &str) -> bool {
        self.waiting.contains_key(wa_id)
    }

    fn running(&self) -> bool {
        !self.running.is_empty()
    }

    fn start(&mut self, wa_id: String, turn: impl Future<Output = anyhow::Result<Handled>> + Send + 'static) {
        // Boxed: a turn is a ~6 KB future, and a task holding it inline copies
        // it whole when spawned, when it ends and when its output is read.
        let id = self.running.spawn(Box::pin(turn)).id();
        self.citizens.insert(id, wa_id.clone());
        self.waiting.insert(wa_id, Vec::new());
    }

    fn doubt_all(&mut self) {
        self.doubtful.extend(self.waiting.keys().cloned());
    }

    /// The next turn to end, and whose it was.
    async fn next(&mut self) -> Option<(String, anyhow::Result<Handled>)> {
        let joined = self.running.join_next_with_id().await?;
        Some(self.whose(joined))
    }

    /// A turn that has already ended, if any.
    fn try_next(&mut self) -> Option<(String, anyhow::Result<Handled>)> {
        let joined = self.running.try_join_next_with_id()?;
        Some(self.whose(joined))
    }

    fn whose(
        &mut self,
        joined: Result<(tokio::task::Id, anyhow::Result<Handled>), tokio::task::JoinError>,
    ) -> (String, anyhow::Result<Handled>) {
        let (id, outcome) = match joined {
            Ok((id, outcome)) => (id, outcome),
            // A panic in the engine: that citizen's messages are handled again.
            Err(error) => (error.id(), Err(anyhow::anyhow!("the turn stopped: {error}"))),
        };
        (self.citizens.remove(&id).unwrap_or_default(), outcome)
    }
}

/// Citizens whose messages wait in the database for recovery after a
/// failed batch: until recovery has caught up, their new messages wait
/// there too, so each citizen's are handled in the order they came.
#[derive(Default)]
struct Behind(std::collections::HashSet<String>);

impl Behind {
    fn add(&mut self, citizens: impl IntoIterator<Item = String>) {
        self.0.extend(citizens);
    }

    fn holds(&self, wa_id: &str) -> bool {
        self.0.contains(wa_id)
    }

    fn catching_up(&self) -> bool {
        !self.0.is_empty()
    }

    /// Recovery found nothing more unhandled.
    fn caught_up(&mut self) {
        self.0.clear();
    }
}

/// A batch of completions queued with the writer: its commit's outcome.
type Committing = std::pin::Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>>;

/// Waits for the batch being committed, if any; whether it was stored (a
/// failure is logged: its messages stay unhandled, for recovery).
async fn stored(committing: Option<Committing>) -> bool {
    let Some(commit) = committing else { return true };
    match commit.await {
        Ok(()) => true,
        Err(error) => {
            tracing::error!(
                error = format!("{error:#}"),
                "storing handled messages failed; they will be handled again"
            );
            false
        }
    }
}

/// The conversation states the worker handles messages on: the ones its
/// latest batch left (committed or not yet), and with one host, whose
/// database no one else writes, the most recent [`SESSIONS_KEPT`] citizens'
/// too, so a message needs no read. Several hosts read every other citizen's
/// session from the database, where another host may have moved it on.
struct Sessions {
    kept: LruCache<String, Session>,
    /// Whether states stay valid past the latest batch (one host).
    keep: bool,
    /// Stored states keep Aadhaar numbers sealed (a form in progress needs
    /// them at submission); this opens and seals them.
    privacy: Arc<Privacy>,
}

impl Sessions {
    fn new(keep: bool, privacy: Arc<Privacy>) -> Self {
        Self { kept: LruCache::new(SESSIONS_KEPT), keep, privacy }
    }

    /// The sessions of `citizens`: from memory where known, else stored.
    async fn take(&mut self, store: &Store, citizens: &[String]) -> anyhow::Result<HashMap<String, Session>> {
        let mut found = HashMap::with_capacity(citizens.len());
        let mut missing = Vec::new();
        for wa_id in citizens {
            match self.kept.pop(wa_id) {
                Some(session) => {
                    found.insert(wa_id.clone(), session);
                }
                None => missing.push(wa_id.clone()),
            }
        }
        if !missing.is_empty() {
            for (wa_id, data) in store.load_sessions(&missing).await? {
                // A state this version cannot read starts the conversation afresh.
                found.insert(wa_id, serde_json::from_str(&self.privacy.unseal(&data)).unwrap_or_default());
            }
        }
        Ok(found)
    }

    /// What a batch left.
    fn put(&mut self, left: Vec<(String, Session)>) {
        if !self.keep {
            self.kept.clear();
        }
        for (wa_id, session) in left {
            self.kept.put(wa_id, session);
        }
    }

    /// After a failed commit: what memory holds may never have been stored.
    fn forget(&mut self) {
        self.kept.clear();
    }
}

/// Starts a turn for each citizen of `records` (their messages in order;
/// a citizen whose turn is still running has theirs wait for it) and
/// returns the turns that ended by the time every one started here has,
/// or [`SLOW_TURN`] has passed: what to commit in one transaction. If the
/// sessions cannot be read, nothing starts: the error, with the citizens
/// whose messages were dropped.
async fn process(
    reader: &Store,
    engine: &Engine,
    sessions: &mut Sessions,
    turns: &mut Turns,
    records: Vec<InboundRecord>,
) -> Result<Vec<(String, anyhow::Result<Handled>)>, (anyhow::Error, Vec<String>)> {
    let mut by_citizen: BTreeMap<String, Vec<InboundRecord>> = BTreeMap::new();
    for record in records {
        match turns.waiting.get_mut(&record.wa_id) {
            Some(waiting) => waiting.push(record),
            None => by_citizen.entry(record.wa_id.clone()).or_default().push(record),
        }
    }
    let citizens: Vec<String> = by_citizen.keys().cloned().collect();
    let mut known = sessions.take(reader, &citizens).await.map_err(|error| (error, citizens.clone()))?;
    let mut started = HashSet::with_capacity(citizens.len());
    for (wa_id, records) in by_citizen {
        let session = known.remove(&wa_id).unwrap_or_default();
        let turn = turn(engine.clone(), sessions.privacy.clone(), wa_id.clone(), session, records);
        turns.start(wa_id.clone(), turn);
        started.insert(wa_id);
    }
    let mut ended = std::mem::take(&mut turns.ended);
    // Several hosts wait for every turn of the batch, as before slow turns
    // went on alone: the three-host test saw one reply too many in about
    // one run in forty under load with them, not yet explained.
    let deadline = sessions.keep.then(|| tokio::time::Instant::now() + SLOW_TURN);
    while !started.is_empty() {
        let next = match deadline {
            Some(at) => tokio::time::timeout_at(at, turns.next()).await.ok().flatten(),
            None => turns.next().await,
        };
        // Past the deadline the rest go on alone, each committed once it ends.
        let Some((wa_id, outcome)) = next else { break };
        started.remove(&wa_id);
        ended.push((wa_id, outcome));
    }
    while let Some(done) = turns.try_next() {
        ended.push(done);
    }
    Ok(ended)
}

/// One citizen's messages of a batch, handled in order on their session.
async fn turn(
    engine: Engine,
    privacy: Arc<Privacy>,
    wa_id: String,
    mut session: Session,
    records: Vec<InboundRecord>,
) -> anyhow::Result<Handled> {
    let mut done = Vec::with_capacity(records.len());
    for record in records {
        let mut completion = handle(&engine, &mut session, &record).await;
        redact(&privacy, &record, &mut completion);
        done.push(completion);
    }
    // The session as the citizen's last message here left it: one row
    // written per citizen and batch, so serialised once.
    if let Some(last) = done.last_mut() {
        let state = serde_json::to_string(&session)?;
        last.session = Some((wa_id.clone(), privacy.seal(&state).into_owned()));
    }
    Ok(Handled { wa_id, done, session })
}

async fn handle(engine: &Engine, session: &mut Session, record: &InboundRecord) -> Completion {
    let input = if record.kind == crate::payments::EVENT_KIND {
        // The gateway's callback, stored as the citizen's event.
        match serde_json::from_str(&record.payload) {
            Ok(event) => Input::Payment(event),
            Err(_) => Input::Ignored("an unreadable payment event"),
        }
    } else {
        match serde_json::from_str::<Message>(&record.payload) {
            Ok(message) => Input::from_message(&message),
            Err(_) => Input::Unsupported(record.kind.clone()),
        }
    };
    let citizen = Citizen {
        wa_id: record.wa_id.clone(),
        profile_name: record.profile_name.clone(),
        phone_number_id: record.phone_number_id.clone(),
        message_id: record.wamid.clone(),
    };
    // The 24-hour window runs from the citizen's latest message (Meta may
    // deliver an older one late).
    let last = session.last_message_at.unwrap_or(i64::MIN).max(record.sent_at);
    session.last_message_at = Some(last);
    let window_until_ms = last.saturating_mul(1000).saturating_add(WINDOW_MS);
    // The message's id is the request id its log lines carry, here, in the
    // plugin calls it makes and at the sender (outbox ids start with it).
    let span = tracing::info_span!("message", request_id = %record.wamid);
    let turn = tracing::Instrument::instrument(engine.handle(&citizen, session, input), span).await;
    let language = match session.language.unwrap_or(Language::En) {
        Language::En => "en",
        Language::Te => "te",
        Language::Hi => "hi",
    };
    let reopen = Outgoing::Template {
        name: REOPEN_TEMPLATE.into(),
        language: language.into(),
        parameters: vec![],
        buttons: vec![],
    };
    let replies = turn
        .replies
        .iter()
        .enumerate()
        .map(|(i, reply)| {
            let id = OutboxItem::reply_id(record.received_at_ms, &record.wamid, i);
            // Past the window one template asks the citizen to write again;
            // the rest of the turn's replies are not sent.
            let fallback = (i == 0).then_some(&reopen);
            let mut item = reply.queued(id, &record.phone_number_id, &record.wa_id, Some(window_until_ms), fallback);
            item.attempts = 1;
            item
        })
        .collect();
    // The caller saves the session once the citizen's batch is done, and
    // redacts what is kept of the message.
    Completion {
        replies,
        application: turn.application,
        information: turn.information,
        grievance: turn.grievance,
        grievance_note: turn.grievance_note,
        payment_order: turn.payment_order,
        payment_settled: turn.payment_settled,
        ..Completion::of(record)
    }
}

/// What handling `record` produced, as it may be stored: Aadhaar numbers in
/// the message itself (rewritten once handled), the application, an answer
/// to an officer and the replies kept only as last four digits and hash.
fn redact(privacy: &Privacy, record: &InboundRecord, completion: &mut Completion) {
    if let Cow::Owned(payload) = privacy.redact_message(&record.payload) {
        completion.redacted_payload = Some(payload);
    }
    if let Some(application) = &mut completion.application {
        if let Cow::Owned(answers) = privacy.redact(&application.answers) {
            application.answers = answers;
        }
        if let Some(document) = &mut application.document
            && let Cow::Owned(redacted) = privacy.redact(document)
        {
            *document = redacted;
        }
    }
    if let Some(information) = &mut completion.information
        && let Cow::Owned(answer) = privacy.redact(&information.answer)
    {
        information.answer = answer;
    }
    if let Some(grievance) = &mut completion.grievance
        && let Cow::Owned(description) = privacy.redact(&grievance.description)
    {
        grievance.description = description;
    }
    if let Some(CitizenNote::Comment { text, .. }) = &mut completion.grievance_note
        && let Cow::Owned(redacted) = privacy.redact(text)
    {
        *text = redacted;
    }
    for reply in &mut completion.replies {
        if let Cow::Owned(body) = privacy.redact_message(&reply.body) {
            reply.body = body;
        }
        if let Some(fallback) = &mut reply.fallback
            && let Cow::Owned(redacted) = privacy.redact_message(fallback)
        {
            *fallback = redacted;
        }
    }
}
