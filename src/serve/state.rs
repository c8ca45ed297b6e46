//! The live model of `serve`: everything loaded, linked and rendered, kept in memory, and
//! updated from file changes by re-reading only the sites that changed and re-rendering only
//! the sites whose output can depend on them. A failed update leaves the model as it was, so
//! the last good pages stay served.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::watch::Change;
use crate::check::links;
use crate::config::{self, Cluster, LoadOptions, SiteKey};
use crate::content::{self, DiscoverOptions, discover::Discovered};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::outputs::OutputData;
use crate::outputs::Outputs;
use crate::pipeline::{self, Linked, Timings, timed};
use crate::render::{Model, NoProgress, RenderCache, bodies::Previous};
use crate::search;
use crate::store::Store;

/// What `serve` builds.
#[derive(Debug, Clone)]
pub struct LiveOptions {
    /// The cluster root.
    pub root: PathBuf,
    /// The local URL every site is served under (`http://127.0.0.1:1313/`).
    pub base_url: String,
    /// Include drafts.
    pub drafts: bool,
}

/// The cluster in memory, with its rendered output.
pub struct Live {
    opts: LiveOptions,
    /// The site tree.
    pub cluster: Cluster,
    /// What discovery found for each site; an edit replaces the entries of its sites.
    found: Store<SiteKey, Discovered>,
    linked: Linked,
    cache: RenderCache,
    /// Search documents of every site; an edit reads its sites' again.
    corpus: search::Corpus,
    /// Output path (`<site>/...`) -> content.
    pub outputs: BTreeMap<String, OutputData>,
    /// The warnings of the first build: the cluster's and every broken link.
    pub warnings: Vec<Diagnostic>,
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
    /// Broken links on the pages rendered again.
    pub warnings: Vec<Diagnostic>,
}

impl Live {
    /// Loads and renders the whole cluster, with the pipeline's own steps.
    pub fn build(opts: LiveOptions) -> Result<Live, Diagnostics> {
        let load = LoadOptions {
            base_url: Some(opts.base_url.clone()),
            ..Default::default()
        };
        let cluster = config::load(&opts.root, &load).map_err(|d| d.relative_to(&opts.root))?;
        let all: Vec<SiteKey> = cluster.sites.keys().collect();
        let mut found: Store<SiteKey, Discovered> = cluster
            .sites
            .iter()
            .map(|_| Discovered::default())
            .collect();
        for (i, d) in content::discover_sites(&cluster, discover_options(&opts, &cluster), &all) {
            found[i] = d;
        }
        let linked = pipeline::link(&cluster, &found, None, &mut Vec::new())?;
        let mut cache = RenderCache::default();
        let (mut outputs, _) = pipeline::render_sites(
            linked.model(&cluster),
            &all,
            &NoProgress,
            Some(&mut cache),
            &mut Vec::new(),
        )?;
        let corpus = search::Corpus::read(linked.model(&cluster), &all, &mut |files| {
            pipeline::add_search_files(&mut outputs, files)
        });
        pipeline::add_search_files(&mut outputs, corpus.indexes(&cluster, &all));
        let mut live = Live {
            opts,
            cluster,
            found,
            linked,
            cache,
            corpus,
            outputs: outputs.files,
            warnings: Vec::new(),
        };
        let every: Vec<String> = live.outputs.keys().cloned().collect();
        let mut warnings = live.cluster.warnings.clone();
        warnings.extend(live.linked.warnings.iter().cloned());
        warnings.extend(live.broken_links(&every));
        live.warnings = warnings
            .into_iter()
            .map(|d| d.relative_to(&live.opts.root))
            .collect();
        Ok(live)
    }

    /// The broken links of the served pages `pages`.
    fn broken_links(&self, pages: &[String]) -> Vec<Diagnostic> {
        let served: Vec<(&String, &OutputData)> = pages
            .iter()
            .filter_map(|k| self.outputs.get_key_value(k))
            .collect();
        let targets = links::InMemory(&self.outputs);
        let broken = links::scan(&links::Sites::new(&self.cluster), &targets, served);
        let (library, bodies) = (&self.linked.library, &self.linked.bodies);
        links::report(
            &self.cluster,
            library,
            bodies,
            &targets,
            broken,
            Severity::Warning,
        )
        .into_iter()
        .map(|d| d.relative_to(&self.opts.root))
        .collect()
    }

    /// Applies file changes; on errors the model is left as it was.
    pub fn update(&mut self, changes: &[Change]) -> Result<Updated, Diagnostics> {
        let mut sites: Vec<SiteKey> = Vec::new();
        for c in changes {
            match c {
                Change::Content(id) => match self.cluster.get(id) {
                    Some(i) => sites.push(i),
                    None => return self.rebuild_all(),
                },
                Change::Config | Change::Theme => return self.rebuild_all(),
            }
        }
        sites.sort_unstable();
        sites.dedup();
        if sites.is_empty() {
            return Ok(Updated {
                sites: Vec::new(),
                full: false,
                timings: Timings::new(),
                warnings: Vec::new(),
            });
        }
        let mut timings = Timings::new();
        let rediscovered = timed(&mut timings, "discover", || {
            content::discover_sites(
                &self.cluster,
                discover_options(&self.opts, &self.cluster),
                &sites,
            )
        });
        let mut previous: Vec<(SiteKey, Discovered)> = Vec::new();
        for (i, d) in rediscovered {
            previous.push((i, std::mem::replace(&mut self.found[i], d)));
        }
        match self.relink(&sites, &mut timings) {
            Ok((affected, rendered)) => {
                let warnings = timed(&mut timings, "links", || self.broken_links(&rendered));
                Ok(Updated {
                    sites: affected
                        .iter()
                        .map(|&i| self.cluster.sites[i].id.clone())
                        .collect(),
                    full: false,
                    timings,
                    warnings,
                })
            }
            Err(diags) => {
                for (i, d) in previous {
                    self.found[i] = d;
                }
                Err(diags)
            }
        }
    }

    fn rebuild_all(&mut self) -> Result<Updated, Diagnostics> {
        *self = Live::build(self.opts.clone())?;
        Ok(Updated {
            sites: self.cluster.ids().map(str::to_string).collect(),
            full: true,
            timings: Timings::new(),
            warnings: self.warnings.clone(),
        })
    }

    /// Links again after the content of `changed` sites was re-read, and renders the sites
    /// the federation model says can be affected; returns them and the pages rendered.
    fn relink(
        &mut self,
        changed: &[SiteKey],
        timings: &mut Timings,
    ) -> Result<(Vec<SiteKey>, Vec<String>), Diagnostics> {
        // Sites whose old pages linked into a changed site are affected too, even when the
        // link is gone now: hence the union of the old and the new link tables.
        let old = &self.linked.federation;
        let before = old.affected(&self.cluster, changed);
        // Markdown is rendered again for the changed sites and the sites linking into them
        // (a link's target URL may have changed); the other sites' bodies are reused.
        let mut dirty: Store<SiteKey, bool> = self.cluster.sites.iter().map(|_| false).collect();
        for &c in changed {
            dirty[c] = true;
            for &linker in &old.linked_from[c] {
                dirty[linker] = true;
            }
        }
        let previous = Previous {
            library: &self.linked.library,
            bodies: &self.linked.bodies,
            dirty: &dirty,
        };
        let linked = pipeline::link(&self.cluster, &self.found, Some(previous), timings)?;
        let mut affected = linked.federation.affected(&self.cluster, changed);
        affected.extend(before);
        affected.sort_unstable();
        affected.dedup();
        let mut cache = timed(timings, "cache", || self.cache.clone());
        let (mut outputs, kept) = pipeline::render_sites(
            linked.model(&self.cluster),
            &affected,
            &NoProgress,
            Some(&mut cache),
            timings,
        )?;
        let search = Search {
            cluster: &self.cluster,
            corpus: &mut self.corpus,
            served: &mut self.outputs,
        };
        timed(timings, "search", || {
            search.again(linked.model(&self.cluster), changed, &mut outputs)
        });
        let rendered: Vec<String> = outputs.files.keys().cloned().collect();
        timed(timings, "swap", || {
            self.swap(linked, cache, &affected, outputs.files, kept)
        });
        Ok((affected, rendered))
    }

    /// Replaces the affected sites' outputs and the model with the rebuilt ones.
    fn swap(
        &mut self,
        linked: Linked,
        cache: RenderCache,
        affected: &[SiteKey],
        files: BTreeMap<String, OutputData>,
        kept: Vec<String>,
    ) {
        let prefixes: Vec<String> = affected
            .iter()
            .map(|&s| format!("{}/", self.cluster.sites[s].id))
            .collect();
        let kept: std::collections::HashSet<String> = kept.into_iter().collect();
        // Search data is not rendered with the pages: `search_again` replaced what changed.
        self.outputs.retain(|k, _| {
            kept.contains(k)
                || !prefixes.iter().any(|p| {
                    k.strip_prefix(p.as_str())
                        .is_some_and(|r| !search::is_data(r))
                })
        });
        self.outputs.extend(files);
        self.linked = linked;
        self.cache = cache;
    }
}

/// What an edit's search update works on.
struct Search<'a> {
    cluster: &'a Cluster,
    corpus: &'a mut search::Corpus,
    served: &'a mut BTreeMap<String, OutputData>,
}

impl Search<'_> {
    /// Reads the search documents of the `changed` sites again and rebuilds the index of
    /// each of them and of the bureaus above them, dropping the files they replace.
    fn again(self, model: Model, changed: &[SiteKey], outputs: &mut Outputs) {
        let indexed = pipeline::indexed_sites(self.cluster, changed);
        let ids = |sites: &[SiteKey]| -> Vec<String> {
            sites
                .iter()
                .map(|&s| format!("{}/", self.cluster.sites[s].id))
                .collect()
        };
        let (own, above) = (ids(changed), ids(&indexed));
        self.served.retain(|k, _| {
            let under = |p: &String| k.strip_prefix(p.as_str());
            let own_data = own.iter().filter_map(under).any(search::is_data);
            let index = above.iter().filter_map(under).any(search::is_index);
            !own_data && !index
        });
        self.corpus.reread(model, changed, &mut |f| {
            pipeline::add_search_files(outputs, f)
        });
        pipeline::add_search_files(outputs, self.corpus.indexes(self.cluster, &indexed));
    }
}

/// Drafts as asked; pages dated in the future wait for their date, as in `build`.
fn discover_options(opts: &LiveOptions, cluster: &Cluster) -> DiscoverOptions {
    DiscoverOptions {
        drafts: opts.drafts,
        until: Some(cluster.settings.now()),
    }
}
