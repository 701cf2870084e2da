//! Authentication against a real local server: SOAP login, the three OAuth flows,
//! session renewal on INVALID_SESSION_ID, and secrets kept out of Debug output.

mod common;

use std::sync::atomic::Ordering;

use common::*;
use sforce::{Connection, Error};

fn password_builder(login_url: &str) -> sforce::ConnectionBuilder {
    Connection::builder()
        .login_url(login_url)
        .password_login(USERNAME, PASSWORD, SECURITY_TOKEN)
        .no_proxy()
        .no_trace()
}

#[tokio::test]
async fn login_then_call_goes_to_the_server_url_host() {
    // Two servers: the login host and the instance the login response points at.
    let org = Org::new();
    let instance = org.start().await;
    let login_host = serve(org.router()).await;
    assert_ne!(instance, login_host);

    let connection = password_builder(&login_host).connect().await.unwrap();
    let session = connection.session().unwrap();
    assert_eq!(session.instance_url(), instance);
    assert_eq!(session.organization_id(), Some(ORG_ID));
    assert_eq!(session.user_id(), Some(USER_ID));
    assert!(session.server_url().unwrap().starts_with(&instance));
    assert!(session.expires_at().is_some());

    assert_eq!(
        server_timestamp(&connection, None).await.unwrap(),
        TIMESTAMP
    );

    let logins = org.requests("login");
    assert_eq!(logins.len(), 1);
    let login = &logins[0];
    assert_eq!(login.host, login_host.trim_start_matches("http://"));
    assert_eq!(login.path, "/services/Soap/u/64.0");
    assert_eq!(login.content_type, "text/xml; charset=UTF-8");
    assert_eq!(login.soap_action.as_deref(), Some("\"\""));
    assert!(!login.body.contains("SessionHeader"), "{}", login.body);
    assert_eq!(element_text(&login.body, "username").unwrap(), USERNAME);
    assert_eq!(
        element_text(&login.body, "password").unwrap(),
        format!("{PASSWORD}{SECURITY_TOKEN}")
    );
    assert!(login
        .body
        .contains("xmlns:p=\"urn:partner.soap.sforce.com\""));
    assert!(login.user_agent.starts_with("sforce/"));

    let calls = org.requests("call");
    assert_eq!(calls.len(), 1);
    let call = &calls[0];
    assert_eq!(call.host, instance.trim_start_matches("http://"));
    assert_eq!(call.path, "/services/Soap/u/66.0");
    assert_eq!(call.soap_action.as_deref(), Some("\"\""));
    assert_eq!(
        element_text(&call.body, "sessionId").unwrap(),
        session.session_id().expose()
    );
    assert!(call.body.contains("<p:getServerTimestamp>"));
}

#[tokio::test]
async fn api_and_login_versions_are_settings() {
    let org = Org::new();
    let url = org.start().await;
    let connection = password_builder(&url)
        .api_version("59.0")
        .login_api_version("62.0")
        .build()
        .unwrap();
    // The first call logs in lazily.
    assert!(connection.session().is_none());
    server_timestamp(&connection, None).await.unwrap();
    assert_eq!(org.requests("login")[0].path, "/services/Soap/u/62.0");
    assert_eq!(org.requests("call")[0].path, "/services/Soap/u/59.0");
    assert_eq!(
        connection.endpoint(&SERVICE).unwrap(),
        format!("{url}/services/Soap/u/59.0")
    );
}

#[tokio::test]
async fn a_login_url_with_the_soap_path_uses_its_origin_and_version() {
    // What users of other clients paste: the SOAP endpoint, not the host.
    let org = Org::new();
    let url = org.start().await;
    for (given, login_path) in [
        (
            format!("{url}/services/Soap/u/61.0"),
            "/services/Soap/u/61.0",
        ),
        (
            format!("{url}/services/Soap/u/61.0/"),
            "/services/Soap/u/61.0",
        ),
        // login() is gone after 64.0: the default login version stays.
        (
            format!("{url}/services/Soap/u/66.0"),
            "/services/Soap/u/64.0",
        ),
        (
            format!("{url}/services/oauth2/token"),
            "/services/Soap/u/64.0",
        ),
    ] {
        let connection = password_builder(&given).build().unwrap();
        server_timestamp(&connection, None).await.unwrap();
        assert_eq!(
            org.requests("login").last().unwrap().path,
            login_path,
            "{given}"
        );
    }
    // An explicit login version wins over the one in the URL.
    let connection = password_builder(&format!("{url}/services/Soap/u/61.0"))
        .login_api_version("60.0")
        .build()
        .unwrap();
    server_timestamp(&connection, None).await.unwrap();
    assert_eq!(
        org.requests("login").last().unwrap().path,
        "/services/Soap/u/60.0"
    );
}

#[tokio::test]
async fn login_fault_is_invalid_login_without_the_password() {
    let org = Org::new();
    let url = org.start().await;
    let err = Connection::builder()
        .login_url(&url)
        .password_login(USERNAME, "wrong-password-XYZ", SECURITY_TOKEN)
        .no_proxy()
        .no_trace()
        .connect()
        .await
        .unwrap_err();
    let fault = err.fault().expect("a SOAP fault");
    assert_eq!(fault.exception_code(), "INVALID_LOGIN");
    assert!(fault.faultstring.contains("Invalid username"));
    let detail = fault.detail.as_ref().unwrap();
    assert_eq!(detail.type_name(), "LoginFault");
    let shown = format!("{err} {err:?}");
    assert!(!shown.contains("wrong-password-XYZ"), "{shown}");
    assert!(!shown.contains(SECURITY_TOKEN), "{shown}");
}

#[tokio::test]
async fn jwt_bearer_flow() {
    let org = Org::new();
    let url = org.start().await;
    *org.oauth.lock().unwrap() = OAuthExpect::Jwt {
        audience: url.clone(),
    };
    let connection = Connection::builder()
        .login_url(&url)
        .jwt_bearer(CLIENT_ID, USERNAME, JWT_PRIVATE_KEY)
        .no_proxy()
        .no_trace()
        .connect()
        .await
        .unwrap();
    let session = connection.session().unwrap();
    assert_eq!(session.instance_url(), url);
    assert_eq!(session.organization_id(), Some(ORG_ID));
    assert_eq!(session.user_id(), Some(USER_ID));
    assert_eq!(
        server_timestamp(&connection, None).await.unwrap(),
        TIMESTAMP
    );
    let token = &org.requests("token")[0];
    assert_eq!(token.path, "/services/oauth2/token");
    // The access token is the session id of calls.
    assert_eq!(
        element_text(&org.requests("call")[0].body, "sessionId").unwrap(),
        session.session_id().expose()
    );
    assert!(!format!("{connection:?}").contains("PRIVATE KEY"));

    // A different audience setting is used in the assertion (and rejected here).
    *org.oauth.lock().unwrap() = OAuthExpect::Jwt {
        audience: "https://login.salesforce.com".to_owned(),
    };
    let wrong = Connection::builder()
        .login_url(&url)
        .jwt_bearer(CLIENT_ID, USERNAME, JWT_PRIVATE_KEY)
        .no_proxy()
        .no_trace()
        .connect()
        .await
        .unwrap_err();
    assert!(matches!(wrong, Error::Auth(_)), "{wrong:?}");
    assert!(wrong.to_string().contains("invalid_grant"), "{wrong}");
    Connection::builder()
        .login_url(&url)
        .jwt_bearer(CLIENT_ID, USERNAME, JWT_PRIVATE_KEY)
        .jwt_audience("https://login.salesforce.com")
        .no_proxy()
        .no_trace()
        .connect()
        .await
        .unwrap();
}

#[tokio::test]
async fn client_credentials_flow() {
    let org = Org::new();
    let url = org.start().await;
    *org.oauth.lock().unwrap() = OAuthExpect::ClientCredentials;
    let connection = Connection::builder()
        .login_url(&url)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .no_proxy()
        .no_trace()
        .build()
        .unwrap();
    assert_eq!(
        server_timestamp(&connection, None).await.unwrap(),
        TIMESTAMP
    );
    assert_eq!(org.token_requests.load(Ordering::SeqCst), 1);
    let shown = format!("{connection:?}");
    assert!(shown.contains(CLIENT_ID), "{shown}");
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    assert!(!shown.contains("SESSION-1"), "{shown}");
}

#[tokio::test]
async fn oauth_error_is_auth_error_without_the_secret() {
    let org = Org::new();
    let url = org.start().await;
    *org.oauth.lock().unwrap() = OAuthExpect::ClientCredentials;
    let err = Connection::builder()
        .login_url(&url)
        .client_credentials(CLIENT_ID, "not-the-secret-QQQ")
        .no_proxy()
        .no_trace()
        .connect()
        .await
        .unwrap_err();
    let Error::Auth(message) = &err else {
        panic!("expected Error::Auth, got {err:?}");
    };
    assert!(message.contains("invalid_client"), "{message}");
    assert!(message.contains("invalid client credentials"), "{message}");
    assert!(!format!("{err} {err:?}").contains("not-the-secret-QQQ"));
}

#[tokio::test]
async fn refresh_token_flow_with_rotation_and_renewal() {
    let org = Org::new();
    let url = org.start().await;
    *org.oauth.lock().unwrap() = OAuthExpect::RefreshToken {
        rotate_to: Some("REFRESH-TOKEN-rotated-2".to_owned()),
    };
    let connection = Connection::builder()
        .login_url(&url)
        .refresh_token(CLIENT_ID, Some(CLIENT_SECRET), REFRESH_TOKEN)
        .no_proxy()
        .no_trace()
        .connect()
        .await
        .unwrap();
    assert_eq!(
        server_timestamp(&connection, None).await.unwrap(),
        TIMESTAMP
    );
    // The session dies; renewal must use the rotated refresh token.
    org.invalidate_all_sessions();
    assert_eq!(
        server_timestamp(&connection, None).await.unwrap(),
        TIMESTAMP
    );
    assert_eq!(org.token_requests.load(Ordering::SeqCst), 2);
    let tokens = org.requests("token");
    assert!(tokens[0]
        .body
        .contains("refresh_token=REFRESH-TOKEN-1a2b3c"));
    assert!(tokens[1]
        .body
        .contains("refresh_token=REFRESH-TOKEN-rotated-2"));
    assert!(tokens[1].body.contains("grant_type=refresh_token"));
    let shown = format!("{connection:?}");
    for secret in [
        CLIENT_SECRET,
        REFRESH_TOKEN,
        "REFRESH-TOKEN-rotated-2",
        "SESSION-2",
    ] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[tokio::test]
async fn invalid_session_renews_once_and_retries() {
    let org = Org::new();
    let url = org.start().await;
    let connection = password_builder(&url).connect().await.unwrap();
    let first = connection.session().unwrap();
    org.invalidate_all_sessions();

    assert_eq!(
        server_timestamp(&connection, None).await.unwrap(),
        TIMESTAMP
    );
    assert_eq!(org.logins.load(Ordering::SeqCst), 2);
    assert_eq!(org.calls.load(Ordering::SeqCst), 2);
    let second = connection.session().unwrap();
    assert_ne!(first.session_id(), second.session_id());
    let calls = org.requests("call");
    assert_eq!(
        element_text(&calls[1].body, "sessionId").unwrap(),
        second.session_id().expose()
    );
}

#[tokio::test]
async fn a_second_invalid_session_is_returned_not_looped() {
    let org = Org::new();
    let url = org.start().await;
    let connection = password_builder(&url).connect().await.unwrap();
    org.reject_all.store(true, Ordering::SeqCst);

    let err = server_timestamp(&connection, None).await.unwrap_err();
    let fault = err.fault().expect("a fault");
    assert!(fault.is_invalid_session());
    assert_eq!(fault.exception_code(), "INVALID_SESSION_ID");
    // One login at connect, one re-login; two calls.
    assert_eq!(org.logins.load(Ordering::SeqCst), 2);
    assert_eq!(org.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_relogin() {
    let org = Org::new();
    let url = org.start().await;
    let connection = password_builder(&url).connect().await.unwrap();
    org.invalidate_all_sessions();
    // Slow calls: every task's first call is in flight with the dead session together.
    *org.call_delay.lock().unwrap() = std::time::Duration::from_millis(100);

    let mut tasks = Vec::new();
    for _ in 0..8 {
        let connection = connection.clone();
        // tokio::spawn needs the call future to be Send.
        tasks.push(tokio::spawn(async move {
            server_timestamp(&connection, None).await
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap().unwrap(), TIMESTAMP);
    }
    assert_eq!(org.logins.load(Ordering::SeqCst), 2, "one re-login for all");
    assert_eq!(org.calls.load(Ordering::SeqCst), 16);
}

#[tokio::test]
async fn existing_session_returns_invalid_session() {
    let org = Org::new();
    let url = org.start().await;
    let connection = session_connection(&url);
    let err = server_timestamp(&connection, None).await.unwrap_err();
    assert!(err.fault().unwrap().is_invalid_session());
    assert_eq!(org.logins.load(Ordering::SeqCst), 0);
    assert_eq!(org.calls.load(Ordering::SeqCst), 1);

    // The same session id works once the org knows it.
    org.valid_sessions
        .lock()
        .unwrap()
        .insert("EXISTING-SESSION-id!xyz".to_owned());
    assert_eq!(
        server_timestamp(&connection, None).await.unwrap(),
        TIMESTAMP
    );
    // authenticate() on an existing-session connection gives that session back.
    let session = connection.authenticate().await.unwrap();
    assert_eq!(session.session_id().expose(), "EXISTING-SESSION-id!xyz");
}

#[tokio::test]
async fn debug_of_connection_shows_no_secrets() {
    let org = Org::new();
    let url = org.start().await;
    let connection = password_builder(&url).connect().await.unwrap();
    let session_id = connection
        .session()
        .unwrap()
        .session_id()
        .expose()
        .to_owned();
    let shown = format!("{connection:?} {:?}", connection.session().unwrap());
    assert!(shown.contains(USERNAME), "{shown}");
    assert!(shown.contains(&url), "{shown}");
    for secret in [PASSWORD, SECURITY_TOKEN, session_id.as_str(), "SESSION-1"] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    let existing = session_connection(&url);
    assert!(!format!("{existing:?}").contains("EXISTING-SESSION"));
}

#[tokio::test]
async fn jwt_bearer_renews_with_a_fresh_assertion() {
    let org = Org::new();
    let url = org.start().await;
    *org.oauth.lock().unwrap() = OAuthExpect::Jwt {
        audience: url.clone(),
    };
    let connection = Connection::builder()
        .login_url(&url)
        .jwt_bearer(CLIENT_ID, USERNAME, JWT_PRIVATE_KEY)
        .no_proxy()
        .no_trace()
        .connect()
        .await
        .unwrap();
    let first = connection.session().unwrap();
    org.invalidate_all_sessions();
    assert_eq!(
        server_timestamp(&connection, None).await.unwrap(),
        TIMESTAMP
    );
    assert_eq!(org.token_requests.load(Ordering::SeqCst), 2);
    let tokens = org.requests("token");
    assert!(
        tokens[1].body.contains("grant_type=urn"),
        "{}",
        tokens[1].body
    );
    let second = connection.session().unwrap();
    assert_ne!(first.session_id(), second.session_id());
    assert_eq!(
        element_text(&org.requests("call")[1].body, "sessionId").unwrap(),
        second.session_id().expose()
    );
}

#[tokio::test]
async fn client_credentials_renews_on_invalid_session() {
    let org = Org::new();
    let url = org.start().await;
    *org.oauth.lock().unwrap() = OAuthExpect::ClientCredentials;
    let connection = Connection::builder()
        .login_url(&url)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .no_proxy()
        .no_trace()
        .connect()
        .await
        .unwrap();
    org.invalidate_all_sessions();
    assert_eq!(
        server_timestamp(&connection, None).await.unwrap(),
        TIMESTAMP
    );
    assert_eq!(org.token_requests.load(Ordering::SeqCst), 2);
    assert_eq!(org.calls.load(Ordering::SeqCst), 2);
    assert!(org.requests("token")[1]
        .body
        .contains("grant_type=client_credentials"));
}
