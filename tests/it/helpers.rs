//! Helpers: fixture clusters copied to a temp dir, the binary run on them, output read back.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A temporary folder in memory where the system has one (`/dev/shm` on Linux): fixtures
/// are built and thrown away by the hundred, and a disk's writeback would otherwise be most
/// of the suite's time.
pub fn tempdir() -> tempfile::TempDir {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(dir) = tempfile::Builder::new().prefix("zq-test-").tempdir_in(shm)
    {
        return dir;
    }
    tempfile::tempdir().expect("temp dir")
}

/// A fixture cluster copied into its own temporary folder.
pub struct Fixture {
    _tmp: tempfile::TempDir,
    /// The cluster root.
    pub root: PathBuf,
}

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Fixture {
    /// Copies `tests/fixtures/<name>` to a fresh temporary folder.
    pub fn new(name: &str) -> Self {
        let tmp = tempdir();
        let root = tmp.path().join("cluster");
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name),
            &root,
        );
        Fixture { _tmp: tmp, root }
    }

    /// A copy of the example cluster of the repository (`content/`, `sites/`, `themes/`,
    /// `cluster.yaml`).
    pub fn example() -> Self {
        let tmp = tempdir();
        let root = tmp.path().join("cluster");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for dir in ["content", "sites", "themes"] {
            copy_dir(&repo.join(dir), &root.join(dir));
        }
        std::fs::copy(repo.join("cluster.yaml"), root.join("cluster.yaml")).unwrap();
        Fixture { _tmp: tmp, root }
    }

    /// Writes (or replaces) a file of the cluster.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Writes (or replaces) a binary file of the cluster.
    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    /// Runs `zhanqun <args>` in the cluster root, with English messages.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_zhanqun"));
        command.env("ZHANQUN_LANG", "en");
        self.run_with(command, args)
    }

    /// Runs `zhanqun <args>` as a webmaster would: no language chosen in the environment.
    pub fn run_as_webmaster(&self, args: &[&str]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_zhanqun"));
        command.env_remove("ZHANQUN_LANG");
        self.run_with(command, args)
    }

    fn run_with(&self, mut command: Command, args: &[&str]) -> Run {
        let out = command
            .args(args)
            .current_dir(&self.root)
            .env("CI", "true")
            .output()
            .expect("run zhanqun");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs `zhanqun build <extra>` as if at the moment `epoch` (`SOURCE_DATE_EPOCH`).
    pub fn build_at(&self, epoch: &str, extra: &[&str]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_zhanqun"));
        command
            .env("ZHANQUN_LANG", "en")
            .env("SOURCE_DATE_EPOCH", epoch);
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        self.run_with(command, &args)
    }

    /// Runs `zhanqun build <extra>` and asserts it succeeded.
    pub fn build_ok(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        let run = self.run(&args);
        assert_eq!(run.code, 0, "build failed:\n{}{}", run.stdout, run.stderr);
        run
    }

    /// Runs `zhanqun build <extra>` where some site has errors: the cluster publishes
    /// (exit 0) and the summary says which sites were held back.
    pub fn build_holds_back(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        let run = self.run(&args);
        assert_eq!(run.code, 0, "build failed:\n{}{}", run.stdout, run.stderr);
        assert!(
            run.stdout.contains("held back:") || run.stderr.contains("held back:"),
            "no site was held back:\n{}{}",
            run.stdout,
            run.stderr
        );
        run
    }

    /// Runs `zhanqun build <extra>` and asserts it failed with exit code `code`.
    pub fn build_fails(&self, extra: &[&str], code: i32) -> Run {
        let mut args = vec!["build"];
        args.extend_from_slice(extra);
        let run = self.run(&args);
        assert_eq!(
            run.code, code,
            "unexpected exit code:\n{}{}",
            run.stdout, run.stderr
        );
        run
    }

    /// Loads, links and renders the cluster in this process, writing nothing: the fast way
    /// to test a rule. `Err` holds the sorted `path:line:col: severity: message` lines.
    pub fn render(&self) -> Result<Rendered, Vec<String>> {
        let opts = zhanqun::pipeline::Options {
            root: self.root.clone(),
            ..Default::default()
        };
        match zhanqun::pipeline::render_all(opts, &zhanqun::render::NoProgress) {
            Ok(mut built) => {
                built.add_search();
                Ok(Rendered(built))
            }
            // Read in English, like the binary's messages with ZHANQUN_LANG=en.
            Err(zhanqun::pipeline::BuildError::Content(d)) => Err(d
                .into_sorted()
                .iter()
                .map(|d| en(d).lines().next().unwrap_or("").to_string())
                .collect()),
            Err(e) => Err(vec![e.to_string()]),
        }
    }

    /// Reads an output file of `public/`.
    pub fn output(&self, rel: &str) -> String {
        let p = self.root.join("public").join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    /// True when `public/<rel>` exists.
    pub fn has_output(&self, rel: &str) -> bool {
        self.root.join("public").join(rel).exists()
    }
}

/// A diagnostic as the binary prints it with `ZHANQUN_LANG=en`.
pub fn en(d: &zhanqun::diagnostics::Diagnostic) -> String {
    d.render(zhanqun::i18n::Lang::En)
}

/// A cluster rendered in memory by [`Fixture::render`].
pub struct Rendered(pub zhanqun::pipeline::Rendered);

impl Rendered {
    /// The site tree.
    pub fn cluster(&self) -> &zhanqun::config::Cluster {
        &self.0.driver.cluster
    }

    /// Every page.
    pub fn library(&self) -> &zhanqun::content::Library {
        &self.0.driver.linked.library
    }

    /// What each site shows of the others.
    pub fn federation(&self) -> &zhanqun::federation::Federation {
        &self.0.driver.linked.federation
    }

    /// The text of output file `path` (`<site>/news/x/index.html`).
    pub fn file(&self, path: &str) -> String {
        match self.0.outputs.files.get(path) {
            Some(zhanqun::outputs::OutputData::Bytes(b)) => String::from_utf8_lossy(b).into_owned(),
            Some(other) => panic!("{path} is a copy: {other:?}"),
            None => panic!("no output {path}"),
        }
    }

    /// The site key of `id`.
    pub fn site(&self, id: &str) -> zhanqun::config::SiteKey {
        self.cluster()
            .get(id)
            .unwrap_or_else(|| panic!("no site {id}"))
    }
}

/// The `error:` lines of a run's stderr, in order.
pub fn errors(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(": error: ")).collect()
}

/// Every file below `dir` with its bytes, sorted by path.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().display().to_string(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The text between the first `<tag` whose text contains `marker` and the next `</tag>`.
pub fn element<'a>(html: &'a str, marker: &str, close: &str) -> &'a str {
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no `{marker}` in:\n{html}"));
    let end = html[start..]
        .find(close)
        .map_or(html.len(), |e| start + e + close.len());
    &html[start..end]
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// The headless Chromium to drive, or `None` outside CI when it is not installed (CI must
/// install it: a browser test that silently skips there would prove nothing).
pub fn chromium() -> Option<&'static str> {
    let found = ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        assert!(std::env::var_os("CI").is_none(), "CI must install chromium");
        eprintln!("skipped: chromium is not installed");
    }
    found
}

/// The arguments every headless Chromium run of the tests uses.
pub const CHROMIUM_ARGS: [&str; 6] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
];

/// A port nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Sends `request` as written to `127.0.0.1:port` and reads the whole answer: its status and
/// body. A server may answer and close before the request is all sent (a refused body), so
/// a failed write is not an error here.
pub fn http_exchange(port: u16, request: &[u8]) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    let _ = s.write_all(request);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    (status, body)
}

/// Opens `url` in headless Chromium with `extra` arguments and returns the DOM it dumps
/// once the page is done (`--dump-dom`, with a virtual-time budget among `extra`).
pub fn dump_dom(chromium: &str, url: &str, extra: &[&str]) -> String {
    let profile = tempdir();
    let out = Command::new(chromium)
        .args(CHROMIUM_ARGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .args(["--dump-dom", url])
        .stderr(std::process::Stdio::null())
        .output()
        .expect("chromium runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `check` options for the fixture at `root`, judged on 2024-05-20, everything else default.
pub fn check_options(root: &Path) -> zhanqun::pipeline::CheckOptions {
    zhanqun::pipeline::CheckOptions {
        root: root.to_path_buf(),
        drafts: false,
        today: chrono::NaiveDate::from_ymd_opt(2024, 5, 20).unwrap(),
        strict: false,
        sites: Vec::new(),
        sources: Default::default(),
        overrides: Default::default(),
        pages_per_group: 0,
    }
}
