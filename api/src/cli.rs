//! The command line. Configuration comes from `EHC_*` variables (and the
//! optional `EHC_CONFIG` file) for every subcommand alike.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use ehc_domain::otp_policy::INVITATION_TTL_DAYS;
use ehc_storage::error::OptionalExt;
use ehc_storage::identity::organisations;
use ehc_storage::identity::users::{self, NewUser, STATUS_ACTIVE};
use ehc_storage::new_id;

use crate::config::{Config, Mode, Settings};
use crate::error::ApiError;
use crate::startup::{build_state, Application};
use crate::state::AppState;

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
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
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
            Command::Openapi => Ok(()),
            Command::CreateAdmin { email, local_authority, name } => create_admin(&config, &email, &local_authority, &name).await,
            Command::SeedDemo => seed_demo(&config).await,
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

async fn create_admin(config: &Config, email: &str, la_name: &str, name: &str) -> anyhow::Result<()> {
    let state = build_state(config).await?;
    let link = crate::bootstrap::invite_first_admin(&state, email, la_name, name).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("Invitation for the first administrator of {} (valid {INVITATION_TTL_DAYS} days):", la_name.trim());
    println!("{link}");
    Ok(())
}

/// The demo password of every seeded account (embedded mode only).
pub const DEMO_PASSWORD: &str = "demo hub lantern orbit 2026";

async fn seed_demo(config: &Config) -> anyhow::Result<()> {
    if config.mode != Mode::Embedded {
        anyhow::bail!("seed-demo runs in embedded mode only (EHC_ENV is production)");
    }
    let state = build_state(config).await?;
    let password_hash = tokio::task::spawn_blocking(|| crate::security::passwords::hash_password(DEMO_PASSWORD)).await?.map_err(|e| anyhow::anyhow!(e))?;
    let accounts = seed_accounts(&state, password_hash).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("Demo local authority: Demo Borough Council. Every account's password: {DEMO_PASSWORD:?}");
    println!("Second step: an SMS code, written to {} after each login.", config.outbox_dir.display());
    for (email, role) in accounts {
        println!("  {role:<20} {email}");
    }
    Ok(())
}

type DemoAccount = (&'static str, &'static str, &'static str, Option<&'static str>, &'static str, &'static str);

/// (e-mail, name, role, specialism, organisation, organisation kind). Phone
/// numbers come from Ofcom's range reserved for drama (07700 900xxx).
const DEMO_ACCOUNTS: &[DemoAccount] = &[
    ("admin@demo-borough.example", "Alex Admin", "administrator", None, "Demo Borough Council", "local_authority"),
    ("officer@demo-borough.example", "Olu Officer", "assessment_officer", None, "Demo Borough Council", "local_authority"),
    ("senco@oakfield-primary.example", "Sam Senco", "professional", Some("education"), "Oakfield Primary School", "school"),
    ("paediatrician@demo-nhs.example", "Harper Health", "professional", Some("health"), "Demo NHS Trust", "nhs_trust"),
    ("ep@demo-borough.example", "Eden Psychologist", "professional", Some("educational_psychology"), "Demo Borough Council", "local_authority"),
    ("social.worker@demo-borough.example", "Sol Social", "professional", Some("social_care"), "Demo Social Care Team", "social_care_team"),
    ("dsco@demo-borough.example", "Dee Coordinator", "coordinator", Some("social_care"), "Demo Social Care Team", "social_care_team"),
    ("team.manager@demo-borough.example", "Tam Manager", "team_manager", Some("social_care"), "Demo Social Care Team", "social_care_team"),
    ("parent@family.example", "Pat Parent", "parent_carer", None, "Demo Borough Council", "local_authority"),
    ("young.person@family.example", "Yan Young", "young_person", None, "Demo Borough Council", "local_authority"),
];

async fn seed_accounts(state: &AppState, password_hash: String) -> Result<Vec<(String, String)>, ApiError> {
    let now = state.now();
    let st = state.clone();
    state
        .tx(move |conn| {
            let (la, _) = organisations::find_or_create_local_authority(conn, "Demo Borough Council", now)?;
            let mut out = Vec::new();
            for (index, (email, name, role, specialism, org_name, org_kind)) in DEMO_ACCOUNTS.iter().enumerate() {
                out.push(((*email).to_owned(), (*role).to_owned()));
                if users::user_by_email(conn, email).optional()?.is_some() {
                    continue;
                }
                let org = organisations::find_or_create_organisation(conn, &la.id, org_name, org_kind, now)?;
                let phone = format!("+447700900{:03}", index + 1);
                let ciphertext = st.keys.encrypt(phone.as_bytes()).map_err(ApiError::internal)?;
                users::insert_user(
                    conn,
                    &NewUser {
                        id: &new_id(),
                        local_authority_id: &la.id,
                        organisation_id: &org.id,
                        email,
                        name,
                        role,
                        job_title: None,
                        specialism: *specialism,
                        password_hash: &password_hash,
                        mfa_channel: "sms",
                        phone_ciphertext: Some(&ciphertext),
                        phone_masked: Some(&ehc_domain::phone::mask_phone(&phone)),
                        pending_totp_ciphertext: None,
                        status: STATUS_ACTIVE,
                        created_at: now,
                    },
                )?;
            }
            Ok(out)
        })
        .await
}
