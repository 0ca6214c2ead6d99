import { screen, waitFor, within } from "@testing-library/react";
import { NotificationFeed } from "../features/notifications/NotificationFeed";
import { NOTIFICATIONS_QUERY, NOTIFICATION_RECEIVED_SUBSCRIPTION, UNREAD_COUNT_QUERY } from "../features/notifications/operations";
import { NOTIFICATION_FEED_SIZE } from "../features/notifications/useNotificationFeed";
import { PRODUCTS_QUERY } from "../features/products/operations";
import { ProductsPanel } from "../features/products/ProductsPanel";
import { productsVariables } from "../features/products/useProducts";
import { aNotification, aNotificationList, aProduct, aProductPage } from "../test/fixtures";
import { mockData, renderWithApollo } from "../test/render";

const pushed = (message: string) =>
  mockData(
    NOTIFICATION_RECEIVED_SUBSCRIPTION,
    {},
    { __typename: "Subscription", notifications: aNotification({ id: "9", message }) },
    { delay: 200 },
  );

const common = [
  mockData(NOTIFICATIONS_QUERY, { first: NOTIFICATION_FEED_SIZE }, aNotificationList([])),
  mockData(UNREAD_COUNT_QUERY, {}, { __typename: "Query", unreadNotificationCount: 0 }),
];

const names = () => screen.queryAllByTestId("product-name").map((cell) => cell.textContent);

describe("live product lists", () => {
  it("refetch the open list when a product notification arrives, with the new price and total", async () => {
    const anvil = aProduct({ id: "1", name: "Anvil", price: "10.00" });
    renderWithApollo(
      <>
        <ProductsPanel canEdit={false} />
        <NotificationFeed />
      </>,
      [
        ...common,
        mockData(PRODUCTS_QUERY, productsVariables(), aProductPage([anvil])),
        pushed('Product "Anvil" (A-1) was updated.'),
        mockData(
          PRODUCTS_QUERY,
          productsVariables(),
          aProductPage([{ ...anvil, price: "12.00" }, aProduct({ id: "2", name: "Bolt" })]),
        ),
      ],
    );
    await waitFor(() => expect(names()).toEqual(["Anvil"]));

    await waitFor(() => expect(names()).toEqual(["Anvil", "Bolt"]));
    expect(within(screen.getAllByTestId("product-row")[0]).getByTestId("product-price")).toHaveTextContent("$12.00");
    expect(screen.getByTestId("product-total")).toHaveTextContent("2");
    expect(screen.getByTestId("notification-announcer")).toHaveTextContent('New notification: Product "Anvil"');
  });

  it("drop a product deleted elsewhere from the open list", async () => {
    const anvil = aProduct({ id: "1", name: "Anvil" });
    const bolt = aProduct({ id: "2", name: "Bolt" });
    renderWithApollo(
      <>
        <ProductsPanel canEdit={false} />
        <NotificationFeed />
      </>,
      [
        ...common,
        mockData(PRODUCTS_QUERY, productsVariables(), aProductPage([anvil, bolt])),
        pushed('Product "Anvil" (A-1) was deleted.'),
        mockData(PRODUCTS_QUERY, productsVariables(), aProductPage([bolt])),
      ],
    );
    await waitFor(() => expect(names()).toEqual(["Anvil", "Bolt"]));

    await waitFor(() => expect(names()).toEqual(["Bolt"]));
    expect(screen.getByTestId("product-total")).toHaveTextContent("1");
  });
});
