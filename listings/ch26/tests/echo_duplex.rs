//! The echo handler tested without a socket: `tokio::io::duplex` is an
//! in-memory pipe with both ends, so the test plays the client.
use ch26::{MAX_LINE, echo};
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader, duplex, split};

/// Runs the handler on one end of a pipe, writes `input` into the other,
/// half-closes, and returns everything that came back.
async fn exchange(input: &[u8]) -> (Vec<u8>, u64) {
    let (mut client, server) = duplex(64 * 1024);
    let handler = tokio::spawn(async move {
        let (read, mut write) = split(server);
        echo(&mut BufReader::new(read), &mut write).await.unwrap()
    });
    client.write_all(input).await.unwrap();
    client.shutdown().await.unwrap(); // half-close: "no more lines"
    let lines = handler.await.unwrap();
    let mut back = Vec::new();
    client.read_to_end(&mut back).await.unwrap();
    (back, lines)
}

// ANCHOR: tests
#[tokio::test]
async fn echoes_bytes_unchanged_even_empty_lines() {
    let input = b"hello\n\n\xff\xfe not utf-8\r\n";
    assert_eq!(exchange(input).await, (input.to_vec(), 3));
}

#[tokio::test]
async fn a_last_line_without_newline_is_not_echoed() {
    assert_eq!(exchange(b"one\ntwo").await, (b"one\n".to_vec(), 1));
}

#[tokio::test]
async fn a_line_of_the_maximum_length_is_echoed() {
    let line = [vec![b'x'; MAX_LINE], b"\n".to_vec()].concat();
    assert_eq!(exchange(&line).await, (line.clone(), 1));
}

#[tokio::test]
async fn one_byte_more_gets_an_error() {
    let line = [vec![b'x'; MAX_LINE + 1], b"\n".to_vec()].concat();
    let (back, lines) = exchange(&line).await;
    assert_eq!((back.as_slice(), lines), (&b"ERR line too long\n"[..], 0));
}
// ANCHOR_END: tests
