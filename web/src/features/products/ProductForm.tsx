import { useState, type FormEvent, type ReactNode } from "react";
import { groupMessages, type FormMessage, type ProductFieldName, type ProductValues } from "./productForm";

interface ProductFormProps {
  testIdPrefix: string;
  initialValues: ProductValues;
  submitLabel: string;
  onSubmit: (values: ProductValues) => Promise<FormMessage[]>;
  onSuccess?: () => void;
  onCancel?: () => void;
}

export function ProductForm({ testIdPrefix, initialValues, submitLabel, onSubmit, onSuccess, onCancel }: ProductFormProps) {
  const [values, setValues] = useState(initialValues);
  const [messages, setMessages] = useState<FormMessage[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const { byField, general } = groupMessages(messages);
  const testId = (suffix: string) => `${testIdPrefix}-${suffix}`;

  const set = <K extends keyof ProductValues>(key: K, value: ProductValues[K]) =>
    setValues((current) => ({ ...current, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitting(true);
    const result = await onSubmit(values);
    setSubmitting(false);
    setMessages(result);
    if (result.length === 0) {
      setValues(initialValues);
      onSuccess?.();
    }
  };

  const field = (name: ProductFieldName, label: string, control: ReactNode) => (
    <div className={`field field-${name}`}>
      <label>
        <span>{label}</span>
        {control}
      </label>
      {byField[name]?.map((message) => (
        <p key={message} className="error" data-testid={testId(`error-${name}`)}>
          {message}
        </p>
      ))}
    </div>
  );

  return (
    <form className="product-form" onSubmit={submit} data-testid={testId("form")}>
      {field(
        "name",
        "Name",
        <input data-testid={testId("name")} required value={values.name} onChange={(e) => set("name", e.target.value)} />,
      )}
      {field(
        "sku",
        "SKU",
        <input data-testid={testId("sku")} required value={values.sku} onChange={(e) => set("sku", e.target.value)} />,
      )}
      {field(
        "price",
        "Price",
        <input
          data-testid={testId("price")}
          required
          inputMode="decimal"
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
      {field(
        "isActive",
        "Active",
        <input
          data-testid={testId("active")}
          type="checkbox"
          checked={values.isActive}
          onChange={(e) => set("isActive", e.target.checked)}
        />,
      )}
      {general.length > 0 && (
        <div className="error" role="alert" data-testid={testId("errors")}>
          {general.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      )}
      <div className="actions">
        <button data-testid={testId("submit")} type="submit" disabled={submitting}>
          {submitLabel}
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
