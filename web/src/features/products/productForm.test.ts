import { aProduct } from "../../test/fixtures";
import { groupMessages, toProductInput, toProductPatch, valuesFromProduct } from "./productForm";

describe("productForm", () => {
  it("trims text fields for the create input", () => {
    expect(
      toProductInput({ name: " Anvil ", sku: " A-1 ", price: " 9.99 ", description: " heavy ", isActive: false }),
    ).toEqual({ name: "Anvil", sku: "A-1", price: "9.99", description: " heavy ", isActive: false });
  });

  it("puts only changed fields into a patch", () => {
    const original = valuesFromProduct(aProduct({ name: "Anvil", price: "10.00", isActive: true }));

    expect(toProductPatch(original, { ...original })).toEqual({});
    expect(toProductPatch(original, { ...original, name: "Anvil ", price: "12.00", isActive: false })).toEqual({
      price: "12.00",
      isActive: false,
    });
  });

  it("groups messages by camel-cased form field and keeps the rest general", () => {
    const grouped = groupMessages([
      { field: "sku", message: "Taken." },
      { field: "is_active", message: "Cannot deactivate." },
      { field: "price", message: "Too low." },
      { field: "price", message: "Too many digits." },
      { field: null, message: "Fix the errors below." },
      { field: "__all__", message: "Duplicate product." },
    ]);

    expect(grouped.byField).toEqual({
      sku: ["Taken."],
      isActive: ["Cannot deactivate."],
      price: ["Too low.", "Too many digits."],
    });
    expect(grouped.general).toEqual(["Fix the errors below.", "Duplicate product."]);
  });
});
