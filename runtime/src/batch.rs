//! Splitting calls that take a limited number of items (200 records per DML call).

use std::future::Future;

use tracing::Instrument;

use crate::error::{BatchError, Error};

/// Calls `call` on consecutive chunks of `items` (at most `size` each, in input order) and
/// concatenates the results.
///
/// A failure is a [`BatchError`] holding the results of the chunks before it (none when the
/// first chunk failed) and the chunk's error. No item is sent twice and nothing after the
/// failed chunk is sent. A `size` of 0 is treated as 1.
///
/// Every item gets exactly one result: a chunk answered with more or fewer results than it
/// had items fails as [`Error::Protocol`] (the results could not be matched to the items).
pub async fn in_batches<'a, T, R, F, Fut>(
    items: &'a [T],
    size: usize,
    call: F,
) -> Result<Vec<R>, BatchError<R>>
where
    F: Fn(&'a [T]) -> Fut,
    Fut: Future<Output = Result<Vec<R>, Error>>,
{
    let mut results = Vec::with_capacity(items.len());
    let mut completed = 0;
    let batches = items.len().div_ceil(size.max(1));
    for (index, chunk) in items.chunks(size.max(1)).enumerate() {
        let span = tracing::info_span!(
            "sforce.batch",
            batch = index + 1,
            batches,
            records_sent = chunk.len(),
            results_received = tracing::field::Empty,
        );
        let answered = call(chunk).instrument(span.clone()).await;
        if let Ok(part) = &answered {
            span.record("results_received", part.len());
        }
        let outcome = answered.and_then(|part| {
            if part.len() == chunk.len() {
                Ok(part)
            } else {
                Err(Error::Protocol(format!(
                    "the server answered {} results for the {} items {}..={}; they cannot be \
                     matched to the items, so none of this batch is reported",
                    part.len(),
                    chunk.len(),
                    completed + 1,
                    completed + chunk.len()
                )))
            }
        });
        match outcome {
            Ok(mut part) => {
                results.append(&mut part);
                completed += chunk.len();
            }
            Err(error) => {
                return Err(BatchError {
                    completed: results,
                    error,
                })
            }
        }
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    fn run<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(future)
    }

    #[test]
    fn chunks_in_order_and_concatenates() {
        let items: Vec<u32> = (0..450).collect();
        let sizes = Mutex::new(Vec::new());
        let out = run(in_batches(&items, 200, |chunk: &[u32]| {
            sizes.lock().unwrap().push(chunk.len());
            let doubled: Vec<u32> = chunk.iter().map(|i| i * 2).collect();
            async move { Ok(doubled) }
        }))
        .unwrap();
        assert_eq!(*sizes.lock().unwrap(), vec![200, 200, 50]);
        assert_eq!(out.len(), 450);
        assert!(out.iter().enumerate().all(|(i, v)| *v == 2 * i as u32));
    }

    #[test]
    fn failure_after_some_chunks_keeps_their_results() {
        let items: Vec<u32> = (0..450).collect();
        let calls = Mutex::new(0);
        let err = run(in_batches(&items, 200, |chunk: &[u32]| {
            let n = {
                let mut calls = calls.lock().unwrap();
                *calls += 1;
                *calls
            };
            let part: Vec<String> = chunk.iter().map(|i| format!("r{i}")).collect();
            async move {
                if n == 3 {
                    Err(Error::transport("connection reset", None::<std::io::Error>))
                } else {
                    Ok(part)
                }
            }
        }))
        .unwrap_err();
        assert_eq!(*calls.lock().unwrap(), 3);
        // The earlier results come back typed, in input order.
        assert_eq!(err.completed.len(), 400);
        assert_eq!(err.completed[0], "r0");
        assert_eq!(err.completed[399], "r399");
        assert!(matches!(err.error, Error::Transport { .. }));
        assert!(err.to_string().contains("400"));
        // `?` into `Error` keeps the count and the cause.
        match Error::from(err) {
            Error::Incomplete { completed, source } => {
                assert_eq!(completed, 400);
                assert!(matches!(*source, Error::Transport { .. }));
            }
            other => panic!("expected Incomplete, got {other:?}"),
        }
    }

    #[test]
    fn a_batch_with_a_missing_result_fails_and_keeps_earlier_batches() {
        let items: Vec<u32> = (0..450).collect();
        let err = run(in_batches(&items, 200, |chunk: &[u32]| {
            // The second batch loses its last result.
            let mut part: Vec<u32> = chunk.to_vec();
            if chunk[0] == 200 {
                part.pop();
            }
            async move { Ok(part) }
        }))
        .unwrap_err();
        assert_eq!(err.completed, (0..200).collect::<Vec<u32>>());
        let Error::Protocol(message) = &err.error else {
            panic!("expected a protocol error, got {:?}", err.error);
        };
        assert!(
            message.contains("199 results for the 200 items 201..=400"),
            "{message}"
        );
        // One result too many in the only batch.
        let err = run(in_batches(&[1, 2], 200, |chunk: &[i32]| {
            let mut part = chunk.to_vec();
            part.push(3);
            async move { Ok(part) }
        }))
        .unwrap_err();
        assert!(err.completed.is_empty());
        assert!(matches!(err.error, Error::Protocol(_)), "{err:?}");
    }

    #[test]
    fn failure_in_first_chunk_is_returned_as_is() {
        let items = [1, 2, 3];
        let err = run(in_batches(&items, 2, |_chunk: &[i32]| async {
            Err::<Vec<i32>, _>(Error::Auth("no".to_owned()))
        }))
        .unwrap_err();
        assert!(err.completed.is_empty());
        assert!(matches!(err.error, Error::Auth(_)));
        // Converted, the first batch's error is itself.
        assert!(matches!(Error::from(err), Error::Auth(_)));
    }

    #[test]
    fn empty_input_makes_no_call_and_zero_size_means_one() {
        let calls = Mutex::new(0);
        let out = run(in_batches(&[] as &[i32], 200, |_chunk: &[i32]| {
            *calls.lock().unwrap() += 1;
            async { Ok(vec![0]) }
        }))
        .unwrap();
        assert!(out.is_empty());
        assert_eq!(*calls.lock().unwrap(), 0);
        let out = run(in_batches(&[1, 2, 3], 0, |chunk: &[i32]| {
            let v = chunk.to_vec();
            async move { Ok(v) }
        }))
        .unwrap();
        assert_eq!(out, vec![1, 2, 3]);
    }
}
