//! A small element tree of one XML part, read with quick-xml's streaming namespace-aware
//! reader. Word's parts are a few megabytes at most, and a tree lets the converter read
//! them by structure (a paragraph, its properties, its runs) instead of by event states.
//! Elements are named by namespace *kind* and local name, so transitional and strict
//! OOXML (other namespace URIs, same structure) read the same. Depth and size are bounded:
//! a hostile part is refused, never followed into a stack overflow.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

/// The deepest nesting read; Word writes a few dozen levels.
const MAX_DEPTH: usize = 256;
/// The most elements and texts of one part: a 300-page document has a few hundred
/// thousand, and each takes about 170 bytes in the tree (1.5 million: ~250 MB at most).
const MAX_NODES: usize = 1_500_000;

/// The namespaces the converter tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ns {
    /// WordprocessingML (`w:`), transitional or strict.
    W,
    /// Relationships (`r:`), for attributes such as `r:id` and `r:embed`.
    R,
    /// DrawingML placement (`wp:`).
    Wp,
    /// DrawingML (`a:`).
    A,
    /// Pictures (`pic:`).
    Pic,
    /// Office Math (`m:`).
    M,
    /// Markup compatibility (`mc:`): alternative content.
    Mc,
    /// VML (`v:`), the old drawing format.
    V,
    /// Word 2010 shapes (`wps:`).
    Wps,
    /// Package relationships and content types.
    Package,
    /// Anything else.
    Other,
}

impl Ns {
    fn of(uri: &[u8]) -> Ns {
        let uri = std::str::from_utf8(uri).unwrap_or_default();
        let tail = |s: &str| uri.ends_with(s);
        match () {
            _ if tail("wordprocessingml/2006/main") || tail("ooxml/wordprocessingml/main") => Ns::W,
            _ if tail("officeDocument/2006/relationships")
                || tail("ooxml/officeDocument/relationships") =>
            {
                Ns::R
            }
            _ if tail("drawingml/2006/wordprocessingDrawing")
                || tail("drawingml/wordprocessingDrawing") =>
            {
                Ns::Wp
            }
            _ if tail("drawingml/2006/main") || tail("ooxml/drawingml/main") => Ns::A,
            _ if tail("drawingml/2006/picture") || tail("ooxml/drawingml/picture") => Ns::Pic,
            _ if tail("officeDocument/2006/math") || tail("ooxml/officeDocument/math") => Ns::M,
            _ if tail("markup-compatibility/2006") => Ns::Mc,
            _ if uri == "urn:schemas-microsoft-com:vml" => Ns::V,
            _ if tail("word/2010/wordprocessingShape") => Ns::Wps,
            _ if tail("package/2006/relationships") || tail("package/2006/content-types") => {
                Ns::Package
            }
            _ => Ns::Other,
        }
    }
}

/// One element: its namespace kind, local name, attributes and children.
#[derive(Debug, Clone)]
pub struct Element {
    /// Namespace kind.
    pub ns: Ns,
    /// Local name (`p` of `w:p`).
    pub name: String,
    /// Attributes as (namespace kind, local name, value); unprefixed ones are [`Ns::Other`].
    pub attrs: Vec<(Ns, String, String)>,
    /// Child elements and text, in order.
    pub children: Vec<Node>,
}

/// A child of an element.
#[derive(Debug, Clone)]
pub enum Node {
    /// An element.
    Element(Element),
    /// Character data.
    Text(String),
}

/// Why a part could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlError {
    /// Not well-formed, with the parser's words and the byte offset.
    Malformed(String, u64),
    /// Deeper or larger than any document Word writes.
    TooComplex,
}

impl Element {
    /// True when this is `ns:name`.
    pub fn is(&self, ns: Ns, name: &str) -> bool {
        self.ns == ns && self.name == name
    }

    /// The value of attribute `name` in namespace `ns` (Word writes `w:val`, `r:id` …).
    pub fn attr(&self, ns: Ns, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, k, _)| *n == ns && k == name)
            .map(|(_, _, v)| v.as_str())
    }

    /// `w:val` of this element.
    pub fn val(&self) -> Option<&str> {
        self.attr(Ns::W, "val")
    }

    /// The child elements.
    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|c| match c {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element `ns:name`.
    pub fn child(&self, ns: Ns, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.is(ns, name))
    }

    /// Every descendant `ns:name`, depth first, not looking inside a match.
    pub fn find_all<'a>(&'a self, ns: Ns, name: &str, out: &mut Vec<&'a Element>) {
        for e in self.elements() {
            if e.is(ns, name) {
                out.push(e);
            } else {
                e.find_all(ns, name, out);
            }
        }
    }

    /// The first descendant `ns:name`.
    pub fn find(&self, ns: Ns, name: &str) -> Option<&Element> {
        let mut found = Vec::new();
        self.find_all(ns, name, &mut found);
        found.into_iter().next()
    }

    /// The text of every descendant text node.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for c in &self.children {
            match c {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => out.push_str(&e.text()),
            }
        }
        out
    }
}

/// Reads `bytes` (UTF-8, with or without a byte order mark) into its root element.
pub fn parse(bytes: &[u8]) -> Result<Element, XmlError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = NsReader::from_reader(bytes);
    let mut stack: Vec<Element> = vec![element(Ns::Other, String::new(), Vec::new())];
    let mut nodes = 0usize;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let position = reader.buffer_position();
        let malformed = |detail: String| XmlError::Malformed(detail, position);
        let (ns, event) = reader
            .read_resolved_event_into(&mut buf)
            .map_err(|e| malformed(e.to_string()))?;
        let ns = ns_of(&ns);
        nodes += usize::from(!matches!(event, Event::End(_)));
        if nodes > MAX_NODES || stack.len() > MAX_DEPTH {
            return Err(XmlError::TooComplex);
        }
        let node = match event {
            Event::Start(ref e) => {
                stack.push(start(&reader, ns, e));
                continue;
            }
            Event::Empty(ref e) => Node::Element(start(&reader, ns, e)),
            Event::End(_) if stack.len() > 1 => Node::Element(
                stack
                    .pop()
                    .unwrap_or_else(|| element(Ns::Other, String::new(), Vec::new())),
            ),
            Event::End(_) => return Err(malformed("unexpected end tag".into())),
            Event::Text(t) => {
                let text = t.xml10_content().map_err(|e| malformed(e.to_string()))?;
                Node::Text(text.into_owned())
            }
            Event::CData(t) => Node::Text(String::from_utf8_lossy(&t).into_owned()),
            Event::GeneralRef(r) => {
                Node::Text(reference(&r).ok_or_else(|| malformed("unknown entity".into()))?)
            }
            Event::Eof => break,
            _ => continue,
        };
        if let Some(parent) = stack.last_mut() {
            parent.children.push(node);
        }
    }
    let end = bytes.len() as u64;
    let document = match stack.pop() {
        Some(document) if stack.is_empty() => document,
        _ => return Err(XmlError::Malformed("unclosed element".into(), end)),
    };
    document
        .children
        .into_iter()
        .find_map(|c| match c {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
        .ok_or_else(|| XmlError::Malformed("no root element".into(), 0))
}

fn element(ns: Ns, name: String, attrs: Vec<(Ns, String, String)>) -> Element {
    Element {
        ns,
        name,
        attrs,
        children: Vec::new(),
    }
}

fn ns_of(resolved: &ResolveResult) -> Ns {
    match resolved {
        ResolveResult::Bound(uri) => Ns::of(uri.as_ref()),
        _ => Ns::Other,
    }
}

/// The element of a start tag, with its attributes' namespaces resolved; attributes
/// that cannot be read are left out (Word never writes them).
fn start(reader: &NsReader<&[u8]>, ns: Ns, e: &quick_xml::events::BytesStart) -> Element {
    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
    let attrs = e
        .attributes()
        .filter_map(Result::ok)
        .filter_map(|a| {
            let (resolved, local) = reader.resolver().resolve_attribute(a.key);
            let value = a
                .decoded_and_normalized_value(quick_xml::XmlVersion::Implicit1_0, reader.decoder())
                .ok()?
                .into_owned();
            let local = String::from_utf8_lossy(local.as_ref()).into_owned();
            Some((ns_of(&resolved), local, value))
        })
        .collect();
    element(ns, name, attrs)
}

/// The text of `&amp;`, `&#x4E2D;` and the other predefined references.
fn reference(r: &quick_xml::events::BytesRef) -> Option<String> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c.to_string());
    }
    let name = r.decode().ok()?;
    quick_xml::escape::resolve_predefined_entity(&name).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_elements_attributes_and_text_by_namespace() {
        let xml = r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body><w:p><w:r><w:t xml:space="preserve">A &amp; B&#x4E2D;</w:t></w:r><w:hyperlink r:id="rId1"/></w:p></w:body></w:document>"#;
        let root = parse(xml.as_bytes()).unwrap();
        assert!(root.is(Ns::W, "document"));
        let p = root.find(Ns::W, "p").unwrap();
        assert_eq!(p.text(), "A & B中");
        assert_eq!(
            p.find(Ns::W, "hyperlink").unwrap().attr(Ns::R, "id"),
            Some("rId1")
        );
    }

    #[test]
    fn strict_namespaces_read_as_transitional_ones() {
        let xml = r#"<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body/></w:document>"#;
        assert!(parse(xml.as_bytes()).unwrap().is(Ns::W, "document"));
    }

    #[test]
    fn hostile_parts_are_refused_not_followed() {
        let deep = "<a>".repeat(100_000) + &"</a>".repeat(100_000);
        assert_eq!(parse(deep.as_bytes()).unwrap_err(), XmlError::TooComplex);
        assert!(matches!(parse(b"<a><b></a>"), Err(XmlError::Malformed(..))));
        assert!(matches!(parse(b"<a>"), Err(XmlError::Malformed(..))));
        assert!(matches!(
            parse(b"<!DOCTYPE a [<!ENTITY x 'y'>]><a>&x;</a>"),
            Err(XmlError::Malformed(..))
        ));
        assert!(matches!(parse(b""), Err(XmlError::Malformed(..))));
    }
}
