//! 回收站: the pages deleted in the editor (moved to `.zhanqun/trash/<time>/<site>/<path>`,
//! never destroyed), listed for the editable sites with their titles, and put back where
//! they were unless something has taken that place meanwhile.

use serde::Deserialize;
use serde_json::json;

use super::paths::{self, Kind};
use super::{Editor, body_json, busy, error, json};
use crate::confined::Root;
use crate::serve::extension::Request;
use crate::serve::http::Reply;

/// Where deleted pages go, under the cluster folder.
pub const TRASH: &str = ".zhanqun/trash";

/// `GET trash`: the deleted pages of the editable sites, newest first.
pub fn list(editor: &Editor, request: &Request) -> Reply {
    let done = editor.with_live(request, |live, editable| {
        let cluster = &live.driver.cluster;
        let trash = cluster.root.join(TRASH);
        let mut out = Vec::new();
        for stamp in names(&trash).into_iter().rev() {
            for &site in editable {
                let id = &cluster.sites[site].id;
                let dir = trash.join(&stamp).join(id);
                pages_in(&dir, "", &mut |rel, title| {
                    out.push(json!({
                        "entry": format!("{stamp}/{id}/{rel}"), "site": id, "path": format!("{id}/{rel}"),
                        "title": title, "deleted": shown_time(&stamp),
                    }));
                });
            }
        }
        out
    });
    done.map_or_else(busy, |list| json(200, &json!({ "trash": list })))
}

/// The names in a folder, sorted.
fn names(dir: &std::path::Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    out.sort();
    out
}

/// Every deleted page under `dir`: a `.md` file, or a bundle folder with its `index.md`.
fn pages_in(dir: &std::path::Path, rel: &str, found: &mut dyn FnMut(String, String)) {
    for name in names(dir) {
        let path = dir.join(&name);
        let here = if rel.is_empty() {
            name.clone()
        } else {
            format!("{rel}/{name}")
        };
        if path.join("index.md").is_file() {
            found(here, title_of(&path.join("index.md")));
        } else if path.is_dir() {
            pages_in(&path, &here, found);
        } else if name.ends_with(".md") {
            found(here, title_of(&path));
        }
    }
}

fn title_of(path: &std::path::Path) -> String {
    let text = crate::read::read_text(path).unwrap_or_default();
    super::api::fields(&text)["title"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// `20261120-093000` as `2026-11-20 09:30`.
fn shown_time(stamp: &str) -> String {
    let d: Vec<char> = stamp.chars().collect();
    if d.len() != 15 {
        return stamp.to_string();
    }
    let s = |a: usize, b: usize| d[a..b].iter().collect::<String>();
    format!(
        "{}-{}-{} {}:{}",
        s(0, 4),
        s(4, 6),
        s(6, 8),
        s(9, 11),
        s(11, 13)
    )
}

#[derive(Deserialize)]
struct RestoreBody {
    entry: String,
}

/// `POST restore`: a deleted page (with its bundle's files) back where it was.
pub fn restore(editor: &Editor, request: &Request) -> Reply {
    let body: RestoreBody = match body_json(request) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let done = editor.with_live(request, move |live, editable| {
        let cluster = &live.driver.cluster;
        let mut parts = body.entry.splitn(3, '/');
        let (Some(stamp), Some(id), Some(rel)) = (parts.next(), parts.next(), parts.next()) else {
            return Err((
                400,
                crate::t!("edit-path-invalid", path = body.entry.clone()),
            ));
        };
        let page = if rel.ends_with(".md") {
            rel.to_string()
        } else {
            format!("{rel}/index.md")
        };
        let target = paths::resolve(cluster, editable, &format!("{id}/{page}"), Kind::Page)
            .map_err(|r| (400, r.0))?;
        if !crate::confined::plain_name(stamp) || !paths::well_formed(rel) {
            return Err((
                400,
                crate::t!("edit-path-invalid", path = body.entry.clone()),
            ));
        }
        let trash = Root::open(&cluster.root.join(TRASH), false).map_err(io)?;
        let content = target.root().map_err(io)?;
        if content.exists(rel) {
            return Err((
                409,
                crate::t!("edit-restore-taken", path = format!("{id}/{rel}")),
            ));
        }
        trash.move_to(&body.entry, &content, rel).map_err(io)?;
        Ok(json!({ "path": format!("{id}/{page}") }))
    });
    match done {
        None => busy(),
        Some(Err((status, m))) => error(status, m),
        Some(Ok(v)) => json(200, &v),
    }
}

fn io(e: std::io::Error) -> (u16, crate::i18n::Message) {
    let text = crate::diagnostics::io_error_text(&e);
    (500, crate::t!("edit-write-failed", error = text))
}
