//! What the server checks' clients need from the kernel and std does not
//! offer: a reset instead of a close, a small receive buffer, waiting for
//! readiness, and room for a thousand open sockets. Through `libc`, whose
//! declarations and constants are right for each target, instead of
//! declarations of our own.

use std::io;
use std::mem;
use std::net::TcpStream;
use std::os::fd::AsRawFd;
use std::time::Duration;

/// Sets one socket option to `value`, whose C type the option's manual
/// page names (`int`, `struct linger`).
fn set_option<T>(
    socket: &TcpStream,
    level: libc::c_int,
    name: libc::c_int,
    value: &T,
) -> io::Result<()> {
    let len = libc::socklen_t::try_from(mem::size_of::<T>())
        .expect("an option value is a few bytes");
    // SAFETY: the descriptor is an open socket for as long as `socket` is
    // borrowed; the kernel reads `len` bytes from `value`, which is a live
    // `T` of exactly that size.
    let rc = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            level,
            name,
            (value as *const T).cast(),
            len,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Closes with a reset (RST), as a client that crashes does: `SO_LINGER`
/// on with a timeout of 0, then close.
pub fn reset(socket: TcpStream) -> Result<(), String> {
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    set_option(&socket, libc::SOL_SOCKET, libc::SO_LINGER, &linger)
        .map_err(|e| format!("setsockopt(SO_LINGER): {e}"))?;
    drop(socket);
    Ok(())
}

/// Shrinks the socket's receive buffer to 4 KiB (the kernel doubles it
/// for its own bookkeeping): a client that does not read then leaves the
/// server's replies waiting in the server's send buffer, where a reset
/// would throw them away.
pub fn small_receive_buffer(socket: &TcpStream) -> Result<(), String> {
    let size: libc::c_int = 4096;
    set_option(socket, libc::SOL_SOCKET, libc::SO_RCVBUF, &size)
        .map_err(|e| format!("setsockopt(SO_RCVBUF): {e}"))
}

/// What [`wait_ready`] waits for.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct Ready {
    pub read: bool,
    pub write: bool,
}

/// Waits until the socket is ready for `ready` or `timeout` passes
/// (between 1 ms and 1 s). The caller tries again either way, so the
/// result is not needed.
pub fn wait_ready(socket: &TcpStream, ready: Ready, timeout: Duration) {
    let ms = timeout.as_millis().clamp(1, 1000) as libc::c_int;
    if ready == Ready::default() {
        // poll() would still return at once on a hang-up.
        std::thread::sleep(Duration::from_millis(ms as u64));
        return;
    }
    let mut events = 0;
    if ready.read {
        events |= libc::POLLIN;
    }
    if ready.write {
        events |= libc::POLLOUT;
    }
    let mut fd = libc::pollfd {
        fd: socket.as_raw_fd(),
        events,
        revents: 0,
    };
    // SAFETY: one valid `struct pollfd` and a count of one.
    unsafe {
        libc::poll(&mut fd, 1, ms);
    }
}

/// This process holds a thousand sockets at once, and the servers it
/// starts inherit its limits: raise the soft limit on open files to the
/// hard limit (the soft one is often 1024). Best effort: a check that
/// still runs out of descriptors says so itself.
pub fn raise_fd_limit() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: both calls only read or write the struct passed to them.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{ErrorKind, Read, Write};
    use std::net::TcpListener;

    fn pair() -> (TcpStream, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client =
            TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        (client, server)
    }

    #[test]
    fn reset_makes_the_peer_see_a_reset() {
        let (client, mut server) = pair();
        reset(client).unwrap();
        server
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let error = server.read(&mut [0; 16]).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ConnectionReset);
    }

    #[test]
    fn the_small_receive_buffer_is_what_the_kernel_reports() {
        let (client, _server) = pair();
        small_receive_buffer(&client).unwrap();
        let mut size: libc::c_int = 0;
        let mut len = mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: an open socket, and `size` and `len` live and as large
        // as `len` says.
        let rc = unsafe {
            libc::getsockopt(
                client.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVBUF,
                (&mut size as *mut libc::c_int).cast(),
                &mut len,
            )
        };
        assert_eq!(rc, 0);
        // Linux doubles the value for its bookkeeping (socket(7)).
        assert_eq!(size, 2 * 4096);
    }

    #[test]
    fn wait_ready_returns_when_data_arrives() {
        let (client, mut server) = pair();
        server.write_all(b"x").unwrap();
        let ready = Ready {
            read: true,
            write: false,
        };
        let start = std::time::Instant::now();
        wait_ready(&client, ready, Duration::from_secs(1));
        assert!(start.elapsed() < Duration::from_millis(900));
    }
}
