import { useQuery } from "@apollo/client/react";
import { useEffect, useRef, useState } from "react";
import { errorMessage } from "../../lib/errors";
import { formatPrice } from "../../lib/money";
import { ProductForm } from "./ProductForm";
import { PRODUCT_QUERY } from "./operations";
import { valuesFromProduct, type ProductValues } from "./productForm";
import type { MutationResult } from "./useProductMutations";

interface ProductDialogProps {
  id: string;
  canEdit: boolean;
  onClose: () => void;
  onUpdate: (id: string, original: ProductValues, values: ProductValues) => Promise<MutationResult>;
  onUpdated: (name: string) => void;
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** One product, opened from the list or from search, over the list (route /products/<id>). */
export function ProductDialog({ id, canEdit, onClose, onUpdate, onUpdated }: ProductDialogProps) {
  const { data, loading, error } = useQuery(PRODUCT_QUERY, { variables: { id }, fetchPolicy: "cache-and-network" });
  const [editing, setEditing] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const returnTo = useRef<Element | null>(null);
  const product = data?.product;

  useEffect(() => {
    returnTo.current = document.activeElement;
    heading.current?.focus();
    return () => {
      if (returnTo.current instanceof HTMLElement && returnTo.current.isConnected) returnTo.current.focus();
    };
  }, []);

  return (
    <div className="overlay" onClick={(event) => event.target === event.currentTarget && onClose()}>
      <div
        className="panel dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="product-dialog-heading"
        data-testid="product-dialog"
        onKeyDown={(event) => event.key === "Escape" && onClose()}
      >
        <h2 id="product-dialog-heading" tabIndex={-1} ref={heading}>
          {product?.name ?? (loading ? "Loading…" : "Product not found")}
        </h2>
        {error && (
          <p className="error" role="alert">
            {errorMessage(error)}
          </p>
        )}
        {!loading && !error && !product && <p className="muted">It may have been deleted.</p>}
        {product && !editing && (
          <dl className="details">
            <dt>SKU</dt>
            <dd className="mono">{product.sku}</dd>
            <dt>Price</dt>
            <dd data-testid="product-dialog-price">{formatPrice(product.price)}</dd>
            <dt>Status</dt>
            <dd>{product.isActive ? "Active" : "Inactive"}</dd>
            <dt>Description</dt>
            <dd>{product.description || <span className="muted">None</span>}</dd>
            <dt>Added</dt>
            <dd>{dateTimeFormat.format(new Date(product.createdAt))}</dd>
            <dt>Last changed</dt>
            <dd>{dateTimeFormat.format(new Date(product.updatedAt))}</dd>
          </dl>
        )}
        {product && editing && (
          <ProductForm
            testIdPrefix="product-dialog-edit"
            initialValues={valuesFromProduct(product)}
            submitLabel="Save"
            autoFocus
            onSubmit={(values) => onUpdate(product.id, valuesFromProduct(product), values)}
            onSuccess={() => {
              setEditing(false);
              onUpdated(product.name);
            }}
            onCancel={() => setEditing(false)}
          />
        )}
        <div className="actions">
          {product && canEdit && !editing && (
            <button type="button" data-testid="product-dialog-edit" onClick={() => setEditing(true)}>
              Edit
            </button>
          )}
          <button type="button" data-testid="product-dialog-close" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
