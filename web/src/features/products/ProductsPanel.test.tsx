import { screen, waitFor, within } from "@testing-library/react";
import { aProduct, aProductPage } from "../../test/fixtures";
import { mockData, renderWithApollo } from "../../test/render";
import { CREATE_PRODUCT_MUTATION, DELETE_PRODUCT_MUTATION, PRODUCTS_QUERY, UPDATE_PRODUCT_MUTATION } from "./operations";
import { ProductsPanel } from "./ProductsPanel";
import { productsVariables } from "./useProducts";

const rowNames = () => screen.queryAllByTestId("product-name").map((cell) => cell.textContent);

const firstPage = aProductPage([aProduct({ id: "1", name: "Anvil" }), aProduct({ id: "2", name: "Bolt" })], {
  totalCount: 3,
  hasNextPage: true,
  endCursor: "cursor-2",
});

describe("ProductsPanel", () => {
  it("renders a row per product with the total, and no editing controls for members", async () => {
    renderWithApollo(<ProductsPanel canEdit={false} />, [mockData(PRODUCTS_QUERY, productsVariables(), firstPage)]);

    await waitFor(() => expect(rowNames()).toEqual(["Anvil", "Bolt"]));
    expect(screen.getByTestId("product-total")).toHaveTextContent("3");
    const [anvil] = screen.getAllByTestId("product-row");
    expect(within(anvil).getByText("SKU-1")).toBeInTheDocument();
    expect(within(anvil).getByText("$10.00")).toBeInTheDocument();
    expect(screen.queryByTestId("product-create-form")).not.toBeInTheDocument();
    expect(screen.queryByTestId("product-edit")).not.toBeInTheDocument();
    expect(screen.queryByTestId("product-delete")).not.toBeInTheDocument();
  });

  it("shows more rows on Show more and counts them against the total", async () => {
    const { user } = renderWithApollo(<ProductsPanel canEdit={false} />, [
      mockData(PRODUCTS_QUERY, productsVariables(), firstPage),
      mockData(
        PRODUCTS_QUERY,
        productsVariables({ pages: 2 }),
        aProductPage(["Anvil", "Bolt", "Crate"].map((name, index) => aProduct({ id: String(index + 1), name })), {
          totalCount: 3,
        }),
      ),
    ]);
    expect(await screen.findByTestId("product-shown")).toHaveTextContent("2 of 3");

    await user.click(await screen.findByTestId("product-load-more"));

    await waitFor(() => expect(rowNames()).toEqual(["Anvil", "Bolt", "Crate"]));
    expect(screen.getByTestId("product-shown")).toHaveTextContent("3 of 3");
    expect(screen.queryByTestId("product-load-more")).not.toBeInTheDocument();
  });

  it("narrows by name or SKU with a case-insensitive lookup", async () => {
    const { user } = renderWithApollo(<ProductsPanel canEdit={false} />, [
      mockData(PRODUCTS_QUERY, productsVariables(), firstPage),
      mockData(
        PRODUCTS_QUERY,
        productsVariables({ search: "bol" }),
        aProductPage([aProduct({ id: "2", name: "Bolt" })]),
      ),
      mockData(
        PRODUCTS_QUERY,
        productsVariables({ search: "nothing" }),
        aProductPage([]),
      ),
    ]);
    await waitFor(() => expect(rowNames()).toEqual(["Anvil", "Bolt"]));

    await user.type(screen.getByTestId("search-input"), "bol");
    await waitFor(() => expect(rowNames()).toEqual(["Bolt"]));
    expect(screen.getByTestId("product-total")).toHaveTextContent("1");

    await user.clear(screen.getByTestId("search-input"));
    await user.type(screen.getByTestId("search-input"), "nothing");
    expect(await screen.findByTestId("product-empty")).toHaveTextContent("No products match “nothing”.");
    expect(rowNames()).toEqual([]);
  });

  it("shows OperationInfo messages next to their fields when creating fails", async () => {
    const input = { name: "Anvil", sku: "SKU-1", price: "1.00", description: "", isActive: true };
    const { user } = renderWithApollo(<ProductsPanel canEdit />, [
      mockData(PRODUCTS_QUERY, productsVariables(), firstPage),
      mockData(
        CREATE_PRODUCT_MUTATION,
        { input },
        {
          __typename: "Mutation",
          createProduct: {
            __typename: "OperationInfo",
            messages: [
              { __typename: "OperationMessage", kind: "VALIDATION", field: "sku", message: "Product with this SKU already exists." },
              { __typename: "OperationMessage", kind: "VALIDATION", field: "price", message: "Ensure this value is greater than or equal to 0." },
              { __typename: "OperationMessage", kind: "ERROR", field: null, message: "Please correct the errors below." },
            ],
          },
        },
      ),
    ]);
    await waitFor(() => expect(rowNames()).toEqual(["Anvil", "Bolt"]));

    await user.type(screen.getByTestId("product-create-name"), input.name);
    await user.type(screen.getByTestId("product-create-sku"), input.sku);
    await user.type(screen.getByTestId("product-create-price"), input.price);
    await user.click(screen.getByTestId("product-create-submit"));

    expect(await screen.findByTestId("product-create-error-sku")).toHaveTextContent("Product with this SKU already exists.");
    expect(screen.getByTestId("product-create-error-price")).toHaveTextContent("greater than or equal to 0");
    expect(screen.getByTestId("product-create-errors")).toHaveTextContent("Please correct the errors below.");
    expect(screen.queryByTestId("product-create-error-name")).not.toBeInTheDocument();
    expect(screen.getByTestId("product-create-name")).toHaveValue("Anvil");
  });

  it("creates a product, clears the form and shows the refreshed list", async () => {
    const input = { name: "Dynamo", sku: "DYN-1", price: "12.50", description: "Bright", isActive: true };
    const created = aProduct({ id: "9", ...input });
    const { user } = renderWithApollo(<ProductsPanel canEdit />, [
      mockData(PRODUCTS_QUERY, productsVariables(), aProductPage([aProduct({ id: "1", name: "Anvil" })])),
      mockData(CREATE_PRODUCT_MUTATION, { input }, { __typename: "Mutation", createProduct: created }),
      mockData(PRODUCTS_QUERY, productsVariables(), aProductPage([aProduct({ id: "1", name: "Anvil" }), created])),
    ]);
    await waitFor(() => expect(rowNames()).toEqual(["Anvil"]));

    await user.type(screen.getByTestId("product-create-name"), input.name);
    await user.type(screen.getByTestId("product-create-sku"), input.sku);
    await user.type(screen.getByTestId("product-create-price"), input.price);
    await user.type(screen.getByTestId("product-create-description"), input.description);
    await user.click(screen.getByTestId("product-create-submit"));

    await waitFor(() => expect(rowNames()).toEqual(["Anvil", "Dynamo"]));
    expect(screen.getByTestId("product-total")).toHaveTextContent("2");
    // The refetched list can render before the mutation's own result clears the form.
    await waitFor(() => expect(screen.getByTestId("product-create-name")).toHaveValue(""));
  });

  it("sends only the changed fields when editing and updates the row", async () => {
    const anvil = aProduct({ id: "1", name: "Anvil", price: "10.00" });
    const { user } = renderWithApollo(<ProductsPanel canEdit />, [
      mockData(PRODUCTS_QUERY, productsVariables(), aProductPage([anvil])),
      mockData(
        UPDATE_PRODUCT_MUTATION,
        { id: "1", input: { price: "11.00" } },
        { __typename: "Mutation", updateProduct: { ...anvil, price: "11.00" } },
      ),
    ]);

    await user.click(await screen.findByTestId("product-edit"));
    await user.clear(screen.getByTestId("product-edit-price"));
    await user.type(screen.getByTestId("product-edit-price"), "11.00");
    await user.click(screen.getByTestId("product-edit-submit"));

    const row = await screen.findByTestId("product-row");
    await waitFor(() => expect(within(row).getByText("$11.00")).toBeInTheDocument());
    expect(screen.queryByTestId("product-edit-form")).not.toBeInTheDocument();
  });

  it("removes a deleted product from the list", async () => {
    const anvil = aProduct({ id: "1", name: "Anvil" });
    const bolt = aProduct({ id: "2", name: "Bolt" });
    const { user } = renderWithApollo(<ProductsPanel canEdit />, [
      mockData(PRODUCTS_QUERY, productsVariables(), aProductPage([anvil, bolt])),
      mockData(
        DELETE_PRODUCT_MUTATION,
        { id: "1" },
        { __typename: "Mutation", deleteProduct: { __typename: "DeletedProduct", id: "1" } },
      ),
      mockData(PRODUCTS_QUERY, productsVariables(), aProductPage([bolt])),
    ]);
    await waitFor(() => expect(rowNames()).toEqual(["Anvil", "Bolt"]));

    await user.click(screen.getAllByTestId("product-delete")[0]);
    expect(screen.getByTestId("product-delete-question")).toHaveTextContent("Delete “Anvil”?");
    expect(rowNames()).toEqual(["Anvil", "Bolt"]);
    await user.click(screen.getByTestId("product-delete-confirm"));

    await waitFor(() => expect(rowNames()).toEqual(["Bolt"]));
    expect(screen.getByTestId("product-total")).toHaveTextContent("1");
  });

  it("checks the price before sending and explains the problem under the field", async () => {
    const { user } = renderWithApollo(<ProductsPanel canEdit />, [
      mockData(PRODUCTS_QUERY, productsVariables(), aProductPage([aProduct({ id: "1", name: "Anvil" })])),
    ]);
    await waitFor(() => expect(rowNames()).toEqual(["Anvil"]));

    await user.type(screen.getByTestId("product-create-name"), "Dynamo");
    await user.type(screen.getByTestId("product-create-sku"), "DYN-1");
    await user.type(screen.getByTestId("product-create-price"), "-5,00");
    await user.click(screen.getByTestId("product-create-submit"));

    const price = screen.getByTestId("product-create-price");
    const error = await screen.findByTestId("product-create-error-price");
    expect(error).toHaveTextContent("The price cannot be negative.");
    expect(price).toHaveAttribute("aria-invalid", "true");
    expect(price).toHaveAttribute("aria-describedby", error.id);
    await waitFor(() => expect(price).toHaveFocus());
    expect(screen.getByTestId("product-create-name")).not.toHaveAttribute("aria-invalid");
  });

  it("confirms a created product with a toast and highlights its row", async () => {
    const input = { name: "Dynamo", sku: "DYN-1", price: "12.50", description: "", isActive: true };
    const created = aProduct({ id: "9", ...input });
    const { user } = renderWithApollo(<ProductsPanel canEdit />, [
      mockData(PRODUCTS_QUERY, productsVariables(), aProductPage([])),
      mockData(CREATE_PRODUCT_MUTATION, { input: { ...input, price: "12.50" } }, { __typename: "Mutation", createProduct: created }),
      mockData(PRODUCTS_QUERY, productsVariables(), aProductPage([created])),
    ]);
    await screen.findByTestId("product-empty");

    await user.type(screen.getByTestId("product-create-name"), input.name);
    await user.type(screen.getByTestId("product-create-sku"), input.sku);
    await user.type(screen.getByTestId("product-create-price"), "12,5");
    await user.click(screen.getByTestId("product-create-submit"));

    expect(await screen.findByTestId("toast")).toHaveTextContent("Created “Dynamo”.");
    await waitFor(() => expect(screen.getByTestId("product-row")).toHaveAttribute("data-highlighted", "true"));
  });

  it("keeps a product when its deletion is not confirmed", async () => {
    const { user } = renderWithApollo(<ProductsPanel canEdit />, [
      mockData(PRODUCTS_QUERY, productsVariables(), aProductPage([aProduct({ id: "1", name: "Anvil" })])),
    ]);
    await user.click(await screen.findByTestId("product-delete"));
    expect(screen.getByTestId("product-delete-cancel")).toHaveFocus();

    await user.click(screen.getByTestId("product-delete-cancel"));

    expect(screen.queryByTestId("product-delete-confirm")).not.toBeInTheDocument();
    expect(screen.getByTestId("product-delete")).toHaveFocus();
    expect(rowNames()).toEqual(["Anvil"]);
  });

  it("sorts by a column header and filters by status through the list query", async () => {
    const { user } = renderWithApollo(<ProductsPanel canEdit={false} />, [
      mockData(PRODUCTS_QUERY, productsVariables(), firstPage),
      mockData(
        PRODUCTS_QUERY,
        productsVariables({ sort: { field: "price", direction: "ASC" } }),
        aProductPage([aProduct({ id: "2", name: "Bolt" }), aProduct({ id: "1", name: "Anvil" })]),
      ),
      mockData(
        PRODUCTS_QUERY,
        productsVariables({ sort: { field: "price", direction: "ASC" }, status: "inactive" }),
        aProductPage([aProduct({ id: "2", name: "Bolt", isActive: false })]),
      ),
    ]);
    await waitFor(() => expect(rowNames()).toEqual(["Anvil", "Bolt"]));

    await user.click(screen.getByTestId("sort-price"));
    await waitFor(() => expect(rowNames()).toEqual(["Bolt", "Anvil"]));
    expect(screen.getByTestId("sort-price").closest("th")).toHaveAttribute("aria-sort", "ascending");

    await user.selectOptions(screen.getByTestId("product-status-filter"), "inactive");
    await waitFor(() => expect(rowNames()).toEqual(["Bolt"]));
  });
});

describe("productsVariables", () => {
  it("combines the search on name or SKU with the status", () => {
    expect(productsVariables({ search: "an", status: "active", sort: { field: "price", direction: "DESC" } })).toEqual({
      first: 20,
      order: { price: "DESC" },
      filters: { isActive: { exact: true }, AND: { name: { iContains: "an" }, OR: { sku: { iContains: "an" } } } },
    });
  });
});
