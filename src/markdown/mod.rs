//! Markdown to HTML. This is the one place that sets pulldown-cmark's options; features are
//! passes over the event list (links, heading ids, highlighting), not a monolithic loop.

pub mod headings;
pub mod highlight;
pub mod links;
pub mod sanitize;

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};

pub use links::{LinkContext, LinkProblem};

/// Characters a default summary is cut at.
pub const SUMMARY_CHARS: usize = 120;

/// The parser options of the whole tool: CommonMark plus the extensions of the spec.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// A rendered Markdown document.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Plain text of the first paragraph, cut at [`SUMMARY_CHARS`].
    pub summary: String,
    /// Links that lead nowhere, with their byte offset in the source.
    pub problems: Vec<(usize, LinkProblem)>,
    /// Sites linked with `@/` (sorted): a change there can change this page.
    pub linked_sites: Vec<crate::config::SiteKey>,
    /// Every link and image with its place in the source, for the link check.
    pub links: Vec<links::LinkRecord>,
}

/// Renders `source`, resolving its links in `ctx`.
pub fn render(source: &str, ctx: &LinkContext) -> Rendered {
    let mut events: Vec<(Event, Range<usize>)> = Parser::new_ext(source, options())
        .into_offset_iter()
        .collect();
    let links::Rewritten {
        mut problems,
        sites,
        links,
    } = links::rewrite(&mut events, ctx);
    let text_ranges: Vec<Range<usize>> = events
        .iter()
        .filter(|(e, _)| matches!(e, Event::Text(_)))
        .map(|(_, r)| r.clone())
        .collect();
    problems.extend(links::spaced_targets(source, &text_ranges));
    headings::assign_ids(&mut events);
    let summary = first_paragraph(&events);
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(
        &mut out,
        highlight::highlight(events.into_iter().map(|(e, _)| e)),
    );
    Rendered {
        html: out,
        summary,
        problems,
        linked_sites: sites,
        links,
    }
}

/// Plain text of the first paragraph, cut at [`SUMMARY_CHARS`] characters.
fn first_paragraph(events: &[(Event, Range<usize>)]) -> String {
    let mut text = String::new();
    let mut inside = false;
    for (event, _) in events {
        match event {
            Event::Start(Tag::Paragraph) => inside = true,
            Event::End(TagEnd::Paragraph) if inside => break,
            Event::Text(t) | Event::Code(t) if inside => text.push_str(t),
            Event::SoftBreak | Event::HardBreak if inside => text.push(' '),
            _ => {}
        }
    }
    cut(text.trim(), SUMMARY_CHARS)
}

/// Cuts `text` at `max` characters, marking the cut with `…`.
pub fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", text[..i].trim_end()),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(src: &str) -> Rendered {
        render(src, &LinkContext::detached())
    }

    #[test]
    fn extensions_are_on() {
        let r = md(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~删除~~ 脚注[^1]\n\n- [x] 完成\n\n[^1]: 注释\n",
        );
        assert!(r.html.contains("<table>"), "{}", r.html);
        assert!(r.html.contains("<del>删除</del>"));
        assert!(r.html.contains("footnote-definition"));
        assert!(r.html.contains("type=\"checkbox\""));
    }

    #[test]
    fn summary_is_the_first_paragraph_cut() {
        let long = "字".repeat(200);
        let r = md(&format!("# 标题\n\n{long}\n\n第二段"));
        assert_eq!(r.summary.chars().count(), SUMMARY_CHARS + 1);
        assert!(r.summary.ends_with('…'));
        assert_eq!(md("第一段\n继续\n\n第二段").summary, "第一段 继续");
    }
}
