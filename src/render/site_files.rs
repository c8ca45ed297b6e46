//! The files of a site besides its HTML pages that the render stage provides: the
//! highlighting stylesheet, the theme's and the site's static files, and assets copied
//! beside pages. Feeds, sitemaps and manifests come after render (`crate::outputs`).

use std::sync::LazyLock;

use crate::config::SiteKey;
use crate::markdown::highlight;

use super::Model;
use super::builtin;
use super::output::{Collision, OutputData, Outputs};
use super::templates::{self, ThemeDir};
use std::path::PathBuf;

static HIGHLIGHT_CSS: LazyLock<String> = LazyLock::new(highlight::stylesheet);

/// Adds the static files, stylesheet and assets of one site.
pub fn add(m: Model, site: SiteKey, outputs: &mut Outputs) {
    let (cluster, library) = (m.cluster, m.library);
    let s = &cluster.sites[site];
    let content = &library.sites[site];
    let prefix = |p: &str| crate::routes::in_site(&s.id, p);

    // The lowest layer: a theme may ship its own highlighting stylesheet.
    outputs.insert(
        prefix("css/highlight.css"),
        OutputData::Builtin(HIGHLIGHT_CSS.as_bytes()),
    );
    if let Ok(chain) = templates::theme_chain(&cluster.root, &s.theme) {
        for dir in chain.iter().rev() {
            match dir {
                ThemeDir::Disk(d) => {
                    for (name, path) in templates::files_under(&d.join("static")) {
                        outputs.copy(prefix(&name), path);
                    }
                }
                ThemeDir::Builtin => {
                    for (name, bytes) in builtin::STATIC {
                        outputs.insert(prefix(name), OutputData::Builtin(bytes));
                    }
                }
            }
        }
    }
    // The site's own files may never take a generated path (crate::routes).
    let mut own = |name: &str, path: PathBuf| {
        if crate::routes::reserved(name).is_some() {
            outputs.collisions.push(Collision {
                path: prefix(name),
                source: Some(path),
            });
        } else {
            outputs.copy(prefix(name), path);
        }
    };
    if let Some(dir) = &content.static_dir {
        for (name, path) in templates::files_under(dir) {
            own(&name, path);
        }
    }
    for &a in &content.assets {
        let asset = &library.assets[a];
        own(&asset.out_path, asset.source.clone());
    }
}
