import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";
import { ErrorLink } from "@apollo/client/link/error";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
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
          // The list grows by asking for more rows at once ("first"), so a refetch brings every
          // shown row up to date; each answer replaces the stored one.
          products: {
            keyArgs: ["filters", "order", "first"],
            merge: (_existing, incoming) => incoming,
          },
          notifications: {
            keyArgs: ["unreadOnly"],
            merge: (_existing, incoming) => incoming,
          },
        },
      },
    },
  });
}

const PONG_TIMEOUT_MS = 5_000;

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
  // A token the server no longer accepts (expired, revoked, signed out elsewhere) ends the session.
  const expiryLink = new ErrorLink(({ error }) => {
    const unauthenticated =
      CombinedGraphQLErrors.is(error) && error.errors.some((item) => item.extensions?.code === "UNAUTHENTICATED");
    if (unauthenticated && tokens.get()) tokens.clear("expired");
  });

  const authLink = new SetContextLink((prevContext) => {
    const token = tokens.get();
    if (!token) return {};
    return { headers: { ...prevContext.headers, Authorization: `Bearer ${token}` } };
  });

  // Authentication is by bearer token only, so no session cookie (and no CSRF token) is involved.
  const httpLink = new HttpLink({ uri: httpUrl, credentials: "omit" });

  // A socket that stops answering pings is closed, so the live indicator and the retry follow
  // the real state of the connection instead of waiting for the operating system to notice.
  let activeSocket: WebSocket | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;

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
        opened: (socket) => {
          activeSocket = socket as WebSocket;
        },
        connected: connection.connected,
        ping: (received) => {
          if (received) return;
          pongTimer = setTimeout(() => {
            if (activeSocket?.readyState === 1) activeSocket.close(4408, "No pong");
          }, PONG_TIMEOUT_MS);
        },
        pong: (received) => {
          if (received) clearTimeout(pongTimer);
        },
        closed: (event) => {
          clearTimeout(pongTimer);
          activeSocket = null;
          connection.closed();
          const code = (event as { code?: number } | undefined)?.code;
          if ((code === 4401 || code === 4403) && tokens.get()) tokens.clear("expired");
        },
      },
    }),
  );

  const link = ApolloLink.split(
    (operation) => operation.operationType === OperationTypeNode.SUBSCRIPTION,
    wsLink,
    ApolloLink.from([expiryLink, authLink, httpLink]),
  );

  return new ApolloClient({ link, cache: createCache() });
}
