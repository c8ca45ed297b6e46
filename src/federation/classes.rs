//! 三个课堂 across sites: each lesson is shown on its teaching site, on every receiving
//! site and on the bureaus above them; receivers are checked against the tree and
//! overlapping lessons of one receiver are warned about.

use std::collections::HashMap;

use super::syndication::descendants;
use crate::config::{Cluster, SiteKey};
use crate::content::Library;
use crate::content::lesson::{Lesson, Receivers};
use crate::diagnostics::{Diagnostic, did_you_mean};

/// A lesson: its teaching site and its index among that site's lessons.
pub type LessonKey = (SiteKey, usize);

/// Where every lesson goes.
#[derive(Debug, Clone, Default)]
pub struct Classes {
    /// The lessons each site shows (taught, received, or below it), in start order.
    pub shown: HashMap<SiteKey, Vec<LessonKey>>,
    /// The receiving sites of each lesson, in tree order.
    pub receivers: HashMap<LessonKey, Vec<SiteKey>>,
}

impl Classes {
    /// The lessons `site` shows.
    pub fn of(&self, site: SiteKey) -> &[LessonKey] {
        self.shown.get(&site).map_or(&[], Vec::as_slice)
    }
}

/// The bureau a teaching site belongs to: itself when it is one, else the nearest above.
fn bureau_of(cluster: &Cluster, site: SiteKey) -> SiteKey {
    std::iter::once(site)
        .chain(cluster.ancestors(site))
        .find(|&s| cluster.sites[s].kind.is_bureau())
        .unwrap_or(site)
}

/// Places every lesson of the cluster: problems with receivers are errors at their line,
/// overlapping lessons of one receiver warnings.
pub fn place(cluster: &Cluster, library: &Library) -> (Classes, Vec<Diagnostic>, Vec<Diagnostic>) {
    let mut out = Classes::default();
    let mut problems = Vec::new();
    for (site, content) in library.sites.iter_keyed() {
        for (i, lesson) in content.lessons.iter().enumerate() {
            let key = (site, i);
            let receivers = receivers(cluster, site, lesson, &mut problems);
            let mut shown: Vec<SiteKey> = vec![site];
            for &r in receivers.iter().chain(std::iter::once(&site)) {
                shown.push(r);
                shown.extend(cluster.ancestors(r));
            }
            shown.sort_unstable();
            shown.dedup();
            for s in shown {
                out.shown.entry(s).or_default().push(key);
            }
            out.receivers.insert(key, receivers);
        }
    }
    for list in out.shown.values_mut() {
        list.sort_by_key(|&(s, i)| (library.sites[s].lessons[i].starts, s, i));
    }
    let warnings = overlaps(cluster, library, &out);
    (out, problems, warnings)
}

/// The receiving sites of `lesson` taught by `site`, reporting unknown ids and sites outside
/// the teaching site's bureau (allowed when that bureau is the root: the city teaches all).
fn receivers(
    cluster: &Cluster,
    site: SiteKey,
    lesson: &Lesson,
    problems: &mut Vec<Diagnostic>,
) -> Vec<SiteKey> {
    let bureau = bureau_of(cluster, site);
    let below = descendants(cluster, bureau);
    let city_wide = cluster.sites[bureau].parent.is_none();
    let mut out = match &lesson.receivers {
        Receivers::All => below
            .iter()
            .copied()
            .filter(|&s| s != site && !cluster.sites[s].kind.is_bureau())
            .collect(),
        Receivers::Sites(ids) => {
            let mut found = Vec::new();
            for (id, line) in ids {
                let problem = |message: crate::i18n::Message, help: crate::i18n::Message| {
                    Diagnostic::error(crate::codes::RECEIVER, &lesson.source, *line, 1, message)
                        .with_help(help)
                };
                match cluster.get(id) {
                    None => {
                        let help = did_you_mean(id, cluster.ids())
                            .map(|b| crate::t!("fm-did-you-mean", best = b.to_string()))
                            .unwrap_or_else(|| crate::t!("lesson-receivers-help"));
                        problems.push(problem(
                            crate::t!("receiver-unknown", id = id.as_str()),
                            help,
                        ));
                    }
                    Some(r) if r == site => problems.push(problem(
                        crate::t!("lesson-self-receiver", id = id.as_str()),
                        crate::t!("lesson-self-receiver-help"),
                    )),
                    Some(r) if !city_wide && !below.contains(&r) => problems.push(problem(
                        crate::t!(
                            "receiver-outside",
                            id = id.as_str(),
                            bureau = cluster.sites[bureau].name.clone()
                        ),
                        crate::t!("receiver-outside-help"),
                    )),
                    Some(r) => found.push(r),
                }
            }
            found
        }
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// Warnings for two lessons that one receiving site would receive at overlapping times.
fn overlaps(cluster: &Cluster, library: &Library, classes: &Classes) -> Vec<Diagnostic> {
    let lesson = |(s, i): LessonKey| &library.sites[s].lessons[i];
    let mut by_receiver: HashMap<SiteKey, Vec<LessonKey>> = HashMap::new();
    for (&key, receivers) in &classes.receivers {
        for &r in receivers {
            by_receiver.entry(r).or_default().push(key);
        }
    }
    let mut out = Vec::new();
    let mut receivers: Vec<_> = by_receiver.into_iter().collect();
    receivers.sort_unstable();
    for (receiver, mut keys) in receivers {
        keys.sort_unstable();
        for (n, &a) in keys.iter().enumerate() {
            for &b in &keys[n + 1..] {
                let (la, lb) = (lesson(a), lesson(b));
                let clash = la.occurrences().into_iter().find_map(|sa| {
                    lb.occurrences()
                        .into_iter()
                        .find(|&sb| sa < sb + lb.duration && sb < sa + la.duration)
                });
                if let Some(when) = clash {
                    let message = crate::t!(
                        "lesson-overlap",
                        id = cluster.sites[receiver].id.clone(),
                        a = la.title.clone(),
                        b = lb.title.clone(),
                        when = when.format("%Y-%m-%d %H:%M").to_string()
                    );
                    out.push(
                        Diagnostic::warning(
                            crate::codes::LESSON_OVERLAP,
                            &lb.source,
                            lb.receivers_line,
                            1,
                            message,
                        )
                        .with_help(crate::t!("lesson-overlap-help")),
                    );
                }
            }
        }
    }
    out
}
