//! The district's list of families to verify (issue #7): upload a prelist spreadsheet (the
//! P3KE template preset finds its columns under any title rows), see what it changed or
//! every cell it could not accept, and the families listed per village.

use super::page::{bi, esc, page, problem};
use super::session::require;
use crate::prelist::{import, read_file};
use crate::Hub;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

fn form() -> String {
    format!(
        "<form method=\"post\" action=\"/admin/prelist\" enctype=\"multipart/form-data\">\
         <label for=\"prelist\">{}</label>\
         <input id=\"prelist\" name=\"prelist\" type=\"file\" accept=\".xlsx,.csv\" required>\
         <p><button data-testid=\"upload-prelist\">Impor <span class=\"en\">(import)</span></button></p></form>",
        bi(
            "Berkas prelist (XLSX atau CSV, template P3KE)",
            "prelist file, XLSX or CSV, P3KE template"
        )
    )
}

async fn villages_table(hub: &Hub) -> Result<String, sqlx::Error> {
    // CAST: PostgreSQL sums BIGINTs into NUMERIC.
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT kode_desa, CAST(SUM(in_latest) AS BIGINT), COUNT(*) FROM prelist_families \
         GROUP BY kode_desa ORDER BY kode_desa",
    )
    .fetch_all(&hub.db.pool)
    .await?;
    let mut html = format!(
        "<table data-testid=\"prelist-villages\"><tr><th>Desa</th><th>{}</th><th>{}</th></tr>",
        bi("Keluarga dalam daftar", "listed families"),
        bi("Tidak lagi dalam daftar", "no longer listed")
    );
    for (village, listed, all) in rows {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{listed}</td><td>{}</td></tr>",
            esc(&village),
            all - listed
        ));
    }
    html.push_str("</table>");
    Ok(html)
}

async fn show_page(hub: &Hub, notice: &str) -> Response {
    match villages_table(hub).await {
        Ok(table) => page("Prelist", true, &format!("{notice}{}{table}", form())).into_response(),
        Err(e) => problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

pub async fn show(State(hub): State<Hub>, headers: HeaderMap) -> Response {
    if let Err(to) = require(&hub, &headers).await {
        return to;
    }
    show_page(&hub, "").await
}

pub async fn receive(State(hub): State<Hub>, headers: HeaderMap, mut multipart: Multipart) -> Response {
    if let Err(to) = require(&hub, &headers).await {
        return to;
    }
    let field = match multipart.next_field().await {
        Ok(Some(field)) => field,
        Ok(None) => {
            return problem(
                StatusCode::BAD_REQUEST,
                "Tidak ada berkas yang dipilih (no file chosen).",
            )
        }
        Err(e) => return problem(e.status(), &format!("Unggahan terputus (upload cut off): {e}")),
    };
    let name = field.file_name().unwrap_or("prelist.xlsx").to_owned();
    let bytes = match field.bytes().await {
        Ok(bytes) => bytes,
        Err(e) => {
            return problem(
                e.status(),
                &format!("Berkas tidak terbaca (file unreadable): {e}"),
            )
        }
    };
    let outcome = match read_file(&name, &bytes) {
        Ok(prelist) => import(&hub.db, &name, &prelist)
            .await
            .map(|m| (m, prelist.families.len())),
        Err(e) => Err(e),
    };
    let notice = match outcome {
        Ok((m, families)) => format!(
            "<p class=\"ok\" data-testid=\"prelist-imported\">{}</p>",
            bi(
                &format!(
                    "{name}: {families} keluarga; {} baru, {} berubah, {} tetap, {} tidak lagi dalam daftar (disimpan). Kunjungan yang sudah ada tidak berubah.",
                    m.added, m.changed, m.unchanged, m.no_longer_listed
                ),
                "imported; visits already made are unchanged"
            )
        ),
        Err(e) => format!(
            "<div class=\"bad\" data-testid=\"prelist-refused\"><p>{}</p><pre>{}</pre></div>",
            bi(&format!("{name} ditolak; tidak ada yang diimpor."), "refused; nothing imported"),
            esc(&e.to_string())
        ),
    };
    show_page(&hub, &notice).await
}
