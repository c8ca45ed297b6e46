//! What a Word document is made of, as far as a web page can show it: paragraphs with
//! their role and inline content, tables, pictures and notes.

use super::styles::Role;

/// A paragraph or a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph (also a heading or a list item).
    Paragraph(Paragraph),
    /// A table.
    Table(Table),
}

/// One paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// Title, heading, table of contents or body.
    pub role: Role,
    /// The list it is an item of.
    pub list: Option<ListItem>,
    /// Centred (`w:jc="center"`): a title when it opens the document.
    pub centered: bool,
    /// Right-aligned (`w:jc="right"`): a 落款 (the issuer and the date under a notice).
    pub right: bool,
    /// Its content.
    pub inlines: Vec<Inline>,
}

/// A paragraph's place in a Markdown list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// `1.` rather than `-`.
    pub ordered: bool,
    /// Nesting, 0 for the outermost.
    pub level: u8,
    /// The item's number (ordered lists).
    pub number: u32,
}

/// Character formatting the page keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Format {
    /// 加粗.
    pub bold: bool,
    /// 倾斜.
    pub italic: bool,
    /// 删除线.
    pub strike: bool,
    /// 上标.
    pub superscript: bool,
    /// 下标.
    pub subscript: bool,
}

/// Inline content.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Text with its formatting.
    Text(String, Format),
    /// A line break within the paragraph.
    Break,
    /// Picture number `usize` (index into the pictures) with its description.
    Picture(usize, Option<String>),
    /// A web link.
    Link(String, Vec<Inline>),
    /// A reference to note number `usize` (1-based).
    Note(usize),
}

/// A table: rows of cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// Its content.
    pub blocks: Vec<Block>,
    /// Columns it spans.
    pub span: usize,
    /// Vertical merging.
    pub merge: Merge,
}

/// Whether a cell starts or continues a vertical merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    /// Not merged.
    None,
    /// The first cell of merged rows.
    Restart,
    /// Covered by the cell above.
    Continue,
}

/// A picture taken out of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// Its file name beside the page (`图1.png`).
    pub name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// What could not be carried over, to be listed for the writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lost {
    /// 批注.
    Comment,
    /// 公式.
    Equation,
    /// 图表.
    Chart,
    /// SmartArt.
    Diagram,
    /// Embedded objects (an Excel sheet, a Visio drawing).
    Object,
    /// Shapes without text (lines, arrows).
    Shape,
    /// Pictures linked from outside the document.
    ExternalPicture,
    /// Pictures in a format browsers do not show (EMF, WMF, TIFF).
    PictureFormat,
    /// Pictures the document names but does not hold.
    MissingPicture,
    /// Pictures larger than any photo (a decompression bomb).
    PictureTooLarge,
    /// Tracked changes (insertions taken, deletions dropped).
    Revision,
    /// Links to bookmarks inside the document (their text is kept).
    InternalLink,
    /// Table of contents lines.
    Contents,
}

impl Lost {
    /// Every kind, in the order they are listed.
    pub const ALL: [Lost; 13] = [
        Lost::Comment,
        Lost::Equation,
        Lost::Chart,
        Lost::Diagram,
        Lost::Object,
        Lost::Shape,
        Lost::ExternalPicture,
        Lost::PictureFormat,
        Lost::MissingPicture,
        Lost::PictureTooLarge,
        Lost::Revision,
        Lost::InternalLink,
        Lost::Contents,
    ];

    /// The catalogue id of its line in the import summary.
    pub fn message_id(self) -> &'static str {
        match self {
            Lost::Comment => "import-lost-comment",
            Lost::Equation => "import-lost-equation",
            Lost::Chart => "import-lost-chart",
            Lost::Diagram => "import-lost-diagram",
            Lost::Object => "import-lost-object",
            Lost::Shape => "import-lost-shape",
            Lost::ExternalPicture => "import-lost-external-picture",
            Lost::PictureFormat => "import-lost-picture-format",
            Lost::MissingPicture => "import-lost-missing-picture",
            Lost::PictureTooLarge => "import-lost-picture-too-large",
            Lost::Revision => "import-lost-revision",
            Lost::InternalLink => "import-lost-internal-link",
            Lost::Contents => "import-lost-contents",
        }
    }
}
