//! Which HTML files a render makes for each site: the home and 404 pages, every page of every
//! listing (skipping those the render cache says are unchanged), facet pages, statistics and
//! reports of bureaus, search and 网站地图, 专题, 三个课堂 and the site's own pages.

use std::collections::HashMap;

use tera::Value;

use super::{Job, Model, RenderCache, Shared, listing_fingerprint, pagination, value_hash};
use crate::config::SiteKey;
use crate::content::SectionKind;
use crate::federation::{self, Listing};
use crate::urls;

/// The jobs of a render being planned.
pub(super) struct Plan<'s, 'a, 'c> {
    /// Values the jobs read; pagers and facets are added while planning.
    pub shared: &'s mut Shared<'a>,
    /// The render cache of `serve`, filled with this render's fingerprints.
    pub cache: Option<&'c mut RenderCache>,
    /// The previous fingerprints of the sites rendered.
    pub old: HashMap<String, u64>,
    /// Listing pages whose previous output is kept.
    pub kept: Vec<String>,
    /// What to render.
    pub jobs: Vec<Job>,
    /// The hash of the site value of the site being planned (part of every fingerprint).
    pub site_hash: Option<(SiteKey, u64)>,
}

impl Plan<'_, '_, '_> {
    /// Every job of `site`.
    pub fn site(&mut self, site: SiteKey) {
        let m = self.shared.m;
        self.jobs.push(Job::Home(site));
        self.jobs.push(Job::NotFound(site));
        for (li, listing) in m.federation.sites[site].listings.iter().enumerate() {
            self.listing(site, li, listing);
        }
        self.extras(site, m);
        let pages = &m.library.sites[site].pages;
        self.jobs.extend(pages.iter().map(|&k| Job::Page(k)));
        for &k in pages {
            let aliases = m.library.pages[k].aliases.len();
            self.jobs.extend((0..aliases).map(|n| Job::Alias(k, n)));
        }
    }

    /// The pages of one listing (and, for the resource library, its facet pages).
    fn listing(&mut self, site: SiteKey, li: usize, listing: &Listing) {
        let m = self.shared.m;
        let base = urls::absolute(
            &m.cluster.sites[site].base_url,
            &format!("{}/", listing.name),
        );
        let items: Vec<Value> = listing
            .items
            .iter()
            .map(|&k| self.shared.refs[k].clone())
            .collect();
        // The 信息公开 directory groups every item on one page.
        let per_page = match listing.kind {
            SectionKind::Disclosure => items.len().max(1),
            _ => listing.paginate,
        };
        let pages = pagination::paginate(&items, per_page, |n| pagination::page_path(&base, n));
        for (i, pager) in pages.iter().enumerate() {
            if !self.unchanged(site, listing, i, per_page, pager) {
                let page = i + 1;
                self.jobs.push(Job::Listing {
                    site,
                    listing: li,
                    page,
                });
            }
        }
        self.shared.pagers.insert((site, li), pages);
        if listing.kind == SectionKind::Resources {
            let groups =
                federation::resources::facet_groups(m.cluster, m.library, site, &listing.items);
            // A value's page is paginated like the library: the city's 素材 page would
            // otherwise hold every 素材 of the cluster.
            let per_page = listing.paginate.max(1);
            for (fi, (_, values)) in groups.iter().enumerate() {
                for (vi, (_, items)) in values.iter().enumerate() {
                    let pages = items.len().div_ceil(per_page).max(1);
                    self.jobs.extend((1..=pages).map(|page| Job::Facet {
                        site,
                        facet: fi,
                        value: vi,
                        page,
                    }));
                }
            }
            self.shared.facets.insert(site, groups);
        }
    }

    /// True when page `i` of `listing` shows what it showed last time (`serve` only; the
    /// library's facet counts change with any resource, so it is always rendered). Its
    /// fingerprint is recorded either way.
    fn unchanged(
        &mut self,
        site: SiteKey,
        listing: &Listing,
        i: usize,
        per_page: usize,
        pager: &pagination::Paginator,
    ) -> bool {
        let m = self.shared.m;
        let Some(cache) = self.cache.as_deref_mut() else {
            return false;
        };
        if listing.kind == SectionKind::Resources {
            return false;
        }
        let id = &m.cluster.sites[site].id;
        let path = format!(
            "{id}/{}index.html",
            pagination::page_path(&format!("{}/", listing.name), i + 1)
        );
        let start = (i * per_page.max(1)).min(listing.items.len());
        let keys = &listing.items[start..(start + per_page).min(listing.items.len())];
        let refs: Vec<&Value> = keys.iter().map(|&k| &self.shared.refs[k]).collect();
        let intro = listing
            .section
            .map_or("", |k| m.bodies.sections[k].html.as_str());
        let template = listing
            .section
            .and_then(|k| m.library.sections[k].template.as_deref());
        let site_hash = match self.site_hash {
            Some((s, h)) if s == site => h,
            _ => {
                let h = value_hash(&self.shared.sites[site]);
                self.site_hash = Some((site, h));
                h
            }
        };
        let fp = listing_fingerprint(&refs, pager, intro, template, site_hash);
        cache.fingerprints.insert(path.clone(), fp);
        let same = self.old.get(&path) == Some(&fp);
        if same {
            self.kept.push(path);
        }
        same
    }

    /// Statistics and reports of a bureau, search, 网站地图, 专题 and 三个课堂.
    fn extras(&mut self, site: SiteKey, m: Model) {
        if m.cluster.sites[site].kind.is_bureau() {
            self.jobs.push(Job::Stats(site, None));
            let current = chrono::Datelike::year(&m.cluster.settings.now);
            for year in federation::stats::years(m.cluster, m.library, site, current) {
                self.jobs.push(Job::Stats(site, Some(year)));
                self.jobs.push(Job::Report(site, year));
            }
        }
        self.jobs.push(Job::Search(site));
        self.jobs.push(Job::Sitemap(site));
        let topics = m.library.sites[site].topics.len();
        if topics > 0 {
            self.jobs.push(Job::Topics(site));
        }
        self.jobs.extend((0..topics).map(|i| Job::Topic(site, i)));
        if !m.federation.classes.of(site).is_empty() {
            self.jobs.push(Job::Timetable(site));
        }
        let lessons = m.library.sites[site].lessons.len();
        self.jobs.extend((0..lessons).map(|i| Job::Lesson(site, i)));
    }
}
