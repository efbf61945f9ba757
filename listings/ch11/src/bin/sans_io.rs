//! Listing 11-1: a sans-I/O protocol parser, driven once by a blocking
//! `std::io::Read` and once by tokio's `AsyncRead`.
//!
//! The protocol is netstrings: each message is `<length>:<payload>,`, for
//! example `5:hello,`. The parser never reads or writes anything itself: the
//! caller feeds it bytes and asks for complete messages. Everything that
//! touches I/O lives in the two short drivers, so the protocol is written
//! (and tested) once and works with any I/O library.

use std::fmt;
use std::io::{Read, Write};

// ANCHOR: decoder
/// The longest payload we accept. A peer that announces more is refused
/// before we buffer a single byte of it.
const MAX_LEN: usize = 1024;

/// Why a stream is not valid netstrings. Offsets count bytes from the
/// start of the stream, so an error points at the offending byte.
#[derive(Debug, PartialEq, Eq)]
enum ParseError {
    /// A length must be decimal digits followed by `:`.
    BadLength { offset: usize, found: u8 },
    /// Netstrings forbid leading zeros: `0:,` is fine, `05:` is not.
    /// Without this rule `000…` could grow the buffer forever.
    LeadingZero { offset: usize },
    /// The announced length is larger than `MAX_LEN`.
    TooLong { offset: usize },
    /// The payload must be followed by `,`.
    MissingComma {
        offset: usize,
        len: usize,
        found: u8,
    },
    /// This book's messages are text.
    NotUtf8 { offset: usize },
    /// The stream ended in the middle of a message that starts at `offset`.
    Truncated { offset: usize, buffered: usize },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ParseError::BadLength { offset, found } => write!(
                f,
                "byte {offset}: expected a digit or ':', found {:?}",
                char::from(found)
            ),
            ParseError::LeadingZero { offset } => {
                write!(f, "byte {offset}: a length may not start with '0'")
            }
            ParseError::TooLong { offset } => write!(
                f,
                "byte {offset}: length exceeds the limit of {MAX_LEN}"
            ),
            ParseError::MissingComma { offset, len, found } => write!(
                f,
                "byte {offset}: expected ',' after a {len}-byte payload, \
                 found {:?}",
                char::from(found)
            ),
            ParseError::NotUtf8 { offset } => {
                write!(f, "byte {offset}: payload is not UTF-8")
            }
            ParseError::Truncated { offset, buffered } => write!(
                f,
                "byte {offset}: input ended inside a message \
                 ({buffered} bytes buffered)"
            ),
        }
    }
}

impl std::error::Error for ParseError {}

/// The protocol state machine: bytes in, messages out, no I/O.
#[derive(Default)]
struct Decoder {
    /// Bytes received but not yet returned as a message.
    buf: Vec<u8>,
    /// How many bytes of the stream came before `buf[0]`.
    consumed: usize,
}

impl Decoder {
    /// Hands the decoder whatever the transport delivered: a whole message,
    /// half of one, or several at once.
    fn feed(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }

    /// The next complete message, or `Ok(None)` when more bytes are needed.
    /// After an error the framing is lost; the caller must stop.
    fn next_message(&mut self) -> Result<Option<String>, ParseError> {
        // The length prefix: digits up to ':'. Checking every byte we
        // already have reports garbage at once instead of waiting for a
        // ':' that may never come. With no leading zeros and the limit
        // checked per digit, this loop looks at no more than five bytes.
        let mut len: usize = 0;
        let mut colon = None;
        for (i, &byte) in self.buf.iter().enumerate() {
            let offset = self.consumed + i;
            match byte {
                b':' if i > 0 => {
                    colon = Some(i);
                    break;
                }
                b'0'..=b'9' if i > 0 && self.buf[0] == b'0' => {
                    return Err(ParseError::LeadingZero {
                        offset: self.consumed,
                    });
                }
                b'0'..=b'9' => {
                    len = len * 10 + usize::from(byte - b'0');
                    if len > MAX_LEN {
                        return Err(ParseError::TooLong { offset });
                    }
                }
                found => return Err(ParseError::BadLength { offset, found }),
            }
        }
        let Some(colon) = colon else {
            return Ok(None);
        };
        // `<len>:` + payload + `,`
        let start = colon + 1;
        let end = start + len;
        if self.buf.len() <= end {
            return Ok(None);
        }
        if self.buf[end] != b',' {
            return Err(ParseError::MissingComma {
                offset: self.consumed + end,
                len,
                found: self.buf[end],
            });
        }
        let payload = String::from_utf8(self.buf[start..end].to_vec())
            .map_err(|_| ParseError::NotUtf8 {
                offset: self.consumed + start,
            })?;
        self.buf.drain(..=end);
        self.consumed += end + 1;
        Ok(Some(payload))
    }

    /// Called at end of input: leftover bytes mean a cut-off message.
    fn finish(&self) -> Result<(), ParseError> {
        match self.buf.len() {
            0 => Ok(()),
            buffered => Err(ParseError::Truncated {
                offset: self.consumed,
                buffered,
            }),
        }
    }
}
// ANCHOR_END: decoder

/// Either side of a driver can fail: the transport or the protocol.
type Error = Box<dyn std::error::Error + Send + Sync>;

/// A small read buffer on purpose: messages arrive split across reads.
const READ_SIZE: usize = 4;

// ANCHOR: drivers
/// Blocking driver: a thread waits in `read` until bytes arrive.
fn drive_blocking(
    mut reader: impl Read,
    mut on_message: impl FnMut(String),
) -> Result<(), Error> {
    let mut decoder = Decoder::default();
    let mut buf = [0; READ_SIZE];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(decoder.finish()?);
        }
        decoder.feed(&buf[..n]);
        while let Some(message) = decoder.next_message()? {
            on_message(message);
        }
    }
}

/// Async driver: the same loop, but `read(..).await` gives the thread back
/// to the runtime while no bytes are there.
async fn drive_tokio(
    mut reader: impl tokio::io::AsyncRead + Unpin,
    mut on_message: impl FnMut(String),
) -> Result<(), Error> {
    use tokio::io::AsyncReadExt;

    let mut decoder = Decoder::default();
    let mut buf = [0; READ_SIZE];
    loop {
        let n = reader.read(&mut buf).await?;
        if n == 0 {
            return Ok(decoder.finish()?);
        }
        decoder.feed(&buf[..n]);
        while let Some(message) = decoder.next_message()? {
            on_message(message);
        }
    }
}
// ANCHOR_END: drivers

// ANCHOR: main
/// Four good messages ("你好" is 6 bytes of UTF-8), then a broken one whose
/// payload is followed by '!' instead of ','.
const INPUT: &[u8] = "5:hello,8:sans-I/O,0:,6:你好,4:oops!".as_bytes();

/// The writers send this many bytes at a time.
const CHUNK: usize = 3;

fn print_message(message: String) {
    println!("  message: {message:?}");
}

fn print_result(result: Result<(), Error>) {
    if let Err(e) = result {
        println!("  error: {e}");
    }
}

fn main() -> Result<(), Error> {
    // A real OS pipe, written by another thread in small pieces.
    println!("std::io::Read (blocking):");
    let (reader, mut writer) = std::io::pipe()?;
    let sender = std::thread::spawn(move || {
        for chunk in INPUT.chunks(CHUNK) {
            writer.write_all(chunk)?;
        }
        // Dropping `writer` closes the pipe: the reader sees end of input.
        Ok::<_, std::io::Error>(())
    });
    print_result(drive_blocking(reader, print_message));
    sender.join().expect("writer thread panicked")?;

    // tokio's in-memory duplex stream, written by another task.
    println!("tokio AsyncRead:");
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    runtime.block_on(async {
        use tokio::io::AsyncWriteExt;

        let (reader, mut writer) = tokio::io::duplex(CHUNK);
        let sender = tokio::spawn(async move {
            for chunk in INPUT.chunks(CHUNK) {
                writer.write_all(chunk).await?;
            }
            Ok::<_, std::io::Error>(())
        });
        print_result(drive_tokio(reader, print_message).await);
        sender.await??;
        Ok(())
    })
}
// ANCHOR_END: main

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `input` in pieces of `size` bytes; collects messages and the
    /// first error, the way both drivers do.
    fn decode(input: &[u8], size: usize) -> (Vec<String>, Option<ParseError>) {
        let mut decoder = Decoder::default();
        let mut messages = Vec::new();
        for piece in input.chunks(size) {
            decoder.feed(piece);
            loop {
                match decoder.next_message() {
                    Ok(Some(m)) => messages.push(m),
                    Ok(None) => break,
                    Err(e) => return (messages, Some(e)),
                }
            }
        }
        (messages, decoder.finish().err())
    }

    #[test]
    fn every_split_gives_the_same_messages() {
        let input = "5:hello,0:,6:你好,".as_bytes();
        for size in 1..=input.len() {
            let (messages, error) = decode(input, size);
            assert_eq!(messages, ["hello", "", "你好"], "pieces of {size}");
            assert_eq!(error, None, "pieces of {size}");
        }
    }

    #[test]
    fn a_split_inside_the_length_waits_for_more() {
        let mut decoder = Decoder::default();
        decoder.feed(b"1");
        assert_eq!(decoder.next_message(), Ok(None));
        decoder.feed(b"1:hello worl");
        assert_eq!(decoder.next_message(), Ok(None));
        decoder.feed(b"d,");
        assert_eq!(decoder.next_message(), Ok(Some("hello world".into())));
        assert_eq!(decoder.finish(), Ok(()));
    }

    #[test]
    fn a_bad_length_byte_is_reported_where_it_is() {
        let (messages, error) = decode(b"2:ok,x:", 1);
        assert_eq!(messages, ["ok"]);
        assert_eq!(
            error,
            Some(ParseError::BadLength {
                offset: 5,
                found: b'x'
            })
        );
    }

    #[test]
    fn an_empty_length_is_refused() {
        let (_, error) = decode(b":abc,", 2);
        assert_eq!(
            error,
            Some(ParseError::BadLength {
                offset: 0,
                found: b':'
            })
        );
    }

    #[test]
    fn a_missing_comma_is_an_error() {
        let (messages, error) = decode(b"4:oops!", 3);
        assert!(messages.is_empty());
        let error = error.unwrap();
        assert_eq!(
            error,
            ParseError::MissingComma {
                offset: 6,
                len: 4,
                found: b'!'
            }
        );
        assert_eq!(
            error.to_string(),
            "byte 6: expected ',' after a 4-byte payload, found '!'"
        );
    }

    #[test]
    fn a_huge_length_is_refused_before_buffering() {
        let (_, error) = decode(b"99999999999999999999999:", 4);
        assert_eq!(error, Some(ParseError::TooLong { offset: 3 }));
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        let (_, error) = decode(b"2:\xff\xfe,", 1);
        assert_eq!(error, Some(ParseError::NotUtf8 { offset: 2 }));
    }

    #[test]
    fn end_of_input_inside_a_message_is_an_error() {
        let (messages, error) = decode(b"2:ok,5:hel", 2);
        assert_eq!(messages, ["ok"]);
        assert_eq!(
            error,
            Some(ParseError::Truncated {
                offset: 5,
                buffered: 5
            })
        );
    }

    #[test]
    fn a_leading_zero_is_refused_at_once() {
        // A lone `0` is the empty message; a zero followed by a digit is
        // refused as soon as the second digit arrives, so a peer sending
        // `000…` cannot make us buffer (and rescan) without end.
        let (messages, error) = decode(b"0:,000000000000", 1);
        assert_eq!(messages, [""]);
        assert_eq!(error, Some(ParseError::LeadingZero { offset: 3 }));
        let (_, error) = decode(b"05:hello,", 9);
        assert_eq!(error, Some(ParseError::LeadingZero { offset: 0 }));
    }

    #[test]
    fn both_drivers_see_the_same_stream() {
        let mut blocking = Vec::new();
        let result = drive_blocking(INPUT, |m| blocking.push(m));
        let blocking_error = result.unwrap_err().to_string();

        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let mut tokio = Vec::new();
        let result = runtime.block_on(drive_tokio(INPUT, |m| tokio.push(m)));
        let tokio_error = result.unwrap_err().to_string();

        assert_eq!(blocking, ["hello", "sans-I/O", "", "你好"]);
        assert_eq!(blocking, tokio);
        assert_eq!(blocking_error, tokio_error);
    }
}
