//! The editor's calls on files: pictures and attachments stored beside a page, a Word
//! document made a page, a page deleted (moved to the cluster's trash, never destroyed) or
//! renamed (its old address kept as an alias when asked).

use serde::Deserialize;
use serde_json::json;

use super::paths::{self, Kind, PICTURES};
use super::{Editor, body_json, busy, error, json};
use crate::photos;
use crate::serve::extension::Request;
use crate::serve::http::Reply;

/// `POST upload?page=&name=&keep=1`: the body stored beside the page under a safe name;
/// pictures without their metadata and scaled down unless `keep`.
pub fn upload(editor: &Editor, request: &Request) -> Reply {
    let page = request.query("page").unwrap_or_default();
    let given = request.query("name").unwrap_or_default();
    let Some(name) = paths::safe_name(&given) else {
        let allowed = paths::ATTACHMENTS.join("、");
        return error(
            400,
            crate::t!("edit-upload-type", name = given, allowed = allowed),
        );
    };
    if request.body.len() as u64 > editor.opts.max_upload {
        let mb = (editor.opts.max_upload / (1024 * 1024)) as i64;
        return error(413, crate::t!("edit-upload-large", max = mb));
    }
    let upload = match processed(request, name) {
        Ok(upload) => upload,
        Err(reply) => return reply,
    };
    let picture = upload.picture;
    let (scaled_from, size) = (upload.scaled_from, upload.bytes.len());
    let name = match store_beside(editor, request, page, upload.name, upload.bytes) {
        Ok(name) => name,
        Err(reply) => return reply,
    };
    let markdown = if picture {
        format!("![]({name})")
    } else {
        format!("[{name}]({name})")
    };
    let answer = json!({ "name": name, "markdown": markdown, "picture": picture,
        "scaled_from": scaled_from, "bytes": size });
    json(200, &answer)
}

/// An upload as it will be stored.
struct Upload {
    name: String,
    bytes: Vec<u8>,
    picture: bool,
    scaled_from: Option<u32>,
}

/// The request's file as stored: programs refused, pictures re-encoded (their extension
/// following what they became).
fn processed(request: &Request, name: String) -> Result<Upload, Reply> {
    if request.body.starts_with(b"MZ") || request.body.starts_with(b"\x7fELF") {
        return Err(error(400, crate::t!("edit-upload-program")));
    }
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name.as_str(), ""));
    if !PICTURES.contains(&extension) {
        return Ok(Upload {
            bytes: request.body.clone(),
            name,
            picture: false,
            scaled_from: None,
        });
    }
    match photos::store(&request.body, request.query("keep").as_deref() == Some("1")) {
        Ok(stored) => Ok(Upload {
            name: format!("{stem}.{}", stored.extension),
            bytes: stored.bytes,
            picture: true,
            scaled_from: stored.scaled_from,
        }),
        Err(photos::Problem::Busy) => Err(busy()),
        Err(problem) => {
            let status = match problem {
                photos::Problem::TooLarge(..) => 413,
                _ => 400,
            };
            Err(error(status, problem.message(&name)))
        }
    }
}

/// Stores `bytes` beside `page` under `name`, or `name-2`, `name-3` … when taken; the name
/// it got. The name is chosen and the file written in one step of the rebuild loop, each
/// candidate created only if nothing is there, so parallel uploads of files with one name
/// (every pasted picture is 粘贴的图片.jpg) each keep their own.
fn store_beside(
    editor: &Editor,
    request: &Request,
    page: String,
    name: String,
    bytes: Vec<u8>,
) -> Result<String, Reply> {
    let done = editor.with_live(request, move |live, editable| {
        let cluster = &live.driver.cluster;
        let target =
            paths::resolve(cluster, editable, &page, Kind::Page).map_err(|r| (400, r.0))?;
        let id = &cluster.sites[target.site].id;
        let folder = target.rel.rsplit_once('/').map_or("", |(dir, _)| dir);
        let root = target.root().map_err(write_failed)?;
        let (stem, extension) = name.rsplit_once('.').unwrap_or((name.as_str(), ""));
        for n in 1..1000 {
            let candidate = match n {
                1 => name.clone(),
                _ => format!("{stem}-{n}.{extension}"),
            };
            let rel = match folder {
                "" => candidate.clone(),
                _ => format!("{folder}/{candidate}"),
            };
            // The same confinement as every path the editor is given.
            paths::resolve(cluster, editable, &format!("{id}/{rel}"), Kind::Attachment)
                .map_err(|r| (400, r.0))?;
            match root.write_new(&rel, &bytes) {
                Ok(()) => return Ok(candidate),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(write_failed(e)),
            }
        }
        Err(write_failed(std::io::Error::from(
            std::io::ErrorKind::AlreadyExists,
        )))
    });
    match done {
        None => Err(busy()),
        Some(Err((status, m))) => Err(error(status, m)),
        Some(Ok(name)) => Ok(name),
    }
}

/// An error writing into the content, as the editor says it.
fn write_failed(e: std::io::Error) -> (u16, crate::i18n::Message) {
    let text = crate::diagnostics::io_error_text(&e);
    (500, crate::t!("edit-write-failed", error = text))
}

#[derive(Deserialize)]
struct PasteBody {
    html: String,
}

/// `POST paste?page=&keep=1`: pasted HTML as Markdown, by the Word importer's converter;
/// the pictures that came inside it stored beside the page, and the ones that could not
/// come named.
pub fn paste(editor: &Editor, request: &Request) -> Reply {
    let body: PasteBody = match body_json(request) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let page = request.query("page").unwrap_or_default();
    let keep = request.query("keep").as_deref() == Some("1");
    let pasted = crate::import::html::convert(&body.html, keep);
    let mut markdown = pasted.markdown;
    for (n, picture) in pasted.pictures.into_iter().enumerate() {
        let name = match store_beside(editor, request, page.clone(), picture.name, picture.bytes) {
            Ok(name) => name,
            Err(reply) => return reply,
        };
        markdown = markdown.replace(&crate::import::html::placeholder(n), &name);
    }
    let missing: Vec<String> = pasted.missing.iter().map(missing_text).collect();
    json(200, &json!({ "markdown": markdown, "missing": missing }))
}

/// What to tell the writer of a picture that could not come with the pasted text.
fn missing_text(missing: &crate::import::html::Missing) -> String {
    use crate::import::html::Missing;
    let (id, name) = match missing {
        Missing::Web(name) => ("edit-paste-web-picture", name),
        Missing::Local(name) => ("edit-paste-local-picture", name),
        Missing::Refused(name) => ("edit-paste-bad-picture", name),
    };
    crate::i18n::text(id, &[("name", name.as_str().into())])
}

/// `POST import?to=<site>/<section>&name=<file>.docx`: the Word document as a new draft page
/// bundle, with what could not be carried over.
pub fn import(editor: &Editor, request: &Request) -> Reply {
    let to = request.query("to").unwrap_or_default();
    let name = request.query("name").unwrap_or_default();
    let stem = name
        .rsplit_once('.')
        .map_or(name.as_str(), |(s, _)| s)
        .to_string();
    let body = request.body.clone();
    let options = crate::import::Options {
        keep_size: request.query("keep").as_deref() == Some("1"),
    };
    let copy = request.query("copy").as_deref() == Some("1");
    let done = editor.with_live(request, move |live, editable| {
        let id = to.split('/').next().unwrap_or_default();
        let cluster = &live.driver.cluster;
        let Some(site) = cluster.get(id).filter(|s| editable.contains(s)) else {
            return Err((400, crate::t!("edit-path-site", path = to.clone())));
        };
        let root = cluster.root.clone();
        let (mut imported, converted) =
            crate::import::page::prepare_bytes(&root, &body, &stem, &to, None, options)
                .map_err(|e| (400, e.0))?;
        if converted.markdown.trim().is_empty() && converted.pictures.is_empty() {
            return Err((400, crate::t!("import-empty")));
        }
        if imported.taken() && !copy {
            return Err((
                409,
                crate::t!("import-twice", title = imported.title.clone()),
            ));
        }
        for n in 2..100 {
            if !imported.taken() {
                break;
            }
            imported.as_copy(n);
        }
        crate::import::page::write(&imported, &converted).map_err(|e| (400, e.0))?;
        let content_dir = cluster.sites[site].content_dir.clone();
        Ok((imported, id.to_string(), content_dir, root))
    });
    match done {
        None => busy(),
        Some(Err((status, m))) => error(status, m),
        Some(Ok((imported, id, content_dir, root))) => {
            let full = root.join(&imported.page);
            let rel = full
                .strip_prefix(&content_dir)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let lost: Vec<String> = imported
                .lost
                .iter()
                .map(|(l, n)| crate::i18n::text(l.message_id(), &[("n", (*n as i64).into())]))
                .collect();
            json(
                200,
                &json!({
                    "path": format!("{id}/{rel}"), "text": imported.text, "version": paths::version(imported.text.as_bytes()),
                    "fields": super::api::fields(&imported.text), "lost": lost, "missing_alt": imported.missing_alt,
                }),
            )
        }
    }
}

#[derive(Deserialize)]
struct DeleteBody {
    path: String,
    base: Option<String>,
}

/// `POST delete`: the page (with its bundle's files) moved to `.zhanqun/trash/<time>/`.
pub fn delete(editor: &Editor, request: &Request) -> Reply {
    let body: DeleteBody = match body_json(request) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let done = editor.with_live(request, move |live, editable| {
        let cluster = &live.driver.cluster;
        let target =
            paths::resolve(cluster, editable, &body.path, Kind::Page).map_err(|r| (400, r.0))?;
        unchanged(&target, body.base.as_deref())?;
        let moved = moved_part(&target.rel);
        let stamp = cluster.settings.now.format("%Y%m%d-%H%M%S").to_string();
        let id = &cluster.sites[target.site].id;
        let trash_dir = cluster.root.join(super::trash::TRASH);
        let trash = crate::confined::Root::open(&trash_dir, true).map_err(write_failed)?;
        let to = format!("{stamp}/{id}/{moved}");
        let root = target.root().map_err(write_failed)?;
        root.move_to(&moved, &trash, &to).map_err(write_failed)?;
        Ok(format!("{}/{to}", super::trash::TRASH))
    });
    match done {
        None => busy(),
        Some(Err((status, m))) => error(status, m),
        Some(Ok(trash)) => json(200, &json!({ "deleted": true, "trash": trash })),
    }
}

/// `Err(409)` unless the file is still at version `base`.
fn unchanged(
    target: &paths::EditPath,
    base: Option<&str>,
) -> Result<(), (u16, crate::i18n::Message)> {
    let current = match target.read() {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Err((404, crate::t!("edit-not-found"))),
        Err(e) => return Err((400, super::api::unreadable(&e))),
    };
    match base {
        Some(b) if b == paths::version(&current) => Ok(()),
        _ => Err((409, crate::t!("edit-changed-on-disk"))),
    }
}

/// What moves with a page, by its path in the content folder: its bundle folder for
/// `index.md`, else the file.
fn moved_part(rel: &str) -> String {
    rel.strip_suffix("/index.md").unwrap_or(rel).to_string()
}

#[derive(Deserialize)]
struct RenameBody {
    path: String,
    base: Option<String>,
    /// The new name (the part of the address after the section).
    name: String,
    /// Keep the old address working (`aliases:`).
    alias: bool,
}

/// `POST rename`: the page (or its bundle) under a new name, keeping its date prefix; the
/// old address added to its `aliases:` when asked.
pub fn rename(editor: &Editor, request: &Request) -> Reply {
    let body: RenameBody = match body_json(request) {
        Ok(b) => b,
        Err(reply) => return reply,
    };
    let done = editor.with_live(request, move |live, editable| {
        rename_in(live, editable, body)
    });
    match done {
        None => busy(),
        Some(Err((status, m))) => error(status, m),
        Some(Ok((path, version))) => json(200, &json!({ "path": path, "version": version })),
    }
}

fn rename_in(
    live: &crate::serve::state::Live,
    editable: &[crate::config::SiteKey],
    body: RenameBody,
) -> Result<(String, String), (u16, crate::i18n::Message)> {
    let cluster = &live.driver.cluster;
    let target =
        paths::resolve(cluster, editable, &body.path, Kind::Page).map_err(|r| (400, r.0))?;
    unchanged(&target, body.base.as_deref())?;
    let name = crate::import::page::slug_of(&body.name, "");
    if name.is_empty() {
        return Err((400, crate::t!("edit-title-needed")));
    }
    let moved = moved_part(&target.rel);
    let (dir, last) = moved.rsplit_once('/').unwrap_or(("", moved.as_str()));
    let renamed = renamed(last, &name);
    let new_rel = if dir.is_empty() {
        renamed.clone()
    } else {
        format!("{dir}/{renamed}")
    };
    let id = cluster.sites[target.site].id.clone();
    let page_rel = if target.rel.ends_with("/index.md") {
        format!("{new_rel}/index.md")
    } else {
        new_rel.clone()
    };
    let new_target = paths::resolve(cluster, editable, &format!("{id}/{page_rel}"), Kind::Page)
        .map_err(|r| (400, r.0))?;
    let old_url = live
        .driver
        .linked
        .library
        .pages
        .iter()
        .find(|p| p.source == target.full)
        .map(|p| format!("/{}", p.path));
    let root = target.root().map_err(write_failed)?;
    root.move_to(&moved, &root, &new_rel)
        .map_err(write_failed)?;
    let bytes = new_target.read().map_err(write_failed)?.unwrap_or_default();
    let mut text = String::from_utf8_lossy(&bytes).into_owned();
    if let (true, Some(url)) = (body.alias, old_url) {
        text = add_alias(&text, &url);
        new_target.write(text.as_bytes()).map_err(write_failed)?;
    }
    Ok((format!("{id}/{page_rel}"), paths::version(text.as_bytes())))
}

/// `last` (a file or bundle name) with its name part replaced, keeping a date prefix and
/// the extension.
fn renamed(last: &str, name: &str) -> String {
    let (stem, extension) = match last.strip_suffix(".md") {
        Some(stem) => (stem, ".md"),
        None => (last, ""),
    };
    match crate::content::frontmatter::date_prefix(stem) {
        Some(_) => format!("{}-{name}{extension}", &stem[..10]),
        None => format!("{name}{extension}"),
    }
}

/// `text` with `alias` added to its `aliases:` (through the yaml module).
pub fn add_alias(text: &str, alias: &str) -> String {
    let mut aliases: Vec<serde_json::Value> = match &super::api::fields(text)["aliases"] {
        serde_json::Value::Array(list) => list.clone(),
        serde_json::Value::String(one) => vec![one.clone().into()],
        _ => Vec::new(),
    };
    aliases.push(alias.into());
    let mut set = serde_json::Map::new();
    set.insert("aliases".into(), aliases.into());
    super::api::with_fields(text, &set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_added_in_every_form() {
        let add = |t: &str| add_alias(t, "/news/旧/");
        assert_eq!(
            add("---\ntitle: a\n---\n正文\n"),
            "---\ntitle: a\naliases: [/news/旧/]\n---\n正文\n"
        );
        assert_eq!(
            add("---\naliases: [/x/]\n---\n"),
            "---\naliases: [/x/, /news/旧/]\n---\n"
        );
        assert_eq!(
            add("---\naliases: /x/\n---\n"),
            "---\naliases: [/x/, /news/旧/]\n---\n"
        );
        assert_eq!(
            add("---\naliases:\n  - /x/\ntitle: a\n---\n"),
            "---\naliases: [/x/, /news/旧/]\ntitle: a\n---\n"
        );
        // A character YAML would read otherwise is quoted.
        assert_eq!(
            add_alias("---\ntitle: a\n---\n", "/news/a, b/"),
            "---\ntitle: a\naliases: [\"/news/a, b/\"]\n---\n"
        );
    }

    #[test]
    fn renames_keep_the_date_and_extension() {
        assert_eq!(
            renamed("2026-11-30-运动会.md", "秋季运动会"),
            "2026-11-30-秋季运动会.md"
        );
        assert_eq!(renamed("2026-11-30-运动会", "新"), "2026-11-30-新");
        assert_eq!(renamed("about.md", "学校简介"), "学校简介.md");
    }
}
