//! The editor's API behind a login: the session's token and the public origin checked, then
//! every site the call names (in its query or anywhere in its JSON body) checked against
//! the user's roles — writes need 通讯员 on the site, reads 通讯员 or 审核 — before the
//! editor sees the call, and the editor itself only ever offers those sites. Each write and
//! each refusal goes to the audit log.

use super::app::{App, Head};
use super::routes::{json_error, same_origin};
use super::session::Session;
use crate::serve::extension::Actor;
use crate::serve::http::Reply;

/// Calls that change nothing: answered on the sites the user reads.
const READS: [&str; 10] = [
    "tree", "pages", "load", "refs", "git", "find", "trash", "preview", "fields", "merge",
];

/// Answers API call `call` for `session`.
pub fn api(app: &App, head: Head, body: Vec<u8>, session: &Session, call: &str) -> Reply {
    let given = head.header("x-zhanqun-token").unwrap_or_default();
    if !crate::edit::constant_time_eq(given.as_bytes(), session.token.as_bytes()) {
        return json_error(403, crate::t!("edit-no-token"));
    }
    if !same_origin(app, &head) {
        return json_error(403, crate::t!("edit-foreign-origin"));
    }
    let roles = app.roles();
    let writes = !READS.contains(&call);
    let sites = if writes {
        roles.writes(&session.user)
    } else {
        roles.reads(&session.user)
    };
    let named = named_sites(app, &head, &body);
    let target = target_of(&head, &body, &named);
    if let Some(other) = named.iter().find(|id| !sites.contains(id)) {
        app.audit(&head, &session.user, call, &target, "denied");
        return json_error(403, crate::t!("server-no-role", site = other.clone()));
    }
    let name = app
        .store
        .user(&session.user)
        .map(|u| u.name)
        .unwrap_or_else(|| session.user.clone());
    let trailer = writes.then(|| format!("Zhanqun-Audit: {}", app.store.audit_head()));
    let actor = Actor {
        id: session.user.clone(),
        name,
        sites,
        trailer,
    };
    let audit_head = head_copy(&head);
    let reply = app.editor.answer(app.to_editor(head, body, actor));
    if writes {
        let result = if reply.status < 300 {
            "ok".to_string()
        } else {
            reply.status.to_string()
        };
        app.audit(&audit_head, &session.user, call, &target, &result);
    }
    reply
}

fn head_copy(head: &Head) -> Head {
    Head {
        method: head.method.clone(),
        target: head.target.clone(),
        headers: head.headers.clone(),
        peer: head.peer,
    }
}

/// The sites of the cluster a call names: every query value and every string of its JSON
/// body that is a site id or starts with `<site id>/`.
fn named_sites(app: &App, head: &Head, body: &[u8]) -> Vec<String> {
    let mut strings: Vec<String> = query_values(&head.target);
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        collect_strings(&value, &mut strings);
    }
    let mut ids: Vec<String> = strings
        .iter()
        .filter_map(|s| {
            let id = s.trim_start_matches('/').split('/').next()?;
            app.cluster.get(id).map(|_| id.to_string())
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

fn query_values(target: &str) -> Vec<String> {
    let Some((_, query)) = target.split_once('?') else {
        return Vec::new();
    };
    query
        .split('&')
        .map(|pair| {
            let value = pair
                .split_once('=')
                .map_or("", |(_, v)| v)
                .replace('+', " ");
            percent_encoding::percent_decode_str(&value)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect()
}

fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| collect_strings(v, out)),
        _ => {}
    }
}

/// What the audit log names as the call's target: its `path`, else its first site.
fn target_of(head: &Head, body: &[u8], named: &[String]) -> String {
    let from_body = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("path").and_then(|p| p.as_str()).map(str::to_string));
    let from_query = query_values(&head.target)
        .into_iter()
        .find(|v| v.contains('/'));
    from_body
        .or(from_query)
        .or_else(|| named.first().cloned())
        .unwrap_or_default()
}
