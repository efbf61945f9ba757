//! What a correct server sends back for the bytes a client sent: the
//! protocol of chapter 24 as a function, and how a difference between
//! what came and what should have come is shown.

pub const MAX_LINE: usize = 8192;
pub const TOO_LONG: &[u8] = b"ERR line too long\n";

/// The reply to everything in `sent`, as far as `sent` decides it.
#[derive(Debug, PartialEq, Eq)]
pub struct Reply {
    pub bytes: Vec<u8>,
    /// The reply ends with [`TOO_LONG`]: the server closes after it and
    /// echoes nothing more, whatever the client sends.
    pub refused: bool,
}

/// Every complete line of at most [`MAX_LINE`] bytes (its `\n` not
/// counted) comes back unchanged, in order. The first [`MAX_LINE`] + 1
/// bytes without a `\n` make the server refuse: [`TOO_LONG`] and nothing
/// more, with or without a `\n` after them (the server cannot wait for
/// one without buffering the line). An unfinished line of at most
/// [`MAX_LINE`] bytes is not echoed: the client may still finish it, and
/// if it leaves instead, there is no line to echo.
pub fn reply(sent: &[u8]) -> Reply {
    let mut bytes = Vec::with_capacity(sent.len());
    let mut start = 0;
    loop {
        let rest = &sent[start..];
        let window = &rest[..rest.len().min(MAX_LINE + 1)];
        match window.iter().position(|&b| b == b'\n') {
            Some(i) => {
                bytes.extend_from_slice(&rest[..=i]);
                start += i + 1;
            }
            None if window.len() > MAX_LINE => {
                bytes.extend_from_slice(TOO_LONG);
                return Reply {
                    bytes,
                    refused: true,
                };
            }
            None => {
                return Reply {
                    bytes,
                    refused: false,
                };
            }
        }
    }
}

/// Where byte `offset` of the reply to `sent` comes from: which line's
/// echo, or the ERR line.
pub fn locate(sent: &[u8], offset: usize) -> String {
    let mut start = 0;
    let mut line = 0;
    loop {
        let rest = &sent[start..];
        let window = &rest[..rest.len().min(MAX_LINE + 1)];
        match window.iter().position(|&b| b == b'\n') {
            Some(i) if offset < start + i + 1 => {
                return format!(
                    "byte {} of the echo of line {line} ({} bytes and its \
                     \\n, sent from byte {start})",
                    offset - start,
                    i
                );
            }
            Some(i) => {
                start += i + 1;
                line += 1;
            }
            None if window.len() > MAX_LINE => {
                return format!(
                    "byte {} of the ERR line (line {line}, sent from byte \
                     {start}, is too long)",
                    offset.saturating_sub(start)
                );
            }
            None => return format!("past the end of the reply ({line} lines)"),
        }
    }
}

/// The first offset where `got` and `want` differ (the shorter one's
/// length if one is a prefix of the other); `None` if they are equal.
pub fn first_difference(got: &[u8], want: &[u8]) -> Option<usize> {
    if got == want {
        return None;
    }
    Some(
        got.iter()
            .zip(want)
            .position(|(a, b)| a != b)
            .unwrap_or(got.len().min(want.len())),
    )
}

/// Both sides around `offset`, 16 bytes a row, two rows before it and
/// two after.
pub fn hex_around(got: &[u8], want: &[u8], offset: usize) -> String {
    let from = (offset / 16).saturating_sub(2) * 16;
    let to = (offset / 16 + 3) * 16;
    let mut out = format!("  received ({} bytes):\n", got.len());
    out += &hex_rows(got, from, to, offset);
    out += &format!("  expected ({} bytes):\n", want.len());
    out += &hex_rows(want, from, to, offset);
    out
}

fn hex_rows(bytes: &[u8], from: usize, to: usize, mark: usize) -> String {
    let mut out = String::new();
    let to = to.min(bytes.len());
    if from >= to {
        return "    (nothing here)\n".to_string();
    }
    for row in (from..to).step_by(16) {
        let end = (row + 16).min(to);
        let mut hex = String::new();
        let mut text = String::new();
        for (i, &b) in bytes[row..end].iter().enumerate() {
            // The first differing byte is bracketed.
            if row + i == mark {
                hex += &format!("[{b:02x}]");
            } else {
                hex += &format!(" {b:02x} ");
            }
            text.push(if b.is_ascii_graphic() || b == b' ' {
                b as char
            } else {
                '.'
            });
        }
        out += &format!("    {row:08x} {hex:<64} |{text}|\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_come_back_and_a_partial_line_does_not() {
        let r = reply(b"a\n\nb\r\nhalf");
        assert_eq!(r.bytes, b"a\n\nb\r\n");
        assert!(!r.refused);
    }

    #[test]
    fn the_limit_is_8192_bytes_without_the_newline() {
        let mut sent = vec![b'x'; MAX_LINE];
        sent.push(b'\n');
        assert_eq!(reply(&sent).bytes, sent);
        let mut sent = vec![b'y'; MAX_LINE + 1];
        sent.extend_from_slice(b"\nmore\n");
        let r = reply(&[b"ok\n".as_slice(), &sent].concat());
        assert_eq!(r.bytes, [b"ok\n".as_slice(), TOO_LONG].concat());
        assert!(r.refused);
        // 8193 bytes without a newline refuse even before the line ends.
        assert!(reply(&vec![b'z'; MAX_LINE + 1]).refused);
        assert!(!reply(&vec![b'z'; MAX_LINE]).refused);
    }

    #[test]
    fn a_prefix_gets_a_prefix_of_the_reply() {
        let mut sent = b"one\ntwo\r\n".to_vec();
        sent.extend(vec![b'l'; 9000]);
        sent.extend_from_slice(b"\nafter\n");
        let whole = reply(&sent).bytes;
        for cut in 0..=sent.len() {
            assert!(whole.starts_with(&reply(&sent[..cut]).bytes), "{cut}");
        }
    }

    #[test]
    fn differences_are_found_and_located() {
        assert_eq!(first_difference(b"abc", b"abc"), None);
        assert_eq!(first_difference(b"abx", b"abc"), Some(2));
        assert_eq!(first_difference(b"ab", b"abc"), Some(2));
        let sent = b"one\ntwo\n";
        assert!(locate(sent, 5).starts_with("byte 1 of the echo of line 1"));
        let dump = hex_around(b"two\n", b"two\r\n", 3);
        assert!(dump.contains("[0a]") && dump.contains("[0d]"), "{dump}");
    }
}
