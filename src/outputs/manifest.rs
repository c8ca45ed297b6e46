//! `_zhanqun/manifest.json`: what a site publishes (pages with titles, paths, dates,
//! sections, summaries and what they offer for syndication). A build of some sites only
//! (`--site`) reads the other sites from their manifests instead of their sources, so a
//! county can be rebuilt from its schools' last published state.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::config::{Cluster, SiteKey};
use crate::content::discover::{Asset, Discovered};
use crate::content::fields::Attachment;
use crate::content::{
    DisclosureMeta, Library, Page, PageKey, PageMeta, ResourceMeta, Section, SectionKind,
    SectionMeta, Syndicate,
};
use crate::diagnostics::Diagnostic;
use crate::federation::Federation;
use crate::store::Store;

/// Version of the manifest format; a different one is read as missing.
pub const FORMAT: u32 = 1;

/// Path of a site's manifest inside the output folder.
pub fn path(site_id: &str) -> String {
    crate::routes::in_site(site_id, crate::routes::MANIFEST)
}

/// A site's manifest.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    format: u32,
    site: String,
    name: String,
    kind: String,
    /// The id of its parent: where the site stood in the tree, so that a later build can
    /// keep it there while its own site file is broken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    parent: Option<String>,
    base_url: String,
    /// The commit its content was built from, for a git source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    commit: Option<String>,
    /// The git URL of its content, for a git source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    /// The site has a root `_index.md`.
    home: bool,
    sections: Vec<ManifestSection>,
    pages: Vec<ManifestPage>,
    assets: Vec<ManifestAsset>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestSection {
    name: String,
    title: String,
    paginate: usize,
    weight: i64,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestPage {
    rel_path: String,
    section: String,
    slug: String,
    path: String,
    url: String,
    title: String,
    date: Option<DateTime<FixedOffset>>,
    updated: Option<DateTime<FixedOffset>>,
    summary: String,
    author: Option<String>,
    source: Option<String>,
    /// `up` or `down`: what the page offers to other sites.
    syndicate: Option<String>,
    tags: Vec<String>,
    weight: Option<i64>,
    /// Resource and disclosure metadata (index numbers as generated).
    #[serde(default)]
    meta: Extra,
    /// Attachments of resource pages.
    #[serde(default)]
    attachments: Vec<Attachment>,
    /// Cover image: path in the content repository and alt text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    image: Option<(String, String)>,
    /// 置顶.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    top: Option<crate::content::page::Top>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Extra {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stage: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    grade: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    edition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resource_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    index_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    doc_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    open_mode: Option<String>,
}

impl Extra {
    /// The metadata of a page as the manifest writes it; `index_no` as numbered.
    fn new(meta: &PageMeta, index_no: Option<String>) -> Self {
        let r = meta.resource().cloned().unwrap_or_default();
        let d = meta.disclosure().cloned().unwrap_or_default();
        Extra {
            stage: r.stage,
            grade: r.grade,
            subject: r.subject,
            edition: r.edition,
            resource_type: r.resource_type,
            index_no,
            doc_no: d.doc_no,
            category: d.category,
            publisher: d.publisher,
            created: d.created,
            open_mode: d.open_mode,
        }
    }

    /// The typed metadata of a page of a `kind` section.
    fn into_section_meta(self, kind: SectionKind) -> SectionMeta {
        match kind {
            SectionKind::Resources => SectionMeta::Resource(ResourceMeta {
                stage: self.stage,
                grade: self.grade,
                subject: self.subject,
                edition: self.edition,
                resource_type: self.resource_type,
            }),
            SectionKind::Disclosure => SectionMeta::Disclosure(DisclosureMeta {
                index_no: self.index_no,
                doc_no: self.doc_no,
                category: self.category,
                publisher: self.publisher,
                created: self.created,
                open_mode: self.open_mode,
            }),
            _ => SectionMeta::Article,
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestAsset {
    rel_path: String,
    out_path: String,
}

/// The manifest of one site as JSON.
pub fn write(
    cluster: &Cluster,
    library: &Library,
    federation: &Federation,
    summaries: &Store<PageKey, std::sync::Arc<str>>,
    site: SiteKey,
) -> String {
    let s = &cluster.sites[site];
    let content = &library.sites[site];
    let mut pages: Vec<ManifestPage> = content
        .pages
        .iter()
        .map(|&k| {
            let p = &library.pages[k];
            ManifestPage {
                rel_path: p.rel_path.clone(),
                section: p.section.clone(),
                slug: p.slug.clone(),
                path: p.path.clone(),
                url: crate::urls::absolute(&s.base_url, &p.path),
                title: p.title.clone(),
                date: p.date,
                updated: p.updated,
                summary: summaries[k].to_string(),
                author: p.meta.author.clone(),
                source: p.meta.source.clone(),
                syndicate: p.syndicate.map(|s| s.as_str().to_string()),
                tags: p.meta.tags.clone(),
                weight: p.meta.weight,
                meta: Extra::new(&p.meta, federation.index_no.get(&k).cloned()),
                attachments: p.attachments.clone(),
                image: p.image.clone(),
                top: p.top,
            }
        })
        .collect();
    pages.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    let manifest = Manifest {
        format: FORMAT,
        site: s.id.clone(),
        name: s.name.clone(),
        kind: s.kind.as_str().to_string(),
        parent: s.parent.map(|p| cluster.sites[p].id.clone()),
        base_url: s.base_url.clone(),
        commit: s.commit.clone(),
        source: s.git.as_ref().map(|g| crate::sources::redact(&g.git)),
        home: content.home.is_some(),
        sections: content
            .sections
            .iter()
            .map(|&k| {
                let sec = &library.sections[k];
                ManifestSection {
                    name: sec.name.clone(),
                    title: sec.title.clone(),
                    paginate: sec.paginate,
                    weight: sec.weight,
                }
            })
            .collect(),
        pages,
        assets: content
            .assets
            .iter()
            .map(|&a| ManifestAsset {
                rel_path: library.assets[a].rel_path.clone(),
                out_path: library.assets[a].out_path.clone(),
            })
            .collect(),
    };
    let mut json = serde_json::to_string_pretty(&manifest).expect("manifests serialize");
    json.push('\n');
    json
}

/// Where the previous build placed site `id`: its name, kind and parent, from its
/// manifest in `out_dir`; `None` without a readable manifest.
pub fn previous_place(out_dir: &Path, id: &str) -> Option<crate::config::PreviousPlace> {
    let text = std::fs::read_to_string(out_dir.join(path(id))).ok()?;
    let m: Manifest = serde_json::from_str(&text).ok()?;
    (m.site == id).then_some(crate::config::PreviousPlace {
        name: m.name,
        kind: m.kind,
        parent: m.parent,
    })
}

/// Reads the manifest of `site` from a previous output as if its content had been discovered.
pub fn read(cluster: &Cluster, site: SiteKey, out_dir: &Path) -> Result<Discovered, Diagnostic> {
    let id = &cluster.sites[site].id;
    let file = out_dir.join(path(id));
    let help = crate::t!("manifest-help");
    let text = std::fs::read_to_string(&file).map_err(|e| {
        Diagnostic::file_error(
            crate::codes::MANIFEST,
            &file,
            crate::t!(
                "manifest-unreadable",
                id = id.as_str(),
                error = crate::diagnostics::io_error_text(&e)
            ),
        )
        .with_help(help.clone())
    })?;
    let m: Manifest = serde_json::from_str(&text).map_err(|e| {
        Diagnostic::error(
            crate::codes::MANIFEST,
            &file,
            e.line(),
            e.column(),
            crate::t!("manifest-corrupt", id = id.as_str(), error = e.to_string()),
        )
        .with_help(help.clone())
    })?;
    if m.format != FORMAT || &m.site != id {
        return Err(Diagnostic::file_error(
            crate::codes::MANIFEST,
            &file,
            crate::t!("manifest-foreign", id = id.as_str()),
        )
        .with_help(help));
    }
    Ok(into_discovered(m, site, &file))
}

fn into_discovered(m: Manifest, site: SiteKey, file: &Path) -> Discovered {
    let mut sections: BTreeMap<String, Section> = BTreeMap::new();
    for s in m.sections {
        let mut sec = Section::new(site, &s.name);
        sec.title = s.title;
        sec.paginate = s.paginate;
        sec.weight = s.weight;
        sections.insert(s.name, sec);
    }
    let pages = m
        .pages
        .into_iter()
        .map(|p| {
            let kind = SectionKind::of(&p.section);
            std::sync::Arc::new(Page {
                site,
                kind,
                syndicate: p.syndicate.as_deref().and_then(Syndicate::parse),
                section: p.section,
                slug: p.slug,
                rel_path: p.rel_path,
                source: file.to_path_buf(),
                meta: PageMeta {
                    summary: Some(p.summary),
                    tags: p.tags,
                    author: p.author,
                    source: p.source,
                    weight: p.weight,
                    section: p.meta.into_section_meta(kind),
                    ..Default::default()
                },
                title: p.title,
                date: p.date,
                updated: p.updated,
                body: String::new(),
                body_line: 1,
                path: p.path,
                bundle_dir: None,
                attachments: p.attachments,
                image: p.image,
                top: p.top,
                linked_sites: Vec::new(),
                aliases: Vec::new(),
                title_at: (1, 1),
                summary_at: None,
            })
        })
        .collect();
    let assets = m
        .assets
        .into_iter()
        .map(|a| Asset {
            site,
            source: file.to_path_buf(),
            rel_path: a.rel_path,
            out_path: a.out_path,
        })
        .collect();
    Discovered {
        pages,
        sections,
        home: m.home.then(|| Section::new(site, "")),
        assets,
        ..Default::default()
    }
}
