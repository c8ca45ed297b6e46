//! `roles.yaml` at the cluster root (SPEC §16): per site id, the users who are its
//! `writers` (通讯员), `reviewers` (审核, a list or levels `{1: [...], 2: [...]}`) and
//! `admins` (管理员). A role on a site grants nothing on another, except that a bureau's
//! admins manage the sites below it and a bureau's reviewers read what is offered up to it.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::config::Cluster;
use crate::diagnostics::Diagnostic;

/// The roles of one site.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRoles {
    #[serde(default)]
    pub writers: Vec<String>,
    #[serde(default)]
    pub reviewers: Reviewers,
    #[serde(default)]
    pub admins: Vec<String>,
}

/// Reviewers at every level, or per level.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Reviewers {
    All(Vec<String>),
    Levels(BTreeMap<u8, Vec<String>>),
}

impl Default for Reviewers {
    fn default() -> Self {
        Reviewers::All(Vec::new())
    }
}

impl Reviewers {
    /// True when `user` reviews at some level.
    pub fn contains(&self, user: &str) -> bool {
        match self {
            Reviewers::All(users) => users.iter().any(|u| u == user),
            Reviewers::Levels(levels) => levels.values().flatten().any(|u| u == user),
        }
    }
}

/// Every site's roles.
#[derive(Debug, Clone, Default)]
pub struct Roles {
    pub sites: BTreeMap<String, SiteRoles>,
}

impl Roles {
    /// Reads `<root>/roles.yaml` (no file: nobody holds a role); a site id that is not a
    /// site of `cluster` is an error at its line.
    pub fn load(root: &Path, cluster: &Cluster) -> Result<Roles, Diagnostic> {
        let path = root.join("roles.yaml");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Roles::default()),
            Err(e) => {
                return Err(crate::read::read_text(&path).err().unwrap_or_else(|| {
                    Diagnostic::file_error(crate::codes::UNREADABLE, &path, e.to_string())
                }));
            }
        };
        let sites: BTreeMap<String, SiteRoles> =
            crate::yaml::parse(&text).map_err(|e| e.at(&path, 1))?;
        let spans = crate::yaml::Spans::parse(&text);
        if let Some(id) = sites.keys().find(|id| cluster.get(id).is_none()) {
            let (l, c) = spans.value(id).unwrap_or((1, 1));
            let d = Diagnostic::error(
                crate::codes::INVALID_VALUE,
                &path,
                l,
                c,
                crate::t!("server-roles-site", id = id.clone()),
            );
            return Err(d);
        }
        Ok(Roles { sites })
    }

    /// The sites where `user` writes.
    pub fn writes(&self, user: &str) -> Vec<String> {
        self.ids(|r| r.writers.iter().any(|u| u == user))
    }

    /// The sites whose pages `user` may read: where she writes or reviews.
    pub fn reads(&self, user: &str) -> Vec<String> {
        self.ids(|r| r.writers.iter().any(|u| u == user) || r.reviewers.contains(user))
    }

    /// The sites whose accounts and roles `user` manages: where she is an admin, and every
    /// site below a bureau where she is.
    pub fn manages(&self, user: &str, cluster: &Cluster) -> Vec<String> {
        let mut out = Vec::new();
        for id in self.ids(|r| r.admins.iter().any(|u| u == user)) {
            let Some(site) = cluster.get(&id) else {
                continue;
            };
            let mut stack = vec![site];
            while let Some(s) = stack.pop() {
                out.push(cluster.sites[s].id.clone());
                stack.extend(cluster.sites[s].children.iter().copied());
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// True when a role of `user` asks for a second factor: reviewers and admins.
    pub fn needs_second_factor(&self, user: &str) -> bool {
        self.sites
            .values()
            .any(|r| r.reviewers.contains(user) || r.admins.iter().any(|u| u == user))
    }

    fn ids(&self, holds: impl Fn(&SiteRoles) -> bool) -> Vec<String> {
        self.sites
            .iter()
            .filter(|(_, r)| holds(r))
            .map(|(id, _)| id.clone())
            .collect()
    }
}
