//! The `mitra` command line.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use axum::Router;

use crate::certificates::issuer::Issuer;
use crate::certificates::keys::{self, Keyring};
use crate::certificates::pdf::Fonts;
use crate::channel::graph::GraphConfig;
use crate::channel::simulator::{self, BusinessNumber};
use crate::channel::webhook::WebhookConfig;
use crate::chat::documents::DocumentLinks;
use crate::console::auth::{self, Operator, Role};
use crate::plugin_dev::watch::{self, Watch};
use crate::plugin_dev::{build, conformance, scaffold};
use crate::privacy::{DEV_PII_KEY, Privacy};
use crate::registry::Registry;
use crate::registry::package::{self, TrustedKeys, VendorKey};
use crate::runtime::{BudgetLimits, Catalog, MakeAhead, Runtime, RuntimeConfig};
use crate::store::{PluginEvent, Store};
use crate::telemetry::logs::LogFormat;
use crate::web;

/// Mitra: the WhatsApp governance host.
#[derive(Debug, Parser)]
#[command(name = "mitra", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Log lines as text or as JSON objects (phone and Aadhaar numbers
    /// masked either way).
    #[arg(long, global = true, value_enum, default_value = "text", env = "MITRA_LOG_FORMAT")]
    pub log_format: LogFormat,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve citizens: load the plugins and answer HTTP.
    Serve(Box<ServeArgs>),
    /// Create, build, check and package department plugins.
    #[command(subcommand)]
    Plugin(PluginCommand),
    /// Vendor signing keys.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Departments' certificate-issuing keys.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Operator tokens for the admin API.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Console accounts.
    #[command(subcommand)]
    Operator(OperatorCommand),
    /// Check a certificate: its signature, its entry in the transparency
    /// log, revocation and expiry. Offline from files (--jwks, --checkpoint,
    /// --proof, --revoked), or with the evidence fetched from a host
    /// (--from) and checked here. Exit status 0 only for a valid one.
    Verify(VerifyArgs),
}

#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// The QR payload (MTR1:…), or a file: the certificate PDF, a PNG or
    /// JPEG picture of its QR code, or a text file holding the payload.
    pub target: String,
    /// A host to fetch the keys, checkpoint, proof and revocation list from.
    #[arg(long)]
    pub from: Option<String>,
    /// The published keys (`/.well-known/jwks.json`).
    #[arg(long, conflicts_with = "from")]
    pub jwks: Option<PathBuf>,
    /// A signed checkpoint of the log (`/log/checkpoint`).
    #[arg(long, requires = "proof", conflicts_with = "from")]
    pub checkpoint: Option<PathBuf>,
    /// The certificate's inclusion proof in that checkpoint's tree
    /// (`/log/inclusion?index=I&size=N`).
    #[arg(long, requires = "checkpoint", conflicts_with = "from")]
    pub proof: Option<PathBuf>,
    /// The revocation list (`/log/revoked`).
    #[arg(long, conflicts_with = "from")]
    pub revoked: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Print a token naming OPERATOR, signed with the admin secret.
    Token {
        operator: String,
        #[arg(long, env = "MITRA_ADMIN_SECRET", default_value = DEV_ADMIN_SECRET, hide_default_value = true)]
        secret: String,
        /// Hours the token is valid.
        #[arg(long, default_value_t = 8)]
        hours: u64,
        /// admin, officer or viewer.
        #[arg(long, default_value = "admin")]
        role: String,
        /// A department (plugin id) an officer works, or a viewer reads;
        /// repeat for several.
        #[arg(long = "department")]
        departments: Vec<String>,
        /// An officer's level (escalations go to the next).
        #[arg(long, default_value_t = 1)]
        level: u8,
    },
}

#[derive(Debug, Subcommand)]
pub enum OperatorCommand {
    /// Create (or replace) a console account. The password is read from
    /// MITRA_OPERATOR_PASSWORD, else from the first line of stdin.
    Add {
        name: String,
        /// admin, officer or viewer.
        #[arg(long)]
        role: String,
        /// A department (plugin id) an officer works, or a viewer reads;
        /// repeat for several.
        #[arg(long = "department")]
        departments: Vec<String>,
        /// An officer's level (escalations go to the next).
        #[arg(long, default_value_t = 1)]
        level: u8,
        #[arg(long, env = "DATABASE_URL", default_value = "sqlite://.mitra/mitra.db")]
        database_url: String,
    },
}

/// Where a registry command talks to a running host.
#[derive(Debug, clap::Args)]
pub struct Remote {
    /// The host's base URL.
    #[arg(long, env = "MITRA_URL", default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// An operator token (`mitra admin token`).
    #[arg(long, env = "MITRA_TOKEN")]
    pub token: String,
}

#[derive(Debug, Subcommand)]
pub enum KeyCommand {
    /// Make a vendor signing key: writes ID.key (keep it secret) and prints
    /// the line an operator adds to their trusted keys.
    New {
        /// Key id, e.g. the vendor's name: lowercase letters, digits and '-'.
        id: String,
        /// Directory to write ID.key into.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Make a new issuing key for DEPARTMENT and sign its certificates with
    /// it from now on; its earlier keys stay published, retired.
    Generate {
        department: String,
        #[arg(long, env = "MITRA_KEYS_DIR", default_value = ".mitra/keys")]
        dir: PathBuf,
    },
    /// Print the published keys, active and retired, as a JSON Web Key Set.
    Jwks {
        #[arg(long, env = "MITRA_KEYS_DIR", default_value = ".mitra/keys")]
        dir: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Directory of plugin directories (each with a plugin.toml).
    #[arg(long, env = "MITRA_PLUGINS_DIR", default_value = ".mitra/plugins")]
    pub plugins: PathBuf,
    /// Address to listen on.
    #[arg(long, env = "MITRA_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// sqlite://PATH (default) or postgres://USER@HOST/DB.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://.mitra/mitra.db")]
    pub database_url: String,
    /// Where compiled plugins are cached between restarts.
    #[arg(long, env = "MITRA_CACHE_DIR", default_value = ".mitra/cache")]
    pub cache_dir: PathBuf,
    /// Instances that may run at once (pooling allocator slots).
    #[arg(long, env = "MITRA_MAX_INSTANCES", default_value_t = 1000)]
    pub max_instances: u32,
    /// HTTP connections served at once; more are answered 503 and closed
    /// (default: the open-file limit, raised to its hard maximum at start,
    /// less what the host keeps for itself).
    #[arg(long, env = "MITRA_MAX_CONNECTIONS")]
    pub max_connections: Option<usize>,
    /// Guest memory of all plugin instances together, in MiB (default: half
    /// the machine's memory or its cgroup limit). One plugin may hold half.
    #[arg(long, env = "MITRA_PLUGIN_MEMORY_MIB")]
    pub plugin_memory_mib: Option<usize>,
    /// Plugin calls running wasm at once (default: 4 per core). One plugin
    /// may hold half; a call waiting on a department's HTTP system holds none.
    #[arg(long, env = "MITRA_PLUGIN_RUNNING")]
    pub plugin_running: Option<usize>,
    /// Live calls of one plugin, running or waiting (default: a quarter of
    /// MITRA_MAX_INSTANCES).
    #[arg(long, env = "MITRA_PLUGIN_CALLS")]
    pub plugin_calls: Option<usize>,
    /// Which plugins have a fresh instance made ahead of each call, so the
    /// call does not wait for it: every plugin (as far as a quarter of the
    /// instance pool allows), those slow to instantiate (Python ones), or
    /// none. Each instance still serves one call.
    #[arg(long, env = "MITRA_MAKE_AHEAD", value_enum, default_value_t = MakeAhead::Always)]
    pub make_ahead: MakeAhead,
    /// The webhook verify token set in Meta's dashboard.
    #[arg(long, env = "WHATSAPP_VERIFY_TOKEN", default_value = DEV_VERIFY_TOKEN)]
    pub verify_token: String,
    /// The app secret that signs webhooks (`X-Hub-Signature-256`).
    #[arg(long, env = "WHATSAPP_APP_SECRET", default_value = DEV_APP_SECRET, hide_default_value = true)]
    pub app_secret: String,
    /// Graph API base URL; unset, the host's own fake at /_fake_graph (dev).
    #[arg(long, env = "WHATSAPP_GRAPH_URL")]
    pub graph_url: Option<String>,
    /// Graph API version.
    #[arg(long, env = "WHATSAPP_GRAPH_VERSION", default_value = "v21.0")]
    pub graph_version: String,
    /// Bearer token for the Graph API.
    #[arg(long, env = "WHATSAPP_TOKEN", default_value = "dev-token", hide_default_value = true)]
    pub token: String,
    /// Messages per second per business number (80 default; Meta allows up to 1,000).
    #[arg(long, env = "MITRA_SEND_RATE", default_value_t = 80)]
    pub send_rate: u32,
    /// How long one request to the Graph API may take (milliseconds).
    #[arg(long, env = "MITRA_SEND_TIMEOUT_MS", default_value_t = 15_000)]
    pub send_timeout_ms: u64,
    /// How long a reply that may have reached Meta (no answer, or this host
    /// restarted) waits for Meta's status webhook before it is sent again
    /// (milliseconds).
    #[arg(long, env = "MITRA_SEND_CONFIRM_MS", default_value_t = 5_000)]
    pub send_confirm_ms: u64,
    /// Secret that signs operators' admin API tokens; unset, a development
    /// secret (with a warning).
    #[arg(long, env = "MITRA_ADMIN_SECRET", default_value = DEV_ADMIN_SECRET, hide_default_value = true)]
    pub admin_secret: String,
    /// Secret behind the keyed hash Aadhaar numbers are stored as, and the
    /// seal on a form in progress; unset, a development key (with a
    /// warning). Changing it makes stored hashes unmatchable.
    #[arg(long, env = "MITRA_PII_KEY", default_value = DEV_PII_KEY, hide_default_value = true)]
    pub pii_key: String,
    /// Days after which closed conversations' message bodies are purged
    /// (ids, times and delivery states stay); 0 keeps them.
    #[arg(long, env = "MITRA_RETENTION_DAYS", default_value_t = 90)]
    pub retention_days: u32,
    /// The vendor keys trusted to sign plugin packages (TOML: key-id = "hex").
    #[arg(long, env = "MITRA_TRUSTED_KEYS", default_value = ".mitra/trusted_keys.toml")]
    pub trusted_keys: PathBuf,
    /// Where installed packages are unpacked.
    #[arg(long, env = "MITRA_PACKAGES_DIR", default_value = ".mitra/packages")]
    pub packages_dir: PathBuf,
    /// Development: plugin crates (or directories of them) to rebuild and
    /// serve whenever their sources change.
    #[arg(long, env = "MITRA_WATCH", value_delimiter = ',')]
    pub watch: Vec<PathBuf>,
    /// Business numbers the local simulator writes to (dev mode only), as
    /// PHONE_NUMBER_ID=DISPLAY_NUMBER, comma-separated.
    #[arg(long, env = "MITRA_SIMULATOR_NUMBERS", value_delimiter = ',')]
    pub simulator_numbers: Vec<BusinessNumber>,
    /// The address citizens' and Meta's links point at (documents,
    /// certificates), e.g. `https://mitra.ap.gov.in`; by default the address
    /// the host listens on.
    #[arg(long, env = "MITRA_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The UPI address fees are collected to (`pa` of the payment link).
    #[arg(long, env = "MITRA_UPI_VPA", default_value = DEV_UPI_VPA)]
    pub upi_vpa: String,
    /// The payee name UPI apps show (`pn`).
    #[arg(long, env = "MITRA_UPI_PAYEE", default_value = "Government of Andhra Pradesh")]
    pub upi_payee: String,
    /// The merchant secret the payment gateway signs its callbacks with.
    #[arg(long, env = "MITRA_GATEWAY_SECRET", default_value = DEV_GATEWAY_SECRET, hide_default_value = true)]
    pub gateway_secret: String,
    /// The gateway's hosted payment page, `{url}/{order id}`; by default the
    /// built-in stand-in at `/_fake_gateway/pay`.
    #[arg(long, env = "MITRA_GATEWAY_PAY_URL")]
    pub gateway_pay_url: Option<String>,
    /// Minutes a payment link may be used before a new one is offered.
    #[arg(long, env = "MITRA_PAYMENT_LINK_MINUTES", default_value_t = 15)]
    pub payment_link_minutes: u64,
    /// The gateway's merchant API (status queries, refunds), e.g.
    /// `https://api.gateway.example/v1`; by default the built-in stand-in's.
    #[arg(long, env = "MITRA_GATEWAY_API_URL")]
    pub gateway_api_url: Option<String>,
    /// The merchant's API key id and secret (HTTP Basic auth to the API).
    #[arg(long, env = "MITRA_GATEWAY_KEY_ID", default_value = DEV_GATEWAY_KEY_ID)]
    pub gateway_key_id: String,
    #[arg(long, env = "MITRA_GATEWAY_KEY_SECRET", default_value = DEV_GATEWAY_KEY_SECRET, hide_default_value = true)]
    pub gateway_key_secret: String,
    /// Seconds after an order is made before the gateway is asked about it
    /// when its callback has not come.
    #[arg(long, env = "MITRA_PAYMENT_QUERY_AFTER_SECONDS", default_value_t = 120)]
    pub payment_query_after_seconds: u64,
    /// The payment configuration of the business number in WhatsApp Manager:
    /// when set, fees are also asked with WhatsApp's `order_details` message.
    #[arg(long, env = "MITRA_WHATSAPP_PAYMENT_CONFIGURATION")]
    pub whatsapp_payment_configuration: Option<String>,
    /// Mitra's DigiLocker issuer ID (the first part of document URIs), e.g.
    /// `in.gov.ap.mitra`; DigiLocker's pull endpoints are served when it and
    /// MITRA_DIGILOCKER_SECRET are set.
    #[arg(long, env = "MITRA_DIGILOCKER_ISSUER_ID")]
    pub digilocker_issuer_id: Option<String>,
    /// The API key set for the Pull URI / Pull Doc APIs in DigiLocker's Partner Portal.
    #[arg(long, env = "MITRA_DIGILOCKER_SECRET", hide_env_values = true)]
    pub digilocker_secret: Option<String>,
    /// Document types and the services they cover: CODE=plugin/service
    /// (services joined by `|`), comma-separated.
    #[arg(
        long,
        env = "MITRA_DIGILOCKER_DOC_TYPES",
        value_delimiter = ',',
        default_value = "BTCER=municipal/birth-certificate,DTCER=municipal/death-certificate"
    )]
    pub digilocker_doc_types: Vec<crate::digilocker::DocType>,
    /// DigiLocker's push endpoint ("Save to DigiLocker" in the chat); by
    /// default, when the issuer ID and secret are set, the built-in stand-in
    /// at `/_fake_digilocker`.
    #[arg(long, env = "MITRA_DIGILOCKER_PUSH_URL")]
    pub digilocker_push_url: Option<String>,
    /// The key DigiLocker gave for pushing (`x-digilocker-hmac` and
    /// `keyhash` of pushes); by default MITRA_DIGILOCKER_SECRET.
    #[arg(long, env = "MITRA_DIGILOCKER_PUSH_SECRET", hide_env_values = true)]
    pub digilocker_push_secret: Option<String>,
    /// Voice notes and spoken replies: `offline` (PocketSphinx and
    /// espeak-ng on this machine), `http` (a Bhashini-shaped speech service
    /// at MITRA_ASR_URL, and MITRA_TTS_URL or espeak-ng) or `off`.
    #[arg(long, env = "MITRA_VOICE", default_value = "offline")]
    pub voice: VoiceMode,
    /// A Python with `pocketsphinx` for the offline recogniser (`cargo xtask
    /// serve` makes one at target/voice-venv).
    #[arg(long, env = "MITRA_VOICE_PYTHON", default_value = "target/voice-venv/bin/python")]
    pub voice_python: PathBuf,
    /// Offline recogniser processes (each hears one note at a time).
    #[arg(long, env = "MITRA_VOICE_WORKERS", default_value_t = 1)]
    pub voice_workers: usize,
    /// Voice notes heard or replies spoken at once (0: half the cores); the
    /// rest wait, so voice never takes the chat's cores.
    #[arg(long, env = "MITRA_VOICE_CONCURRENCY", default_value_t = 0)]
    pub voice_concurrency: usize,
    /// The speech-recognition pipeline URL (`MITRA_VOICE=http`), e.g.
    /// Bhashini's `…/services/inference/pipeline`.
    #[arg(long, env = "MITRA_ASR_URL")]
    pub asr_url: Option<String>,
    /// The text-to-speech pipeline URL; without it replies are spoken by espeak-ng.
    #[arg(long, env = "MITRA_TTS_URL")]
    pub tts_url: Option<String>,
    /// The header the speech service's key goes in.
    #[arg(long, env = "MITRA_SPEECH_AUTH_HEADER", default_value = "Authorization")]
    pub speech_auth_header: String,
    /// The speech service's key (Bhashini's inference API key).
    #[arg(long, env = "MITRA_SPEECH_KEY", hide_env_values = true)]
    pub speech_key: Option<String>,
    /// The speech service's models per language: LANG=serviceId, comma-separated.
    #[arg(long, env = "MITRA_SPEECH_SERVICE_IDS", value_delimiter = ',')]
    pub speech_service_ids: Vec<String>,
    /// The key that signs document links (the same on every host).
    #[arg(long, env = "MITRA_DOCUMENT_KEY", default_value = web::DEV_DOCUMENT_KEY, hide_default_value = true)]
    pub document_key: String,
    /// The departments' certificate-issuing keys (`mitra keys generate`);
    /// their public halves are served at `/.well-known/jwks.json`.
    #[arg(long, env = "MITRA_KEYS_DIR", default_value = ".mitra/keys")]
    pub keys_dir: PathBuf,
    /// Where the certificates' fonts are (Noto Sans, Noto Sans Telugu and
    /// Devanagari, regular and bold); by default the system's font folders.
    #[arg(long, env = "MITRA_FONTS_DIR")]
    pub fonts_dir: Option<PathBuf>,
    /// The transparency log's name, as its checkpoints are signed.
    #[arg(long, env = "MITRA_LOG_ORIGIN", default_value = "mitra.local/certificates")]
    pub log_origin: String,
    /// Demos and tests: serve as if today were this day (YYYY-MM-DD, from
    /// noon in India, or YYYY-MM-DDTHH:MM). Plugins see it too.
    #[arg(long, env = "MITRA_TODAY")]
    pub today: Option<String>,
}

/// Where links the host sends point: the configured public URL, else the
/// address it listens on (loopback when it listens on every interface).
/// `http://` and where this host is reached from itself (a host listening
/// on every interface, over loopback).
fn loopback(local: SocketAddr) -> String {
    public_url(None, local)
}

pub fn public_url(configured: Option<&str>, local: SocketAddr) -> String {
    match configured {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None if local.ip().is_unspecified() => format!("http://127.0.0.1:{}", local.port()),
        None => format!("http://{local}"),
    }
}

/// Development defaults, shared with the local WhatsApp simulator. Never
/// use them with the real Cloud API: `serve` warns when they are in effect.
pub const DEV_VERIFY_TOKEN: &str = "mitra-dev-verify-token";
/// See [`DEV_VERIFY_TOKEN`].
pub const DEV_APP_SECRET: &str = "mitra-dev-app-secret";
/// See [`DEV_VERIFY_TOKEN`].
pub const DEV_ADMIN_SECRET: &str = "mitra-dev-admin-secret";
/// The development payment settings (`mitra serve` warns while they are in use).
pub const DEV_GATEWAY_SECRET: &str = "mitra-dev-gateway-secret";
pub const DEV_UPI_VPA: &str = "mitra.dev@upi";
pub const DEV_GATEWAY_KEY_ID: &str = "mitra_dev_key";
pub const DEV_GATEWAY_KEY_SECRET: &str = "mitra-dev-gateway-key-secret";

#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// Create a plugin crate that builds and passes `plugin test` as is.
    New {
        /// Plugin (department) id: lowercase letters, digits and '-'.
        name: String,
        /// Where to create it.
        #[arg(long, default_value = ".")]
        dir: PathBuf,
        /// Path of the mitra-sdk crate.
        #[arg(long)]
        sdk: Option<PathBuf>,
        /// A department of services written as definitions (TOML), no Rust.
        #[arg(long)]
        declarative: bool,
    },
    /// Build a plugin crate for wasm32-wasip2.
    Build {
        /// The plugin crate.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Also install it as OUT/<id> (a plugin directory `serve` loads).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Cargo target directory (share one between plugins to build faster).
        #[arg(long, env = "CARGO_TARGET_DIR")]
        target_dir: Option<PathBuf>,
    },
    /// Sign a built plugin into one package file for operators to install.
    Pack {
        /// The plugin directory (a built crate or an installed plugin).
        #[arg(default_value = ".")]
        path: PathBuf,
        /// The vendor key file (`mitra key new`).
        #[arg(long, env = "MITRA_VENDOR_KEY")]
        key: PathBuf,
        /// The package to write; default ID-VERSION.mitra here.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Install a package on a running host (not yet served).
    Push {
        package: PathBuf,
        #[command(flatten)]
        remote: Remote,
    },
    /// Serve an installed version, to everyone or to PERCENT % of citizens.
    Activate {
        plugin: String,
        version: String,
        #[arg(long, default_value_t = 100)]
        percent: u8,
        #[command(flatten)]
        remote: Remote,
    },
    /// End a rollout, or return to the version served before.
    Rollback {
        plugin: String,
        #[command(flatten)]
        remote: Remote,
    },
    /// Installed versions, deployments and what the host serves.
    List {
        #[command(flatten)]
        remote: Remote,
    },
    /// Load plugins in the real runtime and run the conformance checks.
    Test {
        /// Plugin directories (a built crate or an installed plugin).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

/// Runs a parsed command; returns the process exit code.
pub fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::Serve(args) => {
            let rt = tokio::runtime::Runtime::new()?;
            rt.block_on(serve(*args))?;
            Ok(0)
        }
        Command::Plugin(PluginCommand::New { name, dir, sdk, declarative }) => {
            let created = if declarative {
                crate::plugin_dev::declarative::new_department(&dir, &name)?
            } else {
                scaffold::new_plugin(&dir, &name, &sdk.unwrap_or_else(scaffold::default_sdk_path))?
            };
            println!("created {}", created.display());
            println!("next: mitra plugin build {0} && mitra plugin test {0}", created.display());
            Ok(0)
        }
        Command::Plugin(PluginCommand::Build { path, out, target_dir }) => {
            let built = build::build(&path, out.as_deref(), target_dir.as_deref())?;
            println!("built {}", built.display());
            Ok(0)
        }
        Command::Plugin(PluginCommand::Pack { path, key, out }) => {
            let written = pack(&path, &key, out)?;
            println!("packed {}", written.display());
            Ok(0)
        }
        Command::Plugin(PluginCommand::Push { package, remote }) => {
            let bytes = std::fs::read(&package).with_context(|| format!("reading {}", package.display()))?;
            remote_call(&remote, "POST", "/admin/plugins", RemoteBody::Package(bytes))
        }
        Command::Plugin(PluginCommand::Activate { plugin, version, percent, remote }) => {
            let body = serde_json::json!({ "version": version, "percent": percent });
            remote_call(&remote, "POST", &format!("/admin/plugins/{plugin}/activate"), RemoteBody::Json(body))
        }
        Command::Plugin(PluginCommand::Rollback { plugin, remote }) => {
            remote_call(&remote, "POST", &format!("/admin/plugins/{plugin}/rollback"), RemoteBody::None)
        }
        Command::Plugin(PluginCommand::List { remote }) => {
            remote_call(&remote, "GET", "/admin/plugins", RemoteBody::None)
        }
        Command::Admin(AdminCommand::Token { operator, secret, hours, role, departments, level }) => {
            let role = Role::parse(&role).with_context(|| format!("no role {role:?} (admin, officer, viewer)"))?;
            let operator = Operator { name: operator, role, departments, level };
            println!("{}", auth::token(&secret, &operator, std::time::Duration::from_secs(hours * 3600))?);
            Ok(0)
        }
        Command::Key(KeyCommand::New { id, dir }) => {
            let key = VendorKey::generate(&id)?;
            let file = dir.join(format!("{id}.key"));
            anyhow::ensure!(!file.exists(), "{} exists; not overwriting a key", file.display());
            keys::write_private(&file, &key.to_file_text())?;
            println!("wrote {} (keep it secret)", file.display());
            println!("operators trust it with this line in their trusted keys file:");
            println!("{id} = \"{}\"", key.public_hex());
            Ok(0)
        }
        Command::Operator(OperatorCommand::Add { name, role, departments, level, database_url }) => {
            let role = Role::parse(&role).with_context(|| format!("no role {role:?} (admin, officer, viewer)"))?;
            let password = match std::env::var("MITRA_OPERATOR_PASSWORD") {
                Ok(password) => password,
                Err(_) => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let operator = Operator { name: name.clone(), role, departments, level };
            let account = crate::console::accounts::account(&operator, &password)?;
            let rt = tokio::runtime::Runtime::new()?;
            rt.block_on(async { Store::connect(&database_url).await?.put_operator(&account).await })?;
            println!("operator {name} ({role:?}) can log in at /console/login");
            Ok(0)
        }
        Command::Keys(KeysCommand::Generate { department, dir }) => {
            let path = Keyring::generate(&dir, &department)?;
            println!("wrote {} (owner-only); {department} signs with it from now on", path.display());
            Ok(0)
        }
        Command::Keys(KeysCommand::Jwks { dir }) => {
            println!("{:#}", keys::jwks(&Keyring::load(&dir)?.public_keys()));
            Ok(0)
        }
        Command::Verify(args) => verify_certificate(&args),
        Command::Plugin(PluginCommand::Test { paths }) => {
            let (text, passed) = test_plugins(&paths)?;
            println!("{text}");
            Ok(if passed { 0 } else { 1 })
        }
    }
}

/// `mitra verify`: prints the verdict (and what the certificate states);
/// exit status 0 for a valid certificate, 1 for any other verdict.
fn verify_certificate(args: &VerifyArgs) -> anyhow::Result<i32> {
    use crate::certificates::offline::{self, Published};
    use crate::certificates::verify::{Verdict, explain};
    let payload = offline::payload_of(&args.target)?;
    let read = |path: &Option<PathBuf>| -> anyhow::Result<Option<String>> {
        path.as_ref()
            .map(|p| std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display())))
            .transpose()
    };
    let published = match &args.from {
        Some(url) => {
            let url = url.trim_end_matches('/');
            let get = |path: &str| -> anyhow::Result<String> {
                let mut response =
                    ureq::get(&format!("{url}{path}")).call().with_context(|| format!("GET {url}{path}"))?;
                Ok(response.body_mut().read_to_string()?)
            };
            let jwks = get("/.well-known/jwks.json")?;
            let checkpoint = get("/log/checkpoint")?;
            let size = checkpoint.lines().nth(1).unwrap_or_default().trim().to_owned();
            // The proof is for the index the certificate claims, once its
            // signature holds; otherwise the verdict needs none.
            let proof = match offline::claimed_index(&payload, &jwks)? {
                Some(index) => get(&format!("/log/inclusion?index={index}&size={size}")).ok(),
                None => None,
            };
            Published { jwks, checkpoint: Some(checkpoint), proof, revoked: Some(get("/log/revoked")?) }
        }
        None => Published {
            jwks: read(&args.jwks)?.context("give the published keys with --jwks FILE, or a host with --from URL")?,
            checkpoint: read(&args.checkpoint)?,
            proof: read(&args.proof)?,
            revoked: read(&args.revoked)?,
        },
    };
    if published.checkpoint.is_none() {
        eprintln!("no --checkpoint and --proof: the certificate's entry in the log cannot be checked");
    }
    let report = offline::check(&payload, &published, &crate::certificates::verify::today())?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        let (code, words) = explain(&report.verdict, "en");
        println!("{code}: {words}");
        if let Some(c) = &report.claims {
            println!(
                "  serial   {}\n  service  {}\n  name     {}{}",
                c.serial,
                c.service,
                c.name,
                c.name_te.as_deref().map(|t| format!(" / {t}")).unwrap_or_default()
            );
            println!(
                "  issued   {}{}\n  log      entry {}",
                c.issued,
                c.expires.as_deref().map(|e| format!(", valid until {e}")).unwrap_or_default(),
                c.log_index
            );
        }
    }
    Ok(if report.verdict == Verdict::Valid { 0 } else { 1 })
}

/// Loads and checks the plugin in `dir` (a package must hold a plugin that
/// works), then signs it into a package; returns the file written.
pub fn pack(dir: &Path, key_file: &Path, out: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    let text = std::fs::read_to_string(key_file).with_context(|| format!("reading {}", key_file.display()))?;
    let key = VendorKey::from_file_text(&text).with_context(|| format!("reading {}", key_file.display()))?;
    let runtime = Runtime::new(&RuntimeConfig { pooling: false, ..RuntimeConfig::default() })?;
    let plugin = runtime.load_dir(dir)?;
    let report = conformance::check(&plugin);
    anyhow::ensure!(report.passed(), "not packing a plugin that fails its checks:\n{report}");
    let bytes = package::pack(dir, &key, &plugin.info().contract_version)?;
    let out = out.unwrap_or_else(|| PathBuf::from(format!("{}-{}.mitra", plugin.id(), plugin.manifest().version)));
    std::fs::write(&out, bytes).with_context(|| format!("writing {}", out.display()))?;
    Ok(out)
}

enum RemoteBody {
    None,
    Json(serde_json::Value),
    Package(Vec<u8>),
}

/// One admin API request; prints the answer, exit code 1 when refused.
fn remote_call(remote: &Remote, method: &str, path: &str, body: RemoteBody) -> anyhow::Result<i32> {
    let url = format!("{}{path}", remote.url.trim_end_matches('/'));
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let auth = format!("Bearer {}", remote.token);
    let response = match (method, body) {
        ("GET", _) => agent.get(&url).header("authorization", &auth).call(),
        (_, RemoteBody::Json(json)) => agent.post(&url).header("authorization", &auth).send_json(json),
        (_, RemoteBody::Package(bytes)) => agent
            .post(&url)
            .header("authorization", &auth)
            .header("content-type", "application/octet-stream")
            .send(&bytes[..]),
        (_, RemoteBody::None) => agent.post(&url).header("authorization", &auth).send_empty(),
    }
    .with_context(|| format!("{method} {url}"))?;
    let status = response.status();
    let text = response.into_body().read_to_string().unwrap_or_default();
    let shown =
        serde_json::from_str::<serde_json::Value>(&text).and_then(|v| serde_json::to_string_pretty(&v)).unwrap_or(text);
    println!("{shown}");
    Ok(if status.is_success() { 0 } else { 1 })
}

/// Checks each plugin directory; returns the report text and whether all passed.
pub fn test_plugins(paths: &[PathBuf]) -> anyhow::Result<(String, bool)> {
    let runtime = Runtime::new(&RuntimeConfig { pooling: false, ..RuntimeConfig::default() })?;
    let mut text = String::new();
    let mut passed = true;
    for path in paths {
        let report = conformance::check_dir(&runtime, path);
        passed &= report.passed();
        text.push_str(&report.to_string());
        text.push('\n');
    }
    Ok((text, passed))
}

/// Loads the plugins, opens the database and serves HTTP until Ctrl-C.
pub async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    if let Some(day) = &args.today {
        mitra_sdk::clock::pin(day).map_err(|e| anyhow::anyhow!("--today: {e}"))?;
        tracing::warn!(now = %mitra_sdk::clock::now_in_india(), "the clock is pinned: serving as if it were this day");
    }
    let store = Store::connect(&args.database_url).await?;
    tracing::info!(backend = store.backend(), "database ready");
    let mut budget = BudgetLimits::for_machine(args.max_instances);
    budget.memory = args.plugin_memory_mib.map_or(budget.memory, |mib| mib << 20);
    budget.running = args.plugin_running.unwrap_or(budget.running).max(1);
    budget.calls_per_plugin = args.plugin_calls.unwrap_or(budget.calls_per_plugin).max(1);
    let config = RuntimeConfig {
        pooling: true,
        max_concurrent_instances: args.max_instances,
        cache_dir: Some(args.cache_dir.clone()),
        budget: Some(budget),
        make_ahead: args.make_ahead,
    };
    let (runtime, catalog) = load_catalog(config, &args.plugins).await?;
    record_load_events(&store, &catalog).await?;
    tokio::spawn(record_sandbox_stops(store.clone(), runtime.clone()));
    let trusted = TrustedKeys::load(&args.trusted_keys)?;
    if trusted.ids().is_empty() {
        tracing::warn!(path = %args.trusted_keys.display(), "no trusted vendor keys: every package will be refused");
    }
    if !args.watch.is_empty() {
        let watch = Watch {
            crates: watch::plugin_crates(&args.watch),
            out: args.plugins.clone(),
            target_dir: PathBuf::from("target/wasm"),
        };
        let (runtime, catalog) = (runtime.clone(), catalog.clone());
        tokio::spawn(async move {
            if let Err(error) = watch.run(runtime, catalog, None).await {
                tracing::error!(error = format!("{error:#}"), "watching plugin sources failed");
            }
        });
    }
    let registry = Arc::new(Registry::new(store.clone(), runtime, catalog.clone(), trusted, args.packages_dir.clone()));
    // What the registry holds overrides the plugins directory.
    let applied = registry.sync().await.context("applying the registry's deployments")?;
    if applied > 0 {
        tracing::info!(deployments = applied, "serving the registry's deployments");
    }
    tokio::spawn(registry.clone().follow());
    tokio::spawn(registry.clone().watch_health(crate::registry::RollbackPolicy::default()));
    if args.admin_secret == DEV_ADMIN_SECRET {
        tracing::warn!("using the development admin secret; set MITRA_ADMIN_SECRET in production");
    }

    if args.app_secret == DEV_APP_SECRET || args.verify_token == DEV_VERIFY_TOKEN {
        tracing::warn!(
            "using the development webhook secrets; set WHATSAPP_APP_SECRET and WHATSAPP_VERIFY_TOKEN in production"
        );
    }
    let webhook = WebhookConfig { verify_token: args.verify_token.clone(), app_secret: args.app_secret.clone() };
    let listener = crate::web::listen(args.listen).with_context(|| format!("binding {}", args.listen))?;
    let local = listener.local_addr()?;
    let mut app_routes = Router::new();
    let base_url = match &args.graph_url {
        Some(url) => url.clone(),
        None => {
            tracing::warn!("no WHATSAPP_GRAPH_URL: sending to the built-in fake Graph API at /_fake_graph");
            let dev = simulator::dev_channel(local, &args.app_secret, args.simulator_numbers.clone());
            tracing::info!("simulator at {}", dev.simulator_url);
            app_routes = app_routes.merge(dev.routes);
            dev.graph_url
        }
    };
    let graph = GraphConfig {
        base_url,
        version: args.graph_version.clone(),
        token: args.token.clone(),
        rate_per_number: args.send_rate.clamp(1, 1000),
        timeout: std::time::Duration::from_millis(args.send_timeout_ms.max(1)),
        confirm_wait: std::time::Duration::from_millis(args.send_confirm_ms),
        ..GraphConfig::default()
    };
    if args.pii_key == DEV_PII_KEY {
        tracing::warn!("using the development PII key; set MITRA_PII_KEY in production");
    }
    let privacy = Arc::new(Privacy::new(&args.pii_key));
    if args.retention_days > 0 {
        tokio::spawn(purge_old_conversations(store.clone(), args.retention_days));
    }
    tokio::spawn(escalate_grievances(crate::grievances::Office::new(store.clone(), privacy.clone())));
    let admin = crate::admin::router(registry, store.clone(), &args.admin_secret).merge(crate::console::router(
        store.clone(),
        catalog.clone(),
        privacy.clone(),
        &args.admin_secret,
    ));
    let keyring = Arc::new(issuing_keys(&args.keys_dir, &catalog)?);
    let log = crate::certificates::log::TransparencyLog::new(store.clone(), &args.log_origin, keyring.clone());
    if args.document_key == web::DEV_DOCUMENT_KEY {
        tracing::warn!("using the development document-link key; set MITRA_DOCUMENT_KEY in production");
    }
    let public_url = public_url(args.public_url.as_deref(), local);
    let fonts = Fonts::find(args.fonts_dir.as_deref()).map(Arc::new);
    if let Err(error) = &fonts {
        tracing::error!(error = format!("{error:#}"), "certificates cannot be laid out until the fonts are installed");
    }
    let issuer = Issuer::new(log, keyring, fonts, &public_url);
    let mut digilocker = None;
    if let (Some(issuer_id), Some(secret)) = (&args.digilocker_issuer_id, &args.digilocker_secret) {
        let config = crate::digilocker::DigiLockerConfig {
            issuer_id: issuer_id.clone(),
            secret: secret.clone(),
            doc_types: args.digilocker_doc_types.clone(),
        };
        app_routes = app_routes.merge(crate::digilocker::router(issuer.clone(), store.clone(), config.clone()));
        let push_secret = args.digilocker_push_secret.clone().unwrap_or_else(|| secret.clone());
        let endpoint = match &args.digilocker_push_url {
            Some(url) => url.clone(),
            None => {
                tracing::warn!(
                    "no MITRA_DIGILOCKER_PUSH_URL: Save to DigiLocker pushes to the built-in stand-in at /_fake_digilocker"
                );
                let pull_doc = format!("{}/digilocker/pulldoc", loopback(local));
                let stand_in = crate::digilocker::stand_in::StandIn::new(&push_secret, secret, &pull_doc);
                app_routes = app_routes.nest("/_fake_digilocker", crate::digilocker::stand_in::router(stand_in));
                format!("{}/_fake_digilocker{}", loopback(local), crate::digilocker::stand_in::PUSH_PATH)
            }
        };
        let push = crate::digilocker::push::PushConfig { endpoint, secret: push_secret };
        let pusher = Arc::new(crate::digilocker::pusher::Pusher::new(push, config, store.clone()));
        tokio::spawn(pusher.clone().run());
        digilocker = Some(pusher);
    }
    let documents = DocumentLinks::new(&public_url, &args.document_key);
    let (pay_url, api_url) = match &args.gateway_pay_url {
        Some(url) => (url.clone(), args.gateway_api_url.clone()),
        None => {
            tracing::warn!(
                "no MITRA_GATEWAY_PAY_URL: fees are paid on the built-in gateway stand-in at /_fake_gateway"
            );
            let stand_in = crate::payments::stand_in::StandIn::new(
                store.clone(),
                format!("{}/payments/callback", loopback(local)),
                args.gateway_secret.clone(),
                args.gateway_key_id.clone(),
                args.gateway_key_secret.clone(),
            );
            app_routes = app_routes.nest("/_fake_gateway", crate::payments::stand_in::router(stand_in));
            let api = args.gateway_api_url.clone().unwrap_or_else(|| format!("{}/_fake_gateway/v1", loopback(local)));
            (format!("{public_url}/_fake_gateway/pay"), Some(api))
        }
    };
    if api_url.is_none() {
        tracing::warn!("no MITRA_GATEWAY_API_URL: late payments are not looked up and refunds are not made");
    }
    if args.gateway_secret == DEV_GATEWAY_SECRET
        || args.gateway_key_secret == DEV_GATEWAY_KEY_SECRET
        || args.upi_vpa == DEV_UPI_VPA
    {
        tracing::warn!(
            "using the development payment settings; set MITRA_GATEWAY_SECRET and MITRA_UPI_VPA in production"
        );
    }
    let payments = crate::payments::PaymentsConfig {
        payee_address: args.upi_vpa.clone(),
        payee_name: args.upi_payee.clone(),
        gateway_secret: args.gateway_secret.clone(),
        pay_url,
        link_valid: std::time::Duration::from_secs(args.payment_link_minutes.max(1) * 60),
        api: api_url.map(|base_url| crate::payments::gateway::GatewayApi {
            base_url,
            key_id: args.gateway_key_id.clone(),
            key_secret: args.gateway_key_secret.clone(),
            timeout: std::time::Duration::from_secs(10),
        }),
        reconcile: crate::payments::reconcile::ReconcileConfig {
            query_after: std::time::Duration::from_secs(args.payment_query_after_seconds),
            ..Default::default()
        },
        whatsapp_configuration: args.whatsapp_payment_configuration.clone(),
    };
    let voice = start_voice(&args).await;
    let state = web::AppState::new(catalog, store)
        .with_voice(voice)
        .with_documents(documents)
        .with_issuer(issuer)
        .with_privacy(privacy)
        .with_payments(payments)
        .with_digilocker(digilocker);
    let app = app_routes.merge(web::host(state, webhook, graph)).merge(admin);
    let files = web::serve::raise_open_file_limit();
    let limits = web::serve::Limits { connections: args.max_connections, ..Default::default() };
    tracing::info!(addr = %listener.local_addr()?, open_files = files, "serving");
    web::serve::serve(listener, app, limits, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}

/// How voice notes are heard and replies spoken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum VoiceMode {
    Offline,
    Http,
    Off,
}

/// The speech backends `args` name, started. A recogniser that cannot start
/// (no PocketSphinx for the configured Python) leaves the host serving
/// without voice, saying so: citizens are asked to type.
async fn start_voice(args: &ServeArgs) -> Option<Arc<crate::voice::Speech>> {
    use crate::voice::speech::{EspeakConfig, HttpServiceConfig, OfflineConfig, RecogniserConfig, SpeakerConfig};
    let service = |url: &String| HttpServiceConfig {
        url: url.clone(),
        auth_header: Some(args.speech_auth_header.clone()),
        auth_value: args.speech_key.clone(),
        service_ids: args
            .speech_service_ids
            .iter()
            .filter_map(|p| p.split_once('='))
            .map(|(l, id)| (l.trim().to_owned(), id.trim().to_owned()))
            .collect(),
        timeout_ms: 10_000,
        gender: "female".into(),
    };
    let recogniser = match (args.voice, &args.asr_url) {
        (VoiceMode::Off, _) => return None,
        (VoiceMode::Offline, _) => RecogniserConfig::Offline(OfflineConfig {
            python: args.voice_python.clone(),
            workers: args.voice_workers.max(1),
            ..OfflineConfig::default()
        }),
        (VoiceMode::Http, Some(url)) => RecogniserConfig::Http(service(url)),
        (VoiceMode::Http, None) => {
            tracing::error!("MITRA_VOICE=http needs MITRA_ASR_URL; serving without voice");
            return None;
        }
    };
    let speaker = match &args.tts_url {
        Some(url) => SpeakerConfig::Http(service(url)),
        None => SpeakerConfig::Espeak(EspeakConfig::default()),
    };
    let started = async { anyhow::Ok((recogniser.build().await?, speaker.build().await?)) }.await;
    match started {
        Ok((recogniser, speaker)) => {
            let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
            let concurrency = if args.voice_concurrency > 0 { args.voice_concurrency } else { (cores / 2).max(1) };
            tracing::info!(mode = ?args.voice, concurrency, "voice notes are heard and replies spoken");
            Some(crate::voice::Speech::new(recogniser, speaker, concurrency))
        }
        Err(error) => {
            tracing::warn!(
                error = format!("{error:#}"),
                "voice is off: citizens who send voice notes are asked to type (`cargo xtask serve` installs PocketSphinx and espeak-ng)"
            );
            None
        }
    }
}

/// Every minute, escalates the grievances whose SLA has passed.
async fn escalate_grievances(office: crate::grievances::Office) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        every.tick().await;
        if let Err(error) = office.escalate(crate::store::now_ms()).await {
            tracing::error!(error = format!("{error:#}"), "escalating grievances failed");
        }
    }
}

/// Every hour, purges the message bodies of conversations older than
/// `days` (the retention setting).
async fn purge_old_conversations(store: Store, days: u32) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        let before = crate::store::now_ms() - i64::from(days) * 86_400_000;
        match store.purge_conversations(before).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, days, "purged old conversations' message bodies"),
            Err(error) => tracing::error!(error = format!("{error:#}"), "purging old conversations failed"),
        }
    }
}

/// The issuing keys in `dir`, with a key made for each loaded department
/// and for the transparency log that has none yet (said in the log: the
/// keys directory is then worth a backup).
fn issuing_keys(dir: &Path, catalog: &Catalog) -> anyhow::Result<Keyring> {
    let ring = Keyring::load(dir).context("loading the certificate keys")?;
    let plugins = catalog.plugins();
    let missing: Vec<&str> = plugins
        .iter()
        .map(|p| p.id())
        .chain([crate::certificates::log::LOG_KEY])
        .filter(|d| ring.signer(d).is_none())
        .collect();
    if missing.is_empty() {
        return Ok(ring);
    }
    for department in &missing {
        let path = Keyring::generate(dir, department)?;
        tracing::warn!(department, path = %path.display(), "made an issuing key; back up the keys directory");
    }
    Keyring::load(dir).context("loading the certificate keys")
}

/// Builds the runtime and loads every plugin under `dir` (off the async workers:
/// compiling is CPU-bound).
pub async fn load_catalog(config: RuntimeConfig, dir: &Path) -> anyhow::Result<(Runtime, Arc<Catalog>)> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let dir = dir.to_owned();
    let (runtime, catalog) = tokio::task::spawn_blocking(move || -> anyhow::Result<(Runtime, Catalog)> {
        let runtime = Runtime::new(&config)?;
        let catalog = Catalog::load_dir(&runtime, &dir).with_context(|| format!("reading {}", dir.display()))?;
        Ok((runtime, catalog))
    })
    .await??;
    tracing::info!(plugins = catalog.plugins().len(), refused = catalog.failures().len(), "plugins loaded");
    Ok((runtime, Arc::new(catalog)))
}

/// How often what the sandbox stopped is written down as plugin events.
const STOPS_EVERY: std::time::Duration = std::time::Duration::from_secs(10);

/// Writes the sandbox's stops (traps, deadlines, memory, denied
/// capabilities, refusals for want of room, dropped log lines) as plugin
/// events: one per plugin version and kind per interval, with the count.
async fn record_sandbox_stops(store: Store, runtime: Runtime) {
    let mut every = tokio::time::interval(STOPS_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(error) = record_stops(&store, &runtime).await {
            tracing::error!(error = format!("{error:#}"), "recording a plugin event failed");
        }
    }
}

/// Writes what the sandbox stopped since the last look as plugin events
/// (see [`record_sandbox_stops`]); how many were written.
pub async fn record_stops(store: &Store, runtime: &Runtime) -> anyhow::Result<usize> {
    let stops = runtime.stops().take();
    for stop in &stops {
        let detail = format!("{} since the last look; the last: {}", stop.count, stop.last);
        let mut event = PluginEvent::now(&stop.plugin, stop.kind, detail);
        event.version = Some(stop.version.clone());
        store.record_plugin_event(&event).await?;
    }
    Ok(stops.len())
}

async fn record_load_events(store: &Store, catalog: &Catalog) -> anyhow::Result<()> {
    for plugin in catalog.plugins() {
        let (took, cached) = plugin.load_stats();
        let mut event = PluginEvent::now(
            plugin.id(),
            "loaded",
            format!(
                "{} services in {} ms{}",
                plugin.info().services.len(),
                took.as_millis(),
                if cached { " (cache)" } else { "" }
            ),
        );
        event.version = Some(plugin.manifest().version.clone());
        event.sha256 = Some(plugin.sha256().to_owned());
        store.record_plugin_event(&event).await?;
    }
    for failure in catalog.failures() {
        let id = failure.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        store.record_plugin_event(&PluginEvent::now(&id, "refused", failure.reason)).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_point_at_the_public_url_or_where_the_host_listens() {
        let local: SocketAddr = "127.0.0.1:8090".parse().unwrap();
        assert_eq!(public_url(None, local), "http://127.0.0.1:8090");
        assert_eq!(public_url(None, "0.0.0.0:9000".parse().unwrap()), "http://127.0.0.1:9000");
        assert_eq!(public_url(Some("https://mitra.ap.gov.in/"), local), "https://mitra.ap.gov.in");
    }
}
