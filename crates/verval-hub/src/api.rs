//! The API phones talk to (`verval_core::sync::api` describes the bodies).

use crate::audit::{self, Action, Actor, Event};
use crate::enrol::{self, EnrolError};
use crate::ingest::{self, IngestError, Source};
use crate::Hub;
use axum::body::{Body, Bytes};
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use http_body_util::BodyExt;
use std::net::SocketAddr;
use verval_core::sync::api::{ApiError, EnrolRequest, ErrorCode};

/// A refusal as the API sends it: a status and an [`ApiError`] body.
pub struct Refusal(pub ApiError);

impl Refusal {
    pub fn new(error: ErrorCode, message: impl Into<String>) -> Refusal {
        Refusal(ApiError {
            error,
            message: message.into(),
            record_id: None,
        })
    }

    /// The hub failed (its database): logged for the operator and answered by its kind only
    /// (`failure`: a database error's text may quote a stored value).
    fn server_error<E: std::error::Error + 'static>(e: &E) -> Refusal {
        let kind = crate::failure::kind(e);
        crate::failure::log("a phone's request", &kind);
        Refusal::new(
            ErrorCode::ServerError,
            format!("server kabupaten gagal ({kind}); dicoba lagi nanti (the district server failed: {kind}; will try again)"),
        )
    }
}

pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::Unauthorized | ErrorCode::TokenRevoked => StatusCode::UNAUTHORIZED,
        ErrorCode::BadEnrolmentCode | ErrorCode::ForbiddenVillage => StatusCode::FORBIDDEN,
        ErrorCode::UnknownKeys => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::MalformedBatch => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::BatchIdReused => StatusCode::CONFLICT,
        ErrorCode::BadRequest => StatusCode::BAD_REQUEST,
        ErrorCode::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
        ErrorCode::Busy => StatusCode::SERVICE_UNAVAILABLE,
    }
}

/// How long a busy hub asks a client to wait (the phone keeps its own backoff).
pub const RETRY_AFTER_SECS: u64 = 30;

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let busy = self.0.error == ErrorCode::Busy;
        let mut response = (status_of(self.0.error), Json(self.0)).into_response();
        if busy {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(RETRY_AFTER_SECS));
        }
        response
    }
}

impl From<EnrolError> for Refusal {
    fn from(e: EnrolError) -> Refusal {
        if e.code() == ErrorCode::ServerError {
            return Refusal::server_error(&e);
        }
        Refusal::new(e.code(), e.to_string())
    }
}

impl From<IngestError> for Refusal {
    fn from(e: IngestError) -> Refusal {
        if e.code() == ErrorCode::ServerError {
            return Refusal::server_error(&e);
        }
        Refusal(ApiError {
            error: e.code(),
            message: e.to_string(),
            record_id: e.record_id().map(str::to_owned),
        })
    }
}

fn too_large(limit: u64) -> Refusal {
    Refusal::new(
        ErrorCode::TooLarge,
        format!(
            "kiriman lebih dari {} MB; aplikasi membaginya menjadi beberapa batch (upload larger than {} MB)",
            limit >> 20,
            limit >> 20
        ),
    )
}

/// Reads an upload's body, at most `limit` bytes: refused at once when its declared length
/// is over, and as soon as the bytes read go over when it declared none.
async fn read_body(headers: &HeaderMap, body: Body, limit: u64) -> Result<Bytes, Refusal> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large(limit));
    }
    let limited = http_body_util::Limited::new(body, usize::try_from(limit).unwrap_or(usize::MAX));
    match limited.collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => Err(too_large(limit)),
        // Cut off by the server's pacing (`server::Paced`): worth another try, not a
        // verdict on the batch.
        Err(e) if crate::server::is_too_slow(e.as_ref()) => Err(Refusal::new(
            ErrorCode::Busy,
            crate::server::BodyTooSlow.to_string(),
        )),
        Err(e) => Err(Refusal::new(
            ErrorCode::BadRequest,
            format!("kiriman terputus (upload cut off): {e}"),
        )),
    }
}

pub async fn enrol(
    State(hub): State<Hub>,
    body: Result<Json<EnrolRequest>, JsonRejection>,
) -> Result<Response, Refusal> {
    let request = json_body(body)?;
    let enrolment = enrol::enrol(&hub.db, &hub.config.name, &request.code, &request.device_id).await?;
    Ok(Json(enrolment).into_response())
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

pub async fn upload_batch(
    State(hub): State<Hub>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, Refusal> {
    // Who is asking comes first: a stranger's body is never read.
    let device = enrol::authenticate(&hub.db, bearer(&headers), hub.config.token_idle_days).await?;
    let bytes = read_body(&headers, body, hub.config.max_upload_bytes).await?;
    let by = Actor {
        name: device.actor_name(),
        address: peer.ip().to_string(),
    };
    let ingested = ingest::ingest(
        &hub.db,
        &hub.config.name,
        &bytes,
        &ingest::limits(hub.config.max_upload_bytes),
        &Source::Device(device),
        &by,
        &hub.keyring.identities(),
    )
    .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        ingested.receipt.to_file(),
    )
        .into_response())
}

/// Lets a page from any origin call the API (see `router`).
pub async fn allow_any_origin(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        header::HeaderValue::from_static("*"),
    );
    response
}

/// The browser's question before a cross-origin upload with a token.
pub async fn preflight() -> Response {
    (
        StatusCode::NO_CONTENT,
        [
            (header::ACCESS_CONTROL_ALLOW_METHODS, "POST"),
            (
                header::ACCESS_CONTROL_ALLOW_HEADERS,
                "authorization, content-type",
            ),
            (header::ACCESS_CONTROL_MAX_AGE, "86400"),
        ],
    )
        .into_response()
}

/// The families this enumerator is to visit: the current prelist of their part of each
/// village, those already visited marked.
pub async fn assignment(
    State(hub): State<Hub>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let device = enrol::authenticate(&hub.db, bearer(&headers), hub.config.token_idle_days).await?;
    let enumerator = enrol::find(&hub.db, &device.enumerator_id).await?;
    let assignment = crate::prelist::assignment(&hub.db, &hub.config, &enumerator)
        .await
        .map_err(|e| Refusal::server_error(&e))?;
    // The families' NIKs and KK numbers leave the hub: only once on record.
    let by = Actor {
        name: device.actor_name(),
        address: peer.ip().to_string(),
    };
    let event = Event::new(
        Action::AssignmentDownload,
        serde_json::json!({
            "petugas_id": device.enumerator_id,
            "perangkat": device.device_key,
            "desa": assignment.villages,
            "keluarga_prelist": assignment.families.len(),
        }),
    );
    audit::record(&hub.db, &by, &event)
        .await
        .map_err(|e| Refusal::server_error(&e))?;
    Ok(Json(assignment).into_response())
}

#[derive(serde::Deserialize)]
pub struct Since {
    #[serde(default)]
    since: u64,
}

/// The district's decisions on this device's households after the phone's cursor
/// ([`REVIEWS_PATH`](verval_core::sync::api::REVIEWS_PATH)).
pub async fn reviews(
    State(hub): State<Hub>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    since: Result<axum::extract::Query<Since>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, Refusal> {
    let device = enrol::authenticate(&hub.db, bearer(&headers), hub.config.token_idle_days).await?;
    let axum::extract::Query(Since { since }) = since.map_err(|e| {
        Refusal::new(
            ErrorCode::BadRequest,
            format!("parameter since harus bilangan bulat (since must be a whole number): {e}"),
        )
    })?;
    let since = i64::try_from(since).unwrap_or(i64::MAX);
    let (cursor, reviews) = crate::households::reviews_for_device(
        &hub.db,
        &device.device_id,
        crate::households::Reach::Villages(&device.villages),
        since,
    )
    .await
    .map_err(|e| Refusal::server_error(&e))?;
    // Reviewers' notes can name people: their leaving is on record, when there is any.
    if !reviews.is_empty() {
        let households: Vec<String> = reviews.iter().map(|r| r.record_id.clone()).collect();
        let by = Actor {
            name: device.actor_name(),
            address: peer.ip().to_string(),
        };
        let event = Event {
            action: Action::ReviewDownload,
            detail: serde_json::json!({
                "lewat": "sinkron",
                "perangkat": device.device_key,
                "sejak": since,
                "sampai": cursor,
                "keputusan": reviews.len(),
            }),
            households: &households,
        };
        audit::record(&hub.db, &by, &event)
            .await
            .map_err(|e| Refusal::server_error(&e))?;
    }
    let feed = verval_core::review::feed::ReviewFeed::new(
        hub.config.name.clone(),
        device.enumerator,
        vec![device.device_id],
        u64::try_from(cursor).unwrap_or(0),
        reviews,
        crate::sealing::keys::for_phones(&hub.db)
            .await
            .map_err(|e| Refusal::server_error(&e))?,
    );
    Ok(Json(feed).into_response())
}

/// A phone's report of what it holds per village, at the end of a sync round
/// ([`PROGRESS_PATH`](verval_core::sync::api::PROGRESS_PATH)): checked against its villages
/// and stored in place of its last one; `204`.
pub async fn progress(
    State(hub): State<Hub>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Refusal> {
    let device = enrol::authenticate(&hub.db, bearer(&headers), hub.config.token_idle_days).await?;
    if body.len() > PROGRESS_BODY_LIMIT {
        return Err(Refusal::new(
            ErrorCode::TooLarge,
            format!("laporan lebih dari {PROGRESS_BODY_LIMIT} byte (report too large)"),
        ));
    }
    let report: verval_core::sync::api::PhoneProgress = serde_json::from_slice(&body).map_err(|e| {
        Refusal::new(
            ErrorCode::BadRequest,
            format!("laporan kemajuan tidak terbaca (unreadable progress report): {e}"),
        )
    })?;
    match crate::supervision::on_phones::store(&hub.db, &device, &report).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(crate::supervision::on_phones::ReportError::Db(e)) => Err(Refusal::server_error(&e)),
        Err(e @ crate::supervision::on_phones::ReportError::OtherVillage(_)) => {
            Err(Refusal::new(ErrorCode::ForbiddenVillage, e.to_string()))
        }
        Err(e) => Err(Refusal::new(ErrorCode::BadRequest, e.to_string())),
    }
}

/// A report names at most the phone's villages, each in a short line.
const PROGRESS_BODY_LIMIT: usize = 64 * 1024;

/// Village meetings recorded on the phone (issue #24,
/// [`MUSDES_PATH`](verval_core::sync::api::MUSDES_PATH)): each taken on its own, answered
/// with the meeting as the hub now holds it.
pub async fn musdes(
    State(hub): State<Hub>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, Refusal> {
    use verval_core::aid::meeting_book::MAX_MEETINGS;
    let device = enrol::authenticate(&hub.db, bearer(&headers), hub.config.token_idle_days).await?;
    if body.len() > MUSDES_BODY_LIMIT {
        return Err(Refusal::new(
            ErrorCode::TooLarge,
            format!("musyawarah lebih dari {MUSDES_BODY_LIMIT} byte (meetings too large)"),
        ));
    }
    let upload: verval_core::aid::meeting_book::MusdesUpload =
        serde_json::from_slice(&body).map_err(|e| {
            Refusal::new(
                ErrorCode::BadRequest,
                format!("musyawarah desa tidak terbaca (unreadable village meetings): {e}"),
            )
        })?;
    if upload.meetings.len() > MAX_MEETINGS {
        return Err(Refusal::new(
            ErrorCode::TooLarge,
            format!("lebih dari {MAX_MEETINGS} musyawarah sekaligus (too many meetings at once)"),
        ));
    }
    let by = Actor {
        name: device.actor_name(),
        address: peer.ip().to_string(),
    };
    let today = hub.config.time_zone.today();
    match crate::musdes_phone::take(
        &hub.db,
        &crate::musdes_phone::Sender::device(&device),
        &upload,
        &by,
        today,
    )
    .await
    {
        Ok(answer) => Ok(Json(answer).into_response()),
        Err(e) => Err(Refusal::server_error(&e)),
    }
}

/// A meeting names a village's families once each, with a short note.
pub const MUSDES_BODY_LIMIT: usize = 1024 * 1024;

impl From<crate::sealing::escrow::EscrowError> for Refusal {
    fn from(e: crate::sealing::escrow::EscrowError) -> Refusal {
        use crate::sealing::escrow::EscrowError;
        match e {
            EscrowError::Db(e) => Refusal::server_error(&e),
            EscrowError::Random(_) => Refusal::server_error(&e),
            EscrowError::UnknownKeys(_) => Refusal::new(ErrorCode::UnknownKeys, e.to_string()),
            _ => Refusal::new(ErrorCode::BadRequest, e.to_string()),
        }
    }
}

fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, Refusal> {
    body.map(|Json(value)| value).map_err(|e| {
        Refusal::new(
            ErrorCode::BadRequest,
            format!("permintaan tidak sah (bad request): {}", e.body_text()),
        )
    })
}

/// A phone's data key sealed to the district ([`ESCROW_PATH`](verval_core::sync::api::ESCROW_PATH)).
pub async fn escrow(
    State(hub): State<Hub>,
    headers: HeaderMap,
    body: Result<Json<verval_core::sync::api::EscrowUpload>, JsonRejection>,
) -> Result<Response, Refusal> {
    let device = enrol::authenticate(&hub.db, bearer(&headers), hub.config.token_idle_days).await?;
    let upload = json_body(body)?;
    crate::sealing::escrow::keep(&hub.db, &device, &upload, &hub.keyring.identities()).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A forgotten PIN: the phone's request ([`PIN_RESET_PATH`](verval_core::sync::api::PIN_RESET_PATH)).
pub async fn request_pin_reset(
    State(hub): State<Hub>,
    headers: HeaderMap,
    body: Result<Json<verval_core::sync::api::PinResetRequest>, JsonRejection>,
) -> Result<Response, Refusal> {
    let device = enrol::authenticate(&hub.db, bearer(&headers), hub.config.token_idle_days).await?;
    let asked = json_body(body)?;
    crate::sealing::escrow::request(&hub.db, &device, &asked).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The phone's latest forgotten-PIN request and, once district staff gave it, the answer.
pub async fn pin_reset(State(hub): State<Hub>, headers: HeaderMap) -> Result<Response, Refusal> {
    let device = enrol::authenticate(&hub.db, bearer(&headers), hub.config.token_idle_days).await?;
    match crate::sealing::escrow::state(&hub.db, &device.device_key).await? {
        Some(state) => Ok(Json(state).into_response()),
        None => Ok((
            StatusCode::NOT_FOUND,
            Json(ApiError {
                error: ErrorCode::BadRequest,
                message: crate::sealing::escrow::EscrowError::NoRequest.to_string(),
                record_id: None,
            }),
        )
            .into_response()),
    }
}
