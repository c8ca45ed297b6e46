//! Putting the sites' libraries together: each site is assembled on its own with keys from
//! 0 and appended after the others; `serve` copies a site that did not change from the
//! previous library instead of assembling it again (a city has 2,000 sites, an edit changes
//! one).

use std::sync::Arc;

use super::{Library, PageKey, SectionKey, SiteContent, SiteKey, Target};
use crate::store::Key;

/// A site's share of the library being assembled.
pub enum Part<'a> {
    /// Assembled from what was found, keys from 0.
    Assembled(Box<Library>),
    /// As it is in the previous library.
    Kept(&'a Library),
}

/// Where a site's pages, sections and assets start in the library: its lookup table keeps
/// the site's own keys, so it is shared unchanged however the sites before it grow.
#[derive(Debug, Clone, Copy, Default)]
pub struct Bases {
    page: usize,
    section: usize,
    asset: usize,
}

impl Bases {
    /// The library's key for a site's own `target`.
    pub fn global(self, target: Target) -> Target {
        match target {
            Target::Page(k) => Target::Page(PageKey::from_index(k.index() + self.page)),
            Target::Section(k) => Target::Section(SectionKey::from_index(k.index() + self.section)),
            Target::Asset(a) => Target::Asset(a + self.asset),
            other => other,
        }
    }
}

/// Moves a site's keys from where they start in one library to where they start in another.
#[derive(Clone, Copy)]
struct Shift {
    from: Bases,
    to: Bases,
}

impl Shift {
    fn page(self, k: PageKey) -> PageKey {
        PageKey::from_index(k.index() - self.from.page + self.to.page)
    }

    fn section(self, k: SectionKey) -> SectionKey {
        SectionKey::from_index(k.index() - self.from.section + self.to.section)
    }

    fn asset(self, a: usize) -> usize {
        a - self.from.asset + self.to.asset
    }

    /// A site's lists of its pages, sections and assets, moved.
    fn site(self, c: &mut SiteContent) {
        c.pages.iter_mut().for_each(|k| *k = self.page(*k));
        c.sections.iter_mut().for_each(|k| *k = self.section(*k));
        c.assets.iter_mut().for_each(|a| *a = self.asset(*a));
    }
}

impl Library {
    /// The bases the next appended site gets.
    fn next_bases(&self) -> Bases {
        Bases {
            page: self.pages.len(),
            section: self.sections.len(),
            asset: self.assets.len(),
        }
    }

    /// Appends the library of the next site (assembled alone), its keys moved past this one's.
    pub(super) fn append(&mut self, part: Library) {
        let bases = self.next_bases();
        let shift = Shift {
            from: Bases::default(),
            to: bases,
        };
        self.pages.extend(part.pages);
        for mut s in part.sections {
            s.pages.iter_mut().for_each(|k| *k = shift.page(*k));
            self.sections.push(s);
        }
        self.assets.extend(part.assets);
        for mut c in part.sites {
            shift.site(&mut c);
            self.sites.push(c);
        }
        self.targets.extend(part.targets);
        self.broken.extend(part.broken);
        self.problems.extend(part.problems);
        self.bases.push(bases);
    }

    /// Appends `site` as it is in `old` (found unchanged), its keys moved to this library.
    pub(super) fn append_kept(&mut self, old: &Library, site: SiteKey) {
        let bases = self.next_bases();
        let shift = Shift {
            from: old.bases[site],
            to: bases,
        };
        let mut c = old.sites[site].clone();
        self.pages
            .extend(c.pages.iter().map(|&k| old.pages[k].clone()));
        for &k in &c.sections {
            let mut s = old.sections[k].clone();
            s.pages.iter_mut().for_each(|k| *k = shift.page(*k));
            self.sections.push(s);
        }
        self.assets
            .extend(c.assets.iter().map(|&a| old.assets[a].clone()));
        shift.site(&mut c);
        self.sites.push(c);
        self.targets.push(old.targets[site].clone());
        self.broken.push(old.broken[site].clone());
        self.problems.push(old.problems[site].clone());
        self.bases.push(bases);
    }

    /// For each page of this library, its key in `old` when it is the very page `old` held
    /// at the same place of the same site (shared, not loaded again), for the sites `keep`
    /// accepts.
    pub fn same_pages(
        &self,
        old: &Library,
        keep: impl Fn(SiteKey) -> bool,
    ) -> Vec<Option<PageKey>> {
        let mut out = vec![None; self.pages.len()];
        for (site, content) in self.sites.iter_keyed() {
            let Some(was) = old.sites.get(site).filter(|_| keep(site)) else {
                continue;
            };
            for (&new, &before) in content.pages.iter().zip(&was.pages) {
                if Arc::ptr_eq(&self.pages[new], &old.pages[before]) {
                    out[new.index()] = Some(before);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::pipeline::testing::{cluster, load, news};
    use crate::pipeline::{Driver, Timings};
    use crate::store::Key;

    /// Every page with its key, rank and target; every section's pages; every listing: what
    /// keys, ranks and lookups an update must give as a fresh load does.
    fn shape(d: &Driver) -> Vec<String> {
        let (lib, fed) = (&d.linked.library, &d.linked.federation);
        let rel = |k: super::PageKey| lib.pages[k].rel_path.clone();
        let mut out = Vec::new();
        for (site, content) in lib.sites.iter_keyed() {
            let id = &d.cluster.sites[site].id;
            for &k in &content.pages {
                let found = lib.target(site, &rel(k)) == Some(super::Target::Page(k));
                out.push(format!(
                    "{id} {} #{} rank {} {found}",
                    rel(k),
                    k.index(),
                    lib.rank(k)
                ));
            }
            for &s in &content.sections {
                let pages: Vec<String> = lib.sections[s].pages.iter().map(|&k| rel(k)).collect();
                let found = lib.target(site, &format!("{}/_index.md", lib.sections[s].name));
                out.push(format!("{id} section {} {pages:?} {found:?}", s.index()));
            }
            for l in &fed.sites[site].listings {
                let items: Vec<String> = l.items.iter().map(|&k| rel(k)).collect();
                out.push(format!("{id} lists {} {items:?}", l.name));
            }
            let summaries: Vec<&str> = content
                .pages
                .iter()
                .map(|&k| &*d.linked.bodies.summaries[k])
                .collect();
            out.push(format!("{id} summaries {summaries:?}"));
        }
        out
    }

    #[test]
    fn an_update_that_moves_every_key_gives_what_a_fresh_load_gives() {
        let (tmp, mut d) = cluster(&[
            (
                "content/city/news/一.md",
                &news("市通知一", "2026-05-01", false),
            ),
            (
                "content/county/news/二.md",
                &news("区新闻", "2026-05-03", true),
            ),
            ("content/a/news/三.md", &news("甲新闻", "2026-05-02", true)),
            (
                "content/a/news/_index.md",
                "---\ntitle: 新闻\n---\n甲小学的[新闻](@/news/三.md)。\n",
            ),
            ("content/b/news/四.md", &news("乙新闻", "2026-05-02", true)),
            (
                "content/b/about.md",
                "---\ntitle: 学校概况\n---\n见[甲](@a/news/三.md)。\n",
            ),
        ]);
        // A page more in the city (the first site), one fewer in a school: the sites after
        // them keep their content but move.
        let root = tmp.path();
        std::fs::write(
            root.join("content/city/news/五.md"),
            news("市通知二", "2026-05-02", false),
        )
        .unwrap();
        std::fs::remove_file(root.join("content/a/news/三.md")).unwrap();
        let sites = [d.cluster.get("city").unwrap(), d.cluster.get("a").unwrap()];
        d.update(&sites, &mut Timings::new()).unwrap();
        assert_eq!(shape(&d), shape(&load(root)));
    }
}
