//! Every output path of a site that the build itself generates, in one place: the fixed
//! names every site gets and the folders whose contents the build owns. Content (pages,
//! static files, attachments) may never take one of these paths: a school that writes
//! `static/search/own/0.json` or `static/index.html` would otherwise replace what the build
//! made — and with it what a bureau's search shows (see docs/security.md).

/// A site's home page.
pub const HOME: &str = "index.html";
/// The page shown for addresses that do not exist.
pub const NOT_FOUND: &str = "404.html";
/// The feed of a site's own items.
pub const ATOM: &str = "atom.xml";
/// The same as RSS 2.0.
pub const RSS: &str = "rss.xml";
/// The feed with what the site received from other sites too.
pub const SYNDICATED: &str = "syndicated.xml";
/// The sitemap for search engines.
pub const SITEMAP_XML: &str = "sitemap.xml";
/// Rules for crawlers.
pub const ROBOTS: &str = "robots.txt";
/// The resource library as JSON.
pub const RESOURCE_INDEX: &str = "resources/index.json";
/// The search page.
pub const SEARCH_PAGE: &str = "search/";
/// The HTML 网站地图.
pub const SITEMAP_PAGE: &str = "sitemap/";

/// Files at the root of every site's output, made by the build.
pub const ROOT_FILES: &[&str] = &[
    HOME,
    NOT_FOUND,
    ATOM,
    RSS,
    SYNDICATED,
    SITEMAP_XML,
    ROBOTS,
    CLASSES_ICS,
];

/// Folders of every site's output whose whole content the build makes (站内搜索, 网站地图,
/// 应用数据 and the manifest and search export).
pub const OWNED_FOLDERS: &[&str] = &["search/", "sitemap/", "stats/", "_zhanqun/"];

/// Files inside content sections that the build makes.
const SECTION_FILES: &[&str] = &[RESOURCE_INDEX];

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

/// True when `path_in_site` (an address of a page, such as an alias) is one of the listings
/// the build makes: the home page, a section's listing or one of its pages (`news/page/2/`),
/// a facet page of the library (`resources/stage/初中/`), the timetable or the 专题.
/// `sections` are the site's own section folders besides the known ones.
pub fn is_listing<'a>(path_in_site: &str, mut sections: impl Iterator<Item = &'a str>) -> bool {
    let path = path_in_site.trim_matches('/');
    if path.is_empty() || path == HOME {
        return true;
    }
    let (first, rest) = path.split_once('/').unwrap_or((path, ""));
    let known = crate::domain::SectionKind::KNOWN
        .iter()
        .map(|k| k.name())
        .chain([crate::domain::CLASSES_FOLDER, crate::domain::TOPICS_FOLDER])
        .any(|f| f == first);
    if !known && !sections.any(|s| s == first) {
        return false;
    }
    rest.is_empty()
        || rest == HOME
        || rest.starts_with("page/")
        || (first == "resources" && rest.contains('/'))
}

/// The output path of `path` of site `id` (`<id>/<path>`): every output file's key.
pub fn in_site(id: &str, path: &str) -> String {
    format!("{id}/{path}")
}

/// The HTML file of the page at `folder` (`news/x/` -> `news/x/index.html`).
pub fn index(folder: &str) -> String {
    format!("{folder}index.html")
}

/// A listing's folder: `news/`.
pub fn listing(section: &str) -> String {
    format!("{section}/")
}

/// A bureau's statistics: `stats/` (the current year) or `stats/<year>/`.
pub fn stats(year: Option<i32>) -> String {
    match year {
        Some(y) => format!("stats/{y}/"),
        None => "stats/".to_string(),
    }
}

/// A bureau's yearly report (年度工作报表): `stats/<year>/report/`.
pub fn report(year: i32) -> String {
    format!("stats/{year}/report/")
}

/// The 专题 of a site: `topics/`.
pub fn topics() -> String {
    format!("{}/", crate::domain::TOPICS_FOLDER)
}

/// One 专题: `topics/<slug>/`.
pub fn topic(slug: &str) -> String {
    format!("{}/{slug}/", crate::domain::TOPICS_FOLDER)
}

/// The feed of one 专题: `topics/<slug>/atom.xml`.
pub fn topic_feed(slug: &str) -> String {
    format!("{}atom.xml", topic(slug))
}

/// A site's 三个课堂 timetable: `classes/`.
pub fn timetable() -> String {
    format!("{}/", crate::domain::CLASSES_FOLDER)
}

/// One lesson on its teaching site: `classes/<slug>/`.
pub fn lesson(slug: &str) -> String {
    format!("{}/{slug}/", crate::domain::CLASSES_FOLDER)
}

/// The lessons of a site as an iCalendar feed.
pub const CLASSES_ICS: &str = "classes.ics";

/// A page of the resource library's facet: `resources/<facet>/<value>/` (a `/` in a value
/// becomes `-`).
pub fn facet(key: &str, value: &str) -> String {
    format!("resources/{key}/{}/", value.replace('/', "-"))
}

/// The manifest a `--site` build reads the other sites from.
pub const MANIFEST: &str = "_zhanqun/manifest.json";

/// A site's own pages as JSON lines, for a search server.
pub const SEARCH_EXPORT: &str = "_zhanqun/search.jsonl";

/// The folder of a site's own search result rows.
pub const SEARCH_OWN: &str = "search/own/";

/// The description of a site's search index.
pub const SEARCH_META: &str = "search/meta.json";

/// Traditional characters and their simplified forms, for the search script.
pub const SEARCH_VARIANTS: &str = "search/t2s.txt";

/// Term shard `n` of a search index.
pub fn search_terms(n: usize) -> String {
    format!("search/t/{n}.bin")
}

/// Document map `n` of a search index.
pub fn search_map(n: usize) -> String {
    format!("search/m/{n}.bin")
}

/// Site table `n` of a search index.
pub fn search_sites(n: usize) -> String {
    format!("search/s/{n}.json")
}

/// A bureau's copy of the rows of site `id` on another host.
pub fn search_copy(id: &str) -> String {
    format!("search/sites/{id}/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listings_are_told_from_pages() {
        let own = || ["活动"].into_iter();
        for listing in [
            "/",
            "/news/",
            "news",
            "/news/page/2/",
            "/notices/",
            "/classes/",
            "/topics/",
            "/resources/stage/初中/",
            "/活动/",
            "/活动/page/3/",
            "index.html",
        ] {
            assert!(is_listing(listing, own()), "{listing}");
        }
        for page in ["/news/旧名/", "/about/", "/resources/课件/", "/活动/x/"] {
            assert!(!is_listing(page, own()), "{page}");
        }
    }

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
