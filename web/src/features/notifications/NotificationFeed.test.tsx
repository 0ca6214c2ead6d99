import { act, screen, waitFor, within } from "@testing-library/react";
import { aNotification, aNotificationList } from "../../test/fixtures";
import { mockData, renderWithApollo } from "../../test/render";
import { NotificationFeed } from "./NotificationFeed";
import {
  MARK_ALL_NOTIFICATIONS_READ_MUTATION,
  MARK_NOTIFICATION_READ_MUTATION,
  NOTIFICATIONS_QUERY,
  NOTIFICATION_RECEIVED_SUBSCRIPTION,
  UNREAD_COUNT_QUERY,
} from "./operations";
import { NOTIFICATION_FEED_SIZE } from "./useNotificationFeed";

const listVariables = { first: NOTIFICATION_FEED_SIZE };
const unreadCount = (count: number) => ({ __typename: "Query" as const, unreadNotificationCount: count });
const pushed = (notification = aNotification(), delay = 200) =>
  mockData(
    NOTIFICATION_RECEIVED_SUBSCRIPTION,
    {},
    { __typename: "Subscription", notifications: notification },
    { delay },
  );
const noPush = () => pushed(aNotification({ id: "never" }), 60_000);
const messages = () => screen.queryAllByTestId("notification-item").map((item) => item.firstChild?.textContent);

describe("NotificationFeed", () => {
  const first = aNotification({ id: "1", message: "Product Anvil was created" });

  it("prepends a pushed notification and increases the unread badge", async () => {
    const incoming = aNotification({ id: "2", message: "Product Bolt was created", level: "SUCCESS" });
    renderWithApollo(<NotificationFeed />, [
      mockData(NOTIFICATIONS_QUERY, listVariables, aNotificationList([first])),
      mockData(UNREAD_COUNT_QUERY, {}, unreadCount(1)),
      pushed(incoming),
    ]);

    await waitFor(() => expect(messages()).toEqual(["Product Anvil was created"]));
    await waitFor(() => expect(screen.getByTestId("feed-unread-count")).toHaveTextContent("1"));

    await waitFor(() => expect(messages()).toEqual(["Product Bolt was created", "Product Anvil was created"]));
    expect(screen.getByTestId("feed-unread-count")).toHaveTextContent("2");
    expect(screen.getAllByTestId("notification-item")[0]).toHaveClass("level-success");
  });

  it("ignores a pushed notification that is already listed", async () => {
    renderWithApollo(<NotificationFeed />, [
      mockData(NOTIFICATIONS_QUERY, listVariables, aNotificationList([first])),
      mockData(UNREAD_COUNT_QUERY, {}, unreadCount(1)),
      pushed(first, 100),
      noPush(),
    ]);

    await waitFor(() => expect(messages()).toEqual(["Product Anvil was created"]));
    await waitFor(() => expect(screen.getByTestId("feed-unread-count")).toHaveTextContent("1"));
    await act(() => new Promise((resolve) => setTimeout(resolve, 250)));
    expect(messages()).toEqual(["Product Anvil was created"]);
    expect(screen.getByTestId("feed-unread-count")).toHaveTextContent("1");
  });

  it("refetches the list and the count when the websocket reconnects", async () => {
    const missed = aNotification({ id: "3", message: "Product Crate was deleted", level: "WARNING" });
    const { connection } = renderWithApollo(<NotificationFeed />, [
      mockData(NOTIFICATIONS_QUERY, listVariables, aNotificationList([first])),
      mockData(UNREAD_COUNT_QUERY, {}, unreadCount(1)),
      mockData(NOTIFICATIONS_QUERY, listVariables, aNotificationList([missed, first])),
      mockData(UNREAD_COUNT_QUERY, {}, unreadCount(2)),
      noPush(),
    ]);
    await waitFor(() => expect(messages()).toEqual(["Product Anvil was created"]));
    await waitFor(() => expect(screen.getByTestId("feed-unread-count")).toHaveTextContent("1"));

    act(() => {
      connection.connected();
      connection.closed();
      connection.connected();
    });

    await waitFor(() => expect(messages()).toEqual(["Product Crate was deleted", "Product Anvil was created"]));
    await waitFor(() => expect(screen.getByTestId("feed-unread-count")).toHaveTextContent("2"));
  });

  it("marks one notification read and refreshes the badge", async () => {
    const { user } = renderWithApollo(<NotificationFeed />, [
      mockData(NOTIFICATIONS_QUERY, listVariables, aNotificationList([first])),
      mockData(UNREAD_COUNT_QUERY, {}, unreadCount(1)),
      mockData(
        MARK_NOTIFICATION_READ_MUTATION,
        { id: "1" },
        { __typename: "Mutation", markNotificationRead: { __typename: "Notification", id: "1", isRead: true } },
      ),
      mockData(UNREAD_COUNT_QUERY, {}, unreadCount(0)),
      noPush(),
    ]);
    const item = await screen.findByTestId("notification-item");
    expect(item).toHaveAttribute("data-read", "false");

    await user.click(within(item).getByTestId("mark-read"));

    await waitFor(() => expect(item).toHaveAttribute("data-read", "true"));
    expect(within(item).queryByTestId("mark-read")).not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByTestId("feed-unread-count")).toHaveTextContent("0"));
    expect(screen.getByTestId("mark-all-read")).toBeDisabled();
  });

  it("marks all notifications read", async () => {
    const second = aNotification({ id: "2", message: "Product Bolt was created" });
    const { user } = renderWithApollo(<NotificationFeed />, [
      mockData(NOTIFICATIONS_QUERY, listVariables, aNotificationList([second, first])),
      mockData(UNREAD_COUNT_QUERY, {}, unreadCount(2)),
      mockData(MARK_ALL_NOTIFICATIONS_READ_MUTATION, {}, { __typename: "Mutation", markAllNotificationsRead: 2 }),
      mockData(
        NOTIFICATIONS_QUERY,
        listVariables,
        aNotificationList([{ ...second, isRead: true }, { ...first, isRead: true }]),
      ),
      mockData(UNREAD_COUNT_QUERY, {}, unreadCount(0)),
      noPush(),
    ]);
    await waitFor(() => expect(screen.getByTestId("feed-unread-count")).toHaveTextContent("2"));

    await user.click(screen.getByTestId("mark-all-read"));

    await waitFor(() => expect(screen.getByTestId("feed-unread-count")).toHaveTextContent("0"));
    await waitFor(() =>
      expect(screen.getAllByTestId("notification-item").map((item) => item.dataset.read)).toEqual(["true", "true"]),
    );
  });
});
