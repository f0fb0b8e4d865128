//! Where uploaded files live: the local disk under the data dir (the default) or an
//! S3-compatible object store (`JURY_STORAGE_URL`, DESIGN §9), so several `jury serve`
//! instances can share the uploads. Only pitch decks are stored here; the personal-data
//! archive is built in the temp dir and never stored, and `jury backup` copies local uploads
//! only (an object store keeps its own versions or replicas).
//!
//! The order of an upload makes every failure harmless: the file is stored first and the
//! database row written after, so a store outage leaves no row pointing at nothing, and a
//! failed commit leaves at most an orphan object that no row names.

pub mod config;
mod local;
mod s3;
pub mod sigv4;

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use actix_web::web::Bytes;
use futures_util::Stream;

use crate::error::AppError;

pub use config::{S3Config, StorageConfig};
pub use local::LocalStorage;
pub use s3::S3Storage;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("bad storage key")]
    BadKey,
    #[error("no such object")]
    NotFound,
    /// The upload volume is full (ENOSPC).
    #[error("no space left on the upload volume: {0}")]
    Full(String),
    /// The object store cannot be reached, timed out or answered 5xx.
    #[error("object store unavailable: {0}")]
    Unavailable(String),
    /// The object store answered but refused (credentials, bucket, signature).
    #[error("object store refused the request: {0}")]
    Refused(String),
    #[error("storage: {0}")]
    Io(String),
}

impl From<io::Error> for StorageError {
    fn from(e: io::Error) -> Self {
        match e.kind() {
            _ if e.raw_os_error() == Some(28) => StorageError::Full(e.to_string()),
            io::ErrorKind::NotFound => StorageError::NotFound,
            io::ErrorKind::InvalidInput => StorageError::BadKey,
            _ => StorageError::Io(e.to_string()),
        }
    }
}

/// An object's bytes as the store hands them out, streamed.
pub struct Streamed {
    /// The answer covers a range (`206`), described by `content_range`.
    pub partial: bool,
    pub length: Option<u64>,
    pub content_range: Option<String>,
    pub body: Pin<Box<dyn Stream<Item = Result<Bytes, StorageError>>>>,
}

/// What a download serves: a local file (served with ranges by actix-files) or a stream.
pub enum Object {
    File(PathBuf),
    Stream(Streamed),
}

pub enum Storage {
    Local(LocalStorage),
    S3 { store: S3Storage, temp: PathBuf },
}

impl Storage {
    pub fn new(config: &StorageConfig, data_dir: &Path) -> Storage {
        match config {
            StorageConfig::Local => Storage::Local(LocalStorage::new(data_dir.join("uploads"))),
            StorageConfig::S3(s3) => Storage::S3 {
                store: S3Storage::new(s3.clone()),
                temp: data_dir.join("tmp"),
            },
        }
    }

    /// Where uploads in progress and archives being built are written.
    pub fn temp_dir(&self) -> PathBuf {
        match self {
            Storage::Local(l) => l.temp_dir(),
            Storage::S3 { temp, .. } => temp.clone(),
        }
    }

    /// Stores the finished temp file as `key`; `sha256` is its digest (hex). The temp file
    /// may be gone afterwards (moved) or still there (copied): the caller removes it.
    pub async fn put(&self, temp: &Path, key: &str, sha256: &str) -> Result<(), StorageError> {
        match self {
            Storage::Local(l) => {
                let (l, temp, key) = (l.clone(), temp.to_path_buf(), key.to_string());
                tokio::task::spawn_blocking(move || l.put(&temp, &key))
                    .await
                    .map_err(|e| StorageError::Io(e.to_string()))?
                    .map_err(StorageError::from)
            }
            Storage::S3 { store, .. } => store.put_file(temp, key, sha256).await,
        }
    }

    /// The object for a download; `range` is the client's `Range` header, if any.
    pub async fn open(&self, key: &str, range: Option<&str>) -> Result<Object, StorageError> {
        match self {
            Storage::Local(l) => l
                .local_path(key)
                .map(Object::File)
                .ok_or(StorageError::BadKey),
            Storage::S3 { store, .. } => store.get(key, range).await.map(Object::Stream),
        }
    }

    /// The object as an open file at offset 0 (for the personal-data archive). From an object
    /// store it is copied to an already unlinked temp file, so nothing is left behind.
    pub async fn fetch(&self, key: &str) -> Result<std::fs::File, StorageError> {
        match self {
            Storage::Local(l) => {
                let path = l.local_path(key).ok_or(StorageError::BadKey)?;
                Ok(tokio::fs::File::open(path).await?.into_std().await)
            }
            Storage::S3 { store, temp } => {
                tokio::fs::create_dir_all(temp).await?;
                let path = temp.join(format!("fetch-{}", hex::encode(rand::random::<[u8; 16]>())));
                let mut file = tokio::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create_new(true)
                    .open(&path)
                    .await?;
                let _ = tokio::fs::remove_file(&path).await;
                store.get_into(key, &mut file).await?;
                let mut file = file.into_std().await;
                std::io::Seek::rewind(&mut file)?;
                Ok(file)
            }
        }
    }

    /// The stored size of `key`, or `None` when there is no such object.
    pub async fn head(&self, key: &str) -> Result<Option<u64>, StorageError> {
        match self {
            Storage::Local(l) => {
                let path = l.local_path(key).ok_or(StorageError::BadKey)?;
                match tokio::fs::metadata(path).await {
                    Ok(m) => Ok(Some(m.len())),
                    Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
                    Err(e) => Err(e.into()),
                }
            }
            Storage::S3 { store, .. } => store.head(key).await,
        }
    }

    /// Removes `key`; removing what is not there succeeds.
    pub async fn delete(&self, key: &str) -> Result<(), StorageError> {
        match self {
            Storage::Local(l) => l.delete(key).map_err(StorageError::from),
            Storage::S3 { store, .. } => store.delete(key).await,
        }
    }

    /// One line for the start-up log.
    pub fn describe(&self) -> String {
        match self {
            Storage::Local(l) => format!("local disk ({})", l.root().display()),
            Storage::S3 { store, .. } => format!("object store {}", store.describe()),
        }
    }
}

impl From<StorageError> for AppError {
    fn from(e: StorageError) -> Self {
        use StorageError as E;
        match &e {
            E::NotFound | E::BadKey => AppError::NotFound,
            E::Full(detail) => AppError::StorageFull(detail.clone()),
            // A store that refuses Jury's credentials is as unusable as one that is down: the
            // client can only retry; the log line (warn) names the store's own error code.
            E::Unavailable(_) | E::Refused(_) => AppError::StorageUnavailable(e.to_string()),
            other => AppError::Internal(other.to_string()),
        }
    }
}
