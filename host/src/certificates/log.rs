//! The transparency log itself: certificates signed and appended in one
//! transaction ([`Store::log_append`]), signed checkpoints of its current
//! size, and the proofs a verifier asks for.

use std::sync::Arc;

use super::checkpoint::Checkpoint;
use super::keys::Keyring;
use super::merkle::{self, Hash};
use super::payload::{self, Claims, Signed};
use crate::store::Store;

/// The department name of the log's own signing key.
pub const LOG_KEY: &str = "transparency-log";

/// A log over one database, named `origin` (e.g. `mitra.ap.gov.in/certificates`).
#[derive(Clone, Debug)]
pub struct TransparencyLog {
    store: Store,
    origin: String,
    keys: Arc<Keyring>,
}

impl TransparencyLog {
    pub fn new(store: Store, origin: &str, keys: Arc<Keyring>) -> Self {
        Self { store, origin: origin.to_owned(), keys }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// This log read through [`Store::reader`]: the last commit's leaves,
    /// without waiting for the commit in progress.
    pub fn reading(&self) -> Self {
        Self { store: self.store.reader(), ..self.clone() }
    }

    /// The log's name, as its checkpoints are signed.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Signs `claims` with `department`'s active key and appends the signed
    /// certificate as the log's next leaf; `claims.log_index` is set to it.
    pub async fn issue(&self, department: &str, mut claims: Claims) -> anyhow::Result<Signed> {
        let key = self.keys.signer(department).ok_or_else(|| anyhow::anyhow!("{department} has no issuing key"))?;
        let mut signed = None;
        let serial = claims.serial.clone();
        self.store
            .log_append(&serial, |index| {
                claims.log_index = index;
                let s = payload::sign(&claims, key)?;
                let cose = s.cose.clone();
                signed = Some(s);
                Ok(cose)
            })
            .await?;
        signed.ok_or_else(|| anyhow::anyhow!("nothing was signed"))
    }

    /// A checkpoint of the log as it is now, signed by the log's key.
    pub async fn checkpoint(&self) -> anyhow::Result<String> {
        let key = self
            .keys
            .signer(LOG_KEY)
            .ok_or_else(|| anyhow::anyhow!("no {LOG_KEY} key: mitra keys generate {LOG_KEY}"))?;
        let leaves = self.store.log_leaves(u64::MAX >> 1).await?;
        let checkpoint =
            Checkpoint { origin: self.origin.clone(), size: leaves.len() as u64, root: merkle::root(&leaves) };
        Ok(checkpoint.sign(&self.origin, key))
    }

    /// The inclusion proof of leaf `index` in the tree of `size` leaves.
    pub async fn inclusion(&self, index: u64, size: u64) -> anyhow::Result<Option<Vec<Hash>>> {
        let leaves = self.store.log_leaves(size).await?;
        if (leaves.len() as u64) < size {
            return Ok(None);
        }
        Ok(merkle::inclusion_proof(&leaves, index as usize))
    }

    /// The consistency proof between the trees of `old` and `new` leaves.
    pub async fn consistency(&self, old: u64, new: u64) -> anyhow::Result<Option<Vec<Hash>>> {
        let leaves = self.store.log_leaves(new).await?;
        if (leaves.len() as u64) < new {
            return Ok(None);
        }
        Ok(merkle::consistency_proof(&leaves, old as usize))
    }
}
