"""A socket server on 127.0.0.1 with scripted raw replies, for faults an HTTP server won't make
(truncated bodies, connection resets). Shared by the HTTP client and resolver tests."""

from __future__ import annotations

import socket
import threading


class RawServer:
    """A socket server on 127.0.0.1 that plays scripted raw replies, one per connection.

    A reply of ``None`` resets the connection (RST) instead of answering.
    """

    def __init__(self, replies: list[bytes | None]) -> None:
        self.replies = replies
        self.connections = 0
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(8)
        self._socket.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}/"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._socket.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(2)
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                reply = self.replies[min(self.connections, len(self.replies) - 1)]
                self.connections += 1
                if reply is None:
                    connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                    )
                else:
                    connection.sendall(reply)


def raw_reply(body: bytes, length: int | None = None) -> bytes:
    length = len(body) if length is None else length
    head = (
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml; charset=UTF-8\r\n"
        f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body
