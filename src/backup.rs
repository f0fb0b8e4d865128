//! `jury backup` and `jury restore` for the embedded SQLite database and the uploaded files.
//!
//! The backup is online: `VACUUM INTO` writes a consistent snapshot of the database while the
//! server keeps serving (it reads in one transaction), and the uploads are copied beside it
//! (`FILE.files/`). Uploads are written once and never changed in place, so copying them after
//! the snapshot can only add files the snapshot does not reference yet, never lose one it does.
//! Restoring is offline (stop `jury serve` first): the snapshot is checked, the current
//! database is kept as `jury.db.before-restore`, and the files are copied back.
//! PostgreSQL is backed up with its own tools; `backup` prints how.

use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::{Connection, RunQueryDsl, SqliteConnection};

use crate::config::Config;
use crate::db::Target;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Usage(String),
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Db(String),
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> BackupError {
    let what = what.into();
    move |source| BackupError::Io { what, source }
}

pub const PG_GUIDE: &str = "PostgreSQL is backed up with its own tools, online and consistent:
  pg_dump --format=custom --file=jury.dump \"$JURY_DATABASE_URL\"
and restored into an empty database with:
  pg_restore --no-owner --dbname=\"$JURY_DATABASE_URL\" jury.dump
Copy the uploads directory (JURY_DATA_DIR/uploads) alongside.";

fn files_dir(out: &Path) -> PathBuf {
    let mut name = out.as_os_str().to_owned();
    name.push(".files");
    PathBuf::from(name)
}

/// Copies `from` into `to` recursively, returning how many files were copied.
fn copy_tree(from: &Path, to: &Path) -> Result<usize, BackupError> {
    if !from.exists() {
        return Ok(0);
    }
    std::fs::create_dir_all(to).map_err(io(format!("create {}", to.display())))?;
    let mut n = 0;
    for entry in std::fs::read_dir(from).map_err(io(format!("read {}", from.display())))? {
        let entry = entry.map_err(io(format!("read {}", from.display())))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            n += copy_tree(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst).map_err(io(format!("copy {}", src.display())))?;
            n += 1;
        }
    }
    Ok(n)
}

fn sqlite_path(config: &Config) -> Result<PathBuf, BackupError> {
    match Target::parse(&config.database_url).map_err(BackupError::Usage)? {
        Target::Sqlite(path) => Ok(path),
        Target::Postgres(_) => Err(BackupError::Usage(PG_GUIDE.into())),
    }
}

/// Writes a snapshot of the database to `out` and the uploads to `out.files/`. Returns the
/// number of files copied.
pub fn backup(config: &Config, out: &Path) -> Result<usize, BackupError> {
    let db = sqlite_path(config)?;
    if out.exists() {
        return Err(BackupError::Usage(format!(
            "{} exists; choose a new file (a backup never overwrites)",
            out.display()
        )));
    }
    let mut c = SqliteConnection::establish(&db.display().to_string())
        .map_err(|e| BackupError::Db(format!("open {}: {e}", db.display())))?;
    c.batch_execute("PRAGMA busy_timeout = 10000;")
        .map_err(|e| BackupError::Db(e.to_string()))?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<diesel::sql_types::Text, _>(out.display().to_string())
        .execute(&mut c)
        .map_err(|e| BackupError::Db(format!("snapshot to {}: {e}", out.display())))?;
    copy_tree(&config.data_dir.join("uploads"), &files_dir(out))
}

/// Replaces the database (and adds back the uploads) from a backup made by `backup`. The
/// server must be stopped. Returns the number of files restored.
pub fn restore(config: &Config, from: &Path) -> Result<usize, BackupError> {
    let db = sqlite_path(config)?;
    let mut c = SqliteConnection::establish(&from.display().to_string())
        .map_err(|e| BackupError::Db(format!("open {}: {e}", from.display())))?;
    let ok: Vec<String> = diesel::sql_query("PRAGMA integrity_check")
        .load::<Check>(&mut c)
        .map_err(|e| BackupError::Usage(format!("{} is not a Jury backup: {e}", from.display())))?
        .into_iter()
        .map(|r| r.integrity_check)
        .collect();
    if ok != ["ok"] {
        return Err(BackupError::Usage(format!(
            "{} fails SQLite's integrity check: {}",
            from.display(),
            ok.join("; ")
        )));
    }
    let migrated: i64 = diesel::sql_query("SELECT count(*) AS n FROM __diesel_schema_migrations")
        .get_result::<Count>(&mut c)
        .map(|r| r.n)
        .map_err(|_| BackupError::Usage(format!("{} is not a Jury database", from.display())))?;
    if migrated == 0 {
        return Err(BackupError::Usage(format!(
            "{} is not a Jury database",
            from.display()
        )));
    }
    drop(c);
    if db.exists() {
        let mut keep = db.as_os_str().to_owned();
        keep.push(".before-restore");
        std::fs::rename(&db, PathBuf::from(&keep)).map_err(io(format!("move {}", db.display())))?;
        for suffix in ["-wal", "-shm"] {
            let mut side = db.as_os_str().to_owned();
            side.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(side));
        }
    }
    std::fs::copy(from, &db).map_err(io(format!("copy {} to {}", from.display(), db.display())))?;
    copy_tree(&files_dir(from), &config.data_dir.join("uploads"))
}

#[derive(diesel::QueryableByName)]
struct Check {
    #[diesel(sql_type = diesel::sql_types::Text)]
    integrity_check: String,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}
