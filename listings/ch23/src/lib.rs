//! Chapter 18's executor with a reactor, shared by the programs of this
//! chapter: tasks and their `JoinHandle`s, the reactor (one `mio::Poll`
//! for every socket and the timers), `Sleep`, the `Async` socket wrapper
//! and `block_on`. Listing 23-2 (`reactor_echo`) runs on it as it is;
//! `echo_reactor` brings its own `spawn` and `block_on` (chapter 23 says
//! why) and uses the rest.
//!
//! Chapter 18's executor slept on a condition variable and a timer thread
//! woke it. Here the executor's only way to wait is the reactor: one
//! `mio::Poll::poll` call (epoll on Linux) that returns when a registered
//! socket becomes ready or the nearest timer is due, and wakes exactly the
//! tasks that wait for those.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::future::poll_fn;
use std::io::{self, ErrorKind, Read, Write};
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Instant;

use mio::event::Source;
use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Token};

// ANCHOR: task
/// What the executor stores for each task: the boxed `async` body.
pub type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

pub struct Task {
    /// `None` once the body has finished. A `Mutex` because a `Waker` must
    /// be `Send + Sync`, as in chapter 18.
    pub future: Mutex<Option<BoxFuture>>,
    /// Already in the ready queue: a second wake before the next poll adds
    /// nothing (tokio's task state has a `NOTIFIED` bit for this).
    pub queued: AtomicBool,
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
    pub fn run(self: Arc<Self>) {
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
pub static TASKS: Mutex<BTreeMap<usize, Arc<Task>>> =
    Mutex::new(BTreeMap::new());

/// The ready queue. Unlike chapter 18's it has no condition variable: an
/// empty queue sends the executor to the reactor, not to sleep.
pub static READY: Mutex<VecDeque<Arc<Task>>> = Mutex::new(VecDeque::new());
// ANCHOR_END: task

// ANCHOR: spawn
/// Where a task's result waits for whoever awaits its `JoinHandle`.
pub struct JoinState<T> {
    pub output: Option<T>,
    pub waiter: Option<Waker>,
}

pub struct JoinHandle<T>(pub Arc<Mutex<JoinState<T>>>);

/// Starts `future` as a task of its own (chapter 18's `spawn`).
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let state = Arc::new(Mutex::new(JoinState {
        output: None,
        waiter: None,
    }));
    let shared = state.clone();
    let body = async move {
        let output = future.await;
        let mut state = shared.lock().unwrap();
        state.output = Some(output);
        if let Some(waiter) = state.waiter.take() {
            waiter.wake();
        }
    };
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
// ANCHOR_END: spawn

// ANCHOR: reactor
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

pub struct Reactor {
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
    pub static REACTOR: RefCell<Reactor> = RefCell::new(Reactor {
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
    pub fn wait(&mut self) -> io::Result<Vec<Waker>> {
        let timeout = self.timers.keys().next().map(|&(deadline, _)| {
            deadline.saturating_duration_since(Instant::now())
        });
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
// ANCHOR_END: reactor

// ANCHOR: sleep
/// Resolves at `deadline`. One timer entry per `Sleep`: added on the
/// first poll, given the newest waker on later polls, removed when the
/// `Sleep` finishes or is dropped.
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep {
        deadline,
        key: None,
    }
}

pub struct Sleep {
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
// ANCHOR_END: sleep

// ANCHOR: async_io
/// A non-blocking mio socket, registered with the reactor while it lives.
pub struct Async<T: Source> {
    pub io: T,
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
    pub fn poll_read(
        &mut self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_io(cx, Direction::Read, |s| s.read(buf))
    }

    pub fn poll_write(
        &mut self,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_io(cx, Direction::Write, |s| s.write(buf))
    }

    pub async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        poll_fn(|cx| self.poll_read(cx, buf)).await
    }

    /// A write may take only part of the buffer (the socket's send buffer
    /// is full): write the rest once the socket is writable again.
    pub async fn write_all(&mut self, mut buf: &[u8]) -> io::Result<()> {
        while !buf.is_empty() {
            let n = poll_fn(|cx| self.poll_write(cx, buf)).await?;
            if n == 0 {
                return Err(ErrorKind::WriteZero.into());
            }
            buf = &buf[n..];
        }
        Ok(())
    }

    /// A non-blocking connect returns at once; the socket becomes
    /// writable when the handshake is over (the steps in mio's
    /// `TcpStream::connect` documentation).
    pub async fn connect(addr: SocketAddr) -> io::Result<Self> {
        let mut stream = Async::new(TcpStream::connect(addr)?)?;
        poll_fn(|cx| {
            stream.poll_io(cx, Direction::Write, |s| {
                if let Some(e) = s.take_error()? {
                    return Err(e);
                }
                match s.peer_addr() {
                    Ok(_) => Ok(()),
                    Err(e) if still_connecting(&e) => {
                        Err(ErrorKind::WouldBlock.into())
                    }
                    Err(e) => Err(e),
                }
            })
        })
        .await?;
        Ok(stream)
    }
}

/// `peer_addr` on a socket whose handshake is still going on: mio's docs
/// name `NotConnected` (what Linux gives) and `EINPROGRESS`.
fn still_connecting(e: &io::Error) -> bool {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::EINPROGRESS) {
        return true;
    }
    e.kind() == ErrorKind::NotConnected
}

impl Async<TcpListener> {
    pub fn bind(addr: SocketAddr) -> io::Result<Self> {
        Async::new(TcpListener::bind(addr)?)
    }

    pub async fn accept(&mut self) -> io::Result<Async<TcpStream>> {
        let (stream, _peer) =
            poll_fn(|cx| self.poll_io(cx, Direction::Read, |l| l.accept()))
                .await?;
        Async::new(stream)
    }
}
// ANCHOR_END: async_io

// ANCHOR: block_on
/// Runs `future` and the tasks it spawns until `future` finishes.
pub fn block_on<F>(future: F) -> F::Output
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let main_task = spawn(future);
    loop {
        // Run every ready task; a task may make others ready.
        loop {
            let next = READY.lock().unwrap().pop_front();
            match next {
                Some(task) => task.run(),
                None => break,
            }
        }
        if let Some(output) = main_task.0.lock().unwrap().output.take() {
            return output;
        }
        // Nothing to run: wait in the reactor. Every wake here comes from
        // this thread; a wake from another thread would also have to
        // interrupt `poll` (mio's `Waker`, tokio's `TOKEN_WAKEUP`).
        let woken = REACTOR
            .with_borrow_mut(Reactor::wait)
            .expect("epoll_wait failed");
        woken.into_iter().for_each(Waker::wake);
    }
}
// ANCHOR_END: block_on

impl Reactor {
    // ANCHOR: look
    /// Like `wait`, but returns at once: for an executor that still has
    /// ready tasks and only wants to hear which sockets became ready
    /// meanwhile. A timer due now, with no task behind it, makes `wait`'s
    /// timeout zero; `wait` removes it with the other due timers.
    pub fn look(&mut self) -> io::Result<Vec<Waker>> {
        let key = (Instant::now(), self.next_timer);
        self.next_timer += 1;
        self.timers.insert(key, Waker::noop().clone());
        self.wait()
    }
    // ANCHOR_END: look

    /// How many timers are waiting: every `Sleep` removes its own entry
    /// when it finishes or is dropped, so a program that is done has none.
    pub fn timers_left(&self) -> usize {
        self.timers.len()
    }
}

/// What to ask for where the hard limit is refused: 1,000 connections and
/// room to spare.
pub const FDS_WANTED: u64 = 1100;

/// Raises the soft limit on open files to the hard limit (a process may
/// do that without privileges) and returns the limit now in force. Neither
/// std nor mio wraps `setrlimit`, hence libc.
// ANCHOR: raise_fd_limit
#[cfg(unix)]
pub fn raise_fd_limit() -> io::Result<u64> {
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
pub fn raise_fd_limit() -> io::Result<u64> {
    Ok(u64::MAX)
}
// ANCHOR_END: raise_fd_limit
