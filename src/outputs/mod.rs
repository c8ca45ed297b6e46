//! The outputs stage: consumers of the rendered model that write the files besides the HTML
//! pages (feeds, sitemap, robots.txt, manifest, `resources/index.json`), and the writer that
//! puts everything on disk atomically. Nothing here is imported by an earlier stage.

pub mod feeds;
pub mod ics;
pub mod journal;
pub mod library;
pub mod manifest;
mod site_files;
pub mod sitemap;
pub mod writer;

pub use crate::render::output::{Collision, OutputData, Outputs};

use crate::config::SiteKey;
use crate::render::Model;

/// Adds the feeds, sitemap, robots.txt, manifest and resource index of each selected site,
/// the sites in parallel.
pub fn publish(m: Model, selected: &[SiteKey], outputs: &mut Outputs) {
    use rayon::prelude::*;
    let per_site: Vec<Outputs> = selected
        .par_iter()
        .map(|&site| {
            let mut own = Outputs::default();
            site_files::add(m, site, &mut own);
            own
        })
        .collect();
    for own in per_site {
        outputs.merge(own);
    }
}
