//! The OAuth 2.0 token endpoint (`POST /services/oauth2/token`): JWT bearer (the
//! assertion's signature checked against the connected app's key), client credentials,
//! refresh token and username-password; each access token is a session id the SOAP APIs
//! take. Errors are the JSON Salesforce writes (`invalid_grant`, `invalid_client`, …).

use base64::Engine as _;
use serde::Deserialize;

use crate::org::Org;

/// A connected app the token endpoint knows: its consumer key and secret, and for the
/// JWT bearer flow the certificate uploaded to it.
#[derive(Clone, PartialEq, Eq)]
pub struct ConnectedApp {
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    pub(crate) certificate_pem: Option<String>,
}

impl ConnectedApp {
    /// An app with this consumer key and consumer secret.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        ConnectedApp {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            certificate_pem: None,
        }
    }

    /// Accept JWT bearer assertions signed (RS256) by the private key of this certificate:
    /// the X.509 certificate uploaded to the app ("Use digital signatures"), PEM
    /// (`BEGIN CERTIFICATE`), or its RSA public key alone (`BEGIN PUBLIC KEY` or
    /// `BEGIN RSA PUBLIC KEY`). The certificate's dates are not checked.
    pub fn jwt_certificate(mut self, pem: impl Into<String>) -> Self {
        self.certificate_pem = Some(pem.into());
        self
    }

    /// The consumer key.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
}

impl std::fmt::Debug for ConnectedApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectedApp")
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("jwt_certificate", &self.certificate_pem.is_some())
            .finish()
    }
}

/// The token endpoint's answer: HTTP status and JSON.
pub(crate) struct TokenReply {
    pub status: u16,
    pub json: String,
}

fn error(status: u16, error: &str, description: &str) -> TokenReply {
    TokenReply {
        status,
        json: serde_json::json!({ "error": error, "error_description": description }).to_string(),
    }
}

/// Decodes an `application/x-www-form-urlencoded` body.
fn form(body: &[u8]) -> Vec<(String, String)> {
    let decode = |text: &str| -> String {
        let bytes = text.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < bytes.len() => {
                    let hex = |b: u8| char::from(b).to_digit(16);
                    match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                        (Some(high), Some(low)) => {
                            out.push((high * 16 + low) as u8);
                            i += 2;
                        }
                        _ => out.push(b'%'),
                    }
                }
                byte => out.push(byte),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    String::from_utf8_lossy(body)
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// The claims of a JWT bearer assertion the org checks.
#[derive(Deserialize)]
struct Claims {
    iss: String,
    sub: String,
    aud: serde_json::Value,
    exp: i64,
}

/// Handles one token request; `base_url` is the org's own URL (the instance URL, and an
/// accepted JWT audience besides login and test.salesforce.com).
pub(crate) fn token(org: &mut Org, base_url: &str, body: &[u8]) -> TokenReply {
    let fields = form(body);
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let app_by_id =
        |org: &Org, id: &str| org.config.apps.iter().find(|a| a.client_id == id).cloned();
    let check_secret =
        |app: &ConnectedApp, secret: Option<&str>| secret == Some(app.client_secret.as_str());
    match field("grant_type") {
        Some("client_credentials") => {
            let Some(app) = field("client_id").and_then(|id| app_by_id(org, id)) else {
                return error(400, "invalid_client_id", "client identifier invalid");
            };
            if !check_secret(&app, field("client_secret")) {
                return error(400, "invalid_client", "invalid client credentials");
            }
            granted(org, base_url, None)
        }
        Some("password") => {
            let Some(app) = field("client_id").and_then(|id| app_by_id(org, id)) else {
                return error(400, "invalid_client_id", "client identifier invalid");
            };
            if !check_secret(&app, field("client_secret")) {
                return error(400, "invalid_client", "invalid client credentials");
            }
            let with_token = format!("{}{}", org.config.password, org.config.security_token);
            let password = field("password").unwrap_or_default();
            let password_ok =
                password == with_token || (org.config.trusted && password == org.config.password);
            if !field("username").is_some_and(|u| u.eq_ignore_ascii_case(&org.config.username))
                || !password_ok
            {
                return error(400, "invalid_grant", "authentication failure");
            }
            granted(org, base_url, None)
        }
        Some("refresh_token") => {
            let Some(app) = field("client_id").and_then(|id| app_by_id(org, id)) else {
                return error(400, "invalid_client_id", "client identifier invalid");
            };
            if field("client_secret").is_some() && !check_secret(&app, field("client_secret")) {
                return error(400, "invalid_client", "invalid client credentials");
            }
            let known = field("refresh_token").is_some_and(|t| {
                org.refresh_tokens
                    .iter()
                    .any(|(id, token)| *id == app.client_id && token == t)
            });
            if !known {
                return error(400, "invalid_grant", "expired access/refresh token");
            }
            granted(org, base_url, None)
        }
        Some("urn:ietf:params:oauth:grant-type:jwt-bearer") => {
            let Some(assertion) = field("assertion") else {
                return error(400, "invalid_request", "assertion is missing");
            };
            jwt_bearer(org, base_url, assertion)
        }
        Some(_) | None => error(400, "unsupported_grant_type", "grant type not supported"),
    }
}

fn jwt_bearer(org: &mut Org, base_url: &str, assertion: &str) -> TokenReply {
    let invalid = |description: &str| error(400, "invalid_grant", description);
    // The payload names the app (`iss`) whose key checks the signature.
    let Some(payload) = assertion.split('.').nth(1) else {
        return invalid("invalid assertion");
    };
    let claims: Option<Claims> = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let Some(claims) = claims else {
        return invalid("invalid assertion");
    };
    let Some(app) = org
        .config
        .apps
        .iter()
        .find(|a| a.client_id == claims.iss)
        .cloned()
    else {
        return error(400, "invalid_client_id", "client identifier invalid");
    };
    let Some(pem) = &app.certificate_pem else {
        return error(
            400,
            "invalid_client",
            "the connected app has no certificate for the JWT bearer flow",
        );
    };
    let Ok(key) = jsonwebtoken::DecodingKey::from_rsa_pem(pem.as_bytes()) else {
        return error(
            400,
            "invalid_client",
            "the connected app's certificate key is not an RSA public key",
        );
    };
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
    // Expiry is checked against the org's clock below, audience by hand.
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    if jsonwebtoken::decode::<serde_json::Value>(assertion, &key, &validation).is_err() {
        return invalid("invalid assertion");
    }
    if claims.exp < org.clock.now().timestamp() {
        return invalid("expired authorization code");
    }
    let audiences: Vec<&str> = match &claims.aud {
        serde_json::Value::String(one) => vec![one.as_str()],
        serde_json::Value::Array(many) => many.iter().filter_map(|v| v.as_str()).collect(),
        _ => Vec::new(),
    };
    let accepted = [
        base_url,
        "https://login.salesforce.com",
        "https://test.salesforce.com",
    ];
    if !audiences
        .iter()
        .any(|a| accepted.contains(&a.trim_end_matches('/')))
    {
        return invalid("audience is invalid");
    }
    if !claims.sub.eq_ignore_ascii_case(&org.config.username) {
        return invalid("user hasn't approved this consumer");
    }
    granted(org, base_url, None)
}

/// A session and the token response that hands it out.
fn granted(org: &mut Org, base_url: &str, refresh_token: Option<String>) -> TokenReply {
    let access_token = org.new_session();
    let mut json = serde_json::json!({
        "access_token": access_token,
        "instance_url": base_url,
        "id": format!("{base_url}/id/{}/{}", org.org_id.as_str(), org.user_id.as_str()),
        "token_type": "Bearer",
        "issued_at": org.clock.now().timestamp_millis().to_string(),
        "signature": base64::engine::general_purpose::STANDARD.encode(org.token()),
        "scope": "api refresh_token",
    });
    if let Some(token) = refresh_token {
        json["refresh_token"] = serde_json::Value::String(token);
    }
    TokenReply {
        status: 200,
        json: json.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_percent_and_plus() {
        let fields =
            form(b"grant_type=refresh_token&refresh_token=5Aep%2Bx%3D%3D&name=a+b&bad=%zz&end=%4");
        assert_eq!(
            fields[1],
            ("refresh_token".to_owned(), "5Aep+x==".to_owned())
        );
        assert_eq!(fields[2].1, "a b");
        assert_eq!(fields[3].1, "%zz");
        assert_eq!(fields[4].1, "%4");
    }
}
