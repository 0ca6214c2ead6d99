import { useEffect, useRef, useState } from "react";
import type { ProductFieldsFragment } from "../../gql/graphql";
import { formatPrice } from "../../lib/money";
import { ProductForm } from "./ProductForm";
import { productPath } from "./productRoute";
import { valuesFromProduct, type ProductValues } from "./productForm";
import type { MutationResult } from "./useProductMutations";

interface ProductRowProps {
  product: ProductFieldsFragment;
  canEdit: boolean;
  highlighted: boolean;
  onOpen: (id: string) => void;
  onUpdate: (id: string, original: ProductValues, values: ProductValues) => Promise<MutationResult>;
  onUpdated: (product: ProductFieldsFragment) => void;
  onDelete: (product: ProductFieldsFragment) => Promise<MutationResult>;
}

const COLUMN_COUNT = 6;
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

export function ProductRow({ product, canEdit, highlighted, onOpen, onUpdate, onUpdated, onDelete }: ProductRowProps) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteMessages, setDeleteMessages] = useState<string[]>([]);
  const editButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const keepButton = useRef<HTMLButtonElement>(null);
  const returnFocusTo = useRef<"edit" | "delete" | null>(null);
  const original = valuesFromProduct(product);

  useEffect(() => {
    if (confirming) keepButton.current?.focus();
    else if (returnFocusTo.current === "delete") deleteButton.current?.focus();
    else if (!editing && returnFocusTo.current === "edit") editButton.current?.focus();
    returnFocusTo.current = null;
  }, [confirming, editing]);

  const stopEditing = () => {
    returnFocusTo.current = "edit";
    setEditing(false);
  };

  if (editing) {
    return (
      <tr data-testid="product-row" data-product-id={product.id} className="editing">
        <td colSpan={COLUMN_COUNT}>
          <ProductForm
            testIdPrefix="product-edit"
            initialValues={original}
            submitLabel="Save"
            autoFocus
            onSubmit={(values) => onUpdate(product.id, original, values)}
            onSuccess={(result) => {
              stopEditing();
              onUpdated(result.product ?? product);
            }}
            onCancel={stopEditing}
          />
        </td>
      </tr>
    );
  }

  const confirmDelete = async () => {
    setDeleting(true);
    const result = await onDelete(product);
    setDeleting(false);
    setDeleteMessages(result.messages.map((item) => item.message));
    if (result.messages.length > 0) setConfirming(false);
  };

  const classes = [product.isActive ? "" : "inactive", highlighted ? "highlight" : ""].filter(Boolean).join(" ");
  return (
    <tr
      data-testid="product-row"
      data-product-id={product.id}
      data-highlighted={highlighted || undefined}
      className={classes || undefined}
    >
      <td className="cell-name">
        <a
          href={productPath(product.id)}
          data-testid="product-name"
          onClick={(event) => {
            event.preventDefault();
            onOpen(product.id);
          }}
        >
          {product.name}
        </a>
        {product.description && <div className="muted description">{product.description}</div>}
      </td>
      <td className="mono cell-sku" data-label="SKU">
        {product.sku}
      </td>
      <td className="number cell-price" data-label="Price" data-testid="product-price">
        {formatPrice(product.price)}
      </td>
      <td className="cell-status" data-label="Status">
        <span className={product.isActive ? "status status-active" : "status status-inactive"}>
          {product.isActive ? "Active" : "Inactive"}
        </span>
      </td>
      <td className="cell-created muted" data-label="Added">
        <time dateTime={product.createdAt}>{dateFormat.format(new Date(product.createdAt))}</time>
      </td>
      <td className="actions">
        {canEdit && !confirming && (
          <>
            <button
              ref={editButton}
              data-testid="product-edit"
              type="button"
              aria-label={`Edit ${product.name}`}
              onClick={() => setEditing(true)}
            >
              Edit
            </button>
            <button
              ref={deleteButton}
              data-testid="product-delete"
              type="button"
              className="danger"
              aria-label={`Delete ${product.name}`}
              onClick={() => {
                setDeleteMessages([]);
                setConfirming(true);
              }}
            >
              Delete
            </button>
          </>
        )}
        {canEdit && confirming && (
          <div className="confirm" role="group" aria-label={`Confirm deleting ${product.name}`}>
            <span data-testid="product-delete-question">Delete “{product.name}”?</span>
            <button
              data-testid="product-delete-confirm"
              type="button"
              className="danger solid"
              disabled={deleting}
              onClick={() => void confirmDelete()}
            >
              {deleting ? "Deleting…" : "Delete"}
            </button>
            <button
              ref={keepButton}
              data-testid="product-delete-cancel"
              type="button"
              onClick={() => {
                returnFocusTo.current = "delete";
                setConfirming(false);
              }}
            >
              Keep
            </button>
          </div>
        )}
        {deleteMessages.map((message) => (
          <p key={message} className="error" role="alert">
            {message}
          </p>
        ))}
      </td>
    </tr>
  );
}
