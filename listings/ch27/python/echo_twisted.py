"""The line echo server on Twisted: a protocol object per connection,
its callbacks run by the reactor."""

import argparse
import resource
import sys

from twisted.internet import error, interfaces, protocol
from twisted.protocols.basic import LineReceiver
from zope.interface import implementer

MAX_LINE = 8192
TOO_LONG = b"ERR line too long\n"
LINGER = 1.0  # how long a refused client may go on sending
MIN_FILES = 16  # stdin/out/err, epoll, a wake-up pipe, the listener...
FDS_WANTED = 1100  # where the hard limit is refused: 1,000 clients and more


# ANCHOR: echo
# Half-closeable: without this, Twisted takes the client's FIN for the end
# of the whole connection (`connectionLost`) and drops the echoes still in
# its write buffer; a client that sends its lines and then shuts its
# writing side would lose the last replies.
@implementer(interfaces.IHalfCloseableProtocol)
class Echo(LineReceiver):
    delimiter = b"\n"
    MAX_LENGTH = MAX_LINE

    def connectionMade(self):
        # The transport pauses its own reading while its write buffer is
        # full: a client that does not read its replies stops being read,
        # instead of growing the server's buffer without end.
        self.transport.registerProducer(self.transport, True)
        # Nagle off, as asyncio does (chapter 27 says why); Twisted
        # leaves it on.
        self.transport.setTcpNoDelay(True)

    def lineReceived(self, line):
        self.sendLine(line)

    def lineLengthExceeded(self, line):
        # Not loseConnection(): it stops reading and closes, and closing a
        # socket with unread input makes Linux reset the connection and
        # drop what is still queued to send, the ERR line included. So:
        # no more replies (a FIN once the buffer is written), then read
        # and discard until the client closes, for at most LINGER.
        self.setRawMode()
        # The transport must read again even if its producer role had
        # paused it; and a paused producer would hold back the half-close.
        self.transport.unregisterProducer()
        self.transport.resumeProducing()
        self.transport.write(TOO_LONG)
        self.transport.loseWriteConnection()
        self.linger = reactor.callLater(LINGER, self.transport.loseConnection)

    def rawDataReceived(self, data):
        pass  # refused: discarded

    def readConnectionLost(self):
        # The client has sent everything; its complete lines are echoed
        # into the write buffer already. Close once that is written (a
        # registered producer would hold the close back).
        self.transport.unregisterProducer()
        self.transport.loseConnection()

    def writeConnectionLost(self):
        pass  # our own loseWriteConnection after ERR: go on reading

    def connectionLost(self, reason):
        linger = getattr(self, "linger", None)
        if linger is not None and linger.active():
            linger.cancel()
# ANCHOR_END: echo


def parse_listen():
    parser = argparse.ArgumentParser(
        prog="echo_twisted",
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
    # Imported only now: importing it installs the reactor, which opens an
    # epoll and a wake-up pipe. With a handful of files that import would
    # fail with a traceback before raise_fd_limit could say why in a line.
    from twisted.internet import reactor

    factory = protocol.Factory.forProtocol(Echo)
    try:
        listening = reactor.listenTCP(
            port, factory, backlog=1024, interface=host)
    except error.CannotListenError as e:
        sys.exit(f"error: cannot listen on {host}:{port}: {e.socketError}")
    address = listening.getHost()
    print(f"listening on {address.host}:{address.port}", flush=True)
    reactor.run()
