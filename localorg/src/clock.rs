//! The org's clock: real time by default, settable and advanceable from tests.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

/// The time the org stamps records with (`CreatedDate`, `SystemModstamp`), answers
/// `getServerTimestamp` with, measures session inactivity by and resolves date literals
/// (`TODAY`, `LAST_N_DAYS:n`) against. Clones share one clock.
///
/// ```
/// use sforce_localorg::Clock;
/// let clock = Clock::fixed("2026-01-15T09:00:00Z".parse().unwrap());
/// clock.advance(chrono::Duration::hours(2));
/// assert_eq!(clock.now().to_rfc3339(), "2026-01-15T11:00:00+00:00");
/// ```
#[derive(Clone, Default)]
pub struct Clock(Arc<Mutex<State>>);

#[derive(Clone, Copy, Default)]
enum State {
    /// The system time plus an offset (moved by `advance`).
    #[default]
    Real,
    Offset(Duration),
    /// A fixed instant, moved only by `set` and `advance`.
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// The system clock.
    pub fn real() -> Self {
        Clock::default()
    }

    /// A clock standing at `at` until set or advanced.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Clock(Arc::new(Mutex::new(State::Fixed(at))))
    }

    /// Now, by this clock.
    pub fn now(&self) -> DateTime<Utc> {
        match *self.state() {
            State::Real => Utc::now(),
            State::Offset(offset) => Utc::now() + offset,
            State::Fixed(at) => at,
        }
    }

    /// Stops the clock at `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        *self.state() = State::Fixed(at);
    }

    /// Moves the clock forward by `by` (a real clock keeps running from there).
    pub fn advance(&self, by: Duration) {
        let mut state = self.state();
        *state = match *state {
            State::Real => State::Offset(by),
            State::Offset(offset) => State::Offset(offset + by),
            State::Fixed(at) => State::Fixed(at + by),
        };
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a plain value: a panic elsewhere cannot leave it half-written.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self.state() {
            State::Real => f.write_str("Clock(real)"),
            State::Offset(offset) => write!(f, "Clock(real {offset:+})"),
            State::Fixed(at) => write!(f, "Clock(fixed at {at})"),
        }
    }
}
