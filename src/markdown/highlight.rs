//! Code highlighting with syntect as an event adapter: fenced code blocks become HTML with
//! CSS classes (`hl-*`), styled by one generated stylesheet per site.

use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(SyntaxSet::load_defaults_newlines);

/// The stylesheet for the classes [`highlight`] emits.
pub fn stylesheet() -> String {
    let themes = ThemeSet::load_defaults();
    let theme = &themes.themes["InspiredGitHub"];
    css_for_theme_with_class_style(theme, CLASS_STYLE).unwrap_or_default()
}

/// Replaces each fenced or indented code block with highlighted HTML.
pub fn highlight<'a>(events: impl Iterator<Item = Event<'a>>) -> impl Iterator<Item = Event<'a>> {
    let mut lang: Option<String> = None;
    let mut code = String::new();
    let mut in_block = false;
    events.filter_map(move |event| match event {
        Event::Start(Tag::CodeBlock(kind)) => {
            in_block = true;
            code.clear();
            lang = match kind {
                CodeBlockKind::Fenced(info) => info.split_whitespace().next().map(str::to_string),
                CodeBlockKind::Indented => None,
            };
            None
        }
        Event::Text(t) if in_block => {
            code.push_str(&t);
            None
        }
        Event::End(TagEnd::CodeBlock) => {
            in_block = false;
            Some(Event::Html(CowStr::from(block_html(
                lang.as_deref(),
                &code,
            ))))
        }
        other => Some(other),
    })
}

fn block_html(lang: Option<&str>, code: &str) -> String {
    let syntax = lang.and_then(|l| SYNTAXES.find_syntax_by_token(l));
    let mut out = String::new();
    match (lang, syntax) {
        (Some(l), Some(syntax)) => {
            let mut generator =
                ClassedHTMLGenerator::new_with_class_style(syntax, &SYNTAXES, CLASS_STYLE);
            for line in LinesWithEndings::from(code) {
                if generator
                    .parse_html_for_line_which_includes_newline(line)
                    .is_err()
                {
                    return plain(Some(l), code);
                }
            }
            out.push_str("<pre class=\"code\" data-lang=\"");
            let _ = escape_html(&mut out, l);
            out.push_str("\"><code>");
            out.push_str(&generator.finalize());
            out.push_str("</code></pre>\n");
            out
        }
        _ => plain(lang, code),
    }
}

fn plain(lang: Option<&str>, code: &str) -> String {
    let mut out = String::from("<pre class=\"code\"");
    if let Some(l) = lang {
        out.push_str(" data-lang=\"");
        let _ = escape_html(&mut out, l);
        out.push('"');
    }
    out.push_str("><code>");
    let _ = escape_html(&mut out, code);
    out.push_str("</code></pre>\n");
    out
}

#[cfg(test)]
mod tests {
    use crate::markdown::{LinkContext, render};

    #[test]
    fn known_languages_get_classes() {
        let html = render("```rust\nfn main() {}\n```\n", &LinkContext::detached()).html;
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("data-lang=\"rust\""));
    }

    #[test]
    fn unknown_languages_are_escaped_plainly() {
        let html = render("```nosuchlang\n<b>\n```\n", &LinkContext::detached()).html;
        assert!(html.contains("&lt;b&gt;"), "{html}");
    }

    #[test]
    fn the_stylesheet_uses_the_same_prefix() {
        assert!(super::stylesheet().contains(".hl-"));
    }
}
