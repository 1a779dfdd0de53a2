//! The API end to end, in process through the router, on both backends: every test
//! runs once on a fresh SQLite file and once on a fresh PostgreSQL database.
//! (One test binary for the crate; add modules here rather than new binaries.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::disallowed_methods)]

mod support;

mod access;
mod accounts;
mod actions;
mod admin_accounts;
mod audit;
mod calendar;
mod case_page;
mod closed;
mod concurrency;
mod correspondence;
mod dashboard;
mod errors;
mod forms;
mod fuzz;
mod hostile;
mod http_cache;
mod idempotency;
mod keys;
mod mail;
mod meeting;
mod migrations;
mod notifications;
mod one_door;
mod openapi;
mod pages;
mod papers;
mod paths;
mod reports;
mod return_journey;
mod return_limits;
mod returns;
mod review_papers;
mod tamper;
mod template;
mod write_ahead_log;

/// Runs each named scenario `async fn name(backend: Backend)` on both backends.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(store::Backend::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name(store::Backend::Postgres).await })*
        }
    };
}
