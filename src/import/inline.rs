//! A paragraph's inline content: runs with the formatting a page keeps (bold, italic,
//! strikethrough, superscript, subscript), breaks, links (elements and `HYPERLINK`
//! fields), note references, and the drawings handed to `drawing.rs`. Deleted text of
//! tracked changes is dropped, inserted text kept; hidden text stays hidden.

use super::model::{Format, Inline, Lost};
use super::read::Reader;
use super::styles;
use super::xml::{Element, Ns};

/// An open complex field (`w:fldChar` begin … separate … end).
#[derive(Debug, Clone, Default)]
pub struct Field {
    /// Its instruction (`HYPERLINK "https://…"`, `PAGE`, `TOC \o`).
    instr: String,
    /// Past `separate`: what follows is the field's shown result.
    separated: bool,
    /// Where its result starts in the paragraph's inlines.
    start: usize,
    /// The paragraph it was opened in.
    paragraph: usize,
}

/// Bold and italic a paragraph's style gives all its text.
pub type ParagraphEmphasis = (Option<bool>, Option<bool>);

impl Reader<'_, '_> {
    /// The inline content of paragraph `p`.
    pub fn inlines(&mut self, p: &Element, emphasis: ParagraphEmphasis) -> Vec<Inline> {
        self.paragraph_serial += 1;
        let mut out = Vec::new();
        self.inline_children(p, emphasis, &mut out);
        out
    }

    fn inline_children(
        &mut self,
        parent: &Element,
        emphasis: ParagraphEmphasis,
        out: &mut Vec<Inline>,
    ) {
        for e in parent.elements() {
            self.inline(e, emphasis, out);
        }
    }

    fn inline(&mut self, e: &Element, emphasis: ParagraphEmphasis, out: &mut Vec<Inline>) {
        match (e.ns, e.name.as_str()) {
            (Ns::W, "r") => self.run(e, emphasis, out),
            (Ns::W, "hyperlink") => self.hyperlink(e, emphasis, out),
            (Ns::W, "ins" | "moveTo") => {
                self.count(Lost::Revision, 1);
                self.inline_children(e, emphasis, out);
            }
            (Ns::W, "del" | "moveFrom") => self.count(Lost::Revision, 1),
            (Ns::W, "smartTag" | "customXml" | "bdo" | "dir") => {
                self.inline_children(e, emphasis, out)
            }
            (Ns::W, "sdt") => {
                if let Some(content) = e.child(Ns::W, "sdtContent") {
                    self.inline_children(content, emphasis, out);
                }
            }
            (Ns::W, "fldSimple") => self.simple_field(e, emphasis, out),
            (Ns::M, "oMath" | "oMathPara") => self.count(Lost::Equation, 1),
            (Ns::Mc, "AlternateContent") => {
                if let Some(choice) = chosen(e) {
                    self.inline_children(choice, emphasis, out);
                }
            }
            _ => {}
        }
    }

    fn run(&mut self, r: &Element, emphasis: ParagraphEmphasis, out: &mut Vec<Inline>) {
        let rpr = r.child(Ns::W, "rPr");
        if rpr.and_then(|p| styles::toggle(p, "vanish")) == Some(true) {
            return;
        }
        let format = self.format(rpr, emphasis);
        for c in r.elements() {
            self.run_child(c, format, out);
        }
    }

    fn run_child(&mut self, c: &Element, format: Format, out: &mut Vec<Inline>) {
        match (c.ns, c.name.as_str()) {
            (Ns::W, "t") if self.fields.last().is_none_or(|f| f.separated) => {
                push_text(out, &c.text(), format)
            }
            (Ns::W, "tab" | "ptab") => push_text(out, " ", format),
            (Ns::W, "noBreakHyphen") => push_text(out, "-", format),
            (Ns::W, "br") if !matches!(c.attr(Ns::W, "type"), Some("page" | "column")) => {
                out.push(Inline::Break)
            }
            (Ns::W, "cr") => out.push(Inline::Break),
            (Ns::W, "drawing") => self.drawing(c, out),
            (Ns::W, "pict") => self.vml(c, out),
            (Ns::W, "object") => self.count(Lost::Object, 1),
            (Ns::W, "footnoteReference") => self.reference("footnotes", c, out),
            (Ns::W, "endnoteReference") => self.reference("endnotes", c, out),
            (Ns::W, "fldChar") => self.field_char(c, out),
            (Ns::W, "instrText") => {
                if let Some(field) = self.fields.last_mut() {
                    field.instr.push_str(&c.text());
                }
            }
            (Ns::W, "ruby") => {
                let base = c
                    .child(Ns::W, "rubyBase")
                    .map(Element::text)
                    .unwrap_or_default();
                push_text(out, &base, format);
            }
            (Ns::M, "oMath" | "oMathPara") => self.count(Lost::Equation, 1),
            (Ns::Mc, "AlternateContent") => {
                for inner in chosen(c).iter().flat_map(|x| x.elements()) {
                    self.run_child(inner, format, out);
                }
            }
            _ => {}
        }
    }

    /// The formatting of a run: its own properties, then its character style's, then its
    /// paragraph style's.
    fn format(&self, rpr: Option<&Element>, (para_bold, para_italic): ParagraphEmphasis) -> Format {
        let style = rpr
            .and_then(|p| p.child(Ns::W, "rStyle"))
            .and_then(Element::val);
        let (style_bold, style_italic) = self.styles.emphasis(style);
        let own = |name: &str| rpr.and_then(|p| styles::toggle(p, name));
        let align = rpr
            .and_then(|p| p.child(Ns::W, "vertAlign"))
            .and_then(Element::val);
        Format {
            bold: own("b").or(style_bold).or(para_bold).unwrap_or(false),
            italic: own("i").or(style_italic).or(para_italic).unwrap_or(false),
            strike: own("strike").unwrap_or(false) || own("dstrike").unwrap_or(false),
            superscript: align == Some("superscript"),
            subscript: align == Some("subscript"),
        }
    }

    fn reference(&mut self, kind: &'static str, c: &Element, out: &mut Vec<Inline>) {
        if let Some(n) = c.attr(Ns::W, "id").and_then(|id| self.note(kind, id)) {
            out.push(Inline::Note(n));
        }
    }

    fn hyperlink(&mut self, e: &Element, emphasis: ParagraphEmphasis, out: &mut Vec<Inline>) {
        let mut inner = Vec::new();
        self.inline_children(e, emphasis, &mut inner);
        let rel = e.attr(Ns::R, "id").and_then(|id| self.rels.get(id));
        match rel.filter(|r| r.external).map(|r| r.target.clone()) {
            Some(url) => self.link(url, inner, out),
            None => {
                if e.attr(Ns::W, "anchor").is_some() {
                    self.count(Lost::InternalLink, 1);
                }
                out.extend(inner);
            }
        }
    }

    /// A link to `url` around `inner`; a link with a scheme that runs code keeps only its
    /// text.
    fn link(&mut self, url: String, inner: Vec<Inline>, out: &mut Vec<Inline>) {
        let url = url.trim().to_string();
        if url.is_empty() || crate::urls::unsafe_scheme(&url).is_some() {
            out.extend(inner);
        } else {
            out.push(Inline::Link(url, inner));
        }
    }

    fn simple_field(&mut self, e: &Element, emphasis: ParagraphEmphasis, out: &mut Vec<Inline>) {
        let mut inner = Vec::new();
        self.inline_children(e, emphasis, &mut inner);
        match hyperlink_target(e.attr(Ns::W, "instr").unwrap_or_default()) {
            Some(Target::Web(url)) => self.link(url, inner, out),
            Some(Target::Bookmark) => {
                self.count(Lost::InternalLink, 1);
                out.extend(inner);
            }
            None => out.extend(inner),
        }
    }

    fn field_char(&mut self, c: &Element, out: &mut Vec<Inline>) {
        match c.attr(Ns::W, "fldCharType") {
            Some("begin") => self.fields.push(Field {
                paragraph: self.paragraph_serial,
                ..Field::default()
            }),
            Some("separate") => {
                if let Some(field) = self.fields.last_mut() {
                    field.separated = true;
                    field.start = out.len();
                }
            }
            Some("end") => {
                let Some(field) = self.fields.pop() else {
                    return;
                };
                let here = field.paragraph == self.paragraph_serial && field.start <= out.len();
                match hyperlink_target(&field.instr) {
                    Some(Target::Web(url)) if here && field.separated => {
                        let inner = out.split_off(field.start);
                        self.link(url, inner, out);
                    }
                    Some(Target::Bookmark) => self.count(Lost::InternalLink, 1),
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// Where a `HYPERLINK` field points.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A web address.
    Web(String),
    /// A bookmark in the document (`\l`).
    Bookmark,
}

/// The target of a field instruction `HYPERLINK "url"` or `HYPERLINK \l "bookmark"`;
/// `None` for other fields.
fn hyperlink_target(instr: &str) -> Option<Target> {
    let rest = instr.trim().strip_prefix("HYPERLINK")?;
    let mut bookmark = false;
    for (i, word) in rest.split('"').enumerate() {
        if i % 2 == 0 {
            bookmark |= word.split_whitespace().any(|w| w == "\\l");
            continue;
        }
        if bookmark {
            return Some(Target::Bookmark);
        }
        return Some(Target::Web(word.to_string()));
    }
    bookmark.then_some(Target::Bookmark)
}

/// The branch of `mc:AlternateContent` to read: the first choice (Word's own content),
/// else the fallback.
pub fn chosen(e: &Element) -> Option<&Element> {
    e.child(Ns::Mc, "Choice")
        .or_else(|| e.child(Ns::Mc, "Fallback"))
}

/// Appends text, joining it to the previous text of the same formatting.
fn push_text(out: &mut Vec<Inline>, text: &str, format: Format) {
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text(last, f)) = out.last_mut()
        && *f == format
    {
        last.push_str(text);
        return;
    }
    out.push(Inline::Text(text.to_string(), format));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyperlink_fields_are_told_from_bookmarks_and_other_fields() {
        assert_eq!(
            hyperlink_target(" HYPERLINK \"https://edu.cn/a\" "),
            Some(Target::Web("https://edu.cn/a".into()))
        );
        assert_eq!(
            hyperlink_target("HYPERLINK \\l \"_Toc1\""),
            Some(Target::Bookmark)
        );
        assert_eq!(hyperlink_target("PAGE"), None);
    }
}
