import { screen, waitFor } from "@testing-library/react";
import { NOTIFICATIONS_QUERY, UNREAD_COUNT_QUERY, NOTIFICATION_RECEIVED_SUBSCRIPTION } from "../features/notifications/operations";
import { NOTIFICATION_FEED_SIZE } from "../features/notifications/useNotificationFeed";
import { PRODUCTS_QUERY } from "../features/products/operations";
import { productsVariables } from "../features/products/useProducts";
import { LOGOUT_MUTATION, ME_QUERY, TENANT_QUERY } from "../features/session/operations";
import { aNotification, aNotificationList, aProduct, aProductPage } from "../test/fixtures";
import { mockData, renderWithApollo, TEST_HOST } from "../test/render";
import { App } from "./App";
import { createTokenStore } from "./tokenStore";

const tenant = mockData(TENANT_QUERY, {}, {
  __typename: "Query",
  tenant: { __typename: "Tenant", name: "Acme Corp", schemaName: "acme" },
});

const me = (user: { email: string; isStaff: boolean } | null) =>
  mockData(ME_QUERY, {}, { __typename: "Query", me: user && { __typename: "User", id: "1", ...user } });

const workspaceData = [
  mockData(PRODUCTS_QUERY, productsVariables(), aProductPage([aProduct({ id: "1", name: "Anvil" })])),
  mockData(NOTIFICATIONS_QUERY, { first: NOTIFICATION_FEED_SIZE }, aNotificationList([aNotification()])),
  mockData(UNREAD_COUNT_QUERY, {}, { __typename: "Query", unreadNotificationCount: 1 }),
  mockData(
    NOTIFICATION_RECEIVED_SUBSCRIPTION,
    {},
    { __typename: "Subscription", notifications: aNotification({ id: "never" }) },
    { delay: 60_000 },
  ),
];

const signIn = () => createTokenStore(window.localStorage, TEST_HOST).set("stored-token");

describe("App", () => {
  it("shows the tenant name and the login form when signed out", async () => {
    renderWithApollo(<App />, [tenant]);

    await waitFor(() => expect(screen.getByTestId("tenant-name")).toHaveTextContent("Acme Corp"));
    expect(screen.getByTestId("tenant-schema")).toHaveTextContent("acme");
    expect(screen.getByTestId("login-email")).toBeInTheDocument();
    expect(screen.queryByTestId("logout")).not.toBeInTheDocument();
  });

  it("shows the workspace of a signed-in staff user and logs out", async () => {
    signIn();
    const logoutResult = vi.fn(() => ({ data: { __typename: "Mutation" as const, logout: true } }));
    const { user, tokens } = renderWithApollo(<App />, [
      tenant,
      me({ email: "owner@acme.test", isStaff: true }),
      ...workspaceData,
      { request: { query: LOGOUT_MUTATION }, result: logoutResult },
    ]);

    expect(await screen.findByTestId("me-email")).toHaveTextContent("owner@acme.test");
    expect(screen.getByTestId("me-staff")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("tenant-name")).toHaveTextContent("Acme Corp"));
    expect(screen.getByTestId("product-create-form")).toBeInTheDocument();
    expect(await screen.findAllByTestId("product-row")).toHaveLength(1);

    await user.click(screen.getByTestId("logout"));

    expect(await screen.findByTestId("login-email")).toBeInTheDocument();
    await waitFor(() => expect(logoutResult).toHaveBeenCalledTimes(1));
    expect(tokens.get()).toBeNull();
    expect(screen.queryByTestId("product-row")).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("tenant-name")).toHaveTextContent("Acme Corp"));
  });

  it("hides the create form from members", async () => {
    signIn();
    renderWithApollo(<App />, [tenant, me({ email: "member@acme.test", isStaff: false }), ...workspaceData]);

    expect(await screen.findByTestId("me-email")).toHaveTextContent("member@acme.test");
    expect(await screen.findAllByTestId("product-row")).toHaveLength(1);
    expect(screen.queryByTestId("me-staff")).not.toBeInTheDocument();
    expect(screen.queryByTestId("product-create-form")).not.toBeInTheDocument();
  });

  it("drops a token the server no longer accepts and asks to sign in again", async () => {
    signIn();
    const { tokens } = renderWithApollo(<App />, [tenant, me(null)]);

    expect(await screen.findByTestId("login-email")).toBeInTheDocument();
    expect(tokens.get()).toBeNull();
  });
});
