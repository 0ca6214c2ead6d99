import { useState } from "react";
import type { ProductFieldsFragment } from "../../gql/graphql";
import { ProductForm } from "./ProductForm";
import { valuesFromProduct, type FormMessage, type ProductValues } from "./productForm";

interface ProductRowProps {
  product: ProductFieldsFragment;
  canEdit: boolean;
  onUpdate: (id: string, original: ProductValues, values: ProductValues) => Promise<FormMessage[]>;
  onDelete: (id: string) => Promise<FormMessage[]>;
}

const COLUMN_COUNT = 5;

export function ProductRow({ product, canEdit, onUpdate, onDelete }: ProductRowProps) {
  const [editing, setEditing] = useState(false);
  const [deleteMessages, setDeleteMessages] = useState<FormMessage[]>([]);
  const original = valuesFromProduct(product);

  if (editing) {
    return (
      <tr data-testid="product-row" data-product-id={product.id} className="editing">
        <td colSpan={COLUMN_COUNT}>
          <ProductForm
            testIdPrefix="product-edit"
            initialValues={original}
            submitLabel="Save"
            onSubmit={(values) => onUpdate(product.id, original, values)}
            onSuccess={() => setEditing(false)}
            onCancel={() => setEditing(false)}
          />
        </td>
      </tr>
    );
  }

  return (
    <tr data-testid="product-row" data-product-id={product.id} className={product.isActive ? undefined : "inactive"}>
      <td>
        <span data-testid="product-name">{product.name}</span>
        {product.description && <div className="muted">{product.description}</div>}
      </td>
      <td className="mono">{product.sku}</td>
      <td className="number">{product.price}</td>
      <td>{product.isActive ? "active" : "inactive"}</td>
      <td className="actions">
        {canEdit && (
          <>
            <button data-testid="product-edit" type="button" onClick={() => setEditing(true)}>
              Edit
            </button>
            <button
              data-testid="product-delete"
              type="button"
              className="danger"
              onClick={async () => setDeleteMessages(await onDelete(product.id))}
            >
              Delete
            </button>
          </>
        )}
        {deleteMessages.map((item) => (
          <p key={item.message} className="error" role="alert">
            {item.message}
          </p>
        ))}
      </td>
    </tr>
  );
}
