//! The Merkle tree of the certificate transparency log, exactly as RFC 6962
//! §2.1 and RFC 9162 §2.1 define it, so that any CT tooling (or a dozen
//! lines of hashing in another language) can check Mitra's proofs.
//!
//! - leaf hash: SHA-256(0x00 ‖ entry); interior node: SHA-256(0x01 ‖ left ‖ right)
//! - the tree over n leaves splits at k, the largest power of two below n
//! - an inclusion proof is the audit path PATH(m, D[n]); a consistency proof
//!   between sizes m ≤ n is PROOF(m, D[n]); both verified with RFC 9162's
//!   iterative algorithms (§2.1.3.2, §2.1.4.2), which need only the sizes,
//!   the hashes and the proof.
//!
//! The functions here work over the leaf hashes of the tree (O(n) hashing
//! for a root or a proof); verification is O(log n).

use sha2::{Digest, Sha256};

/// A SHA-256 hash.
pub type Hash = [u8; 32];

/// The hash of a log entry's bytes.
pub fn leaf_hash(entry: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(entry);
    h.finalize().into()
}

/// The hash of an interior node.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The largest power of two smaller than `n` (n ≥ 2).
fn split(n: usize) -> usize {
    debug_assert!(n >= 2);
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// MTH(D[n]): the root hash of the tree whose leaves hash to `leaves`.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => Sha256::digest([]).into(),
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// PATH(index, D[n]): the hashes that prove leaf `index` is in the tree.
pub fn inclusion_proof(leaves: &[Hash], index: usize) -> Option<Vec<Hash>> {
    fn path(leaves: &[Hash], m: usize, out: &mut Vec<Hash>) {
        let n = leaves.len();
        if n <= 1 {
            return;
        }
        let k = split(n);
        if m < k {
            path(&leaves[..k], m, out);
            out.push(root(&leaves[k..]));
        } else {
            path(&leaves[k..], m - k, out);
            out.push(root(&leaves[..k]));
        }
    }
    (index < leaves.len()).then(|| {
        let mut out = Vec::new();
        path(leaves, index, &mut out);
        out
    })
}

/// PROOF(old_size, D[n]): the hashes that prove the tree of the first
/// `old_size` leaves is a prefix of the tree of all of them.
pub fn consistency_proof(leaves: &[Hash], old_size: usize) -> Option<Vec<Hash>> {
    fn subproof(leaves: &[Hash], m: usize, complete: bool, out: &mut Vec<Hash>) {
        let n = leaves.len();
        if m == n {
            if !complete {
                out.push(root(leaves));
            }
            return;
        }
        let k = split(n);
        if m <= k {
            subproof(&leaves[..k], m, complete, out);
            out.push(root(&leaves[k..]));
        } else {
            subproof(&leaves[k..], m - k, false, out);
            out.push(root(&leaves[..k]));
        }
    }
    (old_size <= leaves.len()).then(|| {
        let mut out = Vec::new();
        if old_size > 0 && old_size < leaves.len() {
            subproof(leaves, old_size, true, &mut out);
        }
        out
    })
}

/// RFC 9162 §2.1.3.2: whether `proof` shows `leaf` at `index` in the tree of
/// `size` leaves with root `root`.
pub fn verify_inclusion(index: u64, size: u64, leaf: &Hash, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut f_n, mut s_n) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if s_n == 0 {
            return false;
        }
        if f_n & 1 == 1 || f_n == s_n {
            r = node_hash(p, &r);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    s_n == 0 && r == *root
}

/// RFC 9162 §2.1.4.2: whether `proof` shows the tree of `old_size` leaves
/// (root `old_root`) is a prefix of the tree of `new_size` (root `new_root`).
pub fn verify_consistency(old_size: u64, new_size: u64, old_root: &Hash, new_root: &Hash, proof: &[Hash]) -> bool {
    if old_size > new_size {
        return false;
    }
    if old_size == new_size {
        return proof.is_empty() && old_root == new_root;
    }
    if old_size == 0 {
        // Every tree extends the empty one; there is nothing to prove.
        return proof.is_empty();
    }
    // A power-of-two old tree is its own first proof node.
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old_size.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);
    let Some((first, rest)) = path.split_first() else { return false };
    let (mut f_n, mut s_n) = (old_size - 1, new_size - 1);
    while f_n & 1 == 1 {
        f_n >>= 1;
        s_n >>= 1;
    }
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if s_n == 0 {
            return false;
        }
        if f_n & 1 == 1 || f_n == s_n {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if f_n & 1 == 0 {
                while f_n & 1 == 0 && f_n != 0 {
                    f_n >>= 1;
                    s_n >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f_n >>= 1;
        s_n >>= 1;
    }
    fr == *old_root && sr == *new_root && s_n == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: usize) -> Vec<Hash> {
        (0..n).map(|i| leaf_hash(format!("certificate {i}").as_bytes())).collect()
    }

    fn hex(h: &Hash) -> String {
        h.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn hashes_are_rfc_6962s() {
        // The empty tree is SHA-256 of nothing; a leaf is prefixed with 0x00.
        assert_eq!(hex(&root(&[])), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(hex(&leaf_hash(b"")), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
        let l = leaves(3);
        assert_eq!(root(&l), node_hash(&node_hash(&l[0], &l[1]), &l[2]), "splits at the largest power of two below n");
    }

    #[test]
    fn every_leaf_of_every_size_proves_its_inclusion_and_nothing_else_does() {
        for n in 1..=33 {
            let l = leaves(n);
            let r = root(&l);
            for i in 0..n {
                let proof = inclusion_proof(&l, i).unwrap();
                assert!(verify_inclusion(i as u64, n as u64, &l[i], &proof, &r), "leaf {i} of {n}");
                let other = leaf_hash(b"forged");
                assert!(!verify_inclusion(i as u64, n as u64, &other, &proof, &r));
                if n > 1 {
                    assert!(!verify_inclusion(((i + 1) % n) as u64, n as u64, &l[i], &proof, &r), "wrong index");
                }
            }
            assert!(inclusion_proof(&l, n).is_none());
        }
    }

    #[test]
    fn every_prefix_proves_consistency_and_a_rewritten_history_does_not() {
        for n in 1..=33 {
            let l = leaves(n);
            let new_root = root(&l);
            for m in 0..=n {
                let old_root = root(&l[..m]);
                let proof = consistency_proof(&l, m).unwrap();
                assert!(verify_consistency(m as u64, n as u64, &old_root, &new_root, &proof), "{m} → {n}");
                if m > 0 && m < n {
                    // The old tree with one entry changed: a rewritten log.
                    let mut rewritten = l[..m].to_vec();
                    rewritten[0] = leaf_hash(b"back-dated");
                    assert!(!verify_consistency(m as u64, n as u64, &root(&rewritten), &new_root, &proof));
                    // A log truncated to m-1 and regrown does not prove m.
                    assert!(!verify_consistency(m as u64, n as u64, &old_root, &root(&l[..n - 1]), &proof));
                }
            }
        }
    }
}
