//! Views of section-specific metadata: a resource's facets and attachments and a disclosure
//! item's 信息公开 table (also read by `outputs::library` for `resources/index.json`).

use serde::Serialize;

use crate::config::Cluster;
use crate::content::fields::human_size;
use crate::content::{Library, Page, PageKey, Target};
use crate::federation::Federation;
use crate::markdown::links::target_url;

/// One attachment of a resource.
#[derive(Serialize)]
pub struct FileView<'a> {
    name: &'a str,
    url: String,
    size: u64,
    size_human: String,
    kind: &'a str,
}

/// `page.resource` / `entry.resource`.
#[derive(Serialize)]
pub struct ResourceView<'a> {
    stage: Option<&'a str>,
    grade: Option<&'a str>,
    subject: Option<&'a str>,
    edition: Option<&'a str>,
    resource_type: Option<&'a str>,
    files: Vec<FileView<'a>>,
}

/// `page.disclosure` / `entry.disclosure`: the metadata table of the government norms.
#[derive(Serialize)]
pub struct DisclosureView<'a> {
    index_no: &'a str,
    category: Option<&'a str>,
    publisher: &'a str,
    created: String,
    date: String,
    doc_no: Option<&'a str>,
    open_mode: &'a str,
}

/// A news page's cover image (图片新闻).
#[derive(Serialize)]
pub struct ImageView<'a> {
    url: String,
    alt: &'a str,
}

/// The cover image of `page`, at the URL its file is copied to.
pub fn image<'a>(
    cluster: &'a Cluster,
    library: &'a Library,
    page: &'a Page,
) -> Option<ImageView<'a>> {
    let (rel, alt) = page.image.as_ref()?;
    let url = match library.target(page.site, rel) {
        Some(t @ Target::Asset(_)) => target_url(cluster, library, page.site, t),
        _ => crate::urls::absolute(&cluster.sites[page.site].base_url, rel),
    };
    Some(ImageView { url, alt })
}

/// The resource view of a page of `resources/`.
pub fn resource<'a>(
    cluster: &'a Cluster,
    library: &'a Library,
    page: &'a Page,
) -> Option<ResourceView<'a>> {
    let r = page.meta.resource()?;
    Some(ResourceView {
        stage: r.stage.as_deref(),
        grade: r.grade.as_deref(),
        subject: r.subject.as_deref(),
        edition: r.edition.as_deref(),
        resource_type: r.resource_type.as_deref(),
        files: files(cluster, library, page),
    })
}

/// The attachments (附件) of any page, at the URLs they are copied to.
pub fn files<'a>(cluster: &'a Cluster, library: &'a Library, page: &'a Page) -> Vec<FileView<'a>> {
    page.attachments
        .iter()
        .map(|a| file_view(cluster, library, page.site, a))
        .collect()
}

/// One attachment of `site`, at the URL it is copied to.
pub fn file_view<'a>(
    cluster: &'a Cluster,
    library: &'a Library,
    site: crate::config::SiteKey,
    a: &'a crate::content::fields::Attachment,
) -> FileView<'a> {
    FileView {
        name: &a.name,
        url: match library.target(site, &a.rel_path) {
            Some(t @ Target::Asset(_)) => target_url(cluster, library, site, t),
            _ => crate::urls::absolute(&cluster.sites[site].base_url, &a.rel_path),
        },
        size: a.size,
        size_human: human_size(a.size),
        kind: &a.kind,
    }
}

/// The disclosure view of a page of `disclosure/`.
pub fn disclosure<'a>(
    cluster: &'a Cluster,
    federation: &'a Federation,
    key: PageKey,
    page: &'a Page,
) -> Option<DisclosureView<'a>> {
    let d = page.meta.disclosure()?;
    Some(DisclosureView {
        index_no: federation.index_no.get(&key).map_or("", String::as_str),
        category: d.category.as_deref(),
        publisher: d
            .publisher
            .as_deref()
            .unwrap_or(&cluster.sites[page.site].name),
        created: d
            .created
            .clone()
            .unwrap_or_else(|| super::view::fmt_date(page.date.as_ref(), "%Y-%m-%d")),
        date: super::view::fmt_date(page.date.as_ref(), "%Y-%m-%d"),
        doc_no: d.doc_no.as_deref(),
        open_mode: d
            .open_mode
            .as_deref()
            .unwrap_or(crate::content::meta::OPEN_MODES[0]),
    })
}
