//! `/_zhanqun/admin` (管理员): a bureau's or a school's administrator adds a teacher to a site
//! she manages (an account with a first password shown once, and the role), and resets the
//! password of an account whose every role is on sites she manages. Roles are written to
//! `roles.yaml` and committed with her as the author when the cluster folder is in git.

use std::collections::HashMap;

use super::app::{App, Head, now};
use super::roles::{Reviewers, Roles};
use super::routes::{same_origin, see_other, session_for};
use super::session::Session;
use super::{login, pages, password, store};
use crate::serve::http::Reply;

/// Answers `/_zhanqun/admin`.
pub fn answer(app: &App, head: &Head, body: &[u8]) -> Reply {
    let Some((_, session, _)) = session_for(app, head).filter(|(_, s, _)| s.stage == "ready")
    else {
        return see_other("/_zhanqun/login", None);
    };
    let manages = app.roles().manages(&session.user, &app.cluster);
    if manages.is_empty() {
        return pages::message(403, &crate::t!("server-admin-none").to_string());
    }
    if head.method != "POST" {
        return pages::admin(&app.roles(), &manages, "");
    }
    if !same_origin(app, head) {
        return pages::message(403, &crate::t!("edit-foreign-origin").to_string());
    }
    let form = login::form(body);
    let field = |k: &str| {
        form.get(k)
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let done = match field("action").as_str() {
        "add" => add(
            app,
            head,
            &session,
            &manages,
            (
                &field("user"),
                &field("name"),
                &field("site"),
                &field("role"),
            ),
        ),
        "reset" => reset(app, head, &session, &manages, &field("user")),
        _ => Err(crate::t!("edit-no-such-call")),
    };
    let message = match done {
        Ok(m) | Err(m) => m.to_string(),
    };
    pages::admin(&app.roles(), &manages, &message)
}

/// A first password: 12 characters from every class.
fn first_password() -> Option<String> {
    let token = crate::edit::new_token()?;
    Some(format!(
        "Zq-{}{}",
        &token[..8],
        &token[8..9].to_ascii_uppercase()
    ))
}

type Added<'a> = (&'a str, &'a str, &'a str, &'a str);

fn add(
    app: &App,
    head: &Head,
    s: &Session,
    manages: &[String],
    (user, name, site, role): Added,
) -> Result<crate::i18n::Message, crate::i18n::Message> {
    if !manages.iter().any(|m| m == site) {
        app.audit(
            head,
            &s.user,
            "role-add",
            &format!("{site}:{user}"),
            "denied",
        );
        return Err(crate::t!("server-no-role", site = site.to_string()));
    }
    if !super::valid_user_id(user) || name.is_empty() {
        return Err(crate::t!("server-user-id", id = user.to_string()));
    }
    let mut shown = None;
    if app.store.user(user).is_none() {
        let first = first_password().ok_or_else(|| crate::t!("edit-no-randomness"))?;
        let hash = password::hash(&first).ok_or_else(|| crate::t!("edit-no-randomness"))?;
        let account = store::User {
            id: user.into(),
            name: name.into(),
            hash,
            must_change: true,
            totp_secret: None,
            totp_off: false,
            failures: 0,
            locked_until: 0,
        };
        app.store
            .add_user(&account, now())
            .map_err(|e| crate::t!("server-db", error = e.to_string()))?;
        app.audit(head, &s.user, "account-add", user, "ok");
        shown = Some(first);
    }
    let mut roles = (*app.roles()).clone();
    let entry = roles.sites.entry(site.to_string()).or_default();
    let list = match role {
        "writers" => &mut entry.writers,
        "admins" => &mut entry.admins,
        "reviewers" => match &mut entry.reviewers {
            Reviewers::All(list) => list,
            Reviewers::Levels(levels) => levels.entry(1).or_default(),
        },
        _ => return Err(crate::t!("edit-no-such-call")),
    };
    if !list.iter().any(|u| u == user) {
        list.push(user.to_string());
    }
    write_roles(app, &roles, s, &format!("{site}: {role} + {user}"))
        .map_err(|e| crate::t!("server-db", error = e))?;
    app.audit(
        head,
        &s.user,
        "role-add",
        &format!("{site}:{role}:{user}"),
        "ok",
    );
    Ok(match shown {
        Some(p) => crate::t!("server-admin-added", user = user.to_string(), password = p),
        None => crate::t!(
            "server-admin-role",
            user = user.to_string(),
            site = site.to_string()
        ),
    })
}

fn reset(
    app: &App,
    head: &Head,
    s: &Session,
    manages: &[String],
    user: &str,
) -> Result<crate::i18n::Message, crate::i18n::Message> {
    let roles = app.roles();
    let held: Vec<&String> = roles
        .sites
        .iter()
        .filter(|(_, r)| {
            r.writers.iter().chain(&r.admins).any(|u| u == user) || r.reviewers.contains(user)
        })
        .map(|(id, _)| id)
        .collect();
    if app.store.user(user).is_none()
        || held.is_empty()
        || held.iter().any(|id| !manages.contains(id))
    {
        app.audit(head, &s.user, "password-reset", user, "denied");
        return Err(crate::t!("server-admin-not-yours", user = user.to_string()));
    }
    let first = first_password().ok_or_else(|| crate::t!("edit-no-randomness"))?;
    let hash = password::hash(&first).ok_or_else(|| crate::t!("edit-no-randomness"))?;
    app.store.set_password(user, &hash, true);
    app.store.end_sessions_of(user);
    app.store.succeeded(user);
    app.audit(head, &s.user, "password-reset", user, "ok");
    Ok(crate::t!(
        "server-admin-reset",
        user = user.to_string(),
        password = first
    ))
}

/// `roles.yaml` written anew (the previous text stays in git's history) and committed as
/// `by` when the cluster folder is a git work tree that names no programs.
fn write_roles(app: &App, roles: &Roles, by: &Session, what: &str) -> Result<(), String> {
    let root = crate::confined::Root::open(&app.root, false).map_err(|e| e.to_string())?;
    root.write_atomically("roles.yaml", render(roles).as_bytes())
        .map_err(|e| e.to_string())?;
    let in_git = crate::sources::git::output(
        crate::sources::git::in_work_tree(&app.root).args(["rev-parse", "--is-inside-work-tree"]),
    )
    .is_ok();
    if !in_git || !crate::sources::git::programs_named(&app.root).is_ok_and(|p| p.is_empty()) {
        return Ok(());
    }
    let name = app.store.user(&by.user).map_or(by.user.clone(), |u| u.name);
    let mut add = crate::sources::git::in_work_tree(&app.root);
    add.args(["add", "--", "roles.yaml"]);
    let mut commit = crate::sources::git::in_work_tree(&app.root);
    commit
        .arg("-c")
        .arg(format!("user.name={name}"))
        .arg("-c")
        .arg(format!("user.email={}@zhanqun", by.user))
        .args([
            "commit",
            "--no-verify",
            "-m",
            &format!("角色：{what}\n\nZhanqun-Audit: {}", app.store.audit_head()),
            "--",
            "roles.yaml",
        ]);
    crate::sources::git::output(&mut add)
        .and_then(|_| crate::sources::git::output(&mut commit))
        .map(|_| ())
        .map_err(|e| e.0)
}

/// `roles.yaml` in its usual form.
fn render(roles: &Roles) -> String {
    let list = |users: &[String]| format!("[{}]", users.join(", "));
    let mut out =
        String::from("# 站群编辑器的角色：writers 通讯员，reviewers 审核，admins 管理员\n");
    for (site, r) in &roles.sites {
        out.push_str(&format!("{site}:\n"));
        if !r.writers.is_empty() {
            out.push_str(&format!("  writers: {}\n", list(&r.writers)));
        }
        match &r.reviewers {
            Reviewers::All(users) if !users.is_empty() => {
                out.push_str(&format!("  reviewers: {}\n", list(users)))
            }
            Reviewers::Levels(levels) if !levels.is_empty() => {
                let parts: Vec<String> = levels
                    .iter()
                    .map(|(l, u)| format!("{l}: {}", list(u)))
                    .collect();
                out.push_str(&format!("  reviewers: {{{}}}\n", parts.join(", ")));
            }
            _ => {}
        }
        if !r.admins.is_empty() {
            out.push_str(&format!("  admins: {}\n", list(&r.admins)));
        }
    }
    out
}

/// The accounts with a role on one of `sites`, with their roles there.
pub fn people(roles: &Roles, sites: &[String]) -> HashMap<String, Vec<(String, &'static str)>> {
    let mut out: HashMap<String, Vec<(String, &'static str)>> = HashMap::new();
    for site in sites {
        let Some(r) = roles.sites.get(site) else {
            continue;
        };
        for (users, role) in [(&r.writers, "writers"), (&r.admins, "admins")] {
            for u in users {
                out.entry(u.clone()).or_default().push((site.clone(), role));
            }
        }
        let reviewers: Vec<String> = match &r.reviewers {
            Reviewers::All(u) => u.clone(),
            Reviewers::Levels(l) => l.values().flatten().cloned().collect(),
        };
        for u in reviewers {
            out.entry(u).or_default().push((site.clone(), "reviewers"));
        }
    }
    out
}
