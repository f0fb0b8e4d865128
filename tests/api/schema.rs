//! The SQLite and PostgreSQL migration sets must describe the same schema: same tables, same
//! columns, compatible types and nullability.

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
        let cols: Vec<SqliteCol> = diesel::sql_query(format!("PRAGMA table_info({})", t.name))
            .load(&mut conn)
            .unwrap();
        let entry = out.entry(t.name).or_default();
        for c in cols {
            entry.insert(c.name, (family(&c.ty), c.notnull == 1 || c.pk == 1));
        }
    }
    out
}

fn pg_schema(url: &str) -> Schema {
    let mut conn = PgConnection::establish(url).unwrap();
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

    let (lite, post) = (sqlite_schema(&path), pg_schema(&pg.url));
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
