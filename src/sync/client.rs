//! The hub's API over `fetch`, in a page or a worker. Success is a parsed receipt (or
//! enrolment), never a bare 2xx: a captive portal answers 200 with a login page.

use js_sys::Uint8Array;
use verval_core::campaign::assignment::parse_assignment;
use verval_core::sync::api::{
    ApiError, Assignment, EnrolRequest, Enrolment, ErrorCode, PhoneProgress, PinReset, PinResetRequest,
    ASSIGNMENT_PATH, BATCHES_PATH, ENROL_PATH, ESCROW_PATH, MUSDES_PATH, PIN_RESET_PATH, PROGRESS_PATH,
    REVIEWS_PATH,
};
use verval_core::sync::{parse_receipt, Receipt};
use verval_core::text::Message;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// How long one request may take before it counts as failed: a 10-household batch with
/// photos over a 50 KB/s link, with room to spare.
const TIMEOUT_MS: u32 = 300_000;

#[derive(Clone, Debug, PartialEq)]
pub enum SyncError {
    /// No answer, a server failure, or an answer that is not the hub's: try again later.
    Transient(Message),
    /// The hub refused for good; trying the same again cannot help.
    Refused {
        code: ErrorCode,
        message: String,
        record_id: Option<String>,
    },
}

impl SyncError {
    pub fn message(&self) -> Message {
        match self {
            SyncError::Transient(m) => m.clone(),
            SyncError::Refused { message, .. } => Message::new(
                format!("Ditolak server kabupaten: {message}"),
                format!("Refused by the district server: {message}"),
            ),
        }
    }
}

fn transient(id: String, en: String) -> SyncError {
    SyncError::Transient(Message::new(id, en))
}

/// Sends one request and reads the whole answer: `(status, body)`.
async fn send(
    url: &str,
    method: &str,
    headers: &[(&str, &str)],
    body: &JsValue,
) -> Result<(u16, Vec<u8>), SyncError> {
    let offline = |e: JsValue| {
        transient(
            format!("Tidak tersambung ke server kabupaten ({e:?}). Dicoba lagi nanti."),
            format!("Cannot reach the district server ({e:?}). Will try again."),
        )
    };
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_body(body);
    let header_map = web_sys::Headers::new().map_err(offline)?;
    for (name, value) in headers {
        header_map.set(name, value).map_err(offline)?;
    }
    init.set_headers(&header_map);
    init.set_signal(Some(&web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS)));
    let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(offline)?;
    let fetch: js_sys::Function = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("fetch"))
        .map_err(offline)?
        .dyn_into()
        .map_err(offline)?;
    let promise: js_sys::Promise = fetch
        .call1(&js_sys::global(), &request)
        .map_err(offline)?
        .dyn_into()
        .map_err(offline)?;
    let response: web_sys::Response = JsFuture::from(promise)
        .await
        .map_err(offline)?
        .dyn_into()
        .map_err(offline)?;
    let buffer = JsFuture::from(response.array_buffer().map_err(offline)?)
        .await
        .map_err(offline)?;
    Ok((response.status(), Uint8Array::new(&buffer).to_vec()))
}

/// Reads a refusal: the hub's own JSON error, or (anything else) a failure worth retrying.
fn refusal(status: u16, body: &[u8]) -> SyncError {
    match serde_json::from_slice::<ApiError>(body) {
        Ok(error) if error.error.is_permanent() => SyncError::Refused {
            code: error.error,
            message: error.message,
            record_id: error.record_id,
        },
        Ok(error) => transient(
            format!(
                "Server kabupaten gagal ({status}): {}. Dicoba lagi nanti.",
                error.message
            ),
            format!(
                "The district server failed ({status}): {}. Will try again.",
                error.message
            ),
        ),
        Err(_) => transient(
            format!("Jawaban {status} bukan dari server kabupaten. Dicoba lagi nanti."),
            format!("A {status} answer that is not the district server's. Will try again."),
        ),
    }
}

/// Exchanges a one-time enrolment code for this device's token.
pub async fn enrol(hub_url: &str, code: &str, device_id: &str) -> Result<Enrolment, SyncError> {
    let request = EnrolRequest {
        code: code.to_owned(),
        device_id: device_id.to_owned(),
    };
    let body = serde_json::to_string(&request).unwrap_or_default();
    let (status, answer) = send(
        &format!("{hub_url}{ENROL_PATH}"),
        "POST",
        &[("content-type", "application/json")],
        &JsValue::from_str(&body),
    )
    .await?;
    if status != 200 {
        return Err(refusal(status, &answer));
    }
    serde_json::from_slice(&answer).map_err(|_| {
        transient(
            "Jawaban pendaftaran bukan dari server Verval. Periksa alamat server.".to_owned(),
            "The enrolment answer is not from a Verval server. Check the server address.".to_owned(),
        )
    })
}

/// Uploads one batch; the answer counts only as a receipt that parses.
pub async fn upload(hub_url: &str, token: &str, batch: &[u8]) -> Result<Receipt, SyncError> {
    let authorization = format!("Bearer {token}");
    let body = Uint8Array::from(batch);
    let (status, answer) = send(
        &format!("{hub_url}{BATCHES_PATH}"),
        "POST",
        &[
            ("content-type", "application/zip"),
            ("authorization", &authorization),
        ],
        &body,
    )
    .await?;
    if status != 200 {
        return Err(refusal(status, &answer));
    }
    parse_receipt(&answer).map_err(|e| {
        transient(
            format!(
                "Jawaban server bukan tanda terima ({e}); mungkin halaman login WiFi. Dicoba lagi nanti."
            ),
            format!("The answer is not a receipt ({e}); perhaps a WiFi login page. Will try again."),
        )
    })
}

/// `GET` of one of this device's resources (`path` with its query): the answer's bytes, when
/// the hub answered 200.
async fn get(hub_url: &str, token: &str, path: &str) -> Result<Vec<u8>, SyncError> {
    let authorization = format!("Bearer {token}");
    let (status, answer) = send(
        &format!("{hub_url}{path}"),
        "GET",
        &[("authorization", &authorization)],
        &JsValue::UNDEFINED,
    )
    .await?;
    if status != 200 {
        return Err(refusal(status, &answer));
    }
    Ok(answer)
}

/// Downloads this enumerator's assignment (issue #7); it counts only if it reads as one.
pub async fn assignment(hub_url: &str, token: &str) -> Result<Assignment, SyncError> {
    let answer = get(hub_url, token, ASSIGNMENT_PATH).await?;
    parse_assignment(&answer).map_err(|e| {
        transient(
            format!("Jawaban server bukan penugasan ({e}); mungkin halaman login WiFi. Coba lagi nanti."),
            format!("The answer is not an assignment ({e}); perhaps a WiFi login page. Try again later."),
        )
    })
}

/// Downloads the district's decisions after `since` on this device's households (issue
/// #20): the answer's bytes, for `review_feed::take_reviews` to check and take.
pub async fn reviews(hub_url: &str, token: &str, since: u64) -> Result<Vec<u8>, SyncError> {
    get(hub_url, token, &format!("{REVIEWS_PATH}?since={since}")).await
}

/// Tells the hub what the phone holds per village (`PhoneProgress`); `204`.
pub async fn report_progress(hub_url: &str, token: &str, progress: &PhoneProgress) -> Result<(), SyncError> {
    post_json(
        hub_url,
        token,
        PROGRESS_PATH,
        &serde_json::to_string(progress).unwrap_or_default(),
    )
    .await
}

/// Gives the hub the phone's data key sealed to the district's keys (issue #23); `204`.
/// `body`: the JSON of an `EscrowUpload`, as kept (`IdbStore::escrow_to_send`).
pub async fn upload_escrow(hub_url: &str, token: &str, body: &str) -> Result<(), SyncError> {
    post_json(hub_url, token, ESCROW_PATH, body).await
}

/// Asks the district to answer a forgotten PIN (issue #23); `204`.
pub async fn request_pin_reset(
    hub_url: &str,
    token: &str,
    request: &PinResetRequest,
) -> Result<(), SyncError> {
    post_json(
        hub_url,
        token,
        PIN_RESET_PATH,
        &serde_json::to_string(request).unwrap_or_default(),
    )
    .await
}

/// The district's answer to this phone's forgotten PIN for the one-time key whose fingerprint
/// is `fingerprint` (`None`: not given yet, or given to an older request).
pub async fn pin_reset_answer(
    hub_url: &str,
    token: &str,
    fingerprint: &str,
) -> Result<Option<String>, SyncError> {
    let answer = get(hub_url, token, PIN_RESET_PATH).await?;
    let state: PinReset = serde_json::from_slice(&answer).map_err(|e| {
        transient(
            format!("Jawaban server bukan jawaban lupa PIN ({e}). Coba lagi nanti."),
            format!("The answer is not a forgotten-PIN answer ({e}). Try again later."),
        )
    })?;
    Ok(state.answer.filter(|_| state.fingerprint == fingerprint))
}

/// Sends the village meetings changed on the phone (issue #24), `body` as the campaign page
/// wrote it (`MusdesUpload`); the hub's answer (`MusdesAnswer`) as received, for the campaign
/// page to read: the worker carries no reader of either.
pub async fn send_meetings(hub_url: &str, token: &str, body: &str) -> Result<String, SyncError> {
    let answer = post(hub_url, token, MUSDES_PATH, body, 200).await?;
    match String::from_utf8(answer) {
        Ok(text) if text.starts_with('{') => Ok(text),
        _ => Err(transient(
            "Jawaban server bukan jawaban musyawarah desa; mungkin halaman login WiFi. Dicoba lagi nanti."
                .to_owned(),
            "The answer is not a village meetings answer; perhaps a WiFi login page. Will try again."
                .to_owned(),
        )),
    }
}

/// `POST`s a JSON body of this device's to `path`; the hub answers `204`.
async fn post_json(hub_url: &str, token: &str, path: &str, body: &str) -> Result<(), SyncError> {
    post(hub_url, token, path, body, 204).await.map(|_| ())
}

/// `POST`s a JSON body of this device's to `path`: the answer's bytes, when its status is
/// `expected`.
async fn post(
    hub_url: &str,
    token: &str,
    path: &str,
    body: &str,
    expected: u16,
) -> Result<Vec<u8>, SyncError> {
    let authorization = format!("Bearer {token}");
    let (status, answer) = send(
        &format!("{hub_url}{path}"),
        "POST",
        &[
            ("content-type", "application/json"),
            ("authorization", &authorization),
        ],
        &JsValue::from_str(body),
    )
    .await?;
    if status != expected {
        return Err(refusal(status, &answer));
    }
    Ok(answer)
}
