import type { ApolloClient } from "@apollo/client";
import { SEARCH_PRODUCTS_QUERY } from "../search/operations";
import { PRODUCT_QUERY, PRODUCTS_QUERY } from "./operations";

/**
 * Brings every product list, search result and product view on screen up to date. Product
 * notifications do not say which product changed, so the active product queries are fetched
 * again; lists not on screen are refreshed when they are shown again ("cache-and-network").
 */
export async function refreshProductQueries(client: ApolloClient): Promise<void> {
  try {
    await client.refetchQueries({ include: [PRODUCTS_QUERY, SEARCH_PRODUCTS_QUERY, PRODUCT_QUERY] });
  } catch {
    // A failed refetch shows up as the error of the query it belongs to.
  }
}
