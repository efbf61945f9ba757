//! The code chapter 26 tests: the echo protocol's handler, written
//! against the I/O traits rather than a socket, and a retry loop with
//! timeouts and backoff.
use std::future::Future;
use std::io;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWrite};

/// The longest line the protocol accepts, not counting the `\n`.
pub const MAX_LINE: usize = 8192;

// ANCHOR: echo
/// Echoes every `\n`-terminated line until end of input; a line longer
/// than [`MAX_LINE`] gets `ERR line too long` and ends the exchange.
/// Returns how many lines were echoed.
pub async fn echo(
    read: &mut (impl AsyncBufRead + Unpin),
    write: &mut (impl AsyncWrite + Unpin),
) -> io::Result<u64> {
    let (mut line, mut lines) = (Vec::new(), 0);
    loop {
        line.clear();
        let limit = MAX_LINE as u64 + 1;
        (&mut *read)
            .take(limit)
            .read_until(b'\n', &mut line)
            .await?;
        if line.last() != Some(&b'\n') {
            if line.len() > MAX_LINE {
                write.write_all(b"ERR line too long\n").await?;
            }
            return Ok(lines);
        }
        write.write_all(&line).await?;
        lines += 1;
    }
}
// ANCHOR_END: echo

// ANCHOR: retry
/// Runs `op` up to `attempts` times, each try bounded by `per_try`; waits
/// `backoff` after the first failure, twice as long after the next, ….
pub async fn retry<T, Fut>(
    attempts: u32,
    per_try: Duration,
    mut backoff: Duration,
    mut op: impl FnMut(u32) -> Fut,
) -> Result<T, String>
where
    Fut: Future<Output = Result<T, String>>,
{
    for attempt in 1..=attempts {
        match tokio::time::timeout(per_try, op(attempt)).await {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(e)) => eprintln!("attempt {attempt}: {e}"),
            Err(_) => eprintln!("attempt {attempt}: timed out"),
        }
        if attempt < attempts {
            tokio::time::sleep(backoff).await;
            backoff *= 2;
        }
    }
    Err(format!("gave up after {attempts} attempts"))
}
// ANCHOR_END: retry
