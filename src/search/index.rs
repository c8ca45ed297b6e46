//! One site's static search index: the documents of its subtree, newest first, with
//! postings sharded by term so that a query loads a few small files. Result rows (title,
//! excerpt, …) are stored once, by the site that published the page; a bureau's index maps
//! its document numbers to them, so a city of 100,000 pages does not copy 100,000 excerpts
//! into every level above a school. The layout is documented in docs/search.md and read by
//! `themes/default/static/js/search.js`:
//!
//! - `search/meta.json`: counts, chunk sizes, a stamp that changes with the content, and the
//!   filter choices (sites below, sections, facet values).
//! - `search/t/<n>.bin`: the terms whose FNV-1a hash is `n` modulo the shard count, each as
//!   `varint len, term (UTF-8), kind, varint payload len, payload`; kind 0 is a list of
//!   `varint doc delta, varint weight` pairs after a varint count, kind 1 a bitmap of every
//!   document (weight 1), used when it is smaller; kind 2 is that bitmap followed by one of
//!   the documents that hold the word only in boilerplate (weight 0).
//! - `search/m/<n>.bin`: for documents `n*map ..`, `varint site, varint row` each: the site
//!   (an index into `search/s/`) and the row in that site's own rows.
//! - `search/s/<n>.json`: sites `n*site_chunk ..` as `[id, name, rows folder URL]`.
//! - `search/own/<n>.json`: this site's own pages, newest first, `chunk` rows per file, each
//!   `[url, title, site, section, date, excerpt]`. For a site on another host, a bureau
//!   keeps a copy under `search/sites/<id>/` (nothing is fetched from other hosts).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::json;

use super::TermMap;
use super::docs::{Document, EXCERPT_CHARS};
use crate::config::{Cluster, SiteKey};
use crate::content::meta::Facet;
use crate::routes;

/// Rows per file: a results page of 10 loads at most 10 files of about 10 KB.
pub const CHUNK: usize = 16;

/// Documents per map file.
const MAP_CHUNK: usize = 512;

/// Sites per site-table file.
const SITE_CHUNK: usize = 64;

/// Aimed size of one term shard, in bytes.
const SHARD_BYTES: usize = 16 * 1024;

use super::docs::FILTER;

/// Output files of one index: path below the site folder and bytes.
pub type Files = Vec<(String, Vec<u8>)>;

/// The documents of one site, newest first (see [`order`]).
pub type SiteDocs<'a> = (SiteKey, &'a [Document]);

/// The order of documents in every index and in a site's own rows: newest first, then by URL.
pub fn order(a: &Document, b: &Document) -> std::cmp::Ordering {
    b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url))
}

/// Builds the index of `root` from the documents of its subtree (`subtree[0]` is `root`'s
/// own). `stamps` are the hashes of each site's own rows, so the stamp changes when any row
/// of the subtree does.
pub fn build(
    cluster: &Cluster,
    subtree: &[SiteDocs],
    dict: &TermMap<Box<str>>,
    stamps: &[u64],
) -> Files {
    let root = subtree[0].0;
    let sites: Vec<&SiteDocs> = subtree.iter().filter(|(_, d)| !d.is_empty()).collect();
    let mut docs: Vec<(u32, u32, &Document)> = sites
        .iter()
        .enumerate()
        .flat_map(|(t, (_, ds))| {
            ds.iter()
                .enumerate()
                .map(move |(i, d)| (t as u32, i as u32, d))
        })
        .collect();
    docs.sort_by(|a, b| order(a.2, b.2));
    let ordered: Vec<&Document> = docs.iter().map(|d| d.2).collect();
    // Every site below, also those without pages of their own: a county's filter finds its
    // schools' pages even when the county itself has published nothing.
    let paths = site_filter_dict(cluster, root, subtree);
    let mut files = shards(cluster, root, &ordered, dict, &paths);
    // A site whose index holds only its own pages (most schools) needs no map: document
    // `d` is its own row `d`. A short site table goes into meta.json.
    let identity = sites.len() <= 1;
    if !identity {
        files.extend(docs.chunks(MAP_CHUNK).enumerate().map(|(n, c)| {
            let mut b = Vec::new();
            for &(t, i, _) in c {
                varint(&mut b, u64::from(t));
                varint(&mut b, u64::from(i));
            }
            (routes::search_map(n), b)
        }));
    }
    let table = site_table(cluster, root, &sites);
    let inline = table.len() <= SITE_CHUNK;
    if !inline {
        files.extend(
            table
                .chunks(SITE_CHUNK)
                .enumerate()
                .map(|(n, c)| (routes::search_sites(n), serde_json::to_vec(c).unwrap())),
        );
    }
    for (site, ds) in &sites[..] {
        if *site != root && !same_origin(cluster, root, *site) {
            let dir = routes::search_copy(&cluster.sites[*site].id);
            files.extend(rows(cluster, *site, ds, &dir));
        }
    }
    let stamp = super::stamp(
        files
            .iter()
            .map(|(_, b)| xxhash_rust::xxh3::xxh3_64(b))
            .chain(stamps.iter().copied()),
    );
    let layout = Layout {
        shards: files_named(&files, routes::search_terms(0).trim_end_matches("0.bin")),
        map: if identity { 0 } else { MAP_CHUNK },
        site_table: inline.then_some(table),
        stamp,
    };
    let meta = meta(cluster, root, &ordered, layout);
    files.push((routes::SEARCH_META.to_string(), meta));
    // The same for every site: the writer links the one copy (`pipeline::add_search_files`).
    files.push((routes::SEARCH_VARIANTS.to_string(), Vec::new()));
    files
}

fn files_named(files: &Files, prefix: &str) -> usize {
    files.iter().filter(|(p, _)| p.starts_with(prefix)).count()
}

/// The term shards of the ordered documents.
fn shards(
    cluster: &Cluster,
    root: SiteKey,
    docs: &[&Document],
    dict: &TermMap<Box<str>>,
    paths: &TermMap<Box<str>>,
) -> Files {
    let postings = postings(cluster, root, docs, dict, paths);
    let entries: Vec<Vec<u8>> = postings
        .iter()
        .map(|(t, p)| entry(t, p, docs.len()))
        .collect();
    let total: usize = entries.iter().map(Vec::len).sum();
    let shards = total.div_ceil(SHARD_BYTES).max(1);
    let mut shard_bytes = vec![Vec::new(); shards];
    for ((term, _), bytes) in postings.iter().zip(entries) {
        shard_bytes[fnv1a(term) as usize % shards].extend(bytes);
    }
    shard_bytes
        .into_iter()
        .enumerate()
        .map(|(i, b)| (routes::search_terms(i), b))
        .collect()
}

/// How the index of one site is laid out, as meta.json tells the script.
struct Layout {
    shards: usize,
    /// Documents per map file; 0 when document `d` is the site's own row `d`.
    map: usize,
    /// The site table itself when it is short, else it is in `search/s/`.
    site_table: Option<Vec<serde_json::Value>>,
    stamp: u64,
}

/// Id, name and rows folder of each site with pages in the index.
fn site_table(cluster: &Cluster, root: SiteKey, sites: &[&SiteDocs]) -> Vec<serde_json::Value> {
    sites
        .iter()
        .map(|(s, _)| {
            let site = &cluster.sites[*s];
            let rows = if *s == root {
                "own/".to_string()
            } else if same_origin(cluster, root, *s) {
                format!("{}{}", path_of(&site.base_url), routes::SEARCH_OWN)
            } else {
                routes::search_copy(&site.id)
                    .trim_start_matches("search/")
                    .to_string()
            };
            json!([site.id, site.name, rows])
        })
        .collect()
}

/// The rows of one site's own documents, `CHUNK` per file under `dir`.
pub fn rows(cluster: &Cluster, site: SiteKey, docs: &[Document], dir: &str) -> Files {
    docs.chunks(CHUNK)
        .enumerate()
        .map(|(n, c)| {
            let rows: Vec<_> = c.iter().map(|d| doc_row(cluster, site, d)).collect();
            (format!("{dir}{n}.json"), serde_json::to_vec(&rows).unwrap())
        })
        .collect()
}

fn path_of(url: &str) -> &str {
    match crate::urls::split_origin(url).1 {
        "" => "/",
        p => p,
    }
}

/// True when a bureau above `site` is on another host and so keeps a copy of its rows.
pub fn copied_above(cluster: &Cluster, site: SiteKey) -> bool {
    cluster
        .ancestors(site)
        .any(|a| !same_origin(cluster, a, site))
}

fn same_origin(cluster: &Cluster, a: SiteKey, b: SiteKey) -> bool {
    crate::urls::split_origin(&cluster.sites[a].base_url).0
        == crate::urls::split_origin(&cluster.sites[b].base_url).0
}

/// Postings of every term, sorted by term so shards are byte-identical between builds. A
/// posting is `doc << 8 | weight`. Besides the words, a document is listed under filter
/// terms: its section and facet values (made with the document, see
/// [`super::docs::filter_term`]) and each site between it and `root`, so that a county's
/// filter finds its schools' pages.
fn postings<'a>(
    cluster: &Cluster,
    root: SiteKey,
    docs: &[&Document],
    dict: &'a TermMap<Box<str>>,
    paths: &'a TermMap<Box<str>>,
) -> Vec<(&'a str, Vec<u32>)> {
    let mut by_hash: TermMap<Vec<u32>> = TermMap::default();
    let mut site_terms: std::collections::HashMap<SiteKey, Vec<u64>> = Default::default();
    for (i, d) in docs.iter().enumerate() {
        let doc = (i as u32) << 8;
        for &t in &d.terms {
            by_hash
                .entry(t >> 8)
                .or_default()
                .push(doc | (t & 0xff) as u32);
        }
        let path = site_terms
            .entry(d.site)
            .or_insert_with(|| path_terms(cluster, root, d.site));
        for &h in path.iter() {
            by_hash.entry(h).or_default().push(doc);
        }
    }
    let mut all: Vec<(&str, Vec<u32>)> = by_hash
        .into_iter()
        .filter_map(|(h, p)| dict.get(&h).or_else(|| paths.get(&h)).map(|t| (&**t, p)))
        .collect();
    all.sort_unstable_by(|a, b| a.0.cmp(b.0));
    all
}

/// The strings of the site filter terms below `root` (`\u{1}u:<id>`), by hash.
fn site_filter_dict(cluster: &Cluster, root: SiteKey, subtree: &[SiteDocs]) -> TermMap<Box<str>> {
    subtree
        .iter()
        .filter(|(s, _)| *s != root)
        .map(|(s, _)| {
            let t = site_filter(cluster, *s);
            (super::docs::term_hash(&t), t.into_boxed_str())
        })
        .collect()
}

fn site_filter(cluster: &Cluster, site: SiteKey) -> String {
    format!("{FILTER}u:{}", cluster.sites[site].id)
}

/// Hashes of the site filter terms of a page of `site`: every site from it up to `root`.
fn path_terms(cluster: &Cluster, root: SiteKey, site: SiteKey) -> Vec<u64> {
    let mut out = Vec::new();
    let mut at = Some(site);
    while let Some(s) = at.filter(|&s| s != root) {
        out.push(super::docs::term_hash(&site_filter(cluster, s)));
        at = cluster.sites[s].parent;
    }
    out
}

/// One term's bytes in a shard: the smaller of a list and a bitmap.
fn entry(term: &str, postings: &[u32], docs: usize) -> Vec<u8> {
    let mut list = Vec::new();
    varint(&mut list, postings.len() as u64);
    let mut prev = 0u32;
    for &p in postings {
        varint(&mut list, u64::from((p >> 8) - prev));
        varint(&mut list, u64::from(p & 0xff));
        prev = p >> 8;
    }
    let bitmap_len = docs.div_ceil(8);
    // A bitmap weighs every document 1; a word some pages hold only in boilerplate (weight
    // 0; filters are weighed 0 everywhere and rank nothing) gets a second bitmap of those.
    let zero = !term.starts_with(FILTER) && postings.iter().any(|p| p & 0xff == 0);
    let bitmaps = if zero { 2 } else { 1 };
    let (kind, payload) = if list.len() > bitmaps * bitmap_len {
        let mut bits = vec![0u8; bitmaps * bitmap_len];
        for &p in postings {
            let d = (p >> 8) as usize;
            let at = if zero && p & 0xff == 0 { bitmap_len } else { 0 };
            bits[at + d / 8] |= 1 << (d % 8);
        }
        (bitmaps as u8, bits)
    } else {
        (0u8, list)
    };
    let mut out = Vec::with_capacity(payload.len() + term.len() + 8);
    varint(&mut out, term.len() as u64);
    out.extend_from_slice(term.as_bytes());
    out.push(kind);
    varint(&mut out, payload.len() as u64);
    out.extend(payload);
    out
}

/// LEB128: seven bits per byte, low bits first.
fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// 32-bit FNV-1a of the term's UTF-8 bytes: the shard of a term, easy to compute in a script.
pub fn fnv1a(term: &str) -> u32 {
    term.bytes().fold(0x811c_9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

fn doc_row<'a>(cluster: &'a Cluster, site: SiteKey, d: &'a Document) -> Row<'a> {
    let cut = d
        .text
        .char_indices()
        .nth(EXCERPT_CHARS)
        .map_or(d.text.len(), |(i, _)| i);
    let date = d.date.map(|t| t.format("%Y-%m-%d").to_string());
    (
        &d.url,
        &d.title,
        &cluster.sites[site].name,
        &d.section_title,
        date.unwrap_or_default(),
        &d.text[..cut],
    )
}

/// A result row: URL, title, site, section, date, excerpt.
type Row<'a> = (&'a str, &'a str, &'a str, &'a str, String, &'a str);

fn meta(cluster: &Cluster, root: SiteKey, docs: &[&Document], layout: Layout) -> Vec<u8> {
    let mut sections: BTreeMap<&str, &str> = BTreeMap::new();
    let mut facets: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for d in docs {
        let own = d.site == root || !sections.contains_key(d.section.as_str());
        if own {
            sections.insert(&d.section, &d.section_title);
        }
        for (k, v) in &d.facets {
            facets.entry(k).or_default().insert(v);
        }
    }
    let sites: Vec<_> = cluster.sites[root]
        .children
        .iter()
        .map(|&c| json!([cluster.sites[c].id, cluster.sites[c].name]))
        .collect();
    let facets: Vec<_> = Facet::ALL
        .iter()
        .filter_map(|f| facets.get(f.key()).map(|v| json!([f.key(), f.label(), v])))
        .collect();
    let meta = json!({
        "version": 2,
        "docs": docs.len(),
        "shards": layout.shards,
        "chunk": CHUNK,
        "map": layout.map,
        "site_chunk": SITE_CHUNK,
        "site_table": layout.site_table,
        "stamp": format!("{:016x}", layout.stamp),
        "sites": sites,
        "sections": sections.into_iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
        "facets": facets,
    });
    serde_json::to_vec(&meta).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_published_vectors() {
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
        assert_eq!(fnv1a("foobar"), 0xbf9c_f968);
    }

    #[test]
    fn dense_terms_become_bitmaps_and_sparse_ones_lists() {
        let all: Vec<u32> = (0..100u32).map(|d| d << 8 | 1).collect();
        let dense = entry("ab", &all, 100);
        assert_eq!(dense[3], 1, "kind byte after len + 2 term bytes");
        let sparse = entry("ab", &[5 << 8 | 3], 100);
        assert_eq!(&sparse[3..], &[0, 3, 1, 5, 3]);
    }

    #[test]
    fn varint_is_leb128() {
        let mut v = Vec::new();
        varint(&mut v, 300);
        assert_eq!(v, [0xac, 0x02]);
    }

    #[test]
    fn origins_and_paths_split_where_the_path_starts() {
        assert_eq!(
            crate::urls::split_origin("https://a.example/x/"),
            ("https://a.example", "/x/")
        );
        assert_eq!(path_of("https://a.example"), "/");
        assert_eq!(path_of("http://127.0.0.1:1313/city/"), "/city/");
    }
}
