//! The link check of `serve`: the check `build` makes (render a group of sites, scan its
//! pages, judge what is left once every group is scanned), run between requests a small
//! group at a time, so the server answers while it runs and never holds the whole output.

use std::collections::VecDeque;

use crate::check::links;
use crate::config::SiteKey;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::outputs::Outputs;
use crate::pipeline::{Driver, Timings};
use crate::render::NoProgress;

/// Pages rendered by one step: small enough that a request waits little behind it.
pub const STEP_PAGES: usize = 600;

/// A round of the link check: every site at start, the sites an edit touched after it.
#[derive(Default)]
pub struct LinkCheck {
    /// Sites left to render and scan in this round, in order.
    todo: VecDeque<SiteKey>,
    /// Every file and id scanned so far (of this and earlier rounds).
    targets: links::Written,
    /// Links of this round that led nowhere when their page was scanned.
    unresolved: Vec<links::Link>,
    /// Render errors of this round.
    errors: Diagnostics,
    /// A round is under way and not reported yet.
    running: bool,
}

/// What a finished round found: the broken links, or the render errors.
pub type Round = Result<Vec<Diagnostic>, Diagnostics>;

impl LinkCheck {
    /// A round over `sites`.
    pub fn new(sites: &[SiteKey]) -> LinkCheck {
        LinkCheck {
            todo: sites.iter().copied().collect(),
            running: true,
            ..LinkCheck::default()
        }
    }

    /// True while a round is under way.
    pub fn is_running(&self) -> bool {
        self.running
    }

    /// Scans `sites` again, first (an edit changed them): what was scanned of them before
    /// is forgotten. Joins the round under way, or starts one.
    pub fn again(&mut self, driver: &Driver, sites: &[SiteKey]) {
        for &s in sites.iter().rev() {
            let id = &driver.cluster.sites[s].id;
            self.targets.forget(id);
            self.unresolved.retain(|l| !l.is_on(id));
            self.todo.retain(|&t| t != s);
            self.todo.push_front(s);
        }
        self.running = true;
    }

    /// Renders and scans the next sites, about `pages` pages, and hands their output to
    /// `rendered`; the round's findings, paths relative to the cluster root, once it is done.
    pub fn step(
        &mut self,
        driver: &Driver,
        pages: usize,
        rendered: &mut dyn FnMut(Outputs),
    ) -> Option<Round> {
        if !self.running {
            return None;
        }
        let group = self.next_group(driver, pages);
        if !group.is_empty() {
            let sites = links::Sites::new(&driver.cluster);
            match driver.render(&group, &NoProgress, &mut Timings::new()) {
                Ok(outputs) => {
                    let found = self.targets.scan_group(&sites, &outputs.files);
                    self.unresolved.extend(found);
                    rendered(outputs);
                }
                Err(d) => self.errors.extend(d),
            }
        }
        if !self.todo.is_empty() {
            return None;
        }
        self.running = false;
        if self.errors.has_errors() {
            return Some(Err(std::mem::take(&mut self.errors)));
        }
        let (cluster, linked) = (&driver.cluster, &driver.linked);
        let unresolved = std::mem::take(&mut self.unresolved);
        let found = links::report(
            cluster,
            &linked.library,
            &linked.bodies,
            &self.targets,
            unresolved,
        );
        let root = &driver.opts.root;
        Some(Ok(found.into_iter().map(|d| d.relative_to(root)).collect()))
    }

    /// The next sites of the round, about `pages` pages (one site at least).
    fn next_group(&mut self, driver: &Driver, pages: usize) -> Vec<SiteKey> {
        let mut group = Vec::new();
        let mut size = 0;
        while let Some(&s) = self.todo.front() {
            let n = driver.linked.library.sites[s].pages.len().max(1);
            if !group.is_empty() && size + n > pages {
                break;
            }
            size += n;
            group.push(s);
            self.todo.pop_front();
        }
        group
    }
}
