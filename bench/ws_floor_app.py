"""The floor of the socket-opening benchmark (bench/live.py ``live_open``): daphne alone.

A bare ASGI app that speaks just enough graphql-transport-ws for the load process: it accepts the
subprotocol, answers ``connection_init`` and ``ping`` and ignores the rest. No Django,
no tenant, no credential, no channel layer: what daphne, twisted and autobahn cost per socket.
"""

import json

ANSWERS = {"connection_init": "connection_ack", "ping": "pong"}


async def application(scope, receive, send):
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    if scope["type"] != "websocket":
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"ok"})
        return
    while True:
        event = await receive()
        if event["type"] == "websocket.connect":
            await send({"type": "websocket.accept", "subprotocol": "graphql-transport-ws"})
        elif event["type"] == "websocket.receive":
            kind = json.loads(event.get("text") or "{}").get("type")
            if kind in ANSWERS:
                await send({"type": "websocket.send", "text": json.dumps({"type": ANSWERS[kind]})})
        elif event["type"] == "websocket.disconnect":
            return
