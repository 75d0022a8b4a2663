//! Compression of the hub's own answers (the district pages and the API), per request, for a
//! client that asks: brotli at a fast level, or gzip (issue #26). The app's files are not
//! compressed here: their copies are compressed once at build time (assets.rs).
//!
//! Not for what is compressed already: zip and XLSX downloads, sealed backups, images.
//! The district pages carry a CSRF token, but the session cookie is `SameSite=Strict`, so
//! another site cannot have its text reflected into a signed-in, compressed page and measure
//! it (what BREACH needs).

use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;

pub fn layer() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new().compress_when(
        DefaultPredicate::new()
            .and(NotForContentType::const_new("application/zip"))
            .and(NotForContentType::const_new("application/vnd.openxmlformats"))
            .and(NotForContentType::const_new("application/octet-stream")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{header, Request};
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    /// What a client that sends `accept` gets as `Content-Encoding` for a 4 KB answer of
    /// `content_type`.
    async fn encoding(content_type: &'static str, accept: Option<&str>) -> Option<String> {
        let app =
            Router::new()
                .route(
                    "/",
                    get(move || async move {
                        ([(header::CONTENT_TYPE, content_type)], "baris,data\n".repeat(400))
                    }),
                )
                .layer(layer());
        let mut request = Request::get("/");
        if let Some(accept) = accept {
            request = request.header(header::ACCEPT_ENCODING, accept);
        }
        let response = app
            .oneshot(request.body(Body::empty()).expect("request"))
            .await
            .expect("answer");
        response
            .headers()
            .get(header::CONTENT_ENCODING)
            .map(|v| v.to_str().expect("ascii").to_owned())
    }

    #[tokio::test]
    async fn pages_and_api_answers_go_compressed_to_who_asks() {
        for content_type in [
            "text/html; charset=utf-8",
            "application/json",
            "text/csv; charset=utf-8",
        ] {
            let chosen = encoding(content_type, Some("gzip, deflate, br")).await;
            assert_eq!(chosen.as_deref(), Some("br"), "{content_type}");
            let chosen = encoding(content_type, Some("gzip")).await;
            assert_eq!(chosen.as_deref(), Some("gzip"), "{content_type}");
            assert_eq!(encoding(content_type, None).await, None, "{content_type}");
        }
    }

    #[tokio::test]
    async fn what_is_compressed_already_goes_as_it_is() {
        for content_type in [
            "application/zip",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/octet-stream",
            "image/png",
        ] {
            assert_eq!(
                encoding(content_type, Some("gzip, br")).await,
                None,
                "{content_type}"
            );
        }
    }
}
