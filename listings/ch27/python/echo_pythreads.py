"""The line echo server on Python threads: socketserver's
ThreadingTCPServer starts one OS thread per connection."""

import argparse
import resource
import socket
import socketserver
import sys
import time

MAX_LINE = 8192
TOO_LONG = b"ERR line too long\n"
LINGER = 1.0  # how long a refused client may go on sending (see refuse)
MIN_FILES = 16  # stdin/out/err, epoll, a wake-up pipe, the listener...
FDS_WANTED = 1100  # where the hard limit is refused: 1,000 clients and more


# ANCHOR: echo
class Echo(socketserver.StreamRequestHandler):
    # TCP_NODELAY on each connection (socketserver's default is False):
    # Nagle off, as asyncio does (chapter 27 says why).
    disable_nagle_algorithm = True

    def handle(self):
        try:
            while True:
                # Blocks this thread only; the GIL is released while it
                # waits in recv, so the other threads run meanwhile.
                line = self.rfile.readline(MAX_LINE + 1)
                if not line.endswith(b"\n"):
                    if len(line) > MAX_LINE:
                        self.refuse()
                    return  # the client left, maybe mid-line
                self.wfile.write(line)
        except OSError:
            pass  # a reset or a broken pipe ends this connection only

    def refuse(self):
        """Says why, then hangs up without losing a reply: closing a
        socket with unread input makes Linux reset the connection and drop
        what is still queued to send. So: no more replies (a FIN after the
        ERR line), then read and discard until the client closes, for at
        most LINGER."""
        self.wfile.write(TOO_LONG)  # unbuffered: straight to sendall
        self.connection.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + LINGER
        while (left := deadline - time.monotonic()) > 0:
            self.connection.settimeout(left)
            try:
                if not self.rfile.read1(65536):
                    return
            except TimeoutError:
                return
# ANCHOR_END: echo


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = False
    request_queue_size = 1024


def parse_listen():
    parser = argparse.ArgumentParser(
        prog="echo_pythreads",
        description="echoes every line back; 127.0.0.1:0 picks a free port")
    parser.add_argument("--listen", default="127.0.0.1:7878", metavar="ADDR")
    host, _, port = parser.parse_args().listen.rpartition(":")
    if not host or not port.isdigit():
        sys.exit("error: --listen wants HOST:PORT")
    return host, int(port)


# Chapter 24's, unchanged.
# ANCHOR: raise_fd_limit SAME-AS: listings/ch24/python/echo_asyncio.py#raise_fd_limit
def raise_fd_limit():
    """Soft limit on open files up to the hard limit: one per client. Where
    that is refused (on macOS the hard limit is often unlimited, and
    setrlimit may refuse it as a soft limit), enough for 1,000 clients.
    Fewer than MIN_FILES and the server could not even start: a one-line
    error."""
    infinity = resource.RLIM_INFINITY
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    fallback = FDS_WANTED if hard == infinity else min(FDS_WANTED, hard)
    for wanted in (hard, fallback):
        if soft == infinity or (wanted != infinity and wanted <= soft):
            break
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            break
        except (ValueError, OSError):
            pass  # checked below
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != infinity and soft < MIN_FILES:
        sys.exit(f"error: the open-file limit is {soft}; a server needs "
                 f"at least {MIN_FILES} (ulimit -n)")
# ANCHOR_END: raise_fd_limit


if __name__ == "__main__":
    host, port = parse_listen()
    raise_fd_limit()
    try:
        server = Server((host, port), Echo)
    except OSError as e:
        sys.exit(f"error: cannot listen on {host}:{port}: {e.strerror}")
    host, port = server.server_address[:2]
    print(f"listening on {host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
