//! The RFC 6962 / RFC 9162 Merkle tree of the ledger, through `tlog_tiles` (a port of Go's
//! `golang.org/x/mod/sumdb/tlog`): leaf hashes, the stored-hash layout, tree hashes, and
//! proof checking with the input guards that keep `tlog_tiles`' internal asserts unreachable.

use rusqlite::{Connection, OptionalExtension};
use tlog_tiles::tlog::{self, HashReader};
pub use tlog_tiles::tlog::{HASH_SIZE, Hash};

/// Longest proof we will run: a tree of 2^64 leaves needs 64 hashes per proof, and
/// `tlog_tiles` runs proofs recursively, so longer input is refused up front.
pub const MAX_PROOF_HASHES: usize = 64;

/// Domain separation for entry signatures: a ledger entry signature can never be mistaken
/// for a report signature or a checkpoint note signature made with the same key.
pub const ENTRY_SIGNATURE_DOMAIN: &[u8] = b"verdict/ledger/entry/v1\n";

/// Leaf hash of a record: SHA-256(0x00 || record bytes) (RFC 6962 section 2.1).
pub fn leaf_hash(record: &[u8]) -> Hash {
    tlog::record_hash(record)
}

/// The message the verifier signs for an entry: the domain, then the 32 leaf-hash bytes.
pub fn entry_message(leaf: &Hash) -> [u8; 24 + HASH_SIZE] {
    let mut m = [0u8; 24 + HASH_SIZE];
    m[..24].copy_from_slice(ENTRY_SIGNATURE_DOMAIN);
    m[24..].copy_from_slice(&leaf.0);
    m
}

pub fn hash_from_slice(bytes: &[u8]) -> Option<Hash> {
    Some(Hash(bytes.try_into().ok()?))
}

/// Stored hashes read from the `hashes` table (works inside a transaction too).
pub struct SqlHashes<'c>(pub &'c Connection);

impl HashReader for SqlHashes<'_> {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog::Error> {
        let mut stmt = self
            .0
            .prepare_cached("SELECT hash FROM hashes WHERE idx = ?1")
            .map_err(|e| tlog::Error::InvalidInput(e.to_string()))?;
        let mut out = Vec::with_capacity(indexes.len());
        for &i in indexes {
            let idx = i64::try_from(i).map_err(|_| tlog::Error::IndexesNotInTree)?;
            let bytes: Option<Vec<u8>> = stmt
                .query_row([idx], |r| r.get(0))
                .optional()
                .map_err(|e| tlog::Error::InvalidInput(e.to_string()))?;
            let hash = bytes
                .as_deref()
                .and_then(hash_from_slice)
                .ok_or(tlog::Error::IndexesNotInTree)?;
            out.push(hash);
        }
        Ok(out)
    }
}

/// Stored hashes held in memory, indexed by stored-hash index (audits and bulk builds).
#[derive(Default)]
pub struct MemHashes(pub Vec<Hash>);

impl HashReader for MemHashes {
    fn read_hashes(&self, indexes: &[u64]) -> Result<Vec<Hash>, tlog::Error> {
        indexes
            .iter()
            .map(|&i| {
                usize::try_from(i)
                    .ok()
                    .and_then(|i| self.0.get(i).copied())
                    .ok_or(tlog::Error::IndexesNotInTree)
            })
            .collect()
    }
}

impl MemHashes {
    /// Appends leaf `n` (which must be the next one) and returns the hashes it stored.
    pub fn push_leaf(&mut self, n: u64, leaf: Hash) -> Result<Vec<Hash>, tlog::Error> {
        let new = tlog::stored_hashes_for_record_hash(n, leaf, self)?;
        self.0.extend_from_slice(&new);
        Ok(new)
    }
}

/// The right edge of a tree: the roots of its maximal complete subtrees, largest first (one
/// per set bit of the size). Appending a leaf and computing the root need nothing else, so an
/// audit can check any stretch of the log given the frontier where that stretch starts,
/// instead of replaying the whole log on one thread.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frontier {
    size: u64,
    hashes: Vec<Hash>,
}

impl Frontier {
    /// Number of leaves in the tree.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Appends leaf number `self.size()` with hash `leaf`, writing into `stored` the hashes this
    /// append stores in tlog's layout (the leaf, then each completed parent bottom-up, at
    /// consecutive indexes from [`stored_hash_index`]`(size)`).
    pub fn push(&mut self, leaf: Hash, stored: &mut Vec<Hash>) {
        stored.clear();
        stored.push(leaf);
        let mut h = leaf;
        // Each trailing 1 bit of the old size is a complete subtree of the leaf's height
        // that the new leaf's subtree now completes into its parent.
        for _ in 0..self.size.trailing_ones() {
            let Some(left) = self.hashes.pop() else { break };
            h = tlog::node_hash(left, h);
            stored.push(h);
        }
        self.hashes.push(h);
        self.size += 1;
    }

    /// The frontier after an append whose stored hashes were `stored` (as [`Frontier::push`]
    /// writes them), taking them as given instead of recomputing them: the audit's reader
    /// follows the stored tree this way, and the chunk that owns those hashes checks them.
    pub fn push_stored(&mut self, stored: &[Hash]) {
        let merged = self.size.trailing_ones() as usize;
        self.hashes
            .truncate(self.hashes.len().saturating_sub(merged));
        if let Some(top) = stored.last() {
            self.hashes.push(*top);
        }
        self.size += 1;
    }

    /// RFC 6962 root of the tree: the subtree roots folded from the smallest (rightmost) up.
    /// `None` for the empty tree, which no checkpoint commits to.
    pub fn root(&self) -> Option<Hash> {
        let (last, rest) = self.hashes.split_last()?;
        Some(
            rest.iter()
                .rev()
                .fold(*last, |r, &left| tlog::node_hash(left, r)),
        )
    }
}

pub fn stored_hash_index(n: u64) -> u64 {
    tlog::stored_hash_index(0, n)
}

pub fn stored_hash_count(n: u64) -> u64 {
    tlog::stored_hash_count(n)
}

/// Verifies that `proof` shows leaf `index` with hash `leaf` in the tree of `size` leaves
/// with root `root`. Any malformed input is an error, never a panic.
pub fn check_inclusion(
    proof: &[Hash],
    size: u64,
    root: Hash,
    index: u64,
    leaf: Hash,
) -> Result<(), tlog::Error> {
    if index >= size {
        return Err(tlog::Error::InvalidInput("leaf index >= tree size".into()));
    }
    if proof.len() > MAX_PROOF_HASHES {
        return Err(tlog::Error::InvalidProof);
    }
    tlog::check_record(&proof.to_vec(), size, root, index, leaf)
}

/// Verifies that `proof` shows the tree (`old_size`, `old_root`) is a prefix of the tree
/// (`new_size`, `new_root`). Equal sizes need an empty proof and equal roots; a size of 0
/// is refused (consistency with the empty tree proves nothing).
pub fn check_consistency(
    proof: &[Hash],
    old_size: u64,
    old_root: Hash,
    new_size: u64,
    new_root: Hash,
) -> Result<(), tlog::Error> {
    let proof: Vec<&[u8]> = proof.iter().map(|h| &h.0[..]).collect();
    check_consistency_bytes(&proof, old_size, &old_root.0, new_size, &new_root.0)
}

/// [`check_consistency`] on undecoded hashes, as they come from files: equal sizes compare
/// the roots byte for byte (whatever their length); otherwise every hash must be 32 bytes.
pub fn check_consistency_bytes(
    proof: &[&[u8]],
    old_size: u64,
    old_root: &[u8],
    new_size: u64,
    new_root: &[u8],
) -> Result<(), tlog::Error> {
    if old_size == 0 || old_size > new_size {
        return Err(tlog::Error::InvalidInput(
            "need 1 <= old size <= new size".into(),
        ));
    }
    if proof.len() > MAX_PROOF_HASHES {
        return Err(tlog::Error::InvalidProof);
    }
    if old_size == new_size {
        return if proof.is_empty() && old_root == new_root {
            Ok(())
        } else {
            Err(tlog::Error::InvalidProof)
        };
    }
    let decode = |b: &[u8]| hash_from_slice(b).ok_or(tlog::Error::MalformedHash);
    let hashes = proof
        .iter()
        .map(|b| decode(b))
        .collect::<Result<Vec<_>, _>>()?;
    tlog::check_tree(
        &hashes,
        new_size,
        decode(new_root)?,
        old_size,
        decode(old_root)?,
    )
}

pub fn prove_inclusion<R: HashReader>(
    size: u64,
    index: u64,
    r: &R,
) -> Result<Vec<Hash>, tlog::Error> {
    if index >= size {
        return Err(tlog::Error::InvalidInput("leaf index >= tree size".into()));
    }
    tlog::prove_record(size, index, r)
}

pub fn prove_consistency<R: HashReader>(
    new_size: u64,
    old_size: u64,
    r: &R,
) -> Result<Vec<Hash>, tlog::Error> {
    if old_size == 0 || old_size > new_size {
        return Err(tlog::Error::InvalidInput(
            "need 1 <= old size <= new size".into(),
        ));
    }
    tlog::prove_tree(new_size, old_size, r)
}

pub fn tree_hash<R: HashReader>(size: u64, r: &R) -> Result<Hash, tlog::Error> {
    tlog::tree_hash(size, r)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The frontier appends and roots exactly what tlog's stored-hash functions do, and
    /// following the stored hashes (`push_stored`) lands on the same frontier.
    #[test]
    fn frontier_matches_tlog_stored_hashes_and_roots() {
        let mut mem = MemHashes::default();
        let mut computed = Frontier::default();
        let mut followed = Frontier::default();
        let mut stored = Vec::new();
        assert_eq!(computed.root(), None);
        for n in 0..300u64 {
            let leaf = leaf_hash(&n.to_be_bytes());
            let want = mem.push_leaf(n, leaf).unwrap();
            computed.push(leaf, &mut stored);
            assert_eq!(stored, want, "stored hashes of leaf {n}");
            assert_eq!(
                stored.len() as u64,
                stored_hash_index(n + 1) - stored_hash_index(n)
            );
            followed.push_stored(&want);
            assert_eq!(followed, computed, "frontier after leaf {n}");
            assert_eq!(computed.size(), n + 1);
            assert_eq!(computed.root(), Some(tree_hash(n + 1, &mem).unwrap()));
        }
    }
}
