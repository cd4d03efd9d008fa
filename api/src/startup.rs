//! Building the application from a `Config`: a listener bound first (port 0
//! works, for tests), then the server. No globals.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use ehc_storage::blob::{BlobStore, LocalBlobStore, S3BlobStore, S3Settings};
use ehc_storage::db::build_pool;
use secrecy::ExposeSecret;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::{BlobConfig, Config, Mode};
use crate::error::ApiError;
use crate::messaging::Messenger;
use crate::security::secrets::{random_token, Keys};
use crate::state::AppState;

pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
}

pub fn blob_store(config: &Config) -> BlobStore {
    match &config.blob {
        BlobConfig::Local { dir } => BlobStore::Local(LocalBlobStore::new(dir.clone())),
        BlobConfig::S3 { endpoint, region, bucket, access_key_id, secret_access_key, path_style } => {
            BlobStore::S3(S3BlobStore::new(&S3Settings {
                endpoint: endpoint.clone(),
                region: region.clone(),
                bucket: bucket.clone(),
                access_key_id: access_key_id.clone(),
                secret_access_key: secret_access_key.expose_secret().to_owned(),
                path_style: *path_style,
            }))
        }
    }
}

/// Everything the handlers share, with migrations applied.
pub async fn build_state(config: &Config) -> anyhow::Result<AppState> {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let db = build_pool(config.database_url(), config.db_pool_size)?;
    if config.mode == Mode::Embedded {
        std::fs::create_dir_all(&config.data_dir)?;
    }
    let migrate_db = db.clone();
    let applied = tokio::task::spawn_blocking(move || migrate_db.run_migrations()).await??;
    if !applied.is_empty() {
        tracing::info!(count = applied.len(), "database migrations applied");
    }
    let keys = Keys::new(config.signing_key.clone(), &config.encryption_key)
        .map_err(|e| anyhow::anyhow!("EHC_ENCRYPTION_KEY: {e}"))?;
    let hashing = crate::security::hashing_pool::HashingPool::for_this_machine();
    let dummy_password_hash = hashing.hash(random_token()).await.map_err(|e| anyhow::anyhow!(e.to_string()))?;
    Ok(AppState {
        metrics: std::sync::Arc::new(crate::metrics::Metrics::new()),
        metrics_token: config.metrics_token.as_ref().map(|t| t.expose_secret().to_owned()),
        hashing,
        db,
        blobs: blob_store(config),
        messenger: Messenger::from_config(config).map_err(|e| anyhow::anyhow!(e))?,
        keys,
        public_url: config.public_url.clone(),
        service_name: config.service_name.clone(),
        dummy_password_hash,
        trusted_proxies: config.trusted_proxies.clone(),
        cors_origins: config.cors_origins.clone(),
        https: config.public_url.starts_with("https://"),
        webauthn: crate::security::webauthn::relying_party(
            &config.public_url,
            &config.cors_origins,
            &config.service_name,
        ),
        max_upload_bytes: config.max_upload_bytes,
        clamd: match &config.scanning {
            crate::config::Scanning::Clamd(addr) => Some(crate::scanning::Clamd::new(addr.clone())),
            crate::config::Scanning::Off => None,
        },
        clock: crate::clock::Clock::default(),
        retention_years: config.retention_years,
        webhooks_allow_local: config.webhooks_allow_local,
        bank_holidays: ehc_domain::statutory::BankHolidays::with_extra(&config.extra_bank_holidays),
    })
}

/// The browser origins that may call the API: the hub's own (Swagger UI's
/// "try it out") and those `EHC_CORS_ORIGINS` names.
fn allowed_origins(config: &Config) -> Vec<String> {
    let mut origins = config.cors_origins.clone();
    let own = config.public_url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    origins.push(own.to_ascii_lowercase());
    origins.sort();
    origins.dedup();
    origins
}

/// CORS: only the allowed origins, without credentials (the API takes bearer
/// tokens, never cookies), exposing the headers clients read.
fn cors_policy(origins: &[String]) -> actix_cors::Cors {
    use actix_web::http::header;
    let mut cors = actix_cors::Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
            header::IF_NONE_MATCH,
            header::CONTENT_DISPOSITION,
            header::HeaderName::from_static("idempotency-key"),
            header::HeaderName::from_static(crate::request_id::REQUEST_ID_HEADER),
        ])
        .expose_headers([
            header::ETAG,
            header::RETRY_AFTER,
            header::LOCATION,
            header::CONTENT_DISPOSITION,
            header::WWW_AUTHENTICATE,
            header::HeaderName::from_static(crate::request_id::REQUEST_ID_HEADER),
            header::HeaderName::from_static(crate::request_id::CLIENT_REQUEST_ID_HEADER),
        ])
        .max_age(600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let state = build_state(&config).await?;
        let listener = TcpListener::bind(config.listen)?;
        let port = listener.local_addr()?.port();
        if config.mode == Mode::Embedded {
            tracing::info!(outbox_dir = %config.outbox_dir.display(), "embedded mode: e-mail, SMS and voice messages are written to the outbox folder, not sent");
        }
        crate::workers::spawn_housekeeping(state.clone());
        if config.jobs {
            crate::workers::spawn_scheduled_jobs(state.clone());
        }
        if config.dispatcher {
            crate::workers::spawn_dispatcher(state.clone());
            crate::workers::spawn_webhook_dispatcher(state.clone());
            crate::workers::spawn_audit_chainer(state.clone());
        }
        let data = web::Data::new(state.clone());
        let max_json_bytes = config.max_json_bytes;
        let cors_origins = allowed_origins(&config);
        let server = HttpServer::new(move || {
            let (app, api) = App::new()
                .into_utoipa_app()
                .openapi(crate::openapi::base())
                .app_data(data.clone())
                .app_data(web::PayloadConfig::new(max_json_bytes))
                .app_data(
                    web::JsonConfig::default()
                        .limit(max_json_bytes)
                        .error_handler(|e, _| ApiError::BadRequest(e.to_string()).into()),
                )
                .app_data(
                    web::QueryConfig::default()
                        .error_handler(|e, _| ApiError::BadRequest(format!("Invalid query parameters: {e}")).into()),
                )
                .app_data(web::PathConfig::default().error_handler(|_, _| ApiError::NotFound.into()))
                .configure(crate::routes::configure)
                .split_for_parts();
            let api = crate::openapi::finish(api);
            let methods = web::Data::new(crate::unrouted::MethodTable::from_spec(&api));
            app.app_data(methods)
                .route("/metrics", web::get().to(crate::metrics_http::scrape))
                .route(
                    "/docs",
                    web::get().to(|| async {
                        actix_web::HttpResponse::PermanentRedirect().insert_header(("location", "/docs/")).finish()
                    }),
                )
                .service(SwaggerUi::new("/docs/{_:.*}").url("/api-docs/openapi.json", api))
                .default_service(web::to(crate::unrouted::answer))
                .wrap(from_fn(crate::idempotency::replay_or_run))
                .wrap(from_fn(crate::unrouted::refuse_what_the_spec_does_not_take))
                .wrap(from_fn(crate::metrics_http::count_and_time))
                .wrap(cors_policy(&cors_origins))
                .wrap(from_fn(crate::browser_headers::browser_headers))
                .wrap(from_fn(crate::request_id::request_id_middleware))
        })
        .listen(listener)?
        .run();
        Ok(Application { port, server, state })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
