//! Inputs that must never panic or hang, and builds that are interrupted.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{Fixture, errors, snapshot};

#[test]
fn odd_files_get_clear_diagnostics() {
    let f = Fixture::new("basic");
    f.write("content/city/news/empty.md", "");
    f.write("content/city/news/dashes.md", "---");
    f.write("content/city/news/only-open.md", "---\ntitle: 没有结束\n");
    f.write("content/city/news/blank-front.md", "---\n---\n正文\n");
    let run = f.build_holds_back(&[]);
    assert_eq!(
        errors(&run.stderr),
        [
            "content/city/news/blank-front.md:1:1: error: missing `date` (发布日期)",
            "content/city/news/blank-front.md:1:1: error: missing `title` (标题)",
            "content/city/news/dashes.md:1:1: error: the front matter is never closed",
            "content/city/news/empty.md:1:1: error: missing front matter: the file must start with a `---` line",
            "content/city/news/only-open.md:1:1: error: the front matter is never closed",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn a_ten_megabyte_page_builds() {
    let f = Fixture::new("basic");
    let para = "这是一个很长的段落，用来检验大文件的处理。".repeat(40);
    let body: String = (0..4000)
        .map(|i| format!("## 第{i}节\n\n{para}\n\n"))
        .collect();
    assert!(body.len() > 10_000_000);
    f.write(
        "content/city/news/2024-04-30-big.md",
        &format!("---\ntitle: 大文件\n---\n{body}"),
    );
    let start = Instant::now();
    f.build_ok(&[]);
    assert!(start.elapsed() < Duration::from_secs(60));
    assert!(
        f.output("city/news/big/index.html")
            .contains("<h2 id=\"第3999节\">第3999节</h2>")
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_not_followed_forever() {
    let f = Fixture::new("basic");
    std::os::unix::fs::symlink(
        f.root.join("content/city"),
        f.root.join("content/city/news/loop"),
    )
    .unwrap();
    let run = f.build_holds_back(&[]);
    let errs = errors(&run.stderr);
    assert_eq!(
        errs,
        ["content/city/news/loop:1:1: error: symbolic link loop"],
        "{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn an_interrupted_build_leaves_the_previous_output_alone() {
    let f = Fixture::new("basic");
    f.build_ok(&[]);
    let before = snapshot(&f.root.join("public"));
    // Enough pages that writing takes a while, so the interrupt lands mid-write.
    for i in 0..6000 {
        f.write(
            &format!("content/school/news/p{i}.md"),
            &format!("---\ntitle: 第{i}条\ndate: 2024-01-01\n---\n正文{i}\n"),
        );
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhanqun"))
        .arg("build")
        .current_dir(&f.root)
        .env("CI", "true")
        .env("ZHANQUN_LANG", "en")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let parent = f.root.clone();
    let deadline = Instant::now() + Duration::from_secs(60);
    let tmp_exists = || {
        std::fs::read_dir(&parent).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .contains("zhanqun-tmp")
        })
    };
    while !tmp_exists() {
        assert!(Instant::now() < deadline, "the build never started writing");
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build finished before it could be interrupted"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
    assert!(
        snapshot(&f.root.join("public")) == before,
        "the previous output is exactly as it was"
    );
    assert!(!tmp_exists(), "no temporary folder is left behind");
}
