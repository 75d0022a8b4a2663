//! The district pages' form and query extractors: axum's, with a refused input answered by a
//! page in both languages (axum's own answer is a line of English text on a blank page).

use super::error::PageError;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// A submitted form (`application/x-www-form-urlencoded`).
pub struct Form<T>(pub T);

/// The fields of the address's query string.
pub struct Query<T>(pub T);

fn unreadable(what: (&str, &str), status: axum::http::StatusCode, detail: String) -> PageError {
    let (id, en) = what;
    PageError::new(
        status,
        format!("{id} tidak terbaca; tidak ada yang diubah. ({en} could not be read; nothing was changed: {detail})"),
    )
}

impl<T, S> FromRequest<S> for Form<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, PageError> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(value)) => Ok(Form(value)),
            Err(e) => Err(unreadable(
                ("Isian formulir", "The form"),
                e.status(),
                e.body_text(),
            )),
        }
    }
}

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, PageError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Query(value)),
            Err(e) => Err(unreadable(
                ("Alamat halaman", "The address"),
                e.status(),
                e.body_text(),
            )),
        }
    }
}

/// A region code typed in a form (`wilayah`): `None` when left empty, a clear refusal when
/// it is not a Kemendagri code.
pub fn region(typed: &str) -> Result<Option<verval_core::region::RegionCode>, PageError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    verval_core::region::RegionCode::parse(typed)
        .map(Some)
        .map_err(|e| PageError::bad_request(format!("Kode wilayah salah (bad region code): {e}")))
}
