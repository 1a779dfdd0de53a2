//! Hardening row 8: the secrets live in a key file outside the database, created for
//! its owner only, and the database file is its owner's only too; a copy of the
//! database alone cannot make a return link that works.

use crate::returns::case_with_requests;
use crate::support::{Database, TestApp};

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

async fn the_key_file_and_a_sqlite_database_are_created_readable_by_their_owner_only(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    #[cfg(unix)]
    {
        assert_eq!(mode(&app.database.key_path()), 0o600);
        if let Some(file) = app.database.url.sqlite_file() {
            assert_eq!(mode(&file), 0o600);
            assert_eq!(mode(&app.database.dir.join("rapid-review.db-wal")), 0o600);
        }
    }
}

async fn a_copy_of_the_database_alone_cannot_make_a_working_return_link(backend: store::Backend) {
    let app = TestApp::new(backend, "2026-12-31").await;
    let (case, school, _) = case_with_requests(&app).await;
    assert_eq!(
        app.get_anonymous(&format!("/api/v1/returns/{school}")).await.status,
        200
    );
    // Someone with the database but not the key file: they start the service on it
    // with whatever key file they have.
    let elsewhere = Database::create(backend).await;
    let thief_keys = store::Keys::load_or_create(&elsewhere.key_path()).unwrap();
    let copy = store::Store::open(&app.database.url, &thief_keys).await.unwrap();
    let request = copy.requests_for_case(&case).await.unwrap().remove(0);
    let minted = copy.return_token(&request);
    assert_ne!(minted, school);
    assert_eq!(
        app.get_anonymous(&format!("/api/v1/returns/{minted}")).await.status,
        404
    );
    // Nor does the database hold the key anywhere.
    let key = std::fs::read_to_string(app.database.key_path()).unwrap();
    if let Some(file) = app.database.url.sqlite_file() {
        let bytes = std::fs::read(file).unwrap();
        assert!(!bytes.windows(64).any(|w| w == key.trim().as_bytes()));
    }
}

crate::on_both_backends!(
    the_key_file_and_a_sqlite_database_are_created_readable_by_their_owner_only,
    a_copy_of_the_database_alone_cannot_make_a_working_return_link,
);
