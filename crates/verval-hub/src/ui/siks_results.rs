//! SIKS-NG's results, in bulk (issue #24): the list of the families entered in SIKS-NG — the
//! proposal id, village, day and operator, no name and no number — to fill with each result,
//! and the filled list (or the district's own, with columns of the same names) imported
//! back. A file with any problem is refused whole, every problem named by its row.

use super::error::{PageError, PageResult};
use super::guard::post_action;
use super::input::{region, Query};
use super::page::{area_slug, bi, page, workbook};
use super::session::Session;
use crate::audit::Actor;
use crate::siks_ng::SiksError;
use crate::siks_results::{entered, import, Imported};
use crate::Hub;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use verval_core::aid::siks_results::{read_results, RESULT_COLUMNS};
use verval_core::export::{ColumnKind, Table};

pub const LIST: &str = "/admin/bantuan/hasil-siks-ng.xlsx";
pub const IMPORT: &str = "/admin/bantuan/hasil-siks-ng";
/// The upload form's file field.
const FILE_FIELD: &str = "hasil";

/// The aid page's section, for accounts that record aid.
pub(super) fn section(wilayah: &str) -> Markup {
    html! {
        h2 #hasil-siks-ng { (bi("Hasil SIKS-NG", "SIKS-NG results")) }
        p {
            a href={ (LIST) "?wilayah=" (wilayah) } data-testid="siks-results-list" {
                (bi("Unduh daftar usulan yang sudah diinput", "download the proposals entered"))
            }
            " — " (bi("isi kolom hasil, desil dan alasan, lalu unggah kembali di sini.", "fill in the result, desil and reason, then upload it here"))
        }
        form method="post" action=(post_action(IMPORT)) enctype="multipart/form-data" {
            label for="hasil" { (bi("Berkas hasil (.xlsx atau .csv)", "results file")) }
            input #hasil name=(FILE_FIELD) type="file" accept=".xlsx,.csv" required;
            p { button data-testid="siks-results-import" { (bi("Impor hasil", "import the results")) } }
        }
    }
}

fn kind(id: &str) -> ColumnKind {
    match id {
        "kode_desa" => ColumnKind::Region,
        _ => ColumnKind::Text,
    }
}

pub async fn list(
    State(hub): State<Hub>,
    session: Session,
    Query(place): Query<super::aid::Place>,
) -> Result<Response, PageError> {
    let region = region(&place.wilayah)?;
    let proposals = entered(&hub.db, region.as_ref(), &session.account.scope).await?;
    let columns: Vec<(&str, &str, ColumnKind)> = RESULT_COLUMNS
        .iter()
        .map(|(id, label)| (*id, *label, kind(id)))
        .collect();
    let mut table = Table::new("hasil_siks_ng", &columns);
    for p in proposals {
        let e = p.entry;
        let result = match e.status.as_str() {
            "diinput" => "",
            other => other,
        };
        table.rows.push(vec![
            e.usulan_id,
            p.kode_desa,
            e.entered_on,
            e.operator,
            result.to_owned(),
            e.desil.map(|d| d.to_string()).unwrap_or_default(),
            e.reason,
        ]);
    }
    workbook(
        &[&table],
        &hub.regions,
        &format!("hasil-siks-ng-{}.xlsx", area_slug(region.as_ref())),
    )
}

/// The uploaded file: its name and bytes.
async fn read_upload(multipart: &mut Multipart) -> Result<(String, Vec<u8>), PageError> {
    let mut file = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| PageError::new(e.status(), format!("Unggahan terputus (upload cut off): {e}")))?
    {
        if field.name() != Some(FILE_FIELD) {
            continue;
        }
        let name = field.file_name().unwrap_or("hasil.xlsx").to_owned();
        let bytes = field.bytes().await.map_err(|e| {
            PageError::new(e.status(), format!("Berkas tidak terbaca (file unreadable): {e}"))
        })?;
        file = Some((name, bytes.to_vec()));
    }
    file.filter(|(_, bytes)| !bytes.is_empty())
        .ok_or_else(|| PageError::bad_request("Tidak ada berkas yang dipilih (no file chosen)."))
}

fn refused(name: &str, problems: &[String]) -> Response {
    let body = html! {
        div.flag data-testid="siks-results-refused" data-problems=(problems.len()) {
            p { (bi(&format!("{name} tidak diimpor; tidak ada yang berubah:"), "not imported; nothing changed")) }
            ul { @for p in problems { li { (p) } } }
        }
        p { a href={ (super::aid::PAGE) "#hasil-siks-ng" } { (bi("Kembali ke Bantuan", "back")) } }
    };
    (StatusCode::UNPROCESSABLE_ENTITY, page("Hasil SIKS-NG", body)).into_response()
}

fn imported(name: &str, done: Imported) -> Response {
    let body = html! {
        p data-testid="siks-results-imported" data-accepted=(done.accepted) data-refused=(done.refused)
            data-unchanged=(done.unchanged) data-waiting=(done.waiting) {
            (name) ": " strong { (done.accepted) } " diterima, " strong { (done.refused) } " ditolak dicatat; "
            (done.unchanged) " sudah tercatat sama; " (done.waiting) " baris belum ada hasilnya."
            br; span.en { "accepted and refused recorded; already recorded the same; rows with no result yet" }
        }
        p { a href={ (super::aid::PAGE) "#hasil-siks-ng" } { (bi("Kembali ke Bantuan", "back")) } }
    };
    page("Hasil SIKS-NG", body)
}

pub async fn receive(
    State(hub): State<Hub>,
    session: Session,
    by: Actor,
    mut multipart: Multipart,
) -> PageResult {
    let (name, bytes) = read_upload(&mut multipart).await?;
    // Reading a spreadsheet is CPU work on a file from outside: off the async workers.
    let file = name.clone();
    let read = crate::heavy::run(move || {
        let sheet = crate::prelist::read_sheet(&file, &bytes).map_err(|e| vec![e.to_string()])?;
        read_results(&sheet)
    })
    .await
    .map_err(|crate::heavy::Busy| {
        PageError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "Server sedang sibuk membaca berkas lain; coba lagi sebentar lagi (busy reading another file).",
        )
    })?;
    let results = match read {
        Ok(results) => results,
        Err(problems) => return Ok(refused(&name, &problems)),
    };
    let today = hub.config.time_zone.today();
    match import(&hub.db, &results, &session.account.scope, &by, today).await {
        Ok(done) => Ok(imported(&name, done)),
        Err(SiksError::Db(e)) => Err(PageError::from(e)),
        Err(other) => {
            let problems: Vec<String> = other.to_string().lines().map(str::to_owned).collect();
            Ok(refused(&name, &problems))
        }
    }
}
