//! The editor's origin: `/_zhanqun/login`, `/_zhanqun/logout`, `/_zhanqun/account` (a due
//! password change or second factor), `/_zhanqun/preview-ticket`, and the editor of
//! `zhanqun edit` under `/_zhanqun/edit/` for a logged-in user, each API call checked
//! against her roles before the editor sees it.

use super::app::{App, Head, now};
use super::session::Session;
use crate::serve::extension::Actor;
use crate::serve::http::{Body, Reply, text};

/// Answers a request to the editor's origin.
pub fn editor(app: &App, head: Head, body: Vec<u8>) -> Reply {
    let path = head.path().to_string();
    match (head.method.as_str(), path.as_str()) {
        ("GET" | "HEAD", "/") => see_other("/_zhanqun/edit/", None),
        ("GET" | "HEAD", "/_zhanqun/login") => super::pages::login(200, ""),
        ("POST", "/_zhanqun/login") => super::login::login(app, &head, &body),
        ("POST", "/_zhanqun/logout") => logout(app, &head),
        ("GET" | "HEAD", "/_zhanqun/logout") => super::pages::logout(),
        (_, "/_zhanqun/account") => super::login::account(app, &head, &body),
        (_, "/_zhanqun/admin") => super::admin::answer(app, &head, &body),
        ("GET", "/_zhanqun/preview-ticket") => super::preview::ticket(app, &head),
        (_, p) if p.starts_with(crate::edit::PREFIX) => to_editor(app, head, body),
        _ => text(404, "not found"),
    }
}

/// A `303 See Other` to `to`, setting `cookie` if given.
pub fn see_other(to: &str, cookie: Option<String>) -> Reply {
    let mut headers = vec![
        ("Location", to.to_string()),
        ("Cache-Control", "no-store".to_string()),
    ];
    if let Some(c) = cookie {
        headers.push(("Set-Cookie", c));
    }
    Reply {
        status: 303,
        headers,
        body: Body::Bytes(Vec::new()),
    }
}

/// A JSON error `{"error": message}` with `status`.
pub fn json_error(status: u16, message: crate::i18n::Message) -> Reply {
    let body = serde_json::json!({ "error": message.to_string() }).to_string();
    Reply {
        status,
        headers: crate::edit::isolated_headers("application/json; charset=utf-8"),
        body: Body::Bytes(body.into_bytes()),
    }
}

/// The session of the request's cookie, whatever its stage.
pub fn session_of(app: &App, head: &Head) -> Option<(String, Session)> {
    let id = head.cookie(app.session_cookie())?;
    let session = app.store.session(&id, now(), app.setup.limits)?;
    Some((id, session))
}

/// The user a trusted proxy names in `server.remote_user_header` (the city's 统一身份认证
/// in front of the server). The header is believed only from an address of
/// `server.trusted_proxies`: sent by anyone else it is ignored.
fn proxy_user(app: &App, head: &Head) -> Option<String> {
    let name = app.setup.remote_user.as_deref()?.to_ascii_lowercase();
    if !app.setup.trusted.contains(&head.peer.ip()) {
        return None;
    }
    let user = head.header(&name)?.trim();
    super::valid_user_id(user).then(|| user.to_string())
}

/// The session for this request: its cookie's, or, when a trusted proxy names a user, that
/// user's (a new session, whose cookie the reply sets, when the cookie is for someone else).
pub fn session_for(app: &App, head: &Head) -> Option<(String, Session, Option<String>)> {
    let found = session_of(app, head);
    let Some(user) = proxy_user(app, head) else {
        return found.map(|(id, s)| (id, s, None));
    };
    if let Some((id, s)) = found.filter(|(_, s)| s.user == user) {
        return Some((id, s, None));
    }
    let id = app.store.open_session(&user, "ready", now())?;
    app.audit(head, &user, "login", "proxy", "ok");
    let session = app.store.session(&id, now(), app.setup.limits)?;
    let cookie = app.set_cookie(app.session_cookie(), &id, None);
    Some((id, session, Some(cookie)))
}

/// True when a write comes from a page of the public origin: `Origin` is it (a browser
/// sends one with every POST) and `Sec-Fetch-Site`, when sent, is `same-origin`.
pub fn same_origin(app: &App, head: &Head) -> bool {
    let origin_ok = match head.header("origin") {
        Some(o) => o == app.setup.public,
        None => head.method == "GET" || head.method == "HEAD",
    };
    origin_ok
        && head
            .header("sec-fetch-site")
            .is_none_or(|s| s == "same-origin" || s == "none")
}

fn logout(app: &App, head: &Head) -> Reply {
    if !same_origin(app, head) {
        return text(403, "forbidden");
    }
    if let Some((id, session)) = session_of(app, head) {
        let everywhere = head.target.contains("all=1");
        if everywhere {
            app.store.end_sessions_of(&session.user);
        } else {
            app.store.end_session(&id);
        }
        let action = if everywhere {
            "logout-everywhere"
        } else {
            "logout"
        };
        app.audit(head, &session.user, action, "", "ok");
    }
    let cleared = app.set_cookie(app.session_cookie(), "", Some(0));
    see_other("/_zhanqun/login", Some(cleared))
}

/// The editor for a user whose session is ready: its page with her token, its files, and
/// its API on the sites her roles allow.
fn to_editor(app: &App, head: Head, body: Vec<u8>) -> Reply {
    let Some((_, session, cookie)) = session_for(app, &head) else {
        return match head.path().contains("/api/") {
            true => json_error(401, crate::t!("server-login-needed")),
            false => see_other("/_zhanqun/login", None),
        };
    };
    if session.stage != "ready" {
        return see_other("/_zhanqun/account", None);
    }
    let call = head
        .path()
        .strip_prefix(crate::edit::PREFIX)
        .and_then(|r| r.strip_prefix("api/"))
        .map(str::to_string);
    let mut reply = match call {
        Some(call) => super::calls::api(app, head, body, &session, &call),
        None => editor_page(app, head, &session),
    };
    if let Some(cookie) = cookie {
        reply.headers.push(("Set-Cookie", cookie));
    }
    reply
}

/// The editor's page and files; the page carries the session's token.
fn editor_page(app: &App, head: Head, session: &Session) -> Reply {
    let roles = app.roles();
    let actor = Actor {
        id: session.user.clone(),
        name: String::new(),
        sites: roles.reads(&session.user),
        trailer: None,
    };
    let mut reply = app.editor.answer(app.to_editor(head, Vec::new(), actor));
    if let Body::Bytes(bytes) = &mut reply.body {
        let page = String::from_utf8_lossy(bytes).replace(&app.editor_token, &session.token);
        *bytes = page.into_bytes();
    }
    reply
}
