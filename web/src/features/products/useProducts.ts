import { useQuery } from "@apollo/client/react";
import type { ProductsQueryVariables } from "../../gql/graphql";
import { PRODUCTS_QUERY } from "./operations";

export const PRODUCTS_PAGE_SIZE = 20;

export function productsVariables(nameFilter: string): ProductsQueryVariables {
  return {
    first: PRODUCTS_PAGE_SIZE,
    order: { name: "ASC" },
    ...(nameFilter ? { filters: { name: { iContains: nameFilter } } } : {}),
  };
}

export function useProducts(nameFilter: string) {
  const { data, previousData, loading, error, fetchMore } = useQuery(PRODUCTS_QUERY, {
    variables: productsVariables(nameFilter),
  });
  const connection = (data ?? previousData)?.products;

  const loadMore = async () => {
    if (!connection?.pageInfo.hasNextPage) return;
    await fetchMore({ variables: { after: connection.pageInfo.endCursor } });
  };

  return {
    products: connection?.edges.map((edge) => edge.node) ?? [],
    totalCount: connection?.totalCount,
    hasNextPage: connection?.pageInfo.hasNextPage ?? false,
    loading,
    error,
    loadMore,
  };
}
