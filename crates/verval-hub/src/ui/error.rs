//! The one error type of the district pages: what went wrong, said in both languages, with
//! the status that says so too. A handler returns `Result<Response, PageError>` and uses `?`
//! on the hub's own errors; the answer is a page with the message, nothing else.

use super::page::page;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::html;

#[derive(Debug)]
pub struct PageError {
    pub status: StatusCode,
    /// Shown to the signed-in staff member: Indonesian first, English in brackets.
    pub message: String,
}

impl PageError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> PageError {
        PageError {
            status,
            message: message.into(),
        }
    }

    /// The request itself is wrong: a field, a file, a choice.
    pub fn bad_request(message: impl Into<String>) -> PageError {
        PageError::new(StatusCode::BAD_REQUEST, message)
    }

    /// Not there, or not there for this account (outside its region).
    pub fn not_found(message: impl Into<String>) -> PageError {
        PageError::new(StatusCode::NOT_FOUND, message)
    }

    pub fn forbidden(message: impl Into<String>) -> PageError {
        PageError::new(StatusCode::FORBIDDEN, message)
    }

    /// The hub failed (its database, its disk): nothing the staff member can fix by
    /// changing the request.
    pub fn internal(message: impl Into<String>) -> PageError {
        PageError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }

    /// A household this account cannot see is, for it, not there at all.
    pub fn unknown_household() -> PageError {
        PageError::not_found("Keluarga tidak dikenal (unknown household).")
    }
}

/// The hub's database failed: said in both languages with its kind, never the database's
/// own words (they may quote a stored value: `failure`), and logged for the operator.
pub fn database_failed<E: std::error::Error + 'static>(e: &E) -> PageError {
    let kind = crate::failure::kind(e);
    crate::failure::log("a page", &kind);
    PageError::internal(format!(
        "Basis data hub gagal; tidak ada yang diubah. (The hub's database failed; nothing was changed: {kind})"
    ))
}

impl From<sqlx::Error> for PageError {
    fn from(e: sqlx::Error) -> PageError {
        database_failed(&e)
    }
}

impl From<crate::db::DbError> for PageError {
    fn from(e: crate::db::DbError) -> PageError {
        database_failed(&e)
    }
}

impl From<crate::staff::StaffError> for PageError {
    fn from(e: crate::staff::StaffError) -> PageError {
        use crate::staff::StaffError;
        if matches!(e, StaffError::Db(_)) {
            return database_failed(&e);
        }
        let status = match e {
            StaffError::Db(_) | StaffError::Secret(_) => StatusCode::INTERNAL_SERVER_ERROR,
            StaffError::NoSuchAccount(_) => StatusCode::NOT_FOUND,
            StaffError::Taken(_) | StaffError::LastAdmin => StatusCode::CONFLICT,
            _ => StatusCode::BAD_REQUEST,
        };
        PageError::new(status, e.to_string())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let body = html! { p.bad data-testid="problem" { (self.message) } };
        (self.status, page("Tidak dapat diproses", body)).into_response()
    }
}

/// What a page handler answers.
pub type PageResult = Result<Response, PageError>;
