//! 练习 23-1：反应器上的超时。
//!
//! 给本章的执行器（`src/lib.rs`，示例 23-2）写 `timeout(时长, future)`：
//! `future` 先完成，得到 `Some(结果)`；时间先到，得到 `None`，并丢弃
//! `future`。服务器用它给每个连接加上空闲超时：300 毫秒内没有收到任何数据
//! 就关闭连接。一个客户端每 100 毫秒发一行，共 5 行；另一个连上以后一言
//! 不发。要写的是 `Timeout` 的 `poll`。
//!
//! 检查：cargo xtask exercise reactor_timeout

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use ch23::{Async, REACTOR, Sleep, block_on, sleep_until, spawn};
use mio::net::TcpStream;

// ANCHOR: exercise
/// `future`, or `None` if `duration` passes first.
fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future: Box::pin(future),
        sleep: sleep_until(Instant::now() + duration),
    }
}

/// Both fields are `Unpin` (the future is boxed), so `Timeout` is too.
struct Timeout<F> {
    future: Pin<Box<F>>,
    sleep: Sleep,
}

// ---- 练习：从这里开始 ----
impl<F: Future> Future for Timeout<F> {
    type Output = Option<F::Output>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        // The future first: if it is done, the time no longer matters.
        if let Poll::Ready(output) = this.future.as_mut().poll(cx) {
            return Poll::Ready(Some(output));
        }
        // Then the timer. `None` drops the `Timeout`, and the future in
        // it: that is the cancellation.
        if Pin::new(&mut this.sleep).poll(cx).is_ready() {
            return Poll::Ready(None);
        }
        // Both have handed `cx.waker()` to the reactor (a socket waiter, a
        // timer entry): whichever comes first wakes us.
        Poll::Pending
    }
}
// ---- 练习：到这里结束 ----
// ANCHOR_END: exercise

const IDLE: Duration = Duration::from_millis(300);

/// Echoes until the client leaves or stays silent for `IDLE`. A new
/// `timeout` for every read: the limit is on silence, not on the whole
/// connection.
async fn echo(mut conn: Async<TcpStream>) -> io::Result<()> {
    let mut buf = [0; 1024];
    loop {
        let Some(read) = timeout(IDLE, conn.read(&mut buf)).await else {
            return Ok(()); // idle too long: dropping `conn` closes it
        };
        let n = read?;
        if n == 0 {
            return Ok(());
        }
        conn.write_all(&buf[..n]).await?;
    }
}

/// Sends a line every 100 ms, five times: 500 ms in all, but never silent
/// for 300 ms.
async fn chatty(server: SocketAddr) -> io::Result<()> {
    let mut conn = Async::<TcpStream>::connect(server).await?;
    let mut buf = [0; 64];
    for i in 1..=5 {
        sleep_until(Instant::now() + Duration::from_millis(100)).await;
        let line = format!("line {i}\n");
        conn.write_all(line.as_bytes()).await?;
        let n = conn.read(&mut buf).await?;
        assert_eq!(&buf[..n], line.as_bytes());
    }
    println!("chatty client: 5 lines echoed, then it left");
    Ok(())
}

/// Says nothing and waits for the server to give up on it.
async fn quiet(server: SocketAddr) -> io::Result<()> {
    let start = Instant::now();
    let mut conn = Async::<TcpStream>::connect(server).await?;
    let n = conn.read(&mut [0; 64]).await?;
    assert_eq!(n, 0, "the server sent something");
    println!(
        "quiet client: closed by the server after {:.3?}",
        start.elapsed()
    );
    Ok(())
}

fn main() -> io::Result<()> {
    block_on(async {
        let mut listener = Async::bind("127.0.0.1:0".parse().unwrap())?;
        let server = listener.io.local_addr()?;
        spawn(async move {
            while let Ok(conn) = listener.accept().await {
                drop(spawn(echo(conn)));
            }
        });
        let quiet = spawn(quiet(server));
        let chatty = spawn(chatty(server));
        quiet.await?;
        chatty.await?;
        // Give the server a moment to see the chatty client leave.
        sleep_until(Instant::now() + Duration::from_millis(50)).await;
        Ok::<(), io::Error>(())
    })?;
    // Every `Sleep` removes its entry when it finishes or is dropped.
    let left = REACTOR.with_borrow(|r| r.timers_left());
    println!("timer entries left: {left}");
    Ok(())
}
