//! Authentication: the SOAP `login()` call, the OAuth 2.0 token flows, the session they
//! produce, and the [`Secret`] wrapper that keeps credentials out of `Debug` output.

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use crate::time::{SystemTime, UNIX_EPOCH};

use serde::Deserialize;

use crate::envelope::{write_request, ServiceInfo};
use crate::error::Error;
use crate::fault::{FaultDetail, LoginFaultDetail};
use crate::xml::{Children, Element, FromXml, XmlReader};

/// A credential or session id. Its `Debug` output is redacted and it has no `Display`,
/// so it cannot end up in logs or error messages by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret itself, for sending it where it belongs.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Stands in for a secret field in generated `Debug` output: prints `***`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// An authenticated session: what every call needs to reach the org.
#[derive(Clone, Debug)]
pub struct Session {
    pub(crate) id: Secret,
    pub(crate) instance_url: String,
    pub(crate) server_url: Option<String>,
    pub(crate) user_id: Option<String>,
    pub(crate) organization_id: Option<String>,
    pub(crate) expires_at: Option<SystemTime>,
    pub(crate) password_expired: bool,
    /// Bumped on every (re-)authentication, so concurrent renewals can tell whether
    /// someone else already replaced the session they saw fail.
    pub(crate) generation: u64,
}

impl Session {
    /// The session id (the OAuth access token for OAuth flows).
    pub fn session_id(&self) -> &Secret {
        &self.id
    }

    /// Scheme, host and port of the org (`https://na7.salesforce.com`): the base of every
    /// endpoint.
    pub fn instance_url(&self) -> &str {
        &self.instance_url
    }

    /// The full `serverUrl` returned by SOAP `login()`, when the session came from it.
    pub fn server_url(&self) -> Option<&str> {
        self.server_url.as_deref()
    }

    /// The user's id, when the authentication response said.
    pub fn user_id(&self) -> Option<&str> {
        self.user_id.as_deref()
    }

    /// The organization's id, when the authentication response said.
    pub fn organization_id(&self) -> Option<&str> {
        self.organization_id.as_deref()
    }

    /// When the session stops being valid if unused (`login()`'s `sessionSecondsValid`),
    /// when known.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// `login()` said the password has expired: only `setPassword` works in this session.
    pub fn password_expired(&self) -> bool {
        self.password_expired
    }
}

/// How a connection authenticates.
pub(crate) enum AuthMethod {
    /// SOAP `login()`; `password` already has the security token appended.
    Password { username: String, password: Secret },
    /// An existing session id; it cannot be renewed.
    Session,
    /// OAuth 2.0 JWT bearer flow.
    JwtBearer {
        client_id: String,
        username: String,
        key: Box<jsonwebtoken::EncodingKey>,
        audience: Option<String>,
    },
    /// OAuth 2.0 client credentials flow.
    ClientCredentials {
        client_id: String,
        client_secret: Secret,
    },
    /// OAuth 2.0 refresh token flow. The refresh token is replaced when the token
    /// endpoint issues a new one (refresh token rotation).
    RefreshToken {
        client_id: String,
        client_secret: Option<Secret>,
        refresh_token: Mutex<Secret>,
    },
}

impl AuthMethod {
    /// True when a failed session can be replaced by authenticating again.
    pub(crate) fn can_renew(&self) -> bool {
        !matches!(self, AuthMethod::Session)
    }

    /// The method's name, for logs (`password`, `jwt_bearer`, `refresh_token`, …).
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            AuthMethod::Password { .. } => "password",
            AuthMethod::Session => "session",
            AuthMethod::JwtBearer { .. } => "jwt_bearer",
            AuthMethod::ClientCredentials { .. } => "client_credentials",
            AuthMethod::RefreshToken { .. } => "refresh_token",
        }
    }
}

impl fmt::Debug for AuthMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthMethod::Password { username, .. } => f
                .debug_struct("PasswordLogin")
                .field("username", username)
                .field("password", &"***")
                .finish(),
            AuthMethod::Session => f.write_str("ExistingSession"),
            AuthMethod::JwtBearer {
                client_id,
                username,
                audience,
                ..
            } => f
                .debug_struct("JwtBearer")
                .field("client_id", client_id)
                .field("username", username)
                .field("audience", audience)
                .field("private_key", &"***")
                .finish(),
            AuthMethod::ClientCredentials { client_id, .. } => f
                .debug_struct("ClientCredentials")
                .field("client_id", client_id)
                .field("client_secret", &"***")
                .finish(),
            AuthMethod::RefreshToken {
                client_id,
                client_secret,
                ..
            } => f
                .debug_struct("RefreshToken")
                .field("client_id", client_id)
                .field("client_secret", &client_secret.as_ref().map(|_| "***"))
                .field("refresh_token", &"***")
                .finish(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// SOAP login()

/// The partner API's `login` call, as the wire core needs it: the namespace, the endpoint
/// path and a fault detail reader that keeps the exception code and message of any
/// Salesforce fault. The core never uses the generated partner bindings: a crate with only
/// its own enterprise or metadata bindings logs in with this.
pub(crate) static LOGIN_SERVICE: ServiceInfo = ServiceInfo {
    name: "SforceService",
    namespaces: &[("p", "urn:partner.soap.sforce.com")],
    session_header: None,
    session_id_tag: "p:sessionId",
    endpoint_path: "/services/Soap/u/",
    api_version: "66.0",
    read_fault_detail: read_login_fault,
};

fn read_login_fault(
    reader: &mut XmlReader<'_>,
    element: &Element<'_>,
) -> Result<Option<Box<dyn FaultDetail>>, Error> {
    Ok(Some(Box::new(LoginFaultDetail::read_xml(reader, element)?)))
}

/// Writes the `login` request envelope (partner namespace, no session header).
pub(crate) fn login_envelope(username: &str, password: &str) -> String {
    write_request(
        &LOGIN_SERVICE,
        None,
        &|_| {},
        &|w| {
            w.open("p:login");
            w.text_element("p:username", username);
            w.text_element("p:password", password);
            w.close("p:login");
        },
        512,
    )
}

/// `<loginResponse>`: the body of a login reply.
#[derive(Default)]
pub(crate) struct LoginResponse {
    result: LoginResult,
}

impl FromXml for LoginResponse {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        let mut out = LoginResponse::default();
        let mut r = Children::<1>::new(reader, element);
        while let Some(child) = r.next_child()? {
            match child.local_name() {
                b"result" => r.one(&child, 0, &mut out.result)?,
                _ => r.skip(&child)?,
            }
        }
        Ok(out)
    }
}

impl FromXml for LoginResult {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        let mut out = LoginResult::default();
        let mut session_id: Option<String> = None;
        let mut user_info = UserInfo::default();
        let mut r = Children::<5>::new(reader, element);
        while let Some(child) = r.next_child()? {
            match child.local_name() {
                b"passwordExpired" => r.one(&child, 0, &mut out.password_expired)?,
                b"serverUrl" => r.one(&child, 1, &mut out.server_url)?,
                b"sessionId" => r.one(&child, 2, &mut session_id)?,
                b"userId" => r.one(&child, 3, &mut out.user_id)?,
                b"userInfo" => r.one(&child, 4, &mut user_info)?,
                _ => r.skip(&child)?,
            }
        }
        out.session_id = session_id.map(Secret::new);
        out.organization_id = user_info.organization_id;
        out.session_seconds_valid = user_info.session_seconds_valid;
        Ok(out)
    }
}

/// The two fields of `userInfo` a session keeps.
#[derive(Default)]
struct UserInfo {
    organization_id: Option<String>,
    session_seconds_valid: Option<i64>,
}

impl FromXml for UserInfo {
    fn read_xml(reader: &mut XmlReader<'_>, element: &Element<'_>) -> Result<Self, Error> {
        let mut out = UserInfo::default();
        let mut r = Children::<2>::new(reader, element);
        while let Some(child) = r.next_child()? {
            match child.local_name() {
                b"organizationId" => r.one(&child, 0, &mut out.organization_id)?,
                b"sessionSecondsValid" => r.one(&child, 1, &mut out.session_seconds_valid)?,
                _ => r.skip(&child)?,
            }
        }
        Ok(out)
    }
}

/// Turns a login reply's body into a session, checking the fields it must have.
pub(crate) fn session_from_login(
    response: LoginResponse,
    generation: u64,
) -> Result<Session, Error> {
    response.result.into_session(generation)
}

/// The part of the login result a session is made of.
#[derive(Default)]
pub(crate) struct LoginResult {
    server_url: Option<String>,
    session_id: Option<Secret>,
    user_id: Option<String>,
    organization_id: Option<String>,
    password_expired: bool,
    session_seconds_valid: Option<i64>,
}

impl LoginResult {
    /// Turns the login result into a session, checking the fields it must have.
    fn into_session(self, generation: u64) -> Result<Session, Error> {
        let server_url = self
            .server_url
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Error::Auth("the login response has no serverUrl".to_owned()))?;
        let id = self
            .session_id
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Error::Auth("the login response has no sessionId".to_owned()))?;
        let instance_url = origin_of(&server_url).ok_or_else(|| {
            Error::Auth(format!(
                "the login response's serverUrl `{server_url}` is not an http(s) URL"
            ))
        })?;
        let expires_at = self
            .session_seconds_valid
            .filter(|s| *s > 0)
            .map(|s| SystemTime::now() + Duration::from_secs(s as u64));
        Ok(Session {
            id,
            instance_url,
            server_url: Some(server_url),
            user_id: self.user_id,
            organization_id: self.organization_id,
            expires_at,
            password_expired: self.password_expired,
            generation,
        })
    }
}

/// `scheme://host[:port]` of an http(s) URL.
pub(crate) fn origin_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return None;
    }
    Some(parsed.origin().ascii_serialization())
}

// ---------------------------------------------------------------------------------------
// OAuth 2.0

/// The claims of a JWT bearer assertion.
#[derive(serde::Serialize)]
struct JwtClaims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: u64,
}

/// Signs the JWT bearer assertion (RS256, valid for three minutes, Salesforce's maximum).
pub(crate) fn jwt_assertion(
    client_id: &str,
    username: &str,
    audience: &str,
    key: &jsonwebtoken::EncodingKey,
) -> Result<Secret, Error> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_err(|_| Error::Auth("the system clock is before 1970".to_owned()))?;
    let claims = JwtClaims {
        iss: client_id,
        sub: username,
        aud: audience,
        exp: now.as_secs() + 180,
    };
    let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    jsonwebtoken::encode(&header, &claims, key)
        .map(Secret)
        .map_err(|e| Error::Auth(format!("cannot sign the JWT bearer assertion: {e}")))
}

/// The form fields of a token request; values that are secrets are marked so.
pub(crate) fn token_form(credentials: &AuthMethod, assertion: Option<&Secret>) -> String {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    match credentials {
        AuthMethod::JwtBearer { .. } => {
            form.append_pair("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
            if let Some(assertion) = assertion {
                form.append_pair("assertion", assertion.expose());
            }
        }
        AuthMethod::ClientCredentials {
            client_id,
            client_secret,
        } => {
            form.append_pair("grant_type", "client_credentials");
            form.append_pair("client_id", client_id);
            form.append_pair("client_secret", client_secret.expose());
        }
        AuthMethod::RefreshToken {
            client_id,
            client_secret,
            refresh_token,
        } => {
            form.append_pair("grant_type", "refresh_token");
            form.append_pair("client_id", client_id);
            if let Some(secret) = client_secret {
                form.append_pair("client_secret", secret.expose());
            }
            let token = refresh_token.lock().unwrap_or_else(|e| e.into_inner());
            form.append_pair("refresh_token", token.expose());
        }
        AuthMethod::Password { .. } | AuthMethod::Session => {}
    }
    form.finish()
}

/// The JSON a token endpoint answers with (success or error).
#[derive(Deserialize, Default)]
struct TokenResponse {
    access_token: Option<String>,
    instance_url: Option<String>,
    id: Option<String>,
    refresh_token: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Reads a token endpoint's answer into a session (and a rotated refresh token, if any).
pub(crate) fn read_token_response(
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
    generation: u64,
) -> Result<(Session, Option<Secret>), Error> {
    let parsed: Option<TokenResponse> = serde_json::from_slice(body).ok();
    let Some(token) = parsed else {
        return Err(Error::Auth(format!(
            "the OAuth token endpoint answered HTTP {status} with a body that is not JSON \
             (content type {}): {}",
            content_type.unwrap_or("none"),
            crate::connection::body_start(body)
        )));
    };
    if let Some(error) = token.error {
        let mut message = format!("OAuth error `{error}`");
        if let Some(description) = token.error_description {
            message.push_str(": ");
            message.push_str(&description);
        }
        message.push_str(&format!(" (HTTP {status})"));
        return Err(Error::Auth(message));
    }
    if !(200..300).contains(&status) {
        return Err(Error::Auth(format!(
            "the OAuth token endpoint answered HTTP {status} without an `error`"
        )));
    }
    let access_token = token
        .access_token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::Auth("the OAuth token response has no access_token".to_owned()))?;
    let instance = token
        .instance_url
        .ok_or_else(|| Error::Auth("the OAuth token response has no instance_url".to_owned()))?;
    let instance_url = origin_of(&instance).ok_or_else(|| {
        Error::Auth(format!(
            "the OAuth token response's instance_url `{instance}` is not an http(s) URL"
        ))
    })?;
    // `id` is `https://login.salesforce.com/id/<org id>/<user id>`.
    let (organization_id, user_id) = match token.id.as_deref().and_then(ids_from_identity_url) {
        Some((org, user)) => (Some(org), Some(user)),
        None => (None, None),
    };
    let session = Session {
        id: Secret(access_token),
        instance_url,
        server_url: None,
        user_id,
        organization_id,
        expires_at: None,
        password_expired: false,
        generation,
    };
    Ok((session, token.refresh_token.map(Secret)))
}

fn ids_from_identity_url(url: &str) -> Option<(String, String)> {
    let parsed = url::Url::parse(url).ok()?;
    let mut segments: Vec<&str> = parsed.path_segments()?.filter(|s| !s.is_empty()).collect();
    let user = segments.pop()?;
    let org = segments.pop()?;
    if segments.last() != Some(&"id") {
        return None;
    }
    Some((org.to_owned(), user.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::NoHeaders;

    #[test]
    fn secret_debug_is_redacted() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn reads_identity_url() {
        assert_eq!(
            ids_from_identity_url(
                "https://login.salesforce.com/id/00Dx0000000BV7z/005x00000012Q9P"
            ),
            Some(("00Dx0000000BV7z".to_owned(), "005x00000012Q9P".to_owned()))
        );
        assert_eq!(ids_from_identity_url("https://x/other/a/b"), None);
    }

    #[test]
    fn reads_login_fixture() {
        let body = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../fixtures/soap/soapforce-login_response.xml"
        ))
        .unwrap();
        let response =
            crate::envelope::read_response::<LoginResponse, NoHeaders>(&LOGIN_SERVICE, &body)
                .unwrap();
        let session = session_from_login(response.body, 1).unwrap();
        assert_eq!(session.instance_url(), "https://na7.salesforce.com");
        assert_eq!(session.organization_id(), Some("00DA0000000YpZ4MAK"));
        assert_eq!(session.user_id(), Some("005A000000AAAAAIAY"));
        assert!(session
            .session_id()
            .expose()
            .starts_with("00DA0000000YpZ4!"));
        assert!(!session.password_expired());
        assert!(session.expires_at().is_some());
        assert!(!format!("{session:?}").contains("00DA0000000YpZ4!"));
    }

    #[test]
    fn reads_login_fault_fixture() {
        let body = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../fixtures/soap/simple-salesforce-login_fault_INVALID_LOGIN.xml"
        ))
        .unwrap();
        let err = crate::envelope::read_response::<LoginResponse, NoHeaders>(&LOGIN_SERVICE, &body)
            .err()
            .unwrap();
        let fault = err.fault().unwrap();
        assert_eq!(fault.exception_code(), "INVALID_LOGIN");
        let detail = fault.detail::<LoginFaultDetail>().unwrap();
        assert_eq!(detail.exception_code, "INVALID_LOGIN");
        assert!(detail.exception_message.starts_with("Invalid username"));
    }

    #[test]
    fn token_errors_name_the_oauth_error() {
        let err = read_token_response(
            400,
            Some("application/json"),
            br#"{"error":"invalid_grant","error_description":"expired access/refresh token"}"#,
            1,
        )
        .err()
        .unwrap();
        let text = err.to_string();
        assert!(text.contains("invalid_grant"), "{text}");
        assert!(text.contains("expired access/refresh token"), "{text}");
    }
}
