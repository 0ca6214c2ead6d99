import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { relayStylePagination } from "@apollo/client/utilities";
import { OperationTypeNode } from "graphql";
import { createClient } from "graphql-ws";
import introspection from "../gql/possibleTypes";
import type { ConnectionMonitor } from "./connectionMonitor";
import type { TokenStore } from "./tokenStore";

export interface ApolloClientOptions {
  httpUrl: string;
  wsUrl: string;
  tokens: TokenStore;
  connection: ConnectionMonitor;
  webSocketImpl?: unknown;
}

export function createCache(): InMemoryCache {
  return new InMemoryCache({
    possibleTypes: introspection.possibleTypes,
    typePolicies: {
      Query: {
        fields: {
          products: relayStylePagination(["filters", "order"]),
          notifications: {
            keyArgs: ["unreadOnly"],
            merge: (_existing, incoming) => incoming,
          },
        },
      },
    },
  });
}

/** Hex SHA-256 of a query (Web Crypto), as the API's automatic persisted queries expect. */
export async function sha256(query: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(query));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export function websocketUrl(location: Pick<Location, "protocol" | "host">, path = "/graphql/"): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}${path}`;
}

export function createApolloClient({
  httpUrl,
  wsUrl,
  tokens,
  connection,
  webSocketImpl,
}: ApolloClientOptions): ApolloClient {
  const authLink = new SetContextLink((prevContext) => {
    const token = tokens.get();
    if (!token) return {};
    return { headers: { ...prevContext.headers, Authorization: `Bearer ${token}` } };
  });

  // Authentication is by bearer token only, so no session cookie (and no CSRF token) is involved.
  const httpLink = new HttpLink({ uri: httpUrl, credentials: "omit" });

  const wsLink = new GraphQLWsLink(
    createClient({
      url: wsUrl,
      webSocketImpl,
      connectionParams: () => {
        const token = tokens.get();
        return token ? { authToken: token } : {};
      },
      retryAttempts: Infinity,
      shouldRetry: () => true,
      keepAlive: 15_000,
      on: {
        connecting: connection.connecting,
        connected: connection.connected,
        closed: connection.closed,
      },
    }),
  );

  // Queries go by hash over GET (cacheable, revalidated by ETag); an unknown hash is retried once
  // with the full query. Mutations stay plain POSTs. Without Web Crypto (plain http on a
  // non-local host) queries are sent in full.
  const queryLink = globalThis.crypto?.subtle
    ? new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(httpLink)
    : httpLink;

  const link = ApolloLink.split(
    (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
    wsLink,
    authLink.concat(
      ApolloLink.split((operation) => operation.operationType === OperationTypeNode.QUERY, queryLink, httpLink),
    ),
  );

  return new ApolloClient({ link, cache: createCache() });
}
