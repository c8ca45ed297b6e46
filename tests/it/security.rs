//! Trust between sites: the second hostile audit's attacks, each as it was written, against
//! the build, `check`, `new` and the statistics files (the preview server's are in
//! `serve.rs`, search's in `search.rs`). A school's repository may publish its own pages and
//! nothing else: no file of the build machine, no program run, no secret, no forged
//! generated file, and no failure of another site's build.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::helpers::{Fixture, errors};
use crate::sources::{Repo, check_alone, cluster_repo, git, user_cache};

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).unwrap();
}

/// A folder of the build machine with a secret in it, outside every repository.
fn secret_folder(f: &Fixture) -> std::path::PathBuf {
    let dir = f.root.parent().unwrap().join("machine-secrets");
    std::fs::create_dir_all(dir.join("news")).unwrap();
    std::fs::write(dir.join("secret.txt"), "TOP-SECRET").unwrap();
    std::fs::write(
        dir.join("news/x.md"),
        "---\ntitle: 机密\ndate: 2024-05-01\n---\nTOP-SECRET\n",
    )
    .unwrap();
    dir
}

/// Every file of the output whose bytes contain `needle`.
fn outputs_containing(dir: &Path, needle: &str) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            std::fs::read(e.path())
                .map(|b| String::from_utf8_lossy(&b).contains(needle))
                .unwrap_or(false)
        })
        .map(|e| e.path().display().to_string())
        .collect()
}

/// (1) `path:` through a committed symbolic link, at the top and in the middle of the path.
#[cfg(unix)]
#[test]
fn a_path_through_a_committed_symlink_publishes_nothing_of_the_machine() {
    let f = Fixture::new("basic");
    let secrets = secret_folder(&f);
    let repo = Repo::new(&f, "evil", &[("README.md", "学校仓库\n")]);
    symlink(&secrets, repo.work.join("content"));
    std::fs::create_dir_all(repo.work.join("a")).unwrap();
    symlink("../../../../machine-secrets", repo.work.join("a/b"));
    repo.commit(&[], "链接");
    repo.push();
    for path in ["content", "a/b"] {
        f.write(
            "sites/school.yaml",
            &format!(
                "name: 东区实验小学\nkind: school\nparent: county\ncontent: {{git: \"{}\", path: {path}}}\n",
                repo.url()
            ),
        );
        let run = f.build_holds_back(&[]);
        assert!(
            run.stderr.contains(&format!(
                "sites/school.yaml:4:10: error: `path: {path}` goes through a symbolic link that leads out of the repository"
            )),
            "{}",
            run.stderr
        );
        let check = f.run(&["check", "--today", "2024-06-01"]);
        assert_eq!(
            check.code, 1,
            "check passes what build refuses: {}",
            check.stdout
        );
        assert!(check.stdout.contains("[ZQ015]"), "{}", check.stdout);
        assert!(outputs_containing(&f.root.join("public"), "TOP-SECRET").is_empty());
    }
}

/// (2) `check` of a school's repository never runs what the repository committed: a
/// pre-seeded cache with a hook, and hooks placed into the real cache.
#[cfg(unix)]
#[test]
fn check_never_runs_hooks_a_repository_committed() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new("basic");
    let url = cluster_repo(&f);
    let mine = f.root.parent().unwrap().join("mine");
    let marker = f.root.parent().unwrap().join("HOOK-RAN");
    let hook = format!("#!/bin/sh\ntouch '{}'\n", marker.display());
    let plant = |git_dir: &Path| {
        for name in ["reference-transaction", "post-checkout", "pre-auto-gc"] {
            let h = git_dir.join("hooks").join(name);
            std::fs::create_dir_all(h.parent().unwrap()).unwrap();
            std::fs::write(&h, &hook).unwrap();
            std::fs::set_permissions(&h, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    };
    // Where earlier versions kept the cluster's cache: inside the repository being checked.
    let cache = zhanqun::sources::git::Cache::of(&mine.join(".zhanqun/git"), &url);
    let seeded = mine
        .join(".zhanqun/git")
        .join(format!("{}.git", cache.name()));
    git(
        f.root.parent().unwrap(),
        &["init", "-q", "--bare", seeded.to_str().unwrap()],
    );
    plant(&seeded);
    std::fs::create_dir_all(mine.join("news")).unwrap();
    std::fs::write(
        mine.join("news/2024-05-10-教研.md"),
        "---\ntitle: 教研\ndate: 2024-05-10\n---\n教研活动。\n",
    )
    .unwrap();
    // The school's menu links to 学校概况: the repository has it, so the check is clean.
    std::fs::create_dir_all(mine.join("pages")).unwrap();
    std::fs::write(
        mine.join("pages/about.md"),
        "---\ntitle: 学校概况\n---\n概况。\n",
    )
    .unwrap();
    let run = check_alone(&mine, &["--cluster", &url, "--site", "school"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!marker.exists(), "a hook the repository committed ran");
    // Hooks in the real cache (a shared cache someone else could write) never run either.
    let real = user_cache(&mine).join("clusters/git");
    let bare = std::fs::read_dir(&real)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    plant(&bare);
    git(&f.root, &["commit", "-q", "--allow-empty", "-m", "更新"]);
    let run = check_alone(&mine, &["--cluster", &url, "--site", "school"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!marker.exists(), "a hook in the cache ran");
}

/// (3) Credentials in a git URL never reach the output or a message.
#[test]
fn credentials_in_a_git_url_are_never_published_or_printed() {
    let f = Fixture::new("basic");
    let unreachable = "https://bot:S3CRET-TOKEN@127.0.0.1:9/school.git";
    f.write(
        "sites/school.yaml",
        &format!("name: 东区实验小学\nkind: school\nparent: county\ncontent: {{git: \"{unreachable}\"}}\n"),
    );
    for format in ["text", "json", "github"] {
        let run = f.run(&["check", "--format", format]);
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(said.contains("ZQ015"), "{said}");
        assert!(!said.contains("S3CRET-TOKEN"), "{said}");
        assert!(said.contains("https://127.0.0.1:9/school.git"), "{said}");
    }
    // A repository in the cache under a URL with credentials: the build works offline and
    // its manifest names the URL without them.
    let repo = Repo::new(
        &f,
        "school",
        &[(
            "news/2024-05-06-开放日.md",
            "---\ntitle: 开放日\ndate: 2024-05-06\n---\n欢迎。\n",
        )],
    );
    let with_token = "https://bot:S3CRET-TOKEN@git.example.test/school.git";
    zhanqun::sources::git::Cache::of(&f.root.join(".zhanqun/git"), with_token)
        .fetch(&repo.url())
        .unwrap();
    f.write(
        "sites/school.yaml",
        &format!(
            "name: 东区实验小学\nkind: school\nparent: county\ncontent: {{git: \"{with_token}\"}}\n"
        ),
    );
    f.build_ok(&[]);
    let manifest = f.output("school/_zhanqun/manifest.json");
    assert!(
        manifest.contains("\"https://git.example.test/school.git\""),
        "{manifest}"
    );
    assert!(outputs_containing(&f.root.join("public"), "S3CRET-TOKEN").is_empty());
}

/// (4) A school's static files never replace a generated file: its own search rows (which
/// the bureaus' search shows), its search export, its home page.
#[test]
fn static_files_cannot_replace_generated_files() {
    let f = Fixture::new("basic");
    f.write(
        "content/school/static/search/own/0.json",
        "[[\"javascript:alert(document.cookie)\",\"伪造\",\"x\",\"x\",\"\",\"x\"]]",
    );
    f.write("content/school/static/_zhanqun/search.jsonl", "{}\n");
    f.write("content/school/static/index.html", "<p>假首页</p>");
    f.write("content/school/news/index.html", "<p>假列表</p>");
    let run = f.build_holds_back(&[]);
    for (file, path, what) in [
        (
            "content/school/static/search/own/0.json",
            "search/own/0.json",
            "search/",
        ),
        (
            "content/school/static/_zhanqun/search.jsonl",
            "_zhanqun/search.jsonl",
            "_zhanqun/",
        ),
        (
            "content/school/static/index.html",
            "index.html",
            "index.html",
        ),
    ] {
        let line = format!(
            "{file}:1:1: error: `{path}` would replace `{what}`, which the build makes itself"
        );
        assert!(run.stderr.contains(&line), "{line}\n{}", run.stderr);
    }
    // A file among the pages of a section wants the section's listing: the same rule.
    let check = f.run(&["check"]);
    assert_eq!(check.code, 1);
    for code in [
        "content/school/static/index.html:1:1: error[ZQ125]",
        "content/school/news/index.html:1:1: error[ZQ125]",
    ] {
        assert!(check.stdout.contains(code), "{code}\n{}", check.stdout);
    }
}

/// (5) A school that deletes or hides an adopted page never stops the bureau's build; both
/// sides are told.
#[test]
fn a_vanished_adoption_is_a_warning_and_the_school_is_told() {
    let f = Fixture::new("basic");
    f.write("sites/county.yaml", "name: 东区教育局\nkind: county\nparent: city\nsyndication:\n  review: true\nfooter:\n  sponsor: 东区教育局\n");
    let page = "content/school/news/2024-05-07-采用.md";
    f.write(
        page,
        "---\ntitle: 被采用的稿件\ndate: 2024-05-07\nsyndicate: up\n---\n好稿。\n",
    );
    f.write(
        "content/county/adopted.yaml",
        "- {item: \"@/school/news/2024-05-07-采用.md\", date: 2024-05-09}\n",
    );
    f.write("content/city/news/链接.md", "---\ntitle: 转载\ndate: 2024-05-09\n---\n见[学校稿件](@/school/news/2024-05-07-采用.md)。\n");
    f.build_ok(&[]);
    for (what, hidden) in [
        ("draft", "is hidden (a draft, or dated in the future)"),
        ("delete", "was removed or renamed"),
    ] {
        if what == "draft" {
            f.write(page, "---\ntitle: 被采用的稿件\ndate: 2024-05-07\nsyndicate: up\ndraft: true\n---\n好稿。\n");
        } else {
            std::fs::remove_file(f.root.join(page)).unwrap();
        }
        let run = f.build_ok(&[]);
        assert!(run.stderr.contains("content/county/adopted.yaml:1:1: warning: `@/school/news/2024-05-07-采用.md` is not an item offered"), "{}", run.stderr);
        let run = f.run(&["check", "--site", "school", "--today", "2024-05-10"]);
        assert_eq!(run.code, 0, "{}", run.stdout);
        for by in [
            "东区教育局 still uses it: its `content/county/adopted.yaml` adopted it at line 1",
            "测试市教育局 still uses it: `content/city/news/链接.md` links to it at line 5",
        ] {
            let line = format!("{page}:1:1: warning[ZQ509]: this page {hidden}, but {by}");
            assert!(run.stdout.contains(&line), "{line}\n{}", run.stdout);
        }
    }
}

/// (6) A symbolic link to a device in a repository checked alone is refused at once, not
/// read until memory runs out.
#[cfg(unix)]
#[test]
fn a_link_to_a_device_is_never_read() {
    let f = Fixture::new("basic");
    let url = cluster_repo(&f);
    let mine = f.root.parent().unwrap().join("mine");
    std::fs::create_dir_all(mine.join("news")).unwrap();
    symlink("/dev/zero", mine.join("news/zero.md"));
    symlink(
        "/dev/zero",
        mine.join(zhanqun::check::standalone::SITE_FILE),
    );
    let started = Instant::now();
    let run = check_alone(&mine, &["--cluster", &url, "--site", "school"]);
    assert!(started.elapsed() < Duration::from_secs(60));
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(said.contains("leads outside"), "{said}");
    std::fs::remove_file(mine.join(zhanqun::check::standalone::SITE_FILE)).unwrap();
    let run = check_alone(&mine, &["--cluster", &url, "--site", "school"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("news/zero.md:1:1: error[ZQ118]"),
        "{}",
        run.stdout
    );
    // Read through the same rules, a huge page is refused with its size, not read whole.
    let big = f.root.join("content/school/news/big.md");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(17 * 1024 * 1024).unwrap();
    let run = f.run(&["check"]);
    assert!(
        run.stdout.contains(
            "content/school/news/big.md:1:1: error[ZQ011]: the file is larger than 16 MB"
        ),
        "{}",
        run.stdout
    );
}

/// (7) `check` finds every collision with a generated path that `build` would hit.
#[test]
fn a_page_at_a_generated_path_is_found_by_check_and_refused_by_build() {
    let f = Fixture::new("basic");
    for (file, slug) in [("pages/feed.md", "rss.xml"), ("pages/find.md", "search")] {
        f.write(
            &format!("content/school/{file}"),
            &format!("---\ntitle: 冲突\ndate: 2024-05-01\nslug: {slug}\n---\n"),
        );
    }
    let check = f.run(&["check"]);
    assert_eq!(check.code, 1);
    for line in [
        "content/school/pages/feed.md:1:1: error[ZQ125]: `rss.xml/` would replace `rss.xml`",
        "content/school/pages/find.md:1:1: error[ZQ125]: `search/` would replace `search/`",
    ] {
        assert!(check.stdout.contains(line), "{line}\n{}", check.stdout);
    }
    let run = f.build_holds_back(&[]);
    assert_eq!(errors(&run.stderr).len(), 2, "{}", run.stderr);
}

/// (8) Lessons have sane bounds.
#[test]
fn lessons_out_of_bounds_are_errors_at_their_key() {
    let f = Fixture::new("basic");
    let lesson = |extra: &str| {
        format!(
            "---\ntitle: 课\nkind: 专递课堂\nsubject: 数学\ngrade: 三年级\nteacher: 李\nstarts: 2024-05-30 14:30\n{extra}\n---\n"
        )
    };
    f.write(
        "content/county/classes/长.md",
        &lesson("duration: 4294967295\nreceivers: [school]"),
    );
    f.write(
        "content/county/classes/倒.md",
        &lesson("duration: 40\nrepeat: {weekly_until: 2024-05-01}\nreceivers: [school]"),
    );
    f.write(
        "content/school/classes/自己.md",
        &lesson("duration: 40\nreceivers: [school]"),
    );
    let run = f.build_holds_back(&[]);
    for line in [
        "content/county/classes/长.md:8:11: error: the lesson lasts longer than 12 hours",
        "content/county/classes/倒.md:9:9: error: `weekly_until` is before the lesson's first date",
        "content/school/classes/自己.md:9:1: error: the teaching site `school` cannot be its own receiver",
    ] {
        assert!(run.stderr.contains(line), "{line}\n{}", run.stderr);
    }
    assert!(!run.stderr.contains("DTEND"));
}

/// (12) `new` writes only what it was asked: no YAML keys smuggled in a name, and pages of
/// every section kind that pass their own check.
#[test]
fn new_refuses_line_breaks_and_knows_every_section_kind() {
    let f = Fixture::new("basic");
    let run = f.run(&[
        "new",
        "site",
        "evil",
        "--kind",
        "school",
        "--parent",
        "county",
        "--name",
        "x\nicp: 伪造",
    ]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(!f.root.join("sites/evil.yaml").exists());
    assert!(!f.root.join("content/evil").exists());
    let run = f.run(&[
        "new",
        "site",
        "ok",
        "--kind",
        "school",
        "--parent",
        "county",
        "--name",
        "关于: \"x\" #1",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for target in [
        "county/classes/数学课",
        "county/topics/读书月",
        "school/news/读书节",
    ] {
        let run = f.run(&["new", "page", target, "--title", "标题: 带冒号"]);
        assert_eq!(run.code, 0, "{target}: {}", run.stderr);
    }
    let check = f.run(&["check", "--drafts", "--today", "2024-05-10"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
    f.build_ok(&["--drafts"]);
    assert!(
        f.output("county/classes/数学课/index.html")
            .contains("标题: 带冒号")
    );
    assert!(
        f.output("county/topics/读书月/index.html")
            .contains("标题: 带冒号")
    );
    assert!(f.output("ok/index.html").contains("关于: &quot;x&quot; #1"));
}

/// (13) Text cells of `stats.csv` are never formulas in Excel or WPS.
#[test]
fn statistics_csv_cells_are_never_formulas() {
    let f = Fixture::new("basic");
    f.write("sites/school.yaml", "name: \"=HYPERLINK(\\\"http://evil.example\\\",\\\"点我\\\")\"\nkind: school\nparent: county\n");
    f.build_at("1717200000", &[]);
    let csv = f.output("county/stats/stats.csv");
    assert!(
        csv.contains(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")\","),
        "{csv}"
    );
    assert!(!csv.contains(",=HYPERLINK"), "{csv}");
}

/// The 专题 of a reviewing bureau shows others' news only once adopted.
#[test]
fn a_reviewing_bureaus_topic_shows_only_adopted_news() {
    let f = Fixture::new("basic");
    f.write(
        "sites/county.yaml",
        "name: 东区教育局\nkind: county\nparent: city\nsyndication:\n  review: true\n",
    );
    f.write(
        "content/county/topics/读书.md",
        "---\ntitle: 读书\ntags: [读书]\n---\n",
    );
    f.write(
        "content/school/news/2024-05-07-甲.md",
        "---\ntitle: 已采用的读书稿\ndate: 2024-05-07\nsyndicate: up\ntags: [读书]\n---\n甲。\n",
    );
    f.write(
        "content/school/news/2024-05-08-乙.md",
        "---\ntitle: 未采用的读书稿\ndate: 2024-05-08\nsyndicate: up\ntags: [读书]\n---\n乙。\n",
    );
    f.write(
        "content/county/adopted.yaml",
        "- {item: \"@/school/news/2024-05-07-甲.md\"}\n",
    );
    f.build_ok(&[]);
    let topic = f.output("county/topics/读书/index.html");
    assert!(topic.contains("已采用的读书稿"), "{topic}");
    assert!(!topic.contains("未采用的读书稿"), "{topic}");
}
