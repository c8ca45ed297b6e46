//! The write stage: every output file goes to a temporary folder beside the output, which
//! replaces the output only when everything was written. A failed or interrupted build
//! leaves the previous output as it was. Files that did not change since the previous build
//! are hard-linked from it instead of written again ([`super::journal`]), and the replaced
//! tree is deleted in the background by the next build, not file by file on the critical
//! path (see `docs/cli.md`, "Safety of the output").

use std::collections::{BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, RwLock};

use rayon::prelude::*;

use super::journal::{self, Journal};
use super::{OutputData, Outputs};

/// Name of the file that marks a folder as zhanqun's output, safe to replace.
pub const MARKER: &str = ".zhanqun";

/// Why the output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A file system operation failed.
    #[error("{}", crate::t!("write-failed", path = path.display().to_string(), error = crate::diagnostics::io_error_text(source)))]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the OS said.
        source: io::Error,
    },
    /// The output folder holds files zhanqun did not write.
    #[error("{}", crate::t!("write-not-ours", path = .0.display().to_string()))]
    NotOurs(PathBuf),
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What the write step did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Files written (new or changed).
    pub written: usize,
    /// Files unchanged since the previous build, linked from it.
    pub unchanged: usize,
}

/// Writes `outputs` to `out_dir` atomically; `carry_over` names sites whose folders are kept
/// from the previous output (for builds of some sites only).
pub fn write(
    outputs: &Outputs,
    out_dir: &Path,
    carry_over: &[String],
) -> Result<Written, WriteError> {
    let mut staging = Staging::begin(out_dir)?;
    staging.add(outputs)?;
    staging.finish(carry_over)
}

/// An output being written: a temporary folder beside the output, filled part by part (so a
/// build need not hold every rendered file at once) and swapped in by [`Staging::finish`].
/// Dropped unfinished, it removes the temporary folder: the previous output is untouched.
pub struct Staging {
    out_dir: PathBuf,
    parent: PathBuf,
    name: String,
    tmp: PathBuf,
    previous: Journal,
    journal: Journal,
    written: Written,
    cleaning: Option<std::thread::JoinHandle<()>>,
    finished: bool,
    /// The first file this build wrote of each theme file (built-in bytes, by address and length).
    shared: Mutex<HashMap<(usize, usize), PathBuf>>,
}

impl Staging {
    /// Checks that `out_dir` may be replaced and creates the temporary folder beside it.
    pub fn begin(out_dir: &Path) -> Result<Staging, WriteError> {
        let parent = out_dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let name = out_dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
        let cleaning = recover_and_clean(&parent, &name, out_dir);
        if out_dir.exists() && !is_replaceable(out_dir) {
            return Err(WriteError::NotOurs(out_dir.to_path_buf()));
        }
        let tmp = parent.join(format!(".{name}.zhanqun-tmp-{}", std::process::id()));
        *active() = Some(tmp.clone());
        let staging = Staging {
            out_dir: out_dir.to_path_buf(),
            previous: Journal::read(out_dir),
            parent,
            name,
            tmp,
            journal: Journal::default(),
            written: Written::default(),
            cleaning: Some(cleaning),
            finished: false,
            shared: Mutex::default(),
        };
        guarded(&staging.tmp, || {
            std::fs::create_dir_all(&staging.tmp).map_err(io_err(&staging.tmp))
        })?;
        Ok(staging)
    }

    /// Writes a part of the output (files of some sites) into the temporary folder.
    pub fn add(&mut self, outputs: &Outputs) -> Result<(), WriteError> {
        let tmp = &self.tmp;
        let dirs: BTreeSet<&str> = outputs
            .files
            .keys()
            .filter_map(|k| k.rsplit_once('/').map(|(d, _)| d))
            .collect();
        // Most pages are `<folder>/index.html`: a city makes 100,000 folders, which cost as
        // much as the files when made one after another.
        dirs.par_iter().try_for_each(|d| {
            let p = tmp.join(d);
            guarded(tmp, || std::fs::create_dir_all(&p).map_err(io_err(&p)))
        })?;
        let (previous, out_dir, shared) = (&self.previous, &self.out_dir, &self.shared);
        let done: Vec<(&String, Option<u64>, bool)> = outputs
            .files
            .par_iter()
            .map(|(rel, data)| {
                let hash = journal::fingerprint(data);
                let reused = guarded(tmp, || {
                    put(data, rel, hash, (previous, out_dir), tmp, shared)
                })?;
                Ok((rel, hash, reused))
            })
            .collect::<Result<_, WriteError>>()?;
        for (rel, hash, reused) in done {
            if let Some(h) = hash {
                self.journal.insert(rel.clone(), h);
            }
            if reused {
                self.written.unchanged += 1;
            } else {
                self.written.written += 1;
            }
        }
        Ok(())
    }

    /// Copies the `carry_over` sites from the previous output, writes the journal and swaps
    /// the temporary folder in.
    pub fn finish(mut self, carry_over: &[String]) -> Result<Written, WriteError> {
        let tmp = self.tmp.clone();
        for id in carry_over {
            let old = self.out_dir.join(id);
            if old.is_dir() {
                // Read before the copy, which creates the folders it carries over.
                let rebuilt: Vec<String> = REBUILT_DIRS
                    .iter()
                    .filter(|d| tmp.join(id).join(d).is_dir())
                    .map(|d| format!("{id}/{d}/"))
                    .collect();
                guarded(&tmp, || copy_tree(&old, &tmp.join(id)))?;
                self.journal
                    .carry_over(&self.previous, &format!("{id}/"), &rebuilt);
            }
        }
        let marker = tmp.join(MARKER);
        let text = self.journal.render();
        guarded(&tmp, || {
            std::fs::write(&marker, &text).map_err(io_err(&marker))
        })?;
        // An interrupt waits for the swap to finish, so the output is never half-swapped.
        let mut guard = active();
        swap(&tmp, &self.out_dir, &self.parent, &self.name)?;
        *guard = None;
        drop(guard);
        self.finished = true;
        Ok(self.written)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
        *active() = None;
        // Wait for the removal of old trees only when it is done; else the next build goes on.
        if let Some(cleaning) = self.cleaning.take()
            && cleaning.is_finished()
        {
            let _ = cleaning.join();
        }
    }
}

/// File operations under way on the temporary folder (read side), or an abandon (write side).
static OPERATIONS: RwLock<()> = RwLock::new(());

/// Set by [`abandon`]: writer threads stop adding files.
static ABANDONED: AtomicBool = AtomicBool::new(false);

/// The temporary folder being filled, for [`abandon`].
static ACTIVE: Mutex<Option<PathBuf>> = Mutex::new(None);

fn active() -> std::sync::MutexGuard<'static, Option<PathBuf>> {
    ACTIVE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Called on an interrupt (Ctrl+C): removes the half-written temporary folder; the previous
/// output was never touched. Returns holding the lock, so no swap can start afterwards.
pub fn abandon() -> std::sync::MutexGuard<'static, Option<PathBuf>> {
    ABANDONED.store(true, Ordering::SeqCst);
    let guard = active();
    let _no_more_writes = OPERATIONS.write().unwrap_or_else(|e| e.into_inner());
    if let Some(tmp) = guard.as_ref() {
        let _ = std::fs::remove_dir_all(tmp);
    }
    guard
}

/// Puts one file into the staging folder: a hard link to the previous output's file when
/// its fingerprint is unchanged, else written or copied. Returns true for a link.
fn put(
    data: &OutputData,
    rel: &str,
    hash: Option<u64>,
    (previous, out_dir): (&Journal, &Path),
    tmp: &Path,
    shared: &Mutex<HashMap<(usize, usize), PathBuf>>,
) -> Result<bool, WriteError> {
    let dest = tmp.join(rel);
    if hash.is_some()
        && previous.get(rel) == hash
        && std::fs::hard_link(out_dir.join(rel), &dest).is_ok()
    {
        return Ok(true);
    }
    match data {
        OutputData::Bytes(b) => std::fs::write(&dest, b).map_err(io_err(&dest))?,
        OutputData::Builtin(b) => write_once(b, &dest, shared)?,
        OutputData::Copy(src) => {
            std::fs::copy(src, &dest).map_err(io_err(src))?;
        }
    }
    Ok(false)
}

/// Writes a built-in theme file, or links `dest` to this build's first copy of it: every
/// site of a city carries the same style sheets and scripts (2,063 copies of each, 100 MB).
/// Files in the staging folder are never written twice, so a shared one never changes.
fn write_once(
    bytes: &'static [u8],
    dest: &Path,
    shared: &Mutex<HashMap<(usize, usize), PathBuf>>,
) -> Result<(), WriteError> {
    let key = (bytes.as_ptr() as usize, bytes.len());
    let mut known = shared.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(first) = known.get(&key)
        && std::fs::hard_link(first, dest).is_ok()
    {
        return Ok(());
    }
    // Written while the table is held, so that two threads never both write a first copy
    // (a theme has a few dozen such files; each is written once per build).
    std::fs::write(dest, bytes).map_err(io_err(dest))?;
    known.entry(key).or_insert_with(|| dest.to_path_buf());
    Ok(())
}

/// Runs one file operation unless the build was abandoned. [`abandon`] takes the write side
/// of [`OPERATIONS`], so once it holds it no operation is under way and none can start.
fn guarded<T>(tmp: &Path, op: impl FnOnce() -> Result<T, WriteError>) -> Result<T, WriteError> {
    let _running = OPERATIONS.read().unwrap_or_else(|e| e.into_inner());
    if ABANDONED.load(Ordering::SeqCst) {
        return Err(WriteError::Io {
            path: tmp.to_path_buf(),
            source: io::Error::new(io::ErrorKind::Interrupted, "interrupted"),
        });
    }
    op()
}

/// Puts the filled temporary folder in place of the output. Where the system can exchange two
/// folders in one step (Linux `renameat2(RENAME_EXCHANGE)`), the output exists at every
/// instant, whatever kills the process. Elsewhere two renames are used; a kill between them
/// leaves the previous output under its `-old-` name, which the next build puts back
/// ([`recover_or_remove_stale`]).
fn swap(tmp: &Path, out_dir: &Path, parent: &Path, name: &str) -> Result<(), WriteError> {
    if !out_dir.exists() {
        return std::fs::rename(tmp, out_dir).map_err(io_err(out_dir));
    }
    if exchange(tmp, out_dir).is_ok() {
        // `tmp` now holds the previous output: the next build removes it in the background.
        let _ = std::fs::rename(tmp, trash_name(parent, name));
        return Ok(());
    }
    let old = parent.join(format!(".{name}.zhanqun-old-{}", std::process::id()));
    std::fs::rename(out_dir, &old).map_err(io_err(out_dir))?;
    if let Err(e) = std::fs::rename(tmp, out_dir) {
        let _ = std::fs::rename(&old, out_dir);
        return Err(io_err(out_dir)(e));
    }
    let _ = std::fs::rename(&old, trash_name(parent, name));
    Ok(())
}

/// A fresh name for a replaced tree waiting to be removed.
fn trash_name(parent: &Path, name: &str) -> PathBuf {
    static COUNT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNT.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    parent.join(format!(
        ".{name}.zhanqun-trash-{}-{n}-{nanos}",
        std::process::id()
    ))
}

/// Swaps two paths atomically; fails where the system or file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both paths are valid NUL-terminated strings that outlive the call; the raw
    // syscall is used because libc wrappers for renameat2 are missing on older C libraries.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

fn is_replaceable(dir: &Path) -> bool {
    dir.join(MARKER).is_file()
        || std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false)
}

/// Cleans up after an interrupted build of the same output: a previous output left under its
/// `-old-` name by a kill between the two renames of [`swap`] is put back when the output is
/// missing; other leftovers are removed.
/// Replaced trees and leftovers of interrupted builds are renamed to trash names at once
/// (so none can clash with this build's temporary folder) and removed by a background
/// thread while this build writes; the caller may wait for it or leave it to the next build.
fn recover_and_clean(parent: &Path, name: &str, out_dir: &Path) -> std::thread::JoinHandle<()> {
    let tmp_prefix = format!(".{name}.zhanqun-tmp-");
    let old_prefix = format!(".{name}.zhanqun-old-");
    let trash_prefix = format!(".{name}.zhanqun-trash-");
    let mut leftovers: Vec<(String, PathBuf)> = std::fs::read_dir(parent)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| {
            [&tmp_prefix, &old_prefix, &trash_prefix]
                .iter()
                .any(|p| n.starts_with(p.as_str()))
        })
        .collect();
    leftovers.sort();
    let mut trash = Vec::new();
    for (file_name, path) in leftovers {
        let restorable = file_name.starts_with(&old_prefix) && path.join(MARKER).is_file();
        if restorable && !out_dir.exists() && std::fs::rename(&path, out_dir).is_ok() {
            continue;
        }
        if file_name.starts_with(&trash_prefix) {
            trash.push(path);
        } else {
            let to = trash_name(parent, name);
            if std::fs::rename(&path, &to).is_ok() {
                trash.push(to);
            }
        }
    }
    std::thread::spawn(move || {
        for dir in trash {
            let _ = std::fs::remove_dir_all(dir);
        }
    })
}

/// Links (or copies) the files of `from` into `to`. What the build already wrote wins: a file
/// already in `to` is kept, and a folder the build wrote anew (a bureau's `search/` index,
/// rebuilt by `build --site` below it) replaces the old one whole.
/// Folders of a carried-over site that a build may write anew.
pub const REBUILT_DIRS: [&str; 1] = ["search"];

fn copy_tree(from: &Path, to: &Path) -> Result<(), WriteError> {
    let rebuilt =
        |rel: &Path| REBUILT_DIRS.iter().any(|d| rel == Path::new(d)) && to.join(rel).is_dir();
    let walk = walkdir::WalkDir::new(from).sort_by_file_name().into_iter();
    for entry in walk.filter_entry(|e| !rebuilt(e.path().strip_prefix(from).unwrap_or(e.path()))) {
        let entry = entry.map_err(|e| WriteError::Io {
            path: from.to_path_buf(),
            source: e.into(),
        })?;
        let dest = to.join(entry.path().strip_prefix(from).unwrap_or(entry.path()));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).map_err(io_err(&dest))?;
        } else if dest.exists() {
            continue;
        } else if std::fs::hard_link(entry.path(), &dest).is_err() {
            std::fs::copy(entry.path(), &dest).map_err(io_err(&dest))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_theme_file_every_site_carries_is_written_once() {
        use std::os::unix::fs::MetadataExt;
        static CSS: &[u8] = b"body{}";
        let tmp = tempfile::tempdir().unwrap();
        let mut o = Outputs::default();
        o.insert("a/css/site.css".into(), OutputData::Builtin(CSS));
        o.insert("b/css/site.css".into(), OutputData::Builtin(CSS));
        o.bytes("b/index.html".into(), "body{}");
        let out = tmp.path().join("public");
        write(&o, &out, &[]).unwrap();
        let inode = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
        assert_eq!(inode("a/css/site.css"), inode("b/css/site.css"));
        assert_ne!(inode("a/css/site.css"), inode("b/index.html"));
        let text = std::fs::read_to_string(out.join("b/css/site.css")).unwrap();
        assert_eq!(text, "body{}");
    }

    #[test]
    fn replaces_its_own_output_only() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let mut o = Outputs::default();
        o.bytes("a/index.html".into(), "one");
        write(&o, &out, &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "one"
        );
        let mut o = Outputs::default();
        o.bytes("a/index.html".into(), "two");
        write(&o, &out, &[]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        assert_eq!(
            unfinished(tmp.path()),
            ["public"],
            "no temporary folders are left behind"
        );

        let mine = tmp.path().join("mine");
        std::fs::create_dir(&mine).unwrap();
        std::fs::write(mine.join("notes.txt"), "keep").unwrap();
        assert!(matches!(write(&o, &mine, &[]), Err(WriteError::NotOurs(_))));
        assert_eq!(
            std::fs::read_to_string(mine.join("notes.txt")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn the_output_is_exchanged_in_one_step() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        std::fs::write(a.join("f"), "new").unwrap();
        std::fs::write(b.join("f"), "old").unwrap();
        exchange(&a, &b).unwrap();
        assert_eq!(std::fs::read_to_string(b.join("f")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(a.join("f")).unwrap(), "old");
    }

    #[test]
    fn a_kill_between_two_renames_is_recovered() {
        // The state a kill between the fallback's two renames leaves: no `public`, the
        // previous output under its `-old-` name. A `--site` build must still find it.
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let mut o = Outputs::default();
        o.bytes("a/index.html".into(), "a1");
        o.bytes("b/index.html".into(), "b1");
        write(&o, &out, &[]).unwrap();
        std::fs::rename(&out, tmp.path().join(".public.zhanqun-old-4242")).unwrap();
        std::fs::create_dir(tmp.path().join(".public.zhanqun-tmp-4242")).unwrap();
        let mut only_a = Outputs::default();
        only_a.bytes("a/index.html".into(), "a2");
        write(&only_a, &out, &["b".to_string()]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("b/index.html")).unwrap(),
            "b1"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a2"
        );
        assert_eq!(unfinished(tmp.path()), ["public"]);
    }

    /// Names in `dir` besides the trees waiting to be removed in the background.
    fn unfinished(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.contains(".zhanqun-trash-"))
            .collect();
        names.sort();
        names
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_not_written_and_old_trees_go_away() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let mut o = Outputs::default();
        o.bytes("a/same.html".into(), "同");
        o.bytes("a/changed.html".into(), "旧");
        write(&o, &out, &[]).unwrap();
        let inode = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
        let (same, changed) = (inode("a/same.html"), inode("a/changed.html"));
        let mut o = Outputs::default();
        o.bytes("a/same.html".into(), "同");
        o.bytes("a/changed.html".into(), "新");
        o.bytes("a/added.html".into(), "加");
        let w = write(&o, &out, &[]).unwrap();
        assert_eq!(
            w,
            Written {
                written: 2,
                unchanged: 1
            }
        );
        assert_eq!(
            inode("a/same.html"),
            same,
            "linked from the previous output"
        );
        assert_ne!(inode("a/changed.html"), changed);
        assert_eq!(
            std::fs::read_to_string(out.join("a/changed.html")).unwrap(),
            "新"
        );
        let journal = Journal::read(&out);
        assert!(journal.get("a/added.html").is_some() && journal.get("a/same.html").is_some());
        // The replaced tree waits under a trash name; the next build removes it.
        assert!(std::fs::read_dir(tmp.path()).unwrap().count() >= 2);
        write(&o, &out, &[]).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(200));
        let trash = std::fs::read_dir(tmp.path()).unwrap().count() - 1;
        assert!(trash <= 1, "older trees are removed: {trash} left");
    }

    #[test]
    fn carries_over_other_sites() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let mut o = Outputs::default();
        o.bytes("a/index.html".into(), "a1");
        o.bytes("b/index.html".into(), "b1");
        write(&o, &out, &[]).unwrap();
        let mut only_a = Outputs::default();
        only_a.bytes("a/index.html".into(), "a2");
        write(&only_a, &out, &["b".to_string()]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a2"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("b/index.html")).unwrap(),
            "b1"
        );
    }
}
