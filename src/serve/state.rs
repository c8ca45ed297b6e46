//! The live model of `serve` (and `edit`): the driver, the rendered output of every site and
//! the search documents, updated from file changes by the driver's own steps for the sites
//! an edit touched. Requests never see this model: after each successful update it
//! publishes a [`Snapshot`] (cheap: the files of unchanged sites are shared), so pages are
//! served from the last complete output while a rebuild runs. A failed update leaves the
//! model as it was.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use super::watch::Change;
use crate::check::links;
use crate::config::SiteKey;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::outputs::{OutputData, Outputs};
use crate::pipeline::{self, Driver, Options, Timings, timed};
use crate::render::{NoProgress, RenderCache};
use crate::search;

/// What `serve` builds.
#[derive(Debug, Clone)]
pub struct LiveOptions {
    /// The cluster root.
    pub root: PathBuf,
    /// The local URL every site is served under (`http://127.0.0.1:1313/`).
    pub base_url: String,
    /// Include drafts.
    pub drafts: bool,
    /// Serve what can be read when pages have errors (the editor, which is where they are
    /// fixed), reporting the errors instead of refusing to start.
    pub keep_going: bool,
}

/// The output files of one site, by their path in the output (`<site>/…`). Values are
/// shared between the live model and the snapshots requests read.
pub type SiteFiles = BTreeMap<String, Arc<OutputData>>;

/// What requests are answered from: the last complete output.
#[derive(Default)]
pub struct Snapshot {
    /// Every site as (id, name, depth), root first, for the list of sites.
    pub sites: Vec<(String, String, usize)>,
    /// The files of each site, by site id.
    pub files: HashMap<String, Arc<SiteFiles>>,
    /// The problems of the last failed update, until one succeeds.
    pub problems: Option<Arc<str>>,
}

impl Snapshot {
    /// The file at `key` (`<site>/…`).
    pub fn get(&self, key: &str) -> Option<&Arc<OutputData>> {
        self.files.get(group_of(key))?.get(key)
    }

    /// True for a site id of the cluster.
    pub fn has_site(&self, id: &str) -> bool {
        self.files.contains_key(id)
    }
}

/// The site id a served file belongs to: its first folder; `""` for the files of the
/// host's root (`robots.txt`), which belong to no site.
fn group_of(key: &str) -> &str {
    key.split_once('/').map_or("", |(site, _)| site)
}

/// The cluster in memory, with its rendered output.
pub struct Live {
    opts: LiveOptions,
    /// The driver.
    pub driver: Driver,
    cache: RenderCache,
    /// Search documents of every site; an edit reads its sites' again.
    corpus: search::Corpus,
    /// The files of every site, by site id.
    files: HashMap<String, Arc<SiteFiles>>,
    /// The warnings of the first build: the driver's and every broken link.
    pub warnings: Vec<Diagnostic>,
    /// The last change of `cluster.yaml`, a site file or a theme failed: every change
    /// reloads everything until one succeeds (a renamed site id is never half-applied).
    config_dirty: bool,
    /// Sites whose last update failed: read again with every later change, so a broken
    /// edit is never forgotten because another site changed meanwhile.
    pending: Vec<SiteKey>,
}

/// What an update did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Updated {
    /// Sites whose output was rendered again.
    pub sites: Vec<String>,
    /// Everything was rebuilt (config or theme change).
    pub full: bool,
    /// The time each step of the rebuild took (`serve -v` prints them).
    pub timings: Timings,
    /// The driver's warnings and the broken links on the pages rendered again.
    pub warnings: Vec<Diagnostic>,
}

impl Live {
    /// Loads and renders the whole cluster with the driver.
    pub fn build(opts: LiveOptions) -> Result<Live, Diagnostics> {
        let mut timings = Timings::new();
        let options = Options {
            root: opts.root.clone(),
            base_url: Some(opts.base_url.clone()),
            drafts: opts.drafts,
            dry_run: true,
            keep_going: opts.keep_going,
            ..Default::default()
        };
        let driver = Driver::load(options, &mut timings).map_err(|e| match e {
            pipeline::BuildError::Content(d) => d,
            other => [Diagnostic::file_error(
                crate::codes::UNREADABLE,
                "",
                other.to_string(),
            )]
            .into_iter()
            .collect(),
        })?;
        let all = driver.selected.clone();
        let mut cache = RenderCache::default();
        let (mut outputs, _) = driver.render(&all, &NoProgress, Some(&mut cache), &mut timings)?;
        let corpus = search::Corpus::read(driver.model(), &all, &mut |files| {
            pipeline::add_search_files(&mut outputs, files)
        });
        pipeline::add_search_files(&mut outputs, corpus.indexes(&driver.cluster, &all));
        pipeline::add_host_root(&driver.cluster, &mut outputs);
        let mut live = Live {
            opts,
            driver,
            cache,
            corpus,
            files: HashMap::new(),
            warnings: Vec::new(),
            config_dirty: false,
            pending: Vec::new(),
        };
        live.files = live.split(outputs);
        let every: Vec<String> = live.all_keys();
        let mut warnings = live.driver.warnings();
        warnings.extend(live.broken_links(&every));
        warnings.extend(live.driver.errors.iter().cloned());
        live.warnings = warnings;
        Ok(live)
    }

    /// The files of `outputs` grouped by site, each site's map fresh.
    fn split(&self, outputs: Outputs) -> HashMap<String, Arc<SiteFiles>> {
        let mut by_site: HashMap<String, SiteFiles> = self
            .driver
            .cluster
            .ids()
            .map(|id| (id.to_string(), SiteFiles::new()))
            .collect();
        for (key, data) in outputs.files {
            by_site
                .entry(group_of(&key).to_string())
                .or_default()
                .insert(key, Arc::new(data));
        }
        by_site.into_iter().map(|(k, v)| (k, Arc::new(v))).collect()
    }

    fn all_keys(&self) -> Vec<String> {
        self.files
            .values()
            .flat_map(|f| f.keys().cloned())
            .collect()
    }

    /// What requests should see now.
    pub fn snapshot(&self, problems: Option<Arc<str>>) -> Snapshot {
        Snapshot {
            sites: self
                .driver
                .cluster
                .sites
                .iter()
                .map(|s| (s.id.clone(), s.name.clone(), s.depth))
                .collect(),
            files: self.files.clone(),
            problems,
        }
    }

    /// The broken links of the served pages `pages`.
    fn broken_links(&self, pages: &[String]) -> Vec<Diagnostic> {
        let targets = Served(&self.files);
        let served: Vec<(&String, &OutputData)> = pages
            .iter()
            .filter_map(|k| {
                let site = group_of(k);
                let (key, data) = self.files.get(site)?.get_key_value(k)?;
                Some((key, data.as_ref()))
            })
            .collect();
        let broken = links::scan(&links::Sites::new(&self.driver.cluster), &targets, served);
        let linked = &self.driver.linked;
        let cluster = &self.driver.cluster;
        links::report(cluster, &linked.library, &linked.bodies, &targets, broken)
            .into_iter()
            .map(|d| d.relative_to(&self.opts.root))
            .collect()
    }

    /// Applies file changes; on errors the model is left as it was.
    pub fn update(&mut self, changes: &[Change]) -> Result<Updated, Diagnostics> {
        let mut sites: Vec<SiteKey> = self.pending.clone();
        for c in changes {
            match c {
                Change::Content(id) if !self.config_dirty => match self.driver.cluster.get(id) {
                    Some(i) => sites.push(i),
                    None => return self.rebuild_all(),
                },
                _ => return self.rebuild_all(),
            }
        }
        sites.sort_unstable();
        sites.dedup();
        let mut timings = Timings::new();
        if sites.is_empty() {
            return Ok(Updated {
                sites: Vec::new(),
                full: false,
                timings,
                warnings: Vec::new(),
            });
        }
        self.pending.clone_from(&sites);
        let affected = self.driver.update(&sites, &mut timings)?;
        let rendered = self.render_again(&sites, &affected, &mut timings)?;
        self.pending.clear();
        let mut warnings = self.driver.warnings();
        warnings.extend(timed(&mut timings, "links", || {
            self.broken_links(&rendered)
        }));
        warnings.extend(self.driver.errors.iter().cloned());
        Ok(Updated {
            sites: affected
                .iter()
                .map(|&i| self.driver.cluster.sites[i].id.clone())
                .collect(),
            full: false,
            timings,
            warnings,
        })
    }

    fn rebuild_all(&mut self) -> Result<Updated, Diagnostics> {
        self.config_dirty = true;
        *self = Live::build(self.opts.clone())?;
        Ok(Updated {
            sites: self.driver.cluster.ids().map(str::to_string).collect(),
            full: true,
            timings: Timings::new(),
            warnings: self.warnings.clone(),
        })
    }

    /// Renders the `affected` sites again and reads the search documents of the `changed`
    /// ones; swaps the new files in and returns the pages rendered.
    fn render_again(
        &mut self,
        changed: &[SiteKey],
        affected: &[SiteKey],
        timings: &mut Timings,
    ) -> Result<Vec<String>, Diagnostics> {
        let mut cache = timed(timings, "cache", || self.cache.clone());
        let (mut outputs, kept) =
            self.driver
                .render(affected, &NoProgress, Some(&mut cache), timings)?;
        let indexed = timed(timings, "search", || {
            let model = self.driver.model();
            // A sentence the edit made boilerplate (or no longer) changes other sites'
            // documents too: their indexes are made again with the edited one's.
            let weighed = self.corpus.reread(model, changed, &mut |f| {
                pipeline::add_search_files(&mut outputs, f)
            });
            let indexed = pipeline::indexed_sites(&self.driver.cluster, &weighed);
            let indexes = self.corpus.indexes(&self.driver.cluster, &indexed);
            pipeline::add_search_files(&mut outputs, indexes);
            indexed
        });
        let rendered: Vec<String> = outputs.files.keys().cloned().collect();
        timed(timings, "swap", || {
            self.swap(affected, &indexed, changed, outputs, &kept)
        });
        self.cache = cache;
        Ok(rendered)
    }

    /// Replaces the affected sites' files: their pages (except the listings the cache kept),
    /// the search data of the changed sites and the indexes above them.
    fn swap(
        &mut self,
        affected: &[SiteKey],
        indexed: &[SiteKey],
        changed: &[SiteKey],
        outputs: Outputs,
        kept: &[String],
    ) {
        let cluster = &self.driver.cluster;
        let kept: std::collections::HashSet<&str> = kept.iter().map(String::as_str).collect();
        let mut touched: Vec<SiteKey> = affected.iter().chain(indexed).copied().collect();
        touched.sort_unstable();
        touched.dedup();
        let mut fresh: HashMap<String, SiteFiles> = HashMap::new();
        for &s in &touched {
            let id = &cluster.sites[s].id;
            let (rendered, own_data) = (affected.contains(&s), changed.contains(&s));
            let old = self
                .files
                .get(id)
                .map(|f| f.as_ref().clone())
                .unwrap_or_default();
            let prefix = format!("{id}/");
            let keep = |k: &String| {
                let in_site = k.strip_prefix(&prefix).unwrap_or(k);
                if search::is_index(in_site) {
                    !indexed.contains(&s)
                } else if search::is_data(in_site) {
                    !own_data
                } else {
                    !rendered || kept.contains(k.as_str())
                }
            };
            fresh.insert(
                id.clone(),
                old.into_iter().filter(|(k, _)| keep(k)).collect(),
            );
        }
        for (key, data) in outputs.files {
            fresh
                .entry(group_of(&key).to_string())
                .or_default()
                .insert(key, Arc::new(data));
        }
        for (site, files) in fresh {
            self.files.insert(site, Arc::new(files));
        }
    }
}

/// The served files as link targets.
struct Served<'a>(&'a HashMap<String, Arc<SiteFiles>>);

impl links::Targets for Served<'_> {
    fn exists(&self, key: &str) -> bool {
        let site = group_of(key);
        self.0.get(site).is_some_and(|f| f.contains_key(key))
    }

    fn has_id(&self, key: &str, id: &str, cache: &mut links::IdCache) -> bool {
        let site = group_of(key);
        let ids = cache.entry(key.to_string()).or_insert_with(|| {
            match self.0.get(site).and_then(|f| f.get(key)).map(Arc::as_ref) {
                Some(OutputData::Bytes(b)) => links::html::element_ids(b),
                _ => Default::default(),
            }
        });
        ids.contains(id)
    }
}
