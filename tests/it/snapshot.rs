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
    let out = tempfile::tempdir().unwrap();
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
