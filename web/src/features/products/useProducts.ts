import { useQuery } from "@apollo/client/react";
import type { Ordering, ProductFilter, ProductOrder, ProductsQueryVariables } from "../../gql/graphql";
import { PRODUCTS_QUERY } from "./operations";

export const PRODUCTS_PAGE_SIZE = 20;

export type SortField = keyof Pick<ProductOrder, "name" | "price" | "createdAt">;
export interface ProductSort {
  field: SortField;
  direction: Extract<Ordering, "ASC" | "DESC">;
}
export type StatusFilter = "all" | "active" | "inactive";

export interface ProductListOptions {
  search?: string;
  status?: StatusFilter;
  sort?: ProductSort;
  pages?: number;
}

export const DEFAULT_SORT: ProductSort = { field: "name", direction: "ASC" };

/** The list's query: name or SKU containing the search text, the status, the order, and as many pages as shown. */
export function productsVariables({
  search = "",
  status = "all",
  sort = DEFAULT_SORT,
  pages = 1,
}: ProductListOptions = {}): ProductsQueryVariables {
  const filters: ProductFilter = {};
  if (search) Object.assign(filters, { name: { iContains: search }, OR: { sku: { iContains: search } } });
  const statusFilter = status === "all" ? null : { isActive: { exact: status === "active" } };
  return {
    first: PRODUCTS_PAGE_SIZE * pages,
    order: { [sort.field]: sort.direction },
    ...(search && statusFilter
      ? { filters: { ...statusFilter, AND: filters } }
      : search
        ? { filters }
        : statusFilter
          ? { filters: statusFilter }
          : {}),
  };
}

export function useProducts(options: ProductListOptions) {
  const { data, previousData, loading, error } = useQuery(PRODUCTS_QUERY, {
    variables: productsVariables(options),
    fetchPolicy: "cache-and-network",
    nextFetchPolicy: "cache-first",
  });
  const connection = (data ?? previousData)?.products;
  return {
    products: connection?.edges.map((edge) => edge.node) ?? [],
    totalCount: connection?.totalCount,
    hasNextPage: connection?.pageInfo.hasNextPage ?? false,
    loading,
    error,
  };
}
