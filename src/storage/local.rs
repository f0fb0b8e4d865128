//! The default store: files under the data dir (`JURY_DATA_DIR/uploads`).

use std::io;
use std::path::{Path, PathBuf};

#[derive(Clone)]
pub struct LocalStorage {
    root: PathBuf,
}

impl LocalStorage {
    pub fn new(root: PathBuf) -> LocalStorage {
        LocalStorage { root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, key: &str) -> io::Result<PathBuf> {
        // Keys are made by the server, but a key must never climb out of the root.
        if key
            .split('/')
            .any(|p| p.is_empty() || p == "." || p == "..")
            || key.contains('\\')
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "bad storage key",
            ));
        }
        Ok(self.root.join(key))
    }
}

impl LocalStorage {
    /// A directory for uploads in progress, on the same filesystem as the store so the final
    /// move is an atomic rename.
    pub fn temp_dir(&self) -> PathBuf {
        self.root.join("tmp")
    }

    /// Durably moves a finished temp file to `key` (fsync, rename, fsync of the directory).
    pub fn put(&self, temp: &Path, key: &str) -> io::Result<()> {
        let dest = self.path(key)?;
        let dir = dest
            .parent()
            .ok_or_else(|| io::Error::other("key has no directory"))?;
        std::fs::create_dir_all(dir)?;
        std::fs::File::open(temp)?.sync_all()?;
        std::fs::rename(temp, &dest)?;
        std::fs::File::open(dir)?.sync_all()
    }

    /// The path `key` is stored at (`None` for a key that would leave the root).
    pub fn local_path(&self, key: &str) -> Option<PathBuf> {
        self.path(key).ok()
    }

    pub fn delete(&self, key: &str) -> io::Result<()> {
        match std::fs::remove_file(self.path(key)?) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_moves_and_delete_is_idempotent() {
        let dir = tempfile::tempdir().unwrap();
        let s = LocalStorage::new(dir.path().to_path_buf());
        std::fs::create_dir_all(s.temp_dir()).unwrap();
        let tmp = s.temp_dir().join("x.part");
        std::fs::write(&tmp, b"%PDF-1.7").unwrap();
        s.put(&tmp, "applications/1/a.pdf").unwrap();
        assert!(!tmp.exists());
        assert_eq!(
            std::fs::read(s.local_path("applications/1/a.pdf").unwrap()).unwrap(),
            b"%PDF-1.7"
        );
        s.delete("applications/1/a.pdf").unwrap();
        s.delete("applications/1/a.pdf").unwrap();
        assert!(s.put(&tmp, "../escape.pdf").is_err());
        assert!(s.local_path("a/../../etc/passwd").is_none());
    }
}
