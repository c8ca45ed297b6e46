//! Themes and the template lookup chain: a site's own `templates/`, its theme, then each
//! theme that theme extends. One Tera instance is built per distinct chain and shared by
//! every site that uses it.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use tera::Tera;

use super::builtin;
use crate::diagnostics::{Diagnostic, line_col};
use crate::yaml;

/// Bytes of a typical rendered page of the norms theme (7.6 KB at city scale).
const PAGE_BYTES: usize = 8 * 1024;

/// A thread's render buffer grown past this by one large page is not kept for the next.
const MAX_KEPT_BUFFER: usize = 1024 * 1024;

thread_local! {
    static RENDER_BUFFER: std::cell::RefCell<Vec<u8>> =
        std::cell::RefCell::new(Vec::with_capacity(PAGE_BYTES));
}

/// `themes/<name>/theme.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: Option<String>,
    extends: Option<String>,
    description: Option<String>,
}

/// Where a theme's files are: a folder, or the default theme compiled into the binary.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ThemeDir {
    /// `themes/<name>/`.
    Disk(PathBuf),
    /// [`builtin`].
    Builtin,
}

/// Where templates are looked up: a folder of templates, or the built-in ones.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TemplateSource {
    /// A `templates/` folder.
    Dir(PathBuf),
    /// The built-in default theme's templates.
    Builtin,
}

impl ThemeDir {
    /// Where this theme's templates are.
    pub fn templates(&self) -> TemplateSource {
        match self {
            ThemeDir::Disk(d) => TemplateSource::Dir(d.join("templates")),
            ThemeDir::Builtin => TemplateSource::Builtin,
        }
    }
}

/// The themes a theme chain is made of, most specific first.
pub fn theme_chain(root: &Path, name: &str) -> Result<Vec<ThemeDir>, Diagnostic> {
    let mut chain: Vec<ThemeDir> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut next = Some(name.to_string());
    while let Some(n) = next {
        let dir = root.join("themes").join(&n);
        if names.contains(&n) {
            names.push(n);
            return Err(Diagnostic::file_error(
                crate::codes::THEME,
                dir.join("theme.yaml"),
                crate::t!("theme-loop", chain = names.join(" -> ")),
            )
            .with_help(crate::t!("theme-loop-help")));
        }
        if !dir.is_dir() && n == "default" {
            chain.push(ThemeDir::Builtin);
            break;
        }
        if !dir.is_dir() {
            let available = available_themes(root);
            return Err(Diagnostic::file_error(
                crate::codes::THEME,
                &dir,
                crate::t!("theme-missing", name = n.clone()),
            )
            .with_help(format!(
                "themes in `themes/`: {}",
                if available.is_empty() {
                    "none".to_string()
                } else {
                    available.join(", ")
                }
            )));
        }
        let meta_path = dir.join("theme.yaml");
        let meta: ThemeFile = match std::fs::read_to_string(&meta_path) {
            Ok(text) => yaml::parse(&text).map_err(|e| e.at(&meta_path, 1))?,
            Err(_) => ThemeFile::default(),
        };
        let _ = (meta.name, meta.description);
        names.push(n);
        chain.push(ThemeDir::Disk(dir));
        next = meta.extends;
    }
    Ok(chain)
}

fn available_themes(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("themes"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Templates of one lookup chain, ready to render.
pub struct TemplateSet {
    /// The engine with every template of the chain.
    pub tera: Tera,
    /// Template name -> the file it came from, for error messages.
    files: HashMap<String, (PathBuf, String)>,
}

impl TemplateSet {
    /// Loads the templates of `sources` (most specific first; earlier ones override later ones).
    pub fn load(sources: &[TemplateSource]) -> Result<Self, Vec<Diagnostic>> {
        let mut by_name: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        for source in sources.iter().rev() {
            match source {
                TemplateSource::Dir(dir) => {
                    for (name, path) in files_under(dir) {
                        let text = std::fs::read_to_string(&path).map_err(|e| {
                            vec![Diagnostic::file_error(
                                crate::codes::UNREADABLE,
                                &path,
                                crate::t!(
                                    "cannot-read",
                                    error = crate::diagnostics::io_error_text(&e)
                                ),
                            )]
                        })?;
                        by_name.insert(name, (path, text));
                    }
                }
                TemplateSource::Builtin => {
                    for (name, text) in builtin::TEMPLATES {
                        let path = Path::new(builtin::LABEL).join("templates").join(name);
                        by_name.insert(name.to_string(), (path, text.to_string()));
                    }
                }
            }
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        let files: HashMap<String, (PathBuf, String)> = by_name.into_iter().collect();
        let mut set = TemplateSet { tera, files };
        let templates: Vec<(String, String)> = set
            .files
            .iter()
            .map(|(n, (_, t))| (n.clone(), t.clone()))
            .collect();
        if let Err(e) = set.tera.add_raw_templates(templates) {
            return Err(set.diagnostics(&e, None));
        }
        Ok(set)
    }

    /// True when the chain has a template of this name.
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders a template to UTF-8 bytes; errors name the template file and line, and the
    /// page being rendered.
    pub fn render(
        &self,
        name: &str,
        ctx: &tera::Context,
        what: &Path,
    ) -> Result<Vec<u8>, Vec<Diagnostic>> {
        // Bytes, not a `String`: Tera writes `&str` pieces only, and checking a whole page
        // again for UTF-8 cost 2.5 % of a city's build. Written into this thread's buffer,
        // which keeps its size from page to page, and copied out at the page's exact size: a
        // buffer per page grown by doubling held a third more than the page, and a city's
        // build holds two groups of pages at once.
        RENDER_BUFFER.with_borrow_mut(|buffer| {
            buffer.clear();
            let rendered = self.tera.render_to(name, ctx, &mut *buffer);
            let html = buffer.as_slice().to_vec();
            if buffer.capacity() > MAX_KEPT_BUFFER {
                *buffer = Vec::with_capacity(PAGE_BYTES);
            }
            rendered.map_err(|e| self.diagnostics(&e, Some(what)))?;
            Ok(html)
        })
    }

    fn diagnostics(&self, e: &tera::Error, what: Option<&Path>) -> Vec<Diagnostic> {
        let rendering = what
            .map(|p| crate::t!("template-while", page = p.display().to_string()))
            .unwrap_or_default();
        let placed = |name: &str, line: usize, col: usize, message: &str| {
            let (path, _) = self.files.get(name)?;
            Some(
                Diagnostic::error(
                    crate::codes::TEMPLATE,
                    path,
                    line,
                    col,
                    crate::t!(
                        "template-error",
                        message = message,
                        rendering = rendering.clone()
                    ),
                )
                .with_help(crate::t!("template-error-help")),
            )
        };
        match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
                if let Some((_, text)) = self.files.get(r.filename()) {
                    let (line, col) = line_col(text, r.span().range.start);
                    if let Some(d) = placed(r.filename(), line, col, r.message()) {
                        return vec![d];
                    }
                }
            }
            // Reference checks (unknown filters, functions, tests) come as rendered reports.
            tera::ErrorKind::Msg(m) => {
                let found: Vec<Diagnostic> = parse_reports(m)
                    .into_iter()
                    .filter_map(|(msg, name, l, c)| placed(&name, l, c, &msg))
                    .collect();
                if !found.is_empty() {
                    return found;
                }
            }
            _ => {}
        }
        let mut message = e.to_string();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            message.push_str(": ");
            message.push_str(&s.to_string());
            source = s.source();
        }
        let path = what
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("themes"));
        vec![
            Diagnostic::file_error(
                crate::codes::TEMPLATE,
                path,
                crate::t!("template-error", message = message, rendering = ""),
            )
            .with_help(crate::t!("template-check-help")),
        ]
    }
}

/// Reads `error: MSG` / `--> NAME:LINE:COL` pairs out of Tera's rendered reports.
fn parse_reports(text: &str) -> Vec<(String, String, usize, usize)> {
    let mut out = Vec::new();
    let mut message: Option<&str> = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m);
        } else if let (Some(m), Some(loc)) = (message, line.trim_start().strip_prefix("--> ")) {
            let mut parts = loc.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.parse().ok());
            let ln = parts.next().and_then(|l| l.parse().ok());
            if let (Some(col), Some(ln), Some(name)) = (col, ln, parts.next()) {
                out.push((m.to_string(), name.to_string(), ln, col));
            }
            message = None;
        }
    }
    out
}

/// Files under `dir`, as (`/`-separated relative name, path), sorted.
pub fn files_under(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            (name, e.into_path())
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn chains_follow_extends_and_override() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        write(root, "themes/base/theme.yaml", "name: base\n");
        write(root, "themes/base/templates/page.html", "base {{ x }}");
        write(root, "themes/base/templates/home.html", "home");
        write(
            root,
            "themes/child/theme.yaml",
            "name: child\nextends: base\n",
        );
        write(root, "themes/child/templates/page.html", "child {{ x }}");
        let chain = theme_chain(root, "child").unwrap();
        assert_eq!(chain.len(), 2);
        let dirs: Vec<TemplateSource> = chain.iter().map(ThemeDir::templates).collect();
        let set = TemplateSet::load(&dirs).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("x", "<b>");
        assert_eq!(
            String::from_utf8(set.render("page.html", &ctx, Path::new("p")).unwrap()).unwrap(),
            "child &lt;b&gt;"
        );
        assert!(set.has("home.html"));
    }

    #[test]
    fn loops_and_missing_themes_are_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        write(root, "themes/a/theme.yaml", "extends: b\n");
        write(root, "themes/b/theme.yaml", "extends: a\n");
        assert!(
            theme_chain(root, "a")
                .unwrap_err()
                .message
                .en()
                .contains("loop")
        );
        assert!(
            theme_chain(root, "nope")
                .unwrap_err()
                .message
                .en()
                .contains("does not exist")
        );
        assert_eq!(theme_chain(root, "default").unwrap(), [ThemeDir::Builtin]);
    }

    #[test]
    fn syntax_errors_name_the_file_and_line() {
        let tmp = tempfile::tempdir().unwrap();
        write(tmp.path(), "t/page.html", "ok\n{% if %}\n");
        let err = TemplateSet::load(&[TemplateSource::Dir(tmp.path().join("t"))])
            .err()
            .unwrap();
        assert!(err[0].path.ends_with("page.html"), "{}", err[0]);
        assert_eq!(err[0].line, 2, "{}", err[0]);
    }

    #[test]
    fn unknown_filters_are_placed_too() {
        let tmp = tempfile::tempdir().unwrap();
        write(
            tmp.path(),
            "t/a.html",
            "ok\n{{ x | nope }}\n{{ y | nope2 }}",
        );
        let err = TemplateSet::load(&[TemplateSource::Dir(tmp.path().join("t"))])
            .err()
            .unwrap();
        let places: Vec<(usize, usize)> = err.iter().map(|d| (d.line, d.col)).collect();
        assert_eq!(places, [(2, 8), (3, 8)], "{err:?}");
        assert!(err[0].message.en().contains("Unknown filter `nope`"));
    }
}
