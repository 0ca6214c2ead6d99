import { formatPrice } from "./money";

describe("formatPrice", () => {
  it("formats a decimal string with the currency and locale", () => {
    expect(formatPrice("1234.5", { currency: "USD", locale: "en-US" })).toBe("$1,234.50");
    expect(formatPrice("1234.5", { currency: "EUR", locale: "de-DE" })).toBe("1.234,50\u00a0€");
  });

  it("leaves a value that is not a number as it is", () => {
    expect(formatPrice("n/a", { currency: "USD", locale: "en-US" })).toBe("n/a");
  });
});
