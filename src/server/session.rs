//! Sessions: an opaque random id in the cookie (stored only as its SHA-256, so a copy of
//! the database opens no session), a per-session token for the editor's API, an idle and
//! an absolute time limit, and a stage (`password`, `totp-enrol` or `ready`) so that a due
//! password change or enrolment comes before anything else.

use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::store::Store;

/// A live session.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: String,
    /// Sent by the editor's page with every API call.
    pub token: String,
    pub stage: String,
    created: i64,
}

/// How long sessions live, in seconds.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub idle: i64,
    pub absolute: i64,
}

/// 32 random bytes in hex.
pub fn random_id() -> Option<String> {
    crate::edit::new_token()
}

fn digest(id: &str) -> String {
    Sha256::digest(id.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Store {
    /// A new session for `user` at `stage`; the cookie value.
    pub fn open_session(&self, user: &str, stage: &str, now: i64) -> Option<String> {
        let (id, token) = (random_id()?, random_id()?);
        self.db()
            .execute(
                "INSERT INTO sessions (id_hash, user, token, stage, created, seen) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![digest(&id), user, token, stage, now],
            )
            .ok()?;
        Some(id)
    }

    /// The session of cookie value `id`, touched; `None` (and ended) past its limits.
    pub fn session(&self, id: &str, now: i64, limits: Limits) -> Option<Session> {
        let key = digest(id);
        let db = self.db();
        let found: Option<(Session, i64)> = db
            .query_row(
                "SELECT user, token, stage, created, seen FROM sessions WHERE id_hash = ?1",
                [&key],
                |r| {
                    let s = Session {
                        user: r.get(0)?,
                        token: r.get(1)?,
                        stage: r.get(2)?,
                        created: r.get(3)?,
                    };
                    Ok((s, r.get(4)?))
                },
            )
            .optional()
            .ok()
            .flatten();
        let (session, seen) = found?;
        if now - seen > limits.idle || now - session.created > limits.absolute {
            let _ = db.execute("DELETE FROM sessions WHERE id_hash = ?1", [&key]);
            return None;
        }
        let _ = db.execute(
            "UPDATE sessions SET seen = ?2 WHERE id_hash = ?1",
            params![key, now],
        );
        Some(session)
    }

    /// Moves the session on to `stage`.
    pub fn advance(&self, id: &str, stage: &str) {
        let _ = self.db().execute(
            "UPDATE sessions SET stage = ?2 WHERE id_hash = ?1",
            params![digest(id), stage],
        );
    }

    /// Ends the session of cookie value `id`.
    pub fn end_session(&self, id: &str) {
        let _ = self
            .db()
            .execute("DELETE FROM sessions WHERE id_hash = ?1", [digest(id)]);
    }

    /// Ends every session of `user` (logout everywhere, a password reset).
    pub fn end_sessions_of(&self, user: &str) {
        let _ = self
            .db()
            .execute("DELETE FROM sessions WHERE user = ?1", [user]);
    }
}
