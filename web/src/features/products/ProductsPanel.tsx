import { useEffect, useRef, useState, type FormEvent } from "react";
import type { ProductFieldsFragment } from "../../gql/graphql";
import { errorMessage } from "../../lib/errors";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { SearchPanel } from "../search/SearchPanel";
import { ProductDialog } from "./ProductDialog";
import { ProductForm } from "./ProductForm";
import { ProductRow } from "./ProductRow";
import { EMPTY_PRODUCT } from "./productForm";
import { useProductRoute } from "./productRoute";
import { useProductMutations, type MutationResult } from "./useProductMutations";
import { DEFAULT_SORT, useProducts, type ProductSort, type SortField, type StatusFilter } from "./useProducts";

const FILTER_DELAY_MS = 250;
const TOAST_MS = 5_000;
const HIGHLIGHT_MS = 6_000;

function useFlash<T>(ms: number): [T | null, (value: T) => void] {
  const [value, setValue] = useState<T | null>(null);
  useEffect(() => {
    if (value === null) return;
    const timer = setTimeout(() => setValue(null), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return [value, setValue];
}

function SortHeader({
  field,
  label,
  sort,
  onSort,
  className,
}: {
  field: SortField;
  label: string;
  sort: ProductSort;
  onSort: (sort: ProductSort) => void;
  className?: string;
}) {
  const active = sort.field === field;
  const next: ProductSort = { field, direction: active && sort.direction === "ASC" ? "DESC" : "ASC" };
  return (
    <th className={className} aria-sort={active ? (sort.direction === "ASC" ? "ascending" : "descending") : undefined}>
      <button type="button" className="sort" data-testid={`sort-${field}`} onClick={() => onSort(next)}>
        {label}
        <span aria-hidden="true">{active ? (sort.direction === "ASC" ? " ▲" : " ▼") : " ↕"}</span>
      </button>
    </th>
  );
}

export function ProductsPanel({ canEdit }: { canEdit: boolean }) {
  const [text, setText] = useState("");
  const [submitted, setSubmitted] = useState("");
  const [status, setStatus] = useState<StatusFilter>("all");
  const [sort, setSort] = useState<ProductSort>(DEFAULT_SORT);
  const search = useDebouncedValue(text.trim(), FILTER_DELAY_MS);
  // A new search, status or order starts again from the first page.
  const listKey = JSON.stringify([search, status, sort]);
  const [paging, setPaging] = useState({ listKey, pages: 1 });
  const pages = paging.listKey === listKey ? paging.pages : 1;
  const { products, totalCount, hasNextPage, loading, error } = useProducts({ search, status, sort, pages });
  const { create, update, remove } = useProductMutations();
  const { openId, open, close } = useProductRoute();
  const [toast, showToast] = useFlash<string>(TOAST_MS);
  const [highlightId, highlight] = useFlash<string>(HIGHLIGHT_MS);
  const heading = useRef<HTMLHeadingElement>(null);

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(text.trim());
  };

  const onCreated = (result: MutationResult) => {
    if (!result.product) return;
    showToast(`Created “${result.product.name}”.`);
    highlight(result.product.id);
  };

  const onUpdated = (product: ProductFieldsFragment) => {
    showToast(`Saved “${product.name}”.`);
    highlight(product.id);
  };

  const onDelete = async (product: ProductFieldsFragment) => {
    const result = await remove(product.id);
    if (result.messages.length === 0) {
      showToast(`Deleted “${product.name}”.`);
      heading.current?.focus();
    }
    return result;
  };

  return (
    <section className="panel products" aria-labelledby="products-heading">
      <h2 id="products-heading" tabIndex={-1} ref={heading}>
        Products{" "}
        {totalCount !== undefined && (
          <span className="count" data-testid="product-total">
            {totalCount}
          </span>
        )}
      </h2>
      <div className="toast-region" role="status" aria-live="polite">
        {toast && (
          <p className="toast" data-testid="toast">
            {toast}
          </p>
        )}
      </div>
      {canEdit && (
        <details className="create">
          <summary data-testid="product-create-toggle">New product</summary>
          <ProductForm
            testIdPrefix="product-create"
            initialValues={EMPTY_PRODUCT}
            submitLabel="Create product"
            onSubmit={create}
            onSuccess={onCreated}
          />
        </details>
      )}
      <form className="toolbar" role="search" onSubmit={onSearch} aria-label="Products">
        <div className="search-box">
          <label htmlFor="product-search">Search products</label>
          <div className="inline">
            <input
              id="product-search"
              data-testid="search-input"
              type="search"
              aria-describedby="product-search-hint"
              value={text}
              onChange={(event) => {
                setText(event.target.value);
                if (!event.target.value.trim()) setSubmitted("");
              }}
            />
            <button data-testid="search-submit" type="submit">
              Search
            </button>
          </div>
          <p id="product-search-hint" className="hint">
            The list narrows to names and SKUs containing your text as you type. Press Search to also look through
            descriptions, forgiving small typos.
          </p>
        </div>
        <div className="status-filter">
          <label htmlFor="product-status">Status</label>
          <select
            id="product-status"
            data-testid="product-status-filter"
            value={status}
            onChange={(event) => setStatus(event.target.value as StatusFilter)}
          >
            <option value="all">All</option>
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
          </select>
        </div>
      </form>
      <SearchPanel query={submitted} onOpen={open} />
      {error && (
        <p className="error" role="alert" data-testid="product-error">
          {errorMessage(error)}
        </p>
      )}
      <div className="table-wrap">
        <table className="product-table">
          <caption className="visually-hidden">Products, sorted by {sort.field === "createdAt" ? "date added" : sort.field}</caption>
          <thead>
            <tr>
              <SortHeader field="name" label="Name" sort={sort} onSort={setSort} />
              <th className="cell-sku">SKU</th>
              <SortHeader field="price" label="Price" sort={sort} onSort={setSort} className="number" />
              <th>Status</th>
              <SortHeader field="createdAt" label="Added" sort={sort} onSort={setSort} />
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {products.map((product) => (
              <ProductRow
                key={product.id}
                product={product}
                canEdit={canEdit}
                highlighted={product.id === highlightId}
                onOpen={open}
                onUpdate={update}
                onUpdated={onUpdated}
                onDelete={onDelete}
              />
            ))}
          </tbody>
        </table>
      </div>
      {!loading && products.length === 0 && (
        <p className="muted" data-testid="product-empty">
          No products{search ? ` match “${search}”` : ""}
          {status !== "all" ? ` among the ${status} ones` : ""}.
        </p>
      )}
      <div className="pager">
        {totalCount !== undefined && (
          <span data-testid="product-shown">
            {products.length} of {totalCount}
          </span>
        )}
        {hasNextPage && (
          <button data-testid="product-load-more" type="button" onClick={() => setPaging({ listKey, pages: pages + 1 })} disabled={loading}>
            {loading ? "Loading…" : "Show more"}
          </button>
        )}
      </div>
      {openId && (
        <ProductDialog
          id={openId}
          canEdit={canEdit}
          onClose={close}
          onUpdate={update}
          onUpdated={(name) => showToast(`Saved “${name}”.`)}
        />
      )}
    </section>
  );
}
