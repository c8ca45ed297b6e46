//! The live model of `serve`: everything loaded, linked and rendered, kept in memory, and
//! updated from file changes by re-reading only the sites that changed and re-rendering only
//! the sites whose output can depend on them. A failed update leaves the model as it was, so
//! the last good pages stay served.

use crate::store::Store;
use std::collections::BTreeMap;
use std::path::PathBuf;

use super::watch::Change;
use crate::config::{self, Cluster, LoadOptions, SiteKey};
use crate::content::{self, DiscoverOptions, Library, discover::Discovered};
use crate::diagnostics::Diagnostics;
use crate::federation::{self, Federation, syndication::descendants};
use crate::outputs::OutputData;
use crate::render::{self, Bodies, Model, NoProgress, RenderCache, bodies::Previous};

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
    found: Store<SiteKey, Discovered>,
    library: Library,
    federation: Federation,
    bodies: Bodies,
    cache: RenderCache,
    /// Output path (`<site>/...`) -> content.
    pub outputs: BTreeMap<String, OutputData>,
}

/// What an update did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Updated {
    /// Sites whose output was rendered again.
    pub sites: Vec<String>,
    /// Everything was rebuilt (config or theme change).
    pub full: bool,
}

impl Live {
    /// Loads and renders the whole cluster.
    pub fn build(opts: LiveOptions) -> Result<Live, Diagnostics> {
        let load = LoadOptions {
            base_url: Some(opts.base_url.clone()),
        };
        let cluster = config::load(&opts.root, &load).map_err(|d| relative(d, &opts.root))?;
        let all: Vec<SiteKey> = cluster.sites.keys().collect();
        let mut found: Store<SiteKey, Discovered> = cluster
            .sites
            .iter()
            .map(|_| Discovered::default())
            .collect();
        for (i, d) in content::discover_sites(
            &cluster,
            DiscoverOptions {
                drafts: opts.drafts,
            },
            &all,
        ) {
            found[i] = d;
        }
        let mut live = Live {
            opts,
            cluster,
            found: Store::new(),
            library: Library::default(),
            federation: Federation::default(),
            bodies: Bodies::default(),
            cache: RenderCache::default(),
            outputs: BTreeMap::new(),
        };
        live.relink(found, &all, None)?;
        Ok(live)
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
            });
        }
        let mut found = self.found.clone();
        for (i, d) in content::discover_sites(
            &self.cluster,
            DiscoverOptions {
                drafts: self.opts.drafts,
            },
            &sites,
        ) {
            found[i] = d;
        }
        let affected = self.affected(&sites);
        self.relink(found, &affected, Some(&sites))?;
        Ok(Updated {
            sites: affected
                .iter()
                .map(|&i| self.cluster.sites[i].id.clone())
                .collect(),
            full: false,
        })
    }

    fn rebuild_all(&mut self) -> Result<Updated, Diagnostics> {
        *self = Live::build(self.opts.clone())?;
        Ok(Updated {
            sites: self.cluster.ids().map(str::to_string).collect(),
            full: true,
        })
    }

    /// Sites whose output can change when `changed` sites change: themselves, the bureaus
    /// above them (syndication, resource library, 信息公开 directory, statistics), the sites
    /// below a changed bureau (notices pushed down) and every site linking into them.
    fn affected(&self, changed: &[SiteKey]) -> Vec<SiteKey> {
        let mut out: Vec<SiteKey> = Vec::new();
        for &s in changed {
            out.push(s);
            out.extend(self.cluster.ancestors(s));
            if self.cluster.sites[s].kind.is_bureau() {
                out.extend(descendants(&self.cluster, s));
            }
        }
        for (k, r) in self.bodies.pages.iter_keyed() {
            if r.linked_sites.iter().any(|t| changed.contains(t)) {
                out.push(self.library.pages[k].site);
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Assembles, links and renders; `render_sites` are rendered again, `changed` sites had
    /// their content re-read (all sites when `None`).
    fn relink(
        &mut self,
        found: Store<SiteKey, Discovered>,
        render_sites: &[SiteKey],
        changed: Option<&[SiteKey]>,
    ) -> Result<(), Diagnostics> {
        let root = self.opts.root.clone();
        let (library, mut diags) = content::assemble(&self.cluster, found.clone());
        let (federation, link_diags) = federation::link(&self.cluster, &library);
        diags.extend(link_diags);
        let dirty: Store<SiteKey, bool> = self
            .cluster
            .sites
            .keys()
            .map(|i| render_sites.contains(&i))
            .collect();
        let previous = changed.map(|_| Previous {
            library: &self.library,
            bodies: &self.bodies,
            dirty: &dirty,
        });
        let (bodies, body_diags) =
            render::bodies::render_reusing(&self.cluster, &library, previous);
        diags.extend(body_diags);
        if diags.has_errors() {
            return Err(relative(diags, &root));
        }
        let model = Model {
            cluster: &self.cluster,
            library: &library,
            bodies: &bodies,
            federation: &federation,
        };
        let (mut outputs, kept) =
            render::render_incremental(model, render_sites, &NoProgress, &mut self.cache)
                .map_err(|d| relative(d, &root))?;
        crate::outputs::publish(model, render_sites, &mut outputs);
        let prefixes: Vec<String> = render_sites
            .iter()
            .map(|&s| format!("{}/", self.cluster.sites[s].id))
            .collect();
        let kept: std::collections::HashSet<String> = kept.into_iter().collect();
        self.outputs
            .retain(|k, _| kept.contains(k) || !prefixes.iter().any(|p| k.starts_with(p)));
        self.outputs.extend(outputs.files);
        self.found = found;
        self.library = library;
        self.federation = federation;
        self.bodies = bodies;
        Ok(())
    }
}

fn relative(diags: Diagnostics, root: &std::path::Path) -> Diagnostics {
    diags.into_iter().map(|d| d.relative_to(root)).collect()
}
