//! The answers kept for `Idempotency-Key` (see store `idempotency`): what the first
//! request with a key was answered, and keeping the answer once it is made. The API
//! turns them into HTTP (`api/cases/idempotency.rs`).

use store::{IdempotencyClaim, IdempotentAnswer};

use super::Refused;
use crate::state::AppState;

/// The answer kept for `claim`'s user and key, if any from the last 24 hours.
pub async fn earlier(state: &AppState, claim: &IdempotencyClaim) -> Result<Option<IdempotentAnswer>, Refused> {
    Ok(state
        .store
        .idempotent_answer(claim.actor_id, &claim.key, state.clock.now())
        .await?)
}

/// Keeps `body`, the first answer to `claim`'s request, for a retry.
pub async fn remember(state: &AppState, claim: &IdempotencyClaim, body: &str) -> Result<(), Refused> {
    Ok(state
        .store
        .save_idempotent_response(claim.actor_id, &claim.key, body)
        .await?)
}
