//! The address phones and district staff reach the hub at (`serve --public-url
//! https://verval.probolinggokab.go.id`), configured once: enrolment QR codes and links are
//! built from it, never from a request's `Host` or `X-Forwarded-Proto`, which any client can
//! set (issue #18). An HTTPS address also turns on `Secure` cookies and HSTS.

/// A validated public address: a scheme and a host (with a port if any), nothing more.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicUrl {
    /// `https://verval.probolinggokab.go.id`, without a trailing slash.
    origin: String,
    https: bool,
}

impl PublicUrl {
    pub fn parse(text: &str) -> Result<PublicUrl, String> {
        let text = text.trim();
        let (https, rest) = match (text.strip_prefix("https://"), text.strip_prefix("http://")) {
            (Some(rest), _) => (true, rest),
            (None, Some(rest)) => (false, rest),
            _ => {
                return Err(format!(
                    "{text:?} must start with https:// (or http:// for a test)"
                ))
            }
        };
        let host = rest.strip_suffix('/').unwrap_or(rest);
        let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
        if host.is_empty() || !host.chars().all(plain) {
            return Err(format!(
                "{text:?} must be a scheme and a host only, like https://verval.probolinggokab.go.id (no path, query or user)"
            ));
        }
        Ok(PublicUrl {
            origin: format!("{}://{host}", if https { "https" } else { "http" }),
            https,
        })
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn is_https(&self) -> bool {
        self.https
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scheme_and_a_host_and_nothing_else() {
        let url = PublicUrl::parse("https://verval.probolinggokab.go.id/").expect("valid");
        assert_eq!(url.origin(), "https://verval.probolinggokab.go.id");
        assert!(url.is_https());
        let local = PublicUrl::parse("http://127.0.0.1:8080").expect("valid");
        assert!(!local.is_https());
        for bad in [
            "verval.go.id",
            "ftp://verval.go.id",
            "https://",
            "https://verval.go.id/app",
            "https://verval.go.id?x=1",
            "https://user@verval.go.id",
            "https://verval.go.id/#x",
        ] {
            assert!(PublicUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
