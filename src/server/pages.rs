//! The server's own pages — 登录, 修改密码, 两步验证 — in the message catalogue's language,
//! without scripts, each field labelled.

use crate::i18n::text as t;
use crate::serve::http::{Body, Reply};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn page(status: u16, title: &str, body: &str) -> Reply {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title><style>body{{font:16px/1.6 system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}}label{{display:block;margin:.8rem 0 .2rem}}input{{width:100%;box-sizing:border-box;font-size:1rem;padding:.6rem;min-height:44px}}button{{margin-top:1.2rem;min-height:44px;padding:.5rem 1.5rem;font-size:1rem}}.error{{color:#a40000;font-weight:bold}}code{{font-size:1.1rem;word-break:break-all}}</style></head><body><main><h1>{title}</h1>{body}</main></body></html>\n",
        lang = if crate::i18n::lang() == crate::i18n::Lang::En {
            "en"
        } else {
            "zh-CN"
        },
    );
    let mut headers = crate::edit::isolated_headers("text/html; charset=utf-8");
    // With `no-referrer` a browser sends `Origin: null` with a form's POST, which the
    // same-origin check must refuse: these pages' forms need their own origin sent.
    for (name, value) in &mut headers {
        if *name == "Referrer-Policy" {
            *value = "same-origin".to_string();
        }
    }
    headers.push(("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'".to_string()));
    Reply {
        status,
        headers,
        body: Body::Bytes(html.into_bytes()),
    }
}

fn error(message: &str) -> String {
    if message.is_empty() {
        String::new()
    } else {
        format!("<p class=\"error\" role=\"alert\">{}</p>", escape(message))
    }
}

/// The login form, with `message` (why the last attempt failed) above it.
pub fn login(status: u16, message: &str) -> Reply {
    let body = format!(
        "{}<form method=\"post\" action=\"/_zhanqun/login\"><label for=\"user\">{}</label><input id=\"user\" name=\"user\" autocomplete=\"username\" required><label for=\"password\">{}</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required><label for=\"code\">{}</label><input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\"><button>{}</button></form><p>{}</p>",
        error(message),
        t("server-ui-user", &[]),
        t("server-ui-password", &[]),
        t("server-ui-code", &[]),
        t("server-ui-login", &[]),
        t("server-ui-forgot", &[]),
    );
    page(status, &t("server-ui-login-title", &[]), &body)
}

/// The password change due at first login or after a reset.
pub fn password(status: u16, message: &str) -> Reply {
    let body = format!(
        "<p>{}</p>{}<form method=\"post\" action=\"/_zhanqun/account\"><label for=\"old\">{}</label><input id=\"old\" name=\"old\" type=\"password\" autocomplete=\"current-password\" required><label for=\"new\">{}</label><input id=\"new\" name=\"new\" type=\"password\" autocomplete=\"new-password\" required><label for=\"again\">{}</label><input id=\"again\" name=\"again\" type=\"password\" autocomplete=\"new-password\" required><button>{}</button></form>",
        t("server-ui-password-why", &[]),
        error(message),
        t("server-ui-old", &[]),
        t("server-ui-new", &[]),
        t("server-ui-again", &[]),
        t("server-ui-save", &[]),
    );
    page(status, &t("server-ui-password-title", &[]), &body)
}

/// The enrolment of a second factor: the secret to type into an app, and its first code.
pub fn enrol(status: u16, message: &str, secret: &str, uri: &str) -> Reply {
    let body = format!(
        "<p>{}</p><p><code>{}</code></p><p><small>{}</small></p>{}<form method=\"post\" action=\"/_zhanqun/account\"><label for=\"code\">{}</label><input id=\"code\" name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" required><button>{}</button></form>",
        t("server-ui-enrol-why", &[]),
        escape(secret),
        escape(uri),
        error(message),
        t("server-ui-code", &[]),
        t("server-ui-save", &[]),
    );
    page(status, &t("server-ui-enrol-title", &[]), &body)
}

/// The recovery codes, shown once.
pub fn recovery(codes: &[String]) -> Reply {
    let list: String = codes
        .iter()
        .map(|c| format!("<li><code>{}</code></li>", escape(c)))
        .collect();
    let body = format!(
        "<p>{}</p><ol>{list}</ol><p><a href=\"/_zhanqun/edit/\">{}</a></p>",
        t("server-ui-recovery-why", &[]),
        t("server-ui-continue", &[]),
    );
    page(200, &t("server-ui-recovery-title", &[]), &body)
}

/// A page with one message.
pub fn message(status: u16, message: &str) -> Reply {
    page(status, &t("server-ui-admin-title", &[]), &error(message))
}

/// The administrator's page: the sites she manages with who holds which role there, a form
/// to add a teacher to one of them and one to reset a password.
pub fn admin(roles: &super::roles::Roles, sites: &[String], message: &str) -> Reply {
    let people = super::admin::people(roles, sites);
    let mut ids: Vec<&String> = people.keys().collect();
    ids.sort();
    let rows: String = ids
        .iter()
        .map(|id| {
            let held: Vec<String> = people[*id]
                .iter()
                .map(|(s, r)| format!("{s} {}", t(&format!("server-ui-role-{r}"), &[])))
                .collect();
            format!(
                "<tr><td>{}</td><td>{}</td></tr>",
                escape(id),
                escape(&held.join("、"))
            )
        })
        .collect();
    let options: String = sites
        .iter()
        .map(|s| format!("<option>{}</option>", escape(s)))
        .collect();
    let roles_options: String = ["writers", "reviewers", "admins"]
        .iter()
        .map(|r| {
            format!(
                "<option value=\"{r}\">{}</option>",
                t(&format!("server-ui-role-{r}"), &[])
            )
        })
        .collect();
    let notice = if message.is_empty() {
        String::new()
    } else {
        format!(
            "<p role=\"status\"><strong>{}</strong></p>",
            escape(message)
        )
    };
    let body = format!(
        "{notice}<table><caption>{}</caption><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr>{rows}</table>\
         <h2>{}</h2><form method=\"post\" action=\"/_zhanqun/admin\"><input type=\"hidden\" name=\"action\" value=\"add\">\
         <label for=\"user\">{}</label><input id=\"user\" name=\"user\" required><label for=\"name\">{}</label><input id=\"name\" name=\"name\" required>\
         <label for=\"site\">{}</label><select id=\"site\" name=\"site\">{options}</select><label for=\"role\">{}</label><select id=\"role\" name=\"role\">{roles_options}</select><button>{}</button></form>\
         <h2>{}</h2><form method=\"post\" action=\"/_zhanqun/admin\"><input type=\"hidden\" name=\"action\" value=\"reset\"><label for=\"reset-user\">{}</label><input id=\"reset-user\" name=\"user\" required><button>{}</button></form>",
        t("server-ui-admin-people", &[]),
        t("server-ui-user", &[]),
        t("server-ui-admin-roles", &[]),
        t("server-ui-admin-add", &[]),
        t("server-ui-user", &[]),
        t("server-ui-admin-name", &[]),
        t("server-ui-admin-site", &[]),
        t("server-ui-admin-role", &[]),
        t("server-ui-admin-add", &[]),
        t("server-ui-admin-reset", &[]),
        t("server-ui-user", &[]),
        t("server-ui-admin-reset", &[]),
    );
    page(200, &t("server-ui-admin-title", &[]), &body)
}

/// The way out: this session, or every session of the account.
pub fn logout() -> Reply {
    let body = format!(
        "<form method=\"post\" action=\"/_zhanqun/logout\"><button>{}</button></form><form method=\"post\" action=\"/_zhanqun/logout?all=1\"><button>{}</button></form><p><a href=\"/_zhanqun/edit/\">{}</a></p>",
        t("server-ui-logout", &[]),
        t("server-ui-logout-all", &[]),
        t("server-ui-continue", &[]),
    );
    page(200, &t("server-ui-logout-title", &[]), &body)
}
