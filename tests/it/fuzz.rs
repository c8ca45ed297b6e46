//! Property tests: the front matter, config and Markdown parsers never panic, whatever a
//! webmaster (or a broken editor) writes.

use std::path::Path;

use chrono::FixedOffset;
use proptest::prelude::*;
use zhanqun::config::{cluster, site, vocab::Vocabularies};
use zhanqun::content::page::{self, PageSource};
use zhanqun::markdown::{self, LinkContext};

fn parse_page(rel: &str, text: &str) {
    let tz = FixedOffset::east_opt(8 * 3600).unwrap();
    let vocab = Vocabularies::default();
    let src = PageSource {
        site: zhanqun::config::SiteKey::default(),
        path: Path::new(rel),
        rel_path: rel,
        tz: &tz,
        bureau: true,
        vocab: &vocab,
        content_dir: Path::new("/nonexistent"),
    };
    if let Err(errs) = page::parse(text, &src) {
        for e in errs {
            assert!(e.line >= 1, "{e:?}");
        }
    }
}

/// YAML-ish text: keys of the front matter with odd values, brackets, quotes, tabs.
fn yamlish() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "title",
        "date",
        "updated",
        "slug",
        "syndicate",
        "tags",
        "files",
        "stage",
        "weight",
        "draft",
        "x",
        "",
        "title: a",
    ]);
    let value = prop::sample::select(vec![
        "",
        "a",
        "[",
        "]",
        "{",
        "'",
        "\"",
        ":",
        "- a",
        "2024-13-45",
        "2024-05-01",
        "2024-05-01T25:00:00Z",
        "up",
        "down",
        "../..",
        "\t",
        "中文",
        "~",
        "!!binary x",
        "&a",
        "*a",
        "|",
        ">",
    ]);
    prop::collection::vec((key, value, prop::bool::ANY), 0..12).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(k, v, indent)| format!("{}{k}: {v}\n", if indent { "  " } else { "" }))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(1000), ..ProptestConfig::default() })]

    #[test]
    fn pages_never_panic(text in "\\PC*") {
        parse_page("news/x.md", &text);
        parse_page("news/x.md", &format!("---\n{text}\n---\n"));
    }

    #[test]
    fn front_matter_never_panics(front in yamlish(), body in "\\PC{0,40}", name in "[0-9a-z中-]{0,14}") {
        let text = format!("---\n{front}---\n{body}");
        parse_page(&format!("news/{name}.md"), &text);
        parse_page(&format!("resources/{name}.md"), &text);
        parse_page(&format!("pages/{name}/index.md"), &text);
    }

    #[test]
    fn configs_never_panic(text in yamlish(), raw in "\\PC*") {
        for t in [&text, &raw] {
            let _ = site::parse(t, &zhanqun::yaml::Spans::parse(t), Path::new("sites/a.yaml"));
            let _ = cluster::parse(t, Path::new("cluster.yaml"));
        }
    }

    #[test]
    fn markdown_never_panics(text in "[#*_`\\[\\]()!<>|~\\-: a-z中\n]{0,200}") {
        let r = markdown::render(&text, &LinkContext::detached());
        prop_assert!(r.summary.chars().count() <= markdown::SUMMARY_CHARS + 1);
    }
}
