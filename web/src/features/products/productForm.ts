import type { ProductFieldsFragment, ProductInput, ProductPatch } from "../../gql/graphql";

export interface ProductValues {
  name: string;
  sku: string;
  price: string;
  description: string;
  isActive: boolean;
}

export interface FormMessage {
  field: string | null;
  message: string;
}

export const PRODUCT_FIELD_NAMES = ["name", "sku", "price", "description", "isActive"] as const;
export type ProductFieldName = (typeof PRODUCT_FIELD_NAMES)[number];

export const EMPTY_PRODUCT: ProductValues = { name: "", sku: "", price: "", description: "", isActive: true };

export function valuesFromProduct(product: ProductFieldsFragment): ProductValues {
  const { name, sku, price, description, isActive } = product;
  return { name, sku, price, description, isActive };
}

/** A price as typed ("12", "12.5", "12,50") in the API's form ("12.50"), or null when it is not one. */
export function normalizePrice(text: string): string | null {
  const match = /^(\d{1,10})(?:[.,](\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  return `${match[1]}.${(match[2] ?? "").padEnd(2, "0")}`;
}

const PRICE_PATTERN = /^-?\d*(?:[.,]\d*)?$/;

function priceProblem(text: string): string | null {
  const value = text.trim();
  if (!value) return "Enter a price.";
  if (normalizePrice(value) !== null) return null;
  if (!PRICE_PATTERN.test(value)) return "Enter the price as a number, for example 12.50.";
  if (value.startsWith("-")) return "The price cannot be negative.";
  if (/[.,]\d{3,}$/.test(value)) return "Use at most 2 digits after the decimal point.";
  return "The price is too large or not a number; use at most 10 digits before the decimal point.";
}

/** Checks made before sending, so plain problems get plain words under their field. */
export function validateProduct(values: ProductValues): FormMessage[] {
  const messages: FormMessage[] = [];
  const name = values.name.trim();
  const sku = values.sku.trim();
  if (!name) messages.push({ field: "name", message: "Enter a name." });
  else if (name.length > 200) messages.push({ field: "name", message: "Use at most 200 characters for the name." });
  if (!sku) messages.push({ field: "sku", message: "Enter a SKU." });
  else if (sku.length > 64) messages.push({ field: "sku", message: "Use at most 64 characters for the SKU." });
  const price = priceProblem(values.price);
  if (price) messages.push({ field: "price", message: price });
  if (values.description.length > 5000) {
    messages.push({ field: "description", message: "Use at most 5000 characters for the description." });
  }
  return messages;
}

export function toProductInput(values: ProductValues): ProductInput {
  return {
    name: values.name.trim(),
    sku: values.sku.trim(),
    price: normalizePrice(values.price) ?? values.price.trim(),
    description: values.description,
    isActive: values.isActive,
  };
}

export function toProductPatch(original: ProductValues, values: ProductValues): ProductPatch {
  const input = toProductInput(values);
  const patch: ProductPatch = {};
  if (input.name !== original.name) patch.name = input.name;
  if (input.sku !== original.sku) patch.sku = input.sku;
  if (input.price !== original.price) patch.price = input.price;
  if (input.description !== original.description) patch.description = input.description;
  if (input.isActive !== original.isActive) patch.isActive = input.isActive;
  return patch;
}

const toCamelCase = (name: string) => name.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

function isProductField(name: string): name is ProductFieldName {
  return (PRODUCT_FIELD_NAMES as readonly string[]).includes(name);
}

export interface GroupedMessages {
  byField: Partial<Record<ProductFieldName, string[]>>;
  general: string[];
}

export function groupMessages(messages: readonly FormMessage[]): GroupedMessages {
  const grouped: GroupedMessages = { byField: {}, general: [] };
  for (const { field, message } of messages) {
    const name = field ? toCamelCase(field) : null;
    if (name && isProductField(name)) {
      (grouped.byField[name] ??= []).push(message);
    } else {
      grouped.general.push(message);
    }
  }
  return grouped;
}
