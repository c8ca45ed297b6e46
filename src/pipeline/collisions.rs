//! Content at a path the build generates, turned into errors at the file that wanted it
//! (the one rule of `render::output`, checked the same way by every command).

use std::path::PathBuf;

use crate::content;
use crate::diagnostics::Diagnostics;
use crate::outputs::Outputs;
use crate::render::Model;

/// The files of the content that wanted a generated path, as errors at the file (or, for a
/// page that would make a generated file a folder, at the page).
pub fn problems(model: Model, outputs: &mut Outputs) -> Diagnostics {
    let mut found = std::mem::take(&mut outputs.collisions);
    found.extend(outputs.file_folder_collisions());
    found
        .into_iter()
        .map(|c| {
            let (site, in_site) = c.path.split_once('/').unwrap_or((&c.path, ""));
            let what = crate::routes::reserved(in_site).unwrap_or(in_site);
            let culprit = c.source.unwrap_or_else(|| page_under(model, site, in_site));
            content::generated_path(&culprit, in_site, what)
        })
        .collect()
}

/// The source of the page of `site` whose address lies under `path` (the page that made a
/// generated file a folder), else the site's file.
fn page_under(model: Model, site: &str, path: &str) -> PathBuf {
    let Some(key) = model.cluster.get(site) else {
        return PathBuf::from(site);
    };
    let folder = format!("{}/", path.trim_end_matches('/'));
    let pages = || {
        model.library.sites[key]
            .pages
            .iter()
            .map(|&k| &model.library.pages[k])
    };
    // A page or an old address of one (`aliases:`) written where a listing is, else a
    // page that made a generated file a folder.
    let at = |address: &str| crate::routes::index(address) == path;
    pages()
        .find(|p| at(&p.path) || p.aliases.iter().any(|a| at(a.trim_start_matches('/'))))
        .or_else(|| pages().find(|p| p.path.starts_with(&folder) || folder.starts_with(&p.path)))
        .map_or_else(
            || model.cluster.sites[key].config_path.clone(),
            |p| p.source.clone(),
        )
}
