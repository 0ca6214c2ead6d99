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
    renderWithApollo(<ProductsPanel canEdit={false} />, [mockData(PRODUCTS_QUERY, productsVariables(""), firstPage)]);

    await waitFor(() => expect(rowNames()).toEqual(["Anvil", "Bolt"]));
    expect(screen.getByTestId("product-total")).toHaveTextContent("3");
    const [anvil] = screen.getAllByTestId("product-row");
    expect(within(anvil).getByText("SKU-1")).toBeInTheDocument();
    expect(within(anvil).getByText("10.00")).toBeInTheDocument();
    expect(screen.queryByTestId("product-create-form")).not.toBeInTheDocument();
    expect(screen.queryByTestId("product-edit")).not.toBeInTheDocument();
    expect(screen.queryByTestId("product-delete")).not.toBeInTheDocument();
  });

  it("appends the next page on Load more", async () => {
    const { user } = renderWithApollo(<ProductsPanel canEdit={false} />, [
      mockData(PRODUCTS_QUERY, productsVariables(""), firstPage),
      mockData(
        PRODUCTS_QUERY,
        { ...productsVariables(""), after: "cursor-2" },
        aProductPage([aProduct({ id: "3", name: "Crate" })], { totalCount: 3 }),
      ),
    ]);

    await user.click(await screen.findByTestId("product-load-more"));

    await waitFor(() => expect(rowNames()).toEqual(["Anvil", "Bolt", "Crate"]));
    expect(screen.queryByTestId("product-load-more")).not.toBeInTheDocument();
  });

  it("filters by name with a case-insensitive lookup", async () => {
    const { user } = renderWithApollo(<ProductsPanel canEdit={false} />, [
      mockData(PRODUCTS_QUERY, productsVariables(""), firstPage),
      mockData(
        PRODUCTS_QUERY,
        { first: 20, order: { name: "ASC" }, filters: { name: { iContains: "bol" } } },
        aProductPage([aProduct({ id: "2", name: "Bolt" })]),
      ),
      mockData(
        PRODUCTS_QUERY,
        { first: 20, order: { name: "ASC" }, filters: { name: { iContains: "nothing" } } },
        aProductPage([]),
      ),
    ]);
    await waitFor(() => expect(rowNames()).toEqual(["Anvil", "Bolt"]));

    await user.type(screen.getByTestId("product-filter"), "bol");
    await waitFor(() => expect(rowNames()).toEqual(["Bolt"]));
    expect(screen.getByTestId("product-total")).toHaveTextContent("1");

    await user.clear(screen.getByTestId("product-filter"));
    await user.type(screen.getByTestId("product-filter"), "nothing");
    expect(await screen.findByTestId("product-empty")).toHaveTextContent("No products match “nothing”.");
    expect(rowNames()).toEqual([]);
  });

  it("shows OperationInfo messages next to their fields when creating fails", async () => {
    const input = { name: "Anvil", sku: "SKU-1", price: "-1", description: "", isActive: true };
    const { user } = renderWithApollo(<ProductsPanel canEdit />, [
      mockData(PRODUCTS_QUERY, productsVariables(""), firstPage),
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
      mockData(PRODUCTS_QUERY, productsVariables(""), aProductPage([aProduct({ id: "1", name: "Anvil" })])),
      mockData(CREATE_PRODUCT_MUTATION, { input }, { __typename: "Mutation", createProduct: created }),
      mockData(PRODUCTS_QUERY, productsVariables(""), aProductPage([aProduct({ id: "1", name: "Anvil" }), created])),
    ]);
    await waitFor(() => expect(rowNames()).toEqual(["Anvil"]));

    await user.type(screen.getByTestId("product-create-name"), input.name);
    await user.type(screen.getByTestId("product-create-sku"), input.sku);
    await user.type(screen.getByTestId("product-create-price"), input.price);
    await user.type(screen.getByTestId("product-create-description"), input.description);
    await user.click(screen.getByTestId("product-create-submit"));

    await waitFor(() => expect(rowNames()).toEqual(["Anvil", "Dynamo"]));
    expect(screen.getByTestId("product-total")).toHaveTextContent("2");
    expect(screen.getByTestId("product-create-name")).toHaveValue("");
  });

  it("sends only the changed fields when editing and updates the row", async () => {
    const anvil = aProduct({ id: "1", name: "Anvil", price: "10.00" });
    const { user } = renderWithApollo(<ProductsPanel canEdit />, [
      mockData(PRODUCTS_QUERY, productsVariables(""), aProductPage([anvil])),
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
    await waitFor(() => expect(within(row).getByText("11.00")).toBeInTheDocument());
    expect(screen.queryByTestId("product-edit-form")).not.toBeInTheDocument();
  });

  it("removes a deleted product from the list", async () => {
    const anvil = aProduct({ id: "1", name: "Anvil" });
    const bolt = aProduct({ id: "2", name: "Bolt" });
    const { user } = renderWithApollo(<ProductsPanel canEdit />, [
      mockData(PRODUCTS_QUERY, productsVariables(""), aProductPage([anvil, bolt])),
      mockData(
        DELETE_PRODUCT_MUTATION,
        { id: "1" },
        { __typename: "Mutation", deleteProduct: { __typename: "DeletedProduct", id: "1" } },
      ),
      mockData(PRODUCTS_QUERY, productsVariables(""), aProductPage([bolt])),
    ]);
    await waitFor(() => expect(rowNames()).toEqual(["Anvil", "Bolt"]));

    await user.click(screen.getAllByTestId("product-delete")[0]);

    await waitFor(() => expect(rowNames()).toEqual(["Bolt"]));
    expect(screen.getByTestId("product-total")).toHaveTextContent("1");
  });
});
