//! The command line. Configuration comes from `EHC_*` variables (and the
//! optional `EHC_CONFIG` file) for every subcommand alike.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ehc_domain::otp_policy::INVITATION_TTL_DAYS;

use crate::config::{Config, Mode, Settings};
use crate::startup::{build_state, Application};

#[derive(Parser)]
#[command(name = "ehc-hub", version, about = "EHC needs assessment hub: API server and tools")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Invite the first administrator of a local authority; prints the link.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long = "local-authority")]
        local_authority: String,
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
    /// Fill an embedded hub with demo accounts and print them.
    SeedDemo,
    /// The audit log.
    Audit {
        #[command(subcommand)]
        action: AuditCommand,
    },
    /// Run the daily retention purge now (cases past date of birth + the
    /// retention period, unless on legal hold).
    Purge,
    /// Benchmark anchor: argon2id verifications per second with the argon2
    /// crate's own verifier at the hub's parameters, one thread per core.
    Argon2Rate {
        #[arg(long, default_value_t = 5)]
        seconds: u64,
    },
    /// Generate a large local authority for benchmarks (PostgreSQL or SQLite).
    SeedLoad {
        /// Cases to make; requests for advice are ten times as many, professionals a fifth.
        #[arg(long, default_value_t = 25_000)]
        cases: usize,
        /// Batches written at once (default 4 on PostgreSQL; SQLite takes one writer).
        #[arg(long = "at-once")]
        at_once: Option<usize>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the whole hash chain; exits 1 and says where it breaks.
    Verify,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::Argon2Rate { seconds }) = cli.command {
        let (rate, threads) = crate::security::passwords::raw_verify_rate(std::time::Duration::from_secs(seconds));
        println!("argon2id m=19456 t=2 p=1: {rate:.1} verifies/s on {threads} threads");
        return ExitCode::SUCCESS;
    }
    if let Some(Command::Openapi) = cli.command {
        return match crate::openapi::spec_json() {
            Ok(json) => {
                print!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        };
    }
    let config = match Settings::from_process().and_then(|s| Config::from_settings(&s)) {
        Ok(config) => config,
        Err(e) => return fail(e),
    };
    crate::telemetry::init(&config.log_filter);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(e),
    };
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => serve(config).await,
            Command::Migrate => build_state(&config).await.map(|_| println!("migrations applied")),
            Command::Openapi | Command::Argon2Rate { .. } => Ok(()),
            Command::CreateAdmin { email, local_authority, name } => create_admin(&config, &email, &local_authority, &name).await,
            Command::SeedDemo => seed_demo(&config).await,
            Command::Audit { action: AuditCommand::Verify } => verify_audit(&config).await,
            Command::Purge => {
                let state = build_state(&config).await?;
                let report = crate::retention::purge_once(&state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                println!("retention purge: {} cases removed", report.purged);
                if report.kept_recent > 0 {
                    println!(
                        "kept: {} cases past retention by their dates but created or touched in the last {} days \
                         (check their dates of birth)",
                        report.kept_recent,
                        ehc_domain::retention::RECENT_ACTIVITY_GUARD_DAYS
                    );
                }
                Ok(())
            }
            Command::SeedLoad { cases, at_once } => {
                let state = build_state(&config).await?;
                let summary = crate::load::seed_load(&state, cases, at_once).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                println!(
                    "loaded {} cases, {} requests for advice, {} professionals in {:.1} s; log in as {} with password {:?}",
                    summary.cases, summary.requests, summary.professionals, summary.seconds, summary.sample_login, crate::load::LOAD_PASSWORD
                );
                Ok(())
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

fn fail(e: impl std::fmt::Display) -> ExitCode {
    eprintln!("ehc-hub: {e}");
    ExitCode::FAILURE
}

async fn serve(config: Config) -> anyhow::Result<()> {
    // actix runs its own system inside this runtime.
    let mode = config.mode;
    let app = Application::build(config).await?;
    tracing::info!(port = app.port(), mode = ?mode, "listening");
    app.run_until_stopped().await?;
    Ok(())
}

async fn verify_audit(config: &Config) -> anyhow::Result<()> {
    let db = ehc_storage::db::build_pool(config.database_url(), 1)?;
    let report = tokio::task::spawn_blocking(move || crate::audit::verify_chain(&db)).await??;
    println!("{report}");
    match report {
        crate::audit::ChainReport::Intact { .. } => Ok(()),
        crate::audit::ChainReport::Broken { .. } => anyhow::bail!("the audit log has been tampered with"),
    }
}

async fn create_admin(config: &Config, email: &str, la_name: &str, name: &str) -> anyhow::Result<()> {
    let state = build_state(config).await?;
    let link =
        crate::bootstrap::invite_first_admin(&state, email, la_name, name).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("Invitation for the first administrator of {} (valid {INVITATION_TTL_DAYS} days):", la_name.trim());
    println!("{link}");
    Ok(())
}

async fn seed_demo(config: &Config) -> anyhow::Result<()> {
    if config.mode != Mode::Embedded {
        anyhow::bail!("seed-demo runs in embedded mode only (EHC_ENV is production)");
    }
    let state = build_state(config).await?;
    let seeded = crate::demo::seed(&state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("Demo local authority: Demo Borough Council. Every account's password: {:?}", crate::demo::DEMO_PASSWORD);
    println!("Second step: an SMS code, written to {} after each login.", config.outbox_dir.display());
    for (email, role) in seeded.accounts {
        println!("  {role:<20} {email}");
    }
    println!("Cases: {}", seeded.case_references.join(", "));
    Ok(())
}
