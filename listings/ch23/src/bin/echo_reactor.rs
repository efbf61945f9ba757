//! A line echo server on chapter 23's executor and reactor (the protocol
//! of chapters 23 and 24): every `\n`-terminated line comes back
//! unchanged, bytes and not text; a line over 8192 bytes gets
//! `ERR line too long` and its connection is closed; nothing a client does
//! costs more than its own connection.
//!
//! Usage: `echo_reactor [--listen ADDR]` (default 127.0.0.1:7878; port 0
//! picks a free port). The first line on stdout is `listening on
//! HOST:PORT`. The executor, reactor and timers are those of listing 23-2
//! (`reactor_echo`), except that this program never connects, that
//! `block_on` runs the ready tasks in rounds, checking the reactor between
//! rounds, so that one busy connection cannot starve the others, and that
//! `spawn` boxes a future before wrapping it, so that an idle connection
//! costs one copy of its state, not two.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::future::poll_fn;
use std::io::{self, ErrorKind, Read, Write};
use std::mem;
use std::net::{Shutdown, SocketAddr, ToSocketAddrs};
use std::pin::Pin;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use mio::event::Source;
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Token};

/// What the executor stores for each task: the boxed `async` body.
type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

struct Task {
    /// `None` once the body has finished. A `Mutex` because a `Waker` must
    /// be `Send + Sync`, as in chapter 18.
    future: Mutex<Option<BoxFuture>>,
    /// Already in the ready queue: a second wake before the next poll adds
    /// nothing (tokio's task state has a `NOTIFIED` bit for this).
    queued: AtomicBool,
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        if !self.queued.swap(true, Ordering::AcqRel) {
            READY.lock().unwrap().push_back(self);
        }
    }
}

impl Task {
    /// Polls the task once, with a `Waker` that is the task itself.
    fn run(self: Arc<Self>) {
        // Cleared before the poll: a wake during the poll queues it again.
        self.queued.store(false, Ordering::Release);
        let waker = Waker::from(self.clone());
        let mut cx = Context::from_waker(&waker);
        let mut slot = self.future.lock().unwrap();
        if let Some(future) = slot.as_mut()
            && future.as_mut().poll(&mut cx).is_ready()
        {
            *slot = None;
            TASKS.lock().unwrap().remove(&Arc::as_ptr(&self).addr());
        }
    }
}

/// Every unfinished task, by address. The executor owns its tasks (tokio
/// has `OwnedTasks` for this): a task that nobody will wake stays here and
/// hangs, rather than being freed, sockets and all, with its last waker.
static TASKS: Mutex<BTreeMap<usize, Arc<Task>>> = Mutex::new(BTreeMap::new());

/// The ready queue. Unlike chapter 18's it has no condition variable: an
/// empty queue sends the executor to the reactor, not to sleep.
static READY: Mutex<VecDeque<Arc<Task>>> = Mutex::new(VecDeque::new());

/// Where a task's result waits for whoever awaits its `JoinHandle`.
struct JoinState<T> {
    output: Option<T>,
    waiter: Option<Waker>,
}

struct JoinHandle<T>(Arc<Mutex<JoinState<T>>>);

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

impl<T> Future for JoinHandle<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut state = self.0.lock().unwrap();
        match state.output.take() {
            Some(output) => Poll::Ready(output),
            None => {
                state.waiter = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// The tasks waiting for one socket: at most one reader and one writer.
#[derive(Default)]
struct Waiters {
    reader: Option<Waker>,
    writer: Option<Waker>,
}

#[derive(Clone, Copy)]
enum Direction {
    Read,
    Write,
}

struct Reactor {
    /// epoll on Linux. Only this thread calls `poll`.
    poll: mio::Poll,
    events: Events,
    /// Every registered socket has a `Token`; the event carries it back.
    waiters: HashMap<Token, Waiters>,
    next_token: usize,
    /// Timers, soonest first. The key is (deadline, sequence number):
    /// equal deadlines fire in the order they were added.
    timers: BTreeMap<(Instant, u64), Waker>,
    next_timer: u64,
}

thread_local! {
    /// One reactor per executor thread. Leaf futures reach it from here,
    /// since they are only ever polled on this thread.
    static REACTOR: RefCell<Reactor> = RefCell::new(Reactor {
        poll: mio::Poll::new().expect("cannot create the epoll instance"),
        events: Events::with_capacity(1024),
        waiters: HashMap::new(),
        next_token: 0,
        timers: BTreeMap::new(),
        next_timer: 0,
    });
}

impl Reactor {
    /// Registers a socket once, for both directions. mio registrations
    /// are edge-triggered: an event says "became ready", not "is ready".
    fn register(&mut self, source: &mut impl Source) -> io::Result<Token> {
        let token = Token(self.next_token);
        self.next_token += 1;
        let interest = Interest::READABLE | Interest::WRITABLE;
        self.poll.registry().register(source, token, interest)?;
        self.waiters.insert(token, Waiters::default());
        Ok(token)
    }

    fn deregister(&mut self, source: &mut impl Source, token: Token) {
        // The socket is being closed: an error here changes nothing.
        let _ = self.poll.registry().deregister(source);
        self.waiters.remove(&token);
    }

    /// Stores the waker of the task that just got `WouldBlock`. Only the
    /// waker from the latest poll counts (the `Future` contract);
    /// `will_wake` skips the clone when the same task polls again.
    fn wait_for(&mut self, token: Token, dir: Direction, waker: &Waker) {
        let waiters = self.waiters.get_mut(&token).expect("registered");
        let slot = match dir {
            Direction::Read => &mut waiters.reader,
            Direction::Write => &mut waiters.writer,
        };
        if !slot.as_ref().is_some_and(|stored| stored.will_wake(waker)) {
            *slot = Some(waker.clone());
        }
    }

    /// One wait for everything: sockets and the nearest timer. Returns
    /// the wakers of exactly the tasks whose sockets or timers are ready.
    /// `busy`: some task is ready to run, so only look, do not wait.
    fn wait(&mut self, busy: bool) -> io::Result<Vec<Waker>> {
        let nearest = self.timers.keys().next().map(|&(deadline, _)| {
            deadline.saturating_duration_since(Instant::now())
        });
        let timeout = if busy { Some(Duration::ZERO) } else { nearest };
        match self.poll.poll(&mut self.events, timeout) {
            // A signal cut the wait short: treat it as "nothing happened".
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            result => result?,
        }
        let mut woken = Vec::new();
        for event in &self.events {
            let Some(waiters) = self.waiters.get_mut(&event.token()) else {
                continue; // deregistered since
            };
            // Closed and error count as ready: the next read or write
            // reports them. `take`: a waker is used once; the task
            // stores a new one when it meets `WouldBlock` again.
            let failed = event.is_error();
            if event.is_readable() || event.is_read_closed() || failed {
                woken.extend(waiters.reader.take());
            }
            if event.is_writable() || event.is_write_closed() || failed {
                woken.extend(waiters.writer.take());
            }
        }
        let now = Instant::now();
        while let Some(entry) = self.timers.first_entry()
            && entry.key().0 <= now
        {
            woken.push(entry.remove());
        }
        Ok(woken)
    }
}

/// Resolves at `deadline`. One timer entry per `Sleep`: added on the
/// first poll, given the newest waker on later polls, removed when the
/// `Sleep` finishes or is dropped.
fn sleep_until(deadline: Instant) -> Sleep {
    Sleep {
        deadline,
        key: None,
    }
}

struct Sleep {
    deadline: Instant,
    key: Option<(Instant, u64)>,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.deadline {
            self.cancel();
            return Poll::Ready(());
        }
        let (deadline, key) = (self.deadline, self.key);
        let key = REACTOR.with_borrow_mut(|r| match key {
            Some(key) => {
                // Still there: the reactor removes an entry only once its
                // deadline has passed, and then we returned `Ready` above.
                let stored = r.timers.get_mut(&key).expect("timer entry");
                if !stored.will_wake(cx.waker()) {
                    *stored = cx.waker().clone();
                }
                key
            }
            None => {
                let key = (deadline, r.next_timer);
                r.next_timer += 1;
                r.timers.insert(key, cx.waker().clone());
                key
            }
        });
        self.key = Some(key);
        Poll::Pending
    }
}

impl Sleep {
    fn cancel(&mut self) {
        if let Some(key) = self.key.take() {
            // `try_with`: at thread exit the reactor may be gone already.
            let _ = REACTOR.try_with(|r| r.borrow_mut().timers.remove(&key));
        }
    }
}

impl Drop for Sleep {
    /// A `Sleep` dropped early (a timeout that lost the race) must not
    /// leave a waker behind that fires later for nothing.
    fn drop(&mut self) {
        self.cancel();
    }
}

/// A non-blocking mio socket, registered with the reactor while it lives.
struct Async<T: Source> {
    io: T,
    token: Token,
}

impl<T: Source> Async<T> {
    fn new(mut io: T) -> io::Result<Self> {
        let token = REACTOR.with_borrow_mut(|r| r.register(&mut io))?;
        Ok(Async { io, token })
    }

    /// Tries `op` now. Only on `WouldBlock` does it store the task's
    /// waker with the reactor, and then returns `Pending`: the reactor
    /// will wake the task when the socket becomes ready.
    fn poll_io<R>(
        &mut self,
        cx: &mut Context<'_>,
        dir: Direction,
        mut op: impl FnMut(&mut T) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        loop {
            match op(&mut self.io) {
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    let (token, waker) = (self.token, cx.waker());
                    REACTOR.with_borrow_mut(|r| r.wait_for(token, dir, waker));
                    return Poll::Pending;
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                result => return Poll::Ready(result),
            }
        }
    }
}

impl<T: Source> Drop for Async<T> {
    fn drop(&mut self) {
        let token = self.token;
        // `try_with`: at thread exit the reactor may be gone already.
        let _ = REACTOR
            .try_with(|r| r.borrow_mut().deregister(&mut self.io, token));
    }
}

impl Async<TcpStream> {
    fn poll_read(
        &mut self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_io(cx, Direction::Read, |s| s.read(buf))
    }

    fn poll_write(
        &mut self,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_io(cx, Direction::Write, |s| s.write(buf))
    }

    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        poll_fn(|cx| self.poll_read(cx, buf)).await
    }

    /// A write may take only part of the buffer (the socket's send buffer
    /// is full): write the rest once the socket is writable again.
    async fn write_all(&mut self, mut buf: &[u8]) -> io::Result<()> {
        while !buf.is_empty() {
            let n = poll_fn(|cx| self.poll_write(cx, buf)).await?;
            if n == 0 {
                return Err(ErrorKind::WriteZero.into());
            }
            buf = &buf[n..];
        }
        Ok(())
    }
}

impl Async<TcpListener> {
    fn bind(addr: SocketAddr) -> io::Result<Self> {
        let listener = TcpListener::bind(addr)?;
        // mio's `bind` asks for a backlog of 128, the Python twin for
        // 1024: a thousand clients connecting at once overflow 128 (the
        // kernel drops their SYNs; they retry a second later). On Linux,
        // `listen` on a listening socket changes only its backlog.
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            // SAFETY: listen(2) on a descriptor this listener owns.
            if unsafe { libc::listen(listener.as_raw_fd(), BACKLOG) } != 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Async::new(listener)
    }

    async fn accept(&mut self) -> io::Result<Async<TcpStream>> {
        let (stream, _peer) =
            poll_fn(|cx| self.poll_io(cx, Direction::Read, |l| l.accept()))
                .await?;
        // Nagle off: otherwise an echo may wait for the client to
        // acknowledge the previous one, and a client delays that
        // acknowledgement until it sends again (chapter 27). Should this
        // fail, only latency suffers.
        let _ = stream.set_nodelay(true);
        Async::new(stream)
    }
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
            .with_borrow_mut(|r| r.wait(busy))
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
/// What to ask for where the hard limit is refused: 1,000 connections and
/// room to spare.
const FDS_WANTED: u64 = 1100;
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
            Ok(conn) => drop(spawn(serve(conn))),
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

fn is_fd_exhaustion(e: &io::Error) -> bool {
    #[cfg(unix)]
    return matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE));
    #[cfg(not(unix))]
    return false;
}

/// Raises the soft limit on open files to the hard limit (a process may
/// do that without privileges) and returns the limit now in force. Neither
/// std nor mio wraps `setrlimit`, hence libc.
#[cfg(unix)]
fn raise_fd_limit() -> io::Result<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct we pass.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // The hard limit first. On macOS the hard limit is often unlimited and
    // setrlimit(2) may refuse that as a soft limit (its man page says to use
    // min(OPEN_MAX, rlim_max)): then ask for enough for 1,000 clients.
    for wanted in [limit.rlim_max, FDS_WANTED.min(limit.rlim_max)] {
        if wanted <= limit.rlim_cur {
            break;
        }
        let raised = libc::rlimit {
            rlim_cur: wanted,
            ..limit
        };
        // SAFETY: setrlimit only reads the struct we pass.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            limit = raised;
            break;
        }
    }
    Ok(limit.rlim_cur)
}

#[cfg(not(unix))]
fn raise_fd_limit() -> io::Result<u64> {
    Ok(u64::MAX)
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
    let listener = Async::bind(addr)
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
