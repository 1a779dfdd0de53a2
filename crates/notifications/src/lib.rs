//! Rapid Review's notifications: everyone the process names is told, every running
//! clock reminds, and an overdue one escalates. Messages are rows of the store's
//! outbox, written with the event or pass that caused them; this crate
//!
//! - sends them over SMTP with retries and back-off ([`worker`]), marking each sent
//!   only after the server accepts it, with a `Message-ID` fixed by its row;
//! - writes each message's words and attachments when it sends ([`compose`]): a case
//!   reference, the step, a date and a link, never case content, except the referral
//!   form and templates an agency needs to make its return;
//! - runs the reminder pass at 07:00 Europe/London on working days ([`reminders`],
//!   [`schedule`]).
//!
//! It depends inward only: on the store, the domain and the documents.

pub mod compose;
pub mod reminders;
pub mod schedule;
pub mod settings;
pub mod worker;

pub use settings::{MailSettings, Security, SmtpUrl, is_email_address};
pub use worker::Worker;
