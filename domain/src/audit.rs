//! The tamper-evident audit chain. Every entry's hash covers its own fields
//! and the previous entry's hash: changing, removing or inserting a row
//! anywhere breaks every hash after it, and `ChainVerifier` says where.

use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One audit entry as stored. `at` is RFC 3339 text so that both database
/// backends hash the same bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFields<'a> {
    pub seq: i64,
    pub at: &'a str,
    pub actor_user_id: Option<&'a str>,
    pub action: &'a str,
    pub case_id: Option<&'a str>,
    pub subject_id: Option<&'a str>,
    pub request_id: Option<&'a str>,
}

/// SHA-256 of the previous hash and every field, each length-prefixed so no
/// two different entries can be written as the same bytes.
pub fn entry_hash(prev_hash: &str, fields: &AuditFields<'_>) -> String {
    let mut hasher = Sha256::new();
    let seq = fields.seq.to_string();
    let parts = [
        Some(prev_hash),
        Some(seq.as_str()),
        Some(fields.at),
        fields.actor_user_id,
        Some(fields.action),
        fields.case_id,
        fields.subject_id,
        fields.request_id,
    ];
    for part in parts {
        match part {
            Some(text) => {
                hasher.update((text.len() as u64).to_be_bytes());
                hasher.update(text.as_bytes());
            }
            None => hasher.update(u64::MAX.to_be_bytes()),
        }
    }
    hex::encode(hasher.finalize())
}

/// Where and why a chain is broken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// An entry is missing (or one was inserted with a wrong number).
    Gap { expected_seq: i64, found_seq: i64 },
    /// The entry does not point at the hash of the one before it.
    WrongLink { seq: i64 },
    /// The entry's contents no longer match its own hash.
    AlteredEntry { seq: i64 },
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Gap { expected_seq, found_seq } => {
                write!(f, "entry {expected_seq} is missing (the next entry found is {found_seq})")
            }
            Self::WrongLink { seq } => {
                write!(f, "entry {seq} does not follow the entry before it (previous hash differs)")
            }
            Self::AlteredEntry { seq } => {
                write!(f, "entry {seq} was changed after it was written (its hash does not match its contents)")
            }
        }
    }
}

/// Checks entries one at a time, in order, so a log of any length can be
/// verified in constant memory.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    next_seq: i64,
    prev_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier { next_seq: 1, prev_hash: GENESIS.to_owned() }
    }
}

impl ChainVerifier {
    pub fn check(&mut self, fields: &AuditFields<'_>, prev_hash: &str, hash: &str) -> Result<(), ChainBreak> {
        if fields.seq != self.next_seq {
            return Err(ChainBreak::Gap { expected_seq: self.next_seq, found_seq: fields.seq });
        }
        if prev_hash != self.prev_hash {
            return Err(ChainBreak::WrongLink { seq: fields.seq });
        }
        if entry_hash(prev_hash, fields) != hash {
            return Err(ChainBreak::AlteredEntry { seq: fields.seq });
        }
        self.next_seq += 1;
        hash.clone_into(&mut self.prev_hash);
        Ok(())
    }

    /// How many entries have been checked.
    pub fn checked(&self) -> i64 {
        self.next_seq - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: i64, action: &str) -> AuditFields<'_> {
        AuditFields {
            seq,
            at: "2026-11-23T10:00:00Z",
            actor_user_id: Some("u1"),
            action,
            case_id: Some("c1"),
            subject_id: None,
            request_id: Some("r1"),
        }
    }

    fn chain(actions: &[&'static str]) -> Vec<(AuditFields<'static>, String, String)> {
        let mut prev = GENESIS.to_owned();
        let mut out = Vec::new();
        for (i, action) in actions.iter().enumerate() {
            let fields = entry(i as i64 + 1, action);
            let hash = entry_hash(&prev, &fields);
            out.push((fields, prev.clone(), hash.clone()));
            prev = hash;
        }
        out
    }

    fn verify(entries: &[(AuditFields<'_>, String, String)]) -> Result<i64, ChainBreak> {
        let mut verifier = ChainVerifier::default();
        for (fields, prev, hash) in entries {
            verifier.check(fields, prev, hash)?;
        }
        Ok(verifier.checked())
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert_eq!(verify(&chain(&["case.read", "advice.save", "advice.submit"])), Ok(3));
    }

    #[test]
    fn a_changed_field_is_found_at_its_entry() {
        let mut entries = chain(&["case.read", "advice.save", "advice.submit"]);
        entries[1].0.action = "case.read";
        assert_eq!(verify(&entries), Err(ChainBreak::AlteredEntry { seq: 2 }));
    }

    #[test]
    fn a_removed_entry_is_a_gap() {
        let mut entries = chain(&["case.read", "advice.save", "advice.submit"]);
        entries.remove(1);
        assert_eq!(verify(&entries), Err(ChainBreak::Gap { expected_seq: 2, found_seq: 3 }));
    }

    #[test]
    fn a_rehashed_entry_still_breaks_the_next_link() {
        let mut entries = chain(&["case.read", "advice.save", "advice.submit"]);
        entries[1].0.action = "case.read";
        entries[1].2 = entry_hash(&entries[1].1, &entries[1].0);
        assert_eq!(verify(&entries), Err(ChainBreak::WrongLink { seq: 3 }));
    }

    #[test]
    fn absent_and_empty_fields_hash_differently() {
        let mut a = entry(1, "x");
        a.subject_id = Some("");
        assert_ne!(entry_hash(GENESIS, &a), entry_hash(GENESIS, &entry(1, "x")));
    }
}
