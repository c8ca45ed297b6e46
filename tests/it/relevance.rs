//! Search relevance on the example cluster: the queries of
//! tests/fixtures/relevance/example.tsv (what parents and teachers type, of every kind) run
//! on the city's search page in Chromium; precision at 1 (the expected page first) and
//! recall in the top five are printed by kind and must stay at least where they are.
//! benches/relevance.py runs the same queries through Pagefind on the same pages.

use crate::helpers::{self, Fixture};
use crate::search::{host, paths, q, search_many};

/// One query of the set: its kind, the text typed and the page expected first.
struct Case {
    kind: String,
    query: String,
    expected: String,
}

fn cases() -> Vec<Case> {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/relevance/example.tsv");
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 3, "kind, query, expected: {l}");
            Case {
                kind: f[0].into(),
                query: f[1].into(),
                expected: f[2].into(),
            }
        })
        .collect()
}

#[test]
fn the_expected_page_comes_first_for_what_people_type() {
    let Some(chromium) = helpers::chromium() else {
        return;
    };
    let cases = cases();
    assert!(cases.len() >= 40, "at least 40 queries");
    let f = Fixture::example();
    let h = host(&f);
    let asked: Vec<String> = cases.iter().map(|c| q(&format!("q={}", c.query))).collect();
    let queries: Vec<(&str, &str)> = asked.iter().map(|a| ("hanjiang", a.as_str())).collect();
    let found = search_many(chromium, &h, &queries);
    let (mut first, mut top5, mut misses) = (0, 0, Vec::new());
    for (c, r) in cases.iter().zip(&found) {
        let got = paths(r);
        let at = got.iter().position(|p| *p == c.expected);
        first += usize::from(at == Some(0));
        top5 += usize::from(at.is_some_and(|i| i < 5));
        if at != Some(0) {
            misses.push(format!(
                "{} {}: {:?} ({})",
                c.kind,
                c.query,
                got.iter().take(3).collect::<Vec<_>>(),
                r.status
            ));
        }
    }
    let n = cases.len();
    println!(
        "relevance: P@1 {first}/{n}, R@5 {top5}/{n}\n{}",
        misses.join("\n")
    );
    // The measured level of this change; a change that loses a query must say why here.
    assert!(
        first * 100 >= n * 95,
        "P@1 {first}/{n}:\n{}",
        misses.join("\n")
    );
    assert!(top5 == n, "R@5 {top5}/{n}:\n{}", misses.join("\n"));
}
