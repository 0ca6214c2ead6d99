import { useState } from "react";
import { errorMessage } from "../../lib/errors";
import { useDebouncedValue } from "../../lib/useDebouncedValue";
import { ProductForm } from "./ProductForm";
import { ProductRow } from "./ProductRow";
import { EMPTY_PRODUCT } from "./productForm";
import { useProductMutations } from "./useProductMutations";
import { useProducts } from "./useProducts";

const FILTER_DELAY_MS = 250;

export function ProductsPanel({ canEdit }: { canEdit: boolean }) {
  const [filter, setFilter] = useState("");
  const nameFilter = useDebouncedValue(filter.trim(), FILTER_DELAY_MS);
  const { products, totalCount, hasNextPage, loading, error, loadMore } = useProducts(nameFilter);
  const { create, update, remove } = useProductMutations();

  return (
    <section className="panel products" aria-labelledby="products-heading">
      <h2 id="products-heading">
        Products{" "}
        {totalCount !== undefined && (
          <span className="count" data-testid="product-total">
            {totalCount}
          </span>
        )}
      </h2>
      {canEdit && (
        <details className="create" open>
          <summary>New product</summary>
          <ProductForm
            testIdPrefix="product-create"
            initialValues={EMPTY_PRODUCT}
            submitLabel="Create product"
            onSubmit={create}
          />
        </details>
      )}
      <input
        className="filter"
        data-testid="product-filter"
        type="search"
        placeholder="Filter by name"
        aria-label="Filter products by name"
        value={filter}
        onChange={(event) => setFilter(event.target.value)}
      />
      {error && (
        <p className="error" role="alert">
          {errorMessage(error)}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>Name</th>
            <th>SKU</th>
            <th className="number">Price</th>
            <th>Status</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {products.map((product) => (
            <ProductRow key={product.id} product={product} canEdit={canEdit} onUpdate={update} onDelete={remove} />
          ))}
        </tbody>
      </table>
      {!loading && products.length === 0 && (
        <p className="muted" data-testid="product-empty">
          No products{nameFilter ? ` match “${nameFilter}”` : ""}.
        </p>
      )}
      {hasNextPage && (
        <button data-testid="product-load-more" type="button" onClick={() => void loadMore()} disabled={loading}>
          {loading ? "Loading…" : "Load more"}
        </button>
      )}
    </section>
  );
}
