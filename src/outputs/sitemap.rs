//! `sitemap.xml` and `robots.txt` of each site.

use std::fmt::Write;

/// One URL of a sitemap.
pub struct SitemapEntry {
    /// Absolute URL.
    pub loc: String,
    /// `YYYY-MM-DD`, empty when unknown.
    pub lastmod: String,
}

/// A sitemap protocol 0.9 document.
pub fn sitemap(entries: &[SitemapEntry]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for e in entries {
        let _ = write!(
            out,
            "  <url>\n    <loc>{}</loc>\n",
            crate::markdown::sanitize::escape(&e.loc)
        );
        if !e.lastmod.is_empty() {
            let _ = writeln!(out, "    <lastmod>{}</lastmod>", e.lastmod);
        }
        out.push_str("  </url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt` allowing everything and naming the sitemap.
pub fn robots(base_url: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n")
}

/// The files of a host's root, for the sites deployed under it as `<host>/<id>/` — where
/// the output's own root is that host's root. Crawlers read `robots.txt` only at a host's
/// root (RFC 9309), so one there names a sitemap index of every such site; a site on a
/// host of its own has its `robots.txt` in its folder. Empty when no site is deployed so.
pub fn host_root(cluster: &crate::config::Cluster) -> Vec<(String, String)> {
    fn under_root(s: &crate::config::Site) -> Option<&str> {
        let (origin, path) = crate::urls::split_origin(&s.base_url);
        (path == format!("/{}/", s.id)).then_some(origin)
    }
    let Some(host) = cluster.sites.iter().find_map(under_root) else {
        return Vec::new();
    };
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for s in cluster.sites.iter().filter(|s| under_root(s) == Some(host)) {
        let loc = crate::markdown::sanitize::escape(&format!("{}sitemap.xml", s.base_url));
        let _ = writeln!(index, "  <sitemap><loc>{loc}</loc></sitemap>");
    }
    index.push_str("</sitemapindex>\n");
    vec![
        (
            crate::routes::ROBOTS.to_string(),
            robots(&format!("{host}/")),
        ),
        (crate::routes::SITEMAP_XML.to_string(), index),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_urls_and_dates() {
        let xml = sitemap(&[
            SitemapEntry {
                loc: "https://a.cn/x/?a=1&b=2".into(),
                lastmod: "2024-05-01".into(),
            },
            SitemapEntry {
                loc: "https://a.cn/x/".into(),
                lastmod: String::new(),
            },
        ]);
        assert!(
            xml.contains(
                "<loc>https://a.cn/x/?a=1&amp;b=2</loc>\n    <lastmod>2024-05-01</lastmod>"
            )
        );
        assert_eq!(xml.matches("<lastmod>").count(), 1);
    }
}
