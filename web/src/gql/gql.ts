/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment NotificationFields on Notification {\n    id\n    message\n    level\n    isRead\n    createdAt\n  }\n": typeof types.NotificationFieldsFragmentDoc,
    "\n  query Notifications($first: Int!) {\n    notifications(first: $first) {\n      edges {\n        node {\n          ...NotificationFields\n        }\n      }\n    }\n  }\n": typeof types.NotificationsDocument,
    "\n  query UnreadNotificationCount {\n    unreadNotificationCount\n  }\n": typeof types.UnreadNotificationCountDocument,
    "\n  subscription NotificationReceived {\n    notifications {\n      ...NotificationFields\n    }\n  }\n": typeof types.NotificationReceivedDocument,
    "\n  mutation MarkNotificationRead($id: ID!) {\n    markNotificationRead(id: $id) {\n      id\n      isRead\n    }\n  }\n": typeof types.MarkNotificationReadDocument,
    "\n  mutation MarkAllNotificationsRead {\n    markAllNotificationsRead\n  }\n": typeof types.MarkAllNotificationsReadDocument,
    "\n  fragment ProductFields on Product {\n    id\n    name\n    description\n    sku\n    price\n    isActive\n    createdAt\n    updatedAt\n  }\n": typeof types.ProductFieldsFragmentDoc,
    "\n  fragment OperationInfoFields on OperationInfo {\n    messages {\n      kind\n      field\n      message\n    }\n  }\n": typeof types.OperationInfoFieldsFragmentDoc,
    "\n  query Products($first: Int!, $after: String, $filters: ProductFilter, $order: ProductOrder) {\n    products(first: $first, after: $after, filters: $filters, order: $order) {\n      edges {\n        cursor\n        node {\n          ...ProductFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n": typeof types.ProductsDocument,
    "\n  mutation CreateProduct($input: ProductInput!) {\n    createProduct(input: $input) {\n      ... on Product {\n        ...ProductFields\n      }\n      ... on OperationInfo {\n        ...OperationInfoFields\n      }\n    }\n  }\n": typeof types.CreateProductDocument,
    "\n  mutation UpdateProduct($id: ID!, $input: ProductPatch!) {\n    updateProduct(id: $id, input: $input) {\n      ... on Product {\n        ...ProductFields\n      }\n      ... on OperationInfo {\n        ...OperationInfoFields\n      }\n    }\n  }\n": typeof types.UpdateProductDocument,
    "\n  mutation DeleteProduct($id: ID!) {\n    deleteProduct(id: $id) {\n      ... on DeletedProduct {\n        id\n      }\n      ... on OperationInfo {\n        ...OperationInfoFields\n      }\n    }\n  }\n": typeof types.DeleteProductDocument,
    "\n  query Product($id: ID!) {\n    product(id: $id) {\n      ...ProductFields\n    }\n  }\n": typeof types.ProductDocument,
    "\n  query SearchProducts($query: String!, $first: Int) {\n    searchProducts(query: $query, first: $first) {\n      id\n      name\n      sku\n      price\n    }\n  }\n": typeof types.SearchProductsDocument,
    "\n  query Tenant {\n    tenant {\n      name\n      schemaName\n    }\n  }\n": typeof types.TenantDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      isStaff\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
};
const documents: Documents = {
    "\n  fragment NotificationFields on Notification {\n    id\n    message\n    level\n    isRead\n    createdAt\n  }\n": types.NotificationFieldsFragmentDoc,
    "\n  query Notifications($first: Int!) {\n    notifications(first: $first) {\n      edges {\n        node {\n          ...NotificationFields\n        }\n      }\n    }\n  }\n": types.NotificationsDocument,
    "\n  query UnreadNotificationCount {\n    unreadNotificationCount\n  }\n": types.UnreadNotificationCountDocument,
    "\n  subscription NotificationReceived {\n    notifications {\n      ...NotificationFields\n    }\n  }\n": types.NotificationReceivedDocument,
    "\n  mutation MarkNotificationRead($id: ID!) {\n    markNotificationRead(id: $id) {\n      id\n      isRead\n    }\n  }\n": types.MarkNotificationReadDocument,
    "\n  mutation MarkAllNotificationsRead {\n    markAllNotificationsRead\n  }\n": types.MarkAllNotificationsReadDocument,
    "\n  fragment ProductFields on Product {\n    id\n    name\n    description\n    sku\n    price\n    isActive\n    createdAt\n    updatedAt\n  }\n": types.ProductFieldsFragmentDoc,
    "\n  fragment OperationInfoFields on OperationInfo {\n    messages {\n      kind\n      field\n      message\n    }\n  }\n": types.OperationInfoFieldsFragmentDoc,
    "\n  query Products($first: Int!, $after: String, $filters: ProductFilter, $order: ProductOrder) {\n    products(first: $first, after: $after, filters: $filters, order: $order) {\n      edges {\n        cursor\n        node {\n          ...ProductFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n": types.ProductsDocument,
    "\n  mutation CreateProduct($input: ProductInput!) {\n    createProduct(input: $input) {\n      ... on Product {\n        ...ProductFields\n      }\n      ... on OperationInfo {\n        ...OperationInfoFields\n      }\n    }\n  }\n": types.CreateProductDocument,
    "\n  mutation UpdateProduct($id: ID!, $input: ProductPatch!) {\n    updateProduct(id: $id, input: $input) {\n      ... on Product {\n        ...ProductFields\n      }\n      ... on OperationInfo {\n        ...OperationInfoFields\n      }\n    }\n  }\n": types.UpdateProductDocument,
    "\n  mutation DeleteProduct($id: ID!) {\n    deleteProduct(id: $id) {\n      ... on DeletedProduct {\n        id\n      }\n      ... on OperationInfo {\n        ...OperationInfoFields\n      }\n    }\n  }\n": types.DeleteProductDocument,
    "\n  query Product($id: ID!) {\n    product(id: $id) {\n      ...ProductFields\n    }\n  }\n": types.ProductDocument,
    "\n  query SearchProducts($query: String!, $first: Int) {\n    searchProducts(query: $query, first: $first) {\n      id\n      name\n      sku\n      price\n    }\n  }\n": types.SearchProductsDocument,
    "\n  query Tenant {\n    tenant {\n      name\n      schemaName\n    }\n  }\n": types.TenantDocument,
    "\n  query Me {\n    me {\n      id\n      email\n      isStaff\n    }\n  }\n": types.MeDocument,
    "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment NotificationFields on Notification {\n    id\n    message\n    level\n    isRead\n    createdAt\n  }\n"): (typeof documents)["\n  fragment NotificationFields on Notification {\n    id\n    message\n    level\n    isRead\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Notifications($first: Int!) {\n    notifications(first: $first) {\n      edges {\n        node {\n          ...NotificationFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Notifications($first: Int!) {\n    notifications(first: $first) {\n      edges {\n        node {\n          ...NotificationFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query UnreadNotificationCount {\n    unreadNotificationCount\n  }\n"): (typeof documents)["\n  query UnreadNotificationCount {\n    unreadNotificationCount\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription NotificationReceived {\n    notifications {\n      ...NotificationFields\n    }\n  }\n"): (typeof documents)["\n  subscription NotificationReceived {\n    notifications {\n      ...NotificationFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkNotificationRead($id: ID!) {\n    markNotificationRead(id: $id) {\n      id\n      isRead\n    }\n  }\n"): (typeof documents)["\n  mutation MarkNotificationRead($id: ID!) {\n    markNotificationRead(id: $id) {\n      id\n      isRead\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkAllNotificationsRead {\n    markAllNotificationsRead\n  }\n"): (typeof documents)["\n  mutation MarkAllNotificationsRead {\n    markAllNotificationsRead\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ProductFields on Product {\n    id\n    name\n    description\n    sku\n    price\n    isActive\n    createdAt\n    updatedAt\n  }\n"): (typeof documents)["\n  fragment ProductFields on Product {\n    id\n    name\n    description\n    sku\n    price\n    isActive\n    createdAt\n    updatedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment OperationInfoFields on OperationInfo {\n    messages {\n      kind\n      field\n      message\n    }\n  }\n"): (typeof documents)["\n  fragment OperationInfoFields on OperationInfo {\n    messages {\n      kind\n      field\n      message\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Products($first: Int!, $after: String, $filters: ProductFilter, $order: ProductOrder) {\n    products(first: $first, after: $after, filters: $filters, order: $order) {\n      edges {\n        cursor\n        node {\n          ...ProductFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n"): (typeof documents)["\n  query Products($first: Int!, $after: String, $filters: ProductFilter, $order: ProductOrder) {\n    products(first: $first, after: $after, filters: $filters, order: $order) {\n      edges {\n        cursor\n        node {\n          ...ProductFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateProduct($input: ProductInput!) {\n    createProduct(input: $input) {\n      ... on Product {\n        ...ProductFields\n      }\n      ... on OperationInfo {\n        ...OperationInfoFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateProduct($input: ProductInput!) {\n    createProduct(input: $input) {\n      ... on Product {\n        ...ProductFields\n      }\n      ... on OperationInfo {\n        ...OperationInfoFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateProduct($id: ID!, $input: ProductPatch!) {\n    updateProduct(id: $id, input: $input) {\n      ... on Product {\n        ...ProductFields\n      }\n      ... on OperationInfo {\n        ...OperationInfoFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateProduct($id: ID!, $input: ProductPatch!) {\n    updateProduct(id: $id, input: $input) {\n      ... on Product {\n        ...ProductFields\n      }\n      ... on OperationInfo {\n        ...OperationInfoFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteProduct($id: ID!) {\n    deleteProduct(id: $id) {\n      ... on DeletedProduct {\n        id\n      }\n      ... on OperationInfo {\n        ...OperationInfoFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DeleteProduct($id: ID!) {\n    deleteProduct(id: $id) {\n      ... on DeletedProduct {\n        id\n      }\n      ... on OperationInfo {\n        ...OperationInfoFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Product($id: ID!) {\n    product(id: $id) {\n      ...ProductFields\n    }\n  }\n"): (typeof documents)["\n  query Product($id: ID!) {\n    product(id: $id) {\n      ...ProductFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SearchProducts($query: String!, $first: Int) {\n    searchProducts(query: $query, first: $first) {\n      id\n      name\n      sku\n      price\n    }\n  }\n"): (typeof documents)["\n  query SearchProducts($query: String!, $first: Int) {\n    searchProducts(query: $query, first: $first) {\n      id\n      name\n      sku\n      price\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Tenant {\n    tenant {\n      name\n      schemaName\n    }\n  }\n"): (typeof documents)["\n  query Tenant {\n    tenant {\n      name\n      schemaName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      email\n      isStaff\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      email\n      isStaff\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($email: String!, $password: String!) {\n    login(email: $email, password: $password) {\n      token\n      user {\n        id\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;