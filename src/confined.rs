//! Reading and writing inside one folder and never outside it: the editor's and the Word
//! importer's file operations on a site's content folder. Every path is opened relative to
//! a handle on the folder (`cap-std`, which walks each component with `openat` and refuses
//! a symbolic link or `..` that leads out), so a folder swapped for a link between a check
//! and a write cannot redirect the write; reads take regular files only (a FIFO named
//! `.md` would otherwise block the reader for ever); a new file is written under a unique
//! temporary name and moved into place, so no reader sees half a file and two writers
//! never share a temporary file.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use cap_std::fs::{Dir, OpenOptions};

/// An ordinary name for a file or folder a person writes: not empty, `.` or `..`, not
/// hidden, without a separator, a Windows drive or stream colon, a wildcard or a control
/// character.
pub fn plain_name(part: &str) -> bool {
    !part.is_empty()
        && !part.starts_with('.')
        && !part.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|'])
        && !part.chars().any(char::is_control)
}

/// An open folder; every path given to it is relative to it and stays inside it.
pub struct Root {
    dir: Dir,
    path: PathBuf,
}

impl std::fmt::Debug for Root {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Root").field(&self.path).finish()
    }
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// The error of a path that leads out of the folder (through `..` or a link), told apart
/// from a plain permission problem so that the message can say what happened.
#[derive(Debug)]
pub struct Outside;

impl std::fmt::Display for Outside {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the path leads out of the folder")
    }
}

impl std::error::Error for Outside {}

/// `e`, with cap-std's refusal of an escape made an [`Outside`] error.
fn told(e: io::Error) -> io::Error {
    let escape = e.kind() == io::ErrorKind::PermissionDenied
        && e.to_string().contains("outside of the filesystem");
    if escape { io::Error::other(Outside) } else { e }
}

/// True for the error of a path that leads out of the folder.
pub fn is_outside(e: &io::Error) -> bool {
    e.get_ref().is_some_and(|inner| inner.is::<Outside>())
}

impl Root {
    /// Opens the folder at `path` (creating it when `create`).
    pub fn open(path: &Path, create: bool) -> io::Result<Root> {
        if create {
            std::fs::create_dir_all(path)?;
        }
        let dir = Dir::open_ambient_dir(path, cap_std::ambient_authority())?;
        Ok(Root {
            dir,
            path: path.to_path_buf(),
        })
    }

    /// The folder's path, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The bytes of the regular file `rel`, at most `limit` of them.
    pub fn read(&self, rel: &str, limit: u64) -> io::Result<Vec<u8>> {
        let mut options = OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            // A FIFO opens at once without a writer, and is refused below.
            use cap_std::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NONBLOCK);
        }
        let file = self.dir.open_with(rel, &options).map_err(told)?;
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a file"));
        }
        if meta.len() > limit {
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                "file too large",
            ));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(limit + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > limit {
            return Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                "file too large",
            ));
        }
        Ok(bytes)
    }

    /// True when something (a file, folder or link) is at `rel`.
    pub fn exists(&self, rel: &str) -> bool {
        self.dir.symlink_metadata(rel).is_ok()
    }

    /// True when `rel` is a folder.
    pub fn is_dir(&self, rel: &str) -> bool {
        self.dir.symlink_metadata(rel).is_ok_and(|m| m.is_dir())
    }

    /// Creates the folder `rel` and its parents.
    pub fn create_dir_all(&self, rel: &str) -> io::Result<()> {
        if rel.is_empty() {
            return Ok(());
        }
        match self.dir.create_dir_all(rel) {
            // An existing name that is not a folder here: a link that leads out (cap-std
            // then reports only the name's existence) or a file.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => match self.dir.metadata(rel) {
                Ok(m) if m.is_dir() => Ok(()),
                Ok(_) => Err(e),
                Err(e) => Err(told(e)),
            },
            done => done.map_err(told),
        }
    }

    /// Writes `bytes` to `rel`, replacing what is there, through a temporary file renamed
    /// into place.
    pub fn write_atomically(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let temp = self.temporary(rel, bytes)?;
        self.dir.rename(&temp, &self.dir, rel).map_err(|e| {
            let _ = self.dir.remove_file(&temp);
            told(e)
        })
    }

    /// Writes `bytes` to `rel` only if nothing is there (`AlreadyExists` otherwise): the
    /// temporary file is linked to its name, which fails rather than replaces. File systems
    /// without links (FAT on a USB stick) get the file created exclusively instead.
    pub fn write_new(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let temp = self.temporary(rel, bytes)?;
        let linked = self.dir.hard_link(&temp, &self.dir, rel);
        let _ = self.dir.remove_file(&temp);
        match linked {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
            Err(_) => {
                let mut options = OpenOptions::new();
                options.write(true).create_new(true);
                let mut file = self.dir.open_with(rel, &options).map_err(told)?;
                file.write_all(bytes)?;
                file.sync_all()
            }
        }
    }

    /// A file beside `rel` with `bytes`, under a name no other writer uses.
    fn temporary(&self, rel: &str, bytes: &[u8]) -> io::Result<String> {
        let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
        self.create_dir_all(folder)?;
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = format!(
            "{}.{name}.zhanqun-{}-{n}.tmp",
            if folder.is_empty() {
                String::new()
            } else {
                format!("{folder}/")
            },
            std::process::id()
        );
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        let mut file = self.dir.open_with(&temp, &options).map_err(told)?;
        let written = file.write_all(bytes).and_then(|()| file.sync_all());
        if let Err(e) = written {
            let _ = self.dir.remove_file(&temp);
            return Err(e);
        }
        Ok(temp)
    }

    /// Moves `from` (a file or folder) to `to` in `other` (possibly this folder), unless
    /// something is at `to` already.
    pub fn move_to(&self, from: &str, other: &Root, to: &str) -> io::Result<()> {
        if other.exists(to) {
            return Err(io::Error::from(io::ErrorKind::AlreadyExists));
        }
        if let Some((folder, _)) = to.rsplit_once('/') {
            other.create_dir_all(folder)?;
        }
        self.dir.rename(from, &other.dir, to).map_err(told)
    }

    /// Removes the folder `rel` with everything in it (a failed import's staging folder).
    pub fn remove_dir_all(&self, rel: &str) -> io::Result<()> {
        self.dir.remove_dir_all(rel).map_err(told)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> (tempfile::TempDir, Root) {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        let root = Root::open(&content, true).unwrap();
        (tmp, root)
    }

    #[test]
    fn writes_stay_inside_and_never_replace_by_accident() {
        let (_tmp, root) = root();
        root.write_atomically("news/a.md", b"one").unwrap();
        root.write_atomically("news/a.md", b"two").unwrap();
        assert_eq!(root.read("news/a.md", 100).unwrap(), b"two");
        assert!(root.write_new("news/a.md", b"three").is_err());
        root.write_new("news/b.md", b"three").unwrap();
        assert_eq!(root.read("news/b.md", 100).unwrap(), b"three");
        for bad in ["../x.md", "/etc/passwd", "news/../../x.md"] {
            assert!(root.write_atomically(bad, b"x").is_err(), "{bad}");
            assert!(root.read(bad, 100).is_err(), "{bad}");
        }
        assert!(root.read("news/a.md", 2).is_err(), "over the limit");
        let names: Vec<_> = std::fs::read_dir(root.path().join("news"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn links_out_and_pipes_are_refused() {
        let (tmp, root) = root();
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, root.path().join("imp")).unwrap();
        assert!(is_outside(
            &root.write_atomically("imp/x.md", b"x").unwrap_err()
        ));
        assert!(root.write_new("imp/x.md", b"x").is_err());
        assert!(root.create_dir_all("imp/sub").is_err());
        assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
        let fifo = std::ffi::CString::new(root.path().join("p.md").to_str().unwrap()).unwrap();
        // SAFETY: mkfifo reads the NUL-terminated path and nothing else.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        let err = root.read("p.md", 100).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }
}
