//! When a deadline may be extended.

use super::*;

impl CaseState {
    /// Whether `deadline_extended` may be recorded now, and the date it must not precede.
    pub(super) fn deadline_extended_open(&self) -> Check {
        let running = StepKey::ALL.iter().any(|step| {
            let agencies: Vec<Option<&AgencySlug>> = if *step == StepKey::AgencyReturn {
                self.requests.iter().map(|r| Some(&r.agency)).collect()
            } else {
                vec![None]
            };
            agencies
                .into_iter()
                .any(|a| matches!(self.progress(*step, a), Progress::Running { .. }))
        });
        if running {
            Ok(None)
        } else {
            Err(Refusal::now(
                "no deadline of this case is running, so none can be extended",
            ))
        }
    }
}
