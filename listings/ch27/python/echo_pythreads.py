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


def raise_fd_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ValueError, OSError):
        pass


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
