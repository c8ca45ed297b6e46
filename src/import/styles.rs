//! What a paragraph's style means to the converter — a heading of some level, the title,
//! a table of contents line, a list — read from `styles.xml` by style **name** (Word,
//! Chinese Word and WPS give the built-in styles different ids: `Heading1`, `1`, `2`),
//! and the list formats of `numbering.xml`.

use std::collections::HashMap;

use super::xml::{Element, Ns};

/// What the converter knows of one style.
#[derive(Debug, Clone, Default)]
struct Style {
    /// The style name, lower case (`heading 1`, `title`, `标题 1`).
    name: String,
    /// The style it is based on.
    based_on: Option<String>,
    /// Outline level from its paragraph properties (0 = level 1).
    outline: Option<u8>,
    /// List numbering from its paragraph properties.
    numbering: Option<(String, u8)>,
    /// Bold from its run properties.
    bold: Option<bool>,
    /// Italic from its run properties.
    italic: Option<bool>,
}

/// The styles of a document.
#[derive(Debug, Default)]
pub struct Styles {
    by_id: HashMap<String, Style>,
}

/// What a paragraph style makes of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The document's title (the Title style).
    Title,
    /// A heading of level 1–9.
    Heading(u8),
    /// A line of a table of contents (`toc 1` …), which a web page does not need.
    Contents,
    /// Body text.
    Body,
}

impl Styles {
    /// Reads `styles.xml`.
    pub fn read(root: Option<&Element>) -> Styles {
        let mut by_id = HashMap::new();
        for s in root
            .iter()
            .flat_map(|r| r.elements())
            .filter(|e| e.is(Ns::W, "style"))
        {
            let Some(id) = s.attr(Ns::W, "styleId") else {
                continue;
            };
            let ppr = s.child(Ns::W, "pPr");
            let rpr = s.child(Ns::W, "rPr");
            let style = Style {
                name: s
                    .child(Ns::W, "name")
                    .and_then(Element::val)
                    .unwrap_or(id)
                    .trim()
                    .to_lowercase(),
                based_on: s
                    .child(Ns::W, "basedOn")
                    .and_then(Element::val)
                    .map(str::to_string),
                outline: ppr.and_then(outline_level),
                numbering: ppr.and_then(numbering_of),
                bold: rpr.and_then(|r| toggle(r, "b")),
                italic: rpr.and_then(|r| toggle(r, "i")),
            };
            by_id.insert(id.to_string(), style);
        }
        Styles { by_id }
    }

    /// The chain of styles from `id` up through `basedOn` (at most ten, so a loop ends).
    fn chain(&self, id: Option<&str>) -> Vec<&Style> {
        let mut out = Vec::new();
        let mut next = id;
        while let Some(style) = next.and_then(|i| self.by_id.get(i)) {
            if out.len() == 10 {
                break;
            }
            out.push(style);
            next = style.based_on.as_deref();
        }
        out
    }

    /// The role of a paragraph with style `id` and its own outline level.
    pub fn role(&self, id: Option<&str>, own_outline: Option<u8>) -> Role {
        for style in self.chain(id) {
            if let Some(role) = role_by_name(&style.name) {
                return role;
            }
        }
        let outline = own_outline.or_else(|| self.chain(id).iter().find_map(|s| s.outline));
        match outline {
            Some(level) if level < 9 => Role::Heading(level + 1),
            _ => Role::Body,
        }
    }

    /// The list numbering a paragraph of style `id` gets from its style. Word's `List
    /// Bullet 2`, `List Number 3` … number with a list of their own, one level deep, and
    /// show the nesting by indenting: the number in the name is the level.
    /// Returns (numbering id, level in the numbering, nesting in the page).
    pub fn numbering(&self, id: Option<&str>) -> Option<(String, u8, u8)> {
        let style = self.chain(id).into_iter().find(|s| s.numbering.is_some())?;
        let (num, level) = style.numbering.clone()?;
        let named = style
            .name
            .strip_prefix("list ")
            .and_then(|rest| rest.rsplit(' ').next())
            .and_then(|n| n.parse::<u8>().ok())
            .map_or(0, |n| n.clamp(1, 9) - 1);
        Some((num, level, level.max(named)))
    }

    /// Bold and italic that a character or paragraph style `id` gives its text.
    pub fn emphasis(&self, id: Option<&str>) -> (Option<bool>, Option<bool>) {
        let chain = self.chain(id);
        (
            chain.iter().find_map(|s| s.bold),
            chain.iter().find_map(|s| s.italic),
        )
    }
}

/// Built-in style names as Word, Chinese Word and WPS write them.
fn role_by_name(name: &str) -> Option<Role> {
    let compact: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    if compact == "title" || compact == "标题" {
        return Some(Role::Title);
    }
    for prefix in ["heading", "标题", "toc", "目录"] {
        let Some(level) = compact
            .strip_prefix(prefix)
            .and_then(|n| n.parse::<u8>().ok())
        else {
            continue;
        };
        return match prefix {
            "toc" | "目录" => Some(Role::Contents),
            _ => (1..=9).contains(&level).then_some(Role::Heading(level)),
        };
    }
    None
}

/// `w:outlineLvl` of paragraph properties.
pub fn outline_level(ppr: &Element) -> Option<u8> {
    ppr.child(Ns::W, "outlineLvl")?.val()?.parse().ok()
}

/// `w:numPr` of paragraph properties as (numId, level).
pub fn numbering_of(ppr: &Element) -> Option<(String, u8)> {
    let num = ppr.child(Ns::W, "numPr")?;
    let id = num.child(Ns::W, "numId")?.val()?.to_string();
    let level = num
        .child(Ns::W, "ilvl")
        .and_then(Element::val)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Some((id, level.min(8)))
}

/// A run property such as `<w:b/>` (on), `<w:b w:val="0"/>` (off); `None` when absent.
pub fn toggle(rpr: &Element, name: &str) -> Option<bool> {
    let e = rpr.child(Ns::W, name)?;
    Some(!matches!(e.val(), Some("0" | "false" | "off" | "none")))
}

/// How one level of a list is numbered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    /// `bullet`, `decimal`, `chineseCounting`, `upperLetter` …
    pub format: String,
    /// The label pattern: `%1.`, `%1、`, `（%1）`, `%1.%2`.
    pub text: String,
    /// The first number.
    pub start: u32,
}

/// The lists of a document: each numbering instance's levels.
#[derive(Debug, Default)]
pub struct Numbering {
    levels: HashMap<String, Vec<Level>>,
}

impl Numbering {
    /// Reads `numbering.xml`.
    pub fn read(root: Option<&Element>) -> Numbering {
        let Some(root) = root else {
            return Numbering::default();
        };
        let abstracts: HashMap<&str, Vec<Level>> = root
            .elements()
            .filter(|e| e.is(Ns::W, "abstractNum"))
            .filter_map(|a| Some((a.attr(Ns::W, "abstractNumId")?, levels(a))))
            .collect();
        let mut out = HashMap::new();
        for num in root.elements().filter(|e| e.is(Ns::W, "num")) {
            let (Some(id), Some(abs)) = (
                num.attr(Ns::W, "numId"),
                num.child(Ns::W, "abstractNumId").and_then(Element::val),
            ) else {
                continue;
            };
            let mut levels = abstracts.get(abs).cloned().unwrap_or_default();
            for o in num.elements().filter(|e| e.is(Ns::W, "lvlOverride")) {
                let at: usize = o
                    .attr(Ns::W, "ilvl")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let Some(level) = levels.get_mut(at) else {
                    continue;
                };
                if let Some(start) = o
                    .child(Ns::W, "startOverride")
                    .and_then(Element::val)
                    .and_then(|v| v.parse().ok())
                {
                    level.start = start;
                }
                if let Some(own) = o.child(Ns::W, "lvl") {
                    *level = self::level(own);
                }
            }
            out.insert(id.to_string(), levels);
        }
        Numbering { levels: out }
    }

    /// The levels of numbering instance `id`; `None` for `0` (numbering removed) and
    /// unknown ids.
    pub fn levels(&self, id: &str) -> Option<&[Level]> {
        self.levels
            .get(id)
            .map(Vec::as_slice)
            .filter(|l| !l.is_empty())
    }
}

fn levels(abstract_num: &Element) -> Vec<Level> {
    let mut out: Vec<Level> = Vec::new();
    for lvl in abstract_num.elements().filter(|e| e.is(Ns::W, "lvl")) {
        let at: usize = lvl
            .attr(Ns::W, "ilvl")
            .and_then(|v| v.parse().ok())
            .unwrap_or(out.len());
        if at > 8 {
            continue;
        }
        while out.len() <= at {
            out.push(Level {
                format: "decimal".into(),
                text: String::new(),
                start: 1,
            });
        }
        out[at] = level(lvl);
    }
    out
}

fn level(lvl: &Element) -> Level {
    let get = |name: &str| lvl.child(Ns::W, name).and_then(Element::val);
    Level {
        format: get("numFmt").unwrap_or("decimal").to_string(),
        text: get("lvlText").unwrap_or_default().to_string(),
        start: get("start").and_then(|v| v.parse().ok()).unwrap_or(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_names_in_every_spelling() {
        assert_eq!(role_by_name("heading 1"), Some(Role::Heading(1)));
        assert_eq!(role_by_name("标题 2"), Some(Role::Heading(2)));
        assert_eq!(role_by_name("标题3"), Some(Role::Heading(3)));
        assert_eq!(role_by_name("title"), Some(Role::Title));
        assert_eq!(role_by_name("toc 1"), Some(Role::Contents));
        assert_eq!(role_by_name("heading 0"), None);
        assert_eq!(role_by_name("normal"), None);
    }
}
