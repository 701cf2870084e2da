//! The org's state: the database, the objects, the sessions, the query cursors and the
//! clock, behind one lock (calls run one at a time, as a test wants them to).

use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;
use sforce::{Id, SObject};

use crate::clock::Clock;
use crate::fault::Fault;
use crate::ids;
use crate::schema::{self, Objects};

/// What the org was started with.
#[derive(Clone)]
pub(crate) struct Config {
    pub username: String,
    pub password: String,
    pub security_token: String,
    /// The client's address is trusted: the password alone logs in, without the token.
    pub trusted: bool,
    /// A session ends after this long without a call.
    pub session_timeout: Duration,
    pub describe: Vec<PathBuf>,
    pub database: Option<PathBuf>,
    /// API requests allowed in any 24 hours.
    pub daily_api_limit: u64,
    /// Requests in flight at once before `REQUEST_LIMIT_EXCEEDED`.
    pub concurrent_limit: usize,
    /// A request counts toward `concurrent_limit` once it has run this long.
    pub long_running_after: std::time::Duration,
    pub seeds: Vec<crate::seed::Seed>,
    /// The connected apps the OAuth token endpoint knows.
    pub apps: Vec<crate::oauth::ConnectedApp>,
    /// The URLs `/services/proxy` may call (Setup's Remote Site Settings).
    pub remote_sites: Vec<String>,
    /// Calls the request log keeps (the latest).
    pub request_log: usize,
}

/// The password and the security token are secrets: `Debug` prints `***` for them.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("username", &self.username)
            .field("password", &"***")
            .field("security_token", &"***")
            .field("trusted", &self.trusted)
            .field("session_timeout", &self.session_timeout)
            .field("describe", &self.describe)
            .field("database", &self.database)
            .field("daily_api_limit", &self.daily_api_limit)
            .field("concurrent_limit", &self.concurrent_limit)
            .field("long_running_after", &self.long_running_after)
            .field("seeds", &self.seeds)
            .field("apps", &self.apps)
            .field("remote_sites", &self.remote_sites)
            .field("request_log", &self.request_log)
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            username: "admin@localorg.test".to_owned(),
            password: "localorg-password".to_owned(),
            security_token: "LOCALTOKEN".to_owned(),
            trusted: false,
            session_timeout: Duration::hours(2),
            describe: Vec::new(),
            database: None,
            daily_api_limit: 15_000,
            concurrent_limit: 25,
            long_running_after: std::time::Duration::from_secs(20),
            seeds: Vec::new(),
            apps: Vec::new(),
            remote_sites: Vec::new(),
            request_log: 1000,
        }
    }
}

/// One logged-in session.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub last_used: DateTime<Utc>,
}

/// The records of a query, for `queryMore`: a locator names this cursor and the offset
/// of its next batch, so a locator can be used again until the last batch is handed out.
/// A child relationship too long for its parent's batch gets a cursor of its own.
#[derive(Debug)]
pub(crate) struct Cursor {
    pub records: Vec<SObject>,
    pub batch: usize,
    /// The child cursors the last batch handed out: the next batch closes them, as
    /// Salesforce invalidates a batch's child locators on the parent's `queryMore`.
    pub children: Vec<String>,
    /// When the query (or the batch, for a child cursor) opened it: it lasts two days.
    pub opened: DateTime<Utc>,
}

/// An email `sendEmail` accepted, as [`LocalOrg::outbox`](crate::LocalOrg::outbox) lists
/// them: nothing is delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentEmail {
    /// The recipients: `toAddresses`, then the target record's email.
    pub to: Vec<String>,
    /// `ccAddresses`.
    pub cc: Vec<String>,
    /// `bccAddresses`.
    pub bcc: Vec<String>,
    /// The subject, from the message or its template (merge fields filled in).
    pub subject: String,
    /// The plain text (else HTML) body, from the message or its template.
    pub body: String,
    /// The template, if one was used.
    pub template: Option<Id>,
    /// The target record (`targetObjectId`, or one of a mass email's).
    pub target: Option<Id>,
}

/// An approval work item `process` made.
#[derive(Debug, Clone)]
pub(crate) struct Workitem {
    pub instance: Id,
    pub entity: Id,
    pub status: String,
}

pub(crate) struct Org {
    pub db: Connection,
    pub objects: Objects,
    pub clock: Clock,
    pub config: Config,
    pub sessions: HashMap<String, Session>,
    pub cursors: HashMap<String, Cursor>,
    pub org_id: Id,
    pub user_id: Id,
    /// Sequence of sessions and locators handed out.
    pub handed_out: u64,
    /// When the org opened: the earliest date `getDeleted` covers.
    pub started: DateTime<Utc>,
    pub workitems: HashMap<Id, Workitem>,
    pub outbox: Vec<SentEmail>,
    /// When each API request of the last 24 hours came, oldest first (`LimitInfoHeader`).
    pub api_requests: VecDeque<DateTime<Utc>>,
    /// Refresh tokens handed out, with the consumer key they belong to.
    pub refresh_tokens: Vec<(String, String)>,
}

impl Org {
    /// The API requests of the last 24 hours on the org's clock, Salesforce's rolling
    /// window for the daily limit.
    pub(crate) fn api_requests(&mut self) -> u64 {
        let since = self.clock.now() - Duration::hours(24);
        while self.api_requests.front().is_some_and(|at| *at <= since) {
            self.api_requests.pop_front();
        }
        self.api_requests.len() as u64
    }

    /// Counts one API request, or `REQUEST_LIMIT_EXCEEDED` when the last 24 hours hold
    /// the limit already.
    pub(crate) fn count_api_request(&mut self) -> Result<(), Fault> {
        if self.api_requests() >= self.config.daily_api_limit {
            return Err(Fault::unexpected(
                "REQUEST_LIMIT_EXCEEDED",
                "TotalRequests Limit exceeded.",
            ));
        }
        let now = self.clock.now();
        self.api_requests.push_back(now);
        Ok(())
    }

    pub(crate) fn open(config: Config, clock: Clock) -> Result<Org, String> {
        let objects = Objects::load(&config.describe)?;
        // Seeds fill a new database only: a file kept from an earlier run has them already.
        let fresh = config.database.as_ref().is_none_or(|path| !path.exists());
        let db = match &config.database {
            Some(path) => Connection::open(path)
                .map_err(|e| format!("opening the database {}: {e}", path.display()))?,
            None => Connection::open_in_memory().map_err(|e| e.to_string())?,
        };
        db.execute_batch(&objects.ddl())
            .map_err(|e| format!("creating the tables: {e}"))?;
        let mut org = Org {
            db,
            objects,
            clock,
            config,
            sessions: HashMap::new(),
            cursors: HashMap::new(),
            org_id: ids::make("00D", 1),
            user_id: ids::make("005", 1),
            handed_out: 0,
            started: DateTime::default(),
            workitems: HashMap::new(),
            outbox: Vec::new(),
            api_requests: VecDeque::new(),
            refresh_tokens: Vec::new(),
        };
        org.started = org.clock.now();
        org.ensure_user()
            .map_err(|e| format!("creating the org's user: {e}"))?;
        let seeds = if fresh {
            org.config.seeds.clone()
        } else {
            Vec::new()
        };
        for seed in seeds {
            crate::seed::load(&mut org, &seed).map_err(|e| format!("seeding: {e}"))?;
        }
        Ok(org)
    }

    /// The user the credentials log in as, created on first start.
    fn ensure_user(&mut self) -> rusqlite::Result<()> {
        let now = schema::datetime_text(self.clock.now());
        let id = self.user_id.as_str().to_owned();
        self.db.execute(
            "INSERT INTO \"User\" (\"Id\", \"Username\", \"LastName\", \"FirstName\", \"Name\", \
             \"Email\", \"Alias\", \"IsActive\", \"TimeZoneSidKey\", \"LocaleSidKey\", \
             \"EmailEncodingKey\", \"LanguageLocaleKey\", \"UserType\", \"CreatedDate\", \
             \"CreatedById\", \"LastModifiedDate\", \"LastModifiedById\", \"SystemModstamp\", \
             \"IsDeleted\") VALUES (?1, ?2, 'Admin', 'Local', 'Local Admin', ?2, 'ladmin', 1, \
             'America/Los_Angeles', 'en_US', 'UTF-8', 'en_US', 'Standard', ?3, ?1, ?3, ?1, ?3, 0) \
             ON CONFLICT(\"Id\") DO UPDATE SET \"Username\" = ?2",
            rusqlite::params![id, self.config.username, now],
        )?;
        self.db.execute(
            "INSERT OR IGNORE INTO _sequence (prefix, next) VALUES ('005', 1)",
            [],
        )?;
        Ok(())
    }

    /// The next Id for an object with `prefix`.
    pub(crate) fn next_id(&self, prefix: &str) -> Result<Id, Fault> {
        let n: i64 = self
            .db
            .query_row(
                "INSERT INTO _sequence (prefix, next) VALUES (?1, 1) \
                 ON CONFLICT(prefix) DO UPDATE SET next = next + 1 RETURNING next",
                [prefix],
                |row| row.get(0),
            )
            .map_err(|e| Fault::unexpected("UNKNOWN_EXCEPTION", format!("making an Id: {e}")))?;
        Ok(ids::make(prefix, n as u64))
    }

    /// A fresh token for a session or a query locator (not guessable from the previous).
    pub(crate) fn token(&mut self) -> String {
        use std::hash::{BuildHasher, Hasher};
        self.handed_out += 1;
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(self.handed_out);
        hasher.write_i64(self.clock.now().timestamp_nanos_opt().unwrap_or_default());
        format!("{:016x}{:04x}", hasher.finish(), self.handed_out & 0xffff)
    }

    /// Starts a session and returns its id (`00D…!…`, the shape of a real session id).
    pub(crate) fn new_session(&mut self) -> String {
        let token = self.token();
        let id = format!("{}!AQ{token}", self.org_id.to_15());
        self.sessions.insert(
            id.clone(),
            Session {
                last_used: self.clock.now(),
            },
        );
        id
    }

    /// Checks and touches a session: unknown, revoked or idle too long is
    /// `INVALID_SESSION_ID`.
    pub(crate) fn use_session(&mut self, id: Option<&str>) -> Result<(), Fault> {
        let now = self.clock.now();
        let timeout = self.config.session_timeout;
        let id = id.ok_or_else(Fault::invalid_session)?;
        let session = self
            .sessions
            .get_mut(id)
            .ok_or_else(Fault::invalid_session)?;
        if now - session.last_used > timeout {
            self.sessions.remove(id);
            return Err(Fault::invalid_session());
        }
        session.last_used = now;
        Ok(())
    }
}
