import type {
  NotificationFieldsFragment,
  NotificationsQuery,
  ProductFieldsFragment,
  ProductsQuery,
} from "../gql/graphql";

export function aProduct(overrides: Partial<ProductFieldsFragment> = {}): ProductFieldsFragment {
  const id = overrides.id ?? "1";
  return {
    __typename: "Product",
    id,
    name: `Product ${id}`,
    description: "",
    sku: `SKU-${id}`,
    price: "10.00",
    isActive: true,
    createdAt: "2026-01-01T10:00:00+00:00",
    updatedAt: "2026-01-01T10:00:00+00:00",
    ...overrides,
  };
}

export function aProductPage(
  products: ProductFieldsFragment[],
  { totalCount = products.length, endCursor = null as string | null, hasNextPage = false } = {},
): ProductsQuery {
  return {
    __typename: "Query",
    products: {
      __typename: "ProductConnection",
      totalCount,
      edges: products.map((node) => ({ __typename: "ProductEdge", cursor: `cursor-${node.id}`, node })),
      pageInfo: { __typename: "PageInfo", hasNextPage, endCursor },
    },
  };
}

export function aNotification(overrides: Partial<NotificationFieldsFragment> = {}): NotificationFieldsFragment {
  const id = overrides.id ?? "1";
  return {
    __typename: "Notification",
    id,
    message: `Notification ${id}`,
    level: "INFO",
    isRead: false,
    createdAt: "2026-01-01T10:00:00+00:00",
    ...overrides,
  };
}

export function aNotificationList(notifications: NotificationFieldsFragment[]): NotificationsQuery {
  return {
    __typename: "Query",
    notifications: {
      __typename: "NotificationConnection",
      edges: notifications.map((node) => ({ __typename: "NotificationEdge", node })),
    },
  };
}
