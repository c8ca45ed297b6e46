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
