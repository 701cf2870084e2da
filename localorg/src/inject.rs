//! Fault injection: failures the org plays instead of (or before) answering calls, for
//! the next N calls, at the Nth call, or for a fraction of calls with a fixed seed.

use std::time::Duration;

/// A failure to play on a call.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// Answer normally, after this delay.
    Latency(Duration),
    /// Send the status line and headers, then close the connection without a body.
    DropConnection,
    /// Send the headers and the first half of the answer, then stall until the client
    /// gives up (its timeout decides).
    StallMidBody,
    /// HTTP 500 with this SOAP fault (an `UnexpectedErrorFault` with `code`, such as
    /// `UNKNOWN_EXCEPTION` or `SERVER_UNAVAILABLE`), instead of running the call.
    Fault {
        /// The exception code.
        code: String,
        /// The message.
        message: String,
    },
    /// HTTP 503 with an HTML maintenance page, as a load balancer in front of an
    /// instance answers.
    Unavailable,
    /// `REQUEST_LIMIT_EXCEEDED` (HTTP 500), instead of running the call.
    RequestLimitExceeded,
    /// End every session before running the call, so it gets `INVALID_SESSION_ID`.
    ExpireSession,
}

/// Which calls a failure applies to.
#[derive(Debug, Clone, PartialEq)]
enum When {
    /// The next `n` calls.
    Next(u32),
    /// The call with this number (the org counts calls from 1).
    At(u64),
    /// Each call with this probability, drawn from a seeded generator (reproducible).
    Fraction { probability: f64, state: u64 },
}

/// A failure and the calls it applies to; give it to
/// [`LocalOrg::inject`](crate::LocalOrg::inject).
///
/// ```
/// use std::time::Duration;
/// use sforce_localorg::{Failure, Injection};
/// let slow_queries = Injection::next(3, Failure::Latency(Duration::from_millis(200))).only("query");
/// let flaky = Injection::fraction(0.1, 42, Failure::Unavailable);
/// let expire = Injection::at_call(5, Failure::ExpireSession);
/// # let _ = (slow_queries, flaky, expire);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Injection {
    failure: Failure,
    when: When,
    operation: Option<String>,
}

impl Injection {
    /// `failure` on each of the next `calls` calls.
    pub fn next(calls: u32, failure: Failure) -> Self {
        Injection {
            failure,
            when: When::Next(calls),
            operation: None,
        }
    }

    /// `failure` on the call numbered `call` (the org numbers every call it receives from
    /// 1; [`LocalOrg::requests`](crate::LocalOrg::requests) lists them in that order).
    pub fn at_call(call: u64, failure: Failure) -> Self {
        Injection {
            failure,
            when: When::At(call),
            operation: None,
        }
    }

    /// `failure` on each call with `probability` (0 to 1), drawn from a generator seeded
    /// with `seed`: the same seed fails the same calls.
    pub fn fraction(probability: f64, seed: u64, failure: Failure) -> Self {
        Injection {
            failure,
            when: When::Fraction {
                probability,
                state: seed.max(1),
            },
            operation: None,
        }
    }

    /// Only calls of this operation (`query`, `create`) count.
    pub fn only(mut self, operation: impl Into<String>) -> Self {
        self.operation = Some(operation.into());
        self
    }

    /// Whether this injection fails call number `call` of `operation`; counts it down.
    fn fires(&mut self, call: u64, operation: Option<&str>) -> bool {
        if let Some(only) = &self.operation {
            if operation != Some(only.as_str()) {
                return false;
            }
        }
        match &mut self.when {
            When::Next(left) => {
                if *left == 0 {
                    return false;
                }
                *left -= 1;
                true
            }
            When::At(at) => *at == call,
            When::Fraction { probability, state } => {
                // xorshift64: small, fast and the same on every platform.
                *state ^= *state << 13;
                *state ^= *state >> 7;
                *state ^= *state << 17;
                (*state >> 11) as f64 / (1u64 << 53) as f64 <= *probability
            }
        }
    }

    fn spent(&self) -> bool {
        matches!(self.when, When::Next(0))
    }
}

/// The injections in force, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Injector {
    injections: Vec<Injection>,
}

impl Injector {
    pub(crate) fn add(&mut self, injection: Injection) {
        self.injections.push(injection);
    }

    pub(crate) fn clear(&mut self) {
        self.injections.clear();
    }

    /// The failures to play on call number `call` of `operation`, in the order added.
    pub(crate) fn pick(&mut self, call: u64, operation: Option<&str>) -> Vec<Failure> {
        let fired = self
            .injections
            .iter_mut()
            .filter_map(|i| i.fires(call, operation).then(|| i.failure.clone()))
            .collect();
        self.injections.retain(|i| !i.spent());
        fired
    }
}

/// The page a load balancer answers with while an instance is down.
pub(crate) const UNAVAILABLE_PAGE: &str = "<!DOCTYPE html><html><head><title>Service \
    Unavailable</title></head><body><h1>Service Unavailable</h1><p>The server is \
    temporarily unable to service your request due to maintenance downtime or capacity \
    problems. Please try again later.</p></body></html>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_fire_when_they_say() {
        let mut injector = Injector::default();
        injector.add(Injection::next(2, Failure::Unavailable).only("query"));
        injector.add(Injection::at_call(4, Failure::ExpireSession));
        let fired: Vec<usize> = (1..=5)
            .map(|call| injector.pick(call, Some("query")).len())
            .collect();
        assert_eq!(fired, [1, 1, 0, 1, 0]);
        assert_eq!(injector.pick(6, Some("create")), []);

        let mut a = Injection::fraction(0.25, 7, Failure::Unavailable);
        let mut b = a.clone();
        let draws: Vec<bool> = (0..1000).map(|n| a.fires(n, None)).collect();
        assert_eq!(
            draws,
            (0..1000).map(|n| b.fires(n, None)).collect::<Vec<_>>()
        );
        let share = draws.iter().filter(|d| **d).count();
        assert!((200..300).contains(&share), "{share} of 1000");
    }
}
