//! Argon2 runs on one thread of its own, in one block of memory that lives as long as
//! the process. Each hash needs 19 MiB; allocated afresh every time, the allocator
//! keeps such blocks around in its arenas, and a few sign-ins grew the service by
//! 60 MB or more. Here the cost is paid once, hashing never stalls the runtime, and
//! concurrent sign-ins queue (which also caps how much CPU password guessing can take).

use std::sync::OnceLock;

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::{mpsc, oneshot};

use crate::StoreError;

enum Job {
    Hash(String, oneshot::Sender<Result<String, StoreError>>),
    /// A stored hash (or none: then a dummy one, so an unknown account costs the same)
    /// and the password to check against it.
    Verify(Option<String>, String, oneshot::Sender<Result<bool, StoreError>>),
}

fn argon_error(e: impl std::fmt::Debug) -> StoreError {
    StoreError::corrupt(format!("password hash: {e:?}"))
}

/// The memory for one hash with `params`, reused from the last.
/// Reserved for the hash's memory: above glibc's largest threshold for serving an
/// allocation with a mapping of its own (32 MiB), so that the 19 MiB a hash uses always
/// goes back to the system when dropped, instead of staying in the heap. Capacity that
/// is never written costs no memory.
const OWN_MAPPING_BYTES: usize = 33 * 1024 * 1024;

fn blocks<'a>(memory: &'a mut Vec<Block>, params: &Params) -> &'a mut [Block] {
    let needed = params.block_count();
    if memory.len() < needed {
        let mut fresh = Vec::with_capacity(needed.max(OWN_MAPPING_BYTES / std::mem::size_of::<Block>()));
        fresh.resize(needed, Block::default());
        *memory = fresh;
    }
    &mut memory[..needed]
}

/// An argon2id hash of `password` with the default parameters, as a PHC string.
fn hash_now(memory: &mut Vec<Block>, password: &str) -> Result<String, StoreError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| StoreError::corrupt(format!("no randomness: {e}")))?;
    let params = Params::default();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    Argon2::default()
        .hash_password_into_with_memory(password.as_bytes(), &salt, &mut out, blocks(memory, &params))
        .map_err(argon_error)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(argon_error)?,
        salt: Some(Salt::new(&salt).map_err(argon_error)?),
        hash: Some(Output::new(&out).map_err(argon_error)?),
    };
    Ok(phc.to_string())
}

/// Whether `password` gives the PHC hash `stored`, with the stored parameters.
fn verify_hash(memory: &mut Vec<Block>, stored: &str, password: &str) -> Result<bool, StoreError> {
    let parsed = PasswordHash::new(stored).map_err(|_| StoreError::corrupt("bad password hash"))?;
    let params = Params::try_from(&parsed).map_err(argon_error)?;
    let algorithm = Algorithm::try_from(parsed.algorithm.as_str()).map_err(argon_error)?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()
        .map_err(argon_error)?
        .unwrap_or_default();
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return Err(StoreError::corrupt("password hash without salt or output"));
    };
    let mut out = vec![0u8; expected.as_bytes().len()];
    Argon2::new(algorithm, version, params.clone())
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, blocks(memory, &params))
        .map_err(argon_error)?;
    // Compared in time that does not depend on where they differ.
    let difference = out
        .iter()
        .zip(expected.as_bytes())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    Ok(difference == 0)
}

fn verify_now(
    memory: &mut Vec<Block>,
    dummy: Option<&str>,
    stored: Option<&str>,
    password: &str,
) -> Result<bool, StoreError> {
    match (stored, dummy) {
        (Some(h), _) => verify_hash(memory, h, password),
        (None, Some(d)) => verify_hash(memory, d, password).map(|_| false),
        (None, None) => Ok(false),
    }
}

fn worker() -> Result<&'static mpsc::Sender<Job>, StoreError> {
    static SENDER: OnceLock<Option<mpsc::Sender<Job>>> = OnceLock::new();
    SENDER
        .get_or_init(|| {
            let (tx, mut rx) = mpsc::channel::<Job>(256);
            let spawned = std::thread::Builder::new().name("passwords".into()).spawn(move || {
                let mut memory = Vec::new();
                let dummy = hash_now(&mut memory, "no account has this password").ok();
                memory = Vec::new();
                let mut next = rx.blocking_recv();
                while let Some(job) = next {
                    match job {
                        Job::Hash(password, reply) => {
                            let _ = reply.send(hash_now(&mut memory, &password));
                        }
                        Job::Verify(stored, password, reply) => {
                            let result = verify_now(&mut memory, dummy.as_deref(), stored.as_deref(), &password);
                            let _ = reply.send(result);
                        }
                    }
                    // A burst of sign-ins shares the 19 MiB; once none waits, it goes
                    // back to the system rather than staying resident.
                    next = match rx.try_recv() {
                        Ok(job) => Some(job),
                        Err(mpsc::error::TryRecvError::Empty) => {
                            memory = Vec::new();
                            rx.blocking_recv()
                        }
                        Err(mpsc::error::TryRecvError::Disconnected) => None,
                    };
                }
            });
            spawned.ok().map(|_| tx)
        })
        .as_ref()
        .ok_or(StoreError::PasswordHash)
}

/// An argon2id hash of `password`, as a PHC string.
pub(crate) async fn hash(password: &str) -> Result<String, StoreError> {
    let (reply, answer) = oneshot::channel();
    worker()?
        .send(Job::Hash(password.to_owned(), reply))
        .await
        .map_err(|_| StoreError::PasswordHash)?;
    answer.await.map_err(|_| StoreError::PasswordHash)?
}

/// Whether `password` matches `stored`; with none stored, a dummy hash is checked so
/// that the answer takes the same time, and is `false`.
pub(crate) async fn matches(stored: Option<&str>, password: &str) -> Result<bool, StoreError> {
    let (reply, answer) = oneshot::channel();
    worker()?
        .send(Job::Verify(stored.map(str::to_owned), password.to_owned(), reply))
        .await
        .map_err(|_| StoreError::PasswordHash)?;
    answer.await.map_err(|_| StoreError::PasswordHash)?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_made_by_the_argon2_crate_itself_still_verify() {
        use argon2::password_hash::PasswordHasher;
        let theirs = Argon2::default()
            .hash_password(b"violet kettle harbour")
            .unwrap()
            .to_string();
        let mut memory = Vec::new();
        assert!(verify_hash(&mut memory, &theirs, "violet kettle harbour").unwrap());
        assert!(!verify_hash(&mut memory, &theirs, "violet kettle harbor").unwrap());
        let ours = hash_now(&mut memory, "amber lantern").unwrap();
        assert!(ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{ours}");
        use argon2::password_hash::PasswordVerifier;
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default().verify_password(b"amber lantern", &parsed).is_ok());
    }
}
