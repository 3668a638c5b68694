//! Exported inclusion proofs: everything needed to check, without the database, that an
//! entry is in the log a signed checkpoint commits to.

use super::checkpoint;
use super::record::Record;
use super::tree::{self, Hash};
use super::{Entry, LedgerError};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};

/// Format tag of a proof file.
pub const PROOF_FORMAT: &str = "verdict/ledger-inclusion-proof/v1";

/// Largest proof file read (a proof is a few KiB plus the record).
pub const MAX_PROOF_FILE_BYTES: usize = 8 * 1024 * 1024;

/// The JSON document `verdict ledger proof SEQ` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InclusionProof {
    pub format: String,
    pub seq: u64,
    pub tree_size: u64,
    /// The canonical record, exactly as hashed (a string, so its bytes survive re-encoding).
    pub record: String,
    /// base64 of the 32-byte leaf hash.
    pub leaf_hash: String,
    /// base64 of the 64-byte entry signature.
    pub signature: String,
    /// base64 hashes, leaf to root, as RFC 9162 section 2.1.3 orders them.
    pub proof: Vec<String>,
    /// The signed checkpoint the proof was made against.
    pub checkpoint: String,
}

/// What an offline proof check established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofOk {
    pub seq: u64,
    pub tree_size: u64,
    pub verdict: String,
    pub report_digest: String,
}

impl InclusionProof {
    pub fn new(entry: &Entry, tree_size: u64, proof: &[Hash], checkpoint: String) -> Self {
        InclusionProof {
            format: PROOF_FORMAT.to_string(),
            seq: entry.seq,
            tree_size,
            record: String::from_utf8_lossy(&entry.record_bytes).into_owned(),
            leaf_hash: B64.encode(entry.leaf_hash),
            signature: B64.encode(entry.signature),
            proof: proof.iter().map(|h| B64.encode(h.0)).collect(),
            checkpoint,
        }
    }

    pub fn from_json(bytes: &[u8]) -> Result<Self, LedgerError> {
        if bytes.len() > MAX_PROOF_FILE_BYTES {
            return Err(LedgerError::ProofFile(format!(
                "larger than {MAX_PROOF_FILE_BYTES} bytes"
            )));
        }
        let p: InclusionProof =
            serde_json::from_slice(bytes).map_err(|e| LedgerError::ProofFile(e.to_string()))?;
        if p.format != PROOF_FORMAT {
            return Err(LedgerError::ProofFile(format!(
                "format is {:?}, expected {PROOF_FORMAT:?}",
                p.format
            )));
        }
        Ok(p)
    }

    /// Checks the proof against `checkpoint_text` (a checkpoint the caller trusts, e.g. one
    /// saved earlier) signed by one of `trusted`; the entry must also be signed by one of them.
    /// Returns a human-readable reason on failure.
    pub fn verify(
        &self,
        checkpoint_text: &[u8],
        trusted: &[VerifyingKey],
    ) -> Result<ProofOk, String> {
        let origin = checkpoint::origin_of(checkpoint_text)
            .ok_or("the checkpoint is not a signed tlog checkpoint")?;
        let cp = checkpoint::verify(checkpoint_text, &origin, trusted)
            .map_err(|e| format!("checkpoint: {e}"))?;
        if cp.size != self.tree_size {
            return Err(format!(
                "the proof is for tree size {}, the checkpoint is for size {}; \
                 make the proof against this checkpoint's ledger state or pass the proof's own checkpoint",
                self.tree_size, cp.size
            ));
        }
        let record = Record::parse(self.record.as_bytes()).map_err(|e| format!("record: {e}"))?;
        if record.seq != self.seq {
            return Err(format!(
                "the record says seq {}, the proof says {}",
                record.seq, self.seq
            ));
        }
        let leaf = tree::leaf_hash(self.record.as_bytes());
        if B64.encode(leaf.0) != self.leaf_hash {
            return Err("leaf hash does not match the record".into());
        }
        let verifier = record.verifier_key().map_err(|e| e.to_string())?;
        if !trusted.contains(&verifier) {
            return Err(format!(
                "entry signed by {}, not a trusted key",
                record.verifier
            ));
        }
        let sig: [u8; 64] = B64
            .decode(&self.signature)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or("signature is not 64 base64 bytes")?;
        verifier
            .verify_strict(&tree::entry_message(&leaf), &Signature::from_bytes(&sig))
            .map_err(|_| "the entry signature does not verify".to_string())?;
        if self.proof.len() > tree::MAX_PROOF_HASHES {
            return Err("the proof has too many hashes".into());
        }
        let hashes = self
            .proof
            .iter()
            .map(|h| {
                B64.decode(h)
                    .ok()
                    .and_then(|b| tree::hash_from_slice(&b))
                    .ok_or_else(|| format!("proof hash {h:?} is not 32 base64 bytes"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        tree::check_inclusion(&hashes, cp.size, cp.root_hash(), self.seq, leaf)
            .map_err(|e| format!("inclusion proof does not verify against the checkpoint: {e}"))?;
        Ok(ProofOk {
            seq: self.seq,
            tree_size: cp.size,
            verdict: record.verdict.as_str().to_string(),
            report_digest: record.report.digest,
        })
    }
}
