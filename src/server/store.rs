//! The server's own records in one SQLite file (`<data>/server.db`): accounts, sessions
//! and the audit log. Content stays in the cluster's files and git.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, params};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL,
  must_change INTEGER NOT NULL, totp_secret TEXT, totp_off INTEGER NOT NULL DEFAULT 0,
  failures INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS recovery (user TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  id_hash TEXT PRIMARY KEY, user TEXT NOT NULL, token TEXT NOT NULL, stage TEXT NOT NULL,
  created INTEGER NOT NULL, seen INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS audit (
  seq INTEGER PRIMARY KEY, time TEXT NOT NULL, user TEXT NOT NULL, address TEXT NOT NULL,
  action TEXT NOT NULL, target TEXT NOT NULL, result TEXT NOT NULL, mac TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
";

/// The database, one connection shared by the request threads.
pub struct Store {
    conn: Mutex<Connection>,
}

/// A local account.
#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub name: String,
    pub hash: String,
    /// The password must be changed before anything else.
    pub must_change: bool,
    /// The enrolled second factor, if any.
    pub totp_secret: Option<String>,
    /// An admin recorded that this user logs in without a second factor.
    pub totp_off: bool,
    pub failures: u32,
    pub locked_until: i64,
}

impl Store {
    /// Opens (or creates) `<data>/server.db`, the folder readable by its owner only.
    pub fn open(data: &Path) -> rusqlite::Result<Store> {
        let _ = std::fs::create_dir_all(data);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(data, std::fs::Permissions::from_mode(0o700));
        }
        let conn = Connection::open(data.join("server.db"))?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Store {
            conn: Mutex::new(conn),
        })
    }

    /// The connection, for one short transaction.
    pub fn db(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The account `id`.
    pub fn user(&self, id: &str) -> Option<User> {
        let db = self.db();
        db.query_row(
            "SELECT id, name, hash, must_change, totp_secret, totp_off, failures, locked_until FROM users WHERE id = ?1",
            [id],
            |r| {
                Ok(User {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    hash: r.get(2)?,
                    must_change: r.get(3)?,
                    totp_secret: r.get(4)?,
                    totp_off: r.get(5)?,
                    failures: r.get(6)?,
                    locked_until: r.get(7)?,
                })
            },
        )
        .optional()
        .ok()
        .flatten()
    }

    /// Adds an account; `false` when the id is taken.
    pub fn add_user(&self, user: &User, now: i64) -> rusqlite::Result<bool> {
        let n = self.db().execute(
            "INSERT OR IGNORE INTO users (id, name, hash, must_change, totp_off, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![user.id, user.name, user.hash, user.must_change, user.totp_off, now],
        )?;
        Ok(n == 1)
    }

    /// Records a failed login; returns the failures in a row, locking at `limit`.
    pub fn failed(&self, id: &str, limit: u32, lock_until: i64) -> u32 {
        let db = self.db();
        let _ = db.execute(
            "UPDATE users SET failures = failures + 1 WHERE id = ?1",
            [id],
        );
        let failures: u32 = db
            .query_row("SELECT failures FROM users WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap_or(0);
        if failures >= limit {
            let _ = db.execute(
                "UPDATE users SET locked_until = ?2, failures = 0 WHERE id = ?1",
                params![id, lock_until],
            );
        }
        failures
    }

    /// Clears the failures after a good login.
    pub fn succeeded(&self, id: &str) {
        let _ = self.db().execute(
            "UPDATE users SET failures = 0, locked_until = 0 WHERE id = ?1",
            [id],
        );
    }

    /// Sets a new password hash; `must_change` when an admin set it.
    pub fn set_password(&self, id: &str, hash: &str, must_change: bool) {
        let _ = self.db().execute(
            "UPDATE users SET hash = ?2, must_change = ?3 WHERE id = ?1",
            params![id, hash, must_change],
        );
    }

    /// Enrols a second factor with its recovery codes (stored hashed).
    pub fn set_totp(&self, id: &str, secret: &str, recovery_hashes: &[String]) {
        let db = self.db();
        let _ = db.execute(
            "UPDATE users SET totp_secret = ?2 WHERE id = ?1",
            params![id, secret],
        );
        let _ = db.execute("DELETE FROM recovery WHERE user = ?1", [id]);
        for h in recovery_hashes {
            let _ = db.execute(
                "INSERT INTO recovery (user, hash) VALUES (?1, ?2)",
                params![id, h],
            );
        }
    }

    /// Uses up a recovery code: true when it was one of the user's.
    pub fn use_recovery(&self, id: &str, code_hash: &str) -> bool {
        self.db()
            .execute(
                "DELETE FROM recovery WHERE user = ?1 AND hash = ?2",
                params![id, code_hash],
            )
            .is_ok_and(|n| n == 1)
    }

    /// The ids and names of every account.
    pub fn users(&self) -> Vec<(String, String)> {
        let db = self.db();
        let Ok(mut q) = db.prepare("SELECT id, name FROM users ORDER BY id") else {
            return Vec::new();
        };
        q.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map(|rows| rows.filter_map(Result::ok).collect())
            .unwrap_or_default()
    }
}
