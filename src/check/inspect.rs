//! The government website inspection rules (政府网站检查) as warnings: stale news, notice and
//! disclosure sections, empty sections, pages without a date, images without alt text, and
//! footers without their ICP number.

use chrono::NaiveDate;

use crate::codes;
use crate::config::{Cluster, Site};
use crate::content::{Library, Page, Section, SectionKind};
use crate::diagnostics::{Diagnostic, line_col};
use crate::markdown::Rendered;
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
        out.extend(no_icp(site));
        // The norms' rules on columns are for government websites: the bureaus' sites.
        // A school's site is not one, and its columns are its own business.
        if !site.kind.is_bureau() {
            continue;
        }
        for &sk in &library.sites[idx].sections {
            out.extend(section_finding(site, library, &library.sections[sk], today));
        }
    }
    for (k, page) in library.pages.iter_keyed() {
        let bureau = cluster.sites[page.site].kind.is_bureau();
        out.extend(page_findings(
            page,
            bodies.pages.get(k).map(|r| &**r),
            bureau,
        ));
    }
    out
}

/// A footer without its ICP number (ICP备案号).
fn no_icp(site: &Site) -> Option<Diagnostic> {
    let icp = site.footer.icp.as_deref();
    icp.is_none_or(|s| s.trim().is_empty()).then(|| {
        let message = t!("inspect-no-icp", site = site.name.clone());
        Diagnostic::warning(codes::NO_ICP, &site.config_path, 1, 1, message)
            .with_help(t!("inspect-no-icp-help"))
    })
}

/// A section without pages, or not updated for longer than the norms allow.
fn section_finding(
    site: &Site,
    library: &Library,
    section: &Section,
    today: NaiveDate,
) -> Option<Diagnostic> {
    if section.is_plain_pages() {
        return None;
    }
    let place = section
        .source
        .clone()
        .unwrap_or_else(|| site.content_dir.join(&section.name));
    let (name, title, id) = (
        section.name.clone(),
        section.title.clone(),
        site.name.clone(),
    );
    let Some(&newest) = section.pages.first() else {
        let message = t!(
            "inspect-empty-section",
            section = name,
            title = title,
            site = id
        );
        let d = Diagnostic::warning(codes::EMPTY_SECTION, place, 1, 1, message);
        return Some(d.with_help(t!("inspect-empty-section-help")));
    };
    let (days, code) = max_age(section.kind)?;
    let date = library.pages[newest].date?;
    let age = (today - date.date_naive()).num_days();
    (age > days).then(|| {
        let message = t!(
            "inspect-stale-section",
            section = name,
            title = title,
            site = id,
            date = date.format("%Y-%m-%d").to_string(),
            age = age,
            days = days
        );
        Diagnostic::warning(code, place, 1, 1, message).with_help(t!("inspect-stale-section-help"))
    })
}

/// A plain page of a bureau without a date, and images without alt text (on every site:
/// alt text is an accessibility requirement, not only the norms').
pub fn page_findings(page: &Page, rendered: Option<&Rendered>, bureau: bool) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let undated = page.date.is_none() && page.updated.is_none();
    if bureau && page.kind == SectionKind::Pages && undated {
        let d = Diagnostic::warning(
            codes::UNDATED_PAGE,
            &page.source,
            1,
            1,
            t!("inspect-undated"),
        );
        out.push(d.with_help(t!("inspect-undated-help")));
    }
    for img in rendered
        .iter()
        .flat_map(|r| &r.links)
        .filter(|l| l.image_without_alt)
    {
        let (line, col) = line_col(&page.body, img.offset);
        let message = t!("inspect-image-alt", url = img.url.clone());
        let line = page.body_line + line - 1;
        let d = Diagnostic::warning(codes::IMAGE_ALT, &page.source, line, col, message);
        out.push(d.with_help(t!("inspect-image-alt-help")));
    }
    out
}
