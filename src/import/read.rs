//! From the document's XML to [`Block`]s: paragraphs with their role and list place,
//! tables with merged cells, text boxes after the paragraph that holds them, notes read
//! where they are referenced. Inline content is read in `inline.rs`, drawings in
//! `drawing.rs`.

use std::collections::{BTreeMap, HashMap};

use super::Refusal;
use super::model::{Block, Cell, ListItem, Lost, Merge, Paragraph, Picture, Table};
use super::package::{Package, Rels};
use super::styles::{self, Numbering, Role, Styles};
use super::xml::{Element, Ns};

/// A note (footnote or endnote) as the page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// Its content.
    pub blocks: Vec<Block>,
}

/// Reading state over the whole document.
pub struct Reader<'p, 'a> {
    /// The package, for pictures.
    pub package: &'p mut Package<'a>,
    /// The relationships of the part being read.
    pub rels: Rels,
    pub(super) styles: Styles,
    numbering: Numbering,
    /// Counters of each list (by numbering id), per level.
    counters: HashMap<String, [u32; 9]>,
    /// Pictures taken out, in order of first use.
    pub pictures: Vec<Picture>,
    /// Picture index by part name, so a picture used twice is one file.
    pub picture_at: HashMap<String, usize>,
    /// Keep pictures at their size (else scaled down to the web's width).
    pub keep_size: bool,
    /// What could not be carried over, counted.
    pub lost: BTreeMap<Lost, usize>,
    /// Footnotes and endnotes by (kind, id), with the rels of their part.
    note_sources: HashMap<(&'static str, String), Element>,
    note_rels: HashMap<&'static str, Rels>,
    /// Notes in order of first reference.
    pub notes: Vec<Note>,
    note_numbers: HashMap<(&'static str, String), usize>,
    /// Text boxes met in the paragraph being read: they follow it.
    pub boxes: Vec<Block>,
    /// Open complex fields (`w:fldChar`), innermost last.
    pub fields: Vec<super::inline::Field>,
    /// Counts paragraphs, so a field is only made a link within the paragraph it began in.
    pub paragraph_serial: usize,
}

impl<'p, 'a> Reader<'p, 'a> {
    /// A reader of the main part `main` of `package`, with its styles, lists and notes.
    pub fn new(package: &'p mut Package<'a>, main: &str) -> Result<Reader<'p, 'a>, Refusal> {
        let rels = package.rels(main)?;
        let styles = Styles::read(package.related(&rels, "styles")?.as_ref());
        let numbering = Numbering::read(package.related(&rels, "numbering")?.as_ref());
        let mut reader = Reader {
            package,
            rels,
            styles,
            numbering,
            counters: HashMap::new(),
            pictures: Vec::new(),
            picture_at: HashMap::new(),
            keep_size: false,
            lost: BTreeMap::new(),
            note_sources: HashMap::new(),
            note_rels: HashMap::new(),
            notes: Vec::new(),
            note_numbers: HashMap::new(),
            boxes: Vec::new(),
            fields: Vec::new(),
            paragraph_serial: 0,
        };
        reader.load_notes("footnotes", "footnote")?;
        reader.load_notes("endnotes", "endnote")?;
        if let Some(comments) = reader.package.related(&reader.rels.clone(), "comments")? {
            let n = comments
                .elements()
                .filter(|c| c.is(Ns::W, "comment"))
                .count();
            reader.count(Lost::Comment, n);
        }
        Ok(reader)
    }

    fn load_notes(&mut self, kind: &'static str, element: &str) -> Result<(), Refusal> {
        let target = self
            .rels
            .values()
            .find(|r| r.kind == kind && !r.external)
            .map(|r| r.target.clone());
        let Some(target) = target else {
            return Ok(());
        };
        let Some(root) = self.package.xml(&target)? else {
            return Ok(());
        };
        self.note_rels.insert(kind, self.package.rels(&target)?);
        for note in root.elements().filter(|e| e.is(Ns::W, element)) {
            // Separators are Word's lines above the notes, not notes.
            let special = note.attr(Ns::W, "type").is_some_and(|t| t != "normal");
            if let (false, Some(id)) = (special, note.attr(Ns::W, "id")) {
                self.note_sources
                    .insert((kind, id.to_string()), note.clone());
            }
        }
        Ok(())
    }

    /// Counts `n` things of kind `lost` that the page will not have.
    pub fn count(&mut self, lost: Lost, n: usize) {
        if n > 0 {
            *self.lost.entry(lost).or_default() += n;
        }
    }

    /// The number of the note `id` of `kind` (`footnotes`/`endnotes`), reading it the
    /// first time it is referenced; `None` for a note the document does not hold.
    pub fn note(&mut self, kind: &'static str, id: &str) -> Option<usize> {
        let key = (kind, id.to_string());
        if let Some(&n) = self.note_numbers.get(&key) {
            return Some(n);
        }
        let source = self.note_sources.remove(&key)?;
        let number = self.notes.len() + 1;
        self.note_numbers.insert(key, number);
        self.notes.push(Note { blocks: Vec::new() });
        let rels = self.note_rels.get(kind).cloned().unwrap_or_default();
        // The note is read in the middle of a paragraph: its state is put aside meanwhile.
        let rels = std::mem::replace(&mut self.rels, rels);
        let boxes = std::mem::take(&mut self.boxes);
        let fields = std::mem::take(&mut self.fields);
        let serial = self.paragraph_serial;
        let blocks = self.blocks(&source);
        (self.rels, self.boxes, self.fields, self.paragraph_serial) = (rels, boxes, fields, serial);
        self.notes[number - 1].blocks = blocks;
        Some(number)
    }

    /// The blocks of a container: the body, a cell, a text box, a note.
    pub fn blocks(&mut self, container: &Element) -> Vec<Block> {
        let mut out = Vec::new();
        for e in container.elements() {
            match (e.ns, e.name.as_str()) {
                (Ns::W, "p") => {
                    let paragraph = self.paragraph(e);
                    out.extend(paragraph.map(Block::Paragraph));
                    out.append(&mut self.boxes);
                }
                (Ns::W, "tbl") => out.push(Block::Table(self.table(e))),
                (Ns::W, "sdt") => out.extend(
                    e.child(Ns::W, "sdtContent")
                        .map(|c| self.blocks(c))
                        .unwrap_or_default(),
                ),
                (Ns::W, "customXml" | "ins" | "moveTo") => out.extend(self.blocks(e)),
                (Ns::W, "del" | "moveFrom") => self.count(Lost::Revision, 1),
                (Ns::W, "altChunk") => self.count(Lost::Object, 1),
                (Ns::Mc, "AlternateContent") => {
                    let chosen = e
                        .child(Ns::Mc, "Choice")
                        .or_else(|| e.child(Ns::Mc, "Fallback"));
                    out.extend(chosen.map(|c| self.blocks(c)).unwrap_or_default());
                }
                _ => {}
            }
        }
        out
    }

    /// A paragraph; `None` for a table of contents line (counted as lost).
    fn paragraph(&mut self, p: &Element) -> Option<Paragraph> {
        let ppr = p.child(Ns::W, "pPr");
        let style = ppr
            .and_then(|x| x.child(Ns::W, "pStyle"))
            .and_then(Element::val)
            .map(str::to_string);
        let role = self
            .styles
            .role(style.as_deref(), ppr.and_then(styles::outline_level));
        let (para_bold, para_italic) = self.styles.emphasis(style.as_deref());
        let mut inlines = self.inlines(p, (para_bold, para_italic));
        if role == Role::Contents {
            self.count(Lost::Contents, 1);
            return None;
        }
        let own = ppr
            .and_then(styles::numbering_of)
            .map(|(id, level)| (id, level, level));
        let list = match own.or_else(|| self.styles.numbering(style.as_deref())) {
            Some((id, level, nesting)) => {
                let place = self.list_place(&id, level, role, &mut inlines);
                place.map(|item| ListItem {
                    level: item.level.max(nesting),
                    ..item
                })
            }
            None => None,
        };
        let align = ppr
            .and_then(|x| x.child(Ns::W, "jc"))
            .and_then(Element::val);
        Some(Paragraph {
            role,
            list,
            centered: align == Some("center"),
            right: matches!(align, Some("right" | "end")),
            inlines,
        })
    }

    /// Counts the item in its list and returns its Markdown list place — or, for numbering
    /// Markdown cannot write (`一、`, `（1）`) and for numbered headings, puts the label
    /// before the text.
    fn list_place(
        &mut self,
        id: &str,
        level: u8,
        role: Role,
        inlines: &mut Vec<super::model::Inline>,
    ) -> Option<ListItem> {
        let levels = self.numbering.levels(id)?.to_vec();
        let at = (level as usize).min(levels.len() - 1);
        let counters = self.counters.entry(id.to_string()).or_insert([0; 9]);
        counters[at] = if counters[at] == 0 {
            levels[at].start
        } else {
            counters[at] + 1
        };
        for counter in counters.iter_mut().skip(at + 1) {
            *counter = 0;
        }
        for (shallower, counter) in counters.iter_mut().enumerate().take(at) {
            if *counter == 0 {
                *counter = levels[shallower].start;
            }
        }
        let format = levels[at].format.as_str();
        if format == "none" {
            return None;
        }
        let simple = levels[at].text == format!("%{}.", at + 1);
        match (role, format) {
            (Role::Body, "bullet") => Some(ListItem {
                ordered: false,
                level: at as u8,
                number: 0,
            }),
            (Role::Body, "decimal") if simple => Some(ListItem {
                ordered: true,
                level: at as u8,
                number: counters[at],
            }),
            (_, "bullet") => None,
            _ => {
                let mut label = super::numbers::label(&levels, counters, at);
                // Word puts a tab after the label: a space after `1.1`, none after `一、`.
                if label.ends_with(|c: char| c.is_ascii()) {
                    label.push(' ');
                }
                inlines.insert(0, super::model::Inline::Text(label, Default::default()));
                None
            }
        }
    }

    /// A table with each cell's span and merging.
    fn table(&mut self, tbl: &Element) -> Table {
        let mut rows = Vec::new();
        for tr in rows_of(tbl) {
            let mut cells = Vec::new();
            for tc in cells_of(tr) {
                let props = tc.child(Ns::W, "tcPr");
                let span = props
                    .and_then(|p| p.child(Ns::W, "gridSpan"))
                    .and_then(Element::val)
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 64);
                let merge = match props.and_then(|p| p.child(Ns::W, "vMerge")) {
                    None => Merge::None,
                    Some(m) if m.val() == Some("restart") => Merge::Restart,
                    Some(_) => Merge::Continue,
                };
                let blocks = self.blocks(tc);
                cells.push(Cell {
                    blocks,
                    span,
                    merge,
                });
            }
            rows.push(cells);
        }
        Table { rows }
    }
}

/// The rows of a table, also inside content controls and tracked insertions.
fn rows_of(tbl: &Element) -> Vec<&Element> {
    let mut out = Vec::new();
    collect(tbl, "tr", &mut out);
    out
}

/// The cells of a row, also inside content controls and tracked insertions.
fn cells_of(tr: &Element) -> Vec<&Element> {
    let mut out = Vec::new();
    collect(tr, "tc", &mut out);
    out
}

fn collect<'e>(parent: &'e Element, name: &str, out: &mut Vec<&'e Element>) {
    for e in parent.elements() {
        match (e.ns, e.name.as_str()) {
            (Ns::W, n) if n == name => out.push(e),
            (Ns::W, "sdt" | "sdtContent" | "customXml" | "ins") => collect(e, name, out),
            _ => {}
        }
    }
}
