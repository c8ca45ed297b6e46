//! Search documents: what each page contributes to the indexes of its site and the bureaus
//! above, read once from the rendered model and shared by every index that holds the page.

use std::collections::hash_map::Entry;

use chrono::{DateTime, FixedOffset};

use super::repeated::{self, Repeated};
use super::{TermMap, tokens, variants};
use crate::config::SiteKey;
use crate::content::fields::Attachment;
use crate::content::meta::{Facet, SectionMeta};
use crate::content::{Page, PageKey};
use crate::domain::{CLASSES_FOLDER, CLASSES_TITLE};
use crate::render::Model;
use crate::routes;
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
    /// Read from a previous output's export, not from the model (`build --site`).
    pub imported: bool,
    /// The tree's salt of the sentence hashes ([`repeated::tree_of`]).
    pub tree: u64,
    /// Hashes of the counted sentences of the summary and text, each once.
    pub sentences: Vec<u64>,
    /// The boilerplate sentences the weights were made with ([`Repeated::mark`]): when it
    /// differs from the current one, the document is weighed again.
    pub mark: u64,
}

/// Hashes a term to the 56 bits the packed postings keep.
pub fn term_hash(term: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(term.as_bytes()) >> 8
}

/// The document of one page, weighed with the boilerplate known so far; new term strings
/// go into `dict`.
pub fn document(
    m: Model,
    key: PageKey,
    dict: &mut TermMap<Box<str>>,
    repeated: &Repeated,
) -> Document {
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
        summary: m.bodies.summaries[key].to_string(),
        text: crate::markdown::sanitize::plain_text(&m.bodies.pages[key].html),
        credits: credits(page.meta.author.as_ref(), &page.attachments),
        terms: Vec::new(),
        imported: false,
        tree: repeated::tree_of(m.cluster, page.site),
        sentences: Vec::new(),
        mark: 0,
    };
    doc.weigh(dict, repeated);
    doc
}

impl Document {
    /// A document with nothing in it, to fill in.
    pub fn empty() -> Document {
        Document {
            url: String::new(),
            title: String::new(),
            site: SiteKey::default(),
            section: String::new(),
            section_title: String::new(),
            date: None,
            facets: Vec::new(),
            tags: Vec::new(),
            summary: String::new(),
            text: String::new(),
            credits: Vec::new(),
            terms: Vec::new(),
            imported: false,
            tree: 0,
            sentences: Vec::new(),
            mark: 0,
        }
    }

    /// Finds the distinct terms of the title, tags, summary, text and facets with their
    /// weights, and the section and facet filter terms. Words of boilerplate sentences
    /// (see [`repeated`]) are listed with weight 0: found, never ranked for.
    pub fn weigh(&mut self, dict: &mut TermMap<Box<str>>, repeated: &Repeated) {
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
        let mut sentences = Vec::new();
        for text in [&self.summary, &self.text] {
            let text = variants::simplified(text);
            repeated::for_each_sentence(&text, self.tree, |s, hash| {
                let w = u32::from(!hash.is_some_and(|h| repeated.is_common(h)));
                tokens::for_each_term(s, |t| add(t, w));
                tokens::for_each_trigram(s, |t| add(t, w));
                sentences.extend(hash);
            });
        }
        distinct(&mut sentences);
        self.mark = repeated.mark(&sentences);
        self.sentences = sentences;
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

/// The document of a 三个课堂 lesson's page: its teacher is found like an author, its kind,
/// subject and grade like tags.
pub fn lesson_document(
    m: Model,
    site: SiteKey,
    i: usize,
    dict: &mut TermMap<Box<str>>,
    repeated: &Repeated,
) -> Document {
    let l = &m.library.sites[site].lessons[i];
    let mut doc = Document {
        url: urls::absolute(&m.cluster.sites[site].base_url, &routes::lesson(&l.slug)),
        title: l.title.clone(),
        site,
        section: CLASSES_FOLDER.to_string(),
        section_title: CLASSES_TITLE.to_string(),
        date: Some(l.starts),
        tags: vec![
            l.kind.label().to_string(),
            l.subject.clone(),
            l.grade.clone(),
        ],
        text: l.description.clone(),
        credits: credits(Some(&l.teacher), &l.files),
        tree: repeated::tree_of(m.cluster, site),
        ..Document::empty()
    };
    doc.weigh(dict, repeated);
    doc
}

/// The counted sentences of every page and lesson of `site`, each page's once: what
/// [`Document::weigh`] finds, without weighing, so that a build knows the boilerplate
/// before it weighs anything.
pub fn sentences(m: Model, site: SiteKey) -> Vec<u64> {
    use rayon::prelude::*;
    let tree = repeated::tree_of(m.cluster, site);
    let own = &m.library.sites[site];
    let of = |texts: [&str; 2]| {
        let mut found = Vec::new();
        for text in texts {
            let text = variants::simplified(text);
            repeated::for_each_sentence(&text, tree, |_, h| found.extend(h));
        }
        distinct(&mut found);
        found
    };
    let mut out: Vec<u64> = own
        .pages
        .par_iter()
        .with_min_len(512)
        .flat_map_iter(|&k| {
            let text = crate::markdown::sanitize::plain_text(&m.bodies.pages[k].html);
            of([&m.bodies.summaries[k], &text])
        })
        .collect();
    out.extend(own.lessons.iter().flat_map(|l| of(["", &l.description])));
    out
}

fn distinct(hashes: &mut Vec<u64>) {
    hashes.sort_unstable();
    hashes.dedup();
}

/// An author (or teacher) and attachments, as searched.
fn credits(author: Option<&String>, attachments: &[Attachment]) -> Vec<String> {
    let mut out: Vec<String> = author.into_iter().cloned().collect();
    for a in attachments {
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
