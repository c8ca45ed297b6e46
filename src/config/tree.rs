//! Turns parsed site files into the validated site tree: one root, known parents, no cycles,
//! parents ranking above their children, then inheritance from parent to child.

use crate::store::{Key, Store};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::source::{ContentSource, GitSource, checkout_dir};
use super::{ClusterSettings, ParsedSite, Site, SiteKey, cluster, site::SiteKind};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::t;

/// Validates the tree and returns the sites in parent-before-child order.
/// `broken` holds the ids of site files that exist but had errors of their own: a site
/// under one of them is not reported again (no cascade of `unknown parent` errors).
pub(super) fn build(
    root: &Path,
    settings: &ClusterSettings,
    files: Vec<ParsedSite>,
    (broken, previous): (&HashSet<String>, &BTreeMap<String, super::PreviousPlace>),
    diags: &mut Diagnostics,
) -> (Store<SiteKey, Site>, Vec<String>) {
    let index: HashMap<&str, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.as_str(), i))
        .collect();
    let parents = resolve_parents(&files, &index, (broken, previous), diags);
    let Some(root_file) = find_root(&files, &parents, !broken.is_empty(), diags) else {
        let mut left: Vec<String> = files.iter().map(|f| f.id.clone()).collect();
        left.extend(broken.iter().cloned());
        left.sort();
        return (Store::new(), left);
    };
    let cycles = check_cycles(&files, &parents, diags);
    let misranked = check_ranks(&files, &parents, diags);
    let placed = placed(&files, &parents, root_file, &cycles, &misranked);
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); files.len()];
    for (i, p) in parents.iter().enumerate() {
        if let (Some(p), true) = (p, placed[i]) {
            children[*p].push(i);
        }
    }
    // Pre-order walk from the root: parents come first, so inheritance is one pass.
    let mut order = Vec::new();
    let mut stack = vec![root_file];
    while let Some(i) = stack.pop() {
        order.push(i);
        stack.extend(children[i].iter().rev());
    }
    let position: HashMap<usize, SiteKey> = order
        .iter()
        .enumerate()
        .map(|(pos, &i)| (i, SiteKey::from_index(pos)))
        .collect();
    let mut left_out: Vec<String> = (0..files.len())
        .filter(|i| !position.contains_key(i))
        .map(|i| files[i].id.clone())
        .chain(broken.iter().cloned())
        .collect();
    left_out.sort();
    let mut sites: Store<SiteKey, Site> = Store::new();
    let mut files: Vec<Option<ParsedSite>> = files.into_iter().map(Some).collect();
    for &i in &order {
        let file = files[i].take().expect("each site is visited once");
        let parent = parents[i].map(|p| position[&p]);
        let site = resolve_site(root, settings, file, parent.map(|p| &sites[p]), diags);
        let site = Site {
            parent,
            children: children[i].iter().map(|c| position[c]).collect(),
            ..site
        };
        sites.push(site);
    }
    (sites, left_out)
}

/// Which site files have a known place under the root: not in a loop, below a parent of a
/// higher kind, and every site above them placed too. The others are left out of this
/// run with the sites below them (one site's mistake never stops the rest).
fn placed(
    files: &[ParsedSite],
    parents: &[Option<usize>],
    root: usize,
    cycles: &HashSet<usize>,
    misranked: &HashSet<usize>,
) -> Vec<bool> {
    let mut memo: Vec<Option<bool>> = vec![None; files.len()];
    fn walk(
        i: usize,
        files: &[ParsedSite],
        parents: &[Option<usize>],
        root: usize,
        bad: &dyn Fn(usize) -> bool,
        memo: &mut Vec<Option<bool>>,
        depth: usize,
    ) -> bool {
        if let Some(known) = memo[i] {
            return known;
        }
        let ok = match parents[i] {
            _ if bad(i) || depth > files.len() => false,
            None => i == root,
            Some(p) => walk(p, files, parents, root, bad, memo, depth + 1),
        };
        memo[i] = Some(ok);
        ok
    }
    let bad = |i: usize| cycles.contains(&i) || misranked.contains(&i);
    (0..files.len())
        .map(|i| walk(i, files, parents, root, &bad, &mut memo, 0))
        .collect()
}

fn resolve_parents(
    files: &[ParsedSite],
    index: &HashMap<&str, usize>,
    (broken, previous): (&HashSet<String>, &BTreeMap<String, super::PreviousPlace>),
    diags: &mut Diagnostics,
) -> Vec<Option<usize>> {
    files
        .iter()
        .map(|f| {
            let parent = f.file.parent.as_deref()?;
            if let Some(&p) = index.get(parent) {
                return Some(p);
            }
            if broken.contains(parent) {
                return None;
            }
            let (l, c) = f.spans.value("parent").unwrap_or((1, 1));
            let help = match did_you_mean(parent, index.keys().copied()) {
                Some(best) => t!("fm-did-you-mean", best = best.to_string()),
                None => t!("site-parent-help", ids = sorted_ids(index)),
            };
            diags.push(
                Diagnostic::error(
                    crate::codes::UNKNOWN_PARENT,
                    &f.path,
                    l,
                    c,
                    t!("site-parent-unknown", parent = parent.to_string()),
                )
                .with_help(help),
            );
            // Kept where the previous build had it (and held back for the error above).
            let before = previous.get(&f.id).and_then(|p| p.parent.as_deref())?;
            index.get(before).copied()
        })
        .collect()
}

fn sorted_ids(index: &HashMap<&str, usize>) -> String {
    let mut ids: Vec<&str> = index.keys().copied().collect();
    ids.sort_unstable();
    ids.join(", ")
}

/// The one site without a parent; a city wins when several claim to be the root.
fn find_root(
    files: &[ParsedSite],
    parents: &[Option<usize>],
    some_broken: bool,
    diags: &mut Diagnostics,
) -> Option<usize> {
    let roots: Vec<usize> = (0..files.len())
        .filter(|&i| parents[i].is_none() && files[i].file.parent.is_none())
        .collect();
    let Some(&first) = roots
        .iter()
        .find(|&&i| files[i].file.kind == Some(SiteKind::City))
        .or(roots.first())
    else {
        // A site file with errors of its own may be the root: those errors say enough.
        if !files.is_empty() && !some_broken {
            for f in files {
                let (l, c) = f.spans.value("parent").unwrap_or((1, 1));
                diags.push(
                    Diagnostic::error(crate::codes::ROOT, &f.path, l, c, t!("site-no-root"))
                        .with_help(t!("site-no-root-help")),
                );
            }
        }
        return None;
    };
    for &other in roots.iter().filter(|&&i| i != first) {
        diags.push(
            Diagnostic::file_error(
                crate::codes::ROOT,
                &files[other].path,
                t!(
                    "site-second-root",
                    site = files[other].id.clone(),
                    root = files[first].id.clone()
                ),
            )
            .with_help(t!("site-second-root-help", root = files[first].id.clone())),
        );
    }
    Some(first)
}

/// The sites in a loop of parents, each reported.
fn check_cycles(
    files: &[ParsedSite],
    parents: &[Option<usize>],
    diags: &mut Diagnostics,
) -> HashSet<usize> {
    let mut looping = HashSet::new();
    for start in 0..files.len() {
        let mut chain = vec![start];
        let mut cur = start;
        while let Some(p) = parents[cur] {
            if p == start {
                let names: Vec<&str> = chain
                    .iter()
                    .chain(std::iter::once(&start))
                    .map(|&i| files[i].id.as_str())
                    .collect();
                let (l, c) = files[start].spans.value("parent").unwrap_or((1, 1));
                diags.push(
                    Diagnostic::error(
                        crate::codes::PARENT_CYCLE,
                        &files[start].path,
                        l,
                        c,
                        t!("site-parent-cycle", cycle = names.join(" -> ")),
                    )
                    .with_help(t!("site-parent-cycle-help")),
                );
                looping.insert(start);
                break;
            }
            if chain.contains(&p) {
                break; // a cycle above this site, reported at its own members
            }
            chain.push(p);
            cur = p;
        }
    }
    looping
}

/// The sites under a parent of the same or a lower kind, each reported.
fn check_ranks(
    files: &[ParsedSite],
    parents: &[Option<usize>],
    diags: &mut Diagnostics,
) -> HashSet<usize> {
    let mut wrong = HashSet::new();
    for (i, f) in files.iter().enumerate() {
        let (Some(p), Some(kind)) = (parents[i], f.file.kind) else {
            continue;
        };
        let Some(parent_kind) = files[p].file.kind else {
            continue;
        };
        if parent_kind.rank() <= kind.rank() {
            let (l, c) = f.spans.value("parent").unwrap_or((1, 1));
            diags.push(
                Diagnostic::error(
                    crate::codes::KIND_ORDER,
                    &f.path,
                    l,
                    c,
                    t!(
                        "site-kind-order",
                        kind = kind.as_str(),
                        parent_kind = parent_kind.as_str(),
                        parent = files[p].id.clone()
                    ),
                )
                .with_help(t!("site-kind-order-help")),
            );
            wrong.insert(i);
        }
    }
    wrong
}

fn resolve_site(
    root: &Path,
    settings: &ClusterSettings,
    f: ParsedSite,
    parent: Option<&Site>,
    diags: &mut Diagnostics,
) -> Site {
    let ParsedSite {
        id,
        path,
        spans,
        file,
    } = f;
    let kind = file.kind.unwrap_or(SiteKind::School);
    let own_url = file
        .base_url
        .as_deref()
        .filter(|_| !settings.base_url_forced);
    let base_url = match own_url.map(cluster::normalize_base_url) {
        Some(Ok(url)) => url,
        Some(Err(msg)) => {
            let (l, c) = spans.value("base_url").unwrap_or((1, 1));
            diags.push(
                Diagnostic::error(crate::codes::INVALID_VALUE, &path, l, c, msg)
                    .with_help(crate::t!("base-url-help")),
            );
            String::new()
        }
        None => format!("{}{id}/", settings.base_url),
    };
    let (content_dir, git) = content_of(root, &id, file.content.as_ref(), &path, &spans, diags);
    let mut footer = file.footer.unwrap_or_default();
    if let Some(p) = parent {
        footer.inherit(&p.footer);
    }
    let default_accept = if kind.is_bureau() {
        vec![crate::domain::SectionKind::News.name().to_string()]
    } else {
        Vec::new()
    };
    let syndication = file.syndication.unwrap_or_default();
    Site {
        name: file.name.unwrap_or_default(),
        kind,
        parent: None,
        children: Vec::new(),
        depth: parent.map_or(0, |p| p.depth + 1),
        base_url,
        content_dir,
        theme: file
            .theme
            .or_else(|| parent.map(|p| p.theme.clone()))
            .unwrap_or_else(|| settings.theme.clone()),
        menu: file.menu.or_else(|| parent.and_then(|p| p.menu.clone())),
        footer,
        org_code: file.org_code,
        accept: syndication.accept.unwrap_or(default_accept),
        accept_depth: syndication.depth,
        review: syndication.review.unwrap_or(false),
        params: file.params.unwrap_or_default(),
        git,
        commit: None,
        edit_url: file.edit_url,
        config_path: path,
        spans,
        id,
    }
}

/// The content folder of a site and its git source: a folder is checked here, a git
/// checkout after the driver fetched it (`crate::sources::prepare`).
fn content_of(
    root: &Path,
    id: &str,
    content: Option<&ContentSource>,
    path: &Path,
    spans: &crate::yaml::Spans,
    diags: &mut Diagnostics,
) -> (PathBuf, Option<GitSource>) {
    let dir = match content {
        Some(ContentSource::Git(g)) => {
            let Some(sub) = g.subfolder() else {
                let (l, c) = spans.value("content").unwrap_or((1, 1));
                let shown = g.path.clone().unwrap_or_default();
                diags.push(
                    Diagnostic::error(
                        crate::codes::CONTENT_SOURCE,
                        path,
                        l,
                        c,
                        t!("git-path-outside", path = shown),
                    )
                    .with_help(t!("git-path-outside-help")),
                );
                return (checkout_dir(root, id), None);
            };
            return (checkout_dir(root, id).join(sub), Some(g.clone()));
        }
        Some(ContentSource::Folder(f)) => root.join(f),
        None => root.join("content").join(id),
    };
    if !dir.is_dir() {
        diags.push(missing_content(root, path, spans, &dir, content.is_some()));
    }
    (dir, None)
}

fn display_rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root).unwrap_or(p).display().to_string()
}

/// A content folder that does not exist: an error when `content:` names it, else a warning
/// (a newly registered school with nothing written yet builds as an empty site).
fn missing_content(
    root: &Path,
    path: &Path,
    spans: &crate::yaml::Spans,
    dir: &Path,
    explicit: bool,
) -> Diagnostic {
    let shown = display_rel(root, dir);
    if explicit {
        let (l, c) = spans.value("content").unwrap_or((1, 1));
        return Diagnostic::error(
            crate::codes::NO_CONTENT,
            path,
            l,
            c,
            t!("site-content-missing", folder = shown.clone()),
        )
        .with_help(t!("site-content-missing-help"));
    }
    Diagnostic::warning(
        crate::codes::NO_CONTENT,
        path,
        1,
        1,
        t!("site-content-not-yet", folder = shown.clone()),
    )
    .with_help(t!("site-content-not-yet-help", folder = shown))
}
