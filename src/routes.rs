//! Every output path of a site that the build itself generates, in one place: the fixed
//! names every site gets and the folders whose contents the build owns. Content (pages,
//! static files, attachments) may never take one of these paths: a school that writes
//! `static/search/own/0.json` or `static/index.html` would otherwise replace what the build
//! made — and with it what a bureau's search shows (see docs/security.md).

/// Files at the root of every site's output, made by the build.
pub const ROOT_FILES: &[&str] = &[
    "index.html",
    "404.html",
    "atom.xml",
    "rss.xml",
    "syndicated.xml",
    "sitemap.xml",
    "robots.txt",
    "classes.ics",
];

/// Folders of every site's output whose whole content the build makes (站内搜索, 网站地图,
/// 应用数据 and the manifest and search export).
pub const OWNED_FOLDERS: &[&str] = &["search/", "sitemap/", "stats/", "_zhanqun/"];

/// Files inside content sections that the build makes.
const SECTION_FILES: &[&str] = &["resources/index.json"];

/// The generated file or folder that `path_in_site` (a site-relative output path,
/// `/`-separated) would replace or turn into a folder, if any.
pub fn reserved(path_in_site: &str) -> Option<&'static str> {
    let path = path_in_site.trim_start_matches('/');
    if let Some(folder) = OWNED_FOLDERS
        .iter()
        .find(|f| path.starts_with(**f) || path == f.trim_end_matches('/'))
    {
        return Some(folder);
    }
    let exact = ROOT_FILES.iter().chain(SECTION_FILES).find(|f| {
        path == **f
            || path
                .strip_prefix(**f)
                .is_some_and(|rest| rest.starts_with('/'))
    });
    exact.copied()
}

/// The folder of the `year`'s statistics of a bureau (`stats/2026/`).
pub fn stats_year(year: i32) -> String {
    format!("stats/{year}/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_paths_are_reserved_and_others_free() {
        for taken in [
            "index.html",
            "search/own/0.json",
            "search/index.html",
            "_zhanqun/search.jsonl",
            "_zhanqun/manifest.json",
            "rss.xml",
            "rss.xml/index.html",
            "stats/2026/stats.csv",
            "sitemap/index.html",
            "resources/index.json",
            "resources/index.json/index.html",
        ] {
            assert!(reserved(taken).is_some(), "{taken}");
        }
        for free in [
            "news/index.html.bak",
            "news/x/index.html",
            "css/site.css",
            "images/logo.png",
            "searching/a.png",
            "rss.xml.txt",
            "resources/x/index.html",
            "about/index.html",
        ] {
            assert_eq!(reserved(free), None, "{free}");
        }
    }
}
