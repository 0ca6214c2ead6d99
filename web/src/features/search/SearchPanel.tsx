import { useState, type FormEvent } from "react";
import { errorMessage } from "../../lib/errors";
import { useProductSearch } from "./useProductSearch";

export function SearchPanel() {
  const [text, setText] = useState("");
  const [query, setQuery] = useState("");
  const { results, loading, error, unavailable } = useProductSearch(query);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery(text.trim());
  };

  return (
    <section className="panel search" aria-labelledby="search-heading">
      <h2 id="search-heading">Search</h2>
      <form className="inline" onSubmit={submit} role="search">
        <input
          data-testid="search-input"
          type="search"
          placeholder="Search products"
          aria-label="Search products"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <button data-testid="search-submit" type="submit">
          Search
        </button>
      </form>
      {loading && <p className="muted">Searching…</p>}
      {unavailable ? (
        <p className="notice" role="status" data-testid="search-unavailable">
          Search is temporarily unavailable. Please try again in a moment; filtering the product list still works.
        </p>
      ) : (
        error && (
          <p className="error" role="alert">
            {errorMessage(error)}
          </p>
        )
      )}
      {query && !loading && !error && results.length === 0 && (
        <p className="muted" data-testid="search-empty">
          No products match “{query}”.
        </p>
      )}
      <ul className="results">
        {results.map((product) => (
          <li key={product.id} data-testid="search-result">
            <span>{product.name}</span>
            <span className="mono muted">{product.sku}</span>
            <span className="number">{product.price}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
