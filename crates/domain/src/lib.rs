//! The pure heart of Rapid Review: the England and Wales working-day calendar, the
//! events of a Rapid Review, the rules of which step may follow which, the fold from
//! events to a case's state, and its statutory deadlines.
//!
//! Nothing here does I/O, spawns tasks or reads the clock: every function that needs
//! "today" takes it as a parameter, so the same history always gives the same answer.

#[macro_use]
pub mod keyed;
pub mod actions;
pub mod addresses;
pub mod calendar;
pub mod case;
pub mod crosscheck;
pub mod dates;
pub mod deadlines;
pub mod definitions;
pub mod events;
pub mod notices;
pub mod partners;
pub mod process;
pub mod reminders;
pub mod reports;
pub mod retention;
pub mod returns;
pub mod roles;
pub mod synthetic;
pub mod template;
