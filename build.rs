// `embed_migrations!` compiles the migration folders into the binary, but cargo only notices
// the files it was told about: a new migration folder did not rebuild the binary, so a
// benchmark or a local run could use a binary without the newest migration.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
