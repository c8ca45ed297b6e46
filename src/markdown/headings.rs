//! Heading ids: every heading gets an id (its own `{#id}` or one made from its text, Chinese
//! kept), unique within the page, so `#anchors` work.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// Sets the id of every heading in place.
pub fn assign_ids(events: &mut [(Event, Range<usize>)]) {
    let mut used: HashSet<String> = events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[i].0 {
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                    text.push_str(t);
                }
                j += 1;
            }
            let id = unique(slugify(&text), &mut used);
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
                *slot = Some(CowStr::from(id));
            }
            i = j;
        }
        i += 1;
    }
}

/// An id from heading text: letters and digits of any script kept, ASCII lowercased, runs of
/// anything else become one `-`.
pub fn slugify(text: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

fn unique(base: String, used: &mut HashSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while used.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(id.clone());
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{LinkContext, render};

    #[test]
    fn ids_keep_chinese_and_are_unique() {
        let html = render(
            "## 一、办学理念\n\n## 一、办学理念\n\n## Hello World {#custom}\n",
            &LinkContext::detached(),
        )
        .html;
        assert!(html.contains("<h2 id=\"一-办学理念\">"), "{html}");
        assert!(html.contains("<h2 id=\"一-办学理念-1\">"), "{html}");
        assert!(html.contains("<h2 id=\"custom\">"), "{html}");
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Rust & 中文!"), "rust-中文");
        assert_eq!(slugify("???"), "section");
    }
}
