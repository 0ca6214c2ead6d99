import { errorMessage } from "../../lib/errors";
import { formatPrice } from "../../lib/money";
import { useProductSearch } from "./useProductSearch";

/** Best matches for a submitted search (name, SKU and description, small typos forgiven); each opens its product. */
export function SearchPanel({ query, onOpen }: { query: string; onOpen: (id: string) => void }) {
  const { results, loading, error, unavailable } = useProductSearch(query);
  if (!query) return null;

  return (
    <section className="search-results" aria-labelledby="search-heading">
      <h3 id="search-heading">Best matches for “{query}”</h3>
      {loading && <p className="muted">Searching…</p>}
      {unavailable ? (
        <p className="notice" role="status" data-testid="search-unavailable">
          Search is temporarily unavailable. Please try again in a moment; the list below still narrows by name and
          SKU.
        </p>
      ) : (
        error && (
          <p className="error" role="alert">
            {errorMessage(error)}
          </p>
        )
      )}
      {!loading && !error && results.length === 0 && (
        <p className="muted" data-testid="search-empty">
          No products match “{query}”.
        </p>
      )}
      <ul className="results">
        {results.map((product) => (
          <li key={product.id} data-testid="search-result">
            <button type="button" className="link" onClick={() => onOpen(product.id)}>
              {product.name}
            </button>
            <span className="mono muted">{product.sku}</span>
            <span className="number">{formatPrice(product.price)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
