import { graphql } from "../../gql";

export const NOTIFICATION_FIELDS = graphql(`
  fragment NotificationFields on Notification {
    id
    message
    level
    isRead
    createdAt
  }
`);

export const NOTIFICATIONS_QUERY = graphql(`
  query Notifications($first: Int!) {
    notifications(first: $first) {
      edges {
        node {
          ...NotificationFields
        }
      }
    }
  }
`);

export const UNREAD_COUNT_QUERY = graphql(`
  query UnreadNotificationCount {
    unreadNotificationCount
  }
`);

export const NOTIFICATION_RECEIVED_SUBSCRIPTION = graphql(`
  subscription NotificationReceived {
    notifications {
      ...NotificationFields
    }
  }
`);

export const MARK_NOTIFICATION_READ_MUTATION = graphql(`
  mutation MarkNotificationRead($id: ID!) {
    markNotificationRead(id: $id) {
      id
      isRead
    }
  }
`);

export const MARK_ALL_NOTIFICATIONS_READ_MUTATION = graphql(`
  mutation MarkAllNotificationsRead {
    markAllNotificationsRead
  }
`);
