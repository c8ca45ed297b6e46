//! The shape of the code, checked like any other rule: the stages import only earlier stages
//! (ARCHITECTURE.md), and no function grows past about 80 lines.

use std::path::{Path, PathBuf};

/// Each top-level module and its place in the order data flows. Shared leaves (rank 0) are
/// used by every stage and use no stage themselves.
const RANKS: &[(&str, u32)] = &[
    ("codes", 0),
    ("diagnostics", 0),
    ("i18n", 0),
    ("domain", 0),
    ("store", 0),
    ("text", 0),
    ("urls", 0),
    ("yaml", 0),
    ("routes", 0),
    ("read", 0),
    ("confined", 0),
    ("photos", 0),
    ("config", 1),
    ("sources", 2),
    ("content", 3),
    ("markdown", 4),
    ("federation", 5),
    ("render", 6),
    ("outputs", 7),
    ("search", 8),
    ("check", 9),
    ("pipeline", 10),
    ("scaffold", 10),
    ("import", 11),
    ("serve", 12),
    ("edit", 13),
    ("server", 14),
    ("cli", 14),
    ("cmd", 15),
    ("main", 16),
    ("lib", 16),
];

fn rank(module: &str) -> Option<u32> {
    RANKS.iter().find(|(m, _)| *m == module).map(|(_, r)| *r)
}

/// Every `.rs` file under `src/` with its text before the first `#[cfg(test)]`.
fn sources() -> Vec<(PathBuf, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    walkdir::WalkDir::new(&src)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
            (e.path().strip_prefix(&src).unwrap().to_path_buf(), code)
        })
        .collect()
}

/// The `crate::<module>` names a line uses.
fn used_modules(line: &str) -> Vec<&str> {
    line.match_indices("crate::")
        .map(|(i, _)| {
            let rest = &line[i + 7..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '{'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

#[test]
fn no_stage_imports_a_later_one() {
    let mut wrong = Vec::new();
    for (path, code) in sources() {
        let first = path
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        let Some(own) = rank(&module) else {
            wrong.push(format!(
                "{}: module `{module}` has no place in RANKS",
                path.display()
            ));
            continue;
        };
        for (n, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for used in used_modules(line) {
                if used.starts_with('{') {
                    wrong.push(format!(
                        "{}:{}: write one `use crate::<module>::…` per module",
                        path.display(),
                        n + 1
                    ));
                    continue;
                }
                if matches!(used, "t" | "key_type") || used == module {
                    continue;
                }
                match rank(used) {
                    None => wrong.push(format!(
                        "{}:{}: unknown module `{used}`",
                        path.display(),
                        n + 1
                    )),
                    Some(r) if r > 0 && r >= own => wrong.push(format!(
                        "{}:{}: `{module}` imports the later stage `{used}`",
                        path.display(),
                        n + 1
                    )),
                    Some(0) if own == 0 => {}
                    Some(_) => {}
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Lines of each function in `code`, found the way the review hook counts them: from `fn`
/// to the line where its braces close.
fn function_lengths(code: &str) -> Vec<(usize, usize)> {
    let lines: Vec<&str> = code.lines().collect();
    let is_fn = |l: &str| {
        let t = l.trim_start();
        let t = t
            .strip_prefix("pub(crate) ")
            .or_else(|| t.strip_prefix("pub(super) "))
            .unwrap_or(t);
        let t = t.strip_prefix("pub ").unwrap_or(t);
        t.starts_with("fn ")
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if !is_fn(lines[i]) {
            i += 1;
            continue;
        }
        let (mut depth, mut started, mut j) = (0i32, false, i);
        while j < lines.len() {
            let t = strip_strings(lines[j]);
            let t = t.split("//").next().unwrap_or("");
            depth += t.matches('{').count() as i32 - t.matches('}').count() as i32;
            started |= t.contains('{');
            if (started && depth <= 0) || (!started && t.trim_end().ends_with(';')) {
                break;
            }
            j += 1;
        }
        out.push((i + 1, j - i + 1));
        i = j + 1;
    }
    out
}

fn strip_strings(line: &str) -> String {
    let mut out = String::new();
    let mut in_str = false;
    let mut escaped = false;
    for c in line.chars() {
        match (in_str, escaped, c) {
            (true, false, '\\') => escaped = true,
            (true, _, '"') if !escaped => in_str = false,
            (true, _, _) => escaped = false,
            (false, _, '"') => {
                in_str = true;
                out.push_str("\"\"");
            }
            (false, _, c) => out.push(c),
        }
    }
    out
}

#[test]
fn no_function_is_longer_than_eighty_lines() {
    let mut long = Vec::new();
    for (path, code) in sources() {
        for (line, len) in function_lengths(&code) {
            if len > 80 {
                long.push(format!("{}:{line}: {len} lines", path.display()));
            }
        }
    }
    assert!(
        long.is_empty(),
        "split these functions:\n{}",
        long.join("\n")
    );
}
