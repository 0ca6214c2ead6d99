import { cloneElement, useId, useRef, useState, type FormEvent, type ReactElement } from "react";
import type { MutationResult } from "./useProductMutations";
import { groupMessages, type FormMessage, type ProductFieldName, type ProductValues } from "./productForm";

interface ProductFormProps {
  testIdPrefix: string;
  initialValues: ProductValues;
  submitLabel: string;
  onSubmit: (values: ProductValues) => Promise<MutationResult>;
  onSuccess?: (result: MutationResult) => void;
  onCancel?: () => void;
  autoFocus?: boolean;
}

const FIELD_ORDER: ProductFieldName[] = ["name", "sku", "price", "description", "isActive"];

export function ProductForm({
  testIdPrefix,
  initialValues,
  submitLabel,
  onSubmit,
  onSuccess,
  onCancel,
  autoFocus,
}: ProductFormProps) {
  const [values, setValues] = useState(initialValues);
  const [messages, setMessages] = useState<FormMessage[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const idPrefix = useId();
  const { byField, general } = groupMessages(messages);
  const testId = (suffix: string) => `${testIdPrefix}-${suffix}`;
  const controlId = (name: ProductFieldName) => `${idPrefix}-${name}`;
  const errorId = (name: ProductFieldName) => `${idPrefix}-${name}-error`;

  const set = <K extends keyof ProductValues>(key: K, value: ProductValues[K]) =>
    setValues((current) => ({ ...current, [key]: value }));

  const focusControl = (name: ProductFieldName) =>
    formRef.current?.querySelector<HTMLElement>(`#${CSS.escape(controlId(name))}`)?.focus();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    const result = await onSubmit(values);
    setSubmitting(false);
    setMessages(result.messages);
    if (result.messages.length === 0) {
      setValues(initialValues);
      onSuccess?.(result);
      // A cleared create form is ready for the next product.
      if (!onCancel) requestAnimationFrame(() => focusControl("name"));
      return;
    }
    // Focus the first field with a problem; its error is read out as the field's description.
    const grouped = groupMessages(result.messages);
    const first = FIELD_ORDER.find((name) => grouped.byField[name]);
    if (first) requestAnimationFrame(() => focusControl(first));
  };

  const field = (name: ProductFieldName, label: string, control: ReactElement<Record<string, unknown>>) => {
    const errors = byField[name];
    const props = {
      id: controlId(name),
      "aria-invalid": errors ? true : undefined,
      "aria-describedby": errors ? errorId(name) : undefined,
    };
    return (
      <div className={`field field-${name}`}>
        <label htmlFor={props.id}>{label}</label>
        {cloneElement(control, props)}
        {errors && (
          <p id={errorId(name)} className="error field-error" data-testid={testId(`error-${name}`)}>
            {errors.join(" ")}
          </p>
        )}
      </div>
    );
  };

  return (
    <form className="product-form" onSubmit={submit} data-testid={testId("form")} ref={formRef} noValidate>
      {field(
        "name",
        "Name",
        <input
          data-testid={testId("name")}
          required
          autoFocus={autoFocus}
          maxLength={200}
          value={values.name}
          onChange={(e) => set("name", e.target.value)}
        />,
      )}
      {field(
        "sku",
        "SKU",
        <input
          data-testid={testId("sku")}
          required
          maxLength={64}
          value={values.sku}
          onChange={(e) => set("sku", e.target.value)}
        />,
      )}
      {field(
        "price",
        "Price",
        <input
          data-testid={testId("price")}
          required
          inputMode="decimal"
          placeholder="0.00"
          value={values.price}
          onChange={(e) => set("price", e.target.value)}
        />,
      )}
      {field(
        "description",
        "Description",
        <textarea
          data-testid={testId("description")}
          rows={2}
          value={values.description}
          onChange={(e) => set("description", e.target.value)}
        />,
      )}
      <div className="field field-isActive">
        <label>
          <input
            data-testid={testId("active")}
            type="checkbox"
            checked={values.isActive}
            onChange={(e) => set("isActive", e.target.checked)}
          />
          <span>Active</span>
        </label>
        {byField.isActive && (
          <p className="error field-error" role="alert" data-testid={testId("error-isActive")}>
            {byField.isActive.join(" ")}
          </p>
        )}
      </div>
      {general.length > 0 && (
        <div className="error" role="alert" data-testid={testId("errors")}>
          {general.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      )}
      {messages.length > 0 && general.length === 0 && (
        <p className="visually-hidden" role="alert">
          {`Please correct ${messages.length === 1 ? "the field" : `${messages.length} fields`}: ${messages
            .map((item) => item.message)
            .join(" ")}`}
        </p>
      )}
      <div className="actions">
        <button data-testid={testId("submit")} type="submit" disabled={submitting}>
          {submitting ? "Saving…" : submitLabel}
        </button>
        {onCancel && (
          <button data-testid={testId("cancel")} type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
