//! Feeds of each site: `atom.xml` and `rss.xml` of its own items, and `syndicated.xml` with
//! what it received from other sites as well. Items from other sites carry their title and
//! plain-text summary only (escaped), never their HTML, so nothing of a lower site's markup
//! reaches a higher site's feed.

use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
use chrono::{DateTime, FixedOffset};
use rss::{Channel, Guid, Item};

use crate::config::SiteKey;
use crate::content::{PageKey, SectionKind};
use crate::markdown::sanitize;
use crate::render::Model;
use crate::urls;

/// Number of entries in a feed.
pub const FEED_ITEMS: usize = 30;

/// The dated pages a site publishes itself, newest first, for its own feeds.
pub fn own_items(m: Model, site: SiteKey) -> Vec<PageKey> {
    newest(m, own(m, site).collect())
}

/// Own items and received ones, newest first.
pub fn syndicated_items(m: Model, site: SiteKey) -> Vec<PageKey> {
    newest(m, own(m, site).chain(m.federation.received(site)).collect())
}

fn own(m: Model<'_>, site: SiteKey) -> impl Iterator<Item = PageKey> + '_ {
    let lib = m.library;
    lib.sites[site]
        .pages
        .iter()
        .copied()
        .filter(|&k| in_feeds(&lib.pages[k]))
}

fn newest(m: Model, mut items: Vec<PageKey>) -> Vec<PageKey> {
    crate::federation::sort_items(m.library, SectionKind::Other, &mut items);
    items.dedup();
    items.truncate(FEED_ITEMS);
    items
}

/// Feeds carry publications: dated news, notices, disclosure items and other sections'
/// pages; resources have their own index (`resources/index.json`).
fn in_feeds(p: &crate::content::Page) -> bool {
    p.date.is_some() && p.kind.in_feeds()
}

/// An Atom 1.0 feed of `items` for `site`, written as `file` (`atom.xml`, `syndicated.xml`).
pub fn atom(m: Model, site: SiteKey, items: &[PageKey], file: &str, title_suffix: &str) -> String {
    let s = &m.cluster.sites[site];
    let self_url = format!("{}{file}", s.base_url);
    let mut feed = Feed::default();
    feed.set_title(Text::plain(format!("{}{title_suffix}", s.name)));
    feed.set_id(self_url.clone());
    feed.set_lang(Some(m.cluster.settings.language.clone()));
    feed.set_updated(last_update(m, items));
    feed.set_authors(vec![person(&s.name, &s.base_url)]);
    feed.set_links(vec![
        link(&self_url, "self", Some("application/atom+xml")),
        link(&s.base_url, "alternate", Some("text/html")),
    ]);
    feed.set_generator(Some(atom_syndication::Generator {
        value: "zhanqun".to_string(),
        uri: None,
        version: None,
    }));
    let entries: Vec<Entry> = items.iter().map(|&k| atom_entry(m, site, k)).collect();
    feed.set_entries(entries);
    feed.to_string()
}

fn atom_entry(m: Model, site: SiteKey, k: PageKey) -> Entry {
    let p = &m.library.pages[k];
    let origin = &m.cluster.sites[p.site];
    let url = urls::absolute(&origin.base_url, &p.path);
    let date = p.date.unwrap_or_else(epoch);
    let own = p.site == site;
    // Another site's words go out as sanitized HTML: no tag of theirs reaches this feed.
    let text = |t: &str| {
        if own {
            Text::plain(t.to_string())
        } else {
            Text::html(sanitize::text_only(t))
        }
    };
    let mut e = Entry::default();
    e.set_title(text(&p.title));
    e.set_id(url.clone());
    e.set_links(vec![link(&url, "alternate", Some("text/html"))]);
    e.set_published(Some(date));
    e.set_updated(p.updated.unwrap_or(date));
    // A name is plain text in Atom: markup a school wrote in it is dropped, not escaped.
    e.set_authors(vec![person(
        &sanitize::plain_text(p.meta.author.as_deref().unwrap_or(&origin.name)),
        &origin.base_url,
    )]);
    let summary = &m.bodies.summaries[k];
    if !summary.is_empty() {
        e.set_summary(Some(text(summary)));
    }
    if own {
        e.set_content(Some(Content {
            value: Some(m.bodies.pages[k].html.clone()),
            content_type: Some("html".to_string()),
            ..Default::default()
        }));
    }
    e
}

/// An RSS 2.0 feed of the site's own `items`.
pub fn rss(m: Model, site: SiteKey, items: &[PageKey]) -> String {
    let s = &m.cluster.sites[site];
    let mut channel = Channel::default();
    channel.set_title(s.name.clone());
    channel.set_link(s.base_url.clone());
    channel.set_description(format!("{}的最新信息", s.name));
    channel.set_language(Some(m.cluster.settings.language.clone()));
    channel.set_generator(Some("zhanqun".to_string()));
    channel.set_last_build_date(Some(last_update(m, items).to_rfc2822()));
    let rss_items: Vec<Item> = items
        .iter()
        .map(|&k| {
            let p = &m.library.pages[k];
            let url = urls::absolute(&m.cluster.sites[p.site].base_url, &p.path);
            let mut item = Item::default();
            item.set_title(Some(p.title.clone()));
            item.set_link(Some(url.clone()));
            item.set_guid(Some(Guid {
                value: url,
                permalink: true,
            }));
            item.set_pub_date(p.date.map(|d| d.to_rfc2822()));
            // RSS descriptions are HTML by convention: the plain summary is escaped first.
            item.set_description(Some(sanitize::escape(&m.bodies.summaries[k])));
            item
        })
        .collect();
    channel.set_items(rss_items);
    channel.to_string()
}

fn last_update(m: Model, items: &[PageKey]) -> DateTime<FixedOffset> {
    items
        .iter()
        .filter_map(|&k| {
            let p = &m.library.pages[k];
            p.updated.max(p.date)
        })
        .max()
        .unwrap_or_else(epoch)
}

/// A fixed date for feeds without items, so output stays byte-identical between builds.
fn epoch() -> DateTime<FixedOffset> {
    DateTime::UNIX_EPOCH.fixed_offset()
}

fn person(name: &str, uri: &str) -> Person {
    Person {
        name: name.to_string(),
        uri: Some(uri.to_string()),
        ..Default::default()
    }
}

fn link(href: &str, rel: &str, mime: Option<&str>) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel);
    l.set_mime_type(mime.map(str::to_string));
    l
}
