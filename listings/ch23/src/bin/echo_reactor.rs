//! A line echo server on chapter 23's executor and reactor (the protocol
//! of chapters 23 and 24): every `\n`-terminated line comes back
//! unchanged, bytes and not text; a line over 8192 bytes gets
//! `ERR line too long` and its connection is closed; nothing a client does
//! costs more than its own connection.
//!
//! Usage: `echo_reactor [--listen ADDR]` (default 127.0.0.1:7878; port 0
//! picks a free port). The first line on stdout is `listening on
//! HOST:PORT`. The reactor, timers and sockets are this chapter's library
//! (`src/lib.rs`, listing 23-2). The executor is its own in two places:
//! `block_on` runs the ready tasks in rounds, checking the reactor between
//! rounds, so that one busy connection cannot starve the others, and
//! `spawn` boxes a future before wrapping it, so that an idle connection
//! costs one copy of its state, not two.

use std::future::poll_fn;
use std::io::{self, ErrorKind, Write};
use std::mem;
use std::net::{Shutdown, SocketAddr, ToSocketAddrs};
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::task::{Poll, Wake, Waker};
use std::time::{Duration, Instant};

use ch23::{
    Async, JoinHandle, JoinState, REACTOR, READY, TASKS, Task, raise_fd_limit,
    sleep_until,
};
use mio::net::{TcpListener, TcpStream};

/// Starts `future` as a task of its own (chapter 18's `spawn`, but the
/// future is boxed before it is wrapped).
fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let state = Arc::new(Mutex::new(JoinState {
        output: None,
        waiter: None,
    }));
    let shared = state.clone();
    // ANCHOR: box_once
    // Boxed once, here: `body` then holds only a pointer. Were `future`
    // captured by value and awaited, `body`'s state would hold it twice,
    // once as the captured variable and once as the future being awaited
    // (rust-lang/rust#62958), and `Box::pin(body)` would copy both.
    let mut future = Box::pin(future);
    let body = async move {
        let output = future.as_mut().await;
        let mut state = shared.lock().unwrap();
        state.output = Some(output);
        if let Some(waiter) = state.waiter.take() {
            waiter.wake();
        }
    };
    // ANCHOR_END: box_once
    let task = Arc::new(Task {
        future: Mutex::new(Some(Box::pin(body))),
        queued: AtomicBool::new(false),
    });
    TASKS
        .lock()
        .unwrap()
        .insert(Arc::as_ptr(&task).addr(), task.clone());
    task.wake();
    JoinHandle(state)
}

// ANCHOR: block_on
/// Runs `future` and the tasks it spawns until `future` finishes.
fn block_on<F>(future: F) -> F::Output
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let main_task = spawn(future);
    loop {
        // One round: the tasks that are ready now. A task woken during the
        // round (one that yielded, say) runs in the next one, after the
        // reactor has had its turn: otherwise a task that is always ready
        // would keep every socket's event waiting.
        let round: Vec<_> = READY.lock().unwrap().drain(..).collect();
        round.into_iter().for_each(Task::run);
        if let Some(output) = main_task.0.lock().unwrap().output.take() {
            return output;
        }
        // Ask the reactor: wait if nothing is ready, only look if some
        // task is. Every wake here comes from this thread; a wake from
        // another thread would also have to interrupt `poll` (mio's
        // `Waker`, tokio's `TOKEN_WAKEUP`).
        let busy = !READY.lock().unwrap().is_empty();
        let woken = REACTOR
            .with_borrow_mut(|r| if busy { r.look() } else { r.wait() })
            .expect("epoll_wait failed");
        woken.into_iter().for_each(Waker::wake);
    }
}
// ANCHOR_END: block_on

// ---- the server ----

/// The longest line echoed, not counting its `\n`.
const MAX_LINE: usize = 8192;
/// Open files besides the connections: stdin/out/err, the listener, epoll.
const OTHER_FILES: u64 = 5;
/// Below this, hardly a connection fits: refuse to start (as the servers
/// of chapter 24 do).
const MIN_FILES: u64 = 16;
/// How long a refused connection may keep sending before we close it.
const LINGER: Duration = Duration::from_secs(1);
/// Connections the kernel may complete before we accept them.
#[cfg(unix)]
const BACKLOG: libc::c_int = 1024;

// ANCHOR: serve
/// One connection. Whatever goes wrong here (a reset, a client that
/// vanishes mid-line) ends this task and closes this socket, nothing more.
async fn serve(mut conn: Async<TcpStream>) -> io::Result<()> {
    // Bytes received but not yet echoed: at most one unfinished line,
    // so at most MAX_LINE + one read.
    let mut pending = Vec::new();
    let mut buf = [0; 8192];
    loop {
        let n = conn.read(&mut buf).await?;
        if n == 0 {
            return Ok(()); // closed; an unfinished line goes with it
        }
        pending.extend_from_slice(&buf[..n]);
        // Echo every complete line, in one write; stop at a long one.
        let mut done = 0;
        let mut too_long = false;
        while let Some(i) = pending[done..].iter().position(|&b| b == b'\n') {
            if i > MAX_LINE {
                too_long = true;
                break;
            }
            done += i + 1;
        }
        too_long |= pending.len() - done > MAX_LINE;
        conn.write_all(&pending[..done]).await?;
        pending.drain(..done);
        if too_long {
            // `buf` lent, not a second 8 KiB array in `refuse`: every
            // local that lives across an `.await` is a field of this
            // task's state, and so is the future being awaited.
            return refuse(conn, &mut buf).await;
        }
        // A client that keeps sending never makes `read` return `Pending`:
        // give the other connections their turn.
        yield_now().await;
    }
}

/// Returns `Pending` once, having woken its own task: the task goes to
/// the back of the ready queue (tokio does this for every task that has
/// used up its budget of 128 operations, `task/coop`).
async fn yield_now() {
    let mut yielded = false;
    poll_fn(|cx| {
        if mem::replace(&mut yielded, true) {
            return Poll::Ready(());
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    })
    .await
}

/// Says why, then closes. Closing a socket with unread input makes Linux
/// send a reset instead of a normal close, and the client may lose the
/// `ERR` line; so stop writing, then read and discard until the client
/// closes too, for at most `LINGER`.
async fn refuse(
    mut conn: Async<TcpStream>,
    discard: &mut [u8],
) -> io::Result<()> {
    conn.write_all(b"ERR line too long\n").await?;
    conn.io.shutdown(Shutdown::Write)?;
    let mut timer = sleep_until(Instant::now() + LINGER);
    poll_fn(|cx| {
        if Pin::new(&mut timer).poll(cx).is_ready() {
            return Poll::Ready(());
        }
        match conn.poll_read(cx, discard) {
            Poll::Ready(Ok(0) | Err(_)) => Poll::Ready(()),
            // Discarded; poll again after the others had their turn.
            Poll::Ready(Ok(_)) => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Poll::Pending => Poll::Pending,
        }
    })
    .await;
    Ok(())
}

// ANCHOR_END: serve

/// Accepts forever; each connection is a task of its own.
async fn accept_loop(mut listener: Async<TcpListener>) {
    let mut warned = false;
    loop {
        match listener.accept().await {
            Ok(conn) => {
                // Nagle off: otherwise an echo may wait for the client to
                // acknowledge the previous one, and a client delays that
                // acknowledgement until it sends again (chapter 27). Should
                // this fail, only latency suffers.
                let _ = conn.io.set_nodelay(true);
                drop(spawn(serve(conn)));
            }
            // Out of file descriptors: the connection waits in the
            // backlog. Retrying at once would spin, so pause.
            Err(e) if is_fd_exhaustion(&e) => {
                if !mem::replace(&mut warned, true) {
                    eprintln!("echo_reactor: {e}; pausing accept");
                }
                sleep_until(Instant::now() + Duration::from_millis(100)).await;
            }
            // The client gave up before we accepted: not our problem.
            Err(e) if e.kind() == ErrorKind::ConnectionAborted => {}
            // Anything else (ENOBUFS, a network error that accept(2)
            // says to treat like EAGAIN, an epoll_ctl that failed in
            // `Async::new`) is about one connection or passes: the
            // connected clients go on, and accept tries again later.
            Err(e) => {
                eprintln!("echo_reactor: accept failed: {e}");
                sleep_until(Instant::now() + Duration::from_millis(100)).await;
            }
        }
    }
}

/// `Async::bind`, with a longer backlog. mio's `bind` asks for 128, the
/// Python twin for 1024: a thousand clients connecting at once overflow 128
/// (the kernel drops their SYNs; they retry a second later). On Linux,
/// `listen` on a listening socket changes only its backlog.
fn bind_with_backlog(addr: SocketAddr) -> io::Result<Async<TcpListener>> {
    let listener = Async::bind(addr)?;
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: listen(2) on a descriptor this listener owns.
        if unsafe { libc::listen(listener.io.as_raw_fd(), BACKLOG) } != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(listener)
}

fn is_fd_exhaustion(e: &io::Error) -> bool {
    #[cfg(unix)]
    return matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE));
    #[cfg(not(unix))]
    return false;
}

const USAGE: &str = "usage: echo_reactor [--listen ADDR]
  echoes every line back; default ADDR 127.0.0.1:7878,
  127.0.0.1:0 picks a free port";

fn parse_args() -> Result<String, String> {
    let mut listen = String::from("127.0.0.1:7878");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => {
                listen = args.next().ok_or("--listen needs an address")?;
            }
            "--help" | "-h" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            _ => {
                return Err(format!("unknown argument {arg:?} (try --help)"));
            }
        }
    }
    Ok(listen)
}

fn run() -> Result<(), String> {
    let listen = parse_args()?;
    let fds = raise_fd_limit()
        .map_err(|e| format!("cannot read the open-file limit: {e}"))?;
    if fds < MIN_FILES {
        return Err(format!(
            "the open-file limit is {fds}; a server needs at least \
             {MIN_FILES} (ulimit -n)"
        ));
    }
    let addr = listen
        .to_socket_addrs()
        .ok()
        .and_then(|mut addrs| addrs.next())
        .ok_or(format!(
            "{listen:?} is not an address such as 127.0.0.1:7878"
        ))?;
    let listener = bind_with_backlog(addr)
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.io.local_addr().map_err(|e| e.to_string())?;
    // Whoever started us reads this line to learn the port: flush it now.
    println!("listening on {local}");
    // One file per connection: beyond this many, accept pauses. (No
    // line where there is no such limit: `u64::MAX` from `raise_fd_limit`.)
    if fds < u64::MAX {
        println!(
            "open-file limit {fds}: up to {} connections at once",
            fds - OTHER_FILES
        );
    }
    io::stdout().flush().map_err(|e| e.to_string())?;
    block_on(accept_loop(listener));
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("echo_reactor: {message}");
            ExitCode::FAILURE
        }
    }
}
