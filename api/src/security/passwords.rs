//! Argon2id with the crate's own hasher and verifier, which allocate their
//! memory per call: for the command-line tools (demo and load data) and the
//! bench's anchor. Requests hash on the bounded pool (hashing_pool.rs).

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;

pub fn hash_password(password: &str) -> Result<String, String> {
    Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// Verifies against a stored hash. An unreadable hash counts as a mismatch.
pub fn verify_password(password: &str, stored_hash: &str) -> bool {
    match PasswordHash::new(stored_hash) {
        Ok(parsed) => Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// The bench's anchor (bench/login-storm.sh): verifications per second of
/// the crate's own verifier, which allocates its memory per call, on one
/// thread per core for `run`.
pub fn raw_verify_rate(run: std::time::Duration) -> (f64, usize) {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let Ok(hash) = hash_password("anchor password") else { return (0.0, threads) };
    let started = std::time::Instant::now();
    let done: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut n = 0;
                    while started.elapsed() < run {
                        verify_password("anchor password", &hash);
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
    });
    (done as f64 / started.elapsed().as_secs_f64(), threads)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_only_the_right_password() {
        let hash = hash_password("correct horse battery staple").unwrap();
        assert!(verify_password("correct horse battery staple", &hash));
        assert!(!verify_password("correct horse battery stapler", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }
}
