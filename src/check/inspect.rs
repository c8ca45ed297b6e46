//! The government website inspection rules (政府网站检查) as warnings: stale news, notice and
//! disclosure sections, empty sections, pages without a date, images without alt text, and
//! footers without their ICP number.

use chrono::NaiveDate;

use crate::codes;
use crate::config::Cluster;
use crate::content::{Library, SectionKind};
use crate::diagnostics::{Diagnostic, line_col};
use crate::render::Bodies;
use crate::t;

/// Days after which a section counts as not updated.
fn max_age(kind: SectionKind) -> Option<(i64, &'static str)> {
    match kind {
        SectionKind::News => Some((14, codes::STALE_NEWS)),
        SectionKind::Notices | SectionKind::Disclosure => Some((180, codes::STALE_NOTICES)),
        _ => None,
    }
}

/// Every inspection finding, as warnings, judged on `today`.
pub fn inspect(
    cluster: &Cluster,
    library: &Library,
    bodies: &Bodies,
    today: NaiveDate,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (idx, site) in cluster.sites.iter_keyed() {
        if site
            .footer
            .icp
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
        {
            out.push(
                Diagnostic::warning(
                    codes::NO_ICP,
                    &site.config_path,
                    1,
                    1,
                    t!("inspect-no-icp", site = site.id.clone()),
                )
                .with_help(t!("inspect-no-icp-help")),
            );
        }
        for &sk in &library.sites[idx].sections {
            let section = &library.sections[sk];
            if section.is_plain_pages() {
                continue;
            }
            let place = section
                .source
                .clone()
                .unwrap_or_else(|| site.content_dir.join(&section.name));
            let Some(&newest) = section.pages.first() else {
                out.push(
                    Diagnostic::warning(
                        codes::EMPTY_SECTION,
                        place,
                        1,
                        1,
                        t!(
                            "inspect-empty-section",
                            section = section.name.clone(),
                            title = section.title.clone(),
                            site = site.id.clone()
                        ),
                    )
                    .with_help(t!("inspect-empty-section-help")),
                );
                continue;
            };
            if let (Some((days, code)), Some(date)) =
                (max_age(section.kind), library.pages[newest].date)
            {
                let age = (today - date.date_naive()).num_days();
                if age > days {
                    let message = t!(
                        "inspect-stale-section",
                        section = section.name.clone(),
                        title = section.title.clone(),
                        site = site.id.clone(),
                        date = date.format("%Y-%m-%d").to_string(),
                        age = age,
                        days = days
                    );
                    out.push(
                        Diagnostic::warning(code, place, 1, 1, message)
                            .with_help(t!("inspect-stale-section-help")),
                    );
                }
            }
        }
    }
    for (k, page) in library.pages.iter_keyed() {
        if page.kind == SectionKind::Pages && page.date.is_none() && page.updated.is_none() {
            out.push(
                Diagnostic::warning(
                    codes::UNDATED_PAGE,
                    &page.source,
                    1,
                    1,
                    t!("inspect-undated"),
                )
                .with_help(t!("inspect-undated-help")),
            );
        }
        let Some(rendered) = bodies.pages.get(k) else {
            continue;
        };
        for img in rendered.links.iter().filter(|l| l.image_without_alt) {
            let (line, col) = line_col(&page.body, img.offset);
            out.push(
                Diagnostic::warning(
                    codes::IMAGE_ALT,
                    &page.source,
                    page.body_line + line - 1,
                    col,
                    t!("inspect-image-alt", url = img.url.clone()),
                )
                .with_help(t!("inspect-image-alt-help")),
            );
        }
    }
    out
}
