//! Random tokens, their hashes, one-time codes, and encryption at rest.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use rand::{Rng, RngCore};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

const NONCE_BYTES: usize = 12;

/// A URL-safe random token of 256 bits (invitations, refresh, reset links).
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Tokens of 256 bits need no slow hash: SHA-256 is enough to make a stolen
/// table useless.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A six-digit code, uniformly random.
pub fn random_code() -> String {
    format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32))
}

/// A recovery code, e.g. `7KQM-2XRD-94TB`: 60 bits from an alphabet without
/// look-alike characters.
pub fn random_recovery_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::rngs::OsRng;
    let chars: Vec<char> = (0..12).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect();
    format!(
        "{}-{}-{}",
        chars[0..4].iter().collect::<String>(),
        chars[4..8].iter().collect::<String>(),
        chars[8..12].iter().collect::<String>()
    )
}

/// A fresh set of recovery codes: the codes to show once, and their hashes
/// to keep.
pub fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    let codes: Vec<String> = (0..ehc_domain::otp_policy::RECOVERY_CODE_COUNT).map(|_| random_recovery_code()).collect();
    let hashes = codes.iter().map(|c| hash_token(c)).collect();
    (codes, hashes)
}

pub fn normalise_recovery_code(raw: &str) -> String {
    let compact: String = raw.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    if compact.len() == 12 {
        format!("{}-{}-{}", &compact[0..4], &compact[4..8], &compact[8..12])
    } else {
        compact
    }
}

/// Keys the hub holds, built once from configuration.
#[derive(Clone)]
pub struct Keys {
    signing_key: SecretString,
    cipher: Aes256Gcm,
}

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("invalid key")]
    InvalidKey,
    #[error("cannot decrypt")]
    Decrypt,
}

impl Keys {
    pub fn new(signing_key: SecretString, encryption_key_b64: &SecretString) -> Result<Keys, CryptoError> {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(encryption_key_b64.expose_secret())
            .map_err(|_| CryptoError::InvalidKey)?;
        let cipher = Aes256Gcm::new_from_slice(&raw).map_err(|_| CryptoError::InvalidKey)?;
        Ok(Keys { signing_key, cipher })
    }

    pub fn signing_key(&self) -> &[u8] {
        self.signing_key.expose_secret().as_bytes()
    }

    /// A six-digit code has only a million values, so a plain hash would fall
    /// to a table; keying it with the server secret and the challenge id
    /// prevents that if the database leaks.
    pub fn hash_code(&self, challenge_id: &str, code: &str) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.signing_key());
        hasher.update(b"\x00otp\x00");
        hasher.update(challenge_id.as_bytes());
        hasher.update(b"\x00");
        hasher.update(code.as_bytes());
        hex::encode(hasher.finalize())
    }

    /// AES-256-GCM with a random nonce stored in front of the ciphertext.
    pub fn encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let ciphertext = self.cipher.encrypt(&Nonce::from(nonce), plaintext).map_err(|_| CryptoError::InvalidKey)?;
        let mut out = nonce.to_vec();
        out.extend_from_slice(&ciphertext);
        Ok(out)
    }

    pub fn decrypt(&self, stored: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if stored.len() <= NONCE_BYTES {
            return Err(CryptoError::Decrypt);
        }
        let (nonce, ciphertext) = stored.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| CryptoError::Decrypt)?;
        self.cipher.decrypt(&Nonce::from(nonce), ciphertext).map_err(|_| CryptoError::Decrypt)
    }
}

/// Compares secrets in constant time.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> Keys {
        Keys::new(
            SecretString::from("k".repeat(40)),
            &SecretString::from(base64::engine::general_purpose::STANDARD.encode([7u8; 32])),
        )
        .unwrap()
    }

    #[test]
    fn encryption_round_trips_and_detects_tampering() {
        let keys = keys();
        let mut stored = keys.encrypt(b"+447700900123").unwrap();
        assert_eq!(keys.decrypt(&stored).unwrap(), b"+447700900123");
        let last = stored.len() - 1;
        stored[last] ^= 1;
        assert!(keys.decrypt(&stored).is_err());
    }

    #[test]
    fn codes_are_six_digits_and_recovery_codes_normalise() {
        assert!(random_code().chars().all(|c| c.is_ascii_digit()) && random_code().len() == 6);
        let code = random_recovery_code();
        assert_eq!(normalise_recovery_code(&code.to_lowercase().replace('-', " ")), code);
    }

    #[test]
    fn code_hash_depends_on_challenge() {
        let keys = keys();
        assert_ne!(keys.hash_code("a", "123456"), keys.hash_code("b", "123456"));
    }
}
