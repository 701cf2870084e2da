//! The clock and the timers, from what the target has: std and Tokio's timer natively,
//! the browser's clock and `setTimeout` on `wasm32-unknown-unknown` (where
//! `std::time::Instant::now` panics and there is no Tokio time driver).

use std::future::Future;
use std::time::Duration;

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use std::time::{Instant, SystemTime, UNIX_EPOCH};
#[cfg(target_arch = "wasm32")]
pub(crate) use web_time::{Instant, SystemTime, UNIX_EPOCH};

/// The time ran out before the future finished.
#[derive(Debug)]
pub(crate) struct Elapsed;

/// Runs `future` for at most `limit`.
pub(crate) async fn timeout<F: Future>(limit: Duration, future: F) -> Result<F::Output, Elapsed> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        tokio::time::timeout(limit, future)
            .await
            .map_err(|_| Elapsed)
    }
    #[cfg(target_arch = "wasm32")]
    {
        use futures_util::future::{select, Either};
        let future = std::pin::pin!(future);
        let sleep = std::pin::pin!(gloo_timers::future::sleep(limit));
        match select(future, sleep).await {
            Either::Left((output, _)) => Ok(output),
            Either::Right(_) => Err(Elapsed),
        }
    }
}

/// Runs `future` until `deadline` at most.
pub(crate) async fn timeout_at<F: Future>(
    deadline: Instant,
    future: F,
) -> Result<F::Output, Elapsed> {
    timeout(deadline.saturating_duration_since(Instant::now()), future).await
}
