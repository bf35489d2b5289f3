//! Small key/value preferences kept in the store (theme, …).

use rusqlite::{params, Connection, OptionalExtension};

use clawtower_core::error::Result;

/// Reads a preference.
pub fn get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT value FROM preferences WHERE key = ?1",
            [key],
            |row| row.get(0),
        )
        .optional()?)
}

/// Writes a preference.
pub fn set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO preferences(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Store;

    #[test]
    fn round_trips_and_overwrites() {
        let store = Store::open_in_memory().unwrap();
        store
            .with_conn(|c| {
                assert_eq!(get(c, "theme")?, None);
                set(c, "theme", "dark")?;
                set(c, "theme", "light")?;
                assert_eq!(get(c, "theme")?.as_deref(), Some("light"));
                Ok(())
            })
            .unwrap();
    }
}
