//! The SQLite and PostgreSQL migration sets must describe the same schema: same tables, same
//! columns, compatible types and nullability (but for PostgreSQL's own audit staging table).

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

use crate::common::{PgDatabase, postgres_or_skip};

#[derive(QueryableByName, Debug)]
struct SqliteCol {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text, column_name = "type")]
    ty: String,
    #[diesel(sql_type = Integer)]
    notnull: i32,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName, Debug)]
struct PgCol {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
}

fn family(ty: &str) -> &'static str {
    let t = ty.to_ascii_lowercase();
    if t.contains("int") || t.contains("serial") {
        "integer"
    } else if t.contains("timestamp") {
        "timestamp"
    } else if t.contains("bool") {
        "bool"
    } else if t.contains("double") || t.contains("real") || t.contains("float") {
        "float"
    } else if t.contains("blob") || t.contains("bytea") {
        "binary"
    } else if t == "date" {
        "date"
    } else {
        "text"
    }
}

type Schema = BTreeMap<String, BTreeMap<String, (&'static str, bool)>>;

fn sqlite_schema(path: &std::path::Path) -> Schema {
    let mut conn = SqliteConnection::establish(&path.display().to_string()).unwrap();
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '__diesel_schema_migrations'",
    )
    .load(&mut conn)
    .unwrap();
    let mut out = Schema::new();
    for t in tables {
        let cols = sqlite_columns(&mut conn, &t.name);
        let entry = out.entry(t.name).or_default();
        for c in cols {
            entry.insert(c.name, (family(&c.ty), c.notnull == 1 || c.pk == 1));
        }
    }
    out
}

fn pg_schema(url: &str) -> Schema {
    let mut conn = jury::db::connect_pg(url).unwrap();
    let cols: Vec<PgCol> = diesel::sql_query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = 'public' \
         AND table_name <> '__diesel_schema_migrations'",
    )
    .load(&mut conn)
    .unwrap();
    let mut out = Schema::new();
    for c in cols {
        out.entry(c.table_name)
            .or_default()
            .insert(c.column_name, (family(&c.data_type), c.is_nullable == "NO"));
    }
    out
}

#[test]
fn sqlite_and_postgres_schemas_match() {
    let Some(admin_url) = postgres_or_skip("sqlite_and_postgres_schemas_match") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema.db");
    let applied = jury::db::migrate(&jury::db::Target::Sqlite(path.clone())).unwrap();
    assert!(!applied.is_empty());
    let pg = PgDatabase::create(&admin_url);
    let pg_applied = jury::db::migrate(&jury::db::Target::Postgres(pg.url.clone())).unwrap();
    assert_eq!(
        applied, pg_applied,
        "both backends must have the same migration names"
    );

    let (lite, mut post) = (sqlite_schema(&path), pg_schema(&pg.url));
    // PostgreSQL's audit entries wait here for their transaction's commit to chain them
    // (migration 20); no query of the application names it, and SQLite needs no such thing.
    assert!(post.remove("audit_pending").is_some());
    assert_eq!(
        lite.keys().collect::<Vec<_>>(),
        post.keys().collect::<Vec<_>>(),
        "table sets differ"
    );
    for (table, cols) in &lite {
        assert_eq!(
            cols, &post[table],
            "columns of {table} differ (type family, not null)"
        );
    }
    // Running again applies nothing.
    assert!(
        jury::db::migrate(&jury::db::Target::Sqlite(path))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn migration_folders_pair_up() {
    let names = |dir: &str| {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names("migrations/sqlite"), names("migrations/postgres"));
}

/// SQLite rebuilds `published_results` with the snapshot as its last column (so the digest is
/// read without walking the snapshot's overflow pages): a database published before keeps
/// every row and value, and the snapshot ends up last.
#[test]
fn published_results_keep_their_rows_when_the_snapshot_moves_last() {
    use diesel::connection::SimpleConnection;
    use diesel_migrations::MigrationHarness;

    #[derive(QueryableByName, Debug, PartialEq)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        round_id: i64,
        #[diesel(sql_type = Text)]
        sha256: String,
        #[diesel(sql_type = Text)]
        snapshot: String,
        #[diesel(sql_type = Text)]
        published_at: String,
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("upgrade.db");
    let mut c = SqliteConnection::establish(&path.to_string_lossy()).unwrap();
    let pending = c.pending_migrations(jury::db::SQLITE_MIGRATIONS).unwrap();
    let at = pending
        .iter()
        .position(|m| m.name().to_string().ends_with("_results_snapshot_last"))
        .expect("the migration is there");
    for m in &pending[..at] {
        c.run_migration(&**m).unwrap();
    }
    let snapshot = format!("{{\"rows\":\"{}\"}}", "x".repeat(50_000));
    let t = "'2026-12-01 10:00:00'";
    c.batch_execute(&format!(
        "INSERT INTO contests (id, slug, name, timezone, opens_at, closes_at, created_at, updated_at)
         VALUES (1, 'gsc', 'GSC', 'Asia/Seoul', {t}, {t}, {t}, {t});
         INSERT INTO rounds (id, contest_id, position, name, reviews_per_application, state,
                             created_at, updated_at)
         VALUES (3, 1, 1, 'Screening', 3, 'published', {t}, {t});
         INSERT INTO published_results (id, round_id, snapshot, sha256, published_by, published_at)
         VALUES (7, 3, '{snapshot}', 'abc123', NULL, {t})"
    ))
    .unwrap();
    c.run_pending_migrations(jury::db::SQLITE_MIGRATIONS)
        .unwrap();
    let rows: Vec<Row> = diesel::sql_query(
        "SELECT id, round_id, sha256, snapshot, published_at FROM published_results",
    )
    .load(&mut c)
    .unwrap();
    assert_eq!(
        rows,
        [Row {
            id: 7,
            round_id: 3,
            sha256: "abc123".into(),
            snapshot,
            published_at: "2026-12-01 10:00:00".into(),
        }]
    );
    let cols = sqlite_columns(&mut c, "published_results");
    assert_eq!(cols.last().map(|c| c.name.as_str()), Some("snapshot"));
    // The unique key on the round survives the rebuild.
    let again = c.batch_execute(
        "INSERT INTO published_results (round_id, snapshot, sha256, published_at)
         VALUES (3, '{}', 'd', '2026-12-02 10:00:00')",
    );
    assert!(again.is_err(), "a second snapshot for round 3 was accepted");
}

fn sqlite_columns(c: &mut SqliteConnection, table: &str) -> Vec<SqliteCol> {
    diesel::sql_query(format!("PRAGMA table_info({table})"))
        .load(c)
        .unwrap()
}
