//! Content sources: a site's `content:` is a folder of the cluster or a git repository at a
//! branch, tag or commit (the site file's `content:` is read by `config::source`; this
//! module fetches, run by the driver after loading and before discovery). Git sources are fetched into a cache under the cluster
//! (`.zhanqun/git/`, one bare repository per URL) and the commit's files written to
//! `.zhanqun/checkouts/<site-id>/`, which discovery then reads like any folder. The cache is
//! reused offline; `--refresh` fetches again. A failed fetch falls back to the cached commit
//! with a warning.

pub mod git;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use crate::config::source::{ContentSource, GitSource, cache_dir, checkout_dir};
use crate::config::{Site, SiteKey};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::Message;
use crate::store::Store;
use crate::t;

/// Whether git sources are fetched again.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Fetch {
    /// Only what the cache does not hold yet (works offline once fetched).
    #[default]
    Missing,
    /// Every source, for the newest commit of each branch (`--refresh`).
    Refresh,
}

/// How the driver fetches content sources.
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    /// Whether git sources are fetched again (`--refresh`).
    pub fetch: Fetch,
    /// Only these sites' git sources are fetched (`check --cluster`, `build --site`); all
    /// when `None`.
    pub only: Option<BTreeSet<String>>,
}

/// The cache of the user running zhanqun, for what a school's repository must not be able
/// to pre-seed (the cluster fetched by `check --cluster`): `ZHANQUN_CACHE`, else the
/// platform's cache folder (`$XDG_CACHE_HOME`, `~/.cache`, `%LOCALAPPDATA%`), else the
/// system's temporary folder.
pub fn user_cache_dir() -> PathBuf {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(dir) = var("ZHANQUN_CACHE") {
        return PathBuf::from(dir);
    }
    let base = if cfg!(windows) {
        var("LOCALAPPDATA").map(PathBuf::from)
    } else {
        var("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| var("HOME").map(|h| PathBuf::from(h).join(".cache")))
    };
    base.unwrap_or_else(std::env::temp_dir).join("zhanqun")
}

/// A URL as it may be shown or published: user name and password (`https://bot:TOKEN@host/`)
/// removed, also where they appear inside a longer text such as git's error output.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let authority_end = tail
            .find(|c: char| {
                c == '/' || c == '?' || c == '#' || c.is_whitespace() || c == '\'' || c == '"'
            })
            .unwrap_or(tail.len());
        let authority = &tail[..authority_end];
        match authority.rfind('@') {
            Some(i) => out.push_str(&authority[i + 1..]),
            None => out.push_str(authority),
        }
        rest = &tail[authority_end..];
    }
    out.push_str(rest);
    out
}

/// Fetches and checks out every git-sourced site among `wanted` (all when `None`), and
/// records its commit; problems name the site file, the URL and git's own words.
pub fn prepare(
    root: &Path,
    sites: &mut Store<SiteKey, Site>,
    options: &SourceOptions,
    diags: &mut Diagnostics,
) {
    let (fetch, wanted) = (options.fetch, options.only.as_ref());
    let chosen: Vec<(SiteKey, GitSource)> = sites
        .iter_keyed()
        .filter(|(_, s)| wanted.is_none_or(|w| w.contains(&s.id)))
        .filter_map(|(k, s)| s.git.clone().map(|g| (k, g)))
        .collect();
    if chosen.is_empty() {
        return;
    }
    let fetched = fetch_all(root, &chosen, fetch);
    let results: Vec<(SiteKey, Result<Prepared, Diagnostic>)> = chosen
        .par_iter()
        .map(|(k, g)| (*k, prepare_site(root, &sites[*k], g, &fetched)))
        .collect();
    for (k, result) in results {
        match result {
            Ok(p) => {
                diags.extend(p.warning);
                sites[k].commit = Some(p.commit);
            }
            Err(d) => diags.push(d),
        }
    }
}

/// The outcome of fetching each URL that needed it.
type Fetched = BTreeMap<String, Result<(), git::GitError>>;

/// Fetches each repository once (several sites may share one), in parallel.
fn fetch_all(root: &Path, chosen: &[(SiteKey, GitSource)], fetch: Fetch) -> Fetched {
    let caches = cache_dir(root).join("git");
    let mut urls: BTreeMap<String, Vec<Option<&str>>> = BTreeMap::new();
    for (_, g) in chosen {
        urls.entry(g.url(root))
            .or_default()
            .push(g.reference.as_deref());
    }
    urls.into_par_iter()
        .filter_map(|(url, refs)| {
            let cache = git::Cache::of(&caches, &url);
            let missing = refs.iter().any(|r| cache.resolve(*r).is_none());
            (fetch == Fetch::Refresh || missing).then(|| {
                let done = cache.fetch(&url);
                (url, done)
            })
        })
        .collect()
}

/// A site's checked-out commit, and the warning when it is an older cached one.
struct Prepared {
    commit: String,
    warning: Option<Diagnostic>,
}

/// Where a site's source problems are reported: its `content:` key.
struct Place<'a> {
    site: &'a Site,
    at: (usize, usize),
}

impl Place<'_> {
    fn error(&self, message: Message, help: Message) -> Diagnostic {
        let (l, c) = self.at;
        let path = &self.site.config_path;
        Diagnostic::error(crate::codes::CONTENT_SOURCE, path, l, c, message).with_help(help)
    }
}

fn prepare_site(
    root: &Path,
    site: &Site,
    source: &GitSource,
    fetched: &Fetched,
) -> Result<Prepared, Diagnostic> {
    let url = source.url(root);
    let place = Place {
        site,
        at: site.spans.value("content").unwrap_or((1, 1)),
    };
    let cache = git::Cache::of(&cache_dir(root).join("git"), &url);
    let reference = source.reference.as_deref();
    let commit = cache.resolve(reference);
    let shown = redact(&source.git);
    let warning = match (fetched.get(&url), &commit) {
        (Some(Err(e)), None) => {
            let message = t!(
                "git-fetch-failed",
                id = site.id.clone(),
                url = shown,
                cause = e.0.clone()
            );
            return Err(place.error(message, t!("git-fetch-failed-help")));
        }
        (Some(Err(e)), Some(old)) => {
            let message = t!(
                "git-fetch-cached",
                id = site.id.clone(),
                url = shown.clone(),
                cause = e.0.clone(),
                commit = old[..12].to_string()
            );
            let mut d = place.error(message, t!("git-fetch-failed-help"));
            d.severity = crate::diagnostics::Severity::Warning;
            Some(d)
        }
        _ => None,
    };
    let Some(commit) = commit else {
        let message = t!(
            "git-unknown-ref",
            reference = reference.unwrap_or("HEAD"),
            url = shown
        );
        return Err(place.error(message, t!("git-unknown-ref-help")));
    };
    check_out(root, site, &cache, &commit).map_err(|e| {
        let message = t!("git-checkout-failed", commit = commit.clone(), cause = e.0);
        place.error(message, t!("git-fetch-failed-help"))
    })?;
    content_folder(root, &place, source, &commit)?;
    Ok(Prepared { commit, warning })
}

/// `path:` must be a folder of the checkout, reached without leaving the repository.
fn content_folder(
    root: &Path,
    place: &Place,
    source: &GitSource,
    commit: &str,
) -> Result<(), Diagnostic> {
    let site = place.site;
    let folder = source.path.clone().unwrap_or_default();
    if !resolves_inside(&checkout_dir(root, &site.id), &site.content_dir) {
        let message = t!("git-path-link", path = folder);
        return Err(place.error(message, t!("git-path-outside-help")));
    }
    if !site.content_dir.is_dir() {
        let message = t!(
            "git-no-path",
            path = folder,
            commit = commit[..12].to_string()
        );
        return Err(place.error(message, t!("git-no-path-help")));
    }
    Ok(())
}

/// True when `path` exists and its real location (every symbolic link on the way followed)
/// lies inside the real location of `repo`: `path:` may name a folder of the repository,
/// never one a committed link leads to elsewhere on the machine.
pub fn resolves_inside(repo: &Path, path: &Path) -> bool {
    match (std::fs::canonicalize(repo), std::fs::canonicalize(path)) {
        (Ok(repo), Ok(path)) => path.starts_with(repo),
        (Ok(_), Err(_)) => !path.exists() && std::fs::symlink_metadata(path).is_err(),
        _ => false,
    }
}

/// Writes `commit` to the site's checkout folder unless it is there already; a new checkout
/// is written beside it and renamed into place, so an interrupted one is never read.
fn check_out(
    root: &Path,
    site: &Site,
    cache: &git::Cache,
    commit: &str,
) -> Result<(), git::GitError> {
    let dir = checkout_dir(root, &site.id);
    let stamp = dir.with_extension("commit");
    let current = std::fs::read_to_string(&stamp).unwrap_or_default();
    if current.trim() == commit && dir.is_dir() {
        return Ok(());
    }
    let io = |e: std::io::Error| git::GitError(e.to_string());
    let tmp = dir.with_extension(format!("tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    cache.checkout(commit, &tmp)?;
    let _ = std::fs::remove_file(&stamp);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(io)?;
    }
    std::fs::rename(&tmp, &dir).map_err(io)?;
    std::fs::write(&stamp, commit).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_removed_from_urls_and_from_text_around_them() {
        assert_eq!(
            redact("https://bot:T0KEN@git.example/a.git"),
            "https://git.example/a.git"
        );
        assert_eq!(redact("ssh://git@host/x"), "ssh://host/x");
        assert_eq!(
            redact("unable to access 'https://u:p@h/r/': 403"),
            "unable to access 'https://h/r/': 403"
        );
        assert_eq!(redact("git@gitee.com:jb/a.git"), "git@gitee.com:jb/a.git");
        assert_eq!(redact("plain text"), "plain text");
    }
}
