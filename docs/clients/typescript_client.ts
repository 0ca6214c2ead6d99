/**
 * TypeScript client for the platform's GraphQL API: Apollo Client over HTTP (queries by automatic
 * persisted query over GET, mutations by POST) and graphql-ws for the notifications subscription.
 *
 *   npm install @apollo/client graphql graphql-ws rxjs ws
 *   GRAPHQL_URL=http://acme.localhost:8000/graphql/ npx tsx typescript_client.ts
 *
 * Signs in, pages through every product, searches, then prints notifications as they arrive
 * (NOTIFICATIONS of them, default 3). graphql-ws reconnects by itself and resubscribes.
 */
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { createHash } from "node:crypto";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const URL = process.env.GRAPHQL_URL ?? "http://acme.localhost:8000/graphql/";
const EMAIL = process.env.GRAPHQL_EMAIL ?? "owner@acme.test";
const PASSWORD = process.env.GRAPHQL_PASSWORD ?? "demo-pass-2026";
const SEARCH = process.env.GRAPHQL_SEARCH ?? "anvil";
const NOTIFICATIONS = Number(process.env.NOTIFICATIONS ?? "3");

const LOGIN = gql`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) { token user { id email } }
  }
`;
const PRODUCTS = gql`
  query Products($after: String) {
    products(first: 5, after: $after, order: { name: ASC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id name sku price } }
    }
  }
`;
const SEARCH_PRODUCTS = gql`
  query Search($query: String!) { searchProducts(query: $query, first: 5) { id name price } }
`;
const NOTIFICATIONS_SUBSCRIPTION = gql`
  subscription Notifications { notifications { id message level createdAt } }
`;

interface Product { id: string; name: string; sku: string; price: string }
interface ProductsPage {
  products: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: { node: Product }[] };
}

let token: string | null = null;

const http = new HttpLink({ uri: URL });
const auth = new SetContextLink((context) => (token ? { headers: { ...context.headers, Authorization: `Bearer ${token}` } } : {}));
const persisted = new PersistedQueryLink({
  sha256: (query: string) => createHash("sha256").update(query).digest("hex"),
  useGETForHashedQueries: true,
});
const client = new ApolloClient({
  // Queries by hash (GET, cacheable); mutations in full by POST.
  link: auth.concat(ApolloLink.split((op) => op.operationType === "query", persisted.concat(http), http)),
  cache: new InMemoryCache(),
});

async function signIn(): Promise<void> {
  const { data } = await client.mutate<{ login: { token: string; user: { email: string } } }>({
    mutation: LOGIN,
    variables: { email: EMAIL, password: PASSWORD },
  });
  token = data!.login.token;
  console.log(`signed in as ${data!.login.user.email}`);
}

async function browse(): Promise<void> {
  let after: string | null = null;
  let seen = 0;
  let total = 0;
  for (;;) {
    const result = await client.query<ProductsPage>({ query: PRODUCTS, variables: { after }, fetchPolicy: "network-only" });
    const page: ProductsPage["products"] = result.data!.products;
    total = page.totalCount;
    seen += page.edges.length;
    for (const { node } of page.edges) console.log(`product ${node.sku}: ${node.name} ${node.price}`);
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  console.log(`paged through ${seen} of ${total} products`);
  const { data } = await client.query<{ searchProducts: Product[] }>({ query: SEARCH_PRODUCTS, variables: { query: SEARCH } });
  console.log(`search '${SEARCH}': ${data!.searchProducts.map((product) => product.name).join(", ")}`);
}

function listen(): Promise<void> {
  const sockets = createClient({
    url: URL.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: () => ({ authToken: token }), // read at every (re)connection
    retryAttempts: Infinity,
    shouldRetry: () => true,
    on: {
      connected: () => console.log("subscribed"),
      closed: () => console.log("connection lost, reconnecting"),
    },
  });
  let received = 0;
  return new Promise((resolve, reject) => {
    const stop = sockets.subscribe<{ notifications: { message: string } }>(
      { query: NOTIFICATIONS_SUBSCRIPTION.loc!.source.body },
      {
        next: ({ data }) => {
          received += 1;
          console.log(`notification: ${data!.notifications.message}`);
          if (received >= NOTIFICATIONS) {
            stop();
            void sockets.dispose();
            resolve();
          }
        },
        error: reject,
        complete: () => undefined,
      },
    );
  });
}

await signIn();
await browse();
if (NOTIFICATIONS > 0) await listen();
