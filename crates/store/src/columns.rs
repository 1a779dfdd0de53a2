//! A row's columns by name, whether sqlx read the row or SQLite answered it inline
//! (`inline_read.rs`), so that one function turns either kind into a value.

use sqlx::Row;
use sqlx::any::AnyRow;

use crate::StoreError;

pub(crate) trait Columns {
    fn text(&self, name: &str) -> Result<String, StoreError>;
    fn maybe_text(&self, name: &str) -> Result<Option<String>, StoreError>;
    fn int(&self, name: &str) -> Result<i64, StoreError>;
    fn maybe_int(&self, name: &str) -> Result<Option<i64>, StoreError>;
}

impl Columns for AnyRow {
    fn text(&self, name: &str) -> Result<String, StoreError> {
        Ok(self.try_get(name)?)
    }
    fn maybe_text(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self.try_get(name)?)
    }
    fn int(&self, name: &str) -> Result<i64, StoreError> {
        Ok(self.try_get(name)?)
    }
    fn maybe_int(&self, name: &str) -> Result<Option<i64>, StoreError> {
        Ok(self.try_get(name)?)
    }
}

fn column_error(name: &str, e: rusqlite::Error) -> StoreError {
    StoreError::corrupt(format!("column {name}: {e}"))
}

impl Columns for rusqlite::Row<'_> {
    fn text(&self, name: &str) -> Result<String, StoreError> {
        self.get(name).map_err(|e| column_error(name, e))
    }
    fn maybe_text(&self, name: &str) -> Result<Option<String>, StoreError> {
        self.get(name).map_err(|e| column_error(name, e))
    }
    fn int(&self, name: &str) -> Result<i64, StoreError> {
        self.get(name).map_err(|e| column_error(name, e))
    }
    fn maybe_int(&self, name: &str) -> Result<Option<i64>, StoreError> {
        self.get(name).map_err(|e| column_error(name, e))
    }
}
