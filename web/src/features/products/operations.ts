import { graphql } from "../../gql";

export const PRODUCT_FIELDS = graphql(`
  fragment ProductFields on Product {
    id
    name
    description
    sku
    price
    isActive
    createdAt
    updatedAt
  }
`);

export const OPERATION_INFO_FIELDS = graphql(`
  fragment OperationInfoFields on OperationInfo {
    messages {
      kind
      field
      message
    }
  }
`);

export const PRODUCTS_QUERY = graphql(`
  query Products($first: Int!, $after: String, $filters: ProductFilter, $order: ProductOrder) {
    products(first: $first, after: $after, filters: $filters, order: $order) {
      edges {
        cursor
        node {
          ...ProductFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
`);

export const CREATE_PRODUCT_MUTATION = graphql(`
  mutation CreateProduct($input: ProductInput!) {
    createProduct(input: $input) {
      ... on Product {
        ...ProductFields
      }
      ... on OperationInfo {
        ...OperationInfoFields
      }
    }
  }
`);

export const UPDATE_PRODUCT_MUTATION = graphql(`
  mutation UpdateProduct($id: ID!, $input: ProductPatch!) {
    updateProduct(id: $id, input: $input) {
      ... on Product {
        ...ProductFields
      }
      ... on OperationInfo {
        ...OperationInfoFields
      }
    }
  }
`);

export const DELETE_PRODUCT_MUTATION = graphql(`
  mutation DeleteProduct($id: ID!) {
    deleteProduct(id: $id) {
      ... on DeletedProduct {
        id
      }
      ... on OperationInfo {
        ...OperationInfoFields
      }
    }
  }
`);

export const PRODUCT_QUERY = graphql(`
  query Product($id: ID!) {
    product(id: $id) {
      ...ProductFields
    }
  }
`);
