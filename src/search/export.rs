//! `<site>/_zhanqun/search.jsonl`: a site's own pages as JSON lines, one object per page.
//! It is the hand-over to a search server (Meilisearch, OpenSearch and Elasticsearch
//! bulk-load JSON lines; `id` is a stable key), and what `build --site` reads to index the
//! sites it does not rebuild: a bureau's index over its subtree is made from the fresh
//! documents of the sites built and the exports of the others, so it equals a full build's.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::DateTime;
use serde::{Deserialize, Serialize};

use super::TermMap;
use super::docs::Document;
use super::repeated::Repeated;
use crate::config::{Cluster, SiteKey};
use crate::diagnostics::Diagnostic;

/// The export's path in the output folder.
pub fn path(site_id: &str) -> String {
    crate::routes::in_site(site_id, crate::routes::SEARCH_EXPORT)
}

/// One line of the export.
#[derive(Serialize, Deserialize)]
struct Line<'a> {
    id: String,
    #[serde(borrow)]
    url: std::borrow::Cow<'a, str>,
    title: std::borrow::Cow<'a, str>,
    site: std::borrow::Cow<'a, str>,
    section: std::borrow::Cow<'a, str>,
    section_title: std::borrow::Cow<'a, str>,
    date: Option<String>,
    facets: BTreeMap<String, String>,
    tags: Vec<String>,
    summary: std::borrow::Cow<'a, str>,
    text: std::borrow::Cow<'a, str>,
    /// Author and attachments (absent in exports written before they were indexed).
    #[serde(default)]
    credits: Vec<String>,
}

/// A site's own documents as JSON lines.
pub fn jsonl(site_id: &str, docs: &[Document]) -> Vec<u8> {
    use rayon::prelude::*;
    // In chunks on every core: one school of 5,000 pages is the whole of many builds, and
    // its export would otherwise be written on one thread while the other waits.
    let chunks: Vec<Vec<u8>> = docs
        .par_chunks(JSONL_CHUNK)
        .map(|chunk| jsonl_lines(site_id, chunk))
        .collect();
    chunks.concat()
}

/// Documents serialized together on one thread.
const JSONL_CHUNK: usize = 256;

fn jsonl_lines(site_id: &str, docs: &[Document]) -> Vec<u8> {
    let mut out = Vec::with_capacity(docs.iter().map(|d| d.text.len() + 512).sum());
    for d in docs {
        let line = Line {
            id: format!("{:016x}", xxhash_rust::xxh3::xxh3_64(d.url.as_bytes())),
            url: (&*d.url).into(),
            title: (&*d.title).into(),
            site: site_id.into(),
            section: (&*d.section).into(),
            section_title: (&*d.section_title).into(),
            date: d.date.map(|t| t.to_rfc3339()),
            facets: d.facets.iter().cloned().collect(),
            tags: d.tags.clone(),
            summary: (&*d.summary).into(),
            text: (&*d.text).into(),
            credits: d.credits.clone(),
        };
        serde_json::to_writer(&mut out, &line).expect("serializing to memory");
        out.push(b'\n');
    }
    out
}

/// Reads the export of `site` from a previous output, weighing every document again with
/// the boilerplate known so far.
pub fn read(
    cluster: &Cluster,
    site: SiteKey,
    out_dir: &Path,
    dict: &mut TermMap<Box<str>>,
    repeated: &Repeated,
) -> Result<Vec<Document>, Diagnostic> {
    let tree = super::repeated::tree_of(cluster, site);
    let id = &cluster.sites[site].id;
    let file = out_dir.join(path(id));
    let help = "run a full build (`zhanqun build` without `--site`) first, so every site has its search export";
    let text = std::fs::read_to_string(&file).map_err(|e| {
        Diagnostic::file_error(
            crate::codes::MANIFEST,
            &file,
            format!("cannot read the search export of site `{id}`: {e}"),
        )
        .with_help(help)
    })?;
    let mut docs = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let bad = |msg: String| {
            Diagnostic::error(crate::codes::MANIFEST, &file, n + 1, 1, msg).with_help(help)
        };
        let l: Line = serde_json::from_str(line)
            .map_err(|e| bad(format!("the search export of site `{id}` is corrupt: {e}")))?;
        let date = match l.date.as_deref().map(DateTime::parse_from_rfc3339) {
            Some(Ok(d)) => Some(d),
            Some(Err(e)) => return Err(bad(format!("bad date in the search export: {e}"))),
            None => None,
        };
        let mut doc = Document {
            url: l.url.into_owned(),
            title: l.title.into_owned(),
            site,
            section: l.section.into_owned(),
            section_title: l.section_title.into_owned(),
            date,
            facets: l.facets.into_iter().collect(),
            tags: l.tags,
            summary: l.summary.into_owned(),
            text: l.text.into_owned(),
            credits: l.credits,
            tree,
            imported: true,
            ..Document::empty()
        };
        doc.weigh(dict, repeated);
        docs.push(doc);
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_site_is_exported_one_line_per_document_in_order() {
        let docs: Vec<Document> = (0..JSONL_CHUNK * 2 + 3)
            .map(|i| Document {
                url: format!("https://a.example/news/n{i}/"),
                text: format!("第{i}篇"),
                ..Document::empty()
            })
            .collect();
        let out = String::from_utf8(jsonl("a", &docs)).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), docs.len());
        for (i, line) in lines.iter().enumerate() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(value["url"], format!("https://a.example/news/n{i}/"));
            assert_eq!(value["text"], format!("第{i}篇"));
        }
        assert!(out.ends_with('\n'));
    }
}
