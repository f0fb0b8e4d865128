//! Which database the tests run on (`JURY_TEST_BACKEND`), a scratch PostgreSQL database per
//! test, and a password hasher cheap enough for hundreds of sign-ups.

use diesel::connection::SimpleConnection;

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
        let base = admin_url
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(admin_url);
        PgDatabase {
            url: format!("{base}/{name}"),
            admin_url: admin_url.to_string(),
            name,
        }
    }
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
