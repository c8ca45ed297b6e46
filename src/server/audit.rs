//! The audit log (操作日志): one row per action with the columns of SPEC §16
//! (`time,user,address,action,target,result`), append-only in the database (triggers refuse
//! updates and deletes) and chained: each row's `mac` is HMAC-SHA256, under a key kept in a
//! file beside the database (`audit.key`), of the previous row's `mac` and this row. Whoever
//! edits the database file cannot recompute the chain without the key; `--verify` finds it.

use std::path::Path;

use hmac::{Hmac, Mac};
use rusqlite::params;

use super::store::Store;

/// One row of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub time: String,
    pub user: String,
    pub address: String,
    pub action: String,
    pub target: String,
    pub result: String,
}

/// The chain's key, read from `<data>/audit.key` (created, owner-only, on first use).
pub struct Key(Vec<u8>);

impl Key {
    /// Reads or creates the key of the log in `data`.
    pub fn open(data: &Path) -> std::io::Result<Key> {
        let path = data.join("audit.key");
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Key(text.trim().as_bytes().to_vec())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = crate::edit::new_token()
                    .ok_or_else(|| std::io::Error::other("no randomness"))?;
                write_private(&path, &key)?;
                Ok(Key(key.into_bytes()))
            }
            Err(e) => Err(e),
        }
    }

    fn mac(&self, previous: &str, e: &Entry) -> String {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&self.0).expect("any key length");
        for part in [
            previous, &e.time, &e.user, &e.address, &e.action, &e.target, &e.result,
        ] {
            mac.update(part.as_bytes());
            mac.update(&[0x1f]);
        }
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(&mut options.open(path)?, text.as_bytes())
}

impl Store {
    /// Appends `entry`; returns the new head of the chain.
    pub fn audit(&self, key: &Key, entry: &Entry) -> String {
        let db = self.db();
        let previous: String = db
            .query_row("SELECT mac FROM audit ORDER BY seq DESC LIMIT 1", [], |r| {
                r.get(0)
            })
            .unwrap_or_default();
        let mac = key.mac(&previous, entry);
        let e = entry;
        let _ = db.execute(
            "INSERT INTO audit (time, user, address, action, target, result, mac) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![e.time, e.user, e.address, e.action, e.target, e.result, mac],
        );
        mac
    }

    /// The head of the chain (the last row's mac), empty for an empty log.
    pub fn audit_head(&self) -> String {
        self.db()
            .query_row("SELECT mac FROM audit ORDER BY seq DESC LIMIT 1", [], |r| {
                r.get(0)
            })
            .unwrap_or_default()
    }

    /// The rows from `since` (an ISO date or time) on, oldest first.
    pub fn audit_rows(&self, since: &str) -> Vec<(i64, Entry, String)> {
        let db = self.db();
        let Ok(mut q) = db.prepare(
            "SELECT seq, time, user, address, action, target, result, mac FROM audit WHERE time >= ?1 ORDER BY seq",
        ) else {
            return Vec::new();
        };
        q.query_map([since], |r| {
            let e = Entry {
                time: r.get(1)?,
                user: r.get(2)?,
                address: r.get(3)?,
                action: r.get(4)?,
                target: r.get(5)?,
                result: r.get(6)?,
            };
            Ok((r.get(0)?, e, r.get(7)?))
        })
        .map(|rows| rows.filter_map(Result::ok).collect())
        .unwrap_or_default()
    }

    /// The first row whose mac does not follow from the rows before it, or a gap in the
    /// numbering (a deleted row); `None` when the whole chain holds.
    pub fn audit_break(&self, key: &Key) -> Option<i64> {
        let mut previous = String::new();
        let mut expected = None;
        for (seq, entry, mac) in self.audit_rows("") {
            if expected.is_some_and(|n| n != seq) || key.mac(&previous, &entry) != mac {
                return Some(seq);
            }
            expected = Some(seq + 1);
            previous = mac;
        }
        None
    }
}

/// `s` as one CSV field.
pub fn csv_field(s: &str) -> String {
    // A leading = + - @ would be read as a formula by a spreadsheet.
    let s = match s.chars().next() {
        Some('=' | '+' | '-' | '@') => format!("'{s}"),
        _ => s.to_string(),
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}
