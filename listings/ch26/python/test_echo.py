# The echo handler of chapter 25's Python server, tested without a socket:
# IsolatedAsyncioTestCase runs each async test method in a fresh event
# loop; a StreamReader fed by hand is the client's side, a list of bytes
# stands in for the writer.
import asyncio
import sys
import unittest

MAX_LINE = 8192


# ANCHOR: echo
async def echo(reader, writer):
    while True:
        try:
            line = await reader.readuntil(b"\n")
        except asyncio.IncompleteReadError:
            return
        except asyncio.LimitOverrunError:
            writer.write(b"ERR line too long\n")
            await writer.drain()
            return
        writer.write(line)
        await writer.drain()
# ANCHOR_END: echo


class Collect:
    """What the handler needs of a StreamWriter: write and drain."""

    def __init__(self):
        self.data = b""

    def write(self, data):
        self.data += data

    async def drain(self):
        pass


# ANCHOR: tests
class EchoTest(unittest.IsolatedAsyncioTestCase):
    async def exchange(self, data):
        reader = asyncio.StreamReader(limit=MAX_LINE)
        reader.feed_data(data)
        reader.feed_eof()  # the client half-closed
        writer = Collect()
        await asyncio.wait_for(echo(reader, writer), 1)
        return writer.data

    async def test_echoes_bytes_unchanged_even_empty_lines(self):
        data = b"hello\n\n\xff\xfe not utf-8\r\n"
        self.assertEqual(await self.exchange(data), data)

    async def test_a_last_line_without_newline_is_not_echoed(self):
        self.assertEqual(await self.exchange(b"one\ntwo"), b"one\n")

    async def test_a_line_of_the_maximum_length_is_echoed(self):
        line = b"x" * MAX_LINE + b"\n"
        self.assertEqual(await self.exchange(line), line)

    async def test_one_byte_more_gets_an_error(self):
        line = b"x" * (MAX_LINE + 1) + b"\n"
        self.assertEqual(await self.exchange(line), b"ERR line too long\n")
# ANCHOR_END: tests


if __name__ == "__main__":
    # Results to stdout, one line per test, as the book shows them.
    runner = unittest.TextTestRunner(stream=sys.stdout, verbosity=2)
    unittest.main(testRunner=runner)
