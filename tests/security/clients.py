"""Raw clients for the hostile-input suite: HTTP requests exactly as written (any body, any
header), and a cookie-keeping admin browser that signs in through the real login form."""

import http.client
import json
import re
import socket
from dataclasses import dataclass, field
from urllib.parse import urlencode

from tests.support import PASSWORD

_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)


def request(server, method: str, path: str, *, host: str, body: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = 10) -> Response:  # fmt: skip
    """One HTTP request to the live server with ``Host: <host>:<port>``; the body is sent as given."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", f"{host}:{server.port}")
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        cookies = {}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookies[key.strip()] = rest.split(";", 1)[0]
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read(), cookies)
    finally:
        connection.close()


def raw_request(server, data: bytes, timeout: float = 5) -> bytes:
    """Bytes as written (for requests no HTTP library would send); the answer's first bytes."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(data)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
        except TimeoutError:
            pass
    return answer


class Browser:
    """A browser on one host: keeps cookies (Secure ones too: the suite speaks plain HTTP)."""

    def __init__(self, server, host: str):
        self.server = server
        self.host = host
        self.cookies: dict[str, str] = {}

    def send(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None) -> Response:
        all_headers = dict(headers or {})
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = request(self.server, method, path, host=self.host, body=body, headers=all_headers)
        self.cookies.update({name: value for name, value in response.cookies.items() if value})
        return response

    def get(self, path: str, headers: dict | None = None) -> Response:
        return self.send("GET", path, headers=headers)

    def post_form(self, path: str, data: dict, *, csrf: bool = True, headers: dict | None = None) -> Response:
        """POST a form; with ``csrf`` the page's token is fetched first and sent, as a browser does."""
        fields = dict(data)
        all_headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
        if csrf:
            page = self.get(path)
            match = _CSRF_INPUT.search(page.text)
            assert match, f"no CSRF token on {path}: {page.status}"
            fields["csrfmiddlewaretoken"] = match.group(1)
            all_headers["Referer"] = f"http://{self.host}:{self.server.port}{path}"
        return self.send("POST", path, body=urlencode(fields).encode(), headers=all_headers)

    def admin_login(self, email: str, password: str = PASSWORD) -> Response:
        response = self.post_form("/admin/login/?next=/admin/", {"username": email, "password": password})
        assert response.status == 302 and response.headers["location"] == "/admin/", (response.status, response.text)
        return response
