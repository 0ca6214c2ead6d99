"""The hostile-input suite: every case of tests/security/cases.py against the running platform.

Each case, whatever it sends, must get a clear refusal (the status and ``extensions.code``, or the
protocol's close code, written in the table), and for every one of them:
- no 5xx and no traceback, in the answer or in the server's log;
- nothing stored changed (every tenant's rows and the tenant registry, before and after);
- the server answers a normal request right after (and a socket that was not closed, too).
"""

import json
import socket
import string
import time

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Origin, Subprotocol

from tests.security.cases import ADMIN_CASES, HTTP_CASES, ME, OWNER, SESSION, WS_CASES, AdminCase, HttpCase, WsCase
from tests.security.clients import Browser, raw_request, request
from tests.security.conftest import INIT_TIMEOUT_SECONDS, normal_request_works

TRACE_MARKERS = ("Traceback", 'File "/', "Internal server error", "Server Error (500)", "INTERNAL_SERVER_ERROR")
# How long a socket may stay open before it must have been closed: the init timeout, plus slack.
CLOSE_WITHIN_SECONDS = INIT_TIMEOUT_SECONDS + 3


def _fill(value, placeholders: dict[str, str]):
    """``$name`` placeholders filled in, in strings anywhere inside ``value``."""
    if isinstance(value, str):
        return string.Template(value).safe_substitute(placeholders)
    if isinstance(value, dict):
        return {_fill(key, placeholders): _fill(item, placeholders) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_fill(item, placeholders) for item in value)
    return value


def _assert_no_trace(text: str) -> None:
    for marker in TRACE_MARKERS:
        assert marker not in text, f"{marker!r} in {text[:2000]}"


def _assert_log_clean(server_log) -> None:
    logged = server_log.new()
    assert "Traceback" not in logged, logged[-4000:]
    assert " ERROR " not in logged, logged[-4000:]


def _codes(body: dict) -> list[str | None]:
    return [(error.get("extensions") or {}).get("code") for error in body.get("errors") or []]


@pytest.fixture
def checked(context, stored_state, server_log, hostile_server):
    """Around a case: what was stored before; afterwards, the same is stored, the log shows no
    failure and a normal request still works."""
    before = stored_state()
    yield
    after = stored_state()
    assert after == before, "a hostile request changed stored data"
    normal_request_works(hostile_server, context.tokens[OWNER])
    _assert_log_clean(server_log)


@pytest.mark.parametrize("case", HTTP_CASES, ids=[case.name for case in HTTP_CASES])
def test_http_case(case: HttpCase, hostile_server, context, checked):
    if case.raw is not None:
        answer = raw_request(hostile_server, case.raw)
        status = int(answer.split(b" ", 2)[1])
        assert status == case.expect_status, answer[:500]
        _assert_no_trace(answer.decode("latin1"))
        return
    headers = {"Content-Type": case.content_type, **case.headers}
    if case.auth == SESSION:
        headers["Cookie"] = f"sessionid={context.session}"
    elif case.auth is not None:
        headers["Authorization"] = f"Bearer {context.tokens[case.auth]}"
    body = case.body
    if isinstance(body, dict):
        body = json.dumps(_fill(body, context.placeholders))
    if isinstance(body, str):
        body = body.encode()
    response = request(hostile_server, case.method, case.path, host=case.host, body=body, headers=headers)
    assert response.status == case.expect_status, (response.status, response.text[:1000])
    assert response.status < 500
    _assert_no_trace(response.text)
    for text in case.absent:
        assert text not in response.text, text
    if case.expect_code is not None:
        codes = _codes(response.json())
        assert case.expect_code in codes, (codes, response.text[:1000])
        assert set(codes) <= {case.expect_code, "BAD_USER_INPUT"}, codes
        assert response.json().get("data") in (None, {}) or all(
            value is None for value in response.json()["data"].values()
        )


def _open(hostile_server, case: WsCase, placeholders: dict[str, str]):
    return connect(
        f"ws://{case.host}:{hostile_server.port}/graphql/",
        sock=socket.create_connection(("127.0.0.1", hostile_server.port), timeout=10),
        subprotocols=[Subprotocol(case.subprotocol)],
        origin=None if case.origin is None else Origin(case.origin),
        additional_headers=_fill(case.headers, placeholders) or None,
        proxy=None,
        open_timeout=10,
        max_size=None,
    )


def _send(ws, frame, placeholders) -> None:
    """Send a frame; a server that closed the socket already (as it may, mid-case) is no failure here."""
    try:
        if isinstance(frame, bytes):
            ws.send(frame)
        else:
            ws.send(frame if isinstance(frame, str) else json.dumps(_fill(frame, placeholders)))
    except ConnectionClosed:
        pass


def _receive(ws, timeout: float = 10) -> dict:
    return json.loads(ws.recv(timeout=timeout))


def _close_code(ws, started: float) -> tuple[int | None, list]:
    """Read until the server closes the socket (at most CLOSE_WITHIN_SECONDS after ``started``)."""
    received: list = []
    try:
        while True:
            remaining = CLOSE_WITHIN_SECONDS - (time.monotonic() - started)
            assert remaining > 0, f"socket still open after {CLOSE_WITHIN_SECONDS}s; received {received}"
            received.append(ws.recv(timeout=remaining))
    except TimeoutError:
        raise AssertionError(f"socket still open after {CLOSE_WITHIN_SECONDS}s; received {received}") from None
    except ConnectionClosed as closed:
        # No close frame at all (the connection was dropped) is what clients report as 1006.
        return (closed.rcvd.code if closed.rcvd else 1006), received


def _answer_of(ws, operation_id: str) -> dict:
    while True:
        message = _receive(ws)
        if message.get("id") == operation_id and message["type"] in ("next", "error"):
            return message


def _still_answers(ws, frames=()) -> None:
    """The socket still runs a normal query, once the case's own operations are completed."""
    for frame in frames:
        if isinstance(frame, dict) and isinstance(frame.get("id"), str):
            ws.send(json.dumps({"id": frame["id"], "type": "complete"}))
    ws.send(json.dumps({"id": "after", "type": "subscribe", "payload": {"query": ME}}))
    message = _answer_of(ws, "after")
    assert message["type"] == "next" and message["payload"] == {"data": {"me": {"email": "owner@acme.test"}}}


@pytest.mark.parametrize("case", WS_CASES, ids=[case.name for case in WS_CASES])
def test_websocket_case(case: WsCase, hostile_server, context, checked):
    placeholders = context.placeholders
    if case.expect_handshake is not None:
        with pytest.raises(InvalidStatus) as refused:
            _open(hostile_server, case, placeholders)
        assert refused.value.response.status_code == case.expect_handshake
        _assert_no_trace(refused.value.response.body.decode("latin1") if refused.value.response.body else "")
        return
    with _open(hostile_server, case, placeholders) as ws:
        started = time.monotonic()
        if case.init:
            ws.send(json.dumps({"type": "connection_init", "payload": {"authToken": context.tokens[case.role]}}))
            assert _receive(ws) == {"type": "connection_ack"}
        if case.expect_answers is not None:
            for frame in case.frames:
                _send(ws, frame, placeholders)
                answer = _answer_of(ws, frame["id"])
                assert answer["type"] == "next" and "errors" not in answer["payload"], answer
            assert len(case.frames) == case.expect_answers
            _still_answers(ws)
            return
        for frame in case.frames:
            _send(ws, frame, placeholders)
        if case.expect_close is not None:
            code, received = _close_code(ws, started)
            assert code == case.expect_close, (code, received)
            for message in received:
                _assert_no_trace(message if isinstance(message, str) else message.decode("latin1"))
                assert '"next"' not in message and '"data"' not in message, message
            return
        answer = _answer_of(ws, "op")
        _assert_no_trace(json.dumps(answer))
        if case.expect_error is not None:
            assert answer["type"] == "error", answer
            codes = [error["extensions"]["code"] for error in answer["payload"]]
            assert case.expect_error in codes and set(codes) <= {case.expect_error, "BAD_USER_INPUT"}, answer
        else:
            assert answer["type"] == "next", answer
            assert case.expect_next_error in _codes(answer["payload"]), answer
            assert "INTERNAL_SERVER_ERROR" not in _codes(answer["payload"]), answer
        if case.role == OWNER:
            _still_answers(ws, case.frames)


@pytest.mark.parametrize("case", ADMIN_CASES, ids=[case.name for case in ADMIN_CASES])
def test_admin_case(case: AdminCase, hostile_server, context, checked):
    browser = Browser(hostile_server, case.host)
    if case.signed_in:
        browser.cookies.update(context.admin.cookies)
    headers = {"Authorization": f"Bearer {context.tokens[case.bearer]}"} if case.bearer else None
    if case.method == "GET":
        response = browser.get(case.path, headers=headers)
    else:
        response = browser.post_form(case.path, case.form or {}, csrf=case.csrf, headers=headers)
    assert response.status == case.expect_status, (
        response.status,
        response.headers.get("location"),
        response.text[:500],
    )
    assert response.status < 500
    _assert_no_trace(response.text)
    if case.expect_location is not None:
        assert response.headers["location"].startswith(case.expect_location), response.headers["location"]
