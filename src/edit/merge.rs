//! Two versions of a page made from one: merged by paragraph, so that a paragraph added in
//! one tab and another added in a second tab (or on the school's computer and on the
//! server) are both kept. A paragraph both sides changed differently is kept twice — the
//! other version first, then this one — and the merge says it needs a look: nothing
//! either side wrote is ever lost. The front matter's lines are merged the same way.

/// A merge and whether it needs a look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The merged text.
    pub text: String,
    /// True when no paragraph was changed on both sides.
    pub clean: bool,
}

/// Merges `mine` and `theirs`, both made from `base`.
pub fn merge(base: &str, mine: &str, theirs: &str) -> Merged {
    if mine == theirs || theirs == base {
        return Merged {
            text: mine.to_string(),
            clean: true,
        };
    }
    if mine == base {
        return Merged {
            text: theirs.to_string(),
            clean: true,
        };
    }
    let (bf, bb) = parts(base);
    let (mf, mb) = parts(mine);
    let (tf, tb) = parts(theirs);
    let front = merge_units(&lines(bf), &lines(mf), &lines(tf));
    let body = merge_units(&paragraphs(bb), &paragraphs(mb), &paragraphs(tb));
    let text = match (mf.is_some() || tf.is_some(), front.units.is_empty()) {
        (true, _) => format!(
            "---\n{}\n---\n\n{}\n",
            front.units.join("\n"),
            body.units.join("\n\n")
        ),
        (false, _) => format!("{}\n", body.units.join("\n\n")),
    };
    Merged {
        text,
        clean: front.clean && body.clean,
    }
}

/// The front matter (without its `---` lines) and the body.
fn parts(text: &str) -> (Option<&str>, &str) {
    match crate::content::frontmatter::split(text) {
        Ok(split) => (Some(split.front), split.body),
        Err(_) => (None, text),
    }
}

fn lines(front: Option<&str>) -> Vec<String> {
    front
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

fn paragraphs(body: &str) -> Vec<String> {
    body.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.trim_matches('\n').to_string())
        .filter(|p| !p.trim().is_empty())
        .collect()
}

struct Units {
    units: Vec<String>,
    clean: bool,
}

/// What one side did to the base: which base units it kept, and what it put after each
/// (`inserted[0]` before the first base unit).
struct Edit {
    kept: Vec<bool>,
    inserted: Vec<Vec<String>>,
}

/// The edit taking `base` to `side`, from their longest common subsequence.
fn edit(base: &[String], side: &[String]) -> Edit {
    let (n, m) = (base.len(), side.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if base[i] == side[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut out = Edit {
        kept: vec![false; n],
        inserted: vec![Vec::new(); n + 1],
    };
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && base[i] == side[j] {
            out.kept[i] = true;
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.inserted[i].push(side[j].clone());
            j += 1;
        } else {
            i += 1;
        }
    }
    out
}

/// Base units in order, each with what both sides put before it; a unit one side removed
/// is removed; where both sides replaced the same unit differently, both replacements stay.
fn merge_units(base: &[String], mine: &[String], theirs: &[String]) -> Units {
    let (m, t) = (edit(base, mine), edit(base, theirs));
    let mut units = Vec::new();
    let mut clean = true;
    for i in 0..=base.len() {
        let (mi, ti) = (&m.inserted[i], &t.inserted[i]);
        // Both sides removed a unit next to this place and wrote different text here: both
        // changed the same paragraph.
        let gone = |k: usize| !m.kept[k] && !t.kept[k];
        let replaced = (i < base.len() && gone(i)) || (i > 0 && gone(i - 1));
        if replaced && !mi.is_empty() && !ti.is_empty() && mi != ti {
            clean = false;
        }
        units.extend(ti.iter().cloned());
        units.extend(mi.iter().filter(|u| !ti.contains(u)).cloned());
        if i < base.len() && m.kept[i] && t.kept[i] {
            units.push(base[i].clone());
        }
    }
    Units { units, clean }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "---\ntitle: 运动会\ndate: 2026-11-20\n---\n\n第一段。\n\n第二段。\n";

    #[test]
    fn paragraphs_added_in_two_tabs_are_both_kept() {
        let a = BASE.replace("第二段。", "第二段。\n\n甲加的一段。");
        let b = BASE.replace("第一段。", "第一段。\n\n乙加的一段。");
        let merged = merge(BASE, &b, &a);
        assert!(merged.clean);
        assert_eq!(
            merged.text,
            "---\ntitle: 运动会\ndate: 2026-11-20\n---\n\n第一段。\n\n乙加的一段。\n\n第二段。\n\n甲加的一段。\n"
        );
    }

    #[test]
    fn one_paragraph_changed_on_both_sides_keeps_both_versions() {
        let a = BASE.replace("第二段。", "第二段（甲改）。");
        let b = BASE.replace("第二段。", "第二段（乙改）。");
        let merged = merge(BASE, &b, &a);
        assert!(!merged.clean);
        assert!(
            merged.text.contains("第二段（甲改）。\n\n第二段（乙改）。"),
            "{}",
            merged.text
        );
    }

    #[test]
    fn a_field_and_a_paragraph_changed_apart_merge_cleanly() {
        let a = BASE.replace("title: 运动会", "title: 秋季运动会");
        let b = BASE.replace("第一段。", "第一段，改过。");
        let merged = merge(BASE, &b, &a);
        assert!(merged.clean);
        assert!(
            merged.text.contains("title: 秋季运动会") && merged.text.contains("第一段，改过。")
        );
        assert!(!merged.text.contains("第一段。\n"));
    }
}
