//! The example cluster's output, file by file, against the SHA-256 sums recorded in
//! `tests/snapshots/example-output.sha256`: a refactoring must leave every byte as it was.
//! When the output changes on purpose, run `ZHANQUN_BLESS=1 cargo test --release snapshot`
//! and review the changed lines of the sums file in the diff.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::helpers::snapshot;

fn sums(dir: &Path) -> String {
    snapshot(dir)
        .into_iter()
        .filter(|(path, _)| path != ".zhanqun")
        .map(|(path, bytes)| format!("{:x}  {path}\n", Sha256::digest(&bytes)))
        .collect()
}

#[test]
fn the_example_cluster_builds_byte_for_byte_as_recorded() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = crate::helpers::tempdir();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_zhanqun"))
        .args(["build", "--out"])
        .arg(out.path().join("public"))
        .current_dir(repo)
        .env("CI", "true")
        .env("ZHANQUN_LANG", "en")
        // The statistics show the build's year and 哀悼日 its day: fix the moment.
        .env("SOURCE_DATE_EPOCH", "1795392000")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let actual = sums(&out.path().join("public"));
    let recorded = repo.join("tests/snapshots/example-output.sha256");
    if std::env::var_os("ZHANQUN_BLESS").is_some() {
        std::fs::write(&recorded, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&recorded).unwrap_or_default();
    let changed: Vec<String> = actual
        .lines()
        .filter(|l| !expected.lines().any(|e| e == *l))
        .chain(
            expected
                .lines()
                .filter(|e| !actual.lines().any(|l| l == *e)),
        )
        .map(|l| l.split_once("  ").map_or(l, |(_, p)| p).to_string())
        .collect();
    assert!(changed.is_empty(), "output changed: {changed:?}");
}

/// The `<main>` of an output page: what the page shows besides the site's header and footer.
fn main_of(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html
        .rfind("</main>")
        .map_or(html.len(), |i| i + "</main>".len());
    &html[start..end]
}

/// Readable snapshots of a few representative pages of the example (`tests/snapshots/*.snap`,
/// insta): a failure shows the changed lines, not just a changed hash. After an intended
/// change, run `cargo insta review` (or `INSTA_UPDATE=always cargo test`) and read the diff.
#[test]
fn representative_pages_read_as_recorded() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-23T00:00:00+08:00").unwrap();
    let opts = zhanqun::pipeline::Options {
        root: repo.to_path_buf(),
        now: Some(now),
        ..Default::default()
    };
    let built = zhanqun::pipeline::render_all(opts, &zhanqun::render::NoProgress).unwrap();
    let page = |path: &str| match built.outputs.files.get(path) {
        Some(zhanqun::outputs::OutputData::Bytes(b)) => String::from_utf8_lossy(b).into_owned(),
        _ => panic!("no page {path}"),
    };
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(repo.join("tests/snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, path) in [
            ("city-home", "hanjiang/index.html"),
            (
                "school-article",
                "jb-shiyan-primary/news/秋季运动会/index.html",
            ),
            ("county-notices", "jiangbei/notices/index.html"),
            (
                "city-disclosure-item",
                "hanjiang/disclosure/部门预算/index.html",
            ),
            (
                "city-resource",
                "hanjiang/resources/劳动教育课程/index.html",
            ),
        ] {
            insta::assert_snapshot!(name, main_of(&page(path)));
        }
    });
}
