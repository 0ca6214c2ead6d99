import type { ApolloCache } from "@apollo/client";
import type { NotificationFieldsFragment } from "../../gql/graphql";
import { NOTIFICATIONS_QUERY, UNREAD_COUNT_QUERY } from "./operations";

export function addNotificationToCache(cache: ApolloCache, notification: NotificationFieldsFragment, first: number): void {
  const variables = { first };
  const list = cache.readQuery({ query: NOTIFICATIONS_QUERY, variables });
  if (list?.notifications.edges.some((edge) => edge.node.id === notification.id)) return;

  if (list) {
    cache.writeQuery({
      query: NOTIFICATIONS_QUERY,
      variables,
      data: {
        ...list,
        notifications: {
          ...list.notifications,
          edges: [{ __typename: "NotificationEdge", node: notification }, ...list.notifications.edges],
        },
      },
    });
  }

  if (!notification.isRead) {
    cache.updateQuery({ query: UNREAD_COUNT_QUERY }, (data) =>
      data ? { ...data, unreadNotificationCount: data.unreadNotificationCount + 1 } : data,
    );
  }
}
