//! Households the hub holds: lists by village, enumerator and status; one household with all
//! its versions; the district's review of it; choosing the version that counts when two
//! devices disagreed.

use super::guard::post_action;
use super::page::{bi, esc, page, problem};
use super::session::Session;
use crate::audit::{self, Action, Actor, Event};
use crate::staff::{mask, Account, Right};
use crate::Hub;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde::Deserialize;
use sqlx::Row;
use verval_core::export::{tables, Table};
use verval_core::form::default::{DEFAULT_FORM, STATUS_VERIFIKASI};
use verval_core::form::Question;
use verval_core::HouseholdRecord;

/// The district's review states, as stored and as shown.
pub const REVIEWS: [(&str, &str, &str); 3] = [
    ("diterima", "Diterima", "received"),
    ("perlu_perbaikan", "Perlu perbaikan", "needs correction"),
    ("disetujui", "Disetujui", "approved"),
];

fn review_label(code: &str) -> String {
    REVIEWS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or_else(|| esc(code), |(_, id, en)| bi(id, en))
}

fn question_named(id: &str) -> Option<&'static Question> {
    DEFAULT_FORM
        .questions()
        .map(|(_, q)| q)
        .find(|q| q.id.as_str() == id)
}

/// An answer with its label when it is a code: `2 · Ditemukan, data berubah`.
fn answer(field: &str, value: &str) -> String {
    let label = question_named(field).and_then(|q| {
        let labels: Vec<&str> = value
            .split(' ')
            .filter_map(|code| q.choice_label(code).map(|t| t.id))
            .collect();
        (!labels.is_empty()).then(|| labels.join("; "))
    });
    match label {
        Some(label) => format!("{} · {}", esc(value), esc(&label)),
        None => esc(value),
    }
}

fn status_label(code: &str) -> String {
    if code.is_empty() {
        return String::new();
    }
    answer(STATUS_VERIFIKASI.as_str(), code)
}

/// A NIK or KK number as this account may see it: whole, or masked.
fn shown_identity(see_identity: bool, number: &str) -> String {
    if see_identity {
        number.to_owned()
    } else {
        mask(number)
    }
}

pub async fn home() -> Redirect {
    Redirect::to("/admin/keluarga")
}

#[derive(Deserialize, Default)]
pub struct Filter {
    #[serde(default)]
    desa: String,
    #[serde(default)]
    petugas: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    tinjauan: String,
    #[serde(default)]
    konflik: String,
}

fn select(name: &str, label: &str, current: &str, options: &[(String, String)]) -> String {
    let mut html = format!(
        "<label for=\"{name}\">{label}</label><select id=\"{name}\" name=\"{name}\"><option value=\"\">(semua)</option>"
    );
    for (value, text) in options {
        let selected = if value == current { " selected" } else { "" };
        html.push_str(&format!(
            "<option value=\"{}\"{selected}>{}</option>",
            esc(value),
            esc(text)
        ));
    }
    html.push_str("</select>");
    html
}

pub async fn list(State(hub): State<Hub>, session: Session, Query(filter): Query<Filter>) -> Response {
    match list_page(&hub, &filter, &session.account).await {
        Ok(body) => page("Keluarga", true, &body).into_response(),
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// The most rows one page lists; the counts above it are always complete.
const PAGE_ROWS: i64 = 500;

async fn list_page(hub: &Hub, filter: &Filter, account: &Account) -> Result<String, sqlx::Error> {
    let pool = &hub.db.pool;
    // The account's region, in every query of the page: lists and counts alike.
    let (in_scope, scope_binds) = account.scope.condition("kode_desa", 1);
    let villages_sql = format!(
        // CAST: PostgreSQL sums BIGINTs into NUMERIC.
        "SELECT kode_desa, COUNT(*), \
           CAST(SUM(CASE WHEN review = 'disetujui' THEN 1 ELSE 0 END) AS BIGINT), \
           CAST(SUM(conflict) AS BIGINT) \
         FROM records WHERE {in_scope} GROUP BY kode_desa ORDER BY kode_desa"
    );
    let mut villages_query = sqlx::query_as::<_, (String, i64, i64, i64)>(&villages_sql);
    for b in &scope_binds {
        villages_query = villages_query.bind(b.as_str());
    }
    let villages = villages_query.fetch_all(pool).await?;
    let enumerators_sql =
        format!("SELECT DISTINCT enumerator FROM records WHERE {in_scope} ORDER BY enumerator");
    let mut enumerators_query = sqlx::query_scalar::<_, String>(&enumerators_sql);
    for b in &scope_binds {
        enumerators_query = enumerators_query.bind(b.as_str());
    }
    let enumerators = enumerators_query.fetch_all(pool).await?;

    let mut conditions = vec![in_scope.clone()];
    let mut binds: Vec<&str> = scope_binds.iter().map(String::as_str).collect();
    for (column, value) in [
        ("kode_desa", &filter.desa),
        ("enumerator", &filter.petugas),
        ("status_verifikasi", &filter.status),
        ("review", &filter.tinjauan),
    ] {
        if !value.is_empty() {
            binds.push(value);
            conditions.push(format!("{column} = ${}", binds.len()));
        }
    }
    if filter.konflik == "1" {
        conditions.push("conflict = 1".to_owned());
    }
    let filter_sql = format!("WHERE {}", conditions.join(" AND "));
    let see_identity = account.role.may(Right::SeeIdentity);
    let sql = format!(
        "SELECT record_id, nama_kepala_keluarga, nomor_kk, kode_desa, enumerator, \
           status_verifikasi, revision, review, conflict FROM records {filter_sql} \
         ORDER BY kode_desa, nama_kepala_keluarga, record_id LIMIT {PAGE_ROWS}"
    );
    let mut query = sqlx::query(&sql);
    for b in &binds {
        query = query.bind(*b);
    }
    let rows = query.fetch_all(pool).await?;
    let count_sql = format!("SELECT COUNT(*) FROM records {filter_sql}");
    let mut count_query = sqlx::query_scalar::<_, i64>(&count_sql);
    for b in &binds {
        count_query = count_query.bind(*b);
    }
    let matching = count_query.fetch_one(pool).await?;

    let mut html = String::from("<h2>Per desa <span class=\"en\">(by village)</span></h2><table data-testid=\"villages\"><tr><th>Desa</th><th>Keluarga</th><th>Disetujui</th><th>Konflik</th></tr>");
    for (desa, n, approved, conflicts) in &villages {
        html.push_str(&format!(
            "<tr><td><a href=\"/admin/keluarga?desa={d}\">{d}</a></td><td>{n}</td><td>{approved}</td><td>{conflicts}</td></tr>",
            d = esc(desa)
        ));
    }
    html.push_str("</table><form method=\"get\" action=\"/admin/keluarga\">");
    let village_options: Vec<(String, String)> =
        villages.iter().map(|v| (v.0.clone(), v.0.clone())).collect();
    html.push_str(&select("desa", "Desa", &filter.desa, &village_options));
    let enumerator_options: Vec<(String, String)> =
        enumerators.iter().map(|e| (e.clone(), e.clone())).collect();
    html.push_str(&select(
        "petugas",
        "Petugas",
        &filter.petugas,
        &enumerator_options,
    ));
    let status_options: Vec<(String, String)> =
        match question_named(STATUS_VERIFIKASI.as_str()).map(|q| &q.kind) {
            Some(verval_core::form::Kind::SelectOne(choices)) => choices
                .iter()
                .map(|c| (c.code.to_owned(), format!("{} · {}", c.code, c.label.id)))
                .collect(),
            _ => Vec::new(),
        };
    html.push_str(&select(
        "status",
        "Status verifikasi",
        &filter.status,
        &status_options,
    ));
    let review_options: Vec<(String, String)> = REVIEWS
        .iter()
        .map(|(c, id, _)| ((*c).to_owned(), (*id).to_owned()))
        .collect();
    html.push_str(&select("tinjauan", "Tinjauan", &filter.tinjauan, &review_options));
    html.push_str(&select(
        "konflik",
        "Konflik",
        &filter.konflik,
        &[("1".to_owned(), "Hanya yang konflik".to_owned())],
    ));
    html.push_str(
        "<p><button data-testid=\"filter\">Saring <span class=\"en\">(filter)</span></button></p></form>",
    );
    html.push_str(&format!(
        "<p data-testid=\"matching\">{matching} keluarga{}</p>",
        if matching > PAGE_ROWS {
            format!(" (ditampilkan {PAGE_ROWS} pertama; saring untuk melihat yang lain)")
        } else {
            String::new()
        }
    ));
    html.push_str("<table data-testid=\"records\"><tr><th>Kepala keluarga</th><th>No. KK</th><th>Desa</th><th>Petugas</th><th>Status verifikasi</th><th>Revisi</th><th>Tinjauan</th></tr>");
    for row in rows {
        let id: String = row.try_get(0)?;
        let conflict: i64 = row.try_get(8)?;
        html.push_str(&format!(
            "<tr{}><td><a href=\"/admin/keluarga/{}\">{}</a>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            if conflict != 0 { " class=\"flag\"" } else { "" },
            esc(&id),
            esc(&row.try_get::<String, _>(1)?),
            if conflict != 0 { " <strong>konflik</strong>" } else { "" },
            esc(&shown_identity(see_identity, &row.try_get::<String, _>(2)?)),
            esc(&row.try_get::<String, _>(3)?),
            esc(&row.try_get::<String, _>(4)?),
            status_label(&row.try_get::<String, _>(5)?),
            row.try_get::<i64, _>(6)?,
            review_label(&row.try_get::<String, _>(7)?),
        ));
    }
    html.push_str("</table>");
    Ok(html)
}

/// One table of a household, with NIK and KK numbers masked unless `see_identity`.
fn render_table(table: &Table, see_identity: bool) -> String {
    if table.rows.is_empty() {
        return String::new();
    }
    let identity: Vec<&str> = DEFAULT_FORM.identity_fields().collect();
    let answer = |field: &str, value: &str| {
        if !see_identity && identity.contains(&field) {
            esc(&mask(value))
        } else {
            answer(field, value)
        }
    };
    let mut html = format!("<h2>{}</h2>", esc(table.name));
    if table.rows.len() == 1 && table.name == "keluarga" {
        html.push_str("<table><tr><th>Pertanyaan</th><th>Kolom</th><th>Jawaban</th></tr>");
        for ((label, field), value) in table.labels.iter().zip(&table.header).zip(&table.rows[0]) {
            html.push_str(&format!(
                "<tr><td>{}</td><td><code>{}</code></td><td data-field=\"{}\">{}</td></tr>",
                esc(label),
                esc(field),
                esc(field),
                answer(field, value)
            ));
        }
    } else {
        html.push_str("<table><tr>");
        for (label, field) in table.labels.iter().zip(&table.header) {
            html.push_str(&format!("<th>{}<br><code>{}</code></th>", esc(label), esc(field)));
        }
        html.push_str("</tr>");
        for row in &table.rows {
            html.push_str("<tr>");
            for (field, value) in table.header.iter().zip(row) {
                html.push_str(&format!("<td>{}</td>", answer(field, value)));
            }
            html.push_str("</tr>");
        }
    }
    html.push_str("</table>");
    html
}

/// The most events of its history a household's page lists.
const HISTORY_ROWS: i64 = 100;

pub async fn view(State(hub): State<Hub>, session: Session, by: Actor, Path(id): Path<String>) -> Response {
    match view_page(&hub, &id, &session.account).await {
        Ok(Some(body)) => {
            // Shown only once the viewing is on record.
            let event = Event {
                action: Action::RecordView,
                detail: serde_json::json!({}),
                households: std::slice::from_ref(&id),
            };
            match audit::record(&hub.db, &by, &event).await {
                Ok(()) => page("Keluarga", true, &body).into_response(),
                Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
            }
        }
        Ok(None) => unknown_household(),
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

/// A household outside the account's region is, for that account, not there at all.
async fn visible(hub: &Hub, id: &str, account: &Account) -> Result<bool, sqlx::Error> {
    let (in_scope, binds) = account.scope.condition("kode_desa", 2);
    let sql = format!("SELECT COUNT(*) FROM records WHERE record_id = $1 AND {in_scope}");
    let mut query = sqlx::query_scalar::<_, i64>(&sql).bind(id);
    for b in &binds {
        query = query.bind(b.as_str());
    }
    Ok(query.fetch_one(&hub.db.pool).await? == 1)
}

fn unknown_household() -> Response {
    problem(
        StatusCode::NOT_FOUND,
        "Keluarga tidak dikenal (unknown household).",
    )
}

async fn view_page(hub: &Hub, id: &str, account: &Account) -> Result<Option<String>, String> {
    let pool = &hub.db.pool;
    let db_error = |e: sqlx::Error| e.to_string();
    if !visible(hub, id, account).await.map_err(db_error)? {
        return Ok(None);
    }
    let see_identity = account.role.may(Right::SeeIdentity);
    let may_review = account.role.may(Right::Review);
    let may_resolve = account.role.may(Right::ResolveConflicts);
    let Some(current) = sqlx::query(
        "SELECT revision, sha256, review, review_note, conflict FROM records WHERE record_id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
    .map_err(db_error)?
    else {
        return Ok(None);
    };
    let revision: i64 = current.try_get(0).map_err(db_error)?;
    let sha: String = current.try_get(1).map_err(db_error)?;
    let review: String = current.try_get(2).map_err(db_error)?;
    let note: String = current.try_get(3).map_err(db_error)?;
    let conflict = current.try_get::<i64, _>(4).map_err(db_error)? != 0;
    let versions: Vec<(i64, String, String, String, i64, String)> = sqlx::query_as(
        "SELECT v.revision, v.sha256, v.device_id, b.file_name, v.received_at, v.body \
         FROM record_versions v JOIN batches b ON b.batch_id = v.batch_id \
         WHERE v.record_id = $1 ORDER BY v.revision DESC, v.received_at",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .map_err(db_error)?;
    let body = versions
        .iter()
        .find(|v| v.0 == revision && v.1 == sha)
        .map(|v| v.5.clone())
        .ok_or("the current version is missing from the history")?;
    let record: HouseholdRecord = serde_json::from_str(&body).map_err(|e| e.to_string())?;

    let mut html = String::new();
    if conflict {
        html.push_str(&format!(
            "<p class=\"flag\" data-testid=\"conflict\">{}</p>",
            bi(
                "Konflik: keluarga ini dikirim dari lebih dari satu perangkat dengan isi berbeda. Periksa versinya dan pilih yang berlaku.",
                "conflict: versions from more than one device; choose the one that counts"
            )
        ));
    }
    if may_review {
        html.push_str(&format!(
            "<form method=\"post\" action=\"{action}\"><label for=\"review\">{}</label><select id=\"review\" name=\"review\">",
            bi("Tinjauan", "review"),
            action = post_action(&format!("/admin/keluarga/{}/tinjauan", esc(id)))
        ));
        for (code, label, _) in REVIEWS {
            let selected = if code == review { " selected" } else { "" };
            html.push_str(&format!("<option value=\"{code}\"{selected}>{label}</option>"));
        }
        html.push_str(&format!(
            "</select><label for=\"note\">{}</label><textarea id=\"note\" name=\"note\" rows=\"2\" cols=\"50\">{}</textarea>\
             <p><button data-testid=\"save-review\">Simpan tinjauan <span class=\"en\">(save review)</span></button></p></form>",
            bi("Catatan", "note"),
            esc(&note)
        ));
    } else {
        html.push_str(&format!(
            "<p data-testid=\"review-shown\">{}: {}</p>",
            bi("Tinjauan", "review"),
            review_label(&review)
        ));
    }
    html.push_str("<h2>Versi <span class=\"en\">(versions)</span></h2><table data-testid=\"versions\"><tr><th>Revisi</th><th>Perangkat</th><th>Batch</th><th>Diterima</th><th></th></tr>");
    for (v_revision, v_sha, device, file, received, _) in &versions {
        let is_current = *v_revision == revision && *v_sha == sha;
        let action = if is_current {
            "<strong>berlaku</strong>".to_owned()
        } else if conflict && may_resolve {
            format!(
                "<form method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"revision\" value=\"{v_revision}\"><input type=\"hidden\" name=\"sha256\" value=\"{}\"><button data-testid=\"choose-version\">Jadikan berlaku</button></form>",
                post_action(&format!("/admin/keluarga/{}/versi", esc(id))),
                esc(v_sha)
            )
        } else {
            String::new()
        };
        html.push_str(&format!(
            "<tr><td>{v_revision}</td><td>{}</td><td>{}</td><td>{}</td><td>{action}</td></tr>",
            esc(device),
            esc(file),
            hub.config.time_zone.format(*received)
        ));
    }
    html.push_str("</table>");
    for table in tables(
        &DEFAULT_FORM,
        std::slice::from_ref(&record),
        hub.config.time_zone.today(),
    ) {
        html.push_str(&render_table(&table, see_identity));
    }
    // Who received, reviewed, viewed and exported this household (this viewing is added
    // once the page is on its way).
    let mine = crate::audit::Filter {
        household: Some(id.to_owned()),
        time_zone: hub.config.time_zone,
        ..Default::default()
    };
    let (total, events) = crate::audit::find(&hub.db, &mine, Some(HISTORY_ROWS))
        .await
        .map_err(|e| e.to_string())?;
    html.push_str(&format!(
        "<h2 id=\"riwayat\">Riwayat <span class=\"en\">(history)</span></h2><p>{}</p>",
        bi(
            &format!("{total} kejadian; {} terbaru di bawah.", events.len()),
            "events on record for this household, newest first"
        )
    ));
    html.push_str(&super::audit::events_table(
        &events,
        &Default::default(),
        hub.config.time_zone,
    ));
    Ok(Some(html))
}

#[derive(Deserialize)]
pub struct Review {
    review: String,
    #[serde(default)]
    note: String,
}

pub async fn review(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    Path(id): Path<String>,
    Form(input): Form<Review>,
) -> Response {
    if !REVIEWS.iter().any(|(c, _, _)| *c == input.review) {
        return problem(
            StatusCode::BAD_REQUEST,
            &format!(
                "Status tinjauan {:?} tidak dikenal (unknown review state).",
                input.review
            ),
        );
    }
    let note = input.note.trim();
    let event = Event {
        action: Action::Review,
        detail: serde_json::json!({ "tinjauan": input.review, "catatan": note }),
        households: std::slice::from_ref(&id),
    };
    // The review and its event together, or neither; only within the account's region.
    let (in_scope, scope_binds) = session.account.scope.condition("kode_desa", 4);
    let sql = format!("UPDATE records SET review = $1, review_note = $2 WHERE record_id = $3 AND {in_scope}");
    let updated = hub
        .db
        .write(|| async {
            let mut tx = hub.db.pool.begin().await?;
            let mut update = sqlx::query(&sql).bind(&input.review).bind(note).bind(&id);
            for b in &scope_binds {
                update = update.bind(b.as_str());
            }
            let changed = update.execute(&mut *tx).await?.rows_affected();
            if changed != 1 {
                return Ok(false);
            }
            audit::record_in(&mut tx, &by, &event).await?;
            tx.commit().await?;
            Ok::<bool, sqlx::Error>(true)
        })
        .await;
    match updated {
        Ok(true) => Redirect::to(&format!("/admin/keluarga/{id}")).into_response(),
        Ok(false) => unknown_household(),
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

#[derive(Deserialize)]
pub struct Choice {
    revision: i64,
    sha256: String,
}

/// Resolves a conflict: the chosen version becomes current and the flag is cleared. Every
/// version stays in the history.
pub async fn choose_version(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    Path(id): Path<String>,
    Form(choice): Form<Choice>,
) -> Response {
    match visible(&hub, &id, &session.account).await {
        Ok(true) => {}
        Ok(false) => return unknown_household(),
        Err(e) => return problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
    let chosen = crate::ingest::choose_current(&hub.db, &id, choice.revision, &choice.sha256, &by)
        .await
        .map_err(|e| e.to_string());
    match chosen {
        Ok(true) => Redirect::to(&format!("/admin/keluarga/{id}")).into_response(),
        Ok(false) => problem(StatusCode::NOT_FOUND, "Versi tidak dikenal (unknown version)."),
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}
