//! The files of a site besides its HTML pages that the render stage provides: the
//! highlighting stylesheet, the theme's and the site's static files, and assets copied
//! beside pages. Feeds, sitemaps and manifests come after render (`crate::outputs`).

use std::sync::LazyLock;

use crate::config::SiteKey;
use crate::markdown::highlight;

use super::Model;
use super::builtin;
use super::output::Outputs;
use super::templates::{self, ThemeDir};

static HIGHLIGHT_CSS: LazyLock<String> = LazyLock::new(highlight::stylesheet);

/// Adds the static files, stylesheet and assets of one site.
pub fn add(m: Model, site: SiteKey, outputs: &mut Outputs) {
    let (cluster, library) = (m.cluster, m.library);
    let s = &cluster.sites[site];
    let content = &library.sites[site];
    let prefix = |p: &str| format!("{}/{p}", s.id);

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
                        outputs.bytes(prefix(name), *bytes);
                    }
                }
            }
        }
    }
    outputs.bytes(prefix("css/highlight.css"), HIGHLIGHT_CSS.as_bytes());
    if let Some(dir) = &content.static_dir {
        for (name, path) in templates::files_under(dir) {
            outputs.copy(prefix(&name), path);
        }
    }
    for &a in &content.assets {
        let asset = &library.assets[a];
        outputs.copy(prefix(&asset.out_path), asset.source.clone());
    }
}
