//! 统一检索: a static full-text index per site over its whole subtree, read by a small
//! script on the site's `/search/` page. Why our own index and not Pagefind: see
//! docs/search.md (Pagefind's memory grows faster than the pages at city scale).
//!
//! Each page is tokenized once into a [`Corpus`]; every site's index is then assembled from
//! the documents of its subtree. Each site also gets `_zhanqun/search.jsonl`, its own pages
//! as JSON lines: the export a search server can bulk-load.

pub mod docs;
pub mod export;
pub mod index;
pub mod repeated;
pub mod tokens;
pub mod variants;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{Cluster, SiteKey};
use crate::render::Model;
use crate::routes;
use crate::store::Store;
use docs::Document;
use repeated::Repeated;

/// Keys that are already hashes (terms hashed by [`docs::term_hash`]) are used as they are.
#[derive(Default, Clone, Copy)]
pub struct TermHasher(u64);

impl Hasher for TermHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

/// A map keyed by term hash.
pub type TermMap<V> = HashMap<u64, V, BuildHasherDefault<TermHasher>>;

/// Every page's search document, by site, and the strings of the term hashes.
pub struct Corpus {
    /// Documents of each site's own pages.
    pub sites: Store<SiteKey, Vec<Document>>,
    /// Term string of every hash a document holds.
    pub dict: TermMap<Box<str>>,
    /// Hash of each site's own result rows, part of every index stamp above it.
    pub stamps: Store<SiteKey, u64>,
    /// How many pages hold each sentence: what makes a sentence boilerplate.
    repeated: Repeated,
    /// Where the documents not read from the model were read from (`build --site`).
    imported_from: Option<PathBuf>,
}

/// Output files of one site: path below the output folder and bytes.
pub type SiteFiles = Vec<(String, Vec<u8>)>;

/// Where the exports and result rows go as sites are read.
pub type Export<'a> = &'a mut dyn FnMut(SiteFiles);

type Problems = crate::diagnostics::Diagnostics;

impl Corpus {
    /// Reads the documents of `sites` from the rendered model (the others stay empty),
    /// handing the exports and result rows to `export` a batch of sites at a time (`serve`
    /// passes none: it makes a site's files when the site is asked for).
    pub fn read(m: Model, sites: &[SiteKey], export: Option<Export>) -> Corpus {
        let mut corpus = Corpus {
            sites: m.cluster.sites.keys().map(|_| Vec::new()).collect(),
            dict: TermMap::default(),
            stamps: m.cluster.sites.keys().map(|_| 0).collect(),
            repeated: Repeated::default(),
            imported_from: None,
        };
        // Counted first, so that no document is weighed twice when every page of a tree
        // shares some sentence (template text).
        let counted: Vec<Vec<u64>> = sites.par_iter().map(|&s| docs::sentences(m, s)).collect();
        let mut boilerplate = Repeated::default();
        boilerplate.count(counted.into_iter().flatten());
        corpus.read_sites(m, sites, export, Some(&boilerplate));
        corpus.settle(m).unwrap_or_default();
        corpus
    }

    /// Reads the documents of `sites` again (after an edit), replacing theirs, and weighs
    /// again those of other sites whose boilerplate changed with them; returns the sites
    /// whose documents changed (`sites` and those).
    pub fn reread(&mut self, m: Model, sites: &[SiteKey], export: Option<Export>) -> Vec<SiteKey> {
        self.read_sites(m, sites, export, None);
        // Documents read from the model are weighed again from it, so nothing can fail.
        let mut changed = self.settle(m).unwrap_or_default();
        changed.extend_from_slice(sites);
        changed.sort_unstable();
        changed.dedup();
        changed
    }

    /// Reads `sites` from the model, weighing with `boilerplate` (else the counts so far),
    /// and counts their sentences.
    fn read_sites(
        &mut self,
        m: Model,
        sites: &[SiteKey],
        mut export: Option<Export>,
        boilerplate: Option<&Repeated>,
    ) {
        let files_wanted = export.is_some();
        for batch in sites.chunks(EXPORT_BATCH) {
            let with = boilerplate.unwrap_or(&self.repeated);
            let made: Vec<_> = batch
                .par_iter()
                .map(|&site| read_site(m, site, with, files_wanted))
                .collect();
            let mut files = SiteFiles::new();
            for (site, docs, dict, own, stamp) in made {
                self.replace(site, docs);
                self.dict.extend(dict);
                self.stamps[site] = stamp;
                files.extend(own);
            }
            if let Some(export) = export.as_mut() {
                export(files);
            }
        }
    }

    fn replace(&mut self, site: SiteKey, docs: Vec<Document>) {
        self.repeated.remove(&self.sites[site]);
        self.repeated.add(&docs);
        self.sites[site] = docs;
    }

    /// Adds the documents of `sites` from their exports in a previous output (`build
    /// --site` indexes the bureaus above the sites it builds with them).
    pub fn import(&mut self, m: Model, sites: &[SiteKey], out_dir: &Path) -> Result<(), Problems> {
        let cluster = m.cluster;
        self.imported_from = Some(out_dir.to_path_buf());
        let read: Vec<_> = sites
            .par_iter()
            .map(|&site| {
                let mut dict = TermMap::default();
                let docs = export::read(cluster, site, out_dir, &mut dict, &self.repeated).map(
                    |mut docs| {
                        docs.sort_by(index::order);
                        let stamp = rows_stamp(&index::rows(cluster, site, &docs, ""));
                        (keep_for_index(cluster, site, docs), stamp)
                    },
                );
                (site, docs, dict)
            })
            .collect();
        let mut problems = Problems::new();
        for (site, docs, dict) in read {
            match docs {
                Ok((docs, stamp)) => {
                    self.stamps[site] = stamp;
                    self.replace(site, docs);
                    self.dict.extend(dict);
                }
                Err(e) => problems.push(e),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        self.settle(m).map(|_| ())
    }

    /// Reads again the sites with a document whose boilerplate sentences changed since it
    /// was weighed (more pages were read); returns them.
    fn settle(&mut self, m: Model) -> Result<Vec<SiteKey>, Problems> {
        let stale: Vec<SiteKey> = self
            .sites
            .iter_keyed()
            .filter(|(_, docs)| {
                docs.iter()
                    .any(|d| d.mark != self.repeated.mark(&d.sentences))
            })
            .map(|(site, _)| site)
            .collect();
        let from = self.imported_from.as_deref();
        let again: Vec<_> = stale
            .par_iter()
            .map(|&site| {
                let mut dict = TermMap::default();
                let imported = self.sites[site].first().is_some_and(|d| d.imported);
                let docs = match from {
                    Some(dir) if imported => {
                        export::read(m.cluster, site, dir, &mut dict, &self.repeated)
                    }
                    _ => Ok(site_documents(m, site, &mut dict, &self.repeated)),
                };
                (site, docs.map(|d| keep_for_index(m.cluster, site, d)), dict)
            })
            .collect();
        let mut problems = Problems::new();
        for (site, docs, dict) in again {
            match docs {
                Ok(docs) => {
                    self.replace(site, docs);
                    self.dict.extend(dict);
                }
                Err(e) => problems.push(e),
            }
        }
        if problems.is_empty() {
            Ok(stale)
        } else {
            Err(problems)
        }
    }

    /// The files of `site` that depend on its own documents alone (the export and the
    /// result rows), made again from the model: `serve` renders a site when it is asked for.
    pub fn own_files(&self, m: Model, site: SiteKey) -> SiteFiles {
        read_site(m, site, &self.repeated, true).3
    }

    /// The index files of each of `sites`, over its subtree, built in parallel.
    pub fn indexes(&self, cluster: &Cluster, sites: &[SiteKey]) -> SiteFiles {
        let per_site: Vec<SiteFiles> = sites
            .par_iter()
            .map(|&site| {
                let sites = subtree(cluster, site);
                let docs: Vec<index::SiteDocs> =
                    sites.iter().map(|&s| (s, &self.sites[s][..])).collect();
                let stamps: Vec<u64> = sites.iter().map(|&s| self.stamps[s]).collect();
                let id = &cluster.sites[site].id;
                index::build(cluster, &docs, &self.dict, &stamps)
                    .into_iter()
                    .map(|(p, b)| (format!("{id}/{p}"), b))
                    .collect()
            })
            .collect();
        per_site.into_iter().flatten().collect()
    }
}

/// Pages of a site read as one task.
const LARGE_SITE: usize = 512;

/// Sites read between two exports.
const EXPORT_BATCH: usize = 64;

type SiteRead = (SiteKey, Vec<Document>, TermMap<Box<str>>, SiteFiles, u64);

/// One site's documents (newest first), their terms' strings, the files that depend on them
/// alone (the export and the result rows; none unless `files_wanted`), and the hash of the
/// rows. The text is dropped once the rows are made, unless a bureau on another host needs
/// a copy of them.
fn read_site(m: Model, site: SiteKey, repeated: &Repeated, files_wanted: bool) -> SiteRead {
    let mut dict = TermMap::default();
    let docs = site_documents(m, site, &mut dict, repeated);
    let id = &m.cluster.sites[site].id;
    let rows = index::rows(
        m.cluster,
        site,
        &docs,
        &routes::in_site(id, routes::SEARCH_OWN),
    );
    let stamp = rows_stamp(&rows);
    let mut files = SiteFiles::new();
    if files_wanted {
        // The export is the largest file of a site's search data (a city's: 122 MB).
        files.push((export::path(id), export::jsonl(id, &docs)));
        files.extend(rows);
    }
    (
        site,
        keep_for_index(m.cluster, site, docs),
        dict,
        files,
        stamp,
    )
}

/// The documents of the pages of `site` in the model, newest first.
fn site_documents(
    m: Model,
    site: SiteKey,
    dict: &mut TermMap<Box<str>>,
    repeated: &Repeated,
) -> Vec<Document> {
    let own = &m.library.sites[site];
    // In parallel within a large site too (one school of 5,000 pages is the whole of many
    // builds); a small one is one task, as merging per-task term strings costs more.
    let split = own
        .pages
        .len()
        .div_ceil(rayon::current_num_threads())
        .max(LARGE_SITE);
    let (mut docs, found) = own
        .pages
        .par_iter()
        .with_min_len(split)
        .fold(
            || (Vec::new(), TermMap::default()),
            |(mut docs, mut dict): (Vec<Document>, TermMap<Box<str>>), &k| {
                docs.push(docs::document(m, k, &mut dict, repeated));
                (docs, dict)
            },
        )
        .reduce(
            || (Vec::new(), TermMap::default()),
            |(mut a, mut da), (b, db)| {
                a.extend(b);
                da.extend(db);
                (a, da)
            },
        );
    dict.extend(found);
    docs.extend((0..own.lessons.len()).map(|i| docs::lesson_document(m, site, i, dict, repeated)));
    docs.sort_by(index::order);
    docs
}

/// The documents of a site sorted for the index, with only what the index still needs:
/// the text and title go once the rows are written, unless a bureau on another host keeps
/// a copy of them.
fn keep_for_index(cluster: &Cluster, site: SiteKey, mut docs: Vec<Document>) -> Vec<Document> {
    docs.sort_by(index::order);
    let keep_rows = index::copied_above(cluster, site);
    for d in &mut docs {
        match d.text.char_indices().nth(docs::EXCERPT_CHARS) {
            Some((cut, _)) if keep_rows => d.text.truncate(cut),
            _ if keep_rows => {}
            _ => (d.text, d.title) = (String::new(), String::new()),
        }
        (d.summary, d.tags) = (String::new(), Vec::new());
    }
    docs
}

fn rows_stamp(rows: &SiteFiles) -> u64 {
    stamp(rows.iter().map(|(_, b)| xxhash_rust::xxh3::xxh3_64(b)))
}

/// One order-sensitive hash of many: what an index's `stamp` (its cache key) is made of.
pub(crate) fn stamp(hashes: impl Iterator<Item = u64>) -> u64 {
    hashes.fold(0u64, |h, x| h.rotate_left(5) ^ x)
}

/// True for the files a site's search data is made of (its rows, export and index, not
/// the `/search/` page itself).
pub fn is_data(path_in_site: &str) -> bool {
    path_in_site == routes::SEARCH_EXPORT
        || (path_in_site.starts_with("search/") && path_in_site != "search/index.html")
}

/// True for the files of a site's index, made again when a page below it changes (the
/// rows and export belong to the site's own pages).
pub fn is_index(path_in_site: &str) -> bool {
    is_data(path_in_site)
        && !path_in_site.starts_with(routes::SEARCH_OWN)
        && path_in_site != routes::SEARCH_EXPORT
}

/// `site` and every site below it, parents before children.
pub fn subtree(cluster: &Cluster, site: SiteKey) -> Vec<SiteKey> {
    let mut out = vec![site];
    let mut i = 0;
    while i < out.len() {
        out.extend(cluster.sites[out[i]].children.iter().copied());
        i += 1;
    }
    out
}
