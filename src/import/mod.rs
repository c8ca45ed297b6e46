//! Word import (SPEC §14): a teacher's .docx becomes a draft page bundle with its
//! pictures. [`convert`] is a pure function — the document's bytes in, Markdown and
//! picture files out — used by `zhanqun import` (`page.rs`) and by the browser editor
//! when a .docx is dropped on it. What a web page cannot show is counted and listed,
//! never dropped silently; old, encrypted, damaged and hostile files are refused.

mod drawing;
pub mod html;
mod inline;
pub mod model;
mod numbers;
mod package;
pub mod page;
mod read;
mod styles;
mod write;
mod xml;

use model::{Block, Inline, Lost, Paragraph, Picture};
use styles::Role;

/// Why a file is not imported; nothing is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Larger than [`package::MAX_FILE`] (its size in bytes).
    TooLarge(u64),
    /// An old binary Word (.doc) or WPS (.wps) file.
    OldWord,
    /// Protected with a password.
    Encrypted,
    /// Not a Word document at all.
    NotDocx,
    /// A damaged package (the part that could not be read, if known).
    Damaged(String),
    /// Unpacks to far more than any document (a zip bomb) or nests deeper than any.
    Bomb,
}

impl Refusal {
    /// What went wrong and what to do, in the catalogue's words.
    pub fn message(&self) -> crate::i18n::Message {
        match self {
            Refusal::TooLarge(bytes) => crate::t!(
                "import-too-large",
                mb = (*bytes / (1024 * 1024)) as i64,
                max = (package::MAX_FILE / (1024 * 1024)) as i64
            ),
            Refusal::OldWord => crate::t!("import-old-word"),
            Refusal::Encrypted => crate::t!("import-encrypted"),
            Refusal::NotDocx => crate::t!("import-not-docx"),
            Refusal::Damaged(part) if part.is_empty() => crate::t!("import-damaged"),
            Refusal::Damaged(part) => crate::t!("import-damaged-part", part = part.clone()),
            Refusal::Bomb => crate::t!("import-bomb"),
        }
    }
}

/// A converted document.
#[derive(Debug, Default)]
pub struct Converted {
    /// The title found in the document; `None` when it has none (the file name is used).
    pub title: Option<String>,
    /// The page body in Markdown.
    pub markdown: String,
    /// The pictures, to be written beside the page.
    pub pictures: Vec<Picture>,
    /// What could not be carried over, with how many.
    pub lost: Vec<(Lost, usize)>,
    /// Pictures without a description (their alt text must be written).
    pub missing_alt: Vec<String>,
}

/// How to convert.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Keep the pictures at their size instead of scaling them down to
    /// [`crate::photos::MAX_WIDTH`].
    pub keep_size: bool,
}

/// Converts the bytes of a .docx.
pub fn convert(bytes: &[u8]) -> Result<Converted, Refusal> {
    convert_with(bytes, Options::default())
}

/// Converts the bytes of a .docx with `options`.
pub fn convert_with(bytes: &[u8], options: Options) -> Result<Converted, Refusal> {
    let mut package = package::Package::open(bytes)?;
    let main = package.main_part()?;
    let document = package.xml(&main)?.ok_or(Refusal::NotDocx)?;
    let body = document.child(xml::Ns::W, "body").ok_or(Refusal::NotDocx)?;
    let mut reader = read::Reader::new(&mut package, &main)?;
    reader.keep_size = options.keep_size;
    let mut blocks = reader.blocks(body);
    let title = take_title(&mut blocks);
    let written = write::markdown(&blocks, &reader.notes, &reader.pictures);
    Ok(Converted {
        title,
        markdown: written.text,
        pictures: std::mem::take(&mut reader.pictures),
        lost: reader.lost.iter().map(|(k, n)| (*k, *n)).collect(),
        missing_alt: written.missing_alt,
    })
}

/// The most characters of a paragraph taken as the title for being bold or centred.
const SHORT: usize = 60;

/// Takes the title out of the blocks: the Title style; else a Heading 1 that opens the
/// document; else an opening short paragraph that is bold or centred.
fn take_title(blocks: &mut Vec<Block>) -> Option<String> {
    let paragraphs = || {
        blocks.iter().enumerate().filter_map(|(i, b)| match b {
            Block::Paragraph(p) if !plain(&p.inlines).is_empty() => Some((i, p)),
            _ => None,
        })
    };
    let titled = paragraphs()
        .find(|(_, p)| p.role == Role::Title)
        .map(|(i, _)| i);
    let opening = paragraphs().next().filter(|(i, _)| {
        blocks[..*i]
            .iter()
            .all(|b| matches!(b, Block::Paragraph(_)))
    });
    let heading = opening
        .filter(|(_, p)| p.role == Role::Heading(1))
        .map(|(i, _)| i);
    let short = opening
        .filter(|(_, p)| p.role == Role::Body && p.list.is_none())
        .filter(|(_, p)| plain(&p.inlines).chars().count() <= SHORT && (p.centered || all_bold(p)))
        .map(|(i, _)| i);
    let at = titled.or_else(|| red_head(blocks)).or(heading).or(short)?;
    let Block::Paragraph(p) = blocks.remove(at) else {
        return None;
    };
    Some(plain(&p.inlines))
}

/// The title of a 红头文件: the first centred paragraph after the 文号 (`江教发〔2026〕12号`)
/// near the top, under the issuer's banner (`江北区教育局文件`), which would otherwise be
/// taken as the title.
fn red_head(blocks: &[Block]) -> Option<usize> {
    let paragraphs: Vec<(usize, &Paragraph)> = blocks
        .iter()
        .enumerate()
        .take(12)
        .filter_map(|(i, b)| match b {
            Block::Paragraph(p) if !plain(&p.inlines).is_empty() => Some((i, p)),
            _ => None,
        })
        .collect();
    let number = paragraphs
        .iter()
        .take(4)
        .position(|(_, p)| is_doc_no(&plain(&p.inlines)))?;
    paragraphs[number + 1..]
        .iter()
        .take(3)
        .find(|(_, p)| p.centered || p.role == Role::Title)
        .map(|(i, _)| *i)
}

/// A 文号: an issuer's abbreviation, the year in 〔〕 (or [] 【】), a number and 号.
fn is_doc_no(text: &str) -> bool {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = text.find(['〔', '[', '【', '（', '(']) else {
        return false;
    };
    let after = &text[open..];
    let digits: String = after.chars().skip(1).take(4).collect();
    text.ends_with('号')
        && text.chars().count() <= 30
        && digits.len() == 4
        && digits.chars().all(|c| c.is_ascii_digit())
}

/// The text of inlines on one line, white space (also full-width) collapsed.
fn plain(inlines: &[Inline]) -> String {
    let mut text = String::new();
    for inline in inlines {
        match inline {
            Inline::Text(t, _) => text.push_str(t),
            Inline::Link(_, inner) => text.push_str(&plain(inner)),
            Inline::Break => text.push(' '),
            Inline::Picture(..) | Inline::Note(_) => {}
        }
    }
    text.split(|c: char| c.is_whitespace() || c == '\u{3000}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn all_bold(p: &Paragraph) -> bool {
    p.inlines.iter().all(|i| match i {
        Inline::Text(t, f) => {
            f.bold
                || t.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
                    .is_empty()
        }
        _ => true,
    })
}
#[cfg(test)]
mod tests;
