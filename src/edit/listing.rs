//! What the editor lists: a site's sections (those it has and those it may start), its
//! pages read straight from its folder — so a page with an error, a draft and a page dated
//! in the future are listed too — with their status, and the place of a new page.

use serde_json::{Value, json};

use crate::config::SiteKey;
use crate::content::page::{self, PageSource};
use crate::domain::{Folder, SectionKind};
use crate::i18n::Message;
use crate::serve::state::Live;

/// The sections of `site`: its own, then the standard ones it has not started yet.
pub fn sections(live: &Live, site: SiteKey) -> Vec<Value> {
    let driver = &live.driver;
    let library = &driver.linked.library;
    let s = &driver.cluster.sites[site];
    let mut out: Vec<(String, String, &'static str)> = library.sites[site]
        .sections
        .iter()
        .map(|&k| &library.sections[k])
        .map(|sec| {
            (
                sec.name.clone(),
                sec.title.clone(),
                Folder::of(&sec.name).form(),
            )
        })
        .collect();
    for folder in crate::domain::Folder::standard(s.kind.is_bureau()) {
        let name = folder.name().unwrap_or_default();
        if !out.iter().any(|(n, _, _)| n == name) {
            let title = match folder {
                Folder::Classes => crate::i18n::text("edit-section-classes", &[]),
                Folder::Topics => crate::i18n::text("edit-section-topics", &[]),
                Folder::Section(_) => crate::content::page::section_title(name).to_string(),
            };
            out.push((name.to_string(), title, folder.form()));
        }
    }
    out.into_iter()
        .map(|(name, title, kind)| json!({"name": name, "title": title, "kind": kind}))
        .collect()
}

/// Every page file of `site`, newest first, with its title, date and status.
pub fn pages(live: &Live, site: SiteKey) -> Vec<Value> {
    let driver = &live.driver;
    let s = &driver.cluster.sites[site];
    let mut ignored = Vec::new();
    let mut out: Vec<(String, Value)> = crate::content::files::walk(&s.content_dir, &mut ignored)
        .into_iter()
        .filter(|(_, rel)| {
            rel.ends_with(".md") && !rel.starts_with("static/") && !rel.starts_with("templates/")
        })
        .map(|(path, rel)| {
            let entry = entry(live, site, &path, &rel);
            let sort = entry["date"].as_str().unwrap_or_default().to_string();
            (sort, entry)
        })
        .collect();
    out.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1["path"].as_str().cmp(&b.1["path"].as_str()))
    });
    out.into_iter().map(|(_, v)| v).collect()
}

/// One page file as the list shows it.
fn entry(live: &Live, site: SiteKey, path: &std::path::Path, rel: &str) -> Value {
    let driver = &live.driver;
    let cluster = &driver.cluster;
    let s = &cluster.sites[site];
    let text = crate::read::read_text(path).unwrap_or_default();
    let src = PageSource {
        site,
        path,
        rel_path: rel,
        tz: &cluster.settings.timezone,
        bureau: s.kind.is_bureau(),
        vocab: &cluster.settings.vocabularies,
        content_dir: &s.content_dir,
    };
    let section = rel.split('/').next().unwrap_or_default();
    let special = matches!(Folder::of(section), Folder::Classes | Folder::Topics)
        || rel.ends_with("_index.md");
    let (read, problems) = if special {
        (None, Vec::new())
    } else {
        page::read(&text, &src)
    };
    let fields = super::api::fields(&text);
    let title = read
        .as_ref()
        .map(|p| p.title.clone())
        .or_else(|| fields["title"].as_str().map(str::to_string))
        .unwrap_or_else(|| rel.to_string());
    let date = read
        .as_ref()
        .and_then(|p| p.date)
        .map(|d| d.format("%Y-%m-%d %H:%M").to_string());
    let mut status: Vec<Message> = Vec::new();
    let broken = !special && (read.is_none() || problems.iter().any(|d| d.is_error()));
    if broken {
        status.push(crate::t!("edit-status-error"));
    }
    if let Some(p) = &read {
        status.extend(page_status(live, site, p, rel));
    }
    let url = read
        .as_ref()
        .map(|p| crate::urls::absolute(&s.base_url, &p.path));
    json!({
        "path": format!("{}/{rel}", s.id), "title": title, "date": date, "section": section,
        "status": status.iter().map(ToString::to_string).collect::<Vec<_>>(), "url": url, "broken": broken,
    })
}

/// 草稿, 待发布 or 已发布, and 已报送, 已采用 or 已下发 where that applies.
fn page_status(live: &Live, site: SiteKey, p: &page::Page, rel: &str) -> Vec<Message> {
    let driver = &live.driver;
    let now = driver.cluster.settings.now;
    let mut out = vec![match () {
        _ if p.meta.draft => crate::t!("edit-status-draft"),
        _ if p.date.is_some_and(|d| d > now) => crate::t!("edit-status-future"),
        _ => crate::t!("edit-status-published"),
    }];
    if p.syndicate == Some(crate::content::Syndicate::Down) {
        out.push(crate::t!("edit-status-down"));
    }
    if p.syndicate == Some(crate::content::Syndicate::Up) {
        out.extend(offer_status(live, site, &p.section, rel));
    }
    out
}

/// An offered page's state at the bureaus that list it: 待采用 or 已采用 where a bureau
/// reviews what is offered, 已报送 where it lists it at once.
fn offer_status(live: &Live, site: SiteKey, section: &str, rel: &str) -> Vec<Message> {
    let cluster = &live.driver.cluster;
    let id = &cluster.sites[site].id;
    let mut out: Vec<Message> = Vec::new();
    let mut say = |m: Message| {
        if !out.iter().any(|o| o.to_string() == m.to_string()) {
            out.push(m);
        }
    };
    for (distance, bureau) in cluster.ancestors(site).enumerate() {
        if !crate::federation::syndication::accepts(cluster, bureau, section, distance + 1) {
            continue;
        }
        if !cluster.sites[bureau].review {
            say(crate::t!("edit-status-offered"));
            continue;
        }
        let adopted = live.driver.found[bureau]
            .adopted
            .iter()
            .any(|a| &a.site == id && a.rel_path == rel);
        say(if adopted {
            crate::t!("edit-status-adopted")
        } else {
            crate::t!("edit-status-pending")
        });
    }
    out
}

/// The bureaus above `site` that review what it offers (`syndication.review`), by name.
pub fn reviewers_above(live: &Live, site: SiteKey) -> Vec<String> {
    let cluster = &live.driver.cluster;
    cluster
        .ancestors(site)
        .enumerate()
        .filter(|&(d, b)| {
            cluster.sites[b].review
                && crate::federation::syndication::accepts(
                    cluster,
                    b,
                    SectionKind::News.name(),
                    d + 1,
                )
        })
        .map(|(_, b)| cluster.sites[b].name.clone())
        .collect()
}

/// The path and first text of a new page titled `title` in `section` of site `id`: a
/// bundle folder `<date>-<name>/index.md` (plain pages: `<name>/index.md`), or
/// `<name>.md` for lessons and 专题; a name taken gets `-2`, `-3` ….
pub fn new_page(
    live: &Live,
    editable: &[SiteKey],
    id: &str,
    section: &str,
    title: &str,
) -> Result<(String, String), Message> {
    let cluster = &live.driver.cluster;
    let site = cluster
        .get(id)
        .filter(|s| editable.contains(s))
        .ok_or_else(|| crate::t!("edit-path-site", path = id))?;
    let title = title.trim();
    if title.is_empty() || title.chars().any(char::is_control) {
        return Err(crate::t!("edit-title-needed"));
    }
    if !super::paths::well_formed(section) || section.contains('/') {
        return Err(crate::t!("edit-path-invalid", path = section));
    }
    let now = cluster.settings.now;
    let name = crate::import::page::slug_of(title, "新页面");
    let kind = SectionKind::of(section);
    let dir = cluster.sites[site].content_dir.join(section);
    let (first, special) = match crate::scaffold::special_page(section, title, &now) {
        Some(text) => (format!("{name}.md"), Some(text)),
        None if kind == SectionKind::Pages => (format!("{name}/index.md"), None),
        None => (format!("{}-{name}/index.md", now.format("%Y-%m-%d")), None),
    };
    let mut rel = first.clone();
    for n in 2.. {
        let top = rel.split('/').next().unwrap_or_default();
        if !dir.join(top).exists() {
            break;
        }
        rel = first.replacen(&name, &format!("{name}-{n}"), 1);
    }
    let text = special.unwrap_or_else(|| {
        let date = now.format("%Y-%m-%d %H:%M").to_string();
        crate::scaffold::front_matter(cluster, kind, title, &date) + "\n"
    });
    Ok((format!("{id}/{section}/{rel}"), text))
}

/// The pages of the whole cluster whose title holds `words` (all of them, in any order),
/// newest first, at most `limit`: for a link to another page (`@/<site>/<path>.md`).
pub fn find(live: &Live, words: &str, limit: usize) -> Vec<Value> {
    let driver = &live.driver;
    let library = &driver.linked.library;
    let words: Vec<String> = words.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<&std::sync::Arc<crate::content::page::Page>> = library
        .pages
        .iter()
        .filter(|p| {
            let title = p.title.to_lowercase();
            words.iter().all(|w| title.contains(w.as_str()))
        })
        .collect();
    found.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)));
    found
        .into_iter()
        .take(limit)
        .map(|p| {
            let site = &driver.cluster.sites[p.site];
            json!({
                "title": p.title, "site": site.name, "link": format!("@/{}/{}", site.id, p.rel_path),
                "date": p.date.map(|d| d.format("%Y-%m-%d").to_string()),
            })
        })
        .collect()
}
