//! Publishing where a site's content folder is in a git repository: what is not committed
//! yet, "提交" (commit the site's folder with a message) and "推送" (push). git is run as
//! everywhere in zhanqun: hardened, so no hook or program named in the repository runs.

use std::path::Path;

use serde::Deserialize;
use serde_json::json;

use super::{Editor, body_json, busy, error, json};
use crate::serve::extension::Request;
use crate::serve::http::Reply;
use crate::sources::git::{in_work_tree, output};

/// The content folder of editable site `id`, if it is inside a git work tree.
fn work_tree(editor: &Editor, id: String) -> Option<Option<std::path::PathBuf>> {
    editor.with_live(move |live, editable| {
        let cluster = &live.driver.cluster;
        let site = cluster.get(&id).filter(|s| editable.contains(s))?;
        Some(cluster.sites[site].content_dir.clone())
    })
}

fn in_git(dir: &Path) -> bool {
    output(in_work_tree(dir).args(["rev-parse", "--is-inside-work-tree"]))
        .is_ok_and(|o| o.stdout.starts_with(b"true"))
}

/// The refusal to act on a work tree whose own configuration names programs (a filter, a
/// signing program, an SSH command …): git would run them on commit or push.
fn programs_refused(dir: &Path) -> Option<Reply> {
    match crate::sources::git::programs_named(dir) {
        Ok(keys) if keys.is_empty() => None,
        Ok(keys) => Some(error(
            400,
            crate::t!("edit-git-programs", keys = keys.join("、")),
        )),
        Err(e) => Some(error(500, crate::t!("edit-git-failed", error = e.0))),
    }
}

/// `GET git?site=`: whether the site is in git, and its changed files.
pub fn status(editor: &Editor, request: &Request) -> Reply {
    let Some(found) = work_tree(editor, request.query("site").unwrap_or_default()) else {
        return busy();
    };
    let Some(dir) = found else {
        return error(
            400,
            crate::t!(
                "edit-path-site",
                path = request.query("site").unwrap_or_default()
            ),
        );
    };
    if !in_git(&dir) {
        return json(200, &json!({ "git": false }));
    }
    match output(in_work_tree(&dir).args(["status", "--porcelain=v1", "-z", "--", "."])) {
        Ok(out) => {
            let changed: Vec<String> = out
                .stdout
                .split(|&b| b == 0)
                .filter(|e| e.len() > 3)
                .map(|e| String::from_utf8_lossy(&e[3..]).into_owned())
                .collect();
            json(200, &json!({ "git": true, "changed": changed }))
        }
        Err(e) => error(500, crate::t!("edit-git-failed", error = e.0)),
    }
}

#[derive(Deserialize)]
struct CommitBody {
    site: String,
    message: String,
}

/// `POST commit`: every change in the site's folder committed with the message, as git's
/// configured user (or `--author`).
pub fn commit(editor: &Editor, request: &Request) -> Reply {
    let body: CommitBody = match body_json(request) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let message = body.message.trim().to_string();
    if message.is_empty() {
        return error(400, crate::t!("edit-commit-message"));
    }
    let Some(Some(dir)) = work_tree(editor, body.site.clone()) else {
        return error(400, crate::t!("edit-path-site", path = body.site));
    };
    if !in_git(&dir) {
        return error(400, crate::t!("edit-not-git"));
    }
    if let Some(refused) = programs_refused(&dir) {
        return refused;
    }
    let added = output(in_work_tree(&dir).args(["add", "--all", "--", "."]));
    let mut commit = in_work_tree(&dir);
    if let Some((name, email)) = editor.opts.author.as_deref().and_then(author) {
        commit
            .arg("-c")
            .arg(format!("user.name={name}"))
            .arg("-c")
            .arg(format!("user.email={email}"));
    }
    let done = added
        .and_then(|_| output(commit.args(["commit", "--no-verify", "-m", &message, "--", "."])));
    match done {
        Ok(_) => json(200, &json!({ "committed": true })),
        Err(e) => error(500, crate::t!("edit-git-failed", error = e.0)),
    }
}

/// `名字 <email>` as (name, email).
fn author(text: &str) -> Option<(String, String)> {
    let (name, rest) = text.split_once('<')?;
    let email = rest.strip_suffix('>')?.trim();
    Some((name.trim().to_string(), email.to_string()))
}

#[derive(Deserialize)]
struct PushBody {
    site: String,
}

/// `POST push`: the site's repository pushed to its upstream.
pub fn push(editor: &Editor, request: &Request) -> Reply {
    let body: PushBody = match body_json(request) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let Some(Some(dir)) = work_tree(editor, body.site.clone()) else {
        return error(400, crate::t!("edit-path-site", path = body.site));
    };
    if !in_git(&dir) {
        return error(400, crate::t!("edit-not-git"));
    }
    if let Some(refused) = programs_refused(&dir) {
        return refused;
    }
    match output(in_work_tree(&dir).args(["push", "--no-verify"])) {
        Ok(_) => json(200, &json!({ "pushed": true })),
        Err(e) => error(500, crate::t!("edit-git-failed", error = e.0)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn authors_are_read() {
        assert_eq!(
            super::author("张老师 <zhang@school.cn>"),
            Some(("张老师".into(), "zhang@school.cn".into()))
        );
        assert_eq!(super::author("张老师"), None);
    }
}
