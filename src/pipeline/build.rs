//! `build`: the driver's model rendered in groups of sites and written atomically, with the
//! search index, the internal-link check and the summary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{BuildError, Driver, Options, Timings, add_time, timed};
use crate::check::links;
use crate::config::{Cluster, SiteKey};
use crate::content::{Library, SectionKind};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::outputs::{Outputs, writer};
use crate::render::{Model, Progress};
use crate::search;

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Sites built.
    pub sites: usize,
    /// HTML pages written.
    pub pages: usize,
    /// Items the built sites list from other sites.
    pub syndicated: usize,
    /// Resources (资源) the built sites publish themselves.
    pub resources: usize,
    /// Files written in all.
    pub files: usize,
    /// Of those, files unchanged since the previous build (linked, not written again).
    pub unchanged: usize,
    /// Warnings (the build succeeded).
    pub warnings: Vec<Diagnostic>,
    /// Pages left out until their date (`--future` includes them).
    pub waiting: usize,
    /// Each step with how long it took.
    pub timings: Timings,
    /// Where the output went.
    pub out_dir: PathBuf,
    /// Sites not built because of their own errors: their previous output stays.
    pub held: Vec<super::held::HeldBack>,
}

/// Most pages rendered before they are written: the build renders and writes the sites in
/// groups of about this many pages, so memory holds one group's output, not the cluster's.
/// A city's build (paired runs of 2026-12-07): 5,000 pages 13.6 s and 872 MB peak, 2,500
/// 13.4 s and 783 MB, 1,250 14.9 s and 740 MB (more groups, more waits between them).
pub(super) const PAGES_PER_GROUP: usize = 2_500;

/// What the groups of a build have written so far.
#[derive(Default)]
struct Progressed {
    pages: usize,
    files: usize,
    problems: Diagnostics,
    unresolved: Vec<links::Link>,
}

/// Builds the cluster and writes it atomically to the output folder.
pub fn build(opts: &Options, progress: &dyn Progress) -> Result<BuildReport, BuildError> {
    let mut opts = opts.clone();
    loop {
        match attempt(&opts, progress)? {
            Attempt::Built(report) => return Ok(*report),
            // A site whose own pages or templates fail to render is held back like one whose
            // content fails to load: built again without it, so that what the others list
            // from it is its last good state. Each attempt holds back at least one more site.
            Attempt::Hold(by_site) => opts.hold.extend(by_site),
        }
    }
}

/// How one attempt at a build ended, when it did not fail.
enum Attempt {
    Built(Box<BuildReport>),
    /// Sites to hold back, with the errors their rendering found.
    Hold(BTreeMap<String, Vec<Diagnostic>>),
}

/// The render errors as sites to hold back, when each belongs to a site not yet held and
/// the build is not all or nothing.
fn to_hold(driver: &Driver, problems: Diagnostics) -> Result<Attempt, BuildError> {
    let (by_site, own) = super::held::attribute(&driver.cluster, problems);
    let fresh = by_site
        .keys()
        .all(|&s| !driver.opts.hold.contains_key(&driver.cluster.sites[s].id));
    if driver.opts.strict || own.has_errors() || by_site.is_empty() || !fresh {
        let mut all = own;
        all.extend(by_site.into_values().flatten());
        return Err(BuildError::Content(all));
    }
    let named = by_site
        .into_iter()
        .map(|(s, errors)| (driver.cluster.sites[s].id.clone(), errors));
    Ok(Attempt::Hold(named.collect()))
}

/// One attempt: loads, renders and writes the cluster.
fn attempt(opts: &Options, progress: &dyn Progress) -> Result<Attempt, BuildError> {
    let mut timings = Timings::new();
    let driver = Driver::load(opts.clone(), &mut timings)?;
    let model = driver.model();
    let (cluster, selected) = (&driver.cluster, &driver.selected);
    let mut staging = writer::Staging::begin(&driver.out_dir)?;
    let empty: Vec<&str> = driver
        .held
        .iter()
        .filter(|h| !h.kept)
        .map(|h| h.id.as_str())
        .collect();
    let (corpus, exported) = search_corpus(
        model,
        selected,
        &empty,
        &driver.out_dir,
        &mut staging,
        &mut timings,
    )?;
    // The sites not built keep their folders: those of `--site`, and those held back.
    let carry_over: Vec<String> = cluster
        .sites
        .iter_keyed()
        .filter(|(i, _)| !selected.contains(i))
        .map(|(_, s)| s.id.clone())
        .chain(cluster.left_out.iter().cloned())
        .collect();
    let mut targets = links::Written::keeping(&driver.out_dir, &carry_over);
    let mut done = Progressed {
        files: exported,
        ..Default::default()
    };
    let per_group = match opts.pages_per_group {
        0 => PAGES_PER_GROUP,
        n => n,
    };
    let groups = groups(&driver.linked.library, selected, per_group);
    let groups = groups.iter().map(|sites| Group {
        driver: &driver,
        corpus: &corpus,
        sites,
    });
    let writing = Writing {
        progress,
        targets: &mut targets,
        done: &mut done,
        timings: &mut timings,
    };
    writing.run(groups, &mut staging)?;
    if done.problems.has_errors() {
        return to_hold(&driver, std::mem::take(&mut done.problems));
    }
    let warnings = warnings(
        &driver,
        &targets,
        std::mem::take(&mut done.unresolved),
        &mut timings,
    );
    if opts.strict && !warnings.is_empty() {
        return Err(BuildError::Content(strictly(warnings)));
    }
    let held: Vec<&str> = driver.held.iter().map(|h| h.id.as_str()).collect();
    done.files += index_above(
        cluster,
        &corpus,
        (selected, &held),
        &mut staging,
        &mut timings,
    )?;
    done.files += host_root(cluster, &mut staging)?;
    let written = timed(&mut timings, "write", || staging.finish(&carry_over))?;
    let report = Report {
        done,
        unchanged: written.unchanged,
        warnings,
        timings,
    };
    Ok(Attempt::Built(Box::new(report.of(&driver))))
}

/// What a finished attempt counted.
struct Report {
    done: Progressed,
    unchanged: usize,
    warnings: Vec<Diagnostic>,
    timings: Timings,
}

impl Report {
    /// The build's report: its counts and the sites it held back, paths relative.
    fn of(self, driver: &Driver) -> BuildReport {
        let selected = &driver.selected;
        let root = &driver.opts.root;
        let held = driver.held.iter().map(|h| super::held::HeldBack {
            errors: h
                .errors
                .iter()
                .map(|d| d.clone().relative_to(root))
                .collect(),
            ..h.clone()
        });
        BuildReport {
            sites: selected.len(),
            pages: self.done.pages,
            syndicated: driver.linked.received_count(selected),
            resources: resources(&driver.linked.library, selected),
            files: self.done.files,
            unchanged: self.unchanged,
            warnings: self.warnings,
            waiting: driver.waiting,
            timings: self.timings,
            out_dir: driver.out_dir.clone(),
            held: held.collect(),
        }
    }
}

/// One group of sites rendered and written.
struct Group<'a> {
    driver: &'a Driver,
    corpus: &'a search::Corpus,
    sites: &'a [SiteKey],
}

impl Group<'_> {
    /// Renders the group, scans its links and adds its sites' search indexes: the files to
    /// write. Render errors are collected (later groups still render, so every template
    /// error is reported at once) and nothing more is written after the first.
    fn render(&self, w: &mut Writing) -> Option<Outputs> {
        let cluster = &self.driver.cluster;
        match self.driver.render(self.sites, w.progress, w.timings) {
            Ok(mut outputs) if !w.done.problems.has_errors() => {
                timed(w.timings, "links", || {
                    let sites = links::Sites::new(cluster);
                    let unresolved = w.targets.scan_group(&sites, &outputs.files);
                    w.done.unresolved.extend(unresolved);
                });
                let indexes = timed(w.timings, "search-index", || {
                    self.corpus.indexes(cluster, self.sites)
                });
                add_search_files(&mut outputs, indexes);
                w.done.pages += outputs.html_count();
                w.done.files += outputs.files.len();
                Some(outputs)
            }
            Ok(_) => None,
            Err(d) => {
                w.done.problems.extend(d);
                None
            }
        }
    }
}

/// The groups of a build rendered one after another while a second thread writes the
/// previous group: writing is file-system work (sys time, and on a disk waits for its
/// journal) that would otherwise leave the cores idle between two renders.
struct Writing<'a> {
    progress: &'a dyn Progress,
    targets: &'a mut links::Written,
    done: &'a mut Progressed,
    timings: &'a mut Timings,
}

impl Writing<'_> {
    /// Renders `groups` and writes each into `staging`; stops at the first write error.
    fn run<'g>(
        mut self,
        groups: impl Iterator<Item = Group<'g>>,
        staging: &mut writer::Staging,
    ) -> Result<(), BuildError> {
        // A rendezvous: at most one group waits while another is written, so memory holds
        // two groups' output, not the cluster's.
        let (to_writer, rendered) = std::sync::mpsc::sync_channel::<Outputs>(0);
        let written = std::thread::scope(|scope| {
            let writer = scope.spawn(move || write_each(rendered, staging));
            for group in groups {
                let outputs = group.render(&mut self);
                // A closed channel means the writer stopped at an error, reported below.
                if outputs.is_some_and(|o| to_writer.send(o).is_err()) {
                    break;
                }
            }
            drop(to_writer);
            writer.join()
        });
        let (took, result) = written.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        add_time(self.timings, "write", took);
        result.map_err(BuildError::from)
    }
}

/// Writes each group received until the channel closes or a write fails; returns the time
/// spent writing.
fn write_each(
    rendered: std::sync::mpsc::Receiver<Outputs>,
    staging: &mut writer::Staging,
) -> (std::time::Duration, Result<(), writer::WriteError>) {
    let mut took = std::time::Duration::ZERO;
    for outputs in rendered {
        let start = std::time::Instant::now();
        let result = staging.add(&outputs);
        took += start.elapsed();
        if result.is_err() {
            return (took, result);
        }
    }
    (took, Ok(()))
}

/// The driver's warnings and every broken link, judged once every group is written.
fn warnings(
    driver: &Driver,
    targets: &links::Written,
    unresolved: Vec<links::Link>,
    timings: &mut Timings,
) -> Vec<Diagnostic> {
    let mut warnings = driver.warnings();
    let found = timed(timings, "links", || {
        let linked = &driver.linked;
        links::report(
            &driver.cluster,
            &linked.library,
            &linked.bodies,
            targets,
            unresolved,
        )
    });
    let root = &driver.opts.root;
    warnings.extend(found.into_iter().map(|d| d.relative_to(root)));
    warnings
}

/// Resources (资源) the `selected` sites publish themselves.
fn resources(library: &Library, selected: &[SiteKey]) -> usize {
    selected
        .iter()
        .flat_map(|&s| library.sites[s].pages.iter())
        .filter(|&&k| library.pages[k].kind == SectionKind::Resources)
        .count()
}

/// Warnings turned into errors (`--strict`).
fn strictly(warnings: Vec<Diagnostic>) -> Diagnostics {
    warnings
        .into_iter()
        .map(|mut d| {
            d.severity = Severity::Error;
            d
        })
        .collect()
}

/// The search documents of the selected sites, whose exports and result rows are written
/// at once; with `--site` (or a site held back), also those of the other sites below a
/// bureau whose index is rebuilt (a selected site or one above it), from their exports in
/// the previous output — `without` the sites held back that have none.
fn search_corpus(
    model: Model,
    selected: &[SiteKey],
    without: &[&str],
    out_dir: &Path,
    staging: &mut writer::Staging,
    timings: &mut Timings,
) -> Result<(search::Corpus, usize), BuildError> {
    let cluster = model.cluster;
    let mut export_failed = None;
    let mut exported = 0;
    let mut corpus = timed(timings, "search-read", || {
        search::Corpus::read(
            model,
            selected,
            Some(&mut |found| {
                let mut exports = Outputs::default();
                add_search_files(&mut exports, found);
                exported += exports.files.len();
                if export_failed.is_none() {
                    export_failed = staging.add(&exports).err();
                }
            }),
        )
    });
    if let Some(e) = export_failed {
        return Err(e.into());
    }
    let mut below: Vec<SiteKey> = indexed_sites(cluster, selected)
        .into_iter()
        .flat_map(|s| search::subtree(cluster, s))
        .filter(|s| !selected.contains(s) && !without.contains(&cluster.sites[*s].id.as_str()))
        .collect();
    below.sort_unstable();
    below.dedup();
    timed(timings, "search-read", || {
        corpus.import(model, &below, out_dir)
    })
    .map_err(|d| BuildError::Content(d.relative_to(&cluster.root)))?;
    Ok((corpus, exported))
}

/// The selected sites and every bureau above them: the sites whose search index changes.
pub fn indexed_sites(cluster: &Cluster, selected: &[SiteKey]) -> Vec<SiteKey> {
    let mut out: Vec<SiteKey> = selected
        .iter()
        .flat_map(|&s| std::iter::once(s).chain(cluster.ancestors(s)))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Writes the search index of the bureaus above the selected sites that were not built
/// themselves (`build --site`), except those held back; returns the number of files.
fn index_above(
    cluster: &Cluster,
    corpus: &search::Corpus,
    (selected, held): (&[SiteKey], &[&str]),
    staging: &mut writer::Staging,
    timings: &mut Timings,
) -> Result<usize, BuildError> {
    // A bureau held back keeps its whole previous output, its search index included.
    let above: Vec<SiteKey> = indexed_sites(cluster, selected)
        .into_iter()
        .filter(|s| !selected.contains(s) && !held.contains(&cluster.sites[*s].id.as_str()))
        .collect();
    let mut outputs = Outputs::default();
    add_search_files(
        &mut outputs,
        timed(timings, "search-index", || corpus.indexes(cluster, &above)),
    );
    timed(timings, "write", || staging.add(&outputs))?;
    Ok(outputs.files.len())
}

/// Writes `robots.txt` and a sitemap index at the output's root when it is a host's root
/// (`crate::outputs::sitemap::host_root`); returns the number of files.
fn host_root(cluster: &Cluster, staging: &mut writer::Staging) -> Result<usize, BuildError> {
    let mut outputs = Outputs::default();
    add_host_root(cluster, &mut outputs);
    staging.add(&outputs)?;
    Ok(outputs.files.len())
}

/// Adds the files of the host's root (`robots.txt`, a sitemap index) when the output's root
/// is a host's root; `build` and `serve` both publish them.
pub fn add_host_root(cluster: &Cluster, outputs: &mut Outputs) {
    for (path, text) in crate::outputs::sitemap::host_root(cluster) {
        outputs.bytes(path, text);
    }
}

/// Adds search files: the binary shards and maps as they are, JSON cleaned like every
/// text output, the variants table (listed empty) as the one built-in copy.
pub fn add_search_files(outputs: &mut Outputs, files: search::SiteFiles) {
    for (path, bytes) in files {
        if path.ends_with(crate::routes::SEARCH_VARIANTS) {
            let table = search::variants::table_file();
            outputs.insert(path, crate::outputs::OutputData::Builtin(table));
        } else if path.ends_with(".bin") {
            outputs.binary(path, bytes);
        } else {
            outputs.bytes(path, bytes);
        }
    }
}

/// The selected sites in groups of about `per_group` own pages, in tree order.
pub(super) fn groups(
    library: &Library,
    selected: &[SiteKey],
    per_group: usize,
) -> Vec<Vec<SiteKey>> {
    let mut out: Vec<Vec<SiteKey>> = vec![Vec::new()];
    let mut size = 0;
    for &site in selected {
        let pages = library.sites[site].pages.len();
        if size + pages > per_group && !out.last().is_some_and(Vec::is_empty) {
            out.push(Vec::new());
            size = 0;
        }
        size += pages;
        out.last_mut().expect("one group at least").push(site);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outputs::Outputs;

    #[test]
    fn the_writer_stops_at_the_first_failed_group_and_leaves_the_output_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let mut staging = writer::Staging::begin(&out).unwrap();
        let group = |path: &str| {
            let mut o = Outputs::default();
            o.bytes(path.to_string(), "x");
            o
        };
        let (send, receive) = std::sync::mpsc::sync_channel(3);
        // The second group needs `a/b` to be a folder, which the first wrote as a file.
        for path in ["a/b", "a/b/index.html", "c/index.html"] {
            send.send(group(path)).unwrap();
        }
        drop(send);
        let (_, result) = write_each(receive, &mut staging);
        assert!(matches!(result, Err(writer::WriteError::Io { .. })));
        drop(staging);
        assert!(!out.exists(), "nothing is swapped in after a failed write");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn strict_turns_every_warning_into_an_error() {
        let w = Diagnostic::warning(crate::codes::BROKEN_LINK, "a.md", 1, 1, "x");
        let d = strictly(vec![w.clone(), w]);
        assert_eq!(d.error_count(), 2);
    }
}
