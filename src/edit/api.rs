//! The editor's calls on pages: the site tree, a site's pages, loading, the live preview
//! with the page's problems, saving (SPEC §15's contract), a new page's place, and who
//! refers to a page.

use serde::Deserialize;
use serde_json::{Value, json};

use super::paths::{self, Kind};
use super::{Editor, body_json, busy, diagnostic_json, error, json};
use crate::serve::extension::Request;
use crate::serve::http::Reply;

/// The sites (as a tree), their sections, and the form of each kind of page.
pub fn tree(editor: &Editor, request: &Request) -> Reply {
    let done = editor.with_live(request, |live, editable| {
        let cluster = &live.driver.cluster;
        let sites: Vec<Value> = cluster
            .sites
            .iter_keyed()
            .map(|(k, s)| {
                json!({
                    "id": s.id, "name": s.name, "kind": s.kind.as_str(), "bureau": s.kind.is_bureau(),
                    "depth": s.depth, "parent": s.parent.map(|p| cluster.sites[p].id.clone()),
                    "editable": editable.contains(&k), "url": s.base_url,
                    "sections": super::listing::sections(live, k),
                    "up_help": up_help(&super::listing::reviewers_above(live, k)),
                })
            })
            .collect();
        json!({ "sites": sites, "form": super::form::schema(cluster) })
    });
    done.map_or_else(busy, |v| json(200, &v))
}

/// What 报送 does for a site below reviewing bureaus (they list it once they adopt it).
fn up_help(reviewers: &[String]) -> Option<String> {
    (!reviewers.is_empty())
        .then(|| crate::t!("edit-help-up-review", bureaus = reviewers.join("、")).to_string())
}

/// The pages of `?site=`, newest first, with their status.
pub fn pages(editor: &Editor, request: &Request) -> Reply {
    let id = request.query("site").unwrap_or_default();
    let done = editor.with_live(request, move |live, editable| {
        let site = live
            .driver
            .cluster
            .get(&id)
            .filter(|s| editable.contains(s))?;
        Some(super::listing::pages(live, site))
    });
    match done {
        None => busy(),
        Some(None) => error(
            400,
            crate::t!(
                "edit-path-site",
                path = request.query("site").unwrap_or_default()
            ),
        ),
        Some(Some(pages)) => json(200, &json!({ "pages": pages })),
    }
}

/// `GET load?path=`: the file's text, its version and its front matter as values.
pub fn load(editor: &Editor, request: &Request) -> Reply {
    let path = request.query("path").unwrap_or_default();
    let done = editor.with_live(request, move |live, editable| {
        let target = paths::resolve(&live.driver.cluster, editable, &path, Kind::Page)?;
        target.read().map_err(|e| paths::Refused(unreadable(&e)))
    });
    match done {
        None => busy(),
        Some(Err(paths::Refused(m))) => error(400, m),
        Some(Ok(None)) => error(404, crate::t!("edit-not-found")),
        Some(Ok(Some(bytes))) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            json(
                200,
                &json!({ "text": text, "version": paths::version(&bytes), "fields": fields(&text) }),
            )
        }
    }
}

/// The front matter of `text` as JSON values, for the form (`{}` when it cannot be read).
pub fn fields(text: &str) -> Value {
    let front = crate::content::frontmatter::split(text)
        .map(|s| s.front.to_string())
        .unwrap_or_default();
    let value: crate::yaml::Value = crate::yaml::parse(&front).unwrap_or(crate::yaml::Value::Null);
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// `text` with the front matter keys of `set` changed (a `null` removes one), through the
/// yaml module: other keys, comments and the body stay as they are. A text without front
/// matter gets one.
pub fn with_fields(text: &str, set: &serde_json::Map<String, Value>) -> String {
    let (front, body) = match crate::content::frontmatter::split(text) {
        Ok(split) => (
            split.front.trim_end_matches(['\n', '\r']).to_string(),
            split.body.to_string(),
        ),
        Err(_) => (String::new(), format!("\n{text}")),
    };
    let front = set.iter().fold(front, |front, (key, value)| {
        crate::yaml::edit::set_key(&front, key, Some(value))
    });
    let front = front.trim_start_matches('\n');
    format!("---\n{front}\n---\n{body}")
}

#[derive(Deserialize)]
struct FieldsBody {
    text: String,
    set: serde_json::Map<String, Value>,
}

/// `POST fields`: the text with some front matter keys changed (the form's changes),
/// written by the yaml module, and the front matter read back.
pub fn set_fields(request: &Request) -> Reply {
    let body: FieldsBody = match body_json(request) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let text = with_fields(&body.text, &body.set);
    json(200, &json!({ "text": text, "fields": fields(&text) }))
}

#[derive(Deserialize)]
struct MergeBody {
    base: String,
    mine: String,
    theirs: String,
}

/// `POST merge`: this tab's text and the one saved meanwhile, merged by paragraph.
pub fn merge(request: &Request) -> Reply {
    let body: MergeBody = match body_json(request) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let merged = super::merge::merge(&body.base, &body.mine, &body.theirs);
    json(
        200,
        &json!({ "text": merged.text, "clean": merged.clean, "fields": fields(&merged.text) }),
    )
}

/// Why a file of the content could not be read: not a regular file (a pipe, a device, a
/// folder), or the system's own reason.
pub fn unreadable(e: &std::io::Error) -> crate::i18n::Message {
    if e.kind() == std::io::ErrorKind::InvalidInput {
        return crate::t!("not-a-file");
    }
    crate::t!("cannot-read", error = crate::diagnostics::io_error_text(e))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn fields_change_only_their_lines() {
        let text = "---\ntitle: 旧\n# 保留\ndate: 2026-11-20\n---\n正文\n";
        let set = json!({"title": "新: 标题", "tags": ["读书节"], "draft": null});
        let done = super::with_fields(text, set.as_object().unwrap());
        assert_eq!(
            done,
            "---\ntitle: \"新: 标题\"\n# 保留\ndate: 2026-11-20\ntags: [读书节]\n---\n正文\n"
        );
        let bare = super::with_fields("正文", json!({"title": "x"}).as_object().unwrap());
        assert_eq!(bare, "---\ntitle: x\n---\n\n正文");
    }
}

#[derive(Deserialize)]
struct PreviewBody {
    path: String,
    text: String,
}

/// `POST preview`: the page as it would be, with its problems.
pub fn preview(editor: &Editor, request: &Request) -> Reply {
    let body: PreviewBody = match body_json(request) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let done = editor.with_live(request, move |live, editable| {
        let target = paths::resolve(&live.driver.cluster, editable, &body.path, Kind::Page)?;
        let preview = live.driver.preview(target.site, &target.rel, &body.text);
        Ok(json!({
            "html": preview.html,
            "url": preview.url,
            "diagnostics": preview.diagnostics.iter().map(diagnostic_json).collect::<Vec<_>>(),
            "also_on": preview.also_on.iter().map(|(site, url)| json!({"site": site, "url": url})).collect::<Vec<_>>(),
            "fields": fields(&body.text),
        }))
    });
    match done {
        None => busy(),
        Some(Err(paths::Refused(m))) => error(400, m),
        Some(Ok(v)) => json(200, &v),
    }
}

#[derive(Deserialize)]
struct SaveBody {
    path: String,
    text: String,
    base: Option<String>,
}

/// `POST save`: written when the text has no errors and the file is still the version it
/// was loaded at (or, for a new file, does not exist).
pub fn save(editor: &Editor, request: &Request) -> Reply {
    let body: SaveBody = match body_json(request) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    editor
        .with_live(request, move |live, editable| save_in(live, editable, body))
        .unwrap_or_else(busy)
}

fn save_in(
    live: &mut crate::serve::state::Live,
    editable: &[crate::config::SiteKey],
    body: SaveBody,
) -> Reply {
    let target = match paths::resolve(&live.driver.cluster, editable, &body.path, Kind::Page) {
        Ok(t) => t,
        Err(paths::Refused(m)) => return error(400, m),
    };
    let current = match target.read() {
        Ok(current) => current,
        Err(e) => return error(400, unreadable(&e)),
    };
    let changed = match (&body.base, &current) {
        (None, None) => false,
        (Some(base), Some(bytes)) => *base != paths::version(bytes),
        _ => true,
    };
    if changed {
        let current = current
            .map(|b| json!({"text": String::from_utf8_lossy(&b), "version": paths::version(&b)}));
        return json(
            409,
            &json!({ "saved": false, "error": crate::t!("edit-changed-on-disk").to_string(), "current": current }),
        );
    }
    let preview = live.driver.preview(target.site, &target.rel, &body.text);
    let diagnostics: Vec<Value> = preview.diagnostics.iter().map(diagnostic_json).collect();
    if preview.diagnostics.iter().any(|d| d.is_error()) {
        return json(422, &json!({ "saved": false, "diagnostics": diagnostics }));
    }
    if let Err(e) = target.write(body.text.as_bytes()) {
        let message = crate::t!(
            "edit-write-failed",
            error = crate::diagnostics::io_error_text(&e)
        );
        return error(500, message);
    }
    json(
        200,
        &json!({
            "saved": true,
            "url": preview.url,
            "diagnostics": diagnostics,
            "version": paths::version(body.text.as_bytes()),
        }),
    )
}

#[derive(Deserialize)]
struct NewBody {
    site: String,
    section: String,
    title: String,
}

/// `POST new`: where a new page with this title goes (a bundle folder named by date and
/// title, as `new page` names files) and its first text; nothing is written.
pub fn new_page(editor: &Editor, request: &Request) -> Reply {
    let body: NewBody = match body_json(request) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let done = editor.with_live(request, move |live, editable| {
        super::listing::new_page(live, editable, &body.site, &body.section, &body.title)
    });
    match done {
        None => busy(),
        Some(Err(m)) => error(400, m),
        Some(Ok((path, text))) => json(
            200,
            &json!({ "path": path, "text": text, "fields": fields(&text) }),
        ),
    }
}

/// `GET find?q=`: pages of the cluster to link to, by words of their title.
pub fn find(editor: &Editor, request: &Request) -> Reply {
    let words = request.query("q").unwrap_or_default();
    editor
        .with_live(request, move |live, _| {
            super::listing::find(live, &words, 20)
        })
        .map_or_else(busy, |pages| json(200, &json!({ "pages": pages })))
}

/// `GET refs?path=`: the pages, listings and adoptions that refer to the page.
pub fn refs(editor: &Editor, request: &Request) -> Reply {
    let path = request.query("path").unwrap_or_default();
    let done = editor.with_live(request, move |live, editable| {
        let target = paths::resolve(&live.driver.cluster, editable, &path, Kind::Page)?;
        Ok(live.driver.references(target.site, &target.rel))
    });
    match done {
        None => busy(),
        Some(Err(paths::Refused(m))) => error(400, m),
        Some(Ok(refs)) => {
            let list: Vec<Value> = refs
                .iter()
                .map(|r| json!({"kind": r.kind, "site": r.site, "what": r.what, "url": r.url}))
                .collect();
            json(200, &json!({ "refs": list }))
        }
    }
}
