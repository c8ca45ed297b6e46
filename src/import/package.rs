//! The .docx package: a zip of XML parts and media, read with limits so that a zip bomb, a
//! huge file or an old binary .doc is refused with a clear reason before anything is
//! written. Part names are matched without regard to case, as Word does.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use super::Refusal;
use super::xml::{self, Element, Ns};

/// The largest .docx accepted (a document with many photos is tens of megabytes).
pub const MAX_FILE: u64 = 200 * 1024 * 1024;
/// The largest one part may unpack to.
const MAX_PART: u64 = 64 * 1024 * 1024;
/// The most all parts read may unpack to together.
const MAX_TOTAL: u64 = 320 * 1024 * 1024;
/// More entries than any document has.
const MAX_ENTRIES: usize = 20_000;

/// The start of an OLE compound file: an old .doc/.wps, or an encrypted .docx.
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// An opened package.
pub struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    names: HashMap<String, usize>,
    unpacked: u64,
}

/// One relationship of a part: where `r:id`/`r:embed` points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rel {
    /// The part name inside the package, or the URL for an external target.
    pub target: String,
    /// An address outside the package (a web link, a linked picture).
    pub external: bool,
    /// The last segment of the relationship type (`image`, `hyperlink`, `styles` …).
    pub kind: String,
}

/// The relationships of a part, by id.
pub type Rels = HashMap<String, Rel>;

impl<'a> Package<'a> {
    /// Opens `bytes` as a .docx, telling an old Word file, an encrypted one and something
    /// that is not a Word document apart.
    pub fn open(bytes: &'a [u8]) -> Result<Package<'a>, Refusal> {
        if bytes.len() as u64 > MAX_FILE {
            return Err(Refusal::TooLarge(bytes.len() as u64));
        }
        if bytes.starts_with(OLE_MAGIC) {
            return Err(ole_kind(bytes));
        }
        if !bytes.starts_with(b"PK") {
            return Err(Refusal::NotDocx);
        }
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|_| Refusal::Damaged(String::new()))?;
        if zip.len() > MAX_ENTRIES {
            return Err(Refusal::Bomb);
        }
        let names = zip.file_names().map(str::to_lowercase).zip(0..).collect();
        Ok(Package {
            zip,
            names,
            unpacked: 0,
        })
    }

    /// The bytes of `part`, `None` when the package has no such part.
    pub fn read(&mut self, part: &str) -> Result<Option<Vec<u8>>, Refusal> {
        self.read_at_most(part, MAX_PART)
    }

    /// The bytes of `part` if it unpacks to at most `max` bytes (`Bomb` otherwise).
    pub fn read_at_most(&mut self, part: &str, max: u64) -> Result<Option<Vec<u8>>, Refusal> {
        let Some(&index) = self.names.get(&part.trim_start_matches('/').to_lowercase()) else {
            return Ok(None);
        };
        let entry = match self.zip.by_index(index) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::UnsupportedArchive(why))
                if why == zip::result::ZipError::PASSWORD_REQUIRED =>
            {
                return Err(Refusal::Encrypted);
            }
            Err(_) => return Err(Refusal::Damaged(part.to_string())),
        };
        // The sizes in the zip's directory can lie: read at most one byte past the limit.
        let limit = max.min(MAX_TOTAL.saturating_sub(self.unpacked));
        let mut bytes = Vec::new();
        entry
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .map_err(|_| Refusal::Damaged(part.to_string()))?;
        if bytes.len() as u64 > limit {
            return Err(Refusal::Bomb);
        }
        self.unpacked += bytes.len() as u64;
        Ok(Some(bytes))
    }

    /// The XML part `part` as a tree, `None` when the package has no such part.
    pub fn xml(&mut self, part: &str) -> Result<Option<Element>, Refusal> {
        let Some(bytes) = self.read(part)? else {
            return Ok(None);
        };
        match xml::parse(&bytes) {
            Ok(root) => Ok(Some(root)),
            Err(xml::XmlError::TooComplex) => Err(Refusal::Bomb),
            Err(xml::XmlError::Malformed(..)) => Err(Refusal::Damaged(part.to_string())),
        }
    }

    /// The relationships of `part` (from `<dir>/_rels/<name>.rels`), targets resolved to
    /// part names.
    pub fn rels(&mut self, part: &str) -> Result<Rels, Refusal> {
        let (dir, name) = part.rsplit_once('/').unwrap_or(("", part));
        let rels_part = match dir {
            "" => format!("_rels/{name}.rels"),
            dir => format!("{dir}/_rels/{name}.rels"),
        };
        let Some(root) = self.xml(&rels_part)? else {
            return Ok(Rels::new());
        };
        let mut rels = Rels::new();
        for r in root.elements().filter(|e| e.name == "Relationship") {
            let (Some(id), Some(target)) = (r.attr(Ns::Other, "Id"), r.attr(Ns::Other, "Target"))
            else {
                continue;
            };
            let external = r.attr(Ns::Other, "TargetMode") == Some("External");
            let kind = r.attr(Ns::Other, "Type").unwrap_or_default();
            let kind = kind.rsplit('/').next().unwrap_or_default().to_string();
            let target = if external {
                target.to_string()
            } else {
                match resolve(dir, target) {
                    Some(t) => t,
                    None => continue,
                }
            };
            rels.insert(
                id.to_string(),
                Rel {
                    target,
                    external,
                    kind,
                },
            );
        }
        Ok(rels)
    }

    /// The part that relationship type `kind` of `rels` names (`styles`, `numbering`,
    /// `footnotes` …), read as XML.
    pub fn related(&mut self, rels: &Rels, kind: &str) -> Result<Option<Element>, Refusal> {
        let mut found: Vec<&Rel> = rels
            .values()
            .filter(|r| r.kind == kind && !r.external)
            .collect();
        found.sort_by(|a, b| a.target.cmp(&b.target));
        match found.first() {
            Some(rel) => {
                let target = rel.target.clone();
                self.xml(&target)
            }
            None => Ok(None),
        }
    }

    /// The main document part, as the package's relationships name it (`word/document.xml`
    /// in every document Word and WPS write).
    pub fn main_part(&mut self) -> Result<String, Refusal> {
        let root = self.xml("_rels/.rels")?;
        let named = root.iter().flat_map(|r| r.elements()).find_map(|r| {
            let kind = r.attr(Ns::Other, "Type")?;
            kind.ends_with("/officeDocument")
                .then(|| r.attr(Ns::Other, "Target"))
                .flatten()
                .and_then(|t| resolve("", t))
        });
        let part = named.unwrap_or_else(|| "word/document.xml".to_string());
        if self.names.contains_key(&part.to_lowercase()) {
            Ok(part)
        } else {
            Err(Refusal::NotDocx)
        }
    }
}

/// An old .doc or .wps, or an encrypted .docx: Office keeps an encrypted package in an
/// OLE file with a stream named `EncryptedPackage`.
fn ole_kind(bytes: &[u8]) -> Refusal {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let encrypted = bytes.windows(name.len()).any(|w| w == name.as_slice());
    if encrypted {
        Refusal::Encrypted
    } else {
        Refusal::OldWord
    }
}

/// `target` of a relationship of a part in folder `dir`, as a part name; `None` when it
/// climbs out of the package.
fn resolve(dir: &str, target: &str) -> Option<String> {
    let target = target.split(['#', '?']).next().unwrap_or_default();
    let (base, rest) = match target.strip_prefix('/') {
        Some(absolute) => ("", absolute),
        None => (dir, target),
    };
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for p in rest.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let decoded = crate::urls::decode_path(&parts.join("/"));
    (!decoded.is_empty()).then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_inside_the_package() {
        assert_eq!(
            resolve("word", "media/image1.png").as_deref(),
            Some("word/media/image1.png")
        );
        assert_eq!(
            resolve("word", "/word/media/a.png").as_deref(),
            Some("word/media/a.png")
        );
        assert_eq!(
            resolve("word", "../customXml/item1.xml").as_deref(),
            Some("customXml/item1.xml")
        );
        assert_eq!(resolve("word", "../../etc/passwd"), None);
        assert_eq!(
            resolve("", "word/document.xml").as_deref(),
            Some("word/document.xml")
        );
    }

    #[test]
    fn old_word_encrypted_and_other_files_are_told_apart() {
        let mut ole = OLE_MAGIC.to_vec();
        ole.extend([0; 600]);
        assert!(matches!(Package::open(&ole), Err(Refusal::OldWord)));
        let stream: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        ole.extend(stream);
        assert!(matches!(Package::open(&ole), Err(Refusal::Encrypted)));
        assert!(matches!(Package::open(b"%PDF-1.7"), Err(Refusal::NotDocx)));
        assert!(matches!(
            Package::open(b"PK\x03\x04broken"),
            Err(Refusal::Damaged(_))
        ));
    }
}
