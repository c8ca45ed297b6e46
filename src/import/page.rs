//! `zhanqun import FILE.docx --to <site>/<section>[/<slug>]`: the converted document as a
//! draft page bundle — `index.md` with the front matter `new page` writes, and the
//! pictures beside it — written all at once into a folder that did not exist, or not at
//! all.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::Converted;
use super::model::Lost;
use crate::domain::SectionKind;
use crate::scaffold::{self, Refused};
use crate::t;

/// What to import, and where.
pub struct Request<'a> {
    /// The cluster folder.
    pub root: &'a Path,
    /// The .docx file.
    pub file: &'a Path,
    /// `<site>/<section>[/<slug>]`.
    pub to: &'a str,
    /// The page's date (default: now).
    pub date: Option<&'a str>,
    /// Keep the pictures at their size.
    pub keep_size: bool,
}

/// An imported page.
#[derive(Debug)]
pub struct Imported {
    /// `index.md`, relative to the root.
    pub page: PathBuf,
    /// The site's content folder, into which the bundle is written (and nowhere else).
    pub content_dir: PathBuf,
    /// The bundle's folder in the content folder (`news/2026-11-20-家长会通知`).
    pub bundle: String,
    /// The page's title.
    pub title: String,
    /// The whole text of `index.md`.
    pub text: String,
    /// The picture files, relative to the root.
    pub pictures: Vec<PathBuf>,
    /// What could not be carried over.
    pub lost: Vec<(Lost, usize)>,
    /// Pictures that need a description.
    pub missing_alt: Vec<String>,
}

/// Converts and writes the page bundle.
pub fn import(req: &Request) -> Result<Imported, Refused> {
    let (imported, converted) = prepare(req)?;
    write(&imported, &converted)?;
    Ok(imported)
}

impl Imported {
    /// True when the bundle's folder is taken (the same document imported before).
    pub fn taken(&self) -> bool {
        crate::confined::Root::open(&self.content_dir, false).is_ok_and(|r| r.exists(&self.bundle))
    }

    /// The bundle as copy `n`: `-<n>` added to its folder's name.
    pub fn as_copy(&mut self, n: u32) {
        let folder = self
            .bundle
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_string();
        let renamed = format!("{folder}-{n}");
        self.bundle = format!(
            "{}{renamed}",
            &self.bundle[..self.bundle.len() - folder.len()]
        );
        let dir = self
            .page
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new(""));
        self.page = dir.join(&renamed).join("index.md");
        let old_dir = self.page.parent().unwrap_or(Path::new("")).to_path_buf();
        self.pictures = self
            .pictures
            .iter()
            .map(|p| old_dir.join(p.file_name().unwrap_or_default()))
            .collect();
    }
}

/// Writes the page bundle of a prepared import: all its files, or none, inside the site's
/// content folder (a section that is a link to somewhere else is refused).
pub fn write(imported: &Imported, converted: &Converted) -> Result<(), Refused> {
    let mut files: Vec<(String, &[u8])> = vec![("index.md".into(), imported.text.as_bytes())];
    files.extend(
        converted
            .pictures
            .iter()
            .map(|p| (p.name.clone(), p.bytes.as_slice())),
    );
    let shown = imported.page.parent().unwrap_or(Path::new(""));
    write_bundle(&imported.content_dir, &imported.bundle, &files).map_err(|e| match e {
        BundleError::Exists => Refused(t!("new-exists", path = shown.display().to_string())),
        BundleError::Io(e) => Refused(t!(
            "import-write-failed",
            path = shown.display().to_string(),
            error = crate::diagnostics::io_error_text(&e)
        )),
    })
}

/// Converts without writing anything (`--stdout`).
pub fn prepare(req: &Request) -> Result<(Imported, Converted), Refused> {
    // The place first: a wrong `--to` is reported before the document is read.
    let (id, section, _) = scaffold::split_target(req.to, "import-usage")?;
    scaffold::place(req.root, id, section)?;
    let bytes = read_document(req.file)?;
    let stem = req
        .file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = super::Options {
        keep_size: req.keep_size,
    };
    prepare_bytes(req.root, &bytes, &stem, req.to, req.date, options)
}

/// Converts the document `bytes` (from a file named `stem`) for `to`, writing nothing.
pub fn prepare_bytes(
    root: &Path,
    bytes: &[u8],
    stem: &str,
    to: &str,
    date: Option<&str>,
    options: super::Options,
) -> Result<(Imported, Converted), Refused> {
    let (id, section, slug) = scaffold::split_target(to, "import-usage")?;
    if !crate::confined::plain_name(section)
        || slug.is_some_and(|s| !crate::confined::plain_name(s))
    {
        return Err(Refused(t!("import-usage", target = to)));
    }
    let place = scaffold::place(root, id, section)?;
    if [crate::domain::CLASSES_FOLDER, crate::domain::TOPICS_FOLDER].contains(&section) {
        return Err(Refused(t!("import-section-special", section = section)));
    }
    let converted = super::convert_with(bytes, options).map_err(|r| Refused(r.message()))?;
    let title: String = converted.title.clone().unwrap_or_else(|| stem.to_string());
    let title: String = title.chars().filter(|c| !c.is_control()).collect();
    let date = match date {
        Some(text) => {
            crate::content::frontmatter::parse_date(text, &place.cluster.settings.timezone)
                .map(|d| (d, text.trim().to_string()))
                .ok_or_else(|| Refused(t!("import-bad-date", date = text)))?
        }
        None => (place.now, place.now.format("%Y-%m-%d %H:%M").to_string()),
    };
    let slug = slug
        .map(str::to_string)
        .unwrap_or_else(|| slug_of(&title, stem));
    let folder = match place.kind {
        SectionKind::Pages => slug,
        _ => format!("{}-{slug}", date.0.format("%Y-%m-%d")),
    };
    let content_dir = place.cluster.sites[place.site].content_dir.clone();
    let bundle = format!("{section}/{folder}");
    let page = place.folder().join(&folder).join("index.md");
    let page = page.strip_prefix(root).unwrap_or(&page).to_path_buf();
    let dir = page.parent().unwrap_or(Path::new("")).to_path_buf();
    let text = scaffold::front_matter(&place.cluster, place.kind, &title, &date.1)
        + "\n"
        + &converted.markdown;
    let imported = Imported {
        pictures: converted
            .pictures
            .iter()
            .map(|p| dir.join(&p.name))
            .collect(),
        page,
        content_dir,
        bundle,
        title,
        text,
        lost: converted.lost.clone(),
        missing_alt: converted.missing_alt.clone(),
    };
    Ok((imported, converted))
}

/// The bytes of the document, refusing one too large before reading it.
fn read_document(path: &Path) -> Result<Vec<u8>, Refused> {
    let shown = path.display().to_string();
    let io = |e: std::io::Error| {
        Refused(t!(
            "import-unreadable",
            path = shown.clone(),
            error = crate::diagnostics::io_error_text(&e)
        ))
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(Refused(t!(
            "import-unreadable",
            path = shown.clone(),
            error = crate::t!("io-is-directory").to_string()
        )));
    }
    if meta.len() > super::package::MAX_FILE {
        return Err(Refused(super::Refusal::TooLarge(meta.len()).message()));
    }
    let mut bytes = Vec::new();
    file.take(super::package::MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > super::package::MAX_FILE {
        return Err(Refused(
            super::Refusal::TooLarge(bytes.len() as u64).message(),
        ));
    }
    Ok(bytes)
}

/// A slug from the title: its letters and digits (Chinese kept), other characters as `-`,
/// at most 30 characters; the file name when the title has none.
pub fn slug_of(title: &str, stem: &str) -> String {
    let make = |s: &str| {
        let mapped: String = s
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect();
        let joined = mapped
            .split('-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        joined
            .chars()
            .take(30)
            .collect::<String>()
            .trim_end_matches('-')
            .to_string()
    };
    let slug = make(title);
    if slug.is_empty() { make(stem) } else { slug }
}

enum BundleError {
    Exists,
    Io(std::io::Error),
}

/// Writes `files` into the new folder `bundle` of the content folder `dir`: first into a
/// hidden folder beside it, moved into place when every file is written, so an
/// interrupted import leaves no half-written page (and never touches a folder that exists).
fn write_bundle(dir: &Path, bundle: &str, files: &[(String, &[u8])]) -> Result<(), BundleError> {
    let root = crate::confined::Root::open(dir, true).map_err(BundleError::Io)?;
    if root.exists(bundle) {
        return Err(BundleError::Exists);
    }
    let (parent, name) = bundle.rsplit_once('/').unwrap_or(("", bundle));
    root.create_dir_all(parent).map_err(BundleError::Io)?;
    let staging = format!(
        "{}.{name}.zhanqun-import-{}-{}",
        if parent.is_empty() {
            String::new()
        } else {
            format!("{parent}/")
        },
        std::process::id(),
        STAGING.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    );
    let written = files
        .iter()
        .try_for_each(|(file, bytes)| root.write_new(&format!("{staging}/{file}"), bytes));
    let placed = written.and_then(|()| root.move_to(&staging, &root, bundle));
    placed.map_err(|e| {
        let _ = root.remove_dir_all(&staging);
        match e.kind() {
            std::io::ErrorKind::AlreadyExists => BundleError::Exists,
            _ => BundleError::Io(e),
        }
    })
}

/// Numbers the staging folders of one process (the editor imports in parallel).
static STAGING: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_chinese_and_drop_punctuation() {
        assert_eq!(
            slug_of("关于开展“书香校园”读书节活动的通知", "x"),
            "关于开展-书香校园-读书节活动的通知"
        );
        assert_eq!(slug_of("？？", "2026 秋季 运动会"), "2026-秋季-运动会");
        assert_eq!(slug_of(&"长".repeat(40), "x").chars().count(), 30);
    }
}
