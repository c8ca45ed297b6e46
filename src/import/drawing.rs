//! Drawings: pictures (DrawingML and the older VML) taken out of the package, through the
//! photo pipeline of pasted pictures (`crate::photos`: metadata removed, scaled down,
//! programs and SVGs refused) and named `图1.png`, `图2.jpg` … in order of first use, with
//! the description Word keeps as alt text; text boxes, whose paragraphs follow the paragraph that holds them; charts,
//! SmartArt, shapes and embedded objects counted as not carried over.

use super::model::{Inline, Lost, Picture};
use super::read::Reader;
use super::xml::{Element, Ns};

/// Extensions of the picture parts taken out; others (EMF, WMF, TIFF, SVG, which may carry
/// scripts — Word keeps a PNG of each SVG beside it) are counted as lost.
const SHOWN: [&str; 6] = ["png", "jpg", "jpeg", "gif", "bmp", "webp"];

/// The largest picture part read out of a document.
const MAX_PICTURE: u64 = 40 * 1024 * 1024;

/// What Word 365 adds to the descriptions it writes itself: not a description.
const GENERATED: [&str; 3] = [
    "描述已自动生成",
    "Description automatically generated",
    "自动生成的说明",
];

impl Reader<'_, '_> {
    /// A `w:drawing`: a picture, a text box, or something counted as lost.
    pub fn drawing(&mut self, drawing: &Element, out: &mut Vec<Inline>) {
        for anchor in drawing.elements() {
            let described = anchor.child(Ns::Wp, "docPr").and_then(description);
            let Some(data) = anchor.find(Ns::A, "graphicData") else {
                continue;
            };
            let uri = data.attr(Ns::Other, "uri").unwrap_or_default();
            match () {
                _ if uri.ends_with("/picture") => self.blip(data, described, out),
                _ if uri.contains("chart") => self.count(Lost::Chart, 1),
                _ if uri.contains("diagram") => self.count(Lost::Diagram, 1),
                _ => self.shapes(data, out),
            }
        }
    }

    /// A shape, group or canvas: its text boxes and pictures, else one lost shape.
    fn shapes(&mut self, data: &Element, out: &mut Vec<Inline>) {
        let mut boxes = Vec::new();
        data.find_all(Ns::W, "txbxContent", &mut boxes);
        let mut pictures = Vec::new();
        data.find_all(Ns::Pic, "pic", &mut pictures);
        if boxes.is_empty() && pictures.is_empty() {
            self.count(Lost::Shape, 1);
        }
        for pic in pictures {
            let described = pic.find(Ns::Pic, "cNvPr").and_then(description);
            self.blip(pic, described, out);
        }
        for content in boxes {
            let blocks = self.blocks(content);
            self.boxes.extend(blocks);
        }
    }

    /// The picture of the first `a:blip` under `parent`.
    fn blip(&mut self, parent: &Element, described: Option<String>, out: &mut Vec<Inline>) {
        let Some(blip) = parent.find(Ns::A, "blip") else {
            return;
        };
        match (blip.attr(Ns::R, "embed"), blip.attr(Ns::R, "link")) {
            (Some(id), _) => self.picture(id, described, out),
            (None, Some(_)) => self.count(Lost::ExternalPicture, 1),
            (None, None) => self.count(Lost::MissingPicture, 1),
        }
    }

    /// A VML `w:pict`: an image, a text box, or a lost shape.
    pub fn vml(&mut self, pict: &Element, out: &mut Vec<Inline>) {
        let mut boxes = Vec::new();
        pict.find_all(Ns::W, "txbxContent", &mut boxes);
        let image = pict.find(Ns::V, "imagedata");
        match image.and_then(|i| i.attr(Ns::R, "id")) {
            Some(id) => {
                let shape = pict.find(Ns::V, "shape");
                let alt = shape
                    .and_then(|s| s.attr(Ns::Other, "alt"))
                    .or_else(|| image.and_then(|i| i.attr(Ns::Other, "title")));
                self.picture(id, alt.and_then(clean), out);
            }
            None if boxes.is_empty() => self.count(Lost::Shape, 1),
            None => {}
        }
        for content in boxes {
            let blocks = self.blocks(content);
            self.boxes.extend(blocks);
        }
    }

    /// The picture of relationship `id`: taken out once, in a format browsers show.
    fn picture(&mut self, id: &str, described: Option<String>, out: &mut Vec<Inline>) {
        let Some(rel) = self.rels.get(id).cloned() else {
            return self.count(Lost::MissingPicture, 1);
        };
        if rel.external {
            return self.count(Lost::ExternalPicture, 1);
        }
        if let Some(&index) = self.picture_at.get(&rel.target) {
            return out.push(Inline::Picture(index, described));
        }
        let extension = rel
            .target
            .rsplit_once('.')
            .map(|(_, e)| e.to_lowercase())
            .unwrap_or_default();
        if !SHOWN.contains(&extension.as_str()) {
            return self.count(Lost::PictureFormat, 1);
        }
        let bytes = match self.package.read_at_most(&rel.target, MAX_PICTURE) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return self.count(Lost::MissingPicture, 1),
            Err(_) => return self.count(Lost::PictureTooLarge, 1),
        };
        let stored = match crate::photos::store(&bytes, self.keep_size) {
            Ok(stored) => stored,
            Err(crate::photos::Problem::TooLarge(..)) => {
                return self.count(Lost::PictureTooLarge, 1);
            }
            Err(_) => return self.count(Lost::PictureFormat, 1),
        };
        let index = self.pictures.len();
        let name = format!("图{}.{}", index + 1, stored.extension);
        self.pictures.push(Picture {
            name,
            bytes: stored.bytes,
        });
        self.picture_at.insert(rel.target, index);
        out.push(Inline::Picture(index, described));
    }
}

/// The description (`descr`, else `title`) of a `wp:docPr` or `pic:cNvPr`.
fn description(props: &Element) -> Option<String> {
    let descr = props.attr(Ns::Other, "descr").and_then(clean);
    descr.or_else(|| props.attr(Ns::Other, "title").and_then(clean))
}

/// A description without the words Word adds to the ones it generates; `None` if empty.
fn clean(text: &str) -> Option<String> {
    let kept: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !GENERATED.iter().any(|g| l.contains(g)))
        .collect();
    let joined = kept.join(" ");
    (!joined.is_empty()).then_some(joined)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_descriptions_lose_their_note() {
        assert_eq!(
            clean("一群学生在操场上跑步\n\n描述已自动生成").as_deref(),
            Some("一群学生在操场上跑步")
        );
        assert_eq!(clean("  "), None);
    }
}
