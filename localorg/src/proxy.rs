//! `/services/proxy`: the AJAX Toolkit's proxy (`sforce.connection.remoteFunction`). A
//! page's script sends its request here with the target in `SalesforceProxy-Endpoint` and
//! its session in `SalesforceProxy-SID`; the org sends it on, if the target is a
//! registered remote site, and answers with the target's response.

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderName, Method, StatusCode};
use axum::response::{IntoResponse, Response};

/// The request header naming the URL to call.
const ENDPOINT: &str = "salesforceproxy-endpoint";
/// The request header carrying the caller's session id.
const SESSION: &str = "salesforceproxy-sid";

/// How long the org waits for the target before answering 504.
const UPSTREAM_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// Headers that belong to one connection, or to the proxy itself: never passed on.
fn passes(name: &HeaderName) -> bool {
    !matches!(
        name.as_str(),
        "host"
            | "connection"
            | "keep-alive"
            | "proxy-connection"
            | "transfer-encoding"
            | "te"
            | "trailer"
            | "upgrade"
            | "content-length"
            | "cookie"
            | ENDPOINT
            | SESSION
    )
}

/// The client the proxy calls targets with: rustls with the `ring` provider (unless the
/// process installed one), no redirects followed (the caller sees the 3xx), bodies passed
/// on as they come.
pub(crate) fn client() -> Result<reqwest::Client, String> {
    // Err only when a provider is installed already: that one is used.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_gzip()
        .build()
        .map_err(|e| format!("the AJAX proxy's HTTP client: {e}"))
}

/// What the proxy needs from the org: whether a session is live, and the remote sites.
pub(crate) struct Check {
    pub session_live: bool,
    pub remote_sites: Vec<String>,
}

/// The session id the request carries (`SalesforceProxy-SID`).
pub(crate) fn session(headers: &HeaderMap) -> Option<String> {
    headers
        .get(SESSION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Sends the request on and answers with the target's status, headers and body; or 401
/// without a live session, 400 without an endpoint, 403 for an endpoint outside the remote
/// sites, 502 when the target cannot be reached and 504 when it does not answer in time.
pub(crate) async fn forward(
    client: &reqwest::Client,
    check: Check,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !check.session_live {
        return text(
            StatusCode::UNAUTHORIZED,
            "INVALID_SESSION_ID: SalesforceProxy-SID is missing, expired or invalid".into(),
        );
    }
    let Some(endpoint) = headers.get(ENDPOINT).and_then(|v| v.to_str().ok()) else {
        return text(
            StatusCode::BAD_REQUEST,
            "the SalesforceProxy-Endpoint header is missing".into(),
        );
    };
    let Ok(url) = reqwest::Url::parse(endpoint) else {
        return text(
            StatusCode::BAD_REQUEST,
            format!("SalesforceProxy-Endpoint is not a URL: {endpoint}"),
        );
    };
    if !matches!(url.scheme(), "http" | "https")
        || !check
            .remote_sites
            .iter()
            .any(|site| under_site(url.as_str(), site))
    {
        return text(
            StatusCode::FORBIDDEN,
            format!(
                "Unauthorized endpoint, please check Setup->Security->Remote site settings. endpoint = {endpoint}"
            ),
        );
    }
    let mut request = client.request(method, url).timeout(UPSTREAM_TIMEOUT);
    for (name, value) in &headers {
        if passes(name) {
            request = request.header(name, value);
        }
    }
    let answer = match request.body(body).send().await {
        Ok(answer) => answer,
        Err(e) => {
            let status = if e.is_timeout() {
                StatusCode::GATEWAY_TIMEOUT
            } else {
                StatusCode::BAD_GATEWAY
            };
            return text(status, format!("calling {endpoint}: {e}"));
        }
    };
    let status = answer.status();
    let mut out = HeaderMap::new();
    for (name, value) in answer.headers() {
        if passes(name) {
            out.append(name, value.clone());
        }
    }
    match answer.bytes().await {
        Ok(body) => (status, out, body).into_response(),
        Err(e) => text(
            StatusCode::BAD_GATEWAY,
            format!("reading the answer of {endpoint}: {e}"),
        ),
    }
}

/// `url` is at or below the remote site `site` (`https://api.example.com`): same scheme,
/// host and port, and the site's path as a prefix.
fn under_site(url: &str, site: &str) -> bool {
    let site = site.trim_end_matches('/');
    url.len() >= site.len()
        && url[..site.len()].eq_ignore_ascii_case(site)
        && matches!(url.as_bytes().get(site.len()), None | Some(b'/' | b'?'))
}

fn text(status: StatusCode, message: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain;charset=UTF-8")],
        message,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::under_site;

    #[test]
    fn an_endpoint_is_under_a_site_by_scheme_host_port_and_path_prefix() {
        let site = "http://127.0.0.1:8080/api";
        assert!(under_site("http://127.0.0.1:8080/api", site));
        assert!(under_site("http://127.0.0.1:8080/api/v1?q=1", site));
        assert!(under_site(
            "HTTP://127.0.0.1:8080/api/",
            "http://127.0.0.1:8080/api/"
        ));
        assert!(!under_site("http://127.0.0.1:8080/apix", site));
        assert!(!under_site("http://127.0.0.1:80801/api", site));
        assert!(!under_site("https://127.0.0.1:8080/api", site));
        assert!(!under_site("http://127.0.0.1:8080", site));
    }
}
