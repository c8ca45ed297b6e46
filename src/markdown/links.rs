//! Link resolution: `@/<site>/<path>.md` to any page of the cluster, `@/<site>/` to a site's
//! home, relative `.md` links and relative files of the same site, all to absolute URLs. A
//! link to nothing is a problem reported at the link.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag};

use crate::config::{Cluster, SiteKey};
use crate::content::{Library, Target};
use crate::diagnostics::did_you_mean;
use crate::urls;

/// Where the Markdown being rendered lives, for resolving its links.
#[derive(Clone, Copy)]
pub struct LinkContext<'a> {
    cluster: Option<(&'a Cluster, &'a Library)>,
    site: SiteKey,
    /// Content-relative folder of the file, `/`-separated, empty at the root.
    dir: &'a str,
}

/// A link that leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkProblem {
    /// Diagnostic code.
    pub code: &'static str,
    /// What is wrong.
    pub message: crate::i18n::Message,
    /// What to do.
    pub help: crate::i18n::Message,
    /// The missing page of another site (site and content path) a `@/` link names: that
    /// site is told someone still links to it.
    pub gone: Option<(SiteKey, String)>,
}

impl<'a> LinkContext<'a> {
    /// Links of a file of `site` in content folder `dir`.
    pub fn new(cluster: &'a Cluster, library: &'a Library, site: SiteKey, dir: &'a str) -> Self {
        LinkContext {
            cluster: Some((cluster, library)),
            site,
            dir,
        }
    }

    /// A context that leaves every link as written (for Markdown outside any site).
    pub fn detached() -> Self {
        LinkContext {
            cluster: None,
            site: SiteKey::default(),
            dir: "",
        }
    }

    /// The absolute URL `dest` stands for: `Ok(None)` keeps it as written.
    pub fn resolve(&self, dest: &str) -> Result<Option<String>, LinkProblem> {
        let Some((cluster, library)) = self.cluster else {
            return Ok(None);
        };
        if let Some(rest) = dest.strip_prefix("@/") {
            return cross_site(cluster, library, rest).map(Some);
        }
        if let Some(problem) = preview_address(cluster, library, dest) {
            return Err(problem);
        }
        if dest.starts_with('/') && !dest.starts_with("//") {
            // Into this site, wherever it is deployed (a site under `/<id>/` too); the
            // link check then finds a page that does not exist.
            let base = &cluster.sites[self.site].base_url;
            return Ok(Some(urls::absolute_written(base, dest)));
        }
        if !is_relative(dest) {
            return Ok(None);
        }
        let (path, fragment) = split_fragment(dest);
        let Some(rel) = urls::join_inside(self.dir, &urls::decode_path(path)) else {
            return Ok(None);
        };
        match library.target(self.site, &rel) {
            Some(t) => Ok(Some(format!(
                "{}{fragment}",
                target_url(cluster, library, self.site, t)
            ))),
            None if library.is_broken(self.site, &rel) => Ok(None),
            None if rel.ends_with(".md") || has_extension(&rel) => Err(LinkProblem {
                code: crate::codes::BROKEN_LINK,
                message: crate::t!(
                    "link-relative-missing",
                    dest = dest.to_string(),
                    rel = rel.clone()
                ),
                help: crate::t!("link-relative-missing-help"),
                gone: None,
            }),
            None => Ok(None),
        }
    }
}

/// Rewrites link and image destinations in place.
pub fn rewrite(events: &mut [(Event, Range<usize>)], ctx: &LinkContext) -> Rewritten {
    let mut problems = Vec::new();
    let mut sites = Vec::new();
    let mut links = Vec::new();
    let alts = image_alts(events);
    for (i, (event, range)) in events.iter_mut().enumerate() {
        let dest = match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                links.extend(raw_html_links(html, range.start));
                continue;
            }
            // `<jbsy@163.com>` is an address, not a path: the HTML writer adds `mailto:`.
            Event::Start(Tag::Link {
                link_type: LinkType::Email,
                ..
            }) => continue,
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        if let Some(id) = dest
            .strip_prefix("@/")
            .map(|r| r.split('/').next().unwrap_or(r))
            && let Some((cluster, _)) = ctx.cluster
            && let Some(site) = cluster.get(id)
        {
            sites.push(site);
        }
        match script_link(dest).map_or_else(|| ctx.resolve(dest), Err) {
            Ok(Some(url)) => *dest = CowStr::from(url),
            Ok(None) => {}
            Err(p) => {
                if p.code == crate::codes::SCRIPT_LINK {
                    *dest = CowStr::from("#");
                }
                problems.push((range.start, p));
            }
        }
        links.push(LinkRecord {
            url: dest.to_string(),
            offset: range.start,
            image_without_alt: alts.get(&i) == Some(&false),
        });
    }
    sites.sort_unstable();
    sites.dedup();
    Rewritten {
        problems,
        sites,
        links,
    }
}

/// The problem of a destination that would run a script (or open a local file), which is
/// then written as `#`: whoever wrote it — a teacher, a pasted document, another site.
fn script_link(dest: &str) -> Option<LinkProblem> {
    let scheme = urls::script_scheme(dest)?;
    let shown: String = dest.chars().filter(|c| !c.is_control()).take(60).collect();
    Some(LinkProblem {
        code: crate::codes::SCRIPT_LINK,
        message: crate::t!("link-script", dest = shown, scheme = scheme),
        help: crate::t!("link-script-help"),
        gone: None,
    })
}

/// The `href` and `src` values of raw HTML written in Markdown, each at the `<` of its tag.
fn raw_html_links(html: &str, start: usize) -> Vec<LinkRecord> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\""] {
        for (i, _) in html.match_indices(attr) {
            let value = &html[i + attr.len()..];
            let Some(end) = value.find('"') else { continue };
            let tag = html[..i].rfind('<').unwrap_or(0);
            let tag_text = &html[tag..html[tag..].find('>').map_or(html.len(), |e| tag + e)];
            let no_alt = attr == " src=\""
                && tag_text.starts_with("<img")
                && attribute(tag_text, "alt").is_none_or(|a| a.trim().is_empty());
            out.push(LinkRecord {
                url: value[..end].replace("&amp;", "&"),
                offset: start + tag,
                image_without_alt: no_alt,
            });
        }
    }
    out.sort_by_key(|l| l.offset);
    out
}

/// The value of attribute `name` in the text of one tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let value = &tag[at..];
    Some(&value[..value.find('"').unwrap_or(value.len())])
}

/// For each image's start event (by index), whether it has alt text.
fn image_alts(events: &[(Event, Range<usize>)]) -> std::collections::HashMap<usize, bool> {
    let mut out = std::collections::HashMap::new();
    let mut open: Vec<(usize, String)> = Vec::new();
    for (i, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Image { .. }) => open.push((i, String::new())),
            Event::End(pulldown_cmark::TagEnd::Image) => {
                if let Some((at, alt)) = open.pop() {
                    out.insert(
                        at,
                        !alt.trim().is_empty() && !is_alt_placeholder(alt.trim()),
                    );
                }
            }
            Event::Text(t) | Event::Code(t) => {
                for (_, alt) in &mut open {
                    alt.push_str(t);
                }
            }
            _ => {}
        }
    }
    out
}

/// The words the Word importer writes where a picture has no description (待补充图片说明, in
/// either language): a description still to be written, as missing as an empty one.
pub fn is_alt_placeholder(alt: &str) -> bool {
    use crate::i18n::{Lang, text_in};
    [Lang::ZhCn, Lang::En]
        .iter()
        .any(|&lang| alt == text_in(lang, "import-alt-todo", &[]))
}

/// A link or image of a Markdown text as it was rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRecord {
    /// The URL in the HTML (resolved when it pointed into the cluster).
    pub url: String,
    /// Byte offset of the link's first character (`[`, `!` or `<`) in the Markdown.
    pub offset: usize,
    /// An image without alt text (an inspection finding).
    pub image_without_alt: bool,
}

/// What [`rewrite`] found.
pub struct Rewritten {
    /// Links that lead nowhere, with their byte offsets.
    pub problems: Vec<(usize, LinkProblem)>,
    /// Other sites linked with `@/`: their changes can change this page.
    pub sites: Vec<SiteKey>,
    /// Every link and image, in source order.
    pub links: Vec<LinkRecord>,
}

fn cross_site(cluster: &Cluster, library: &Library, rest: &str) -> Result<String, LinkProblem> {
    let (id, path) = rest.split_once('/').unwrap_or((rest, ""));
    let Some(site) = cluster.get(id) else {
        let help = match did_you_mean(id, cluster.ids()) {
            Some(best) => crate::t!("fm-did-you-mean", best = format!("@/{best}/")),
            None => crate::t!("link-unknown-site-help"),
        };
        return Err(LinkProblem {
            code: crate::codes::UNKNOWN_SITE_LINK,
            message: crate::t!("link-unknown-site", id = id.to_string()),
            help,
            gone: None,
        });
    };
    let (path, fragment) = split_fragment(path);
    let path = urls::decode_path(path);
    if path.is_empty() {
        return Ok(format!("{}{fragment}", cluster.sites[site].base_url));
    }
    match library.target(site, &path) {
        Some(t) => Ok(format!(
            "{}{fragment}",
            target_url(cluster, library, site, t)
        )),
        None if library.is_broken(site, &path) => Ok(dest_unchanged(id, &path)),
        None => Err(LinkProblem {
            code: crate::codes::BROKEN_LINK,
            message: crate::t!("link-no-page", id = id.to_string(), path = path.clone()),
            help: match library.likely_target(site, &path) {
                Some((rel, true)) => {
                    crate::t!("link-address-help", target = format!("@/{id}/{rel}"))
                }
                Some((rel, false)) => {
                    crate::t!("fm-did-you-mean", best = format!("@/{id}/{rel}"))
                }
                None => crate::t!("link-no-page-help", id = id.to_string()),
            },
            gone: Some((site, path)),
        }),
    }
}

/// The link of a menu item on `site`: a `@/` link resolved like one in Markdown (kept as
/// written when it leads nowhere; [`menu_problems`] reports it), else as the site file says.
pub fn menu_href(
    cluster: &Cluster,
    library: &Library,
    site: SiteKey,
    item: &crate::config::MenuItem,
) -> String {
    match item.url.as_deref().and_then(|u| u.strip_prefix("@/")) {
        Some(rest) => cross_site(cluster, library, rest).unwrap_or_else(|_| format!("@/{rest}")),
        None => item.href(&cluster.sites[site].base_url),
    }
}

/// Menu items whose `@/` link leads nowhere, as warnings at the item in the site file that
/// writes the menu (once, however many sites inherit it).
pub fn menu_problems(cluster: &Cluster, library: &Library) -> Vec<crate::diagnostics::Diagnostic> {
    let mut out = Vec::new();
    for site in cluster
        .sites
        .iter()
        .filter(|s| s.spans.key("menu").is_some())
    {
        for (i, item) in site.menu.iter().flatten().enumerate() {
            let Some(rest) = item.url.as_deref().and_then(|u| u.strip_prefix("@/")) else {
                continue;
            };
            if let Err(p) = cross_site(cluster, library, rest) {
                let (l, c) = site.spans.item("menu", i).unwrap_or((1, 1));
                let d = crate::diagnostics::Diagnostic::warning(
                    p.code,
                    &site.config_path,
                    l,
                    c,
                    p.message,
                );
                out.push(d.with_help(p.help));
            }
        }
    }
    out
}

/// Hosts of the preview server (`serve`, `edit`): an address copied from its address bar.
const PREVIEW_HOSTS: &[&str] = &["127.0.0.1", "localhost", "[::1]", "0.0.0.0"];

/// A link copied from the preview's address bar (`http://127.0.0.1:1313/<site>/news/x/`),
/// which no visitor can open, with the `@/` link to write instead when the page is known.
fn preview_address(cluster: &Cluster, library: &Library, dest: &str) -> Option<LinkProblem> {
    let rest = dest
        .strip_prefix("http://")
        .or_else(|| dest.strip_prefix("https://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let name = host.rsplit_once(':').map_or(host, |(h, p)| {
        if p.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            host
        }
    });
    if !PREVIEW_HOSTS.iter().any(|h| name.eq_ignore_ascii_case(h)) {
        return None;
    }
    let path = urls::decode_path(split_fragment(path).0);
    let (id, address) = path.split_once('/').unwrap_or((&path, ""));
    let better = cluster
        .get(id)
        .and_then(|site| match address.trim_matches('/') {
            "" => Some(format!("@/{id}/")),
            _ => library
                .likely_target(site, address)
                .filter(|(_, exact)| *exact)
                .map(|(rel, _)| format!("@/{id}/{rel}")),
        });
    Some(LinkProblem {
        code: crate::codes::PREVIEW_LINK,
        message: crate::t!("link-preview", dest = dest),
        help: match better {
            Some(link) => crate::t!("link-preview-help", link = link),
            None => crate::t!("link-preview-help-plain"),
        },
        gone: None,
    })
}

/// `[text](a target with spaces)` and `![alt](...)`: not a link in Markdown, so printed as
/// text — the webmaster sees the brackets on the page. Each as a problem at its `[`.
pub fn spaced_targets(source: &str, text_ranges: &[Range<usize>]) -> Vec<(usize, LinkProblem)> {
    let mut out = Vec::new();
    for (at, _) in source.match_indices("](") {
        if !text_ranges.iter().any(|r| r.contains(&at)) {
            continue;
        }
        let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
        let Some(open) = source[line_start..at].rfind('[').map(|i| line_start + i) else {
            continue;
        };
        let rest = &source[at + 2..];
        let Some(close) = rest
            .find([')', '\n'])
            .filter(|&i| rest[i..].starts_with(')'))
        else {
            continue;
        };
        let target = &rest[..close];
        let spaced = target.contains([' ', '\u{3000}']) && !target.starts_with('<');
        let titled = target
            .split_once(' ')
            .is_some_and(|(_, t)| t.trim_start().starts_with(['"', '\'', '(']));
        if !spaced || titled {
            continue;
        }
        let start = if open > 0 && source[..open].ends_with('!') {
            open - 1
        } else {
            open
        };
        let fixed = format!("{}](<{target}>)", &source[start..at]);
        let problem = LinkProblem {
            code: crate::codes::SPACED_LINK,
            message: crate::t!("link-spaces", target = target),
            help: crate::t!("link-spaces-help", fixed = fixed),
            gone: None,
        };
        out.push((start, problem));
    }
    out
}

/// A link to a page that has errors of its own is kept as written; the page's errors say why.
fn dest_unchanged(id: &str, path: &str) -> String {
    format!("@/{id}/{path}")
}

/// Absolute URL of a link target.
pub fn target_url(cluster: &Cluster, library: &Library, site: SiteKey, target: Target) -> String {
    let base = &cluster.sites[site].base_url;
    match target {
        Target::Page(k) => urls::absolute(base, &library.pages[k].path),
        Target::Section(k) => urls::absolute(base, &library.sections[k].path()),
        Target::Asset(k) => urls::absolute(base, &library.assets[k].out_path),
        Target::Home(_) => base.clone(),
        Target::Topic(s, i) => {
            let slug = &library.sites[s].topics[i].slug;
            urls::absolute(base, &crate::routes::topic(slug))
        }
        Target::Lesson(s, i) => {
            let slug = &library.sites[s].lessons[i].slug;
            urls::absolute(base, &crate::routes::lesson(slug))
        }
    }
}

fn is_relative(dest: &str) -> bool {
    if dest.is_empty() || dest.starts_with(['/', '#', '?']) {
        return false;
    }
    let scheme_end = dest.find(':');
    let path_end = dest.find(['/', '?', '#']).unwrap_or(dest.len());
    scheme_end.is_none_or(|i| i > path_end)
}

fn split_fragment(dest: &str) -> (&str, &str) {
    match dest.find(['#', '?']) {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    }
}

fn has_extension(path: &str) -> bool {
    path.rsplit('/')
        .next()
        .is_some_and(|f| f.rfind('.').is_some_and(|i| i > 0 && i + 1 < f.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_importers_placeholder_is_no_description() {
        let done = crate::markdown::render(
            "![待补充图片说明](a.jpg) ![](b.jpg) ![操场](c.jpg)",
            &LinkContext::detached(),
        );
        let missing: Vec<bool> = done.links.iter().map(|l| l.image_without_alt).collect();
        assert_eq!(missing, [true, true, false]);
    }

    #[test]
    fn script_addresses_are_never_written() {
        let source = "[a](javascript:alert(1)) [b][z] ![c](data:text/html,x) [d](https://x.example/)\n\n[z]: \tJaVaScRiPt:alert(document.domain)\n";
        let done = crate::markdown::render(source, &LinkContext::detached());
        assert!(
            !done.html.to_lowercase().contains("script:"),
            "{}",
            done.html
        );
        assert!(!done.html.contains("data:"), "{}", done.html);
        assert!(done.html.contains("https://x.example/"));
        let codes: Vec<&str> = done.problems.iter().map(|(_, p)| p.code).collect();
        assert_eq!(codes, ["ZQ207"; 3]);
    }

    #[test]
    fn relative_detection() {
        assert!(is_relative("a.md"));
        assert!(is_relative("../news/a.md#top"));
        assert!(!is_relative("https://x.cn/a.md"));
        assert!(!is_relative("mailto:a@b.cn"));
        assert!(!is_relative("/abs"));
        assert!(!is_relative("#frag"));
    }

    #[test]
    fn joining() {
        assert_eq!(
            urls::join_inside("news", "../pages/about.md").as_deref(),
            Some("pages/about.md")
        );
        assert_eq!(urls::join_inside("", "../x.md"), None);
        assert_eq!(
            urls::join_inside("news/2024", "./a.png").as_deref(),
            Some("news/2024/a.png")
        );
    }

    #[test]
    fn extensions() {
        assert!(has_extension("a/b.pdf"));
        assert!(!has_extension("a/b"));
        assert!(!has_extension(".hidden"));
    }

    #[test]
    fn links_and_images_are_recorded_where_they_start() {
        let src = "见[甲](https://a.cn/x/)。\n\n![](a.png) ![操场](b.png) <img src=\"c.png\">\n";
        let r = crate::markdown::render(src, &LinkContext::detached());
        let got: Vec<(&str, usize, bool)> = r
            .links
            .iter()
            .map(|l| (l.url.as_str(), l.offset, l.image_without_alt))
            .collect();
        let at = |needle: &str| src.find(needle).unwrap();
        assert_eq!(
            got,
            [
                ("https://a.cn/x/", at("[甲]"), false),
                ("a.png", at("![]"), true),
                ("b.png", at("![操场]"), false),
                ("c.png", at("<img"), true),
            ]
        );
    }
}
