//! Publishing where a site's content folder is in a git repository: what is not committed
//! yet (each file, so the writer chooses what a commit takes), what is committed but not
//! pushed, 提交 (the chosen files with a message), 推送, and 同步 — fetch and rebase onto the
//! remote, where a page changed on both sides is merged by paragraph (`merge.rs`) and named
//! for a look, never lost. git runs as everywhere in zhanqun: hardened, and not at all in a
//! work tree whose own configuration names programs.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::json;

use super::{Editor, body_json, busy, error, json};
use crate::serve::extension::Request;
use crate::serve::http::Reply;
use crate::sources::git::{GitError, in_work_tree, output};

/// The content folder of editable site `id`, if it is inside a git work tree.
fn work_tree(editor: &Editor, request: &Request, id: String) -> Option<Option<PathBuf>> {
    editor.with_live(request, move |live, editable| {
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
        Err(e) => Some(git_failed(&e)),
    }
}

/// The site's work tree, ready for a git command, or the reply refusing.
fn ready(editor: &Editor, request: &Request, site: String) -> Result<PathBuf, Reply> {
    let Some(found) = work_tree(editor, request, site.clone()) else {
        return Err(busy());
    };
    let Some(dir) = found else {
        return Err(error(400, crate::t!("edit-path-site", path = site)));
    };
    if !in_git(&dir) {
        return Err(error(400, crate::t!("edit-not-git")));
    }
    programs_refused(&dir).map_or(Ok(dir), Err)
}

/// A git error in the writer's words: a push the remote refused, a remote that cannot be
/// reached or that wants other credentials, git missing — else git's own words after a
/// Chinese lead.
pub fn git_failed(e: &GitError) -> Reply {
    let said = e.0.to_ascii_lowercase();
    let id = match () {
        _ if said.contains("rejected")
            || said.contains("fetch first")
            || said.contains("non-fast-forward") =>
        {
            "edit-git-behind"
        }
        _ if said.contains("authentication")
            || said.contains("permission denied")
            || said.contains("could not read username")
            || said.contains("403") =>
        {
            "edit-git-denied"
        }
        _ if said.contains("could not resolve")
            || said.contains("connection")
            || said.contains("timed out")
            || said.contains("unable to access") =>
        {
            "edit-git-offline"
        }
        _ if said.contains("no upstream")
            || said.contains("no tracking")
            || said.contains("no configured push destination") =>
        {
            "edit-git-no-remote"
        }
        _ => return error(500, crate::t!("edit-git-failed", error = e.0.clone())),
    };
    error(409, crate::i18n::Message::new(id, Vec::new()))
}

/// `GET git?site=`: whether the site is in git, its changed files, and how far it is ahead
/// of (not pushed) and behind (not synced) its remote.
pub fn status(editor: &Editor, request: &Request) -> Reply {
    let site = request.query("site").unwrap_or_default();
    let Some(found) = work_tree(editor, request, site.clone()) else {
        return busy();
    };
    let Some(dir) = found else {
        return error(400, crate::t!("edit-path-site", path = site));
    };
    if !in_git(&dir) {
        return json(200, &json!({ "git": false }));
    }
    let changed = match changed_files(&dir) {
        Ok(files) => files,
        Err(e) => return git_failed(&e),
    };
    let (ahead, behind) = distance(&dir).unwrap_or((0, 0));
    let upstream = distance(&dir).is_some();
    json(
        200,
        &json!({ "git": true, "changed": changed, "ahead": ahead, "behind": behind, "upstream": upstream }),
    )
}

/// The changed files of the site's folder, relative to the repository, with what
/// happened to each (`new`, `changed`, `deleted`).
fn changed_files(dir: &Path) -> Result<Vec<serde_json::Value>, GitError> {
    let out = output(in_work_tree(dir).args([
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--",
        ".",
    ]))?;
    Ok(out
        .stdout
        .split(|&b| b == 0)
        .filter(|e| e.len() > 3)
        .map(|e| {
            let code = &e[..2];
            let kind = match code {
                b"??" | b"A " | b"AM" => "new",
                _ if code.contains(&b'D') => "deleted",
                _ => "changed",
            };
            json!({ "path": String::from_utf8_lossy(&e[3..]), "kind": kind })
        })
        .collect())
}

/// Commits ahead of and behind the upstream; `None` without one.
fn distance(dir: &Path) -> Option<(u64, u64)> {
    let out = output(in_work_tree(dir).args([
        "rev-list",
        "--left-right",
        "--count",
        "@{upstream}...HEAD",
    ]))
    .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut numbers = text.split_whitespace().map(|n| n.parse::<u64>().ok());
    let behind = numbers.next()??;
    let ahead = numbers.next()??;
    Some((ahead, behind))
}

#[derive(Deserialize)]
struct CommitBody {
    site: String,
    message: String,
    /// The files to commit, as `git` listed them; every changed file when absent.
    files: Option<Vec<String>>,
}

/// `POST commit`: the chosen changed files of the site's folder committed with the message,
/// as git's configured user (or `--author`).
pub fn commit(editor: &Editor, request: &Request) -> Reply {
    let body: CommitBody = match body_json(request) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let message = body.message.trim().to_string();
    if message.is_empty() {
        return error(400, crate::t!("edit-commit-message"));
    }
    let dir = match ready(editor, request, body.site.clone()) {
        Ok(dir) => dir,
        Err(reply) => return reply,
    };
    let files = match chosen(&dir, body.files) {
        Ok(files) => files,
        Err(reply) => return reply,
    };
    let root = repository_root(&dir);
    let mut add = in_work_tree(&root);
    add.args(["add", "--all", "--"]).args(&files);
    let mut commit = in_work_tree(&root);
    // A logged-in user of `zhanqun server` is the author; her commit carries the audit
    // log's head, so an audit log rewritten later no longer matches the history.
    let (by, message) = match &request.actor {
        Some(a) => (
            Some((a.name.clone(), format!("{}@zhanqun", a.id))),
            match &a.trailer {
                Some(line) => format!("{message}\n\n{line}"),
                None => message,
            },
        ),
        None => (editor.opts.author.as_deref().and_then(author), message),
    };
    if let Some((name, email)) = by {
        commit
            .arg("-c")
            .arg(format!("user.name={name}"))
            .arg("-c")
            .arg(format!("user.email={email}"));
    }
    commit
        .args(["commit", "--no-verify", "-m", &message, "--"])
        .args(&files);
    match output(&mut add).and_then(|_| output(&mut commit)) {
        Ok(_) => json(200, &json!({ "committed": true, "files": files })),
        Err(e) => git_failed(&e),
    }
}

/// The files to commit: the chosen ones, each a changed file of the site's folder (a path
/// git listed, never one the request made up), else all of them.
fn chosen(dir: &Path, asked: Option<Vec<String>>) -> Result<Vec<String>, Reply> {
    let changed: Vec<String> = changed_files(dir)
        .map_err(|e| git_failed(&e))?
        .iter()
        .filter_map(|f| f["path"].as_str().map(str::to_string))
        .collect();
    let files = match asked {
        None => changed,
        Some(asked) if asked.iter().all(|f| changed.contains(f)) => asked,
        Some(_) => return Err(error(400, crate::t!("edit-commit-unknown-file"))),
    };
    if files.is_empty() {
        return Err(error(400, crate::t!("edit-commit-nothing")));
    }
    Ok(files)
}

/// The top of the work tree `dir` is in (the paths git lists are relative to it).
fn repository_root(dir: &Path) -> PathBuf {
    output(in_work_tree(dir).args(["rev-parse", "--show-toplevel"]))
        .ok()
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
        .unwrap_or_else(|| dir.to_path_buf())
}

/// `名字 <email>` as (name, email).
fn author(text: &str) -> Option<(String, String)> {
    let (name, rest) = text.split_once('<')?;
    let email = rest.strip_suffix('>')?.trim();
    Some((name.trim().to_string(), email.to_string()))
}

#[derive(Deserialize)]
struct SiteBody {
    site: String,
}

/// `POST push`: the site's repository pushed to its upstream; a refusal because the remote
/// has newer commits says to 同步 first.
pub fn push(editor: &Editor, request: &Request) -> Reply {
    let body: SiteBody = match body_json(request) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let dir = match ready(editor, request, body.site) {
        Ok(dir) => dir,
        Err(reply) => return reply,
    };
    match output(in_work_tree(&dir).args(["push", "--no-verify"])) {
        Ok(_) => json(200, &json!({ "pushed": true })),
        Err(e) => git_failed(&e),
    }
}

/// `POST sync`: the remote's new commits fetched and this repository's own commits put on
/// top of them; pages changed on both sides merged by paragraph and listed.
pub fn sync(editor: &Editor, request: &Request) -> Reply {
    let body: SiteBody = match body_json(request) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let dir = match ready(editor, request, body.site) {
        Ok(dir) => dir,
        Err(reply) => return reply,
    };
    match super::sync::run(&repository_root(&dir)) {
        Ok(done) => json(
            200,
            &json!({ "synced": true, "fetched": done.fetched, "merged": done.merged, "to_check": done.to_check }),
        ),
        Err(e) => git_failed(&e),
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
