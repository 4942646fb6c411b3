//! The plugin manifest (`plugin.toml`): identity and the capabilities an
//! operator grants. Nothing a manifest does not name is reachable from a plugin.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::error::{Error, Result};

/// The manifest's file name inside a plugin directory.
pub const MANIFEST_FILE: &str = "plugin.toml";

/// Default per-call deadline.
pub const DEFAULT_DEADLINE: Duration = Duration::from_millis(200);
/// Default memory cap of one instance.
pub const DEFAULT_MEMORY_MIB: u32 = 64;
/// The largest memory cap a manifest may ask for.
pub const MAX_MEMORY_MIB: u32 = 512;
/// The longest deadline a manifest may ask for.
pub const MAX_DEADLINE: Duration = Duration::from_secs(10);
/// Log lines one call may write by default, and the most a manifest may ask for.
pub const DEFAULT_LOG_LINES: u32 = 100;
pub const MAX_LOG_LINES: u32 = 1000;
/// Log bytes one call may write by default, and the most a manifest may ask for (KiB).
pub const DEFAULT_LOG_KIB: u32 = 64;
pub const MAX_LOG_KIB: u32 = 1024;

/// A parsed, validated `plugin.toml`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Department id; must match what the component's `describe` returns.
    pub id: String,
    /// The version (semver) of this build of the plugin.
    pub version: String,
    /// Path of the component, relative to the manifest.
    pub component: PathBuf,
    #[serde(default)]
    pub capabilities: Capabilities,
    /// Configuration the plugin reads with `config.get` (operator-set values
    /// from the plugin's `config.toml` override these vendor defaults).
    #[serde(default)]
    pub config: BTreeMap<String, String>,
}

/// What the plugin may use.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Capabilities {
    /// `host` or `host:port` entries the plugin may reach over HTTP. A bare
    /// host allows only the scheme's default port.
    #[serde(default)]
    pub allowed_hosts: Vec<String>,
    /// A directory of reference data, relative to the manifest, mounted
    /// read-only at `/data`.
    #[serde(default)]
    pub data_dir: Option<PathBuf>,
    /// Memory cap per call in MiB (default 64).
    #[serde(default)]
    pub memory_mib: Option<u32>,
    /// Deadline per call in milliseconds (default 200).
    #[serde(default)]
    pub deadline_ms: Option<u64>,
    /// Log lines one call may write (default 100, at most 1,000); past it
    /// lines are dropped and counted.
    #[serde(default)]
    pub log_lines: Option<u32>,
    /// Log bytes one call may write, in KiB (default 64, at most 1,024).
    #[serde(default)]
    pub log_kib: Option<u32>,
}

impl Manifest {
    /// Reads and checks the manifest in `dir`, resolving paths against `dir`.
    pub fn load(dir: &Path) -> Result<Self> {
        let path = dir.join(MANIFEST_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound { what: path.display().to_string() },
            _ => Error::InvalidManifest { path: path.clone(), reason: e.to_string() },
        })?;
        let mut manifest: Manifest =
            toml::from_str(&text).map_err(|e| Error::InvalidManifest { path: path.clone(), reason: e.to_string() })?;
        manifest.validate().map_err(|reason| Error::InvalidManifest { path: path.clone(), reason })?;
        manifest.component = dir.join(&manifest.component);
        if let Some(data) = &manifest.capabilities.data_dir {
            manifest.capabilities.data_dir = Some(dir.join(data));
        }
        let operator = dir.join("config.toml");
        if operator.exists() {
            let text = std::fs::read_to_string(&operator)
                .map_err(|e| Error::InvalidManifest { path: operator.clone(), reason: e.to_string() })?;
            let values: BTreeMap<String, String> = toml::from_str(&text)
                .map_err(|e| Error::InvalidManifest { path: operator.clone(), reason: e.to_string() })?;
            manifest.config.extend(values);
        }
        Ok(manifest)
    }

    /// Whether the package serves services written as definitions: its data
    /// directory holds a `department.toml` (see `sdk/declarative`). `dir` is
    /// the package directory, for a manifest whose paths are not resolved.
    pub fn declarative_data(&self, dir: &Path) -> Option<PathBuf> {
        let data = dir.join(self.capabilities.data_dir.as_ref()?);
        data.join(mitra_declarative::check::DEPARTMENT_FILE).is_file().then_some(data)
    }

    /// Checks a declarative package's definitions whole: every error with its
    /// file, line and reason. `Ok(false)` for a package of another kind.
    pub fn check_definitions(&self, dir: &Path) -> std::result::Result<bool, String> {
        let Some(data) = self.declarative_data(dir) else { return Ok(false) };
        mitra_declarative::load_dir(&data).map(|_| true).map_err(|errors| format!("definitions refused:\n{errors}"))
    }

    /// Checks the fields that need more than their type.
    pub fn validate(&self) -> Result<(), String> {
        if !is_slug(&self.id) {
            return Err(format!("id {:?} must be lowercase letters, digits and '-' (at most 40)", self.id));
        }
        if !is_semver(&self.version) {
            return Err(format!("version {:?} is not MAJOR.MINOR.PATCH", self.version));
        }
        if let Some(mib) = self.capabilities.memory_mib
            && !(1..=MAX_MEMORY_MIB).contains(&mib)
        {
            return Err(format!("memory_mib {mib} is outside 1..={MAX_MEMORY_MIB}"));
        }
        if let Some(ms) = self.capabilities.deadline_ms
            && !(1..=MAX_DEADLINE.as_millis() as u64).contains(&ms)
        {
            return Err(format!("deadline_ms {ms} is outside 1..={}", MAX_DEADLINE.as_millis()));
        }
        if let Some(lines) = self.capabilities.log_lines
            && !(1..=MAX_LOG_LINES).contains(&lines)
        {
            return Err(format!("log_lines {lines} is outside 1..={MAX_LOG_LINES}"));
        }
        if let Some(kib) = self.capabilities.log_kib
            && !(1..=MAX_LOG_KIB).contains(&kib)
        {
            return Err(format!("log_kib {kib} is outside 1..={MAX_LOG_KIB}"));
        }
        for host in &self.capabilities.allowed_hosts {
            if host.is_empty() || host.contains('/') || host.contains('@') || host.contains('*') {
                return Err(format!("allowed host {host:?} must be a plain host or host:port"));
            }
        }
        Ok(())
    }

    /// The per-call deadline.
    pub fn deadline(&self) -> Duration {
        self.capabilities.deadline_ms.map(Duration::from_millis).unwrap_or(DEFAULT_DEADLINE)
    }

    /// The log lines and bytes one call may write.
    pub fn log_budget(&self) -> (u32, usize) {
        let lines = self.capabilities.log_lines.unwrap_or(DEFAULT_LOG_LINES).min(MAX_LOG_LINES);
        let kib = self.capabilities.log_kib.unwrap_or(DEFAULT_LOG_KIB).min(MAX_LOG_KIB);
        (lines, kib as usize * 1024)
    }

    /// The per-call memory cap in bytes.
    pub fn memory_bytes(&self) -> usize {
        self.capabilities.memory_mib.unwrap_or(DEFAULT_MEMORY_MIB) as usize * 1024 * 1024
    }
}

/// Lowercase ASCII letters, digits and inner dashes, 1 to 40 characters.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 40
        && !s.starts_with('-')
        && !s.ends_with('-')
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `MAJOR.MINOR.PATCH`, then optionally `-pre.release` and `+build` of
/// dot-separated ASCII letters, digits and `-` (SemVer 2.0.0). Whatever
/// followed the `-` was once accepted, `/` and `..` included: the registry
/// names a directory after the version, so `1.0.0-/../../x` reached outside it.
fn is_semver(s: &str) -> bool {
    let identifiers = |part: &str| {
        part.split('.').all(|i| !i.is_empty() && i.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    };
    let (rest, build) = s.split_once('+').map_or((s, None), |(rest, build)| (rest, Some(build)));
    let (core, pre) = rest.split_once('-').map_or((rest, None), |(core, pre)| (core, Some(pre)));
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        && pre.is_none_or(identifiers)
        && build.is_none_or(identifiers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) {
        std::fs::write(dir.join(MANIFEST_FILE), text).unwrap();
    }

    #[test]
    fn manifest_paths_resolve_against_its_directory() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "id = \"revenue\"\nversion = \"1.2.0\"\ncomponent = \"revenue.wasm\"\n[capabilities]\ndata_dir = \"data\"\nallowed_hosts = [\"127.0.0.1:7801\"]\ndeadline_ms = 500\n",
        );
        let m = Manifest::load(dir.path()).unwrap();
        assert_eq!(m.component, dir.path().join("revenue.wasm"));
        assert_eq!(m.capabilities.data_dir, Some(dir.path().join("data")));
        assert_eq!(m.deadline(), Duration::from_millis(500));
        assert_eq!(m.memory_bytes(), 64 * 1024 * 1024);
    }

    #[test]
    fn operator_config_overrides_vendor_defaults() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "id = \"energy\"\nversion = \"0.1.0\"\ncomponent = \"e.wasm\"\n[config]\nbackend = \"http://vendor\"\nregion = \"south\"\n",
        );
        std::fs::write(dir.path().join("config.toml"), "backend = \"http://operator\"\n").unwrap();
        let m = Manifest::load(dir.path()).unwrap();
        assert_eq!(m.config["backend"], "http://operator");
        assert_eq!(m.config["region"], "south");
    }

    #[test]
    fn bad_manifests_are_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        for (text, needle) in [
            ("id = \"Revenue Dept\"\nversion = \"0.1.0\"\ncomponent = \"x.wasm\"\n", "lowercase"),
            ("id = \"rev\"\nversion = \"one\"\ncomponent = \"x.wasm\"\n", "MAJOR.MINOR.PATCH"),
            (
                "id = \"rev\"\nversion = \"0.1.0\"\ncomponent = \"x.wasm\"\n[capabilities]\nmemory_mib = 4096\n",
                "memory_mib",
            ),
            (
                "id = \"rev\"\nversion = \"0.1.0\"\ncomponent = \"x.wasm\"\n[capabilities]\nallowed_hosts = [\"*.gov.in\"]\n",
                "plain host",
            ),
            ("id = \"rev\"\nversion = \"0.1.0\"\ncomponent = \"x.wasm\"\nsurprise = 1\n", "unknown field"),
        ] {
            write(dir.path(), text);
            let err = Manifest::load(dir.path()).unwrap_err().to_string();
            assert!(err.contains(needle), "{err} should mention {needle}");
            assert!(err.contains("plugin.toml"), "{err} should name the file");
        }
    }

    #[test]
    fn a_version_is_semver_and_never_a_path() {
        for good in ["0.1.0", "1.2.3-rc.1", "1.2.3-alpha-2+build.7", "10.20.30+sha.5114f85"] {
            assert!(is_semver(good), "{good}");
        }
        for bad in
            ["1.0.0-/../../../tmp/x", "1.0.0-", "1.0.0+", "1.0.0-a..b", "1.0.0-a b", "1.0.0-a\nb", "1.2", "1.2.x"]
        {
            assert!(!is_semver(bad), "{bad}");
        }
    }

    #[test]
    fn a_missing_manifest_is_not_found() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(Manifest::load(dir.path()), Err(Error::NotFound { .. })));
    }
}

#[cfg(test)]
mod properties {
    use proptest::collection::{btree_map, vec};
    use proptest::option;
    use proptest::prelude::*;

    use super::*;

    /// A strategy of strings matching `pattern`, parsed once (a `&str`
    /// strategy parses its regex again for every case).
    fn re(pattern: &str) -> proptest::string::RegexGeneratorStrategy<String> {
        proptest::string::string_regex(pattern).unwrap()
    }

    fn slug() -> impl Strategy<Value = String> {
        re("[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?")
    }

    fn semver() -> impl Strategy<Value = String> {
        re(
            "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}(-[0-9A-Za-z-]{1,8}(\\.[0-9A-Za-z-]{1,8}){0,2})?(\\+[0-9A-Za-z-]{1,8}(\\.[0-9A-Za-z-]{1,8})?)?",
        )
    }

    /// A path inside the plugin directory.
    fn inside() -> impl Strategy<Value = PathBuf> {
        re("(\\./)?[A-Za-z0-9_-][A-Za-z0-9_.-]{0,11}(/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,11}){0,2}").prop_map(PathBuf::from)
    }

    /// An allow-list entry: a name, an IPv4 or a bracketed IPv6 address, a port or none.
    fn host() -> impl Strategy<Value = String> {
        let name = prop_oneof![
            re("[a-zA-Z0-9-]{1,20}(\\.[a-zA-Z0-9-]{1,20}){0,3}"),
            re("[0-9]{1,3}(\\.[0-9]{1,3}){3}"),
            re("\\[[0-9a-f:]{2,20}\\]"),
        ];
        (name, option::of(any::<u16>())).prop_map(|(name, port)| match port {
            Some(port) => format!("{name}:{port}"),
            None => name,
        })
    }

    fn manifest() -> impl Strategy<Value = Manifest> {
        (
            slug(),
            semver(),
            inside(),
            vec(host(), 0..4),
            option::of(inside()),
            option::of(1..=MAX_MEMORY_MIB),
            option::of(1..=MAX_DEADLINE.as_millis() as u64),
            (option::of(1..=MAX_LOG_LINES), option::of(1..=MAX_LOG_KIB)),
            // Any characters, control ones included.
            btree_map(vec(any::<char>(), 0..12), vec(any::<char>(), 0..16), 0..4)
                .prop_map(|m| m.into_iter().map(|(k, v)| (k.into_iter().collect(), v.into_iter().collect())).collect()),
        )
            .prop_map(
                |(
                    id,
                    version,
                    component,
                    allowed_hosts,
                    data_dir,
                    memory_mib,
                    deadline_ms,
                    (log_lines, log_kib),
                    config,
                )| {
                    Manifest {
                        id,
                        version,
                        component,
                        capabilities: Capabilities {
                            allowed_hosts,
                            data_dir,
                            memory_mib,
                            deadline_ms,
                            log_lines,
                            log_kib,
                        },
                        config,
                    }
                },
            )
    }

    /// A manifest's text with one edit: a character replaced, inserted or removed.
    fn edited() -> impl Strategy<Value = String> {
        (manifest(), any::<prop::sample::Index>(), prop_oneof![Just(None), any::<char>().prop_map(Some)], any::<bool>())
            .prop_map(|(manifest, at, c, replace)| {
                let mut chars: Vec<char> = toml::to_string(&manifest).unwrap().chars().collect();
                let at = at.index(chars.len().max(1)).min(chars.len());
                match (c, replace && at < chars.len()) {
                    (Some(c), true) => chars[at] = c,
                    (Some(c), false) => chars.insert(at, c),
                    (None, _) if at < chars.len() => {
                        chars.remove(at);
                    }
                    (None, _) => {}
                }
                chars.into_iter().collect()
            })
    }

    /// The rules, said again independently of [`Manifest::validate`].
    fn obeys_the_rules(m: &Manifest) -> Result<(), String> {
        let id_ok = (1..=40).contains(&m.id.len())
            && m.id.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
            && !m.id.starts_with('-')
            && !m.id.ends_with('-');
        // SemVer 2.0.0: three numbers, then optional `-` and `+` parts of
        // dot-separated, non-empty ASCII alphanumeric-and-dash identifiers.
        let (rest, build) = m.version.split_once('+').map_or((m.version.as_str(), None), |(r, b)| (r, Some(b)));
        let (core, pre) = rest.split_once('-').map_or((rest, None), |(c, p)| (c, Some(p)));
        let identifiers =
            |s: &str| s.split('.').all(|i| !i.is_empty() && i.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        let version_ok = core.split('.').count() == 3
            && core.split('.').all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            && pre.is_none_or(identifiers)
            && build.is_none_or(identifiers);
        let memory_ok = m.capabilities.memory_mib.is_none_or(|mib| (1..=512).contains(&mib));
        let deadline_ok = m.capabilities.deadline_ms.is_none_or(|ms| (1..=10_000).contains(&ms));
        let hosts_ok = m.capabilities.allowed_hosts.iter().all(|h| !h.is_empty() && !h.contains(['/', '@', '*']));
        match (id_ok, version_ok, memory_ok, deadline_ok, hosts_ok) {
            (true, true, true, true, true) => Ok(()),
            broken => Err(format!("{broken:?}")),
        }
    }

    /// One rule broken.
    #[derive(Clone, Debug)]
    enum Broken {
        Id(String),
        Version(String),
        Memory(u32),
        Deadline(u64),
        Host(String),
    }

    impl Broken {
        /// `manifest` with this rule broken, and the field its refusal must name.
        fn apply(self, mut manifest: Manifest) -> (&'static str, Manifest) {
            let field = match self {
                Broken::Id(id) => {
                    manifest.id = id;
                    "id"
                }
                Broken::Version(version) => {
                    manifest.version = version;
                    "version"
                }
                Broken::Memory(mib) => {
                    manifest.capabilities.memory_mib = Some(mib);
                    "memory_mib"
                }
                Broken::Deadline(ms) => {
                    manifest.capabilities.deadline_ms = Some(ms);
                    "deadline_ms"
                }
                Broken::Host(host) => {
                    manifest.capabilities.allowed_hosts.push(host);
                    "allowed host"
                }
            };
            (field, manifest)
        }
    }

    fn broken() -> impl Strategy<Value = (&'static str, Manifest)> {
        let id = prop_oneof![
            Just(String::new()),
            "[a-z0-9-]{41,60}",
            "-[a-z0-9-]{0,10}",
            "[a-z0-9-]{0,10}-",
            "[a-z0-9-]{0,5}[A-Z _./:\u{e9}\u{c05}][a-z0-9-]{0,5}",
        ];
        let version = prop_oneof![
            "[0-9]{1,3}(\\.[0-9]{1,3})?",
            "[0-9]{1,3}(\\.[0-9]{1,3}){3,4}",
            "[0-9]{0,2}[a-zA-Z ][0-9.]{0,4}",
            "[0-9]\\.[0-9]\\.[0-9][-+]",
            "[0-9]\\.[0-9]\\.[0-9]-[a-z]{0,3}\\.\\.[a-z]{0,3}",
            "[0-9]\\.[0-9]\\.[0-9][-+][0-9A-Za-z.-]{0,6}[^0-9A-Za-z.+-][0-9A-Za-z.-]{0,6}",
            "[0-9]\\.[0-9]\\.[0-9]-(/|\\.\\./)+[a-z]{0,8}",
        ];
        let rule = prop_oneof![
            id.prop_map(Broken::Id),
            version.prop_map(Broken::Version),
            prop_oneof![Just(0), MAX_MEMORY_MIB + 1..].prop_map(Broken::Memory),
            prop_oneof![Just(0), MAX_DEADLINE.as_millis() as u64 + 1..].prop_map(Broken::Deadline),
            prop_oneof![Just(String::new()), "\\PC{0,10}[/@*]\\PC{0,10}"].prop_map(Broken::Host),
        ];
        (manifest(), rule).prop_map(|(manifest, rule)| rule.apply(manifest))
    }

    proptest! {
        #[test]
        fn any_text_is_read_or_refused_without_a_panic(text in prop_oneof!["\\PC{0,300}", edited()]) {
            if let Ok(manifest) = toml::from_str::<Manifest>(&text)
                && manifest.validate().is_ok()
            {
                prop_assert_eq!(obeys_the_rules(&manifest), Ok(()), "accepted:\n{}", text);
            }
        }

        #[test]
        fn a_valid_manifest_writes_out_and_reads_back_the_same(manifest in manifest()) {
            prop_assert_eq!(manifest.validate(), Ok(()));
            let text = toml::to_string(&manifest).unwrap();
            let read: Manifest = toml::from_str(&text).unwrap();
            prop_assert_eq!(&read, &manifest);
            prop_assert_eq!(read.deadline(), manifest.capabilities.deadline_ms.map_or(DEFAULT_DEADLINE, Duration::from_millis));
            prop_assert!(read.deadline() <= MAX_DEADLINE);
            prop_assert!(read.memory_bytes() <= MAX_MEMORY_MIB as usize * 1024 * 1024);
        }

        #[test]
        fn a_manifest_breaking_a_rule_is_refused_naming_the_field((field, manifest) in broken()) {
            let error = manifest.validate().unwrap_err();
            prop_assert!(error.contains(field), "{:?} refused with {:?}", field, error);
            // Read from its text, the same.
            if let Ok(text) = toml::to_string(&manifest) {
                let read: Manifest = toml::from_str(&text).unwrap();
                prop_assert!(read.validate().is_err());
            }
        }

        #[test]
        fn anything_accepted_as_a_version_is_semver_and_one_path_name(version in "\\PC{0,16}|[0-9]\\.[0-9]\\.[0-9][-+]\\PC{0,12}") {
            let manifest = Manifest {
                id: "x".into(),
                version,
                component: "x.wasm".into(),
                capabilities: Capabilities::default(),
                config: BTreeMap::new(),
            };
            if manifest.validate().is_ok() {
                prop_assert_eq!(obeys_the_rules(&manifest), Ok(()));
                // The registry names a directory `<version>-<sha256 prefix>`.
                let dir = PathBuf::from(format!("{}-0123456789ab", manifest.version));
                prop_assert!(matches!(dir.components().collect::<Vec<_>>()[..], [std::path::Component::Normal(_)]), "{:?}", dir);
            }
        }
    }
}
