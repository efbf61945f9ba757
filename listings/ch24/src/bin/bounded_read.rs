//! What the servers' bounded read (示例 24-2: `take(8193)` around
//! `read_until(b'\n', ..)`) returns, read by read, when a client pipelines a
//! short line, a 9,000-byte line and another short line. The bytes come from
//! memory instead of a socket, so every run reads exactly the same.

use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

/// One more than the longest line the protocol accepts (8192 bytes, not
/// counting `\n`): that many bytes without a `\n` prove the line too long,
/// and no more than that is ever held for one line.
const LIMIT: u64 = 8193;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut input = b"hello\n".to_vec();
    input.extend(std::iter::repeat_n(b'x', 9000));
    input.extend(b"\nbye\n");
    let mut reader = BufReader::new(&input[..]);
    for n in 1.. {
        let mut line = Vec::new();
        let got = (&mut reader)
            .take(LIMIT)
            .read_until(b'\n', &mut line)
            .await
            .expect("reading from memory cannot fail");
        let verdict = if got == 0 {
            "end of input"
        } else if line.ends_with(b"\n") {
            "a whole line"
        } else if got as u64 == LIMIT {
            "too long: refuse it"
        } else {
            "half a line, then end of input"
        };
        println!("read {n}: {got} bytes, {verdict}");
        if got == 0 {
            break;
        }
    }
}
