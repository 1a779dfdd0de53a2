//! The SQLite and PostgreSQL migrations are written twice, once per dialect; this
//! checks that they make the same tables with the same columns.

use std::collections::BTreeSet;

use sqlx::Row;
use store::Backend;

use crate::support::Database;

async fn columns(backend: Backend) -> BTreeSet<(String, String)> {
    let database = Database::create(backend).await;
    let store = database.open().await;
    store.close().await;
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(database.url.raw())
        .await
        .unwrap();
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> '_sqlx_migrations'"
        }
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'"
        }
    };
    let rows = sqlx::query(sql).fetch_all(&mut conn).await.unwrap();
    rows.iter()
        .map(|r| {
            (
                r.try_get::<String, _>("t").unwrap(),
                r.try_get::<String, _>("c").unwrap(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_and_postgres_migrations_make_the_same_tables_and_columns() {
    let sqlite = columns(Backend::Sqlite).await;
    let postgres = columns(Backend::Postgres).await;
    assert!(sqlite.len() > 60, "{} columns", sqlite.len());
    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "only in SQLite: {only_sqlite:?}; only in PostgreSQL: {only_postgres:?}"
    );
}
