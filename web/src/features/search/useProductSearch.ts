import { skipToken, useQuery } from "@apollo/client/react";
import { hasErrorCode } from "../../lib/errors";
import { SEARCH_PRODUCTS_QUERY } from "./operations";

export const SEARCH_RESULT_LIMIT = 20;

export function useProductSearch(query: string) {
  const { data, loading, error } = useQuery(
    SEARCH_PRODUCTS_QUERY,
    query ? { variables: { query, first: SEARCH_RESULT_LIMIT }, fetchPolicy: "network-only" } : skipToken,
  );
  return {
    results: data?.searchProducts ?? [],
    loading,
    error,
    unavailable: hasErrorCode(error, "SEARCH_UNAVAILABLE"),
  };
}
