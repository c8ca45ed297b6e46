//! The live model of `serve` (and `edit`): the driver, the search documents and the output
//! of the sites asked for, updated from file changes by the driver's own steps for the
//! sites an edit touched. A site is rendered when a page of it is first requested, and
//! again when asked for after an edit made it stale: `serve` starts without rendering the
//! cluster, an edit renders only what is looked at, and a city's output is never held in
//! memory whole (the oldest rendered sites go past [`KEPT_BYTES`]). Requests never see this
//! model: after each change it publishes a [`Snapshot`] (cheap: the files of unchanged sites
//! are shared). A failed update leaves the model as it was. The link check of the whole
//! cluster runs between requests ([`LinkCheck`]).

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::PathBuf;
use std::sync::Arc;

use super::linkcheck::{self, LinkCheck};
use super::watch::Change;
use crate::config::SiteKey;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::outputs::{OutputData, Outputs};
use crate::pipeline::{self, Driver, Options, Timings, timed};
use crate::render::NoProgress;
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
    /// The files of each site rendered, by site id (`""`: the host root's own files).
    pub files: HashMap<String, Arc<SiteFiles>>,
    /// The problems of the last failed update, until one succeeds.
    pub problems: Option<Arc<str>>,
    /// Sites that could not be rendered, with why (until the next change).
    pub failed: HashMap<String, Arc<str>>,
}

impl Snapshot {
    /// The file at `key` (`<site>/…`).
    pub fn get(&self, key: &str) -> Option<&Arc<OutputData>> {
        self.files.get(group_of(key))?.get(key)
    }

    /// True for a site id of the cluster.
    pub fn has_site(&self, id: &str) -> bool {
        self.sites.iter().any(|(s, _, _)| s == id)
    }

    /// True when the site's files are here, or it is known not to render.
    pub fn is_ready(&self, id: &str) -> bool {
        self.files.contains_key(id) || self.failed.contains_key(id)
    }
}

/// The site id a served file belongs to: its first folder; `""` for the files of the
/// host's root (`robots.txt`), which belong to no site.
fn group_of(key: &str) -> &str {
    key.split_once('/').map_or("", |(site, _)| site)
}

/// Output bytes of rendered sites kept at most; the sites rendered longest ago go first
/// (and are rendered again when asked for).
pub const KEPT_BYTES: usize = 384 << 20;

/// The cluster in memory, with the output of the sites asked for.
pub struct Live {
    opts: LiveOptions,
    /// The driver.
    pub driver: Driver,
    /// Search documents of every site; an edit reads its sites' again.
    corpus: search::Corpus,
    /// The files of the sites rendered and still current, by site id (`""`: the host
    /// root's own files, always here).
    files: HashMap<String, Arc<SiteFiles>>,
    /// The rendered sites with their size, in the order they were rendered.
    rendered: VecDeque<(String, usize)>,
    /// Sites whose render failed since the last change, with why.
    failed: HashMap<String, Arc<str>>,
    /// Sites asked for since the start: the link check keeps what it renders of them.
    viewed: HashSet<String>,
    /// The link check under way.
    check: LinkCheck,
    /// The warnings known: the driver's (and, from [`Live::build`], every broken link).
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
    /// Sites whose output changed (rendered again when next asked for).
    pub sites: Vec<String>,
    /// Everything was rebuilt (config or theme change).
    pub full: bool,
    /// The time each step of the rebuild took (`serve -v` prints them).
    pub timings: Timings,
    /// The driver's warnings (broken links follow from the link check).
    pub warnings: Vec<Diagnostic>,
}

impl Live {
    /// Loads the cluster, reads its search documents and checks every link: what `build`
    /// reports, without writing (the in-process equal of a build).
    pub fn build(opts: LiveOptions) -> Result<Live, Diagnostics> {
        let mut live = Live::start(opts)?;
        while live.check.is_running() {
            if let Some(round) = live.check_step(usize::MAX) {
                live.warnings.extend(round?);
            }
        }
        Ok(live)
    }

    /// Loads the cluster and reads its search documents; nothing is rendered yet, and the
    /// link check is left to [`Live::check_step`].
    pub fn start(opts: LiveOptions) -> Result<Live, Diagnostics> {
        let mut timings = Timings::new();
        let driver = Driver::load(driver_options(&opts), &mut timings).map_err(|e| match e {
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
        // The exports are made with each site when it is asked for (`Live::render_site`).
        let corpus = search::Corpus::read(driver.model(), &all, None);
        let mut host = Outputs::default();
        pipeline::add_host_root(&driver.cluster, &mut host);
        let host: SiteFiles = host
            .files
            .into_iter()
            .map(|(k, v)| (k, Arc::new(v)))
            .collect();
        let mut warnings = driver.warnings();
        warnings.extend(driver.errors.iter().cloned());
        // A site held back by its own errors is shown with them, as the build leaves it out.
        let failed: HashMap<String, Arc<str>> = driver
            .held
            .iter()
            .map(|h| {
                let errors: Vec<String> = h
                    .errors
                    .iter()
                    .map(|d| d.clone().relative_to(&opts.root).to_string())
                    .collect();
                let root = &opts.root;
                warnings.extend(h.errors.iter().map(|d| d.clone().relative_to(root)));
                (h.id.clone(), Arc::from(errors.join("\n").as_str()))
            })
            .collect();
        Ok(Live {
            opts,
            corpus,
            files: HashMap::from([(String::new(), Arc::new(host))]),
            rendered: VecDeque::new(),
            failed,
            viewed: HashSet::new(),
            check: LinkCheck::new(&all),
            warnings,
            config_dirty: false,
            pending: Vec::new(),
            driver,
        })
    }

    /// What requests should see now.
    /// The URL the sites are served under (`http://127.0.0.1:1314/`).
    pub fn base_url(&self) -> &str {
        &self.opts.base_url
    }

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
            failed: self.failed.clone(),
        }
    }

    /// True while the link check has work left.
    pub fn checking(&self) -> bool {
        self.check.is_running()
    }

    /// Renders and scans the next sites of the link check, about `pages` pages; the broken
    /// links (or render errors) once the round is done. What it renders of a site asked for
    /// before (a bureau an edit made stale) is kept, so the next request finds it.
    pub fn check_step(&mut self, pages: usize) -> Option<linkcheck::Round> {
        let mut output = None;
        let round = self
            .check
            .step(&self.driver, pages, &mut |o| output = Some(o));
        if let Some(outputs) = output {
            self.keep_viewed(outputs);
        }
        round
    }

    /// Keeps the files of the sites in `outputs` that were asked for and are not here.
    fn keep_viewed(&mut self, outputs: Outputs) {
        let mut by_site: HashMap<String, SiteFiles> = HashMap::new();
        for (key, data) in outputs.files {
            let site = group_of(&key);
            if self.viewed.contains(site) && !self.files.contains_key(site) {
                let files = by_site.entry(site.to_string()).or_default();
                files.insert(key, Arc::new(data));
            }
        }
        for (id, mut files) in by_site {
            let Some(site) = self.driver.cluster.get(&id) else {
                continue;
            };
            let mut search = Outputs::default();
            self.add_search(site, &mut search);
            files.extend(search.files.into_iter().map(|(k, v)| (k, Arc::new(v))));
            self.keep(id, files);
        }
    }

    /// Serves `files` as the site `id`'s, within the budget.
    fn keep(&mut self, id: String, files: SiteFiles) {
        let size = files.values().map(|d| d.held()).sum();
        self.files.insert(id.clone(), Arc::new(files));
        self.rendered.push_back((id, size));
        self.keep_within(KEPT_BYTES);
    }

    /// Renders the site `id` unless its files are here; `false` when it could not be
    /// rendered (the reason is in the snapshot) or is not a site of the cluster.
    pub fn render_site(&mut self, id: &str) -> bool {
        if self.files.contains_key(id) {
            return true;
        }
        let Some(site) = self.driver.cluster.get(id) else {
            return false;
        };
        if self.failed.contains_key(id) {
            return false;
        }
        self.viewed.insert(id.to_string());
        match self.site_files(site) {
            Ok(files) => {
                self.keep(id.to_string(), files);
                true
            }
            Err(d) => {
                let text: Vec<String> = d.into_sorted().iter().map(ToString::to_string).collect();
                self.failed
                    .insert(id.to_string(), Arc::from(text.join("\n")));
                false
            }
        }
    }

    /// The output of `site`: its pages, feeds and copies, its search data and index.
    fn site_files(&self, site: SiteKey) -> Result<SiteFiles, Diagnostics> {
        let mut outputs = self
            .driver
            .render(&[site], &NoProgress, &mut Timings::new())?;
        self.add_search(site, &mut outputs);
        Ok(outputs
            .files
            .into_iter()
            .map(|(k, v)| (k, Arc::new(v)))
            .collect())
    }

    /// Adds the search data of `site`: its export, result rows and index.
    fn add_search(&self, site: SiteKey, outputs: &mut Outputs) {
        let (model, cluster) = (self.driver.model(), &self.driver.cluster);
        pipeline::add_search_files(outputs, self.corpus.own_files(model, site));
        pipeline::add_search_files(outputs, self.corpus.indexes(cluster, &[site]));
    }

    /// Lets the sites rendered longest ago go until the rest hold at most `budget` bytes
    /// (the last one rendered stays, whatever its size).
    fn keep_within(&mut self, budget: usize) {
        let mut total: usize = self.rendered.iter().map(|(_, n)| n).sum();
        while total > budget && self.rendered.len() > 1 {
            let Some((id, n)) = self.rendered.pop_front() else {
                break;
            };
            self.files.remove(&id);
            total -= n;
        }
    }

    /// Forgets the output of `sites`: rendered again when next asked for.
    fn stale(&mut self, sites: &[SiteKey]) {
        let cluster = &self.driver.cluster;
        let ids: Vec<&str> = sites
            .iter()
            .map(|&s| cluster.sites[s].id.as_str())
            .collect();
        self.files.retain(|k, _| !ids.contains(&k.as_str()));
        self.rendered.retain(|(k, _)| !ids.contains(&k.as_str()));
        self.failed.clear();
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
        self.pending.clear();
        let reindexed = timed(&mut timings, "search", || {
            // A sentence the edit made boilerplate (or no longer) changes other sites'
            // documents too: the indexes above them change with the edited one's.
            let weighed = self.corpus.reread(self.driver.model(), &sites, None);
            pipeline::indexed_sites(&self.driver.cluster, &weighed)
        });
        let mut changed = affected.clone();
        changed.extend(reindexed);
        changed.sort_unstable();
        changed.dedup();
        self.stale(&changed);
        let recheck = self.relinked(&sites);
        timed(&mut timings, "links", || {
            self.check.again(&self.driver, &recheck)
        });
        let mut warnings = self.driver.warnings();
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

    /// The sites whose links an edit of `changed` can break: those sites, and the sites
    /// whose pages link into them. (A bureau's listings of a changed site are made from its
    /// pages as they are now, so they link to what exists; rendering a city again to check
    /// them would hold up the next edit.)
    fn relinked(&self, changed: &[SiteKey]) -> Vec<SiteKey> {
        let linked_from = &self.driver.linked.federation.linked_from;
        let mut out: Vec<SiteKey> = changed
            .iter()
            .flat_map(|&c| std::iter::once(c).chain(linked_from[c].iter().copied()))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    fn rebuild_all(&mut self) -> Result<Updated, Diagnostics> {
        self.config_dirty = true;
        *self = Live::start(self.opts.clone())?;
        Ok(Updated {
            sites: self.driver.cluster.ids().map(str::to_string).collect(),
            full: true,
            timings: Timings::new(),
            warnings: self.warnings.clone(),
        })
    }
}

/// The driver's options for `serve`: nothing is written, the sites are served under the
/// local URL.
fn driver_options(opts: &LiveOptions) -> Options {
    Options {
        root: opts.root.clone(),
        base_url: Some(opts.base_url.clone()),
        drafts: opts.drafts,
        dry_run: true,
        keep_going: opts.keep_going,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::testing::{cluster, news};

    fn live(files: &[(&str, &str)]) -> (tempfile::TempDir, Live) {
        let (tmp, _) = cluster(files);
        let opts = LiveOptions {
            root: tmp.path().to_path_buf(),
            base_url: "http://127.0.0.1:1313/".to_string(),
            drafts: false,
            keep_going: false,
        };
        let live = Live::start(opts).expect("starts");
        (tmp, live)
    }

    fn rendered(live: &Live) -> Vec<String> {
        let mut ids: Vec<String> = live.snapshot(None).files.into_keys().collect();
        ids.sort();
        ids
    }

    fn page_of(live: &Live, key: &str) -> String {
        let now = live.snapshot(None);
        let data = now.get(key).unwrap_or_else(|| panic!("{key} served"));
        String::from_utf8(data.read().expect("bytes").into_owned()).expect("UTF-8")
    }

    #[test]
    fn a_site_is_rendered_when_asked_for_and_again_after_an_edit() {
        let page = "content/a/news/2026-05-01-甲.md";
        let (tmp, mut live) = live(&[(page, &news("甲", "2026-05-01", true))]);
        assert_eq!(rendered(&live), [""], "nothing rendered at start");
        assert!(live.render_site("a") && live.render_site("city"));
        assert_eq!(rendered(&live), ["", "a", "city"]);
        while live.checking() {
            live.check_step(usize::MAX);
        }
        assert!(page_of(&live, "a/news/甲/index.html").contains("甲"));
        assert!(live.snapshot(None).get("a/search/meta.json").is_some());
        std::fs::write(tmp.path().join(page), news("甲（改）", "2026-05-01", true)).unwrap();
        let updated = live
            .update(&[Change::Content("a".into())])
            .expect("updates");
        assert_eq!(updated.sites, ["city", "county", "a"]);
        assert_eq!(
            rendered(&live),
            [""],
            "the edited site and those listing it are stale"
        );
        while live.checking() {
            live.check_step(1);
        }
        assert_eq!(
            rendered(&live),
            ["", "a"],
            "the link check scans the edited site again and keeps it, it was asked for"
        );
        let fresh = live.site_files(live.driver.cluster.get("a").unwrap());
        let kept = &live.files["a"];
        assert!(fresh.unwrap().iter().all(|(k, v)| kept.get(k) == Some(v)));
        assert_eq!(fresh_len(&live, "a"), kept.len());
        assert!(live.render_site("city"));
        assert!(page_of(&live, "city/news/index.html").contains("甲（改）"));
    }

    #[test]
    fn the_sites_rendered_longest_ago_go_past_the_budget() {
        let (_tmp, mut live) = live(&[]);
        for id in ["a", "b", "county"] {
            assert!(live.render_site(id));
        }
        live.keep_within(1);
        assert_eq!(rendered(&live), ["", "county"], "the last one stays");
        assert!(live.render_site("a"), "rendered again when asked for");
    }

    #[test]
    fn a_site_that_cannot_render_is_reported_and_the_others_are_served() {
        let (_tmp, mut live) = live(&[
            ("content/a/templates/page.html", "{{ nosuch.field }}"),
            (
                "content/a/news/2026-05-01-甲.md",
                &news("甲", "2026-05-01", false),
            ),
        ]);
        assert!(!live.render_site("a"));
        let now = live.snapshot(None);
        assert!(now.is_ready("a") && !now.files.contains_key("a"));
        assert!(now.failed["a"].contains("page.html"), "{}", now.failed["a"]);
        assert!(live.render_site("b"));
    }

    #[test]
    fn the_link_check_in_small_steps_finds_what_one_step_finds() {
        let broken = "---\ntitle: 乙\ndate: 2026-05-02\n---\n见[没有](@/county/news/没有.md)与[锚](#没有)。\n";
        let files = [
            ("content/b/news/2026-05-02-乙.md", broken),
            (
                "content/a/news/2026-05-01-甲.md",
                &news("甲", "2026-05-01", true),
            ),
        ];
        let (_tmp, mut live) = live(&files);
        let whole = loop {
            if let Some(round) = live.check_step(usize::MAX) {
                break round.expect("no render error");
            }
        };
        let (_tmp2, mut stepped) = live_again(&files);
        let mut steps = 0;
        let small = loop {
            steps += 1;
            if let Some(round) = stepped.check_step(1) {
                break round.expect("no render error");
            }
        };
        assert!(steps >= 4, "one site a step: {steps}");
        let lines = |d: &[Diagnostic]| d.iter().map(ToString::to_string).collect::<Vec<_>>();
        assert!(!whole.is_empty());
        assert_eq!(lines(&whole), lines(&small));
        assert!(!stepped.checking());
        // An edit of b checks b again, and only its links are reported.
        stepped
            .update(&[Change::Content("b".into())])
            .expect("updates");
        assert!(stepped.checking());
        let again = loop {
            if let Some(round) = stepped.check_step(1) {
                break round.expect("no render error");
            }
        };
        assert_eq!(lines(&again), lines(&whole));
    }

    fn fresh_len(live: &Live, id: &str) -> usize {
        live.site_files(live.driver.cluster.get(id).unwrap())
            .unwrap()
            .len()
    }

    fn live_again(files: &[(&str, &str)]) -> (tempfile::TempDir, Live) {
        live(files)
    }
}
