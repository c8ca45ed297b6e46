//! Search documents: what each page contributes to the indexes of its site and the bureaus
//! above, read once from the rendered model and shared by every index that holds the page.

use std::collections::hash_map::Entry;

use chrono::{DateTime, FixedOffset};

use super::{TermMap, tokens, variants};
use crate::config::SiteKey;
use crate::content::meta::{Facet, SectionMeta};
use crate::content::{Page, PageKey};
use crate::render::Model;
use crate::urls;

/// Characters of body text kept for the excerpt of a result.
pub const EXCERPT_CHARS: usize = 160;

/// Prefix of the filter terms (`\u{1}s:news`), which no text can produce.
pub const FILTER: char = '\u{1}';

/// The filter term of a section (`s:news`) or a facet value (`f:stage=初中`).
pub fn filter_term(kind: char, value: &str) -> String {
    format!("{FILTER}{kind}:{value}")
}

/// How much more a term in the title counts than one in the body.
const TITLE_WEIGHT: u32 = 5;

/// One page as the search index sees it.
#[derive(Debug, Clone)]
pub struct Document {
    /// Canonical URL of the page.
    pub url: String,
    /// Title.
    pub title: String,
    /// The site that published it.
    pub site: SiteKey,
    /// Section folder (`news`, `resources`, …): the section filter's value.
    pub section: String,
    /// Section title as the publishing site names it.
    pub section_title: String,
    /// Publication date.
    pub date: Option<DateTime<FixedOffset>>,
    /// The resource facets written, as (key, value).
    pub facets: Vec<(String, String)>,
    /// Tags.
    pub tags: Vec<String>,
    /// The summary: front matter `summary`, else the first paragraph.
    pub summary: String,
    /// Plain text of the body; emptied once the result rows are made.
    pub text: String,
    /// Found but not shown: the author, and the attachments' names and kinds (`PPTX`, and
    /// `PPT` for it, since that is what people type).
    pub credits: Vec<String>,
    /// Packed `term hash << 8 | weight`, one per distinct term.
    pub terms: Vec<u64>,
}

/// Hashes a term to the 56 bits the packed postings keep.
pub fn term_hash(term: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(term.as_bytes()) >> 8
}

/// The document of one page, weighed; new term strings go into `dict`.
pub fn document(m: Model, key: PageKey, dict: &mut TermMap<Box<str>>) -> Document {
    let page: &Page = &m.library.pages[key];
    let site = &m.cluster.sites[page.site];
    let mut doc = Document {
        url: urls::absolute(&site.base_url, &page.path),
        title: page.title.clone(),
        site: page.site,
        section: page.section.clone(),
        section_title: section_title(m, page),
        date: page.date,
        facets: facets(page),
        tags: page.meta.tags.clone(),
        summary: m.bodies.summaries[key].clone(),
        text: crate::markdown::sanitize::plain_text(&m.bodies.pages[key].html),
        credits: credits(page),
        terms: Vec::new(),
    };
    doc.weigh(dict);
    doc
}

impl Document {
    /// Finds the distinct terms of the title, tags, summary, text and facets with their
    /// weights, and the section and facet filter terms.
    pub fn weigh(&mut self, dict: &mut TermMap<Box<str>>) {
        let mut weights: TermMap<u32> = TermMap::default();
        let mut add = |t: &str, w: u32| {
            let h = term_hash(t);
            match weights.entry(h) {
                Entry::Occupied(mut e) => *e.get_mut() += w,
                Entry::Vacant(e) => {
                    e.insert(w);
                    dict.entry(h).or_insert_with(|| t.into());
                }
            }
        };
        // Indexed as simplified text: a page written in traditional characters is found by
        // the simplified query and, once the browser folds it, by the traditional one.
        let title = variants::simplified(&self.title);
        tokens::for_each_term(&title, |t| add(t, TITLE_WEIGHT));
        tokens::for_each_trigram(&title, |t| add(t, TITLE_WEIGHT));
        // One-character queries (假, 考) look in titles only: every page holds common
        // characters in its body.
        tokens::for_each_han_char(&title, |t| add(t, TITLE_WEIGHT));
        for tag in &self.tags {
            let tag = variants::simplified(tag);
            tokens::for_each_term(&tag, |t| add(t, 2));
            tokens::for_each_trigram(&tag, |t| add(t, 2));
        }
        for text in [&self.summary, &self.text] {
            let text = variants::simplified(text);
            tokens::for_each_term(&text, |t| add(t, 1));
            tokens::for_each_trigram(&text, |t| add(t, 1));
        }
        for credit in &self.credits {
            tokens::for_each_term(&variants::simplified(credit), |t| add(t, 2));
        }
        for (k, v) in &self.facets {
            tokens::for_each_term(v, |t| add(t, 1));
            add(&filter_term('f', &format!("{k}={v}")), 0);
        }
        add(&filter_term('s', &self.section), 0);
        self.terms = weights
            .into_iter()
            .map(|(h, w)| h << 8 | u64::from(w.min(255)))
            .collect();
    }
}

/// The author and the attachments of `page`, as searched.
fn credits(page: &Page) -> Vec<String> {
    let mut out: Vec<String> = page.meta.author.iter().cloned().collect();
    for a in &page.attachments {
        out.push(a.name.clone());
        // The four-letter Office kinds are typed with three letters: PPT, DOC, XLS.
        let short = a
            .kind
            .strip_suffix('X')
            .filter(|k| matches!(*k, "PPT" | "DOC" | "XLS"));
        out.push(short.map_or_else(|| a.kind.clone(), |k| format!("{} {k}", a.kind)));
    }
    out
}

fn facets(page: &Page) -> Vec<(String, String)> {
    match &page.meta.section {
        SectionMeta::Resource(r) => Facet::ALL
            .iter()
            .filter_map(|&f| r.get(f).map(|v| (f.key().to_string(), v.to_string())))
            .collect(),
        _ => Vec::new(),
    }
}

fn section_title(m: Model, page: &Page) -> String {
    m.library.sites[page.site]
        .sections
        .iter()
        .map(|&s| &m.library.sections[s])
        .find(|s| s.name == page.section)
        .map_or_else(|| page.section.clone(), |s| s.title.clone())
}
