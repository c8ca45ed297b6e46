//! Git content sources on local bare repositories made here (no network): a branch and a
//! tag build and record their commits, the cache works offline, `--refresh` picks up new
//! commits, and unknown refs and unreachable URLs are reported clearly; a school's
//! repository is checked alone against the cluster with `check --cluster`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::helpers::Fixture;

/// A work repository and the bare repository it pushes to.
pub(crate) struct Repo {
    pub work: PathBuf,
    pub bare: PathBuf,
}

pub(crate) fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=测试", "-c", "user.email=t@example.test"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

impl Repo {
    /// A repository beside the cluster with `files`, committed on `main` and pushed.
    pub fn new(f: &Fixture, name: &str, files: &[(&str, &str)]) -> Repo {
        let base = f.root.parent().unwrap();
        let (work, bare) = (
            base.join(format!("{name}-work")),
            base.join(format!("{name}.git")),
        );
        std::fs::create_dir_all(&work).unwrap();
        git(&work, &["init", "-q"]);
        let repo = Repo { work, bare };
        repo.commit(files, "第一次提交");
        git(
            base,
            &[
                "clone",
                "-q",
                "--bare",
                repo.work.to_str().unwrap(),
                repo.bare.to_str().unwrap(),
            ],
        );
        git(
            &repo.work,
            &["remote", "add", "origin", repo.bare.to_str().unwrap()],
        );
        repo
    }

    /// Commits `files` and returns the commit id.
    pub fn commit(&self, files: &[(&str, &str)], message: &str) -> String {
        for (path, text) in files {
            let p = self.work.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        git(&self.work, &["add", "-A"]);
        git(&self.work, &["commit", "-q", "-m", message]);
        git(&self.work, &["rev-parse", "HEAD"])
    }

    pub fn push(&self) {
        git(&self.work, &["push", "-q", "--tags", "origin", "main"]);
    }

    pub fn url(&self) -> String {
        format!("file://{}", self.bare.display())
    }
}

const NEWS: &str = "---\ntitle: 校园开放日\ndate: 2024-05-06\n---\n欢迎家长来校参观。\n";

/// The basic fixture with `school` read from a branch of one repository and a new school
/// `school2` from a tag of another (its content in a subfolder).
fn cluster_with_git_schools() -> (Fixture, Repo, Repo) {
    let f = Fixture::new("basic");
    // The school's pages move from the cluster's folder into its own repository.
    let folder = f.root.join("content/school");
    let mut files: Vec<(String, String)> = walk(&folder);
    files.push(("news/2024-05-06-开放日.md".to_string(), NEWS.to_string()));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let one = Repo::new(&f, "school", &files);
    std::fs::remove_dir_all(folder).unwrap();
    let two = Repo::new(
        &f,
        "school2",
        &[(
            "site/news/2024-05-07-读书节.md",
            "---\ntitle: 读书节\ndate: 2024-05-07\n---\n读书节开幕。\n",
        )],
    );
    git(&two.work, &["tag", "v1"]);
    two.push();
    two.commit(
        &[(
            "site/news/2024-05-08-后来.md",
            "---\ntitle: 标签之后\ndate: 2024-05-08\n---\n不在 v1 里。\n",
        )],
        "标签之后",
    );
    two.push();
    f.write("sites/school.yaml", &format!(
        "name: 东区实验小学\nkind: school\nparent: county\ncontent: {{git: \"{}\", ref: main}}\nedit_url: https://git.example/school/-/edit/{{ref}}/{{path}}\n",
        one.url()
    ));
    f.write("sites/school2.yaml", &format!(
        "name: 东区第二小学\nkind: school\nparent: county\ncontent:\n  git: {}\n  ref: v1\n  path: site\n",
        two.bare.display()
    ));
    (f, one, two)
}

/// Every file under `dir` as (relative path, text).
fn walk(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            let name = entry.file_name().to_string_lossy().into_owned();
            out.extend(
                walk(&path)
                    .into_iter()
                    .map(|(p, t)| (format!("{name}/{p}"), t)),
            );
        } else {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((entry.file_name().to_string_lossy().into_owned(), text));
        }
    }
    out
}

fn manifest_commit(f: &Fixture, site: &str) -> String {
    let m: serde_json::Value =
        serde_json::from_str(&f.output(&format!("{site}/_zhanqun/manifest.json"))).unwrap();
    m["commit"].as_str().unwrap_or_default().to_string()
}

#[test]
fn a_branch_and_a_tag_build_and_record_their_commits() {
    let (f, one, two) = cluster_with_git_schools();
    f.build_ok(&[]);
    assert!(
        f.output("school/news/开放日/index.html")
            .contains("欢迎家长来校参观")
    );
    assert!(f.has_output("school2/news/读书节/index.html"));
    assert!(
        !f.has_output("school2/news/后来/index.html"),
        "after the tag"
    );
    let head = git(&one.work, &["rev-parse", "HEAD"]);
    assert_eq!(manifest_commit(&f, "school"), head);
    let manifest = f.output("school/_zhanqun/manifest.json");
    assert!(
        manifest.contains(&format!("\"source\": \"{}\"", one.url()))
            || manifest.contains(&format!("\"source\":\"{}\"", one.url())),
        "{manifest}"
    );
    assert_eq!(
        manifest_commit(&f, "school2"),
        git(&two.work, &["rev-parse", "v1"])
    );
    let page = f.output("school/news/开放日/index.html");
    let edit = format!(
        "href=\"https://git.example/school/-/edit/{head}/news/2024-05-06-%E5%BC%80%E6%94%BE%E6%97%A5.md\""
    );
    assert!(
        page.contains(&edit),
        "编辑此页 links the file at the commit: {page}"
    );
    assert!(f.root.join(".zhanqun/checkouts/school/news").is_dir());
}

#[test]
fn the_cache_builds_offline_and_refresh_picks_up_new_commits() {
    let (f, one, _two) = cluster_with_git_schools();
    f.build_ok(&[]);
    let first = manifest_commit(&f, "school");
    let second = one.commit(
        &[(
            "news/2024-05-09-新.md",
            "---\ntitle: 新消息\ndate: 2024-05-09\n---\n新的一条。\n",
        )],
        "新消息",
    );
    one.push();
    // Offline: the repository is gone, the cache still builds the commit it holds.
    let away = one.bare.with_extension("away");
    std::fs::rename(&one.bare, &away).unwrap();
    let run = f.build_ok(&[]);
    assert!(!run.stderr.contains("cannot fetch"), "{}", run.stderr);
    assert_eq!(manifest_commit(&f, "school"), first);
    let run = f.build_ok(&["--refresh"]);
    assert!(
        run.stderr.contains(&format!(
            "sites/school.yaml:4:10: warning: site `school`: cannot fetch `{}`",
            one.url()
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains(&format!("building the cached commit {}", &first[..12])),
        "{}",
        run.stderr
    );
    std::fs::rename(&away, &one.bare).unwrap();
    f.build_ok(&[]);
    assert_eq!(
        manifest_commit(&f, "school"),
        first,
        "no fetch without --refresh"
    );
    assert!(!f.has_output("school/news/新/index.html"));
    f.build_ok(&["--refresh"]);
    assert_eq!(manifest_commit(&f, "school"), second);
    assert!(f.has_output("school/news/新/index.html"));
}

#[test]
fn unknown_refs_and_unreachable_urls_are_reported_at_the_content_key() {
    let (f, one, _two) = cluster_with_git_schools();
    f.write("sites/school.yaml", &format!(
        "name: 东区实验小学\nkind: school\nparent: county\ncontent: {{git: \"{}\", ref: nope}}\n",
        one.url()
    ));
    let missing = f.root.parent().unwrap().join("nowhere.git");
    f.write(
        "sites/school2.yaml",
        &format!(
            "name: 东区第二小学\nkind: school\nparent: county\ncontent: {{git: \"{}\"}}\n",
            missing.display()
        ),
    );
    let run = f.build_holds_back(&[]);
    let expected = format!(
        "sites/school.yaml:4:10: error: `{}` has no branch, tag or commit `nope`",
        one.url()
    );
    assert!(run.stderr.contains(&expected), "{}", run.stderr);
    let unreachable = format!(
        "sites/school2.yaml:4:10: error: site `school2`: cannot fetch `{}`: ",
        missing.display()
    );
    assert!(run.stderr.contains(&unreachable), "{}", run.stderr);
    // Both schools are held back (never published, so absent); the bureaus publish.
    assert!(f.has_output("county/index.html"));
    assert!(!f.has_output("school/index.html") && !f.has_output("school2/index.html"));
    f.write(
        "sites/school.yaml",
        "name: 东区实验小学\nkind: school\nparent: county\ncontent: {git: x, path: ../up}\n",
    );
    let run = f.build_holds_back(&[]);
    assert!(
        run.stderr
            .contains("sites/school.yaml:4:10: error: `path: ../up` leaves the repository"),
        "{}",
        run.stderr
    );
}

/// The cluster as a git repository of its own, with `school` as a plain folder of it.
pub(crate) fn cluster_repo(f: &Fixture) -> String {
    git(&f.root, &["init", "-q"]);
    git(&f.root, &["add", "-A"]);
    git(&f.root, &["commit", "-q", "-m", "站群"]);
    format!("file://{}", f.root.display())
}

/// The user cache of a standalone check, beside the repository so each test has its own.
pub(crate) fn user_cache(repo: &Path) -> PathBuf {
    repo.parent().unwrap().join("user-cache")
}

pub(crate) fn check_alone(repo: &Path, args: &[&str]) -> crate::helpers::Run {
    let out = Command::new(env!("CARGO_BIN_EXE_zhanqun"))
        .arg("check")
        .args(args)
        .current_dir(repo)
        .env("ZHANQUN_CACHE", user_cache(repo))
        .env("ZHANQUN_LANG", "en")
        .env("CI", "true")
        .output()
        .unwrap();
    crate::helpers::Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn a_school_repository_is_checked_alone_against_the_cluster() {
    let (f, _one, two) = cluster_with_git_schools();
    let url = cluster_repo(&f);
    // The school's own repository, with a link into the other (git-sourced) school.
    let mine = f.root.parent().unwrap().join("mine");
    let page = "---\ntitle: 联合教研\ndate: 2024-05-10\n---\n\n见[读书节](@/school2/news/2024-05-07-读书节.md)和[错的](@/school2/news/读书.md)。\n";
    std::fs::create_dir_all(mine.join("news")).unwrap();
    std::fs::write(mine.join("news/2024-05-10-教研.md"), page).unwrap();
    let run = check_alone(&mine, &["--cluster", &url, "--site", "school", "--strict"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains(
            "news/2024-05-10-教研.md:6:42: error[ZQ202]: link to `@/school2/news/读书.md`"
        ),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("content/county"),
        "only the school's problems: {}",
        run.stdout
    );
    // Only what the school's pages depend on was fetched: school2 (linked), not school;
    // into the user's cache, never into the repository being checked.
    assert!(!mine.join(".zhanqun").exists());
    let checkouts = user_cache(&mine).join("clusters/checkouts");
    let checkout = std::fs::read_dir(&checkouts)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.is_dir())
        .expect("the cluster's checkout");
    assert!(checkout.join(".zhanqun/checkouts/school2").is_dir());
    assert!(!checkout.join(".zhanqun/checkouts/school").exists());
    let fixed = page.replace(
        "@/school2/news/读书.md",
        "@/school2/news/2024-05-07-读书节.md",
    );
    std::fs::write(mine.join("news/2024-05-10-教研.md"), fixed).unwrap();
    std::fs::write(
        mine.join("zhanqun-site.yaml"),
        format!("cluster: {url}\nsite: school\n"),
    )
    .unwrap();
    let run = check_alone(&mine, &[]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("0 error(s)"), "{}", run.stdout);
    drop(two);
}

#[test]
fn a_standalone_check_without_a_site_says_how_to_name_it() {
    let f = Fixture::new("basic");
    let mine = f.root.parent().unwrap().join("mine");
    std::fs::create_dir_all(&mine).unwrap();
    let cluster = f.root.display().to_string();
    let run = check_alone(&mine, &["--cluster", &cluster]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("`--site ID`, or `site: ID` in `zhanqun-site.yaml`"),
        "{}",
        run.stderr
    );
}
