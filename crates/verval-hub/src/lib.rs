//! Verval's district hub: one server where every village's records arrive — by sync from
//! phones, or as batch files handed over — each stored exactly once, and leave again as the
//! spreadsheets districts submit.
//!
//! - [`db`]: SQLite or PostgreSQL, one schema (`migrations/`);
//! - [`audit`]: the append-only trail of who did what, when and from where;
//! - [`staff`]: the district's accounts, their roles and region scopes, their sessions;
//! - [`enrol`]: enumerators, enrolment codes, device tokens; [`secret`]: how they are made
//!   and kept;
//! - [`ingest`]: a batch in, a receipt out (idempotent by batch, record id and revision);
//! - [`api`]: the phones' API; [`assets`]: the built app, served beside it;
//! - [`prelist`]: the district's list of families to verify, merged on re-import, handed
//!   out by village;
//! - [`export`]: the merged export of what the hub holds;
//! - [`retention`]: how long raw batches are kept; [`backup`]: everything, as one zip that
//!   either database can be restored from;
//! - [`ui`]: the district staff's web pages under `/admin`;
//! - [`server`]: the connection loop (timeouts, a connection cap, paced bodies);
//!   [`headers`]: the response headers every answer needs; [`heavy`]: CPU work on files from
//!   outside, off the async workers.

pub mod acme;
pub mod aid;
pub mod api;
pub mod assets;
pub mod audit;
pub mod backup;
pub mod cli;
mod compression;
pub mod db;
pub mod enrol;
pub mod export;
pub mod export_photos;
pub mod failure;
pub mod form_records;
pub mod forms;
pub mod headers;
pub mod heavy;
pub mod households;
pub mod ingest;
pub mod many_rows;
pub mod map_tiles;
pub mod musdes;
pub mod musdes_phone;
pub mod photos;
pub mod prelist;
pub mod public_url;
pub mod regions;
pub mod retention;
pub mod sealing;
pub mod secret;
pub mod server;
pub mod siks_ng;
pub mod siks_results;
pub mod staff;
pub mod supervision;
pub mod time_zone;
pub mod tls;
pub mod ui;

pub use map_tiles::MapTiles;

use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use std::path::PathBuf;
use std::sync::Arc;
use verval_core::sync::api::{
    ASSIGNMENT_PATH, BATCHES_PATH, DEFAULT_MAX_UPLOAD_BYTES, ENROL_PATH, ESCROW_PATH, MUSDES_PATH,
    PIN_RESET_PATH, PROGRESS_PATH, REVIEWS_PATH,
};

/// The settings key of the single admin password of hubs before staff accounts (issue #19):
/// migration 0005 turns it into the `admin` account and removes it.
pub const ADMIN_PASSWORD: &str = "admin_password";

#[derive(Clone, Debug)]
pub struct Config {
    /// Who receives, named in every receipt ("Dinas Sosial Kab. Probolinggo").
    pub name: String,
    pub max_upload_bytes: u64,
    /// The built app to serve (`dist`), if any.
    pub app_dir: Option<PathBuf>,
    /// A device token unused for this many days expires (each sync renews it).
    pub token_idle_days: u32,
    /// What the server loop puts up with from each client.
    pub server: server::ServerLimits,
    /// The address phones and staff reach the hub at; QR codes and links use it.
    pub public_url: Option<public_url::PublicUrl>,
    /// The district's clock: days in exports, times on pages, the audit's date filter.
    pub time_zone: time_zone::TimeZone,
    /// A tile server drawn beneath the map of visits, when the district has one.
    pub map_tiles: Option<MapTiles>,
    /// The district's key files (`key generate`), unlocked by an admin on the sealed page:
    /// after a rotation, the new key's and the old one's, for batches sealed before it.
    pub key_files: Vec<PathBuf>,
    /// The largest part of a batch with photos phones should make (`serve --batch-part-mb`).
    pub batch_part_bytes: u64,
}

impl Config {
    /// The part size phones are told: the district's, never above what one upload may
    /// carry, so every part is taken.
    pub fn part_bytes_for_phones(&self) -> u64 {
        self.batch_part_bytes.min(self.max_upload_bytes)
    }

    /// The hub is reached over HTTPS: cookies are `Secure` and browsers told to keep to it.
    pub fn https(&self) -> bool {
        self.public_url
            .as_ref()
            .is_some_and(public_url::PublicUrl::is_https)
    }
}

impl Default for Config {
    fn default() -> Config {
        Config {
            name: "Verval Hub".to_owned(),
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            app_dir: None,
            token_idle_days: enrol::DEFAULT_TOKEN_IDLE_DAYS,
            server: server::ServerLimits::default(),
            public_url: None,
            time_zone: time_zone::TimeZone::default(),
            map_tiles: None,
            key_files: Vec::new(),
            batch_part_bytes: verval_core::export::parts::DEFAULT_PART_BYTES,
        }
    }
}

/// A health check: answers `200` as long as the hub answers at all (a load balancer's or a
/// test's probe).
pub const HEALTH_PATH: &str = "/api/v1/health";

/// What every request handler shares.
#[derive(Clone)]
pub struct Hub {
    pub db: db::Db,
    pub config: Arc<Config>,
    /// Wrong sign-in passwords, by address and account.
    pub throttle: Arc<ui::throttle::Throttle>,
    /// Which villages exist and their names, from the app served.
    pub regions: Arc<regions::RegionTables>,
    /// The district's private key, once an admin unlocked it (issue #22).
    pub keyring: Arc<sealing::Keyring>,
}

impl Hub {
    pub fn new(db: db::Db, config: Config) -> Hub {
        Hub {
            db,
            regions: Arc::new(regions::RegionTables::new(config.app_dir.as_deref())),
            keyring: Arc::new(sealing::Keyring::new(config.key_files.clone())),
            config: Arc::new(config),
            throttle: Arc::default(),
        }
    }
}

pub fn router(hub: Hub) -> Router {
    // The API may be called by the app served from another address (a district that hosts
    // the app apart from its hub): it takes a bearer token, never a cookie, so any origin
    // may call it.
    let api = Router::new()
        .route(ENROL_PATH, post(api::enrol).options(api::preflight))
        .route(
            ASSIGNMENT_PATH,
            axum::routing::get(api::assignment).options(api::preflight),
        )
        .route(
            REVIEWS_PATH,
            axum::routing::get(api::reviews).options(api::preflight),
        )
        .route(PROGRESS_PATH, post(api::progress).options(api::preflight))
        .route(
            MUSDES_PATH,
            post(api::musdes)
                .options(api::preflight)
                .layer(axum::extract::DefaultBodyLimit::max(api::MUSDES_BODY_LIMIT)),
        )
        .route(ESCROW_PATH, post(api::escrow).options(api::preflight))
        .route(
            PIN_RESET_PATH,
            post(api::request_pin_reset)
                .get(api::pin_reset)
                .options(api::preflight),
        )
        // The upload reads its own body, within `max_upload_bytes`, after the token.
        .route(BATCHES_PATH, post(api::upload_batch).options(api::preflight))
        .route(HEALTH_PATH, get(|| async { "ok" }))
        .layer(axum::middleware::map_response(api::allow_any_origin));
    // The API's answers and the district pages go compressed to a client that asks; the app's
    // files (the fallback) have their copies compressed at build time (assets.rs).
    let dynamic = Router::new()
        .merge(api)
        .merge(ui::routes(&hub))
        .layer(compression::layer());
    Router::new()
        .merge(dynamic)
        .fallback(app_file)
        .layer(axum::middleware::from_fn_with_state(hub.clone(), headers::secure))
        .with_state(hub)
}

async fn app_file(State(hub): State<Hub>, method: Method, headers: HeaderMap, uri: Uri) -> Response {
    match &hub.config.app_dir {
        Some(root) => assets::serve(root, &method, &headers, &uri).await,
        None => assets::not_found(),
    }
}

#[cfg(test)]
mod config_tests {
    use super::Config;

    #[test]
    fn phones_are_told_a_part_size_their_uploads_fit() {
        let config = Config::default();
        assert_eq!(config.part_bytes_for_phones(), 50_000_000, "50 MB by default");
        assert!(config.part_bytes_for_phones() <= config.max_upload_bytes);
        let bigger = Config {
            batch_part_bytes: 200_000_000,
            ..Config::default()
        };
        assert_eq!(bigger.part_bytes_for_phones(), bigger.max_upload_bytes);
        let smaller = Config {
            batch_part_bytes: 20_000_000,
            ..Config::default()
        };
        assert_eq!(smaller.part_bytes_for_phones(), 20_000_000);
    }
}
