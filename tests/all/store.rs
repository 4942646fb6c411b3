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
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let error = Store::connect(&format!("postgres://mitra:secret@127.0.0.1:{port}/mitra")).await.unwrap_err();
    let text = format!("{error:#}");
    assert!(text.contains("connecting to PostgreSQL") && !text.contains("secret"), "{text}");
}
