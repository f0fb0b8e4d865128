//! Which database the tests run on (`JURY_TEST_BACKEND`), a scratch PostgreSQL database per
//! test, and a password hasher cheap enough for hundreds of sign-ups.
//!
//! A test server starts on a database that is already migrated: a copy of a template that is
//! migrated once (a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL) rather
//! than twenty migrations per test. On PostgreSQL those cost more than most tests' own work.
//! The template is named by a digest of the migration files, so a changed migration builds a
//! new one; the server still runs `migrate` at start, which then finds nothing to do.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

pub fn pg_base_url() -> String {
    std::env::var("JURY_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

pub fn use_postgres() -> bool {
    std::env::var("JURY_TEST_BACKEND").is_ok_and(|v| v == "postgres")
}

/// Whether PostgreSQL tests must run rather than skip (`JURY_REQUIRE_POSTGRES=1`, set by CI).
pub fn postgres_required() -> bool {
    std::env::var("JURY_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

/// A PostgreSQL server for tests that need one whatever the backend, or `None` with a printed
/// reason. With `JURY_REQUIRE_POSTGRES=1` (CI) a missing server fails the test instead.
pub fn postgres_or_skip(test: &str) -> Option<String> {
    let url = pg_base_url();
    match jury::db::connect_pg(&url) {
        Ok(_) => Some(url),
        Err(e) if postgres_required() => {
            panic!("{test}: PostgreSQL required (JURY_REQUIRE_POSTGRES=1) but {url} failed: {e}")
        }
        Err(e) => {
            eprintln!("SKIP {test}: no PostgreSQL at {url} ({e}); set JURY_TEST_PG_URL to run it");
            None
        }
    }
}

/// A scratch PostgreSQL database, dropped with the test.
pub struct PgDatabase {
    pub url: String,
    admin_url: String,
    name: String,
}

impl PgDatabase {
    pub fn create(admin_url: &str) -> PgDatabase {
        let name = format!("jury_t_{}", &jury::auth::tokens::random_token()[..16]);
        let mut admin = jury::db::connect_pg(admin_url).expect("connect to PostgreSQL");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create database");
        PgDatabase {
            url: format!("{}/{name}", server_url(admin_url)),
            admin_url: admin_url.to_string(),
            name,
        }
    }
}

impl PgDatabase {
    /// A scratch database with every migration applied, cloned from the migrated template.
    pub fn migrated(admin_url: &str) -> PgDatabase {
        let template = pg_template(admin_url);
        let name = format!("jury_t_{}", &jury::auth::tokens::random_token()[..16]);
        let mut admin = jury::db::connect_pg(admin_url).expect("connect to PostgreSQL");
        admin
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .expect("create database from the template");
        PgDatabase {
            url: format!("{}/{name}", server_url(admin_url)),
            admin_url: admin_url.to_string(),
            name,
        }
    }
}

fn server_url(admin_url: &str) -> &str {
    admin_url
        .rsplit_once('/')
        .map(|(b, _)| b)
        .unwrap_or(admin_url)
}

/// A digest of one backend's migration files (names and contents), in the order they apply.
fn migrations_digest(backend: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    let mut files = Vec::new();
    let mut dirs = vec![dir.clone()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("migrations dir").flatten() {
            let path = e.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut hash = Sha256::new();
    for f in files {
        hash.update(
            f.strip_prefix(&dir)
                .unwrap_or(&f)
                .to_string_lossy()
                .as_bytes(),
        );
        hash.update(std::fs::read(&f).expect("migration file"));
    }
    hex::encode(&hash.finalize()[..8])
}

/// The migrated PostgreSQL template, built once per server and migration set. Test processes
/// run side by side (CI's two passes), so it is built under an advisory lock under another
/// name and renamed when complete; a clone never sees a half-migrated template. Templates of
/// other migration sets are dropped then.
fn pg_template(admin_url: &str) -> String {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let name = format!("jury_tpl_{}", migrations_digest("postgres"));
        let mut admin = jury::db::connect_pg(admin_url).expect("connect to PostgreSQL");
        // "jury" + "tpl": not the server's own migration lock.
        admin
            .batch_execute("SELECT pg_advisory_lock(7599578907561060)")
            .expect("template lock");
        #[derive(QueryableByName)]
        struct Db {
            #[diesel(sql_type = diesel::sql_types::Text)]
            datname: String,
        }
        let existing: Vec<Db> = diesel::sql_query(
            "SELECT datname::text AS datname FROM pg_database WHERE datname LIKE 'jury\\_tpl\\_%'",
        )
        .load(&mut admin)
        .expect("list templates");
        if !existing.iter().any(|d| d.datname == name) {
            for old in &existing {
                admin
                    .batch_execute(&format!(
                        "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                        old.datname
                    ))
                    .expect("drop an old template");
            }
            let building = format!("{name}_building");
            admin
                .batch_execute(&format!("CREATE DATABASE {building}"))
                .expect("create the template");
            let url = format!("{}/{building}", server_url(admin_url));
            jury::db::migrate(&jury::db::Target::Postgres(url)).expect("migrate the template");
            admin
                .batch_execute(&format!("ALTER DATABASE {building} RENAME TO {name}"))
                .expect("name the template");
        }
        admin
            .batch_execute("SELECT pg_advisory_unlock(7599578907561060)")
            .expect("template unlock");
        name
    })
    .clone()
}

/// Puts a migrated SQLite database at `path`: a copy of a template file in cargo's scratch
/// directory for integration tests, built once per migration set (under a temporary name and
/// renamed, so test processes running side by side never copy a half-built one).
pub fn migrated_sqlite(path: &Path) {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    let template = TEMPLATE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let file = dir.join(format!("jury-template-{}.db", migrations_digest("sqlite")));
        if !file.exists() {
            let building = dir.join(format!("jury-template-{}.building", std::process::id()));
            let _ = std::fs::remove_file(&building);
            jury::db::migrate(&jury::db::Target::Sqlite(building.clone()))
                .expect("migrate the template");
            // The migration's connection is closed, so its write-ahead log is folded in and
            // the file is the whole database.
            std::fs::rename(&building, &file).expect("name the template");
        }
        file
    });
    std::fs::copy(template, path).expect("copy the migrated template");
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut admin) = jury::db::connect_pg(&self.admin_url) {
            let _ = admin.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

pub fn cheap_hasher() -> jury::auth::password::Hasher {
    let params = argon2::Params::new(1024, 1, 1, None).expect("params");
    jury::auth::password::Hasher::with_params(4, params).expect("hasher")
}
