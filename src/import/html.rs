//! HTML pasted from Word, WPS, WeChat or a web page, as the importer's blocks and then the
//! importer's Markdown (`write.rs`): one converter for Word files and pasted text, so a fix
//! helps both. The HTML is parsed by html5ever as a browser would; what a page keeps —
//! headings, paragraphs (a right-aligned 落款 too), bold, italic, strikethrough, links,
//! lists (Word's typed numbering kept: `1.` stays numbered, `（1）` stays as written),
//! tables (merged cells as an HTML table) and pictures — is carried over; scripts, styles
//! and Word's markers are left out. Pictures pasted inside the HTML as `data:` are decoded
//! and go through the photo pipeline; pictures the browser cannot hand over (a web page's,
//! WeChat's `data-src`, Word's `file:///` temporary files) are listed, never dropped
//! silently.

use html5ever::tendril::TendrilSink;
use markup5ever_rcdom::{Handle, NodeData, RcDom};

use super::model::{Block, Cell, Format, Inline, ListItem, Merge, Paragraph, Picture, Table};
use super::styles::Role;

/// A pasted text.
#[derive(Debug, Default)]
pub struct Pasted {
    /// The Markdown; picture `n` is written as `PASTED_PICTURE(n)` until stored.
    pub markdown: String,
    /// Pictures that came inside the HTML, ready to store.
    pub pictures: Vec<Picture>,
    /// Pictures that could not come, by where they were.
    pub missing: Vec<Missing>,
}

/// A picture of the pasted text that did not come with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// On a web page (or WeChat): the site is read on closed networks and never loads other
    /// hosts' pictures; its address's last part.
    Web(String),
    /// A file of this computer (Word's temporary copy), which a browser may not read.
    Local(String),
    /// Not a picture the page can show (or too large).
    Refused(String),
}

/// The name picture `n` has in [`Pasted::markdown`] until the editor stores it.
pub fn placeholder(n: usize) -> String {
    format!("zhanqun-pasted-picture-{n}.png")
}

/// Converts pasted `html`; pictures are scaled down unless `keep_size`.
pub fn convert(html: &str, keep_size: bool) -> Pasted {
    let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(html);
    let mut walker = Walker {
        keep_size,
        pictures: Vec::new(),
        missing: Vec::new(),
    };
    let mut blocks = Vec::new();
    walker.blocks(&dom.document, 0, &mut blocks);
    let names: Vec<Picture> = (0..walker.pictures.len())
        .map(|n| Picture {
            name: placeholder(n),
            bytes: Vec::new(),
        })
        .collect();
    let written = super::write::markdown(&blocks, &[], &names);
    Pasted {
        markdown: written.text,
        pictures: walker.pictures,
        missing: walker.missing,
    }
}

struct Walker {
    keep_size: bool,
    pictures: Vec<Picture>,
    missing: Vec<Missing>,
}

/// Elements whose content is never shown.
const HIDDEN: &[&str] = &[
    "script", "style", "head", "title", "meta", "link", "template", "noscript", "xml",
];
/// Elements that hold blocks.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "table",
    "blockquote",
    "section",
    "article",
    "header",
    "footer",
    "center",
    "pre",
    "body",
    "html",
    "main",
];

fn tag(node: &Handle) -> Option<String> {
    match &node.data {
        NodeData::Element { name, .. } => Some(name.local.to_string()),
        _ => None,
    }
}

fn attr(node: &Handle, name: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == name)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

/// The value of CSS property `name` in the node's `style`, lower case.
fn style(node: &Handle, name: &str) -> String {
    let css = attr(node, "style").unwrap_or_default().to_ascii_lowercase();
    css.split(';')
        .filter_map(|d| d.split_once(':'))
        .find(|(k, _)| k.trim() == name)
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default()
}

fn hidden(node: &Handle) -> bool {
    let name = tag(node).unwrap_or_default();
    HIDDEN.contains(&name.as_str())
        || name.contains(':')
        || style(node, "display") == "none"
        || style(node, "mso-list") == "ignore"
}

fn holds_blocks(node: &Handle) -> bool {
    node.children
        .borrow()
        .iter()
        .any(|c| tag(c).is_some_and(|t| BLOCKS.contains(&t.as_str()) || t == "img") && !hidden(c))
}

impl Walker {
    /// The blocks of `node`'s children; `level` is the list nesting.
    fn blocks(&mut self, node: &Handle, level: u8, out: &mut Vec<Block>) {
        let mut loose: Vec<Inline> = Vec::new();
        for child in node.children.borrow().iter() {
            if hidden(child) {
                continue;
            }
            let name = tag(child).unwrap_or_default();
            let block = BLOCKS.contains(&name.as_str());
            if !block {
                self.inlines(child, Format::default(), &mut loose);
                continue;
            }
            self.flush(&mut loose, None, out);
            match name.as_str() {
                "ul" | "ol" => self.list(child, name == "ol", level, out),
                "table" => out.push(Block::Table(self.table(child))),
                _ if holds_blocks(child) => self.blocks(child, level, out),
                _ => self.paragraph(child, &name, out),
            }
        }
        self.flush(&mut loose, None, out);
    }

    /// Inline content outside any paragraph, as a paragraph of its own.
    fn flush(&mut self, loose: &mut Vec<Inline>, list: Option<ListItem>, out: &mut Vec<Block>) {
        if loose.iter().all(blank) {
            loose.clear();
            return;
        }
        out.push(Block::Paragraph(Paragraph {
            role: Role::Body,
            list,
            centered: false,
            right: false,
            inlines: std::mem::take(loose),
        }));
    }

    fn paragraph(&mut self, node: &Handle, name: &str, out: &mut Vec<Block>) {
        let mut inlines = Vec::new();
        self.inlines(node, Format::default(), &mut inlines);
        let role = match name.strip_prefix('h').and_then(|n| n.parse::<u8>().ok()) {
            Some(level) => Role::Heading(level),
            None => Role::Body,
        };
        let align = style(node, "text-align");
        let align = if align.is_empty() {
            attr(node, "align").unwrap_or_default().to_ascii_lowercase()
        } else {
            align
        };
        let list = word_list(node, &mut inlines);
        if inlines.iter().all(blank) {
            return;
        }
        out.push(Block::Paragraph(Paragraph {
            role,
            list,
            centered: align == "center",
            right: align == "right",
            inlines,
        }));
    }

    fn list(&mut self, node: &Handle, ordered: bool, level: u8, out: &mut Vec<Block>) {
        let mut number = attr(node, "start")
            .and_then(|s| s.parse::<u32>().ok())
            .unwrap_or(1);
        for item in node.children.borrow().iter() {
            if tag(item).as_deref() != Some("li") || hidden(item) {
                continue;
            }
            let place = ListItem {
                ordered,
                level,
                number,
            };
            number += 1;
            let mut own = Vec::new();
            let mut nested = Vec::new();
            for child in item.children.borrow().iter() {
                match tag(child).as_deref() {
                    Some("ul") | Some("ol") => nested.push(child.clone()),
                    Some(t) if BLOCKS.contains(&t) && !hidden(child) => {
                        self.inlines(child, Format::default(), &mut own);
                        own.push(Inline::Break);
                    }
                    _ if !hidden(child) => self.inlines(child, Format::default(), &mut own),
                    _ => {}
                }
            }
            while matches!(own.last(), Some(Inline::Break)) {
                own.pop();
            }
            self.flush(&mut own, Some(place), out);
            for list in nested {
                let ordered = tag(&list).as_deref() == Some("ol");
                self.list(&list, ordered, level + 1, out);
            }
        }
    }
}

/// The place of a Word list paragraph (`mso-list: l0 level2 lfo1`) by its typed marker:
/// a bullet makes an item, `1.` a numbered one; any other numbering (`（1）`, `一、`) is
/// kept in the text as Word showed it.
fn word_list(node: &Handle, inlines: &mut Vec<Inline>) -> Option<ListItem> {
    let mso = style(node, "mso-list");
    let level = mso
        .split_whitespace()
        .find_map(|w| w.strip_prefix("level"))
        .and_then(|n| n.parse::<u8>().ok())?;
    let marker = marker_text(node);
    let marker = marker.trim_matches(|c: char| c.is_whitespace() || c == '\u{a0}');
    let level = level.saturating_sub(1);
    if marker.is_empty() || marker.chars().all(|c| "·•●○◦▪■□◆◇§Øüo-–*".contains(c))
    {
        return Some(ListItem {
            ordered: false,
            level,
            number: 1,
        });
    }
    let digits = marker.trim_end_matches(['.', ')', '、']);
    if let Ok(number) = digits.parse::<u32>()
        && digits.len() < marker.len()
    {
        return Some(ListItem {
            ordered: true,
            level,
            number,
        });
    }
    inlines.insert(0, Inline::Text(marker.to_string(), Format::default()));
    None
}

/// The text of the `mso-list: Ignore` span that holds a Word list item's typed marker.
fn marker_text(node: &Handle) -> String {
    for child in node.children.borrow().iter() {
        if style(child, "mso-list") == "ignore" {
            return text_of(child);
        }
        let inner = marker_text(child);
        if !inner.is_empty() {
            return inner;
        }
    }
    String::new()
}

fn text_of(node: &Handle) -> String {
    match &node.data {
        NodeData::Text { contents } => contents.borrow().to_string(),
        _ => node.children.borrow().iter().map(text_of).collect(),
    }
}

fn blank(inline: &Inline) -> bool {
    match inline {
        Inline::Text(t, _) => t.trim_matches(|c: char| c.is_whitespace()).is_empty(),
        Inline::Break => true,
        _ => false,
    }
}

impl Walker {
    /// The inline content of `node` with the formatting around it.
    fn inlines(&mut self, node: &Handle, format: Format, out: &mut Vec<Inline>) {
        if let NodeData::Text { contents } = &node.data {
            let text = contents.borrow().replace(['\n', '\r', '\t'], " ");
            out.push(Inline::Text(text, format));
            return;
        }
        if hidden(node) {
            return;
        }
        let name = tag(node).unwrap_or_default();
        match name.as_str() {
            "br" => return out.push(Inline::Break),
            "img" => return self.picture(node, out),
            "a" => return self.link(node, format, out),
            _ => {}
        }
        let format = formatted(node, &name, format);
        for child in node.children.borrow().iter() {
            self.inlines(child, format, out);
        }
    }

    fn link(&mut self, node: &Handle, format: Format, out: &mut Vec<Inline>) {
        let mut inner = Vec::new();
        for child in node.children.borrow().iter() {
            self.inlines(child, format, &mut inner);
        }
        match attr(node, "href").filter(|h| {
            let lower = h.trim().to_ascii_lowercase();
            lower.starts_with("http://")
                || lower.starts_with("https://")
                || lower.starts_with("mailto:")
        }) {
            Some(href) => out.push(Inline::Link(href.trim().to_string(), inner)),
            None => out.extend(inner),
        }
    }

    /// A picture: stored when its bytes came with the text (`data:`), else listed.
    fn picture(&mut self, node: &Handle, out: &mut Vec<Inline>) {
        let alt = attr(node, "alt").filter(|a| !a.trim().is_empty());
        // WeChat keeps the real address in `data-src` and a placeholder in `src`.
        let src = attr(node, "data-src")
            .or_else(|| attr(node, "src"))
            .unwrap_or_default();
        let lower = src.trim().to_ascii_lowercase();
        let shown = alt.clone().unwrap_or_else(|| last_part(&src));
        if lower.starts_with("file:") || lower.starts_with("blob:") || lower.starts_with("cid:") {
            return self.missing.push(Missing::Local(shown));
        }
        if !lower.starts_with("data:") {
            return self.missing.push(Missing::Web(shown));
        }
        let Some(bytes) = data_bytes(&src) else {
            return self.missing.push(Missing::Refused(shown));
        };
        match crate::photos::store(&bytes, self.keep_size) {
            Ok(stored) => {
                let index = self.pictures.len();
                self.pictures.push(Picture {
                    name: format!("粘贴的图片.{}", stored.extension),
                    bytes: stored.bytes,
                });
                out.push(Inline::Picture(index, alt));
            }
            Err(_) => self.missing.push(Missing::Refused(shown)),
        }
    }

    /// A table; cells spanning rows or columns become the model's merged cells (written
    /// as an HTML table, so no column moves under another's heading).
    fn table(&mut self, node: &Handle) -> Table {
        let mut rows: Vec<Handle> = Vec::new();
        collect_rows(node, &mut rows);
        // Columns still covered by a cell above: (column, rows left, its span).
        let mut covered: Vec<(usize, usize, usize)> = Vec::new();
        let mut table = Table::default();
        for row in rows {
            let mut cells = Vec::new();
            let mut column = 0;
            let tds: Vec<Handle> = row
                .children
                .borrow()
                .iter()
                .filter(|c| matches!(tag(c).as_deref(), Some("td" | "th")))
                .cloned()
                .collect();
            let mut tds = tds.into_iter();
            loop {
                if let Some(i) = covered
                    .iter()
                    .position(|(c, left, _)| *c == column && *left > 0)
                {
                    let span = covered[i].2;
                    covered[i].1 -= 1;
                    cells.push(Cell {
                        blocks: Vec::new(),
                        span,
                        merge: Merge::Continue,
                    });
                    column += span;
                    continue;
                }
                let Some(td) = tds.next() else { break };
                let span = number(&td, "colspan");
                let down = number(&td, "rowspan");
                let mut blocks = Vec::new();
                self.blocks(&td, 0, &mut blocks);
                let merge = if down > 1 {
                    Merge::Restart
                } else {
                    Merge::None
                };
                if down > 1 {
                    covered.push((column, down - 1, span));
                }
                cells.push(Cell {
                    blocks,
                    span,
                    merge,
                });
                column += span;
            }
            covered.retain(|(_, left, _)| *left > 0);
            table.rows.push(cells);
        }
        table
    }
}

/// The rows of a table, inside its head, body and foot, not of tables nested in it.
fn collect_rows(node: &Handle, out: &mut Vec<Handle>) {
    for child in node.children.borrow().iter() {
        match tag(child).as_deref() {
            Some("tr") => out.push(child.clone()),
            Some("thead" | "tbody" | "tfoot") => collect_rows(child, out),
            _ => {}
        }
    }
}

/// `colspan` or `rowspan`, 1 when absent, at most 100.
fn number(node: &Handle, name: &str) -> usize {
    attr(node, name)
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 100)
}

/// The formatting inside element `name`.
fn formatted(node: &Handle, name: &str, mut format: Format) -> Format {
    let weight = style(node, "font-weight");
    format.bold |= matches!(name, "b" | "strong")
        || weight == "bold"
        || weight.parse::<u32>().is_ok_and(|w| w >= 600);
    format.italic |= matches!(name, "i" | "em") || style(node, "font-style") == "italic";
    format.strike |= matches!(name, "s" | "del" | "strike")
        || style(node, "text-decoration").contains("line-through");
    format.superscript |= name == "sup";
    format.subscript |= name == "sub";
    format
}

/// The bytes of a `data:` address in base64.
fn data_bytes(src: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let (head, data) = src.trim().split_once(',')?;
    if !head.to_ascii_lowercase().ends_with(";base64") {
        return None;
    }
    let data: String = data.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(data).ok()
}

/// The file name of an address, for a message.
fn last_part(src: &str) -> String {
    let path = src.split(['?', '#']).next().unwrap_or(src);
    let name = path
        .trim_end_matches('/')
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(path);
    crate::urls::decode_path(name).chars().take(60).collect()
}

#[cfg(test)]
#[path = "html_tests.rs"]
mod tests;
