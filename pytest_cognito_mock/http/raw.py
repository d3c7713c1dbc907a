"""HTTP/1.1 messages as bytes: requests assembled from what a client writes, responses encoded
for a client to parse. For in-process transports that speak HTTP to a fake connection (aiohttp)."""

from __future__ import annotations

from .messages import HttpRequest, HttpResponse


class RequestAssembler:
    """Collects the bytes a client writes on one connection into whole requests.

    ``scheme`` and ``host`` say where the connection goes (the request line carries only the
    path). Bodies are framed by ``Content-Length`` or chunked transfer encoding.
    """

    def __init__(self, scheme: str, host: str) -> None:
        self._origin = f"{scheme}://{host}"
        self._buffer = b""

    def feed(self, data: bytes) -> list[HttpRequest]:
        """Add ``data``; return the requests it completed, in order."""
        self._buffer += data
        requests: list[HttpRequest] = []
        while True:
            request = self._take_one()
            if request is None:
                return requests
            requests.append(request)

    def _take_one(self) -> HttpRequest | None:
        head_end = self._buffer.find(b"\r\n\r\n")
        if head_end == -1:
            return None
        lines = self._buffer[:head_end].decode("latin-1").split("\r\n")
        method, target, _ = [*lines[0].split(" ", 2), "", ""][:3]
        headers = [
            tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:] if ":" in line
        ]
        fields = {name.lower(): value for name, value in headers}
        rest = self._buffer[head_end + 4 :]
        if "chunked" in fields.get("transfer-encoding", "").lower():
            decoded = _dechunk(rest)
            if decoded is None:
                return None
            body, used = decoded
        else:
            length = int(fields.get("content-length", "0") or 0)
            if len(rest) < length:
                return None
            body, used = rest[:length], length
        self._buffer = rest[used:]
        url = target if "://" in target else self._origin + target
        return HttpRequest.of(method, url, headers, body)  # type: ignore[arg-type]


def _dechunk(data: bytes) -> tuple[bytes, int] | None:
    """The body of a complete chunked message at the start of ``data`` and the bytes it used,
    or None while incomplete."""
    body, position = b"", 0
    while True:
        line_end = data.find(b"\r\n", position)
        if line_end == -1:
            return None
        size = int(data[position:line_end].split(b";")[0].strip() or b"0", 16)
        position = line_end + 2
        if size == 0:
            trailer_end = data.find(b"\r\n", position)
            while trailer_end != -1 and trailer_end != position:
                position = trailer_end + 2
                trailer_end = data.find(b"\r\n", position)
            return (body, trailer_end + 2) if trailer_end != -1 else None
        if len(data) < position + size + 2:
            return None
        body += data[position : position + size]
        position += size + 2


def encode_response(response: HttpResponse, *, close: bool = True) -> bytes:
    """``response`` as HTTP/1.1 bytes, with its own ``Content-Length`` (and ``Connection:
    close`` when ``close``: a fake connection serves one request)."""
    lines = [f"HTTP/1.1 {response.status} {response.reason}"]
    for name, value in response.headers:
        if name.lower() not in ("content-length", "connection", "transfer-encoding"):
            lines.append(f"{name}: {value}")
    lines.append(f"Content-Length: {len(response.body)}")
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + response.body
