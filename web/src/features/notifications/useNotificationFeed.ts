import { useMutation, useQuery, useSubscription } from "@apollo/client/react";
import { useState } from "react";
import { useOnReconnect } from "../../app/services";
import { refreshProductQueries } from "../products/productCache";
import { addNotificationToCache } from "./notificationCache";
import {
  MARK_ALL_NOTIFICATIONS_READ_MUTATION,
  MARK_NOTIFICATION_READ_MUTATION,
  NOTIFICATIONS_QUERY,
  NOTIFICATION_RECEIVED_SUBSCRIPTION,
  UNREAD_COUNT_QUERY,
} from "./operations";

export const NOTIFICATION_FEED_SIZE = 20;

export function useNotificationFeed() {
  const list = useQuery(NOTIFICATIONS_QUERY, { variables: { first: NOTIFICATION_FEED_SIZE } });
  const count = useQuery(UNREAD_COUNT_QUERY);

  const [latest, setLatest] = useState<string | null>(null);

  useSubscription(NOTIFICATION_RECEIVED_SUBSCRIPTION, {
    onData: ({ client, data }) => {
      if (!data.data) return;
      const notification = data.data.notifications;
      addNotificationToCache(client.cache, notification, NOTIFICATION_FEED_SIZE);
      setLatest(notification.message);
      // Product events (including the ones for this user's own changes) do not carry the
      // product's id, so every product list and view on screen is fetched again.
      void refreshProductQueries(client);
    },
  });

  useOnReconnect(() => {
    void list.refetch();
    void count.refetch();
  });

  const [markRead, markReadState] = useMutation(MARK_NOTIFICATION_READ_MUTATION, {
    errorPolicy: "all",
    refetchQueries: [UNREAD_COUNT_QUERY],
  });
  const [markAllRead, markAllReadState] = useMutation(MARK_ALL_NOTIFICATIONS_READ_MUTATION, {
    errorPolicy: "all",
    refetchQueries: [NOTIFICATIONS_QUERY, UNREAD_COUNT_QUERY],
  });

  return {
    notifications: list.data?.notifications.edges.map((edge) => edge.node) ?? [],
    unreadCount: count.data?.unreadNotificationCount,
    latest,
    error: list.error ?? count.error ?? markReadState.error ?? markAllReadState.error,
    markRead: (id: string) => markRead({ variables: { id } }),
    markAllRead: () => markAllRead(),
  };
}
