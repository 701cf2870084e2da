//! `cargo sforce describe` end to end: the real binary against a loopback Salesforce (axum
//! on 127.0.0.1) that answers login, describeGlobal and describeSObjects. The describe
//! results are the real REST describe fixtures turned into partner XML element by element
//! (the REST keys are the partner `DescribeSObjectResult` element names).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::IntoResponse;
use axum::Router;
use serde_json::Value;
use sforce::xml::{Content, Element, XmlReader};

const USERNAME: &str = "integration@example.com";
const PASSWORD: &str = "Pa55&word<SECRET";
const TOKEN: &str = "TOKENSECRET";
const SESSION_ID: &str = "00D000000000001!SESSIONSECRET.AQcAQH0dMHZfz972Szmpkb58";
const SECRETS: [&str; 3] = ["Pa55&word", "TOKENSECRET", "SESSIONSECRET"];
/// The objects with a real describe fixture (Custom__c is added to describeGlobal).
const FIXTURES: [&str; 7] = [
    "Account",
    "Case",
    "Contact",
    "Custom__c",
    "Event",
    "Lead",
    "OpportunityContactRole",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn read_json(name: &str) -> Value {
    let path = fixtures().join("describe").join(name);
    serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap()
}

// ----- REST JSON → partner XML ------------------------------------------------------------

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `value` as the element `name`: objects become children, arrays repeated elements, null
/// `xsi:nil`, scalars text.
fn json_to_xml(name: &str, value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str(&format!("<{name} xsi:nil=\"true\"/>")),
        Value::Array(items) => items.iter().for_each(|item| json_to_xml(name, item, out)),
        Value::Object(map) => {
            out.push_str(&format!("<{name}>"));
            for (key, value) in map {
                json_to_xml(key, value, out);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::String(text) => out.push_str(&format!("<{name}>{}</{name}>", escape(text))),
        Value::Bool(_) | Value::Number(_) => out.push_str(&format!("<{name}>{value}</{name}>")),
    }
}

fn envelope(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
         xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns=\"urn:partner.soap.sforce.com\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>{body}\
         </soapenv:Body></soapenv:Envelope>"
    )
}

fn fault(code: &str, message: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope \
         xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" \
         xmlns:sf=\"urn:fault.partner.soap.sforce.com\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body><soapenv:Fault>\
         <faultcode>sf:{code}</faultcode><faultstring>{code}: {message}</faultstring><detail>\
         <sf:InvalidSObjectFault xsi:type=\"sf:InvalidSObjectFault\"><sf:exceptionCode>{code}\
         </sf:exceptionCode><sf:exceptionMessage>{message}</sf:exceptionMessage>\
         </sf:InvalidSObjectFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"
    )
}

// ----- the loopback org -------------------------------------------------------------------

/// One element of a request: local name, text, children.
#[derive(Debug, Default)]
struct Node {
    name: String,
    text: String,
    children: Vec<Node>,
}

impl Node {
    fn child(&self, name: &str) -> Option<&Node> {
        self.children.iter().find(|c| c.name == name)
    }
}

fn read_node<'a>(reader: &mut XmlReader<'a>, element: &Element<'a>) -> Node {
    let mut node = Node {
        name: String::from_utf8_lossy(element.local_name()).into_owned(),
        ..Node::default()
    };
    match reader.text_or_child(element).unwrap() {
        Content::Text(text) => node.text = text.into_owned(),
        Content::Child(first) => {
            node.children.push(read_node(reader, &first));
            while let Some(child) = reader.next_child(element).unwrap() {
                node.children.push(read_node(reader, &child));
            }
        }
    }
    node
}

/// What the org received: (URL path, operation, the names of a describeSObjects call).
type Log = Arc<Mutex<Vec<(String, String, Vec<String>)>>>;

struct Org {
    /// describeGlobal's sObjects.
    global: Vec<String>,
    /// name → REST describe JSON of the objects with a fixture.
    describes: BTreeMap<String, Value>,
    log: Log,
    url: String,
}

impl Org {
    fn answer(&self, path: &str, request: &str) -> (StatusCode, String) {
        let mut reader = XmlReader::new(request.as_bytes());
        let root = reader.root().unwrap();
        let request = read_node(&mut reader, &root);
        let body = &request.child("Body").unwrap().children[0];
        let names: Vec<String> = body
            .children
            .iter()
            .filter(|c| c.name == "sObjectType")
            .map(|c| c.text.clone())
            .collect();
        self.log
            .lock()
            .unwrap()
            .push((path.to_owned(), body.name.clone(), names.clone()));
        if body.name == "login" {
            let password = format!("{PASSWORD}{TOKEN}");
            let username = body.child("username").map(|n| n.text.as_str());
            let given = body.child("password").map(|n| n.text.as_str());
            if username != Some(USERNAME) || given != Some(password.as_str()) {
                let fault = fixtures().join("soap/simple-salesforce-login_fault_INVALID_LOGIN.xml");
                return (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    fs::read_to_string(fault).unwrap(),
                );
            }
            let server_url = format!("{}/services/Soap/u/64.0/00D000000000001", self.url);
            return (
                StatusCode::OK,
                envelope(&format!(
                    "<loginResponse><result><metadataServerUrl>{server_url}</metadataServerUrl>\
                     <passwordExpired>false</passwordExpired><sandbox>false</sandbox>\
                     <serverUrl>{server_url}</serverUrl><sessionId>{}</sessionId>\
                     <userId>005000000000001AAA</userId><userInfo><organizationId>\
                     00D000000000001AAA</organizationId><sessionSecondsValid>7200\
                     </sessionSecondsValid><userId>005000000000001AAA</userId></userInfo>\
                     </result></loginResponse>",
                    escape(SESSION_ID)
                )),
            );
        }
        let session = request
            .child("Header")
            .and_then(|h| h.child("SessionHeader"))
            .and_then(|h| h.child("sessionId"))
            .map(|n| n.text.as_str());
        if session != Some(SESSION_ID) {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                fault(
                    "INVALID_SESSION_ID",
                    "Invalid Session ID found in SessionHeader",
                ),
            );
        }
        match body.name.as_str() {
            "describeGlobal" => {
                let mut global = read_json("cumulusci-rest-describeGlobal.json");
                let sobjects = global["sobjects"].as_array_mut().unwrap();
                let mut custom = sobjects[0].clone();
                custom["name"] = "Custom__c".into();
                custom["label"] = "Custom".into();
                custom["custom"] = true.into();
                sobjects.push(custom);
                let mut result = String::new();
                json_to_xml("result", &global, &mut result);
                (
                    StatusCode::OK,
                    envelope(&format!(
                        "<describeGlobalResponse>{result}</describeGlobalResponse>"
                    )),
                )
            }
            "describeSObjects" => {
                let mut results = String::new();
                for name in &names {
                    if !self.global.contains(name) {
                        return (
                            StatusCode::INTERNAL_SERVER_ERROR,
                            fault(
                                "INVALID_TYPE",
                                &format!("sObject type '{name}' is not supported."),
                            ),
                        );
                    }
                    let describe = self
                        .describes
                        .get(name)
                        .cloned()
                        .unwrap_or_else(|| minimal_describe(name));
                    json_to_xml("result", &describe, &mut results);
                }
                (
                    StatusCode::OK,
                    envelope(&format!(
                        "<describeSObjectsResponse>{results}</describeSObjectsResponse>"
                    )),
                )
            }
            other => (
                StatusCode::INTERNAL_SERVER_ERROR,
                fault("UNKNOWN_EXCEPTION", &format!("unexpected {other}")),
            ),
        }
    }
}

/// A describe for objects without a fixture: an Id and a Name field, in reverse order.
fn minimal_describe(name: &str) -> Value {
    serde_json::json!({
        "name": name,
        "label": name,
        "queryable": true,
        "keyPrefix": null,
        "fields": [
            {"name": "Name", "type": "string", "soapType": "xsd:string", "length": 80,
             "nillable": false, "label": "Name"},
            {"name": "Id", "type": "id", "soapType": "tns:ID", "length": 18,
             "nillable": false, "label": "Record ID"},
        ],
        "childRelationships": [],
    })
}

async fn handle(State(org): State<Arc<Org>>, uri: Uri, body: Bytes) -> impl IntoResponse {
    let (status, reply) = org.answer(uri.path(), &String::from_utf8_lossy(&body));
    (
        status,
        [(header::CONTENT_TYPE, "text/xml;charset=UTF-8")],
        reply,
    )
}

/// A running loopback org; the runtime must outlive the test's runs of the binary.
struct Server {
    url: String,
    log: Log,
    _runtime: tokio::runtime::Runtime,
}

impl Server {
    fn start() -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let mut global: Vec<String> = read_json("cumulusci-rest-describeGlobal.json")["sobjects"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_owned())
            .collect();
        global.push("Custom__c".to_owned());
        let describes = FIXTURES
            .iter()
            .map(|name| {
                let json = read_json(&format!("cumulusci-rest-{name}.json"));
                assert_eq!(json["name"], *name);
                ((*name).to_owned(), json)
            })
            .collect();
        let log = Log::default();
        let org = Arc::new(Org {
            global,
            describes,
            log: log.clone(),
            url: url.clone(),
        });
        let router = Router::new().fallback(handle).with_state(org);
        runtime.spawn(async move { axum::serve(listener, router).await.unwrap() });
        Server {
            url,
            log,
            _runtime: runtime,
        }
    }

    /// The operations received so far.
    fn operations(&self) -> Vec<String> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .map(|e| e.1.clone())
            .collect()
    }

    /// The names of each describeSObjects call so far.
    fn describe_calls(&self) -> Vec<Vec<String>> {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|e| e.1 == "describeSObjects")
            .map(|e| e.2.clone())
            .collect()
    }

    fn clear(&self) {
        self.log.lock().unwrap().clear();
    }

    /// Password login against this server.
    fn password_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("SFORCE_USERNAME", USERNAME.to_owned()),
            ("SFORCE_PASSWORD", PASSWORD.to_owned()),
            ("SFORCE_TOKEN", TOKEN.to_owned()),
            ("SFORCE_LOGIN_URL", self.url.clone()),
        ]
    }
}

// ----- running the binary -----------------------------------------------------------------

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `cargo-sforce sforce describe <args>` with exactly `env` (nothing inherited: no
/// proxies, no SFORCE_* of the machine).
fn describe(env: &[(&str, String)], args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_cargo-sforce"))
        .env_clear()
        .envs(env.iter().map(|(k, v)| (k, v)))
        .args(["sforce", "describe"])
        .args(args)
        .output()
        .unwrap();
    let run = Run {
        code: status.code(),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    };
    for secret in SECRETS {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "{secret} printed:\n{}\n{}",
            run.stdout,
            run.stderr
        );
    }
    run
}

/// The field names of a dump, in file order.
fn field_names(dump: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_field = false;
    for line in dump.lines() {
        match line {
            "  <fields>" => in_field = true,
            "  </fields>" => in_field = false,
            _ if in_field => {
                if let Some(name) = line
                    .strip_prefix("    <name>")
                    .and_then(|l| l.strip_suffix("</name>"))
                {
                    names.push(name.to_owned());
                }
            }
            _ => {}
        }
    }
    names
}

/// (childSObject, field, relationshipName) of each child relationship, in file order.
fn child_relationships(dump: &str) -> Vec<(String, String, String)> {
    let mut keys = Vec::new();
    let mut current: Option<(String, String, String)> = None;
    let value = |line: &str, tag: &str| {
        line.trim()
            .strip_prefix(&format!("<{tag}>"))
            .and_then(|l| l.strip_suffix(&format!("</{tag}>")))
            .map(str::to_owned)
    };
    for line in dump.lines() {
        match line {
            "  <childRelationships>" => current = Some(Default::default()),
            "  </childRelationships>" => keys.extend(current.take()),
            _ => {
                if let Some((child, field, name)) = &mut current {
                    if let Some(v) = value(line, "childSObject") {
                        *child = v;
                    } else if let Some(v) = value(line, "field") {
                        *field = v;
                    } else if let Some(v) = value(line, "relationshipName") {
                        *name = v;
                    }
                }
            }
        }
    }
    keys
}

/// The dump with the `<fields>` block of `field` taken out.
fn without_field(dump: &str, field: &str) -> String {
    let mut out = String::new();
    let mut block = String::new();
    let mut in_field = false;
    for line in dump.lines() {
        if line == "  <fields>" {
            in_field = true;
        }
        if in_field {
            block.push_str(line);
            block.push('\n');
            if line == "  </fields>" {
                in_field = false;
                if !block.contains(&format!("\n    <name>{field}</name>\n")) {
                    out.push_str(&block);
                }
                block.clear();
            }
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[test]
fn writes_sorted_dumps_rewrites_nothing_and_checks_drift() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("describe");
    let out_arg = out.to_str().unwrap();
    let env = server.password_env();
    let objects = "account,Contact,CUSTOM__C,OpportunityContactRole,Account";

    // First run: four files (names case-corrected, the duplicate dropped).
    let run = describe(&env, &["--objects", objects, "--out", out_arg]);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        server.operations(),
        ["login", "describeGlobal", "describeSObjects"]
    );
    assert_eq!(
        server.describe_calls(),
        [["Account", "Contact", "Custom__c", "OpportunityContactRole"]]
    );
    for name in ["Account", "Contact", "Custom__c", "OpportunityContactRole"] {
        let path = out.join(format!("{name}.xml"));
        assert!(
            run.stdout
                .contains(&format!("created {}\n", path.display())),
            "{}",
            run.stdout
        );
    }
    assert!(run.stdout.ends_with("4 created, 0 updated, 0 unchanged\n"));
    // Not a terminal: plain progress lines, no bar.
    assert!(
        run.stderr.contains("described 4/4 objects\n"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains('\r') && !run.stderr.contains("describing ["));
    let mut files: Vec<String> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "Account.xml",
            "Contact.xml",
            "Custom__c.xml",
            "OpportunityContactRole.xml"
        ]
    );

    // The format: declaration, namespaced root, 2-space indentation, trailing newline.
    let account = fs::read_to_string(out.join("Account.xml")).unwrap();
    assert!(account.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<describeSObjectResult \
         xmlns=\"urn:partner.soap.sforce.com\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n  <activateable>false\
         </activateable>\n"
    ));
    assert!(account.ends_with("\n</describeSObjectResult>\n"));
    assert!(account.contains("\n  <name>Account</name>\n"));
    assert!(account.contains("\n  <keyPrefix>001</keyPrefix>\n"));
    assert!(account.contains("\n  <defaultImplementation xsi:nil=\"true\"/>\n"));
    for secret in SECRETS {
        assert!(!account.contains(secret));
    }
    // Fields by name, child relationships by (childSObject, field, relationshipName).
    let json = read_json("cumulusci-rest-Account.json");
    let fields = field_names(&account);
    assert_eq!(fields.len(), json["fields"].as_array().unwrap().len());
    let mut sorted = fields.clone();
    sorted.sort();
    assert_eq!(fields, sorted);
    let json_order: Vec<&str> = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_ne!(fields, json_order, "the fixture is not sorted already");
    let relationships = child_relationships(&account);
    assert_eq!(
        relationships.len(),
        json["childRelationships"].as_array().unwrap().len()
    );
    let mut sorted = relationships.clone();
    sorted.sort();
    assert_eq!(relationships, sorted);
    // Picklist values keep the server's order (Hot, Warm, Cold).
    let hot = account.find("<value>Hot</value>").unwrap();
    let warm = account.find("<value>Warm</value>").unwrap();
    let cold = account.find("<value>Cold</value>").unwrap();
    assert!(hot < warm && warm < cold);
    for file in &files {
        let text = fs::read_to_string(out.join(file)).unwrap();
        assert!(text.ends_with(">\n") && !text.ends_with("\n\n"), "{file}");
        for line in text.lines().skip(1) {
            let indent = line.len() - line.trim_start().len();
            assert_eq!(indent % 2, 0, "{file}: {line:?}");
            assert!(line.trim_start().starts_with('<') && line.ends_with('>'));
        }
    }

    // Second run: nothing changes, nothing is written.
    let modified = fs::metadata(out.join("Account.xml"))
        .unwrap()
        .modified()
        .unwrap();
    let run = describe(&env, &["--objects", objects, "--out", out_arg]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stdout.contains("created ") && !run.stdout.contains("updated "));
    assert!(run.stdout.ends_with("0 created, 0 updated, 4 unchanged\n"));
    assert_eq!(
        fs::metadata(out.join("Account.xml"))
            .unwrap()
            .modified()
            .unwrap(),
        modified
    );

    // --check agrees.
    let run = describe(&env, &["--objects", objects, "--out", out_arg, "--check"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("4 describe dumps in ") && run.stdout.contains(" are up to date"),
        "{}",
        run.stdout
    );

    // Drift: a field gone from one dump, another dump deleted.
    let edited = without_field(&account, "Fax");
    let mut expected_fields = field_names(&account);
    expected_fields.retain(|f| f != "Fax");
    assert_eq!(field_names(&edited), expected_fields);
    fs::write(out.join("Account.xml"), &edited).unwrap();
    fs::remove_file(out.join("Contact.xml")).unwrap();
    let run = describe(&env, &["--objects", objects, "--out", out_arg, "--check"]);
    assert_eq!(run.code, Some(1), "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr
            .starts_with("described 4/4 objects\nerror: 2 of the describe dumps in "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "\n  Account: {} differs from the org: fields added in the org: Fax\n",
            out.join("Account.xml").display()
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "\n  Contact: {} is missing",
            out.join("Contact.xml").display()
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(&format!(
        "`cargo sforce describe --out {out_arg} --objects \
         Account,Contact,Custom__c,OpportunityContactRole`"
    )));
    // --check wrote nothing.
    assert_eq!(fs::read_to_string(out.join("Account.xml")).unwrap(), edited);
    assert!(!out.join("Contact.xml").exists());

    // Writing again repairs both, and says so.
    let run = describe(&env, &["--objects", objects, "--out", out_arg]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run
        .stdout
        .contains(&format!("updated {}\n", out.join("Account.xml").display())));
    assert!(run
        .stdout
        .contains(&format!("created {}\n", out.join("Contact.xml").display())));
    assert!(run.stdout.ends_with("1 created, 1 updated, 2 unchanged\n"));
    assert_eq!(
        fs::read_to_string(out.join("Account.xml")).unwrap(),
        account
    );

    // The dumps feed `generate --describe`: typed structs for the described objects.
    let sobjects = dir.path().join("sobjects.rs");
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-sforce"))
        .args(["sforce", "generate", "--describe", out_arg, "--out"])
        .arg(&sobjects)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let code = fs::read_to_string(&sobjects).unwrap();
    for name in ["Account", "Contact", "Custom__c", "OpportunityContactRole"] {
        assert!(
            code.contains(&format!("#[::sforce::sobject(name = \"{name}\")]\n")),
            "{name}"
        );
    }
    assert!(code.contains("#[sobject(field = \"Fax\", createable = true, updateable = true)]"));
    // Contact's parent Account is generated, so the relationship is typed.
    assert!(code.contains("pub account: ::sforce::Field<Box<Account>>,"));
}

#[test]
fn all_objects_on_a_session_in_calls_of_100() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("all");
    let out_arg = out.to_str().unwrap();
    let env = vec![
        ("SFORCE_SESSION_ID", SESSION_ID.to_owned()),
        ("SFORCE_SERVER_URL", server.url.clone()),
        ("SFORCE_API_VERSION", "62.0".to_owned()),
    ];
    let run = describe(&env, &["--all", "--out", out_arg]);
    assert_eq!(run.code, Some(0), "{}\n{}", run.stdout, run.stderr);
    // No login on an existing session; 111 objects in two calls.
    assert_eq!(
        server.operations(),
        ["describeGlobal", "describeSObjects", "describeSObjects"]
    );
    let calls = server.describe_calls();
    assert_eq!(calls[0].len(), 100);
    assert_eq!(calls[1].len(), 11);
    assert!(server
        .log
        .lock()
        .unwrap()
        .iter()
        .all(|(path, _, _)| path.contains("/62.0")));
    assert_eq!(
        run.stderr,
        "described 100/111 objects\ndescribed 111/111 objects\n"
    );
    assert_eq!(fs::read_dir(&out).unwrap().count(), 111);
    assert!(
        run.stdout.ends_with(&format!(
            "Described 111 sObjects into {out_arg}: 111 created, 0 updated, 0 unchanged\n"
        )),
        "{}",
        run.stdout
    );
    let minimal = fs::read_to_string(out.join("WorkType.xml")).unwrap();
    assert_eq!(field_names(&minimal), ["Id", "Name"]);

    // A dump of an object the org does not have: a note when writing, an error in --check.
    fs::write(out.join("Gone__c.xml"), &minimal).unwrap();
    server.clear();
    let run = describe(&env, &["--all", "--out", out_arg]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "note: {} is a dump of Gone__c, which the org does not list; left in place\n",
            out.join("Gone__c.xml").display()
        )),
        "{}",
        run.stderr
    );
    let run = describe(&env, &["--all", "--out", out_arg, "--check"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.starts_with(
            "described 100/111 objects\ndescribed 111/111 objects\n\
             error: 1 of the describe dumps in "
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(&format!(
            "\n  Gone__c: {} is a dump of an sObject the org does not list; delete it\n",
            out.join("Gone__c.xml").display()
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(" --all`"), "{}", run.stderr);
    fs::remove_file(out.join("Gone__c.xml")).unwrap();
    let run = describe(&env, &["--all", "--out", out_arg, "--check"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}

#[test]
fn clear_errors() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("describe");
    let out_arg = out.to_str().unwrap();
    let env = server.password_env();

    // Unknown names, with close matches; nothing described, nothing written.
    let run = describe(
        &env,
        &["--objects", "Acount,Contact,Nope__c", "--out", out_arg],
    );
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.stderr,
        "error: the org has no sObject named Acount (did you mean Account?), Nope__c; \
         describeGlobal lists 111 sObjects\n"
    );
    assert_eq!(server.operations(), ["login", "describeGlobal"]);
    assert!(!out.exists());

    // Wrong password: the login fault, and not the password.
    let mut wrong = env.clone();
    wrong[1].1 = "wrong-Pa55&word".to_owned();
    let run = describe(&wrong, &["--objects", "Account", "--out", out_arg]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.starts_with("error: describeGlobal: "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("INVALID_LOGIN"), "{}", run.stderr);

    // No credentials at all.
    let run = describe(&[], &["--objects", "Account", "--out", out_arg]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .starts_with("error: no credentials: set SFORCE_USERNAME and SFORCE_PASSWORD"),
        "{}",
        run.stderr
    );

    // Bad arguments.
    let run = describe(&env, &["--out", out_arg]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("--objects <NAMES>"), "{}", run.stderr);
    let run = describe(&env, &["--all", "--objects", "Account", "--out", out_arg]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
}
