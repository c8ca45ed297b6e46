//! The Chinese webmaster guide (docs/快速上手.md), walked through as a teacher would: on a
//! copy of the example cluster, every file it shows is written and every command it shows
//! is run, in order; then what the guide promises is looked for in the output.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One step of the guide: a file to write or a command to run.
enum Step {
    Write(String, String),
    Run(Vec<String>),
    /// `zhanqun edit …`: the editor started and the section's numbered steps done in it.
    Edit(Vec<String>),
}

/// What the numbered steps of the guide's first section ask a reader to do in the editor:
/// press, pick or go to each 「name」 and type each `text`, in order.
fn editor_steps(guide: &str) -> serde_json::Value {
    let section = guide.split("\n## ").nth(1).expect("a first section");
    assert!(
        section.starts_with("在浏览器里编辑"),
        "the guide starts with 在浏览器里编辑"
    );
    let mut steps = Vec::new();
    let mut in_list = false;
    for line in section.lines() {
        let numbered = line
            .split_once(". ")
            .is_some_and(|(n, _)| n.parse::<u32>().is_ok());
        in_list = numbered || (in_list && line.starts_with("   "));
        if !in_list {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find(['「', '`']) {
            let (open, close) = if rest[at..].starts_with('`') {
                ('`', '`')
            } else {
                ('「', '」')
            };
            let start = at + open.len_utf8();
            let Some(len) = rest[start..].find(close) else {
                break;
            };
            let kind = if open == '`' { "type" } else { "click" };
            steps.push(serde_json::json!([kind, &rest[start..start + len]]));
            rest = &rest[start + len + close.len_utf8()..];
        }
    }
    serde_json::Value::Array(steps)
}

fn steps(guide: &str) -> Vec<Step> {
    let mut out = Vec::new();
    let mut lines = guide.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```").filter(|i| !i.is_empty()) else {
            continue;
        };
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        let title = info
            .split_once("title=\"")
            .and_then(|(_, t)| t.split_once('"'))
            .map(|(t, _)| t.to_string());
        match (info.split_whitespace().next(), title) {
            (Some("sh"), Some(t)) if t.contains("预览") => {
                out.push(Step::Run(vec!["serve".into(), "--help".into()]))
            }
            (Some("sh"), _) => out.extend(body.iter().filter_map(|l| {
                let args: Vec<String> = l
                    .strip_prefix("zhanqun ")?
                    .split_whitespace()
                    .map(String::from)
                    .collect();
                Some(if args[0] == "edit" {
                    Step::Edit(args)
                } else {
                    Step::Run(args)
                })
            })),
            (_, Some(path)) => out.push(Step::Write(path, body.join("\n") + "\n")),
            _ => {}
        }
    }
    out
}

fn copy_example(to: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["content", "sites", "themes"] {
        for e in walkdir::WalkDir::new(repo.join(dir))
            .into_iter()
            .filter_map(Result::ok)
        {
            let dest = to.join(e.path().strip_prefix(repo).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(e.path(), &dest).unwrap();
            }
        }
    }
    std::fs::copy(repo.join("cluster.yaml"), to.join("cluster.yaml")).unwrap();
}

fn read(root: &Path, rel: &str) -> String {
    let p: PathBuf = root.join("public").join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn the_chinese_guide_works_as_written() {
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/快速上手.md"))
            .unwrap();
    let tmp = crate::helpers::tempdir();
    let root = tmp.path();
    copy_example(root);
    // The Word document the guide imports, as a teacher would have saved it there.
    let word = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/word/家长会通知.docx");
    std::fs::copy(word, root.join("家长会通知.docx")).unwrap();
    let steps = steps(&guide);
    assert!(steps.len() >= 10, "the guide has its steps");
    let mut last_check = String::new();
    for step in steps {
        match step {
            Step::Write(path, text) => {
                let p = root.join(&path);
                assert!(!p.exists(), "the guide would overwrite {path}");
                std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                std::fs::write(p, text).unwrap();
            }
            Step::Edit(args) => walk_the_editor(root, &args, editor_steps(&guide)),
            Step::Run(args) => {
                let out = Command::new(env!("CARGO_BIN_EXE_zhanqun"))
                    .args(&args)
                    .current_dir(root)
                    .env("CI", "true")
                    .env_remove("ZHANQUN_LANG")
                    .output()
                    .unwrap();
                let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
                assert!(
                    out.status.success(),
                    "zhanqun {}:\n{stdout}{}",
                    args.join(" "),
                    String::from_utf8_lossy(&out.stderr)
                );
                if args[0] == "check" {
                    last_check = stdout;
                }
            }
        }
    }
    assert!(last_check.contains("0 个错误"), "{last_check}");
    assert!(
        last_check.contains("“再接再励”是错误写法，应为“再接再厉”"),
        "{last_check}"
    );
    let imported = std::fs::read_dir(root.join("content/jb-binjiang-primary/news"))
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| {
            e.file_name()
                .to_string_lossy()
                .ends_with("-关于召开2026年秋季家长会的通知")
        })
        .expect("the imported page's folder");
    let page = std::fs::read_to_string(imported.path().join("index.md")).unwrap();
    assert!(
        page.contains("title: 关于召开2026年秋季家长会的通知") && page.contains("draft: true"),
        "{page}"
    );
    assert!(
        page.contains("## 一、会议安排") && page.contains("![学校东门位置示意图](图1.png)"),
        "{page}"
    );
    assert!(imported.path().join("图1.png").is_file());
    let moved = read(root, "jb-binjiang-primary/news/运动会闭幕式/index.html");
    assert!(moved.contains("http-equiv=\"refresh\""), "{moved}");
    assert!(read(root, "jb-binjiang-primary/index.html").contains("江北区滨江小学"));
    assert!(read(root, "jb-jiangwan-primary/index.html").contains("江北区江湾小学"));
    assert!(read(root, "jiangbei/topics/课后服务/index.html").contains("课后服务进行时"));
    for site in [
        "jb-binjiang-primary",
        "jb-wenhualu-primary",
        "jiangbei",
        "hanjiang",
    ] {
        assert!(
            read(root, &format!("{site}/classes/index.html")).contains("二年级美术：会变的线条"),
            "三个课堂 on {site}"
        );
    }
    let drafts = std::fs::read_dir(root.join("content/jb-jiangwan-primary/news")).unwrap();
    assert_eq!(drafts.count(), 2, "_index.md and the new page");
    let news = "滨江小学举行冬季运动会开幕式";
    for site in ["jb-binjiang-primary", "jiangbei", "hanjiang"] {
        assert!(
            read(root, &format!("{site}/news/index.html")).contains(news),
            "报送 to {site}"
        );
    }
    let notice = "关于做好冬季校园安全工作的通知";
    assert!(
        read(root, "jb-binjiang-primary/notices/index.html").contains(notice),
        "下发"
    );
    assert!(
        read(root, "hanjiang/resources/index.html").contains("分数的初步认识"),
        "资源库"
    );
    assert!(
        read(root, "jiangbei/disclosure/index.html").contains("课后服务收费标准"),
        "信息公开"
    );
}

fn git(root: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The example cluster as a webmaster keeps it: a git repository with a remote to push to.
fn as_git_repository(root: &Path) -> PathBuf {
    let remote = root.join(".remote.git");
    git(root, &["init", "-q", "-b", "main"]);
    git(root, &["config", "user.name", "滨江小学通讯员"]);
    git(root, &["config", "user.email", "tongxunyuan@example.cn"]);
    std::fs::write(
        root.join(".gitignore"),
        ".remote.git/\npublic/\n.zhanqun/\n*.docx\n",
    )
    .unwrap();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "站群内容"]);
    git(
        root,
        &[
            "init",
            "-q",
            "-b",
            "main",
            "--bare",
            remote.to_str().unwrap(),
        ],
    );
    git(root, &["remote", "add", "origin", remote.to_str().unwrap()]);
    git(root, &["push", "-q", "-u", "origin", "main"]);
    remote
}

/// Starts `zhanqun <args>` (without `--open`: no browser is opened by a test) and has
/// Chromium do the section's `steps`; then looks for the page they make.
fn walk_the_editor(root: &Path, args: &[String], steps: serde_json::Value) {
    if crate::helpers::chromium().is_none() {
        return;
    }
    let remote = as_git_repository(root);
    let command: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| *a != "--open")
        .collect();
    let ed = crate::editor::edit_at(root, &command, &[], "zh-CN");
    let checks = crate::editor::in_browser(root, &ed, "hanjiang", "guide", &[("GUIDE", steps)]);
    crate::editor::assert_checks(&checks, &["pushed"]);
    let news = std::fs::read_dir(root.join("content/jb-shiyan-primary/news"))
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| {
            e.file_name()
                .to_string_lossy()
                .ends_with("-江北区实验小学开展春季植树活动")
        })
        .expect("the page the guide writes");
    let page = std::fs::read_to_string(news.path().join("index.md")).unwrap();
    assert!(
        page.contains("syndicate: up") && !page.contains("draft") && page.contains("五十棵小树苗"),
        "{page}"
    );
    let (status, county) = crate::editor::raw(
        ed.content,
        "GET /jiangbei/news/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert!(
        status == 200 && county.contains("江北区实验小学开展春季植树活动"),
        "报送 to the county"
    );
    let log = Command::new("git")
        .arg("--git-dir")
        .arg(&remote)
        .args(["log", "-1", "--format=%s"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&log.stdout).trim(),
        "植树活动新闻",
        "committed and pushed: {}",
        String::from_utf8_lossy(&log.stderr)
    );
    std::fs::remove_dir_all(root.join("content/hanjiang/static")).ok();
}
