//! Password hashing on a bounded pool: one thread per core, each with its
//! own argon2 memory (19 MiB at the default parameters) allocated once and
//! reused for every hash, and a bounded queue in front. A login storm then
//! waits in the queue instead of growing the heap: on the blocking pool
//! every concurrent hash allocated and freed its own 19 MiB, which glibc
//! kept (PERFORMANCE.md). A full queue answers 503 with `Retry-After`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use argon2::password_hash::phc::{Output, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::error::ApiError;

/// Hashes waiting per worker before the pool refuses more.
const QUEUE_PER_WORKER: usize = 256;

enum Work {
    Hash(String),
    Verify { password: String, stored: String },
}

enum Outcome {
    Hashed(Result<String, String>),
    Verified(bool),
}

struct Job {
    work: Work,
    queued_at: Instant,
    reply: tokio::sync::oneshot::Sender<Outcome>,
}

/// What the pool has done, for `/metrics` and the bench.
#[derive(Debug, Default)]
pub struct PoolFigures {
    pub queued: AtomicUsize,
    pub done: AtomicUsize,
    pub waited_micros: AtomicUsize,
}

#[derive(Clone)]
pub struct HashingPool {
    jobs: SyncSender<Job>,
    pub figures: Arc<PoolFigures>,
    pub workers: usize,
}

impl HashingPool {
    /// One worker per core the process may use.
    pub fn for_this_machine() -> HashingPool {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        HashingPool::start(cores)
    }

    pub fn start(workers: usize) -> HashingPool {
        let workers = workers.max(1);
        let (jobs, queue) = sync_channel::<Job>(workers * QUEUE_PER_WORKER);
        let queue = Arc::new(Mutex::new(queue));
        let figures = Arc::new(PoolFigures::default());
        for n in 0..workers {
            let queue = Arc::clone(&queue);
            let figures = Arc::clone(&figures);
            let spawned = std::thread::Builder::new()
                .name(format!("password-hash-{n}"))
                .spawn(move || work_the_queue(&queue, &figures));
            if let Err(e) = spawned {
                tracing::error!(error = %e, "a password-hashing worker did not start");
            }
        }
        HashingPool { jobs, figures, workers }
    }

    async fn submit(&self, work: Work) -> Result<Outcome, ApiError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.figures.queued.fetch_add(1, Ordering::Relaxed);
        match self.jobs.try_send(Job { work, queued_at: Instant::now(), reply }) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                self.figures.queued.fetch_sub(1, Ordering::Relaxed);
                return Err(ApiError::Unavailable("Too many logins at once: try again in a few seconds.".to_owned()));
            }
            Err(TrySendError::Disconnected(_)) => {
                self.figures.queued.fetch_sub(1, Ordering::Relaxed);
                return Err(ApiError::internal("the password-hashing pool has stopped"));
            }
        }
        answer.await.map_err(|_| ApiError::internal("a password-hashing worker stopped mid-job"))
    }

    /// A new PHC string (argon2id, the default parameters, a fresh salt).
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        match self.submit(Work::Hash(password)).await? {
            Outcome::Hashed(result) => result.map_err(ApiError::internal),
            Outcome::Verified(_) => Err(ApiError::internal("the pool answered a hash with a verification")),
        }
    }

    /// Whether `password` is the one `stored` (a PHC string) was made from.
    /// An unreadable hash counts as a mismatch.
    pub async fn verify(&self, password: String, stored: String) -> Result<bool, ApiError> {
        match self.submit(Work::Verify { password, stored }).await? {
            Outcome::Verified(ok) => Ok(ok),
            Outcome::Hashed(_) => Err(ApiError::internal("the pool answered a verification with a hash")),
        }
    }
}

fn work_the_queue(queue: &Mutex<Receiver<Job>>, figures: &PoolFigures) {
    // Allocated at the first hash, then kept: an idle worker holds nothing.
    let mut memory: Vec<Block> = Vec::new();
    loop {
        // The lock is held only to take the next job, never while hashing.
        let next = match queue.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok(job) = next else { return };
        figures.queued.fetch_sub(1, Ordering::Relaxed);
        let waited = job.queued_at.elapsed().min(Duration::from_secs(3600));
        figures.waited_micros.fetch_add(waited.as_micros() as usize, Ordering::Relaxed);
        let outcome = match job.work {
            Work::Hash(password) => Outcome::Hashed(hash_with(&mut memory, &password)),
            Work::Verify { password, stored } => Outcome::Verified(verify_with(&mut memory, &password, &stored)),
        };
        figures.done.fetch_add(1, Ordering::Relaxed);
        // The caller may have gone (a dropped request); nothing to tell.
        let _ = job.reply.send(outcome);
    }
}

/// Argon2id with `params`, into `out`, in the worker's own memory (grown to
/// the hub's parameters once, never beyond them).
fn argon2_into(memory: &mut Vec<Block>, params: Params, password: &str, salt: &[u8], out: &mut [u8]) -> bool {
    let needed = params.block_count();
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
    if memory.len() < needed && needed <= Params::DEFAULT.block_count() {
        memory.resize(needed, Block::default());
    }
    if memory.len() >= needed {
        argon2.hash_password_into_with_memory(password.as_bytes(), salt, out, &mut memory[..needed]).is_ok()
    } else {
        // A hash written with larger parameters than today's: rare, so its
        // memory is not kept.
        let mut larger = vec![Block::default(); needed];
        argon2.hash_password_into_with_memory(password.as_bytes(), salt, out, &mut larger[..]).is_ok()
    }
}

fn hash_with(memory: &mut Vec<Block>, password: &str) -> Result<String, String> {
    let salt = Salt::generate();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    if !argon2_into(memory, Params::DEFAULT, password, salt.as_ref(), &mut out) {
        return Err("argon2 refused its own parameters".to_owned());
    }
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.into(),
        version: Some(Version::V0x13.into()),
        params: (&Params::DEFAULT).try_into().map_err(|e: argon2::password_hash::Error| e.to_string())?,
        salt: Some(salt),
        hash: Some(Output::new(&out).map_err(|e| e.to_string())?),
    };
    Ok(phc.to_string())
}

fn verify_with(memory: &mut Vec<Block>, password: &str, stored: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else { return false };
    if Algorithm::try_from(parsed.algorithm.as_str()) != Ok(Algorithm::Argon2id) {
        return false;
    }
    let (Ok(params), Some(salt), Some(expected)) = (Params::try_from(&parsed), &parsed.salt, &parsed.hash) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    if !argon2_into(memory, params, password, salt.as_ref(), &mut out) {
        return false;
    }
    // Output's equality is constant-time.
    Output::new(&out).is_ok_and(|computed| computed == *expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_read_hashes_the_crate_wrote() {
        let pool = HashingPool::start(2);
        let hash = pool.hash("correct horse battery staple".to_owned()).await.unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(pool.verify("correct horse battery staple".to_owned(), hash.clone()).await.unwrap());
        assert!(!pool.verify("correct horse battery stapler".to_owned(), hash.clone()).await.unwrap());
        assert!(!pool.verify("anything".to_owned(), "not a hash".to_owned()).await.unwrap());
        // Hashes written before the pool (the crate's own hasher) still verify,
        // and the crate's verifier reads the pool's.
        let older = crate::security::passwords::hash_password("maple orbit").unwrap();
        assert!(pool.verify("maple orbit".to_owned(), older).await.unwrap());
        assert!(crate::security::passwords::verify_password("correct horse battery staple", &hash));
        // Stronger parameters than today's are read with memory of their own.
        let stronger = {
            let params = Params::new(32768, 3, 1, None).unwrap();
            let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
            use argon2::password_hash::PasswordHasher;
            argon2.hash_password(b"lantern").unwrap().to_string()
        };
        assert!(pool.verify("lantern".to_owned(), stronger).await.unwrap());
        assert_eq!(pool.figures.done.load(Ordering::Relaxed), 6, "every job done by the pool");
    }
}
