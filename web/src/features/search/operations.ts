import { graphql } from "../../gql";

export const SEARCH_PRODUCTS_QUERY = graphql(`
  query SearchProducts($query: String!, $first: Int) {
    searchProducts(query: $query, first: $first) {
      id
      name
      sku
      price
    }
  }
`);
