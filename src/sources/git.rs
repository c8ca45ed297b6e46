//! The `git` program, run for the few operations content sources need: fetch into a bare
//! cache, resolve a ref, write a commit's files into a folder.
//!
//! Why the program rather than a library: it uses the webmaster's own credentials (SSH keys,
//! credential helpers, proxies, `insteadOf` rules) exactly as `git clone` does, every CI image
//! and school computer that edits a repository has it, and it adds no C library or TLS stack
//! to the build. gitoxide cannot yet check out with the user's credential set-up everywhere
//! and git2 links libgit2 and OpenSSL; neither would fetch faster than `git` itself.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A bare repository under the cluster's cache, mirroring one remote URL.
pub struct Cache {
    dir: PathBuf,
}

/// What went wrong running git, in git's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitError(pub String);

impl Cache {
    /// The cache of `url` inside `cache_root` (not created yet).
    pub fn of(cache_root: &Path, url: &str) -> Cache {
        let cache_root =
            &std::path::absolute(cache_root).unwrap_or_else(|_| cache_root.to_path_buf());
        let hash = xxhash_rust::xxh3::xxh3_64(url.as_bytes());
        let tail: String = url
            .trim_end_matches('/')
            .trim_end_matches(".git")
            .rsplit(['/', ':', '\\'])
            .next()
            .unwrap_or("repo")
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .take(40)
            .collect();
        Cache {
            dir: cache_root.join(format!("{tail}-{hash:016x}.git")),
        }
    }

    /// The cache's readable, unique name (`<repo>-<hash>`), for a checkout of it elsewhere.
    pub fn name(&self) -> String {
        self.dir
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// True when an earlier fetch made the cache.
    pub fn exists(&self) -> bool {
        self.dir.join("HEAD").is_file()
    }

    /// Fetches every branch, every tag and the remote's default branch from `url`.
    pub fn fetch(&self, url: &str) -> Result<(), GitError> {
        if !self.exists() {
            std::fs::create_dir_all(&self.dir).map_err(|e| GitError(e.to_string()))?;
            run(git(None)
                .arg("init")
                .arg("--bare")
                .arg("--quiet")
                .arg(&self.dir))?;
        }
        run(git(Some(&self.dir))
            .args([
                "fetch",
                "--quiet",
                "--force",
                "--prune",
                "--no-write-fetch-head",
                "--",
            ])
            .arg(url)
            .args([
                "+HEAD:refs/zhanqun/HEAD",
                "+refs/heads/*:refs/heads/*",
                "+refs/tags/*:refs/tags/*",
            ]))
        .map(|_| ())
    }

    /// The commit `reference` names (a branch, a tag or a commit id; the remote's default
    /// branch when `None`), if the cache holds it.
    pub fn resolve(&self, reference: Option<&str>) -> Option<String> {
        if !self.exists() {
            return None;
        }
        let candidates: Vec<String> = match reference {
            None => vec!["refs/zhanqun/HEAD".to_string()],
            Some(r) => vec![
                format!("refs/heads/{r}"),
                format!("refs/tags/{r}"),
                r.to_string(),
            ],
        };
        candidates.iter().find_map(|c| {
            let out = run(git(Some(&self.dir))
                .args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
                .arg(format!("{c}^{{commit}}")))
            .ok()?;
            let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
            (id.len() >= 40).then_some(id)
        })
    }

    /// Writes the files of `commit` into the empty folder `into`.
    pub fn checkout(&self, commit: &str, into: &Path) -> Result<(), GitError> {
        std::fs::create_dir_all(into).map_err(|e| GitError(e.to_string()))?;
        // Absolute, because git reads relative paths from inside the work tree.
        let into = &std::path::absolute(into).map_err(|e| GitError(e.to_string()))?;
        // A private index per checkout: the bare cache is shared by sites at other commits.
        let index = into.with_extension("index");
        let with_tree = |cmd: &mut Command| {
            cmd.env("GIT_INDEX_FILE", &index)
                .arg("--work-tree")
                .arg(into)
                .arg("-c")
                .arg("core.autocrlf=false");
        };
        let mut read = git(Some(&self.dir));
        with_tree(&mut read);
        run(read.args(["read-tree", "--end-of-options", commit]))?;
        let mut write = git(Some(&self.dir));
        with_tree(&mut write);
        let done = run(write.args(["checkout-index", "--all", "--force"]));
        let _ = std::fs::remove_file(&index);
        done.map(|_| ())
    }
}

/// Settings given to every git command, whatever a repository's own config says: no
/// `ext::` transport (a URL in a site file must not start a program), and no hooks or
/// file-system monitor, both of which run programs named in a repository's files. See
/// docs/security.md.
const HARDENING: [&str; 3] = [
    "protocol.ext.allow=never",
    "core.hooksPath=/nonexistent/zhanqun/no-hooks",
    "core.fsmonitor=false",
];

/// `git`, optionally on a bare repository, hardened (see [`HARDENING`]), and prompting for
/// credentials only when `prompt` (someone at a terminal can answer).
fn git(repo: Option<&Path>) -> Command {
    let mut cmd = Command::new("git");
    if let Some(dir) = repo {
        cmd.arg("--git-dir").arg(dir);
    }
    for setting in HARDENING {
        cmd.arg("-c").arg(setting);
    }
    let prompt = PROMPT.load(std::sync::atomic::Ordering::Relaxed);
    cmd.stdin(Stdio::null())
        .env("GIT_TERMINAL_PROMPT", if prompt { "1" } else { "0" })
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE");
    cmd
}

/// `git -C dir`, hardened like every git command of zhanqun (the editor's commit and push).
pub fn in_work_tree(dir: &Path) -> Command {
    let mut cmd = git(None);
    cmd.arg("-C").arg(dir);
    cmd
}

/// The last parts of the configuration keys that name a program git runs (a filter, a
/// diff or merge driver, a signing program, an SSH command, a credential helper, the
/// program run on the other end of a push or fetch, a pager or editor, a hook folder).
const PROGRAM_KEYS: &[&str] = &[
    "clean",
    "smudge",
    "process",
    "textconv",
    "command",
    "driver",
    "program",
    "sshcommand",
    "gitproxy",
    "askpass",
    "editor",
    "pager",
    "helper",
    "receivepack",
    "uploadpack",
    "vcs",
    "external",
    "packobjectshook",
    "fsmonitor",
    "hookspath",
    "cmd",
    "defaultkeycommand",
];

/// The keys of the work tree's own configuration (`.git/config`, the files it includes,
/// the work tree's config) that name a program git would run: a repository's
/// configuration is not the person's own, and the editor acts on it only without them.
pub fn programs_named(dir: &Path) -> Result<Vec<String>, GitError> {
    let out =
        run(in_work_tree(dir).args(["config", "--list", "--includes", "--show-scope", "-z"]))?;
    let mut found: Vec<String> = out
        .stdout
        .split(|&b| b == 0)
        .collect::<Vec<_>>()
        .chunks(2)
        .filter(|pair| pair.len() == 2 && matches!(pair[0], b"local" | b"worktree"))
        .filter_map(|pair| {
            let entry = String::from_utf8_lossy(pair[1]);
            let key = entry.split('\n').next().unwrap_or_default().to_string();
            let last = key
                .rsplit('.')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            PROGRAM_KEYS.contains(&last.as_str()).then_some(key)
        })
        .collect();
    found.sort();
    found.dedup();
    Ok(found)
}

/// Runs a git command; its error in git's own words (credentials hidden).
pub fn output(cmd: &mut Command) -> Result<Output, GitError> {
    run(cmd)
}

static PROMPT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Lets git ask for a password at the terminal (the command line decides; the library never
/// looks at the terminal itself).
pub fn allow_prompts(allowed: bool) {
    PROMPT.store(allowed, std::sync::atomic::Ordering::Relaxed);
}

fn run(cmd: &mut Command) -> Result<Output, GitError> {
    let out = cmd.output().map_err(|e| {
        GitError(if e.kind() == std::io::ErrorKind::NotFound {
            crate::t!("git-not-installed").to_string()
        } else {
            e.to_string()
        })
    })?;
    if out.status.success() {
        return Ok(out);
    }
    let said = super::redact(&String::from_utf8_lossy(&out.stderr));
    let cause = said
        .lines()
        .map(|l| {
            l.trim_start_matches("fatal: ")
                .trim_start_matches("error: ")
                .trim()
        })
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    Err(GitError(cause))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn programs_in_a_repositorys_own_config_are_found() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let git = |args: &[&str]| {
            let ok = std::process::Command::new("git")
                .arg("-C")
                .arg(dir)
                .args(args)
                .output()
                .is_ok_and(|o| o.status.success());
            assert!(ok, "git {args:?}");
        };
        if std::process::Command::new("git")
            .arg("--version")
            .output()
            .is_err()
        {
            return;
        }
        git(&["init", "-q"]);
        assert_eq!(programs_named(dir).unwrap(), Vec::<String>::new());
        git(&["config", "filter.x.clean", "touch /tmp/pwned"]);
        git(&["config", "remote.origin.receivepack", "evil"]);
        std::fs::write(
            dir.join(".git/more.cfg"),
            "[core]\n\tsshCommand = evil\n[gpg]\n\tprogram = evil\n",
        )
        .unwrap();
        git(&["config", "include.path", "more.cfg"]);
        assert_eq!(
            programs_named(dir).unwrap(),
            [
                "core.sshcommand",
                "filter.x.clean",
                "gpg.program",
                "remote.origin.receivepack"
            ]
        );
    }

    #[test]
    fn cache_names_are_readable_and_distinct() {
        let root = Path::new("/c");
        let a = Cache::of(root, "https://git.example/jb/shiyan-primary.git");
        let b = Cache::of(root, "https://git.example/other/shiyan-primary.git");
        let name = a.dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with("shiyan-primary-"), "{name}");
        assert_ne!(a.dir, b.dir);
        let odd = Cache::of(root, "file:///tmp/x y/../../etc");
        assert!(odd.dir.starts_with(root));
        assert_eq!(odd.dir.parent(), Some(root));
    }
}
