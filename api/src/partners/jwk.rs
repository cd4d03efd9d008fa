//! The public keys a client may register for private_key_jwt (RFC 7523):
//! RSA of at least 2048 bits or an EC P-256 key, public parts only. A
//! symmetric key would be a shared secret by another name, and a private
//! key sent to us would already be compromised.

use base64::Engine;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk};
use jsonwebtoken::{Algorithm, DecodingKey};

/// A registered key and the algorithms an assertion signed by it may use.
pub struct ClientKey {
    pub key: DecodingKey,
    pub algorithms: Vec<Algorithm>,
}

/// Checks a JWK as registered; the reason it is refused, in words.
pub fn check(value: &serde_json::Value) -> Result<Jwk, &'static str> {
    let object = value.as_object().ok_or("must be a JSON Web Key (an object)")?;
    if ["d", "p", "q", "dp", "dq", "qi", "k"].iter().any(|private| object.contains_key(*private)) {
        return Err("must be the public key only: it carries private or secret parts");
    }
    let jwk: Jwk = serde_json::from_value(value.clone()).map_err(|_| "is not a JSON Web Key (RFC 7517)")?;
    match &jwk.algorithm {
        AlgorithmParameters::RSA(rsa) => {
            let modulus =
                base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&rsa.n).map_err(|_| "has an unreadable n")?;
            let bits = modulus.iter().skip_while(|b| **b == 0).count() * 8;
            if bits < 2048 {
                return Err("is an RSA key shorter than 2048 bits");
            }
        }
        AlgorithmParameters::EllipticCurve(ec) if ec.curve == EllipticCurve::P256 => {}
        _ => return Err("must be an RSA key or an EC key on P-256"),
    }
    DecodingKey::from_jwk(&jwk).map_err(|_| "is not a usable public key")?;
    Ok(jwk)
}

/// The stored key, ready to verify an assertion.
pub fn client_key(stored: &str) -> Option<ClientKey> {
    let jwk: Jwk = serde_json::from_str(stored).ok()?;
    let algorithms = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => vec![Algorithm::RS256, Algorithm::RS384, Algorithm::RS512, Algorithm::PS256],
        AlgorithmParameters::EllipticCurve(_) => vec![Algorithm::ES256],
        _ => return None,
    };
    Some(ClientKey { key: DecodingKey::from_jwk(&jwk).ok()?, algorithms })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rsa_of_bits(bits: usize) -> serde_json::Value {
        let mut modulus = vec![0xC5u8; bits / 8];
        modulus[bits / 8 - 1] |= 1;
        let n = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(modulus);
        serde_json::json!({"kty": "RSA", "n": n, "e": "AQAB"})
    }

    #[test]
    fn takes_public_rsa_and_refuses_secret_private_and_short_keys() {
        assert_eq!(check(&rsa_of_bits(2048)).err(), None, "a 2048-bit key passes");
        assert!(check(&rsa_of_bits(1024)).is_err());
        let secret = serde_json::json!({"kty": "oct", "k": "c2VjcmV0"});
        assert!(check(&secret).is_err());
        let mut private = rsa_of_bits(2048);
        private["d"] = serde_json::json!("AQAB");
        assert!(check(&private).is_err());
        assert!(check(&serde_json::json!([1])).is_err());
    }
}
