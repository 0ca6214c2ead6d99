#!/usr/bin/env bash
# The platform's GraphQL API from a shell: curl and jq for HTTP; for the subscription, websocat
# when it is installed, else a few lines of Python with the `websockets` package (websocat is not
# packaged by Debian).
#
#   GRAPHQL_URL=http://acme.localhost:8000/graphql/ bash curl.sh
#
# Signs in, pages through every product with a persisted query over GET (revalidating the first
# page by its ETag), searches, then prints NOTIFICATIONS notifications (default 3), reconnecting
# whenever the connection drops.
set -euo pipefail

export GRAPHQL_URL=${GRAPHQL_URL:-http://acme.localhost:8000/graphql/}
export GRAPHQL_EMAIL=${GRAPHQL_EMAIL:-owner@acme.test}
export GRAPHQL_PASSWORD=${GRAPHQL_PASSWORD:-demo-pass-2026}
export GRAPHQL_SEARCH=${GRAPHQL_SEARCH:-anvil}
export NOTIFICATIONS=${NOTIFICATIONS:-3}

# POST one operation: $1 document, $2 variables (JSON). The token, once there, goes as a header.
graphql() {
  jq -n --arg query "$1" --argjson variables "${2:-{\}}" '{query: $query, variables: $variables}' |
    curl -sS --fail-with-body -H 'Content-Type: application/json' \
      ${TOKEN:+-H "Authorization: Bearer $TOKEN"} --data-binary @- "$GRAPHQL_URL"
}

# Sign in (the password is read from the environment by jq, never put on a command line).
TOKEN=
LOGIN='mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token user { email } } }'
signed_in=$(graphql "$LOGIN" "$(jq -n '{email: env.GRAPHQL_EMAIL, password: env.GRAPHQL_PASSWORD}')")
TOKEN=$(jq -er .data.login.token <<<"$signed_in")
export TOKEN
echo "signed in as $(jq -r .data.login.user.email <<<"$signed_in")"

# Page through products with an automatic persisted query: GET by sha256 hash; the first time the
# server answers PERSISTED_QUERY_NOT_FOUND and the query is sent once with its hash.
PRODUCTS='query Products($after: String) { products(first: 5, after: $after, order: {name: ASC}) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name sku price } } } }'
HASH=$(printf '%s' "$PRODUCTS" | sha256sum | cut -d' ' -f1)
EXTENSIONS=$(jq -nc --arg hash "$HASH" '{persistedQuery: {version: 1, sha256Hash: $hash}}')

get_page() {  # $1 variables (JSON), extra curl arguments after it; prints headers then body
  curl -sS -i -G "$GRAPHQL_URL" -H "Authorization: Bearer $TOKEN" \
    --data-urlencode "extensions=$EXTENSIONS" --data-urlencode "variables=$1" "${@:2}"
}
body_of() { sed '1,/^\r$/d'; }

first=$(get_page '{"after": null}')
if body_of <<<"$first" | jq -e '.errors[0].extensions.code == "PERSISTED_QUERY_NOT_FOUND"' >/dev/null; then
  jq -n --arg query "$PRODUCTS" --argjson extensions "$EXTENSIONS" '{query: $query, variables: {after: null}, extensions: $extensions}' |
    curl -sS --fail-with-body -H 'Content-Type: application/json' -H "Authorization: Bearer $TOKEN" \
      --data-binary @- "$GRAPHQL_URL" >/dev/null
  first=$(get_page '{"after": null}')
fi
etag=$(grep -i '^etag:' <<<"$first" | cut -d' ' -f2 | tr -d '\r')
status=$(get_page '{"after": null}' -H "If-None-Match: $etag" | head -1 | cut -d' ' -f2)
echo "first page revalidated by ETag $etag: HTTP $status"

after=null seen=0 page=$(body_of <<<"$first")
while :; do
  jq -r '.data.products.edges[].node | "product \(.sku): \(.name) \(.price)"' <<<"$page"
  seen=$((seen + $(jq '.data.products.edges | length' <<<"$page")))
  [ "$(jq '.data.products.pageInfo.hasNextPage' <<<"$page")" = true ] || break
  after=$(jq -c '.data.products.pageInfo.endCursor' <<<"$page")
  page=$(get_page "{\"after\": $after}" | body_of)
done
echo "paged through $seen of $(jq '.data.products.totalCount' <<<"$page") products"

SEARCH='query($query: String!) { searchProducts(query: $query, first: 5) { id name price } }'
found=$(graphql "$SEARCH" "$(jq -n '{query: env.GRAPHQL_SEARCH}')")
echo "search '$GRAPHQL_SEARCH': $(jq -r '[.data.searchProducts[].name] | join(", ")' <<<"$found")"

# Subscribe over graphql-transport-ws with the token in connection_init.
INIT=$(jq -nc '{type: "connection_init", payload: {authToken: env.TOKEN}}')
SUBSCRIBE='{"id": "1", "type": "subscribe", "payload": {"query": "subscription { notifications { id message level createdAt } }"}}'
WS_URL=${GRAPHQL_URL/http/ws}
if command -v websocat >/dev/null; then
  received=0
  while [ "$received" -lt "$NOTIFICATIONS" ]; do
    echo "subscribed"
    while read -r message; do
      [ "$(jq -r .type <<<"$message")" = next ] || continue
      echo "notification: $(jq -r .payload.data.notifications.message <<<"$message")"
      received=$((received + 1))
      [ "$received" -lt "$NOTIFICATIONS" ] || break
    done < <( { echo "$INIT"; echo "$SUBSCRIBE"; cat; } | websocat --protocol graphql-transport-ws "$WS_URL")
    [ "$received" -ge "$NOTIFICATIONS" ] || { echo "connection lost, reconnecting"; sleep 1; }
  done
else
  INIT=$INIT SUBSCRIBE=$SUBSCRIBE WS_URL=$WS_URL python3 - <<'PY'
import json, os, time
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

received, wanted = 0, int(os.environ["NOTIFICATIONS"])
while received < wanted:
    try:
        with connect(os.environ["WS_URL"], subprotocols=["graphql-transport-ws"]) as ws:
            ws.send(os.environ["INIT"])
            ws.send(os.environ["SUBSCRIBE"])
            print("subscribed", flush=True)
            while received < wanted:
                message = json.loads(ws.recv())
                if message["type"] == "next":
                    received += 1
                    print("notification:", message["payload"]["data"]["notifications"]["message"], flush=True)
    except (ConnectionClosed, OSError):
        print("connection lost, reconnecting", flush=True)
        time.sleep(1)
PY
fi
