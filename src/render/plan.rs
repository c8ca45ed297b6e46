//! Which HTML files a render makes for each site: the home and 404 pages, every page of every
//! listing, facet pages, statistics and
//! reports of bureaus, search and 网站地图, 专题, 三个课堂 and the site's own pages.

use tera::Value;

use super::{Job, Model, Shared, pagination};
use crate::config::SiteKey;
use crate::content::SectionKind;
use crate::federation::{self, Listing};
use crate::urls;

/// The jobs of a render being planned.
pub(super) struct Plan<'s, 'a> {
    /// Values the jobs read; pagers and facets are added while planning.
    pub shared: &'s mut Shared<'a>,
    /// What to render.
    pub jobs: Vec<Job>,
}

impl Plan<'_, '_> {
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
        self.jobs.extend((1..=pages.len()).map(|page| Job::Listing {
            site,
            listing: li,
            page,
        }));
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
            let values = super::aggregates::facet_values(self.shared, site, &groups);
            self.shared.facet_values.insert(site, values);
            self.shared.facets.insert(site, groups);
        }
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
