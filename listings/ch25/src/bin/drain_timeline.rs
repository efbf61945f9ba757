//! The graceful shutdown of `echo_graceful`, in one process so that every
//! event has a place on one clock: client A finishes its work during the
//! drain, client B never half-closes and is cut at the drain limit,
//! client C arrives after the signal and is refused.
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::time::sleep_until;

/// Sends `text` and reads its echo.
async fn ask(reader: &mut BufReader<TcpStream>, text: &str) -> String {
    reader.get_mut().write_all(text.as_bytes()).await.unwrap();
    let mut echoed = String::new();
    reader.read_line(&mut echoed).await.unwrap();
    echoed.trim_end().to_string()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let start = tokio::time::Instant::now();
    let at = move |secs: f64| start + Duration::from_secs_f64(secs);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // ANCHOR: clients
    let (signal, shutdown) = oneshot::channel();
    let (heard, server_heard) = oneshot::channel();
    let shutdown = async {
        let name = shutdown.await.unwrap();
        // From here `serve` does not wait for anything until it has
        // closed the listener and printed that it stopped accepting.
        heard.send(()).unwrap();
        name
    };
    let drain = Duration::from_millis(1500);
    let server = tokio::spawn(ch25::graceful::serve(listener, shutdown, drain));
    // One task plays every client in turn, and waits for the server
    // where a server line comes between, so a busy machine can make a
    // line late but never out of order. The times only space the events
    // out on the timeline.
    let mut a = BufReader::new(TcpStream::connect(addr).await.unwrap());
    let mut b = BufReader::new(TcpStream::connect(addr).await.unwrap());
    println!("A: got {}", ask(&mut a, "a1\n").await);
    sleep_until(at(0.1)).await;
    println!("B: got {}", ask(&mut b, "b1\n").await);
    sleep_until(at(0.4)).await;
    println!("A: got {}", ask(&mut a, "a2\n").await);
    sleep_until(at(0.5)).await;
    println!("main: SIGINT");
    signal.send("SIGINT").unwrap();
    // A late sleep can be over at once; C must not connect before the
    // server has taken the signal, or the listener may still accept it.
    server_heard.await.unwrap();
    sleep_until(at(0.6)).await;
    match TcpStream::connect(addr).await {
        Ok(_) => println!("C: connected (should not happen)"),
        Err(e) => println!("C: {e}"),
    }
    sleep_until(at(0.8)).await;
    println!("A: got {}", ask(&mut a, "a3\n").await);
    sleep_until(at(1.0)).await;
    a.get_mut().shutdown().await.unwrap(); // half-close
    let rest = a.read_to_end(&mut Vec::new()).await.unwrap();
    println!("A: half-closed; EOF after {rest} more byte(s)");
    // B never half-closes: only the drain limit ends it, and the server
    // returns only after it has cut B and closed B's socket.
    server.await.expect("the server does not panic");
    println!("main: server returned after {:.2?}", start.elapsed());
    let rest = b.read_to_end(&mut Vec::new()).await.unwrap();
    println!("B: EOF from the server after {rest} more byte(s)");
    // ANCHOR_END: clients
}
