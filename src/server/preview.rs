//! The sites' previews, on an origin of their own: a school's page may hold its own
//! scripts, and they must never run where the session and the editor's API are. A preview
//! session is opened by a one-time ticket the editor's origin hands to a logged-in user
//! (`/_zhanqun/preview-ticket`), lasts as long as an editor session may, and reads only
//! the sites her roles let her read; it can write nothing anywhere.

use super::app::{App, Head, now};
use super::routes::see_other;
use crate::serve::http::{Reply, text};

const COOKIE: &str = "zq_preview";
/// Seconds a ticket is good for.
const TICKET_SECONDS: i64 = 60;

/// `GET /_zhanqun/preview-ticket?to=/<site>/…` on the editor's origin: a ticket for the
/// logged-in user, redirected to the preview origin, which opens its session with it.
pub fn ticket(app: &App, head: &Head) -> Reply {
    let Some((_, session, _)) =
        super::routes::session_for(app, head).filter(|(_, s, _)| s.stage == "ready")
    else {
        return see_other("/_zhanqun/login", None);
    };
    let to = query(head, "to")
        .filter(|t| t.starts_with('/') && !t.starts_with("//"))
        .unwrap_or_else(|| "/".to_string());
    let Some(ticket) = crate::edit::new_token() else {
        return text(503, "no randomness");
    };
    let mut previews = app.previews.lock().unwrap_or_else(|p| p.into_inner());
    previews.retain(|_, (_, until)| *until > now());
    previews.insert(
        format!("ticket:{ticket}"),
        (session.user, now() + TICKET_SECONDS),
    );
    let to = percent_encoding::utf8_percent_encode(&to, percent_encoding::NON_ALPHANUMERIC);
    see_other(
        &format!("{}/_zhanqun/ticket?t={ticket}&to={to}", app.setup.preview),
        None,
    )
}

fn query(head: &Head, name: &str) -> Option<String> {
    let (_, q) = head.target.split_once('?')?;
    q.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| {
            percent_encoding::percent_decode_str(v)
                .decode_utf8_lossy()
                .into_owned()
        })
    })
}

/// A request to the preview origin.
pub fn answer(app: &App, head: &Head) -> Reply {
    if head.method != "GET" && head.method != "HEAD" {
        return text(405, "only GET and HEAD are answered here");
    }
    if head.path() == "/_zhanqun/ticket" {
        return redeem(app, head);
    }
    let user = head.cookie(COOKIE).and_then(|id| {
        let previews = app.previews.lock().unwrap_or_else(|p| p.into_inner());
        previews
            .get(&format!("session:{id}"))
            .filter(|(_, until)| *until > now())
            .map(|(u, _)| u.clone())
    });
    let Some(user) = user else {
        // Through the editor's origin, where the user's session is, and back with a ticket.
        let to =
            percent_encoding::utf8_percent_encode(&head.target, percent_encoding::NON_ALPHANUMERIC);
        return see_other(
            &format!("{}/_zhanqun/preview-ticket?to={to}", app.setup.public),
            None,
        );
    };
    let site = head
        .path()
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
        .to_string();
    if !app.roles().reads(&user).contains(&site) {
        return text(403, &crate::t!("server-no-role", site = site).to_string());
    }
    let mut reply = crate::serve::http::answer(&app.shared, &head.target);
    reply.headers.push((
        "Content-Security-Policy",
        format!("frame-ancestors {}", app.setup.public),
    ));
    reply
        .headers
        .push(("Cache-Control", "no-store".to_string()));
    reply
}

/// `/_zhanqun/ticket?t=&to=`: a preview session for the ticket's user, then the page.
fn redeem(app: &App, head: &Head) -> Reply {
    let ticket = query(head, "t").unwrap_or_default();
    let mut previews = app.previews.lock().unwrap_or_else(|p| p.into_inner());
    let Some((user, until)) = previews.remove(&format!("ticket:{ticket}")) else {
        return text(
            403,
            "this preview link was used or is too old: open the page again in the editor",
        );
    };
    let Some(id) = crate::edit::new_token().filter(|_| until > now()) else {
        return text(
            403,
            "this preview link is too old: open the page again in the editor",
        );
    };
    previews.insert(
        format!("session:{id}"),
        (user, now() + app.setup.limits.absolute),
    );
    let to = query(head, "to")
        .filter(|t| t.starts_with('/') && !t.starts_with("//"))
        .unwrap_or_else(|| "/".to_string());
    // Its own cookie name: on one host the browser also sends the editor's cookie here,
    // which the previews never accept.
    let secure = if app.setup.preview.starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    see_other(
        &to,
        Some(format!(
            "{COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax{secure}"
        )),
    )
}
