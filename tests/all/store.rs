//! The store on both databases: SQLite (embedded) and the real PostgreSQL.

use mitra::store::{PluginEvent, Store};

/// The PostgreSQL the tests use (`.ci/run` starts it when it is down).
pub(crate) fn postgres_url() -> String {
    std::env::var("MITRA_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A new, empty database on the test PostgreSQL, for a test that runs a
/// whole host: hosts sharing a database share its outbox (as they should in
/// production), so tests running side by side would send each other's
/// replies to each other's fake Graph API.
pub(crate) async fn fresh_postgres() -> String {
    use sqlx::Connection as _;
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let base = postgres_url();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let name = format!("mitra_test_{}_{n}_{}", std::process::id(), nanos % 1_000_000_000);
    let mut admin = sqlx::PgConnection::connect(&base).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
    match base.rfind('/') {
        Some(slash) if base[..slash].contains("://") && slash > base.find("://").unwrap() + 2 => {
            format!("{}/{name}", &base[..slash])
        }
        _ => panic!("MITRA_TEST_POSTGRES must name a database: {base}"),
    }
}

async fn round_trip(store: &Store) {
    store.ping().await.unwrap();
    let id = format!("test-{}", std::process::id());
    let mut event = PluginEvent::now(&id, "loaded", "3 services in 12 ms");
    event.version = Some("1.0.0".into());
    store.record_plugin_event(&event).await.unwrap();
    store.record_plugin_event(&PluginEvent::now(&id, "refused", "incompatible contract")).await.unwrap();
    let events: Vec<PluginEvent> =
        store.plugin_events(1000).await.unwrap().into_iter().filter(|e| e.plugin_id == id).collect();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].event, "refused", "newest first");
    assert_eq!(events[1], event);
}

#[tokio::test]
async fn sqlite_store_migrates_and_keeps_plugin_events() {
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", tmp.path().join("nested/dir/mitra.db").display());
    round_trip(&Store::connect(&url).await.unwrap()).await;
    // Reopening runs the migrations again harmlessly and keeps the data.
    let reopened = Store::connect(&url).await.unwrap();
    assert!(!reopened.plugin_events(10).await.unwrap().is_empty());
}

#[tokio::test]
async fn postgres_store_migrates_and_keeps_plugin_events() {
    let store = Store::connect(&postgres_url()).await.expect("PostgreSQL at 127.0.0.1:5432 (see .ci/run)");
    assert_eq!(store.backend(), "postgres");
    round_trip(&store).await;
}

#[tokio::test]
async fn an_unreachable_database_is_a_clear_error() {
    let port = mitra_tests::down_backend().port();
    let error = Store::connect(&format!("postgres://mitra:secret@127.0.0.1:{port}/mitra")).await.unwrap_err();
    let text = format!("{error:#}");
    assert!(text.contains("connecting to PostgreSQL") && !text.contains("secret"), "{text}");
}

/// A new SQLite store in `dir`.
async fn sqlite_store(dir: &std::path::Path) -> Store {
    Store::connect(&format!("sqlite://{}", dir.join("mitra.db").display())).await.unwrap()
}

#[tokio::test]
async fn sqlite_sessions_are_read_beside_a_write_in_progress() {
    let tmp = tempfile::tempdir().unwrap();
    let store = sqlite_store(tmp.path()).await;
    let Store::Sqlite(pool) = &store else { unreachable!() };
    const SAVE: &str = "INSERT INTO sessions (wa_id, data, updated_at_ms) VALUES (?, ?, 0) \
                        ON CONFLICT (wa_id) DO UPDATE SET data = excluded.data";
    sqlx::query(SAVE).bind("919800000001").bind("before").execute(pool).await.unwrap();
    let reader = store.reader();
    let citizens = ["919800000001".to_owned(), "919800000002".to_owned()];
    // The writer's one connection is inside a transaction, as during a commit.
    let mut commit = pool.begin().await.unwrap();
    sqlx::query(SAVE).bind("919800000001").bind("after").execute(&mut *commit).await.unwrap();
    sqlx::query(SAVE).bind("919800000002").bind("new").execute(&mut *commit).await.unwrap();
    let waited = tokio::time::timeout(std::time::Duration::from_millis(300), store.load_sessions(&citizens)).await;
    assert!(waited.is_err(), "a read on the writer's connection waits for its transaction");
    let read = tokio::time::timeout(std::time::Duration::from_secs(5), reader.load_sessions(&citizens))
        .await
        .expect("the reader does not wait for the transaction")
        .unwrap();
    assert_eq!(read, [("919800000001".to_owned(), "before".to_owned())].into(), "only what is committed");
    commit.commit().await.unwrap();
    let read = reader.load_sessions(&citizens).await.unwrap();
    assert_eq!(read.get("919800000001").map(String::as_str), Some("after"));
    assert_eq!(read.get("919800000002").map(String::as_str), Some("new"));

    // In memory there is one connection's database: the reader is the store.
    let memory = Store::connect("sqlite::memory:").await.unwrap();
    let Store::Sqlite(pool) = &memory else { unreachable!() };
    sqlx::query(SAVE).bind("919800000001").bind("kept").execute(pool).await.unwrap();
    let read = memory.reader().load_sessions(&citizens).await.unwrap();
    assert_eq!(read.get("919800000001").map(String::as_str), Some("kept"));
}

/// A reply queued for citizen `wa` (as the worker queues one).
fn queued_reply(wa: &str, id: &str) -> mitra::store::OutboxItem {
    mitra::store::OutboxItem {
        id: id.into(),
        phone_number_id: "PNID-1".into(),
        wa_id: wa.into(),
        body: "{}".into(),
        attempts: 1,
        window_until_ms: None,
        fallback: None,
    }
}

/// A reply Meta took without the host learning it (no answer, or the host
/// killed before it recorded the send) is proven sent by Meta's status,
/// which names it by `biz_opaque_callback_data`: it is marked sent, and so
/// never sent again. A status naming it for another citizen proves nothing.
async fn a_status_naming_a_reply_marks_it_sent(store: &Store, wa: &str) {
    use mitra::store::{Completion, StatusRecord, Writes};
    let id = format!("wamid.proof.{wa}#0");
    let reply = queued_reply(wa, &id);
    let handled = Completion { wamid: format!("wamid.proof.{wa}"), replies: vec![reply], ..Default::default() };
    let nothing = Writes { inbound: &[], statuses: &[], completions: &[], sent: &[] };
    store.commit(&Writes { completions: &[handled], ..nothing }).await.unwrap();
    assert_eq!(store.outbox_state(&id).await.unwrap().unwrap().0, "sending");
    let status = |to: &str, status: &str| StatusRecord {
        message_id: format!("wamid.out.{wa}"),
        status: status.into(),
        recipient_id: to.into(),
        sent_at: 1,
        errors: None,
        callback: Some(id.clone()),
    };
    store.commit(&Writes { statuses: &[status("910000000001", "sent")], ..nothing }).await.unwrap();
    assert_eq!(store.outbox_state(&id).await.unwrap().unwrap().0, "sending", "another citizen's status");
    store.commit(&Writes { statuses: &[status(wa, "sent"), status(wa, "delivered")], ..nothing }).await.unwrap();
    assert_eq!(store.outbox_state(&id).await.unwrap().unwrap().0, "sent");
    assert_eq!(store.outbox_delivery(&id).await.unwrap().as_deref(), Some("delivered"));
    // Nothing is left to claim.
    assert!(store.claim_outbox(100).await.unwrap().iter().all(|item| item.id != id));
}

#[tokio::test]
async fn sqlite_a_status_naming_a_reply_marks_it_sent() {
    let tmp = tempfile::tempdir().unwrap();
    let store = sqlite_store(tmp.path()).await;
    a_status_naming_a_reply_marks_it_sent(&store, "919812300001").await;
}

#[tokio::test]
async fn postgres_a_status_naming_a_reply_marks_it_sent() {
    let store = Store::connect(&fresh_postgres().await).await.unwrap();
    a_status_naming_a_reply_marks_it_sent(&store, "919812300002").await;
}

/// A batch commits or fails whole: when one of its statements fails (here a
/// reply a trigger refuses), none of its writes is kept, not the message
/// stored before it nor the session, and the next batch commits on the same
/// connection (no transaction is left open).
async fn a_batch_that_fails_partway_writes_none_of_it(store: &Store, wa: &str) {
    use mitra::store::{Completion, InboundRecord, Writes};
    let message = InboundRecord {
        wamid: format!("wamid.whole.{wa}"),
        phone_number_id: "PNID-1".into(),
        wa_id: wa.into(),
        profile_name: None,
        kind: "text".into(),
        payload: r#"{"text":{"body":"hi"}}"#.into(),
        sent_at: 1_764_900_000,
        received_at_ms: 1_764_900_000_000,
    };
    let mut poisoned = queued_reply(wa, &format!("wamid.whole.{wa}#0"));
    poisoned.body = "poison".into();
    let handled = |reply| Completion {
        session: Some((wa.to_owned(), r#"{"step":"after"}"#.to_owned())),
        replies: vec![reply],
        ..Completion::of(&message)
    };
    let batch = [handled(poisoned)];
    let inbound = [message.clone()];
    let writes = Writes { inbound: &inbound, statuses: &[], completions: &batch, sent: &[] };
    let error = store.commit(&writes).await.expect_err("the trigger refuses the reply");
    assert!(format!("{error:#}").contains("poisoned reply"), "{error:#}");
    assert!(store.inbound_of(wa).await.unwrap().is_empty(), "the message of a failed batch was kept");
    assert_eq!(store.load_session(wa).await.unwrap(), None, "the session of a failed batch was kept");

    let batch = [handled(queued_reply(wa, &format!("wamid.whole.{wa}#0")))];
    let new = store.commit(&Writes { completions: &batch, ..writes }).await.expect("the next batch commits");
    assert_eq!(new, [message]);
    assert_eq!(store.inbound_of(wa).await.unwrap().len(), 1);
    assert_eq!(store.load_session(wa).await.unwrap().as_deref(), Some(r#"{"step":"after"}"#));
    assert_eq!(store.outbox_state(&format!("wamid.whole.{wa}#0")).await.unwrap().unwrap().0, "sending");
}

#[tokio::test]
async fn sqlite_a_batch_that_fails_partway_writes_none_of_it() {
    let tmp = tempfile::tempdir().unwrap();
    let store = sqlite_store(tmp.path()).await;
    let Store::Sqlite(pool) = &store else { unreachable!() };
    sqlx::query(
        "CREATE TRIGGER poison BEFORE INSERT ON outbox WHEN NEW.body = 'poison' \
         BEGIN SELECT RAISE(ABORT, 'poisoned reply'); END",
    )
    .execute(pool)
    .await
    .unwrap();
    a_batch_that_fails_partway_writes_none_of_it(&store, "919812300041").await;
}

#[tokio::test]
async fn postgres_a_batch_that_fails_partway_writes_none_of_it() {
    let store = Store::connect(&fresh_postgres().await).await.unwrap();
    let Store::Postgres(pool) = &store else { unreachable!() };
    sqlx::raw_sql(
        "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN \
         IF NEW.body = 'poison' THEN RAISE EXCEPTION 'poisoned reply'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql; \
         CREATE TRIGGER poison BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION poison();",
    )
    .execute(pool)
    .await
    .unwrap();
    a_batch_that_fails_partway_writes_none_of_it(&store, "919812300042").await;
}

/// The sender's claim takes replies that are due (a retry whose time has
/// come), the longest due first, and only a citizen's oldest undelivered
/// one; replies in flight (leased to the live sender, not due) are never
/// taken, however many there are.
async fn a_claim_takes_the_due_replies_longest_due_first(store: &Store, prefix: &str) {
    use mitra::store::{Completion, Writes, now_ms};
    let citizen = |n: u32| format!("{prefix}{n:04}");
    let handled = |wa: &str, ids: &[&str]| Completion {
        wamid: format!("wamid.claim.{wa}"),
        replies: ids.iter().map(|id| queued_reply(wa, id)).collect(),
        ..Default::default()
    };
    let (a, b, c) = (citizen(1), citizen(2), citizen(3));
    let (a1, a2, b1, c1) = (format!("{a}#0"), format!("{a}#1"), format!("{b}#0"), format!("{c}#0"));
    let mut completions = vec![handled(&a, &[&a1, &a2]), handled(&b, &[&b1]), handled(&c, &[&c1])];
    // Replies in flight for 300 other citizens, created before and after.
    let in_flight: Vec<String> = (100..400).map(|n| format!("{}#0", citizen(n))).collect();
    for (n, id) in (100..400).zip(&in_flight) {
        completions.insert(if n < 250 { 0 } else { completions.len() }, handled(&citizen(n), &[id]));
    }
    let nothing = Writes { inbound: &[], statuses: &[], completions: &[], sent: &[] };
    store.commit(&Writes { completions: &completions, ..nothing }).await.unwrap();
    assert!(store.claim_outbox(1000).await.unwrap().is_empty(), "nothing is due yet: every reply is in flight");

    // Failed attempts whose retries are due: c's for 20 s, b's for 5 s; a's
    // second reply too, but a's first is still in flight.
    let due_since = |ms: i64| Some(now_ms() - mitra::store::SEND_LEASE_MS - ms);
    store.outbox_failed(&c1, 1, "timeout", due_since(20_000)).await.unwrap();
    store.outbox_failed(&b1, 1, "timeout", due_since(5_000)).await.unwrap();
    store.outbox_failed(&a2, 1, "timeout", due_since(30_000)).await.unwrap();

    let first = store.claim_outbox(1).await.unwrap();
    assert_eq!(first.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), [c1.as_str()], "longest due first");
    assert_eq!(first[0].attempts, 2);
    let rest = store.claim_outbox(1000).await.unwrap();
    assert_eq!(rest.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), [b1.as_str()], "a's second waits for its first");
    assert!(store.claim_outbox(1000).await.unwrap().is_empty(), "the claimed ones are leased");
    for id in in_flight.iter().chain([&a1]) {
        assert_eq!(store.outbox_state(id).await.unwrap().unwrap().1, 1, "{id} was never claimed");
    }
}

#[tokio::test]
async fn sqlite_a_claim_takes_the_due_replies_longest_due_first() {
    let tmp = tempfile::tempdir().unwrap();
    let store = sqlite_store(tmp.path()).await;
    a_claim_takes_the_due_replies_longest_due_first(&store, "91981240").await;
}

#[tokio::test]
async fn postgres_a_claim_takes_the_due_replies_longest_due_first() {
    let store = Store::connect(&fresh_postgres().await).await.unwrap();
    a_claim_takes_the_due_replies_longest_due_first(&store, "91981241").await;
}

/// A full disk refuses writes with an error, and once there is room again
/// a write that returns has reached the file: seen by another connection.
/// (Before, the connection whose write failed was reused with sqlx counting
/// a transaction SQLite had already rolled back, so every later "commit"
/// was a savepoint inside a transaction that never committed: writes seemed
/// to succeed, webhooks were answered 200, and nothing reached the disk.)
/// The disk is a 2 MiB tmpfs, so this test needs root (as `.ci/run` has).
#[tokio::test]
async fn sqlite_writes_after_the_disk_was_full_reach_the_file() {
    use mitra::store::{InboundRecord, Writes};
    struct Mounted(std::path::PathBuf);
    impl Drop for Mounted {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let disk = tmp.path().join("disk");
    std::fs::create_dir_all(&disk).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&disk)
        .status()
        .is_ok_and(|s| s.success());
    assert!(mounted, "mounting a small tmpfs failed: this test needs root");
    let _unmount = Mounted(disk.clone());
    let url = format!("sqlite://{}", disk.join("mitra.db").display());
    let store = Store::connect(&url).await.unwrap();
    let message = |n: usize| InboundRecord {
        wamid: format!("wamid.full.{n}"),
        phone_number_id: "PNID-1".into(),
        wa_id: "919812300021".into(),
        profile_name: None,
        kind: "text".into(),
        payload: "x".repeat(3000),
        sent_at: 1,
        received_at_ms: 1,
    };
    let nothing = Writes { inbound: &[], statuses: &[], completions: &[], sent: &[] };
    // The rest of the disk taken.
    let filler = disk.join("filler");
    {
        use std::io::Write as _;
        let mut file = std::fs::File::create(&filler).unwrap();
        while file.write_all(&[0u8; 4096]).is_ok() {}
    }
    let mut acknowledged = Vec::new();
    let mut refused = None;
    for n in 0..2000 {
        let batch = [message(n)];
        match store.commit(&Writes { inbound: &batch, ..nothing }).await {
            Ok(_) => acknowledged.push(format!("wamid.full.{n}")),
            Err(error) => {
                refused = Some(error.to_string());
                break;
            }
        }
    }
    let error = refused.expect("the full disk refused a write");
    assert!(error.contains("full"), "{error}");
    // Still full: still refused, never "written" into nowhere.
    for n in 2000..2010 {
        let batch = [message(n)];
        assert!(
            store.commit(&Writes { inbound: &batch, ..nothing }).await.is_err(),
            "a write to a full disk succeeded"
        );
    }
    // Room again.
    std::fs::remove_file(&filler).unwrap();
    let later = [message(5000)];
    store.commit(&Writes { inbound: &later, ..nothing }).await.expect("written once there is room");
    acknowledged.push("wamid.full.5000".into());

    let other = Store::connect(&url).await.unwrap();
    let mut stored: Vec<String> =
        other.inbound_of("919812300021").await.unwrap().into_iter().map(|m| m.wamid).collect();
    stored.sort();
    acknowledged.sort();
    assert_eq!(stored, acknowledged, "exactly what was acknowledged is on file");
}

/// Migration 0021 rebuilds the inbound table under its new key (timestamp,
/// then id): the messages stored before it are kept, an unhandled one is
/// still handed over and marked handled, and Meta's retry of an old one is
/// still a no-op.
#[tokio::test]
async fn sqlite_inbound_messages_stored_before_the_new_key_are_kept() {
    use std::str::FromStr as _;

    use mitra::store::{Completion, InboundRecord, Writes};
    let tmp = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", tmp.path().join("mitra.db").display());
    // The database as the migrations before 0021 left it.
    let before = tmp.path().join("migrations");
    std::fs::create_dir(&before).unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../host/migrations/sqlite");
    for entry in std::fs::read_dir(&shipped).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name.as_str() < "0021" {
            std::fs::copy(&path, before.join(name)).unwrap();
        }
    }
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(&url).unwrap().create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    sqlx::migrate::Migrator::new(before.as_path()).await.unwrap().run(&pool).await.unwrap();
    let message = |n: i64| InboundRecord {
        wamid: format!("wamid.HBgMOTE5ODEyMzAwMDMx{n}"),
        phone_number_id: "PNID-1".into(),
        wa_id: "919812300031".into(),
        profile_name: Some("Lakshmi".into()),
        kind: "text".into(),
        payload: format!(r#"{{"text":{{"body":"message {n}"}}}}"#),
        sent_at: 1_764_900_000 + n,
        received_at_ms: 1_764_900_000_000 + n,
    };
    for (n, handled) in [(1, Some(1_764_900_001_000_i64)), (2, None)] {
        let m = message(n);
        sqlx::query(
            "INSERT INTO inbound_messages (wamid, phone_number_id, wa_id, profile_name, kind, payload, sent_at, \
             received_at_ms, processed_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&m.wamid)
        .bind(&m.phone_number_id)
        .bind(&m.wa_id)
        .bind(&m.profile_name)
        .bind(&m.kind)
        .bind(&m.payload)
        .bind(m.sent_at)
        .bind(m.received_at_ms)
        .bind(handled)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;

    let store = Store::connect(&url).await.unwrap();
    assert_eq!(store.inbound_of("919812300031").await.unwrap(), vec![message(1), message(2)]);
    let nothing = Writes { inbound: &[], statuses: &[], completions: &[], sent: &[] };
    let retried = [message(1), message(2)];
    assert!(store.commit(&Writes { inbound: &retried, ..nothing }).await.unwrap().is_empty(), "retries are no-ops");
    let fresh = [message(3)];
    assert_eq!(store.commit(&Writes { inbound: &fresh, ..nothing }).await.unwrap(), fresh);
    // The unhandled message from before is handed over, and handled once.
    let left = store.lease_unhandled(i64::MAX, i64::MAX, 10).await.unwrap();
    assert_eq!(left, vec![message(2), message(3)]);
    let done = Completion::of(&message(2));
    store.commit(&Writes { completions: &[done], ..nothing }).await.unwrap();
    let left = store.lease_unhandled(i64::MAX, i64::MAX, 10).await.unwrap();
    assert_eq!(left, vec![message(3)], "message 2 marked handled; 3's lease taken again past its end");
}

/// A commit returns each inbound message it stored for the first time, once
/// and in the order given: not a repeat within its batch, not one stored by
/// an earlier commit (Meta's retries), whatever the batch's size.
async fn each_message_is_new_once(store: &Store, wa: &str) {
    use mitra::store::{InboundRecord, Writes};
    let message = |n: u32| InboundRecord {
        wamid: format!("wamid.once.{wa}.{n}"),
        phone_number_id: "PNID-1".into(),
        wa_id: wa.into(),
        profile_name: None,
        kind: "text".into(),
        payload: format!(r#"{{"text":{{"body":"{n}"}}}}"#),
        // Some share a second, as messages sent together do.
        sent_at: 1_764_900_000 + i64::from(n / 3),
        received_at_ms: 1_764_900_000_000 + i64::from(n),
    };
    let keys = |records: &[InboundRecord]| records.iter().map(|m| m.wamid.clone()).collect::<Vec<_>>();
    let commit = |inbound: Vec<InboundRecord>| async move {
        store.commit(&Writes { inbound: &inbound, statuses: &[], completions: &[], sent: &[] }).await.unwrap()
    };

    let new = commit(vec![message(1), message(2), message(1)]).await;
    assert_eq!(keys(&new), keys(&[message(1), message(2)]), "a repeat within the batch is new once");
    let new = commit(vec![message(2), message(3)]).await;
    assert_eq!(keys(&new), keys(&[message(3)]), "a retry of a stored message is not new");
    // Past one statement's rows (256): earlier messages among new ones.
    let batch: Vec<InboundRecord> = (0..400).map(message).collect();
    let expected: Vec<InboundRecord> = (0..400).filter(|n| !(1..=3).contains(n)).map(message).collect();
    assert_eq!(keys(&commit(batch.clone()).await), keys(&expected));
    assert!(commit(batch).await.is_empty(), "a whole batch retried stores nothing new");
    assert_eq!(store.inbound_of(wa).await.unwrap().len(), 400);
}

#[tokio::test]
async fn sqlite_each_message_is_new_once() {
    let tmp = tempfile::tempdir().unwrap();
    each_message_is_new_once(&sqlite_store(tmp.path()).await, "919812300051").await;
}

#[tokio::test]
async fn postgres_each_message_is_new_once() {
    let store = Store::connect(&fresh_postgres().await).await.unwrap();
    each_message_is_new_once(&store, "919812300052").await;
}
