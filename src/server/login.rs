//! Logging in with a local account (SPEC §16): the password checked against its argon2id
//! hash, five failures in a row lock the account for thirty minutes, a second factor when
//! enrolled; then a new session whose first stage may be a password change or the
//! enrolment of a second factor, done on `/_zhanqun/account` before anything else.

use sha2::{Digest, Sha256};

use super::app::{App, Head, now};
use super::routes::{same_origin, see_other, session_of};
use super::store::User;
use super::{pages, password, totp};
use crate::serve::http::Reply;

/// The fields of an urlencoded form.
pub fn form(body: &[u8]) -> std::collections::HashMap<String, String> {
    String::from_utf8_lossy(body)
        .split('&')
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            Some((decode(k), decode(v)))
        })
        .collect()
}

/// `POST /_zhanqun/login`.
pub fn login(app: &App, head: &Head, body: &[u8]) -> Reply {
    if head.header("origin").is_some_and(|o| o != app.setup.public) {
        return pages::login(403, &crate::t!("edit-foreign-origin").to_string());
    }
    let fields = form(body);
    let id = fields
        .get("user")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let given = fields.get("password").cloned().unwrap_or_default();
    let code = fields.get("code").cloned().unwrap_or_default();
    let Some(user) = app.store.user(&id) else {
        // The same answer, after the same work, as a wrong password: ids are not revealed.
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let dummy = DUMMY.get_or_init(|| password::hash("dummy").unwrap_or_default());
        let _ = password::verify(&given, dummy);
        app.audit(head, &id, "login", "", "failed");
        return pages::login(401, &crate::t!("server-login-wrong").to_string());
    };
    let t = now();
    if user.locked_until > t {
        let minutes = ((user.locked_until - t) + 59) / 60;
        app.audit(head, &id, "login", "", "locked");
        return pages::login(
            423,
            &crate::t!("server-login-locked", minutes = minutes).to_string(),
        );
    }
    if !password::verify(&given, &user.hash) || !second_factor(app, &user, &code) {
        return failed(
            app,
            head,
            &user,
            code.is_empty() && user.totp_secret.is_some(),
        );
    }
    app.store.succeeded(&id);
    let stage = first_stage(app, &user);
    let Some(session) = app.store.open_session(&id, stage, t) else {
        return pages::login(503, "no randomness");
    };
    app.audit(head, &id, "login", "", "ok");
    let cookie = app.set_cookie(app.session_cookie(), &session, None);
    let next = if stage == "ready" {
        "/_zhanqun/edit/"
    } else {
        "/_zhanqun/account"
    };
    see_other(next, Some(cookie))
}

/// True when the user has no second factor or `code` is hers (a current code or an unused
/// recovery code).
fn second_factor(app: &App, user: &User, code: &str) -> bool {
    match &user.totp_secret {
        None => true,
        Some(secret) => {
            totp::verify(secret, code, now())
                || app.store.use_recovery(&user.id, &digest(code.trim()))
        }
    }
}

fn failed(app: &App, head: &Head, user: &User, code_missing: bool) -> Reply {
    if code_missing {
        // The password was right or wrong, but a code is due either way: ask for it
        // without counting a failure the user could not avoid.
        return pages::login(401, &crate::t!("server-login-code").to_string());
    }
    let limit = app.setup.lockout_failures;
    let failures = app
        .store
        .failed(&user.id, limit, now() + app.setup.lockout_seconds);
    if failures >= limit {
        app.audit(head, &user.id, "lockout", "", "locked");
        let minutes = app.setup.lockout_seconds / 60;
        return pages::login(
            423,
            &crate::t!("server-login-locked", minutes = minutes).to_string(),
        );
    }
    app.audit(head, &user.id, "login", "", "failed");
    pages::login(401, &crate::t!("server-login-wrong").to_string())
}

/// `password` when a change is due, `totp` when her roles need a second factor she has not
/// enrolled, else `ready`.
fn first_stage(app: &App, user: &User) -> &'static str {
    if user.must_change {
        "password"
    } else if user.totp_secret.is_none()
        && !user.totp_off
        && app.roles().needs_second_factor(&user.id)
    {
        "totp"
    } else {
        "ready"
    }
}

/// SHA-256 of a recovery code, as stored.
pub fn digest(code: &str) -> String {
    Sha256::digest(code.to_ascii_uppercase().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `/_zhanqun/account`: the due step of a new session.
pub fn account(app: &App, head: &Head, body: &[u8]) -> Reply {
    let Some((id, session)) = session_of(app, head) else {
        return see_other("/_zhanqun/login", None);
    };
    let Some(user) = app.store.user(&session.user) else {
        return see_other("/_zhanqun/login", None);
    };
    if head.method == "POST" && !same_origin(app, head) {
        return pages::login(403, &crate::t!("edit-foreign-origin").to_string());
    }
    match (session.stage.as_str(), head.method.as_str()) {
        ("password", "POST") => change_password(app, head, &id, &user, &form(body)),
        ("password", _) => pages::password(200, ""),
        ("totp", "POST") => enrol(app, head, &id, &user, &form(body)),
        ("totp", _) => show_enrolment(app, &id, &user),
        _ => see_other("/_zhanqun/edit/", None),
    }
}

fn change_password(
    app: &App,
    head: &Head,
    id: &str,
    user: &User,
    f: &std::collections::HashMap<String, String>,
) -> Reply {
    let new = f.get("new").cloned().unwrap_or_default();
    if !password::verify(f.get("old").map_or("", |s| s.as_str()), &user.hash) {
        return pages::password(400, &crate::t!("server-password-old").to_string());
    }
    if f.get("again") != Some(&new) {
        return pages::password(400, &crate::t!("server-password-again").to_string());
    }
    if let Some(why) = password::refusal(&new, app.setup.password_min) {
        return pages::password(400, &why.to_string());
    }
    let Some(hash) = password::hash(&new) else {
        return pages::password(503, "no randomness");
    };
    app.store.set_password(&user.id, &hash, false);
    app.audit(head, &user.id, "password-change", &user.id, "ok");
    let changed = User {
        must_change: false,
        ..user.clone()
    };
    app.store.advance(id, first_stage(app, &changed));
    see_other("/_zhanqun/account", None)
}

fn show_enrolment(app: &App, id: &str, user: &User) -> Reply {
    let mut pending = app.enrolling.lock().unwrap_or_else(|p| p.into_inner());
    let Some(secret) = pending.get(id).cloned().or_else(totp::new_secret) else {
        return pages::login(503, "no randomness");
    };
    pending.insert(id.to_string(), secret.clone());
    pages::enrol(200, "", &secret, &totp::uri(&secret, &user.id, "zhanqun"))
}

fn enrol(
    app: &App,
    head: &Head,
    id: &str,
    user: &User,
    f: &std::collections::HashMap<String, String>,
) -> Reply {
    let secret = app
        .enrolling
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(id)
        .cloned();
    let Some(secret) = secret else {
        return show_enrolment(app, id, user);
    };
    if !totp::verify(&secret, f.get("code").map_or("", |s| s.as_str()), now()) {
        let uri = totp::uri(&secret, &user.id, "zhanqun");
        return pages::enrol(
            400,
            &crate::t!("server-totp-wrong").to_string(),
            &secret,
            &uri,
        );
    }
    let Some(codes) = totp::recovery_codes() else {
        return pages::login(503, "no randomness");
    };
    let hashes: Vec<String> = codes.iter().map(|c| digest(c)).collect();
    app.store.set_totp(&user.id, &secret, &hashes);
    app.enrolling
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .remove(id);
    app.store.advance(id, "ready");
    app.audit(head, &user.id, "totp-enrol", &user.id, "ok");
    pages::recovery(&codes)
}
