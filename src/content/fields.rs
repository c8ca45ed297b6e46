//! Checks of section-specific front matter: resource facets against the vocabularies (the
//! facet table is in [`super::meta`]) and attachments, which must exist inside the repository.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::meta::{Facet, ResourceMeta};
use crate::config::vocab::Vocabularies;
use crate::diagnostics::Diagnostic;

/// An attachment of a resource page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// File name shown to teachers.
    pub name: String,
    /// Path relative to the content repository, `/`-separated.
    pub rel_path: String,
    /// Size in bytes.
    pub size: u64,
    /// Upper-case extension (PPTX, PDF, MP4 …).
    pub kind: String,
}

/// Where a front matter key's value is, for diagnostics: (line, column) in the file.
pub type At<'a> = &'a dyn Fn(&str) -> (usize, usize);

/// Checks the facets of a resource page against the vocabularies; every problem is reported.
pub fn check_resource(
    meta: &ResourceMeta,
    vocab: &Vocabularies,
    path: &Path,
    at: At,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for facet in Facet::ALL {
        let (key, label) = (facet.key(), facet.label());
        let allowed = facet.vocabulary(vocab);
        match (meta.get(facet), allowed) {
            (None, _) if facet.required() => errors.push(
                Diagnostic::error(
                    crate::codes::MISSING_FACET,
                    path,
                    1,
                    1,
                    crate::t!("facet-missing", key = key, label = label),
                )
                .with_help(crate::t!(
                    "facet-missing-help",
                    key = key,
                    allowed = allowed.map(|a| a.join(", ")).unwrap_or_default()
                )),
            ),
            (Some(v), Some(allowed)) if !allowed.iter().any(|a| a == v) => {
                let (l, c) = at(key);
                errors.push(
                    Diagnostic::error(
                        crate::codes::VOCABULARY,
                        path,
                        l,
                        c,
                        crate::t!(
                            "facet-unknown",
                            key = key,
                            label = label,
                            value = v.to_string()
                        ),
                    )
                    .with_help(crate::t!(
                        "facet-unknown-help",
                        allowed = allowed.join(", ")
                    )),
                );
            }
            _ => {}
        }
    }
    errors
}

/// Resolves `files:` against the page's folder; each must be a file inside the repository.
pub fn attachments(
    files: &[String],
    content_dir: &Path,
    page_dir: &str,
    path: &Path,
    at: At,
) -> Result<Vec<Attachment>, Vec<Diagnostic>> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for file in files {
        let (l, c) = at("files");
        let rel = match crate::urls::join_inside(page_dir, file) {
            Some(rel) if !file.starts_with('/') && !file.contains('\\') => rel,
            _ => {
                errors.push(
                    Diagnostic::error(
                        crate::codes::ATTACHMENT_OUTSIDE,
                        path,
                        l,
                        c,
                        crate::t!("attachment-outside", file = file.clone()),
                    )
                    .with_help(crate::t!("attachment-outside-help")),
                );
                continue;
            }
        };
        match std::fs::metadata(content_dir.join(&rel)) {
            Ok(m) if m.is_file() => out.push(Attachment {
                name: rel.rsplit('/').next().unwrap_or(&rel).to_string(),
                kind: rel
                    .rsplit_once('.')
                    .map(|(_, e)| e.to_uppercase())
                    .unwrap_or_else(|| "FILE".to_string()),
                size: m.len(),
                rel_path: rel,
            }),
            _ => errors.push(
                Diagnostic::error(
                    crate::codes::ATTACHMENT_MISSING,
                    path,
                    l,
                    c,
                    crate::t!("attachment-missing", file = file.clone(), rel = rel.clone()),
                )
                .with_help(crate::t!("attachment-missing-help")),
            ),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The cover image of a news page: a file of the repository, with its alt text required.
pub fn cover_image(
    meta: &super::frontmatter::FrontMatter,
    kind: crate::domain::SectionKind,
    content_dir: &Path,
    rel_path: &str,
    path: &Path,
    at: At,
) -> Result<Option<(String, String)>, Vec<Diagnostic>> {
    let Some(image) = &meta.image else {
        return Ok(None);
    };
    let (l, c) = at("image");
    let problem = |message: crate::i18n::Message, help: crate::i18n::Message| {
        vec![Diagnostic::error(crate::codes::INVALID_VALUE, path, l, c, message).with_help(help)]
    };
    if kind != crate::domain::SectionKind::News {
        return Err(problem(
            crate::t!("image-not-news"),
            crate::t!("image-not-news-help"),
        ));
    }
    let alt = meta.image_alt.as_deref().map(str::trim).unwrap_or("");
    if alt.is_empty() {
        return Err(problem(
            crate::t!("image-no-alt"),
            crate::t!("image-no-alt-help"),
        ));
    }
    let page_dir = rel_path.rsplit_once('/').map_or("", |(d, _)| d);
    let found = crate::urls::join_inside(page_dir, image)
        .filter(|_| !image.starts_with('/') && !image.contains('\\'))
        .filter(|rel| content_dir.join(rel).is_file());
    match found {
        Some(rel) => Ok(Some((rel, alt.to_string()))),
        None => Err(problem(
            crate::t!("image-missing", file = image.clone()),
            crate::t!("image-missing-help"),
        )),
    }
}

/// Human-readable size: `512 B`, `3.4 KB`, `12.0 MB`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut size = bytes as f64 / 1024.0;
    let mut unit = 0;
    while size >= 1024.0 && unit < UNITS.len() - 1 {
        size /= 1024.0;
        unit += 1;
    }
    format!("{size:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(_: &str) -> (usize, usize) {
        (5, 8)
    }

    #[test]
    fn facets_are_checked_against_the_vocabulary() {
        let meta = ResourceMeta {
            stage: Some("大学".into()),
            subject: Some("数学".into()),
            ..Default::default()
        };
        let errs = check_resource(&meta, &Vocabularies::default(), Path::new("r.md"), &at);
        let msgs: Vec<String> = errs.iter().map(|e| e.message.en()).collect();
        assert_eq!(
            msgs,
            [
                "`stage` (学段) `大学` is not in the vocabulary",
                "missing `resource_type` (资源类型) on a resource page"
            ]
        );
        assert_eq!((errs[0].line, errs[0].col), (5, 8));
        assert!(
            errs[0]
                .help
                .as_ref()
                .unwrap()
                .en()
                .contains("学前, 小学, 初中, 高中, 中职")
        );
    }

    #[test]
    fn attachments_stay_inside_and_exist() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("resources/files")).unwrap();
        std::fs::write(
            tmp.path().join("resources/files/课件.pptx"),
            vec![0u8; 2048],
        )
        .unwrap();
        let files = ["files/课件.pptx".to_string()];
        let got = attachments(&files, tmp.path(), "resources", Path::new("r.md"), &at).unwrap();
        assert_eq!(
            got,
            [Attachment {
                name: "课件.pptx".into(),
                rel_path: "resources/files/课件.pptx".into(),
                size: 2048,
                kind: "PPTX".into()
            }]
        );
        let bad = [
            "../../etc/passwd".to_string(),
            "nope.pdf".to_string(),
            "/etc/passwd".to_string(),
        ];
        let errs = attachments(&bad, tmp.path(), "resources", Path::new("r.md"), &at).unwrap_err();
        assert_eq!(errs.len(), 3);
        assert!(
            errs[0]
                .message
                .en()
                .contains("outside the content repository")
        );
        assert!(errs[1].message.en().contains("does not exist"));
        assert!(errs[2].message.en().contains("outside"));
    }

    #[test]
    fn sizes() {
        assert_eq!(human_size(512), "512 B");
        assert_eq!(human_size(3482), "3.4 KB");
        assert_eq!(human_size(5 * 1024 * 1024), "5.0 MB");
    }
}
