pub mod step;
pub use step::StepKey;
