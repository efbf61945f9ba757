"""The line echo server on gevent: one greenlet per connection."""

import argparse
import resource
import sys

from gevent.server import StreamServer

MAX_LINE = 8192
TOO_LONG = b"ERR line too long\n"


# ANCHOR: echo
def echo(sock, address):
    # StreamServer hands over a gevent socket: a blocking-looking read
    # switches to the hub, which runs other greenlets until data arrives.
    reader = sock.makefile("rb")
    try:
        while True:
            # At most one byte more than a line may hold.
            line = reader.readline(MAX_LINE + 1)
            if not line.endswith(b"\n"):
                if len(line) > MAX_LINE:
                    sock.sendall(TOO_LONG)
                return  # the client left, maybe mid-line
            sock.sendall(line)
    except OSError:
        pass  # a reset or a broken pipe ends this connection only
    finally:
        reader.close()
# ANCHOR_END: echo


def parse_listen():
    parser = argparse.ArgumentParser(
        prog="echo_gevent",
        description="echoes every line back; 127.0.0.1:0 picks a free port")
    parser.add_argument("--listen", default="127.0.0.1:7878", metavar="ADDR")
    host, _, port = parser.parse_args().listen.rpartition(":")
    if not host or not port.isdigit():
        sys.exit("error: --listen wants HOST:PORT")
    return host, int(port)


def raise_fd_limit():
    """Soft limit on open files up to the hard limit: one per client."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    except (ValueError, OSError):
        pass


if __name__ == "__main__":
    host, port = parse_listen()
    raise_fd_limit()
    server = StreamServer((host, port), echo, backlog=1024)
    try:
        server.start()
    except OSError as e:
        sys.exit(f"error: cannot listen on {host}:{port}: {e.strerror}")
    host, port = server.address[:2]
    print(f"listening on {host}:{port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
