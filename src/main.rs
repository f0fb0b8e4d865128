//! The `jury` command: serve the platform, migrate, create an administrator, run the assignment
//! solver. Everything else lives in the library.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use jury::config::Config;
use jury::{AppState, StartError, auth, db, mail};

#[derive(Parser)]
#[command(
    name = "jury",
    version,
    about = "Judging platform of the Gyeonggi–Hangzhou Global Start-up Contest"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the web frontend (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Create an administrator (password from JURY_ADMIN_PASSWORD or a prompt).
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
    /// Solve a judge-assignment instance, or generate one (DESIGN §6).
    Assign(jury::assign::cli::AssignArgs),
    /// Write an online snapshot of the SQLite database (and the uploads beside it).
    Backup {
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Replace the SQLite database and add back the uploads from a backup (server stopped).
    Restore {
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Audit log tools.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Fill the database with a realistic demo contest and print its sign-ins.
    SeedDemo {
        /// Number of applications.
        #[arg(long, default_value_t = 120)]
        applications: usize,
        /// Number of judges.
        #[arg(long, default_value_t = 24)]
        judges: usize,
    },
}

#[derive(Subcommand)]
enum AuditAction {
    /// Walk the hash chain; exit 1 naming the first entry that was altered or removed.
    Verify,
}

/// Rust's allocations go to jemalloc. glibc malloc, capped at two arenas for memory (below),
/// made the workers and blocking threads queue on two arena locks: a block allocated on an
/// actix worker and freed on a blocking thread, or the other way round, goes through an arena
/// almost every time. jemalloc's per-thread caches take those without a lock. In interleaved
/// A/Bs (benches/RESULTS.md, 2026-12-06) the signed-in floor on SQLite went from 0.71–0.76 of
/// the bare server to 0.82–0.91, the deadline hour from 6,843–8,514 to 10,007–10,973 req/s at
/// about 5 MB more RSS.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings, read before `main` (jemalloc's `malloc_conf`; the `_rjem_` prefix is
/// the crate's, and `_RJEM_MALLOC_CONF` in the environment still overrides any of them).
/// Two arenas and thread caches of blocks up to 1 KiB hold the deadline hour near 85 MB at
/// 256 connections, where jemalloc's defaults (eight arenas, 32 KiB caches) reached 97 MB.
/// Freed pages go back to the system after half a second, from jemalloc's own thread, rather
/// than after ten seconds from whichever thread happens to allocate.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static JEMALLOC_CONF: &[u8; 85] =
    b"narenas:2,tcache_max:1024,dirty_decay_ms:500,muzzy_decay_ms:0,background_thread:true\0";

/// What is left on glibc malloc is the C libraries' memory (SQLite's page cache, libpq's
/// results, OpenSSL). glibc gives every allocating thread an arena of its own (up to eight per
/// core) and raises its mmap threshold each time a large block is freed, so buffers ended up
/// spread over many arenas that never shrink (126 MB serving the public results to 64 clients
/// when all memory was glibc's). Two arenas and a fixed 1 MiB threshold keep that in bounds.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_malloc() {
    // SAFETY: mallopt only sets allocator parameters; nothing else runs yet.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_malloc() {}

fn main() -> ExitCode {
    tune_malloc();
    let cli = Cli::parse();
    if let Some(Command::Assign(args)) = cli.command {
        return jury::assign::cli::run(args);
    }
    let command = cli.command.unwrap_or(Command::Serve);
    init_tracing(matches!(command, Command::Serve));
    let result = match command {
        Command::Assign(_) => unreachable!("handled above"),
        Command::Serve => run_async(serve()),
        Command::Migrate => migrate(),
        Command::CreateAdmin { email, name } => run_async(create_admin(email, name)),
        Command::Backup { out } => backup(&out),
        Command::Restore { from } => restore(&from),
        Command::Audit {
            action: AuditAction::Verify,
        } => audit_verify(),
        Command::SeedDemo {
            applications,
            judges,
        } => run_async(seed_demo(applications, judges)),
    };
    jury::web::log_writer::flush();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("jury: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The server writes its log through a buffer a background thread empties (warnings and
/// errors at once; `web::log_writer`); one-off commands write straight to standard output.
/// `web::access_log` writes one line per request with its id; errors inside the request
/// carry the same id.
fn init_tracing(serve: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("JURY_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    // Colour codes only for a person at a terminal: written to a file or a collector they are
    // noise, and styling each field was a fifth of a logged request's instructions (issue 20).
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    let fmt = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .event_format(jury::web::log_format::Line)
        .fmt_fields(jury::web::log_format::Fields);
    if serve {
        fmt.with_writer(jury::web::log_writer::install(ansi)).init();
    } else {
        fmt.init();
    }
}

fn run_async(
    fut: impl std::future::Future<Output = Result<(), StartError>>,
) -> Result<(), StartError> {
    actix_web::rt::System::new().block_on(fut)
}

fn migrate() -> Result<(), StartError> {
    let config = Config::load()?;
    let target = db::Target::parse(&config.database_url).map_err(db::OpenError::Url)?;
    let applied = db::migrate(&target)?;
    if applied.is_empty() {
        println!("database is up to date");
    }
    for name in applied {
        println!("applied {name}");
    }
    Ok(())
}

fn backup(out: &std::path::Path) -> Result<(), StartError> {
    let config = Config::load()?;
    let files = jury::backup::backup(&config, out).map_err(|e| StartError::Other(e.to_string()))?;
    println!(
        "backup written to {} ({files} uploaded files beside it)",
        out.display()
    );
    if config.storage != jury::storage::StorageConfig::Local {
        println!(
            "uploads are in the object store (JURY_STORAGE_URL) and are not part of this backup: \
             keep them with the store's own versioning or replication"
        );
    }
    Ok(())
}

fn restore(from: &std::path::Path) -> Result<(), StartError> {
    let config = Config::load()?;
    let files =
        jury::backup::restore(&config, from).map_err(|e| StartError::Other(e.to_string()))?;
    println!(
        "restored from {} ({files} uploaded files); the previous database is kept as *.before-restore",
        from.display()
    );
    Ok(())
}

fn audit_verify() -> Result<(), StartError> {
    let config = Config::load()?;
    let target = db::Target::parse(&config.database_url).map_err(db::OpenError::Url)?;
    let pool = db::pool(
        &target,
        1,
        std::time::Duration::from_millis(config.db_timeout_ms),
    );
    let mut conn = db::checkout(&pool).map_err(|e| StartError::Other(e.to_string()))?;
    match jury::audit::verify_chain(&mut conn) {
        Ok(Ok(n)) => {
            println!("audit log intact: {n} entries, each chained to the one before");
            Ok(())
        }
        Ok(Err(id)) => Err(StartError::Other(format!(
            "audit log broken at entry {id}: its content or link does not match the chain \
             (it or an entry before it was altered or removed)"
        ))),
        Err(e) => Err(StartError::Other(e.to_string())),
    }
}

fn state() -> Result<AppState, StartError> {
    let config = Config::load()?;
    let transport = AppState::transport_from(&config)?;
    AppState::build(config, transport, None)
}

async fn serve() -> Result<(), StartError> {
    let started = std::time::Instant::now();
    let state = state()?;
    let bind = state.config.bind.clone();
    if let Some(link) = auth::service::ensure_setup_link(&state)
        .await
        .map_err(|e| StartError::Other(format!("cannot create the setup link: {e}")))?
    {
        println!(
            "\n  No administrator yet. Open this link within 24 hours to create one:\n\n    {link}\n"
        );
    }
    actix_web::rt::spawn(mail::dispatcher::run(
        state.db.clone(),
        state.mailer.clone(),
    ));
    actix_web::rt::spawn(jury::rounds::notify::run_schedule(state.clone()));
    let app_state = state.clone();
    let server = actix_web::HttpServer::new(move || jury::app(app_state.clone()))
        .client_request_timeout(std::time::Duration::from_millis(
            state.config.header_timeout_ms,
        ))
        .keep_alive(std::time::Duration::from_secs(state.config.keep_alive_secs))
        // A compressed body goes out as headers then chunks; with Nagle on, the client's
        // delayed ACK held every such response back by 40 ms.
        .tcp_nodelay(true)
        // Blocking work is database calls (bounded by the pool) and password hashing (bounded
        // by its own limit). The default of 512 threads per worker let a burst park hundreds
        // of threads on the pool, each with its own stack and malloc arena: RSS, not speed.
        .worker_max_blocking_threads(
            state.config.db_pool_size as usize + state.config.hash_concurrency + 2,
        )
        .bind(&bind)
        .map_err(|e| StartError::Other(format!("cannot listen on {bind}: {e}")))?
        .shutdown_timeout(10);
    tracing::info!(
        bind = %bind,
        backend = state.backend,
        storage = %state.storage.describe(),
        ready_ms = started.elapsed().as_millis() as u64,
        "Jury is listening on {}",
        state.config.public_url
    );
    server
        .run()
        .await
        .map_err(|e| StartError::Other(e.to_string()))
}

async fn seed_demo(applications: usize, judges: usize) -> Result<(), StartError> {
    if !(4..=100_000).contains(&applications) || !(6..=5_000).contains(&judges) {
        return Err(StartError::Other(
            "--applications must be 4–100000 and --judges 6–5000".into(),
        ));
    }
    let state = state()?;
    let started = std::time::Instant::now();
    let demo = jury::demo::seed(&state, applications, judges)
        .await
        .map_err(|e| StartError::Other(format!("seed-demo: {e}")))?;
    let base = &state.config.public_url;
    println!(
        "demo contest {} seeded in {:.1} s: {} applications, {} judges, {} submitted reviews",
        demo.contest,
        started.elapsed().as_secs_f64(),
        demo.applications,
        demo.judges,
        demo.reviews
    );
    println!("every demo account's password: {}", jury::demo::PASSWORD);
    println!("  admin      {}  → {base}/admin/contests", demo.admin_email);
    println!("  judge (KR) {}  → {base}/judge", demo.judge_kr_email);
    println!("  judge (CN) {}  → {base}/judge", demo.judge_cn_email);
    for staff in &demo.staff_emails {
        println!(
            "  organiser  {staff}  → {base}/admin/contests/{}/organisations",
            demo.contest
        );
    }
    println!("  applicant  {}  → {base}/", demo.applicant_email);
    println!(
        "  public results → {base}/contests/{}/results",
        demo.contest
    );
    Ok(())
}

async fn create_admin(email: String, name: String) -> Result<(), StartError> {
    let password = match std::env::var("JURY_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ if std::io::stdin().is_terminal() => {
            let p = rpassword::prompt_password("Password for the new administrator: ")
                .map_err(|e| StartError::Other(e.to_string()))?;
            let again = rpassword::prompt_password("Repeat the password: ")
                .map_err(|e| StartError::Other(e.to_string()))?;
            if p != again {
                return Err(StartError::Other("the passwords differ".into()));
            }
            p
        }
        _ => {
            return Err(StartError::Other(
                "set JURY_ADMIN_PASSWORD or run in a terminal".into(),
            ));
        }
    };
    let state = state()?;
    match auth::service::create_admin(&state, email.clone(), name, password).await {
        Ok(id) => {
            println!("administrator {email} created (id {id})");
            Ok(())
        }
        Err(jury::error::AppError::Validation(f)) => {
            Err(StartError::Other(format!("invalid input: {:?}", f.0)))
        }
        Err(e) => Err(StartError::Other(e.to_string())),
    }
}
