class Decoder:
    """netstring 解析器：只处理字节，不做任何 I/O。"""

    def __init__(self):
        self.buf = b''

    def feed(self, data):
        self.buf += data

    def next_message(self):
        head, colon, rest = self.buf.partition(b':')
        if not colon:
            return None              # 长度还没收全
        n = int(head)                # 非数字时抛 ValueError
        if len(rest) <= n:
            return None              # 内容还没收全
        if rest[n:n + 1] != b',':
            raise ValueError('expected a comma')
        self.buf = rest[n + 1:]
        return rest[:n].decode()


# 同一个解析器，可以配 socket、文件、asyncio 或 trio 的任何读取方式
d = Decoder()
for piece in [b'5:hel', b'lo,8:sans-', b'I/O,']:
    d.feed(piece)
    while (m := d.next_message()) is not None:
        print(m)
