//! 同步: the remote's new commits fetched and the repository's own commits replayed on top of
//! them (`git rebase`, uncommitted work stashed around it). Where the remote and this
//! computer changed the same page, the rebase stops; each such page is merged by paragraph
//! (`merge.rs`: both sides' paragraphs kept, a paragraph changed on both sides kept twice)
//! and the rebase goes on, so a sync never ends in a state a teacher cannot leave and
//! never drops a word. A picture or attachment changed on both sides keeps the remote's
//! file and this computer's beside it (`名称-本机.jpg`).

use std::path::Path;
use std::process::Command;

use crate::sources::git::{GitError, in_work_tree, output};

/// What a sync did.
#[derive(Debug, Default)]
pub struct Synced {
    /// Commits fetched from the remote that were not here.
    pub fetched: u64,
    /// Files changed on both sides and merged.
    pub merged: Vec<String>,
    /// Of those, pages where one paragraph was changed on both sides (kept twice).
    pub to_check: Vec<String>,
}

/// The most commits of one's own a sync replays.
const MAX_STEPS: usize = 200;

/// Syncs the work tree whose top folder is `root`.
pub fn run(root: &Path) -> Result<Synced, GitError> {
    output(in_work_tree(root).args(["fetch", "--quiet"]))?;
    let behind = count(root, "HEAD..@{upstream}")?;
    let mut done = Synced {
        fetched: behind,
        ..Synced::default()
    };
    if behind == 0 {
        return Ok(done);
    }
    let mut step = rebase(root, &["rebase", "--autostash", "@{upstream}"]);
    for _ in 0..MAX_STEPS {
        let Err(e) = step else {
            return Ok(done);
        };
        let conflicted = unmerged(root)?;
        if conflicted.is_empty() {
            let _ = output(in_work_tree(root).args(["rebase", "--abort"]));
            return Err(e);
        }
        for path in conflicted {
            resolve(root, &path, &mut done)?;
        }
        step = rebase(root, &["rebase", "--continue"]);
    }
    let _ = output(in_work_tree(root).args(["rebase", "--abort"]));
    Err(GitError("too many steps".into()))
}

/// A rebase command that never waits for an editor.
fn rebase(root: &Path, args: &[&str]) -> Result<std::process::Output, GitError> {
    let mut cmd: Command = in_work_tree(root);
    cmd.env("GIT_EDITOR", "true")
        .args(["-c", "core.editor=true"]);
    output(cmd.args(args))
}

fn count(root: &Path, range: &str) -> Result<u64, GitError> {
    let out = output(in_work_tree(root).args(["rev-list", "--count", range]))?;
    Ok(String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0))
}

/// The files the stopped rebase could not merge.
fn unmerged(root: &Path) -> Result<Vec<String>, GitError> {
    let out = output(in_work_tree(root).args(["diff", "--name-only", "--diff-filter=U", "-z"]))?;
    Ok(out
        .stdout
        .split(|&b| b == 0)
        .filter(|p| !p.is_empty())
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect())
}

/// Stage `n` of `path` (1 the common version, 2 the remote's, 3 this computer's commit).
fn stage(root: &Path, n: u8, path: &str) -> Option<Vec<u8>> {
    output(in_work_tree(root).arg("show").arg(format!(":{n}:{path}")))
        .ok()
        .map(|o| o.stdout)
}

/// Resolves one conflicted file by keeping both sides.
fn resolve(root: &Path, path: &str, done: &mut Synced) -> Result<(), GitError> {
    let (base, remote, mine) = (
        stage(root, 1, path),
        stage(root, 2, path),
        stage(root, 3, path),
    );
    let io = |e: std::io::Error| GitError(e.to_string());
    let full = root.join(path);
    let mut added = vec![path.to_string()];
    match (&remote, &mine) {
        (Some(r), Some(m)) => match (text(r), text(m), text(base.as_deref().unwrap_or_default())) {
            (Some(r), Some(m), Some(b)) => {
                let merged = super::merge::merge(b, m, r);
                std::fs::write(&full, merged.text).map_err(io)?;
                if !merged.clean {
                    done.to_check.push(path.to_string());
                }
            }
            _ => {
                let aside = beside(path);
                std::fs::write(&full, r).map_err(io)?;
                std::fs::write(root.join(&aside), m).map_err(io)?;
                added.push(aside);
            }
        },
        // Removed on one side and changed on the other: the changed file stays.
        (Some(kept), None) | (None, Some(kept)) => std::fs::write(&full, kept).map_err(io)?,
        (None, None) => {}
    }
    output(in_work_tree(root).args(["add", "--all", "--"]).args(&added))?;
    done.merged.push(path.to_string());
    Ok(())
}

fn text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok()
}

/// `news/x/图1.jpg` -> `news/x/图1-本机.jpg`.
fn beside(path: &str) -> String {
    match path.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') => format!("{stem}-本机.{ext}"),
        _ => format!("{path}-本机"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@x"])
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok, "git {args:?}");
    }

    #[test]
    fn a_page_changed_on_both_sides_keeps_both_paragraphs() {
        if Command::new("git").arg("--version").output().is_err() {
            return;
        }
        let tmp = tempfile::tempdir().unwrap();
        let (remote, a, b) = (
            tmp.path().join("r.git"),
            tmp.path().join("a"),
            tmp.path().join("b"),
        );
        git(
            tmp.path(),
            &[
                "init",
                "-q",
                "--bare",
                "-b",
                "main",
                remote.to_str().unwrap(),
            ],
        );
        git(
            tmp.path(),
            &["clone", "-q", remote.to_str().unwrap(), a.to_str().unwrap()],
        );
        let page = "---\ntitle: 通知\n---\n\n第一段。\n\n第二段。\n";
        std::fs::write(a.join("p.md"), page).unwrap();
        git(&a, &["add", "."]);
        git(&a, &["commit", "-qm", "one"]);
        git(&a, &["push", "-q", "origin", "HEAD:main"]);
        git(
            tmp.path(),
            &["clone", "-q", remote.to_str().unwrap(), b.to_str().unwrap()],
        );
        std::fs::write(
            a.join("p.md"),
            page.replace("第二段。", "第二段。\n\n学校加的。"),
        )
        .unwrap();
        git(&a, &["commit", "-qam", "a"]);
        git(&a, &["push", "-q", "origin", "HEAD:main"]);
        // Both add a paragraph at the same place: git cannot merge that by lines.
        std::fs::write(
            b.join("p.md"),
            page.replace("第二段。", "第二段。\n\n区里加的。"),
        )
        .unwrap();
        git(&b, &["commit", "-qam", "b"]);
        let done = run(&b).unwrap();
        assert_eq!(
            (done.fetched, done.merged.as_slice()),
            (1, ["p.md".to_string()].as_slice())
        );
        assert!(done.to_check.is_empty());
        let merged = std::fs::read_to_string(b.join("p.md")).unwrap();
        assert!(
            merged.contains("学校加的。") && merged.contains("区里加的。"),
            "{merged}"
        );
        git(&b, &["push", "-q", "origin", "HEAD:main"]);
    }
}
