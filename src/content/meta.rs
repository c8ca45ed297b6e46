//! A page's metadata, typed by what the page is: what every page may have
//! ([`PageMeta`]), and what only a resource ([`ResourceMeta`]) or a 信息公开 item
//! ([`DisclosureMeta`]) carries. The resource facets are declared here once ([`Facet`]):
//! front matter key, Chinese label, whether it is required and its vocabulary; validation,
//! the resource library, templates and manifests all read this table.

/// 公开方式: the ways a 信息公开 item is made public; the first is the default.
pub const OPEN_MODES: [&str; 2] = ["主动公开", "依申请公开"];

/// 信息类别 the 信息公开 directory knows (a site may write others).
pub const DISCLOSURE_CATEGORIES: [&str; 9] = [
    "政策文件",
    "规划计划",
    "财政资金",
    "人事信息",
    "招生考试",
    "收费公示",
    "学生资助",
    "年度报告",
    "重点工作",
];

use serde::{Deserialize, Serialize};

use super::frontmatter::FrontMatter;
use crate::config::vocab::Vocabularies;
use crate::domain::SectionKind;

/// A facet of a resource page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Facet {
    /// 学段.
    Stage,
    /// 学科.
    Subject,
    /// 资源类型.
    ResourceType,
    /// 教材版本.
    Edition,
}

impl Facet {
    /// Every facet, in the order the library shows them.
    pub const ALL: [Facet; 4] = [
        Facet::Stage,
        Facet::Subject,
        Facet::ResourceType,
        Facet::Edition,
    ];

    /// The key in front matter, URLs (`/resources/<key>/<value>/`) and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Facet::Stage => "stage",
            Facet::Subject => "subject",
            Facet::ResourceType => "resource_type",
            Facet::Edition => "edition",
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Facet::Stage => "学段",
            Facet::Subject => "学科",
            Facet::ResourceType => "资源类型",
            Facet::Edition => "教材版本",
        }
    }

    /// Whether every resource page must have it.
    pub fn required(self) -> bool {
        self != Facet::Edition
    }

    /// The allowed values, in display order; `None` when any value is allowed.
    pub fn vocabulary(self, vocab: &Vocabularies) -> Option<&[String]> {
        match self {
            Facet::Stage => Some(&vocab.stage),
            Facet::Subject => Some(&vocab.subject),
            Facet::ResourceType => Some(&vocab.resource_type),
            Facet::Edition => vocab.edition.as_deref(),
        }
    }
}

/// What only a page of `resources/` carries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceMeta {
    /// 学段.
    pub stage: Option<String>,
    /// 年级.
    pub grade: Option<String>,
    /// 学科.
    pub subject: Option<String>,
    /// 教材版本.
    pub edition: Option<String>,
    /// 资源类型.
    pub resource_type: Option<String>,
}

impl ResourceMeta {
    /// The value written for `facet`.
    pub fn get(&self, facet: Facet) -> Option<&str> {
        match facet {
            Facet::Stage => self.stage.as_deref(),
            Facet::Subject => self.subject.as_deref(),
            Facet::ResourceType => self.resource_type.as_deref(),
            Facet::Edition => self.edition.as_deref(),
        }
    }
}

/// What only a 信息公开 item carries (the metadata table of the government norms).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureMeta {
    /// 索引号 as written; generated when absent.
    pub index_no: Option<String>,
    /// 文号.
    pub doc_no: Option<String>,
    /// 信息类别.
    pub category: Option<String>,
    /// 发布机构; the site's name when absent.
    pub publisher: Option<String>,
    /// 生成日期 as written.
    pub created: Option<String>,
    /// 公开方式; 主动公开 when absent.
    pub open_mode: Option<String>,
}

/// The metadata that depends on the section.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SectionMeta {
    /// News, notices, plain pages and other sections.
    #[default]
    Article,
    /// A page of `resources/`.
    Resource(ResourceMeta),
    /// A page of `disclosure/`.
    Disclosure(DisclosureMeta),
}

/// Front matter every page may have, after validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    /// 摘要 as written; the first paragraph is used when absent.
    pub summary: Option<String>,
    /// 标签.
    pub tags: Vec<String>,
    /// 作者.
    pub author: Option<String>,
    /// 信息来源.
    pub source: Option<String>,
    /// Sort key of plain pages (lower first).
    pub weight: Option<i64>,
    /// Template replacing `page.html`.
    pub template: Option<String>,
    /// 草稿: left out unless `--drafts`.
    pub draft: bool,
    /// What the section adds.
    pub section: SectionMeta,
}

impl PageMeta {
    /// The typed metadata of a page of a `kind` section written as `fm`.
    pub fn from_front_matter(fm: FrontMatter, kind: SectionKind) -> Self {
        let section = match kind {
            SectionKind::Resources => SectionMeta::Resource(ResourceMeta {
                stage: fm.stage,
                grade: fm.grade,
                subject: fm.subject,
                edition: fm.edition,
                resource_type: fm.resource_type,
            }),
            SectionKind::Disclosure => SectionMeta::Disclosure(DisclosureMeta {
                index_no: fm.index_no,
                doc_no: fm.doc_no,
                category: fm.category,
                publisher: fm.publisher,
                created: fm.created,
                open_mode: fm.open_mode,
            }),
            _ => SectionMeta::Article,
        };
        PageMeta {
            summary: fm.summary,
            tags: fm.tags,
            author: fm.author,
            source: fm.source,
            weight: fm.weight,
            template: fm.template,
            draft: fm.draft,
            section,
        }
    }

    /// The resource metadata, on resource pages.
    pub fn resource(&self) -> Option<&ResourceMeta> {
        match &self.section {
            SectionMeta::Resource(r) => Some(r),
            _ => None,
        }
    }

    /// The 信息公开 metadata, on disclosure pages.
    pub fn disclosure(&self) -> Option<&DisclosureMeta> {
        match &self.section {
            SectionMeta::Disclosure(d) => Some(d),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_follows_the_section() {
        let fm = FrontMatter {
            stage: Some("初中".into()),
            doc_no: Some("江教〔2026〕1号".into()),
            author: Some("教务处".into()),
            ..Default::default()
        };
        let r = PageMeta::from_front_matter(fm.clone(), SectionKind::Resources);
        assert_eq!(r.resource().and_then(|r| r.get(Facet::Stage)), Some("初中"));
        assert_eq!(r.disclosure(), None);
        let d = PageMeta::from_front_matter(fm.clone(), SectionKind::Disclosure);
        assert_eq!(
            d.disclosure().and_then(|d| d.doc_no.as_deref()),
            Some("江教〔2026〕1号")
        );
        let a = PageMeta::from_front_matter(fm, SectionKind::News);
        assert_eq!(
            (a.section, a.author.as_deref()),
            (SectionMeta::Article, Some("教务处"))
        );
    }

    #[test]
    fn facets_know_their_vocabularies() {
        let v = Vocabularies::default();
        assert!(
            Facet::Stage
                .vocabulary(&v)
                .unwrap()
                .iter()
                .any(|s| s == "初中")
        );
        assert_eq!(Facet::Edition.vocabulary(&v), None);
        assert!(Facet::ALL.iter().filter(|f| f.required()).count() == 3);
    }
}
