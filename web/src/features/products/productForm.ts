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

export function toProductInput(values: ProductValues): ProductInput {
  return {
    name: values.name.trim(),
    sku: values.sku.trim(),
    price: values.price.trim(),
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
