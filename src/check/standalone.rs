//! A content repository checked on its own (`check --cluster`, or a `zhanqun-site.yaml` in
//! the repository): the cluster is read from its path or fetched from git, the site's content
//! is taken from the repository being checked, and only the sites that content can depend on
//! are fetched — the bureaus above it (notices they push down) and the sites its `@/` links
//! name — not every other school of the city.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::i18n::Message;
use crate::sources::{SourceOptions, git, redact};
use crate::t;

/// The file in a content repository that names its cluster and site.
pub const SITE_FILE: &str = "zhanqun-site.yaml";

/// `zhanqun-site.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteFile {
    /// The cluster: a git URL or a path.
    cluster: Option<String>,
    /// Branch, tag or commit of the cluster repository.
    #[serde(rename = "ref")]
    reference: Option<String>,
    /// This repository's site id.
    site: Option<String>,
}

/// What a standalone check works on.
#[derive(Debug)]
pub struct Standalone {
    /// The cluster's root folder (a checkout when it came from git).
    pub cluster_root: PathBuf,
    /// The site the repository is the content of.
    pub site: String,
    /// The repository being checked (absolute).
    pub repo: PathBuf,
}

/// The standalone check `repo` asks for, if any: `cluster` and `site` from the command line
/// win over the repository's `zhanqun-site.yaml`. `Err` is a usage error to print.
pub fn resolve(
    repo: &Path,
    cluster: Option<&str>,
    site: Option<&str>,
) -> Result<Option<Standalone>, Message> {
    let file = read_site_file(repo)?;
    let Some(cluster) = cluster.map(str::to_string).or(file.cluster) else {
        return Ok(None);
    };
    let repo = std::fs::canonicalize(repo)
        .map_err(|e| Message::from(format!("{}: {e}", repo.display())))?;
    let Some(site) = site.map(str::to_string).or(file.site) else {
        return Err(t!("standalone-no-site", file = SITE_FILE));
    };
    let local = Path::new(&cluster);
    let cluster_root = if local.join("sites").is_dir() {
        std::fs::canonicalize(local).map_err(|e| Message::from(format!("{cluster}: {e}")))?
    } else {
        fetch_cluster(&cluster, file.reference.as_deref())?
    };
    Ok(Some(Standalone {
        cluster_root,
        site,
        repo,
    }))
}

fn read_site_file(repo: &Path) -> Result<SiteFile, Message> {
    let path = repo.join(SITE_FILE);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(SiteFile::default());
    }
    let mut refused = Vec::new();
    if path.is_symlink() && !crate::content::files::Inside::new(repo).check(&path, &mut refused) {
        return Err(Message::from(
            refused.iter().map(ToString::to_string).collect::<String>(),
        ));
    }
    let text = crate::content::files::read_text(&path).map_err(|d| Message::from(d.to_string()))?;
    crate::yaml::parse(&text).map_err(|e| {
        crate::t!(
            "standalone-site-file",
            file = path.display().to_string(),
            detail = e.message
        )
    })
}

/// Fetches the cluster repository into the user's cache (never into the repository being
/// checked, which could otherwise pre-seed the cache with hooks or a fake cluster) and
/// checks out its commit; an unreachable remote falls back to the cached commit.
fn fetch_cluster(url: &str, reference: Option<&str>) -> Result<PathBuf, Message> {
    let cache_root = crate::sources::user_cache_dir().join("clusters");
    let cache = git::Cache::of(&cache_root.join("git"), url);
    let fetched = cache.fetch(url);
    let Some(commit) = cache.resolve(reference) else {
        return Err(match fetched {
            Err(e) => t!("standalone-fetch-failed", url = redact(url), cause = e.0),
            Ok(()) => t!(
                "git-unknown-ref",
                reference = reference.unwrap_or("HEAD"),
                url = redact(url)
            ),
        });
    };
    let dir = cache_root.join("checkouts").join(cache.name());
    let stamp = dir.with_extension("commit");
    if std::fs::read_to_string(&stamp).unwrap_or_default().trim() != commit || !dir.is_dir() {
        let tmp = dir.with_extension(format!("tmp-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        cache
            .checkout(&commit, &tmp)
            .map_err(|e| Message::from(e.0))?;
        let _ = std::fs::remove_file(&stamp);
        let _ = std::fs::remove_dir_all(&dir);
        let io = |e: std::io::Error| Message::from(e.to_string());
        std::fs::rename(&tmp, &dir).map_err(io)?;
        std::fs::write(&stamp, &commit).map_err(io)?;
    }
    Ok(dir)
}

impl Standalone {
    /// The fetches of the check: only the sites in `needed` (see [`Standalone::needed`]).
    pub fn sources(&self, needed: BTreeSet<String>) -> SourceOptions {
        SourceOptions {
            only: Some(needed),
            ..Default::default()
        }
    }

    /// This repository read as the site's content.
    pub fn overrides(&self) -> std::collections::BTreeMap<String, PathBuf> {
        [(self.site.clone(), self.repo.clone())].into()
    }

    /// The sites the repository's pages can depend on: the site's ancestors (from a load
    /// of the cluster that fetches nothing) and every site its `@/<id>/` links name.
    pub fn needed(&self) -> BTreeSet<String> {
        let mut needed = linked_sites(&self.repo);
        let load = crate::config::LoadOptions {
            overrides: self.overrides(),
            ..Default::default()
        };
        if let Ok(cluster) = crate::config::load(&self.cluster_root, &load)
            && let Some(k) = cluster.get(&self.site)
        {
            needed.extend(cluster.ancestors(k).map(|a| cluster.sites[a].id.clone()));
        }
        needed.remove(&self.site);
        needed
    }
}

/// The site ids named by `@/<id>/` links in the Markdown files under `repo`, read by the
/// rules of every read of content (links out of the repository refused, sizes limited).
fn linked_sites(repo: &Path) -> BTreeSet<String> {
    let mut refused = Vec::new();
    let mut ids = BTreeSet::new();
    for (path, rel) in crate::content::files::walk(repo, &mut refused) {
        if !rel.ends_with(".md") {
            continue;
        }
        let text = crate::content::files::read_text(&path).unwrap_or_default();
        for (at, _) in text.match_indices("@/") {
            let id: String = text[at + 2..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-')
                .collect();
            if !id.is_empty() {
                ids.insert(id);
            }
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linked_sites_are_read_from_every_markdown_file() {
        let dir = std::env::temp_dir().join(format!("zq-linked-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("news")).unwrap();
        std::fs::create_dir_all(dir.join(".zhanqun")).unwrap();
        std::fs::write(
            dir.join("news/a.md"),
            "[a](@/jb-one/news/x.md) [b](@/city/)",
        )
        .unwrap();
        std::fs::write(dir.join(".zhanqun/c.md"), "[c](@/hidden/)").unwrap();
        let ids: Vec<String> = linked_sites(&dir).into_iter().collect();
        assert_eq!(ids, ["city", "jb-one"]);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
