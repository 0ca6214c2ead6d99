"""The hostile-input table: every case the suite sends to the running platform, and what it must answer.

Three kinds of case, one table each:

- ``HttpCase``: a request to ``/graphql/`` (or a raw request) as written; the answer's status and,
  for GraphQL answers, the ``extensions.code`` of its errors;
- ``WsCase``: frames sent over a graphql-transport-ws socket; the close code, or the ``error`` /
  ``next`` message and its code;
- ``AdminCase``: a request to the HTML admin, with or without its session, CSRF token or a bearer
  header; the status (and where a redirect goes).

For every case the runner (test_hostile_input.py) also checks: no 5xx, no traceback in the answer
or in the server's log, nothing stored changed, and a normal request right after still works.

``$name`` placeholders in bodies and frames are filled from the suite's own data (``Context``).
Cases named after a strawberry-graphql advisory (``GHSA-...``) would catch that advisory here:
see docs/security.md for what each one was.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings

OWNER = "owner"  # acme's tenant staff, by bearer token
MEMBER = "member"  # acme's member, by bearer token
BETA_OWNER = "beta-owner"  # beta's staff token, sent to acme
SESSION = "session"  # acme owner's session cookie (from the GraphQL login), without CSRF token

SUBSCRIPTION = "subscription { notifications { id message } }"
ME = "{ me { email } }"
CREATE = "mutation($input: ProductInput!) { createProduct(input: $input) { __typename } }"
NUL = "\u0000"


def gql(query: str, variables: dict | None = None, operation_name=None, **extra) -> dict:
    body = {"query": query, **extra}
    if variables is not None:
        body["variables"] = variables
    if operation_name is not None:
        body["operationName"] = operation_name
    return body


def nested(depth: int, leaf: str = "0") -> str:
    return "[" * depth + leaf + "]" * depth


def aliases(count: int) -> str:
    return " ".join(f"a{n}: tenant {{ name }}" for n in range(count))


def too_deep(depth: int) -> str:
    """A selection nested ``depth`` + 2 levels (the depth limit counts before field validation)."""
    return "{ " + "a { " * (depth + 2) + "b" + " }" * (depth + 2) + " }"


@dataclass(frozen=True)
class HttpCase:
    name: str
    body: dict | bytes | str | None = None
    expect_status: int = 200
    expect_code: str | None = "BAD_USER_INPUT"
    method: str = "POST"
    path: str = "/graphql/"
    host: str = "acme.localhost"
    auth: str | None = OWNER
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)
    absent: tuple[str, ...] = ()  # texts the answer must not contain
    raw: bytes | None = None  # send these bytes on the socket instead (for requests no client would build)


@dataclass(frozen=True)
class WsCase:
    name: str
    frames: tuple = ()  # dicts are sent as JSON, str as text, bytes as a binary frame
    init: bool = True  # authenticate (with ``role``'s token) before sending ``frames``
    role: str = OWNER
    expect_close: int | None = None
    expect_error: str | None = None  # an ``error`` message for operation ``op`` with this code
    expect_next_error: str | None = None  # a ``next`` message for ``op`` whose errors carry this code
    expect_handshake: int | None = None  # the HTTP status refusing the handshake
    expect_answers: int | None = None  # sent one at a time, every operation answered with data
    subprotocol: str = "graphql-transport-ws"
    host: str = "acme.localhost"
    headers: dict = field(default_factory=dict)
    origin: str | None = None


@dataclass(frozen=True)
class AdminCase:
    name: str
    path: str
    expect_status: int
    expect_location: str | None = None  # a redirect's target starts with this
    method: str = "GET"
    host: str = "acme.localhost"
    signed_in: bool = False  # acme owner's admin session (signed in through the admin login form)
    bearer: str | None = None  # acme owner's API token in Authorization
    form: dict | None = None
    csrf: bool = True  # send the page's CSRF token with a form (as a browser would)


def subscribe(query: str, op: str = "op", **payload) -> dict:
    return {"id": op, "type": "subscribe", "payload": {"query": query, **payload}}


MAX_SUBSCRIPTIONS = settings.WEBSOCKET_MAX_SUBSCRIPTIONS
PRODUCT_INPUT = {"name": "Hostile product", "sku": "HOSTILE-NEW", "price": "1.00"}
AMPLIFIED = (
    "query { "
    + " ".join(f"t{n}: tenant {{ ...Names }}" for n in range(5))
    + " } fragment Names on Tenant { "
    + " ".join(f"n{n}: name" for n in range(10))
    + " }"
)
CIRCULAR = "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"
WITH_VARIABLE = '{"query": "{ me { email } }", "variables": {"a": VALUE}}'
PING_OVER_1_MIB = '{"type": "ping", "payload": {"pad": "' + "x" * (1024 * 1024) + '"}}'
REPEATED_DIRECTIVES = "{ tenant { name " + "@include(if: true) " * 600 + "} }"


HTTP_CASES = [
    # The request itself: only a JSON object is a GraphQL request (GraphQL over HTTP).
    HttpCase("body is a number", b"1", 400),
    HttpCase("body is a string", b'"{ me { email } }"', 400),
    HttpCase("body is null", b"null", 400),
    HttpCase("body is a boolean", b"true", 400),
    HttpCase("body is a float", b"1.5e300", 400),
    HttpCase("body is an empty array (batch)", b"[]", 400),
    HttpCase("body is a batch of two", json.dumps([gql(ME), gql(ME)]), 400),
    HttpCase("body is not JSON", b"{", 400),
    HttpCase("body is empty", b"", 400),
    HttpCase("body is not UTF-8", b'{"query": "{ me { email } }\xff"}', 400),
    HttpCase("body nested 100k deep", nested(100_000).encode(), 400),
    HttpCase("variables nested 20k deep", WITH_VARIABLE.replace("VALUE", nested(20_000)), 400),
    HttpCase("integer of 5000 digits", WITH_VARIABLE.replace("VALUE", "9" * 5000), 400),
    HttpCase("body over the size limit", json.dumps(gql(ME, {"pad": "x" * 300_000})), 413),
    HttpCase("content type text/plain", json.dumps(gql(ME)), 400, content_type="text/plain"),
    HttpCase("query is a number", {"query": 5}, 400),
    HttpCase("query is missing", {"variables": {}}, 400),
    HttpCase("query is empty", {"query": ""}, 400),
    HttpCase("variables is a list", {"query": ME, "variables": [1]}, 400),
    HttpCase("extensions is a string", {"query": ME, "extensions": "x"}, 400),
    HttpCase("operationName is a number", gql(ME, operation_name=5), 400),
    HttpCase("operationName is a list", gql("query A { me { email } }", operation_name=["A"]), 400),
    HttpCase("method PUT", gql(ME), 405, method="PUT"),
    # Which operation runs: exactly one, or a refusal (never the first one silently).
    HttpCase("two queries without operationName", gql("query A { me { email } } query B { tenant { name } }"), 400),
    HttpCase(
        "query then mutation without operationName",
        gql(
            "query A { me { email } } mutation B($input: ProductInput!) { createProduct(input: $input) { __typename } }",
            {"input": PRODUCT_INPUT},
        ),
        400,
    ),
    HttpCase(
        "mutation then query without operationName",
        gql(
            "mutation B($input: ProductInput!) { createProduct(input: $input) { __typename } } query A { me { email } }",
            {"input": PRODUCT_INPUT},
        ),
        400,
    ),
    HttpCase("operationName names no operation", gql("query A { me { email } }", operation_name="B"), 400),
    HttpCase("operationName with NUL", gql("query A { me { email } }", operation_name="A" + NUL), 400),
    HttpCase("only a fragment, no operation", gql("fragment F on Query { me { email } }"), 400),
    HttpCase(
        "GET with two operations",
        None,
        400,
        method="GET",
        path="/graphql/?query=query%20A%7Bme%7Bemail%7D%7D%20query%20B%7Bme%7Bemail%7D%7D",
    ),
    HttpCase(
        "GET with a mutation", None, 400, method="GET", path="/graphql/?query=mutation%7BmarkAllNotificationsRead%7D"
    ),
    HttpCase("subscription over HTTP POST", gql(SUBSCRIPTION), 400),
    HttpCase("subscription over SSE", gql(SUBSCRIPTION), 400, headers={"Accept": "text/event-stream"}),
    HttpCase(
        "subscription over multipart",
        gql(SUBSCRIPTION),
        400,
        headers={"Accept": 'multipart/mixed;subscriptionSpec="1.0"'},
    ),
    # Documents: syntax, size and shape limits (OWASP: depth, amount, aliases, directives, batching).
    HttpCase("syntax error", gql("{ me { email }"), 200),
    HttpCase("raw NUL character in the document", gql("{ me { email } }" + NUL), 200),
    HttpCase("selection too deep", gql(too_deep(settings.GRAPHQL_MAX_DEPTH)), 200, "QUERY_TOO_COMPLEX"),
    HttpCase(
        "too many tokens", gql("{ tenant { " + "name " * settings.GRAPHQL_MAX_TOKENS + "} }"), 200, "QUERY_TOO_COMPLEX"
    ),
    HttpCase(
        "too many aliases", gql("{ " + aliases(settings.GRAPHQL_MAX_ALIASES + 1) + " }"), 200, "QUERY_TOO_COMPLEX"
    ),
    HttpCase("directive overloading", gql(REPEATED_DIRECTIVES), 200, "QUERY_TOO_COMPLEX"),
    HttpCase("GHSA-fr49-mhgj-crfc aliases multiplied by fragment spreads", gql(AMPLIFIED), 200, "QUERY_TOO_COMPLEX"),
    HttpCase("GHSA-qfwv-87qj-98xq circular fragments", gql(CIRCULAR), 200),
    HttpCase("unknown fragment", gql("{ ...Nowhere }"), 200),
    HttpCase("unknown field gets no suggestion", gql("{ prodcts { totalCount } }"), 200, absent=("Did you mean",)),
    HttpCase(
        "variable of the wrong type", gql("query($n: Int) { products(first: $n) { totalCount } }", {"n": "ten"}), 200
    ),
    HttpCase("undefined variable", gql("{ products(first: $n) { totalCount } }"), 200),
    HttpCase("Int beyond 32 bits", gql("{ products(first: 2147483648) { totalCount } }"), 200),
    # NUL: refused by the one input-cleaning layer, whether literal or variable, wherever it would go.
    HttpCase(
        "NUL in a filter literal", gql('{ products(filters: {name: {iContains: "a\\u0000b"}}) { totalCount } }'), 200
    ),
    HttpCase(
        "NUL in a filter variable",
        gql("query($f: ProductFilter) { products(filters: $f) { totalCount } }", {"f": {"name": {"iContains": NUL}}}),
        200,
    ),
    HttpCase(
        "NUL in the login email",
        gql('mutation($e: String!) { login(email: $e, password: "x") { token } }', {"e": "owner@acme.test" + NUL}),
        200,
        auth=None,
    ),
    HttpCase(
        "NUL in the login password",
        gql('mutation($p: String!) { login(email: "owner@acme.test", password: $p) { token } }', {"p": NUL}),
        200,
        auth=None,
    ),
    HttpCase("NUL in a new product's name", gql(CREATE, {"input": {**PRODUCT_INPUT, "name": "Bad" + NUL}}), 200),
    HttpCase(
        "NUL in a new product's SKU literal",
        gql('mutation { createProduct(input: {name: "x", sku: "A\\u0000B", price: "1.00"}) { __typename } }'),
        200,
    ),
    HttpCase(
        "NUL in a product update",
        gql(
            'mutation($id: ID!) { updateProduct(id: $id, input: {description: "\\u0000"}) { __typename } }',
            {"id": "$product"},
        ),
        200,
    ),
    HttpCase("NUL in a search", gql("query($q: String!) { searchProducts(query: $q) { id } }", {"q": NUL}), 200),
    HttpCase(
        "NUL in a notification",
        gql("mutation($m: String!) { sendNotification(message: $m) { id } }", {"m": "hi" + NUL}),
        200,
    ),
    HttpCase("NUL in a variable's key", gql(CREATE, {"input": {**PRODUCT_INPUT, "name" + NUL: "x"}}), 200),
    HttpCase("NUL in the query string", None, 400, method="GET", path="/graphql/?query=%7Bme%7Bemail%7D%7D&x=%00"),
    # Ids, cursors and page sizes: one relay toolkit, one answer (BAD_USER_INPUT).
    HttpCase(
        "superscript digit in a notifications cursor",
        gql('{ notifications(after: "$cursor_superscript") { totalCount } }'),
        200,
    ),
    HttpCase(
        "Arabic-Indic digit in a notifications cursor",
        gql('{ notifications(after: "$cursor_native") { totalCount } }'),
        200,
    ),
    HttpCase(
        "superscript digit in a before cursor",
        gql('{ notifications(before: "$cursor_superscript") { totalCount } }'),
        200,
    ),
    HttpCase(
        "superscript digit in a products cursor", gql('{ products(after: "$cursor_superscript") { totalCount } }'), 200
    ),
    HttpCase("cursor of another list's kind", gql('{ products(after: "$product") { totalCount } }'), 200),
    HttpCase(
        "superscript digit in markNotificationRead",
        gql('mutation { markNotificationRead(id: "$notification_superscript") { id } }'),
        200,
    ),
    HttpCase(
        "Arabic-Indic digits in markNotificationRead",
        gql('mutation { markNotificationRead(id: "$notification_native") { id } }'),
        200,
    ),
    HttpCase(
        "superscript digit in sendNotification userId",
        gql('mutation { sendNotification(message: "hi", userId: "²") { id } }'),
        200,
    ),
    HttpCase(
        "Arabic-Indic digits in sendNotification userId",
        gql('mutation { sendNotification(message: "hi", userId: "$owner_pk_native") { id } }'),
        200,
    ),
    HttpCase("superscript digit in a product id", gql('{ product(id: "$product_superscript") { id } }'), 200),
    HttpCase(
        "Arabic-Indic digits in updateProduct",
        gql('mutation { updateProduct(id: "$product_native", input: {name: "Renamed"}) { __typename } }'),
        200,
    ),
    HttpCase(
        "padded digits in deleteProduct", gql('mutation { deleteProduct(id: "$product_spaced") { __typename } }'), 200
    ),
    HttpCase("product id beyond bigint", gql('{ product(id: "$product_too_big") { id } }'), 200),
    HttpCase("page size above 100", gql("{ products(first: 101) { totalCount } }"), 200),
    HttpCase("negative page size", gql("{ notifications(first: -1) { totalCount } }"), 200),
    HttpCase("negative last", gql("{ notifications(last: -5) { totalCount } }"), 200),
    HttpCase("search page size above 100", gql('{ searchProducts(query: "a", first: 1000) { id } }'), 200),
    HttpCase(
        "GHSA-5xh2-23cc-5jc6 product id as a notification id",
        gql('mutation { markNotificationRead(id: "$product") { id } }'),
        200,
    ),
    HttpCase("notification id as a product id", gql('{ product(id: "$notification") { id } }'), 200),
    # Who may do what: cookies need CSRF, tokens stay on their tenant, uploads are off.
    HttpCase(
        "session cookie without CSRF token", gql(CREATE, {"input": PRODUCT_INPUT}), 403, "FORBIDDEN", auth=SESSION
    ),
    HttpCase(
        "GHSA-79gp-q4wv-33fr multipart mutation riding a session cookie",
        b'--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
        + json.dumps(gql(CREATE, {"input": PRODUCT_INPUT})).encode()
        + b'\r\n--b\r\nContent-Disposition: form-data; name="map"\r\n\r\n{}\r\n--b--\r\n',
        403,
        "FORBIDDEN",
        auth=SESSION,
        content_type="multipart/form-data; boundary=b",
    ),
    HttpCase(
        "multipart upload with a token",
        b'--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n'
        + json.dumps(gql(CREATE, {"input": PRODUCT_INPUT})).encode()
        + b'\r\n--b\r\nContent-Disposition: form-data; name="map"\r\n\r\n{}\r\n--b--\r\n',
        400,
        content_type="multipart/form-data; boundary=b",
    ),
    HttpCase("another tenant's token", gql(CREATE, {"input": PRODUCT_INPUT}), 200, "UNAUTHENTICATED", auth=BETA_OWNER),
    HttpCase("member writes a product", gql(CREATE, {"input": PRODUCT_INPUT}), 200, "FORBIDDEN", auth=MEMBER),
    HttpCase("unknown host", gql(ME), 404, None, host="unknown-tenant.localhost"),
    HttpCase("host outside ALLOWED_HOSTS", gql(ME), 404, None, host="evil.example"),
    HttpCase("GraphQL on the public host", gql(ME), 404, None, host="localhost"),
    HttpCase(
        "NUL in the Host header",
        None,
        400,
        None,
        raw=b"POST /graphql/ HTTP/1.1\r\nHost: acme\x00.localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    ),
    HttpCase(
        "broken IPv6 Host header",
        None,
        404,
        None,
        raw=b"GET /graphql/ HTTP/1.1\r\nHost: [::1\r\nConnection: close\r\n\r\n",
    ),
    HttpCase(
        "websocket handshake with a broken IPv6 Host",
        None,
        403,
        None,
        raw=b"GET /graphql/ HTTP/1.1\r\nHost: [::1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        b"Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n",
    ),
    HttpCase(
        "GHSA-x97m-qp5c-w9xj GraphiQL keeps headers out of the URL",
        None,
        200,
        None,
        method="GET",
        headers={"Accept": "text/html"},
        absent=("updateURL({ headers", "updateURL({headers"),
    ),
]

WS_CASES = [
    # Frames of the wrong shape, before authentication: 4400 at once (PROTOCOL.md: invalid message).
    WsCase("frame is an empty array", ("[]",), init=False, expect_close=4400),
    WsCase("frame is a number", ("1",), init=False, expect_close=4400),
    WsCase("frame is null", ("null",), init=False, expect_close=4400),
    WsCase("frame is a string", ('"connection_init"',), init=False, expect_close=4400),
    WsCase("frame is a boolean", ("true",), init=False, expect_close=4400),
    WsCase("frame nested 100k deep", (nested(100_000),), init=False, expect_close=4400),
    WsCase("frame with a 5000-digit integer", ("9" * 5000,), init=False, expect_close=4400),
    WsCase("frame is not JSON", ("{",), init=False, expect_close=4400),
    WsCase("binary frame", (b"\x00\x01",), init=False, expect_close=4400),
    WsCase("message without type", ({},), init=False, expect_close=4400),
    WsCase("message type is a number", ({"type": 5},), init=False, expect_close=4400),
    WsCase("message type is a list", ({"type": ["connection_init"]},), init=False, expect_close=4400),
    WsCase("unknown message type", ({"type": "hello"},), init=False, expect_close=4400),
    WsCase(
        "server message type from the client",
        ({"type": "next", "id": "x", "payload": {}},),
        init=False,
        expect_close=4400,
    ),
    WsCase(
        "connection_init payload is a string",
        ({"type": "connection_init", "payload": "x"},),
        init=False,
        expect_close=4400,
    ),
    WsCase(
        "connection_init payload is a list",
        ({"type": "connection_init", "payload": []},),
        init=False,
        expect_close=4400,
    ),
    WsCase("ping payload is a number", ({"type": "ping", "payload": 1},), init=False, expect_close=4400),
    WsCase("subscribe before connection_init", (subscribe(ME),), init=False, expect_close=4401),
    WsCase(
        "connection_init with a numeric token",
        ({"type": "connection_init", "payload": {"authToken": 1}},),
        init=False,
        expect_close=4403,
    ),
    WsCase(
        "connection_init with an unknown token",
        ({"type": "connection_init", "payload": {"authToken": "nope"}},),
        init=False,
        expect_close=4403,
    ),
    WsCase(
        "connection_init with a null payload and no token",
        ({"type": "connection_init", "payload": None},),
        init=False,
        expect_close=4403,
    ),
    WsCase("nothing sent until the init timeout", (), init=False, expect_close=4408),
    WsCase(
        "GHSA-vpwc-v33q-mq89 legacy graphql-ws start without init",
        ({"type": "start", "id": "1", "payload": {"query": ME}},),
        init=False,
        subprotocol="graphql-ws",
        expect_close=4406,
    ),
    WsCase(
        "unknown subprotocol",
        ({"type": "connection_init", "payload": {}},),
        init=False,
        subprotocol="graphql-hostile",
        expect_close=4406,
    ),
    # After authentication: wrong shapes still close with 4400.
    WsCase("second connection_init", ({"type": "connection_init", "payload": {}},), expect_close=4429),
    WsCase(
        "subscribe payload is a string",
        ({"id": "op", "type": "subscribe", "payload": "{ me { email } }"},),
        expect_close=4400,
    ),
    WsCase("subscribe payload is missing", ({"id": "op", "type": "subscribe"},), expect_close=4400),
    WsCase(
        "subscribe id is an object",
        ({"id": {"a": 1}, "type": "subscribe", "payload": {"query": ME}},),
        expect_close=4400,
    ),
    WsCase("subscribe id is a number", ({"id": 7, "type": "subscribe", "payload": {"query": ME}},), expect_close=4400),
    WsCase("subscribe id is empty", ({"id": "", "type": "subscribe", "payload": {"query": ME}},), expect_close=4400),
    WsCase(
        "subscribe query is a number", ({"id": "op", "type": "subscribe", "payload": {"query": 5}},), expect_close=4400
    ),
    WsCase("subscribe query is missing", ({"id": "op", "type": "subscribe", "payload": {}},), expect_close=4400),
    WsCase("subscribe variables is a list", (subscribe(ME, variables=[1]),), expect_close=4400),
    WsCase("subscribe operationName is a number", (subscribe(ME, operationName=1),), expect_close=4400),
    WsCase("subscribe extensions is a string", (subscribe(ME, extensions="x"),), expect_close=4400),
    WsCase("complete id is an object", ({"id": {"a": 1}, "type": "complete"},), expect_close=4400),
    WsCase("syntax error in a subscribe", (subscribe("{ me { email }"),), expect_close=4400),
    WsCase("duplicate operation id", (subscribe(SUBSCRIPTION), subscribe(SUBSCRIPTION)), expect_close=4409),
    # daphne drops a connection whose message exceeds 1 MiB, unread and without a close frame (1006).
    WsCase("frame over 1 MiB", (PING_OVER_1_MIB,), expect_close=1006),
    # Operations: the tenant path is the only one, and one operation runs or none.
    WsCase(
        "two queries without operationName",
        (subscribe("query A { products { totalCount } } query B { me { email } }"),),
        expect_error="BAD_USER_INPUT",
    ),
    WsCase(
        "subscription then query without operationName",
        (subscribe("subscription S { notifications { id } } query B { me { email } }"),),
        expect_error="BAD_USER_INPUT",
    ),
    WsCase(
        "query then subscription without operationName",
        (subscribe("query B { me { email } } subscription S { notifications { id } }"),),
        expect_error="BAD_USER_INPUT",
    ),
    WsCase(
        "query then mutation without operationName",
        (
            subscribe(
                "query A { me { email } } mutation B($input: ProductInput!) { createProduct(input: $input) { __typename } }",
                variables={"input": PRODUCT_INPUT},
            ),
        ),
        expect_error="BAD_USER_INPUT",
    ),
    WsCase(
        "operationName names no operation",
        (subscribe("query A { me { email } }", operationName="B"),),
        expect_error="BAD_USER_INPUT",
    ),
    WsCase(
        "only a fragment, no operation",
        (subscribe("fragment F on Query { me { email } }"),),
        expect_error="BAD_USER_INPUT",
    ),
    WsCase(
        "NUL in a mutation's variables",
        (subscribe(CREATE, variables={"input": {**PRODUCT_INPUT, "name": NUL}}),),
        expect_error="BAD_USER_INPUT",
    ),
    WsCase(
        "NUL in a query's literal",
        (subscribe('{ searchProducts(query: "\\u0000") { id } }'),),
        expect_error="BAD_USER_INPUT",
    ),
    WsCase(
        "superscript digit in a cursor",
        (subscribe('{ notifications(after: "$cursor_superscript") { totalCount } }'),),
        expect_next_error="BAD_USER_INPUT",
    ),
    WsCase(
        "Arabic-Indic digits in a product id",
        (subscribe('mutation { deleteProduct(id: "$product_native") { __typename } }'),),
        expect_next_error="BAD_USER_INPUT",
    ),
    WsCase("selection too deep", (subscribe(too_deep(settings.GRAPHQL_MAX_DEPTH)),), expect_error="QUERY_TOO_COMPLEX"),
    WsCase(
        "GHSA-fr49-mhgj-crfc aliases multiplied over a socket",
        (subscribe(AMPLIFIED),),
        expect_error="QUERY_TOO_COMPLEX",
    ),
    WsCase(
        "GHSA-qfwv-87qj-98xq circular fragments over a socket", (subscribe(CIRCULAR),), expect_error="BAD_USER_INPUT"
    ),
    WsCase(
        "member writes a product over a socket",
        (subscribe(CREATE, variables={"input": PRODUCT_INPUT}),),
        role=MEMBER,
        expect_next_error="FORBIDDEN",
    ),
    WsCase(
        "GHSA-hv3w-m4g2-5x77 one subscription more than the cap",
        tuple(subscribe(SUBSCRIPTION, op=f"s{n}") for n in range(MAX_SUBSCRIPTIONS)) + (subscribe(SUBSCRIPTION),),
        expect_error="RATE_LIMITED",
    ),
    WsCase(
        "GHSA-m952-2w3f-6r8h finished operations free their slots",
        tuple(subscribe(ME, op=f"q{n}") for n in range(MAX_SUBSCRIPTIONS + 2)),
        expect_answers=MAX_SUBSCRIPTIONS + 2,
    ),
    # Handshakes: the tenant comes from an admitted Host; the Origin must be the tenant's own.
    WsCase("unknown host", init=False, host="unknown-tenant.localhost", expect_handshake=403),
    WsCase("host outside ALLOWED_HOSTS", init=False, host="evil.example", expect_handshake=403),
    WsCase("the public host", init=False, host="localhost", expect_handshake=403),
    WsCase("foreign Origin", init=False, origin="http://evil.example", expect_handshake=403),
    WsCase("another tenant's Origin", init=False, origin="http://beta.localhost", expect_handshake=403),
    WsCase(
        "session cookie without Origin",
        ({"type": "connection_init", "payload": {}},),
        init=False,
        headers={"Cookie": "sessionid=$session"},
        expect_close=4403,
    ),
]

ADMIN_CASES = [
    # Bearer tokens are for /graphql/ only: the HTML admin ignores them.
    AdminCase("bearer token opens no admin index", "/admin/", 302, "/admin/login/", bearer=OWNER),
    AdminCase("bearer token opens no admin list", "/admin/catalog/product/", 302, "/admin/login/", bearer=OWNER),
    AdminCase("bearer token opens no user admin", "/admin/users/user/", 302, "/admin/login/", bearer=OWNER),
    AdminCase(
        "bearer token changes no password without CSRF",
        "/admin/password_change/",
        403,
        method="POST",
        bearer=OWNER,
        form={"old_password": "test-pass-2026", "new_password1": "Hostile-pass-99", "new_password2": "Hostile-pass-99"},
        csrf=False,
    ),
    AdminCase(
        "bearer token adds no product without CSRF",
        "/admin/catalog/product/add/",
        403,
        method="POST",
        bearer=OWNER,
        form={"name": "x", "sku": "HOSTILE-ADMIN", "price": "1.00"},
        csrf=False,
    ),
    AdminCase("bearer token on the platform admin", "/admin/", 302, "/admin/login/", host="localhost", bearer=OWNER),
    # The admin's own session still needs its CSRF token.
    AdminCase(
        "session without CSRF token changes no password",
        "/admin/password_change/",
        403,
        method="POST",
        signed_in=True,
        form={"old_password": "test-pass-2026", "new_password1": "Hostile-pass-99", "new_password2": "Hostile-pass-99"},
        csrf=False,
    ),
    AdminCase(
        "login without CSRF token",
        "/admin/login/",
        403,
        method="POST",
        form={"username": "owner@acme.test", "password": "x"},
        csrf=False,
    ),
    # Sessions stay on their tenant's host.
    AdminCase("acme session on beta's admin", "/admin/", 302, "/admin/login/", host="beta.localhost", signed_in=True),
    AdminCase("acme session on the platform admin", "/admin/", 302, "/admin/login/", host="localhost", signed_in=True),
    # NUL and odd ids in what the admin reads from the URL and forms.
    AdminCase("NUL in a list filter", "/admin/catalog/product/?sku__exact=%00", 400, signed_in=True),
    AdminCase("NUL in the admin search", "/admin/catalog/product/?q=a%00b", 400, signed_in=True),
    AdminCase("NUL in an object id", "/admin/catalog/product/%00/change/", 400, signed_in=True),
    AdminCase(
        "NUL in the login form",
        "/admin/login/",
        400,
        method="POST",
        form={"username": "owner@acme.test\x00", "password": "x"},
    ),
    AdminCase(
        "superscript digit as an object id", "/admin/catalog/product/%C2%B2/change/", 302, "/admin/", signed_in=True
    ),
    AdminCase(
        "unknown list filter",
        "/admin/catalog/product/?nope__exact=1",
        302,
        "/admin/catalog/product/?e=1",
        signed_in=True,
    ),
]
