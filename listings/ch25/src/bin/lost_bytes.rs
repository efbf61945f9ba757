//! A `select!` loop that loses bytes, and five loops that do not. The
//! same input each time: three lines, each written in two halves 100 ms
//! apart, while a 100 ms ticker fires between the halves. Time is virtual
//! (`start_paused`), so every run interleaves exactly the same way.
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, DuplexStream};
use tokio::sync::mpsc;
use tokio::time::{Instant, interval_at, sleep};

const WORDS: [&str; 3] = ["alpha", "bravo", "charlie"];

/// Writes each word and its `\n` in two halves, 100 ms apart.
async fn sender(mut out: DuplexStream) {
    for word in WORDS {
        let (first, second) = word.split_at(3);
        out.write_all(first.as_bytes()).await.unwrap();
        sleep(Duration::from_millis(100)).await;
        out.write_all(format!("{second}\n").as_bytes())
            .await
            .unwrap();
        sleep(Duration::from_millis(100)).await;
    }
}

fn connect() -> BufReader<DuplexStream> {
    let (out, input) = tokio::io::duplex(64);
    tokio::spawn(sender(out));
    BufReader::new(input)
}

/// Ticks at 50 ms, 150 ms, …: always between the two halves of a line.
fn ticker() -> tokio::time::Interval {
    let period = Duration::from_millis(100);
    interval_at(Instant::now() + period / 2, period)
}

// ANCHOR: broken
/// Not cancel safe: the ticker wins while `read_line` holds half a line,
/// the `read_line` future is dropped, and the half line with it.
async fn fresh_buffer(mut input: BufReader<DuplexStream>) -> Vec<String> {
    let (mut tick, mut lines) = (ticker(), Vec::new());
    loop {
        let mut line = String::new();
        tokio::select! {
            _ = tick.tick() => {}
            n = input.read_line(&mut line) => {
                if n.unwrap() == 0 { return lines; }
                lines.push(line.trim_end().to_string());
            }
        }
    }
}
// ANCHOR_END: broken

// ANCHOR: still_broken
/// The buffer outside the loop does not save `read_line`: its docs say
/// that on cancel "there are no guarantees regarding the contents of
/// `buf`".
async fn string_outside(mut input: BufReader<DuplexStream>) -> Vec<String> {
    let (mut tick, mut lines) = (ticker(), Vec::new());
    let mut line = String::new();
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            n = input.read_line(&mut line) => {
                if n.unwrap() == 0 { return lines; }
                lines.push(line.trim_end().to_string());
                line.clear();
            }
        }
    }
}
// ANCHOR_END: still_broken

// ANCHOR: read_until
/// Fix 1: `read_until` appends what it has read to `buf` before it can be
/// cancelled, so a buffer that outlives the loop keeps the half line.
async fn bytes_outside(mut input: BufReader<DuplexStream>) -> Vec<String> {
    let (mut tick, mut lines) = (ticker(), Vec::new());
    let mut line = Vec::new();
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            n = input.read_until(b'\n', &mut line) => {
                if n.unwrap() == 0 { return lines; }
                lines.push(String::from_utf8_lossy(&line).trim_end().into());
                line.clear();
            }
        }
    }
}
// ANCHOR_END: read_until

// ANCHOR: pinned
type LineFuture =
    Pin<Box<dyn Future<Output = (BufReader<DuplexStream>, String)>>>;

/// One `read_line` that owns its reader, so it can live across loops.
fn next_line(mut input: BufReader<DuplexStream>) -> LineFuture {
    Box::pin(async move {
        let mut line = String::new();
        input.read_line(&mut line).await.unwrap();
        (input, line)
    })
}

/// Fix 2: create the future once, outside the loop, and `select!` on
/// `&mut` it: losing the race no longer drops it, it just waits.
async fn future_outside(input: BufReader<DuplexStream>) -> Vec<String> {
    let (mut tick, mut lines) = (ticker(), Vec::new());
    let mut reading = next_line(input);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            (input, line) = &mut reading => {
                if line.is_empty() { return lines; }
                lines.push(line.trim_end().to_string());
                reading = next_line(input);
            }
        }
    }
}
// ANCHOR_END: pinned

// ANCHOR: lines_next
/// Fix 3: `Lines::next_line` keeps a half line in the `Lines` itself, so
/// it is cancel safe.
async fn lines_next(input: BufReader<DuplexStream>) -> Vec<String> {
    let (mut tick, mut got) = (ticker(), Vec::new());
    let mut lines = input.lines();
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            line = lines.next_line() => match line.unwrap() {
                Some(line) => got.push(line),
                None => return got,
            },
        }
    }
}
// ANCHOR_END: lines_next

// ANCHOR: channel
/// Fix 4: a task of its own reads lines; the loop selects on
/// `Receiver::recv`, which is cancel safe.
async fn via_channel(input: BufReader<DuplexStream>) -> Vec<String> {
    let (tx, mut rx) = mpsc::channel(8);
    tokio::spawn(async move {
        let mut reader = input.lines();
        while let Some(line) = reader.next_line().await.unwrap() {
            if tx.send(line).await.is_err() {
                break;
            }
        }
    });
    let (mut tick, mut lines) = (ticker(), Vec::new());
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            line = rx.recv() => match line {
                Some(line) => lines.push(line),
                None => return lines,
            },
        }
    }
}
// ANCHOR_END: channel

fn report(name: &str, got: &[String]) {
    let lost: Vec<String> = WORDS
        .iter()
        .zip(got)
        .filter_map(|(sent, got)| sent.strip_suffix(got.as_str()))
        .filter(|lost| !lost.is_empty())
        .map(|lost| format!("{lost:?}"))
        .collect();
    let verdict = match lost.is_empty() && got.len() == WORDS.len() {
        true => "nothing lost".to_string(),
        false => format!("lost {}", lost.join(" ")),
    };
    println!("{name:<15} got {got:?}: {verdict}");
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn main() {
    report("fresh_buffer", &fresh_buffer(connect()).await);
    report("string_outside", &string_outside(connect()).await);
    report("bytes_outside", &bytes_outside(connect()).await);
    report("future_outside", &future_outside(connect()).await);
    report("lines_next", &lines_next(connect()).await);
    report("via_channel", &via_channel(connect()).await);
}
