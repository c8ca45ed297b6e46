//! One site's static search index: the documents of its subtree, newest first, with
//! postings sharded by term so that a query loads a few small files. The layout is
//! documented in docs/search.md; `themes/default/static/js/search.js` reads it.
//!
//! - `search/meta.json`: document count, shard count, chunk size, a stamp that changes with
//!   the content, and the filter choices (sites below, sections, facet values).
//! - `search/t/<n>.bin`: the terms whose FNV-1a hash is `n` modulo the shard count, each as
//!   `varint len, term (UTF-8), kind, varint payload len, payload`; kind 0 is a list of
//!   `varint doc delta, varint weight` pairs after a varint count, kind 1 a bitmap of every
//!   document (weight 1), used when it is smaller.
//! - `search/d/<n>.json`: documents `n*chunk ..` as `[url, title, site, section, date,
//!   excerpt]`, fetched only for the results shown.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::json;

use super::docs::{Document, EXCERPT_CHARS};
use crate::config::{Cluster, SiteKey};
use crate::content::meta::Facet;

/// Documents per chunk file: a results page of 10 loads at most 10 small files.
pub const CHUNK: usize = 8;

/// Aimed size of one term shard, in bytes.
const SHARD_BYTES: usize = 16 * 1024;

/// Prefix of the filter terms (`\u{1}s:news`), which no text can produce.
const FILTER: char = '\u{1}';

/// Output files of one index: path below the site folder and bytes.
pub type Files = Vec<(String, Vec<u8>)>;

/// Builds the index of `root` from the documents of its subtree.
pub fn build(
    cluster: &Cluster,
    root: SiteKey,
    mut docs: Vec<&Document>,
    dict: &HashMap<u64, Box<str>>,
) -> Files {
    docs.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.url.cmp(&b.url)));
    let postings = postings(cluster, root, &docs, dict);
    let n = docs.len();
    let entries: Vec<Vec<u8>> = postings.iter().map(|(t, p)| entry(t, p, n)).collect();
    let total: usize = entries.iter().map(Vec::len).sum();
    let shards = total.div_ceil(SHARD_BYTES).max(1);
    let mut shard_bytes = vec![Vec::new(); shards];
    for ((term, _), bytes) in postings.iter().zip(entries) {
        shard_bytes[fnv1a(term) as usize % shards].extend(bytes);
    }
    let mut files: Files = shard_bytes
        .into_iter()
        .enumerate()
        .map(|(i, b)| (format!("search/t/{i}.bin"), b))
        .collect();
    files.extend(docs.chunks(CHUNK).enumerate().map(|(i, c)| {
        let rows: Vec<_> = c.iter().map(|d| doc_row(cluster, d)).collect();
        (format!("search/d/{i}.json"), serde_json::to_vec(&rows).unwrap())
    }));
    let stamp = files
        .iter()
        .fold(0u64, |h, (_, b)| h.rotate_left(5) ^ xxhash_rust::xxh3::xxh3_64(b));
    let meta = meta(cluster, root, &docs, shards, stamp);
    files.push(("search/meta.json".to_string(), meta));
    files
}

/// Postings of every term, by term (sorted, so shards are byte-identical between builds).
/// A posting is `doc << 8 | weight`.
fn postings(
    cluster: &Cluster,
    root: SiteKey,
    docs: &[&Document],
    dict: &HashMap<u64, Box<str>>,
) -> BTreeMap<String, Vec<u32>> {
    let mut by_hash: HashMap<u64, Vec<u32>> = HashMap::new();
    let mut filters: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        let doc = (i as u32) << 8;
        for &t in &d.terms {
            by_hash.entry(t >> 8).or_default().push(doc | (t & 0xff) as u32);
        }
        for f in filter_terms(cluster, root, d) {
            filters.entry(f).or_default().push(doc | 1);
        }
    }
    let mut all = filters;
    for (h, p) in by_hash {
        if let Some(term) = dict.get(&h) {
            all.insert(term.to_string(), p);
        }
    }
    all
}

/// The filter terms of a document in the index of `root`: its section, its facet values,
/// and each site between it and `root` (so a county's filter finds its schools' pages).
fn filter_terms(cluster: &Cluster, root: SiteKey, d: &Document) -> Vec<String> {
    let mut out = vec![format!("{FILTER}s:{}", d.section)];
    out.extend(d.facets.iter().map(|(k, v)| format!("{FILTER}f:{k}={v}")));
    let mut at = Some(d.site);
    while let Some(s) = at.filter(|&s| s != root) {
        out.push(format!("{FILTER}u:{}", cluster.sites[s].id));
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
    let (kind, payload) = if list.len() > bitmap_len {
        let mut bits = vec![0u8; bitmap_len];
        for &p in postings {
            bits[(p >> 8) as usize / 8] |= 1 << ((p >> 8) % 8);
        }
        (1u8, bits)
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
    term.bytes()
        .fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

fn doc_row(cluster: &Cluster, d: &Document) -> serde_json::Value {
    let excerpt: String = d.text.chars().take(EXCERPT_CHARS).collect();
    let date = d.date.map(|t| t.format("%Y-%m-%d").to_string());
    json!([
        d.url,
        d.title,
        cluster.sites[d.site].name,
        d.section_title,
        date.unwrap_or_default(),
        excerpt
    ])
}

fn meta(cluster: &Cluster, root: SiteKey, docs: &[&Document], shards: usize, stamp: u64) -> Vec<u8> {
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
        "version": 1,
        "docs": docs.len(),
        "shards": shards,
        "chunk": CHUNK,
        "stamp": format!("{stamp:016x}"),
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
}
