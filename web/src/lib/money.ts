/**
 * Money formatting. The API does not tell which currency or locale a tenant uses, so prices are
 * shown in DEFAULT_CURRENCY with the browser's locale; change the default here when that differs.
 */
export const DEFAULT_CURRENCY = "USD";

export interface MoneyFormat {
  currency: string;
  locale?: string;
}

const formatters = new Map<string, Intl.NumberFormat>();

export function formatPrice(price: string, { currency, locale }: MoneyFormat = { currency: DEFAULT_CURRENCY }): string {
  const key = `${locale ?? ""}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: "currency", currency });
    formatters.set(key, formatter);
  }
  const amount = Number(price);
  return Number.isFinite(amount) ? formatter.format(amount) : price;
}
