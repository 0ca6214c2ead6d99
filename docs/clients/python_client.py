"""Python client for the platform's GraphQL API: gql with its HTTPX transport (queries and
mutations) and its websockets transport (the notifications subscription, reconnecting).

    pip install "gql[httpx,websockets]"
    GRAPHQL_URL=http://acme.localhost:8000/graphql/ python python_client.py

Signs in, pages through every product, searches, then prints notifications as they arrive
(NOTIFICATIONS of them, default 3), resubscribing whenever the connection drops.
"""

import asyncio
import os

from gql import Client, gql
from gql.transport.exceptions import TransportConnectionFailed
from gql.transport.httpx import HTTPXTransport
from gql.transport.websockets import WebsocketsTransport

URL = os.environ.get("GRAPHQL_URL", "http://acme.localhost:8000/graphql/")
EMAIL = os.environ.get("GRAPHQL_EMAIL", "owner@acme.test")
PASSWORD = os.environ.get("GRAPHQL_PASSWORD", "demo-pass-2026")
SEARCH = os.environ.get("GRAPHQL_SEARCH", "anvil")
NOTIFICATIONS = int(os.environ.get("NOTIFICATIONS", "3"))

LOGIN = gql("""
    mutation Login($email: String!, $password: String!) {
      login(email: $email, password: $password) { token user { id email } }
    }
""")
PRODUCTS = gql("""
    query Products($after: String) {
      products(first: 5, after: $after, order: { name: ASC }) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { id name sku price } }
      }
    }
""")
SEARCH_PRODUCTS = gql("""
    query Search($query: String!) { searchProducts(query: $query, first: 5) { id name price } }
""")
NOTIFICATIONS_SUBSCRIPTION = gql("""
    subscription Notifications { notifications { id message level createdAt } }
""")


def sign_in() -> str:
    """login returns a bearer token; no cookie is involved (the API starts none unless asked)."""
    with Client(transport=HTTPXTransport(url=URL)) as session:
        result = session.execute(LOGIN, variable_values={"email": EMAIL, "password": PASSWORD})
    print(f"signed in as {result['login']['user']['email']}", flush=True)
    return result["login"]["token"]


def browse(token: str) -> None:
    transport = HTTPXTransport(url=URL, headers={"Authorization": f"Bearer {token}"})
    with Client(transport=transport) as session:
        after, seen = None, 0
        while True:
            page = session.execute(PRODUCTS, variable_values={"after": after})["products"]
            seen += len(page["edges"])
            for edge in page["edges"]:
                print(f"product {edge['node']['sku']}: {edge['node']['name']} {edge['node']['price']}", flush=True)
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        print(f"paged through {seen} of {page['totalCount']} products", flush=True)
        found = session.execute(SEARCH_PRODUCTS, variable_values={"query": SEARCH})["searchProducts"]
        print(f"search {SEARCH!r}: {', '.join(product['name'] for product in found)}", flush=True)


async def listen(token: str) -> None:
    """Subscribe over graphql-transport-ws with the token in connection_init; when the connection
    drops, the reconnecting session connects again (with backoff) and we subscribe again."""
    websocket_url = URL.replace("http", "ws", 1)
    transport = WebsocketsTransport(url=websocket_url, init_payload={"authToken": token}, keep_alive_timeout=60)
    client = Client(transport=transport)
    session = await client.connect_async(reconnecting=True)
    received, pause = 0, 1.0
    try:
        while received < NOTIFICATIONS:
            try:
                print("subscribed", flush=True)
                async for result in session.subscribe(NOTIFICATIONS_SUBSCRIPTION):
                    received, pause = received + 1, 1.0
                    print(f"notification: {result['notifications']['message']}", flush=True)
                    if received >= NOTIFICATIONS:
                        break
            except TransportConnectionFailed:
                # The session reconnects in the background; give it time before subscribing again.
                print("connection lost, reconnecting", flush=True)
                await asyncio.sleep(pause)
                pause = min(pause * 2, 30.0)
    finally:
        await client.close_async()


if __name__ == "__main__":
    token = sign_in()
    browse(token)
    asyncio.run(listen(token))
