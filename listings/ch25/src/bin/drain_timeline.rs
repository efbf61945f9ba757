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
    let (signal, shutdown) = oneshot::channel();
    let drain = Duration::from_millis(1500);
    let server = tokio::spawn(ch25::graceful::serve(
        listener,
        async { shutdown.await.unwrap() },
        drain,
    ));
    // ANCHOR: clients
    let mut a = BufReader::new(TcpStream::connect(addr).await.unwrap());
    let mut b = BufReader::new(TcpStream::connect(addr).await.unwrap());
    let client_a = tokio::spawn(async move {
        for (n, secs) in [(1, 0.0), (2, 0.4), (3, 0.8)] {
            sleep_until(at(secs)).await;
            println!("A: got {}", ask(&mut a, &format!("a{n}\n")).await);
        }
        sleep_until(at(1.0)).await;
        a.get_mut().shutdown().await.unwrap(); // half-close
        let rest = a.read_to_end(&mut Vec::new()).await.unwrap();
        println!("A: half-closed; EOF after {rest} more byte(s)");
    });
    let client_b = tokio::spawn(async move {
        sleep_until(at(0.1)).await;
        println!("B: got {}", ask(&mut b, "b1\n").await);
        // B never half-closes: only the drain limit ends it.
        let rest = b.read_to_end(&mut Vec::new()).await.unwrap();
        println!("B: EOF from the server after {rest} more byte(s)");
    });
    sleep_until(at(0.5)).await;
    println!("main: SIGINT");
    signal.send("SIGINT").unwrap();
    sleep_until(at(0.6)).await;
    match TcpStream::connect(addr).await {
        Ok(_) => println!("C: connected (should not happen)"),
        Err(e) => println!("C: {e}"),
    }
    // ANCHOR_END: clients
    let (x, y, z) = tokio::join!(client_a, client_b, server);
    x.and(y).and(z).expect("no task panics");
    println!("main: server returned after {:.2?}", start.elapsed());
}
