//! Minutes of timeouts and backoff, run in milliseconds: tokio's clock is
//! paused and jumps to the next timer whenever every task is waiting.
use ch26::retry;
use std::future::pending;
use std::time::Duration;
use tokio::time::{Instant, advance, sleep, timeout};

// ANCHOR: retry
#[tokio::test(start_paused = true)]
async fn retry_covers_three_and_a_half_minutes() {
    let real = std::time::Instant::now();
    let start = Instant::now(); // tokio's clock: virtual here
    let answer =
        retry(3, Duration::from_secs(60), Duration::from_secs(30), |n| {
            async move {
                if n < 3 {
                    pending::<()>().await; // a server that never answers
                }
                Ok(n)
            }
        })
        .await;
    assert_eq!(answer, Ok(3));
    // 60 s timeout + 30 s backoff + 60 s timeout + 60 s backoff.
    assert_eq!(start.elapsed(), Duration::from_secs(210));
    assert!(
        real.elapsed() < Duration::from_secs(1),
        "{:?}",
        real.elapsed()
    );
}
// ANCHOR_END: retry

// ANCHOR: advance
#[tokio::test(start_paused = true)]
async fn advance_moves_the_clock_by_hand() {
    let sleeper = tokio::spawn(sleep(Duration::from_secs(10)));
    tokio::task::yield_now().await; // let it start and set its timer
    advance(Duration::from_secs(9)).await;
    assert!(!sleeper.is_finished());
    advance(Duration::from_secs(1)).await;
    sleeper.await.unwrap(); // returns at once: its timer has fired
}
// ANCHOR_END: advance

#[tokio::test(start_paused = true)]
async fn timeout_fires_at_exactly_its_deadline() {
    let start = Instant::now();
    let result = timeout(Duration::from_secs(300), pending::<()>()).await;
    assert!(result.is_err());
    assert_eq!(start.elapsed(), Duration::from_secs(300));
}
