//! [`Block`]s as the Markdown this project renders: headings one level below the page's
//! title, paragraphs without Word's first-line indent, nested lists, GFM tables (an HTML
//! table when cells are merged or hold more than one paragraph), pictures beside the page,
//! footnotes. Text is escaped so that nothing a writer typed turns into Markdown syntax.

use super::model::{Block, Cell, Format, Inline, Merge, Paragraph, Picture, Table};
use super::read::Note;
use super::styles::Role;

/// The Markdown of a document and what the writer should check.
#[derive(Debug, Default)]
pub struct Written {
    /// The Markdown body.
    pub text: String,
    /// Pictures written without a description (alt text).
    pub missing_alt: Vec<String>,
}

struct Writer<'a> {
    pictures: &'a [Picture],
    /// Added to a Word heading level to get the Markdown one.
    shift: i32,
    missing_alt: Vec<String>,
}

/// The Markdown of `blocks` and `notes`.
pub fn markdown(blocks: &[Block], notes: &[Note], pictures: &[Picture]) -> Written {
    // The page's title is the only h1: the highest heading of the body becomes h2.
    let top = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(Paragraph {
                role: Role::Heading(l),
                ..
            }) => Some(*l as i32),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let mut w = Writer {
        pictures,
        shift: 2 - top,
        missing_alt: Vec::new(),
    };
    let mut text = w.blocks(blocks);
    for (i, note) in notes.iter().enumerate() {
        let body = w.blocks(&note.blocks);
        let body = body.replace('\n', "\n    ");
        text.push_str(&format!("\n\n[^{}]: {}", i + 1, body.trim()));
    }
    let mut missing_alt = w.missing_alt;
    missing_alt.dedup();
    Written {
        text: format!("{}\n", text.trim()),
        missing_alt,
    }
}

impl Writer<'_> {
    fn blocks(&mut self, blocks: &[Block]) -> String {
        let mut parts: Vec<String> = Vec::new();
        let mut list: Vec<String> = Vec::new();
        let mut depth: i32 = -1;
        for block in blocks {
            if let Block::Paragraph(
                p @ Paragraph {
                    list: Some(item), ..
                },
            ) = block
            {
                let level = (item.level as i32).min(depth + 1);
                depth = level;
                let marker = if item.ordered {
                    format!("{}.", item.number)
                } else {
                    "-".to_string()
                };
                let indent = "    ".repeat(level as usize);
                let lines = self.lines(&p.inlines, false);
                let pad = " ".repeat(indent.len() + marker.len() + 1);
                list.push(format!(
                    "{indent}{marker} {}",
                    lines.join(&format!("\\\n{pad}"))
                ));
                continue;
            }
            if !list.is_empty() {
                parts.push(list.join("\n"));
                list.clear();
                depth = -1;
            }
            let text = match block {
                Block::Paragraph(p) if p.right && p.role == Role::Body => self.right_aligned(p),
                Block::Paragraph(p) => self.paragraph(p),
                Block::Table(t) => self.table(t),
            };
            if !text.trim().is_empty() {
                parts.push(text);
            }
        }
        if !list.is_empty() {
            parts.push(list.join("\n"));
        }
        parts.join("\n\n")
    }

    fn paragraph(&mut self, p: &Paragraph) -> String {
        match p.role {
            Role::Heading(_) | Role::Title if !p.inlines.is_empty() => {
                let level = match p.role {
                    Role::Heading(l) => (l as i32 + self.shift).clamp(2, 6),
                    _ => 2,
                };
                let text = self.lines(&p.inlines, true).join(" ");
                // `{#id}` at the end of a heading would set its id.
                let text = text.trim_end().replace("{", "\\{");
                if text.is_empty() {
                    String::new()
                } else {
                    format!("{} {text}", "#".repeat(level as usize))
                }
            }
            _ => self.lines(&p.inlines, false).join("\\\n"),
        }
    }

    /// A right-aligned paragraph (a 落款) as an HTML paragraph the themes align right, its
    /// lines as plain text.
    fn right_aligned(&mut self, p: &Paragraph) -> String {
        let lines: Vec<String> = self
            .lines(&p.inlines, true)
            .iter()
            .map(|l| crate::markdown::sanitize::escape(&unescape(l)))
            .collect();
        if lines.is_empty() {
            return String::new();
        }
        format!("<p class=\"align-right\">{}</p>", lines.join("<br>"))
    }

    /// The lines of a paragraph (split at its line breaks), each without Word's indent and
    /// with the start of the line escaped; empty lines left out.
    fn lines(&mut self, inlines: &[Inline], plain: bool) -> Vec<String> {
        let mut lines = vec![String::new()];
        self.inline_into(inlines, plain, &mut lines);
        lines
            .into_iter()
            .map(|l| escape_line_start(l.trim_matches(is_blank)))
            .filter(|l| !l.is_empty())
            .collect()
    }

    fn inline_into(&mut self, inlines: &[Inline], plain: bool, lines: &mut Vec<String>) {
        for inline in inlines {
            match inline {
                Inline::Text(text, format) => {
                    let escaped = escape(&text.replace(['\n', '\r'], " "));
                    let format = if plain { Format::default() } else { *format };
                    if let Some(line) = lines.last_mut() {
                        emphasize(line, &escaped, format);
                    }
                }
                Inline::Break if !plain => lines.push(String::new()),
                Inline::Break => push(lines, " "),
                Inline::Picture(index, alt) => {
                    let written = self.picture(*index, alt.as_deref());
                    push(lines, &written);
                }
                Inline::Link(url, inner) => {
                    let text = self.lines(inner, true).join(" ");
                    let text = if text.is_empty() { escape(url) } else { text };
                    push(lines, &format!("[{text}]({})", destination(url)));
                }
                Inline::Note(n) => push(lines, &format!("[^{n}]")),
            }
        }
    }

    fn picture(&mut self, index: usize, alt: Option<&str>) -> String {
        let Some(picture) = self.pictures.get(index) else {
            return String::new();
        };
        let alt = match alt {
            Some(alt) => escape(alt),
            None => {
                self.missing_alt.push(picture.name.clone());
                crate::i18n::text("import-alt-todo", &[])
            }
        };
        format!("![{alt}]({})", picture.name)
    }

    fn table(&mut self, table: &Table) -> String {
        if table.rows.is_empty() {
            return String::new();
        }
        if table.rows.iter().flatten().all(simple_cell) {
            self.pipe_table(table)
        } else {
            self.html_table(table)
        }
    }

    /// A GFM table; its first row is the header row.
    fn pipe_table(&mut self, table: &Table) -> String {
        let columns = table.rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let mut out = Vec::new();
        for (i, row) in table.rows.iter().enumerate() {
            let mut cells: Vec<String> = row.iter().map(|c| self.cell_text(c)).collect();
            cells.resize(columns, String::new());
            out.push(format!("| {} |", cells.join(" | ")));
            if i == 0 {
                out.push(format!("|{}", " --- |".repeat(columns)));
            }
        }
        out.join("\n")
    }

    fn cell_text(&mut self, cell: &Cell) -> String {
        match cell.blocks.first() {
            Some(Block::Paragraph(p)) => self.lines(&p.inlines, false).join("<br>"),
            _ => String::new(),
        }
    }

    /// An HTML table with `colspan` and `rowspan`; each cell's content rendered from its
    /// Markdown, so lists and pictures in cells stay what they were.
    fn html_table(&mut self, table: &Table) -> String {
        let spans = row_spans(table);
        let mut out = vec!["<table>".to_string()];
        for (r, row) in table.rows.iter().enumerate() {
            out.push("<tr>".into());
            for (c, cell) in row.iter().enumerate() {
                if cell.merge == Merge::Continue {
                    continue;
                }
                let mut attrs = String::new();
                if cell.span > 1 {
                    attrs.push_str(&format!(" colspan=\"{}\"", cell.span));
                }
                if let Some(&rows) = spans.get(&(r, c)).filter(|&&n| n > 1) {
                    attrs.push_str(&format!(" rowspan=\"{rows}\""));
                }
                let inner = self.blocks(&cell.blocks);
                out.push(format!("<td{attrs}>{}</td>", html(&inner)));
            }
            out.push("</tr>".into());
        }
        out.push("</table>".into());
        out.join("\n")
    }
}

/// A cell a GFM table can hold: one paragraph (or none), not merged, not a list item.
fn simple_cell(cell: &Cell) -> bool {
    cell.span == 1
        && cell.merge == Merge::None
        && cell.blocks.len() <= 1
        && cell
            .blocks
            .iter()
            .all(|b| matches!(b, Block::Paragraph(p) if p.list.is_none()))
}

/// The rows each merge-starting cell spans, by (row, index in row).
fn row_spans(table: &Table) -> std::collections::HashMap<(usize, usize), usize> {
    let columns: Vec<Vec<(usize, Merge)>> = table
        .rows
        .iter()
        .map(|row| {
            let mut at = 0;
            row.iter()
                .map(|cell| {
                    let start = at;
                    at += cell.span;
                    (start, cell.merge)
                })
                .collect()
        })
        .collect();
    let mut spans = std::collections::HashMap::new();
    for (r, row) in columns.iter().enumerate() {
        for (c, &(start, merge)) in row.iter().enumerate() {
            if merge != Merge::Restart {
                continue;
            }
            let below = columns[r + 1..]
                .iter()
                .take_while(|next| {
                    next.iter()
                        .any(|&(s, m)| s == start && m == Merge::Continue)
                })
                .count();
            spans.insert((r, c), below + 1);
        }
    }
    spans
}

/// The HTML of a cell's Markdown, on lines without blank ones (a blank line would end the
/// HTML block of the table).
fn html(markdown: &str) -> String {
    let mut out = String::new();
    let parser = pulldown_cmark::Parser::new_ext(markdown, crate::markdown::options());
    pulldown_cmark::html::push_html(&mut out, parser);
    let out = out.trim().to_string();
    let unwrapped = out
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .filter(|s| !s.contains("<p>"));
    unwrapped
        .unwrap_or(&out)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn push(lines: &mut [String], text: &str) {
    if let Some(line) = lines.last_mut() {
        line.push_str(text);
    }
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}'
}

/// Wraps `text` in the marks of `format`. Markdown's `**`/`*`/`~~` are used where
/// CommonMark reads them as intended; next to punctuation (`**“通知”**后` is not bold in
/// CommonMark) or right after another mark, HTML tags are.
fn emphasize(line: &mut String, text: &str, format: Format) {
    let core = text.trim_matches(is_blank);
    if core.is_empty() || format == Format::default() {
        line.push_str(text);
        return;
    }
    let lead = &text[..text.len() - text.trim_start_matches(is_blank).len()];
    let tail = &text[text.trim_end_matches(is_blank).len()..];
    let punctuated = |c: Option<char>| c.is_some_and(|c| !c.is_alphanumeric());
    let tags = punctuated(core.chars().next())
        || punctuated(core.chars().last())
        || line.ends_with(['*', '~', '\\'])
        || format.superscript
        || format.subscript;
    let marks: Vec<(&str, &str)> = [
        (format.bold, "**", "strong"),
        (format.italic, "*", "em"),
        (format.strike, "~~", "del"),
        (format.superscript, "", "sup"),
        (format.subscript, "", "sub"),
    ]
    .into_iter()
    .filter(|(on, _, _)| *on)
    .map(|(_, md, tag)| if tags { (tag, tag) } else { (md, md) })
    .collect();
    line.push_str(lead);
    for (open, _) in &marks {
        if tags {
            line.push_str(&format!("<{open}>"))
        } else {
            line.push_str(open)
        }
    }
    line.push_str(core);
    for (_, close) in marks.iter().rev() {
        if tags {
            line.push_str(&format!("</{close}>"))
        } else {
            line.push_str(close)
        }
    }
    line.push_str(tail);
}

/// Text with every character Markdown would read as syntax escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let entity = c == '&'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#');
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~' | '|'
        ) || entity
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A line whose start Markdown would read as a heading, quote, list or rule, escaped.
fn escape_line_start(line: &str) -> String {
    if line.starts_with(['#', '-', '+', '=', '>']) {
        return format!("\\{line}");
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) && line[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line.to_string()
}

/// Markdown's escapes taken out again (for text written as HTML).
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// A link destination that stays one destination: spaces, line breaks, control characters,
/// brackets, quotes and backslashes percent-encoded, so no character of a hyperlink taken
/// from Word can end the link or start a reference definition of its own.
fn destination(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_whitespace() || c.is_control() || "<>()[]\\\"`'".contains(c) {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str, bold: bool) -> Inline {
        Inline::Text(
            t.into(),
            Format {
                bold,
                ..Format::default()
            },
        )
    }

    #[test]
    fn typed_syntax_stays_text() {
        assert_eq!(
            escape("a*b_c [d] <e> 1|2 &amp;"),
            "a\\*b\\_c \\[d\\] \\<e\\> 1\\|2 \\&amp;"
        );
        assert_eq!(escape_line_start("1. 不是列表"), "1\\. 不是列表");
        assert_eq!(escape_line_start("# 不是标题"), "\\# 不是标题");
        assert_eq!(escape_line_start("一、总体要求"), "一、总体要求");
    }

    #[test]
    fn emphasis_uses_tags_next_to_punctuation() {
        let mut w = Writer {
            pictures: &[],
            shift: 1,
            missing_alt: Vec::new(),
        };
        let lines = w.lines(
            &[
                text("学校", false),
                text("春季运动会", true),
                text("开幕", false),
            ],
            false,
        );
        assert_eq!(lines, ["学校**春季运动会**开幕"]);
        let lines = w.lines(&[text("“通知”", true), text("后", false)], false);
        assert_eq!(lines, ["<strong>“通知”</strong>后"]);
        let lines = w.lines(&[text(" 加粗 ", true)], false);
        assert_eq!(lines, ["**加粗**"]);
    }

    #[test]
    fn word_indents_and_breaks() {
        let mut w = Writer {
            pictures: &[],
            shift: 1,
            missing_alt: Vec::new(),
        };
        let p = Paragraph {
            role: Role::Body,
            list: None,
            centered: false,
            right: false,
            inlines: vec![
                text("\u{3000}\u{3000}第一行", false),
                Inline::Break,
                text("第二行", false),
            ],
        };
        assert_eq!(w.paragraph(&p), "第一行\\\n第二行");
    }
}
