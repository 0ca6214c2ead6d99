import { NOTIFICATION_RECEIVED_SUBSCRIPTION } from "../features/notifications/operations";
import { TENANT_QUERY } from "../features/session/operations";
import { aNotification } from "../test/fixtures";
import { createConnectionMonitor } from "./connectionMonitor";
import { createApolloClient, websocketUrl } from "./createApolloClient";
import { createTokenStore } from "./tokenStore";

class FakeWebSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;
  static instances: FakeWebSocket[] = [];

  readyState = FakeWebSocket.CONNECTING;
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(
    readonly url: string,
    readonly protocol: string,
  ) {
    FakeWebSocket.instances.push(this);
  }

  send(data: string) {
    this.sent.push(JSON.parse(data));
  }

  close(code = 1000, reason = "") {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code, reason });
  }

  serverOpens() {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.();
  }

  serverSends(message: object) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

const HOST = "acme.localhost:8000";

function setup() {
  const tokens = createTokenStore(window.localStorage, HOST);
  const connection = createConnectionMonitor();
  const fetchMock = vi.fn<(url: string, init: RequestInit) => Promise<Response>>(
    async () =>
      new Response(JSON.stringify({ data: { tenant: { __typename: "Tenant", name: "Acme", schemaName: "acme" } } }), {
        headers: { "content-type": "application/json" },
      }),
  );
  vi.stubGlobal("fetch", fetchMock);
  FakeWebSocket.instances = [];
  const client = createApolloClient({
    httpUrl: "/graphql/",
    wsUrl: websocketUrl({ protocol: "http:", host: HOST }),
    tokens,
    connection,
    webSocketImpl: FakeWebSocket,
  });
  return { client, tokens, connection, fetchMock };
}

describe("createApolloClient", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("sends the stored token as a bearer header over HTTP, without cookies", async () => {
    const { client, tokens, fetchMock } = setup();
    tokens.set("secret-token");

    const { data } = await client.query({ query: TENANT_QUERY });

    expect(data?.tenant.name).toBe("Acme");
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe("/graphql/");
    expect(init.method).toBe("POST");
    expect(init.credentials).toBe("omit");
    expect(new Headers(init.headers).get("authorization")).toBe("Bearer secret-token");
  });

  it("sends no authorization header when signed out", async () => {
    const { client, fetchMock } = setup();

    await client.query({ query: TENANT_QUERY });

    expect(new Headers(fetchMock.mock.calls[0][1].headers).has("authorization")).toBe(false);
  });

  it("runs subscriptions over graphql-transport-ws with the token in connection_init", async () => {
    const { client, tokens, connection, fetchMock } = setup();
    tokens.set("secret-token");
    const received: unknown[] = [];

    const subscription = client
      .subscribe({ query: NOTIFICATION_RECEIVED_SUBSCRIPTION })
      .subscribe({ next: (result) => received.push(result.data?.notifications.message) });

    await vi.waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
    const socket = FakeWebSocket.instances[0];
    expect(socket.url).toBe("ws://acme.localhost:8000/graphql/");
    expect(socket.protocol).toBe("graphql-transport-ws");
    expect(connection.getStatus()).toBe("connecting");

    socket.serverOpens();
    await vi.waitFor(() =>
      expect(socket.sent[0]).toEqual({ type: "connection_init", payload: { authToken: "secret-token" } }),
    );

    socket.serverSends({ type: "connection_ack" });
    await vi.waitFor(() => expect(connection.getStatus()).toBe("live"));
    await vi.waitFor(() => expect(socket.sent[1]).toMatchObject({ type: "subscribe" }));
    const { id } = socket.sent[1] as { id: string };

    socket.serverSends({
      type: "next",
      id,
      payload: { data: { notifications: aNotification({ message: "Product Anvil was created" }) } },
    });
    await vi.waitFor(() => expect(received).toEqual(["Product Anvil was created"]));
    expect(fetchMock).not.toHaveBeenCalled();

    socket.close(1006, "gone");
    expect(connection.getStatus()).toBe("offline");
    subscription.unsubscribe();
  });

  it("ends the session as expired when the server closes the socket for it (4401)", async () => {
    const { client, tokens } = setup();
    tokens.set("secret-token");

    const subscription = client.subscribe({ query: NOTIFICATION_RECEIVED_SUBSCRIPTION }).subscribe({});
    await vi.waitFor(() => expect(FakeWebSocket.instances).toHaveLength(1));
    const socket = FakeWebSocket.instances[0];
    socket.serverOpens();
    socket.serverSends({ type: "connection_ack" });

    socket.close(4401, "Session ended");

    expect(tokens.get()).toBeNull();
    expect(tokens.getNotice()).toBe("expired");
    subscription.unsubscribe();
  });

  it("ends the session as expired when an HTTP answer says UNAUTHENTICATED", async () => {
    const { client, tokens, fetchMock } = setup();
    tokens.set("revoked-token");
    fetchMock.mockImplementationOnce(
      async () =>
        new Response(JSON.stringify({ errors: [{ message: "Sign in first.", extensions: { code: "UNAUTHENTICATED" } }] }), {
          headers: { "content-type": "application/json" },
        }),
    );

    await client.query({ query: TENANT_QUERY }).catch(() => undefined);

    expect(tokens.get()).toBeNull();
    expect(tokens.getNotice()).toBe("expired");
  });

  it("builds a secure websocket URL on https pages", () => {
    expect(websocketUrl({ protocol: "https:", host: "acme.example.com" })).toBe("wss://acme.example.com/graphql/");
  });
});
