import { screen } from "@testing-library/react";
import { aProduct } from "../../test/fixtures";
import { mockData, mockErrors, renderWithApollo } from "../../test/render";
import { SEARCH_PRODUCTS_QUERY } from "./operations";
import { SearchPanel } from "./SearchPanel";

const searchResult = (...names: string[]) => ({
  __typename: "Query" as const,
  searchProducts: names.map((name, index) => {
    const { id, sku, price } = aProduct({ id: String(index + 1) });
    return { __typename: "Product" as const, id, name, sku, price };
  }),
});

describe("SearchPanel", () => {
  it("lists the products the server returns, in order", async () => {
    renderWithApollo(<SearchPanel query="lamp" onOpen={vi.fn()} />, [
      mockData(SEARCH_PRODUCTS_QUERY, { query: "lamp", first: 20 }, searchResult("Desk lamp", "Floor lamp")),
    ]);

    const results = await screen.findAllByTestId("search-result");
    expect(results.map((item) => item.firstChild?.textContent)).toEqual(["Desk lamp", "Floor lamp"]);
  });

  it("shows a friendly message when search is unavailable", async () => {
    renderWithApollo(<SearchPanel query="lamp" onOpen={vi.fn()} />, [
      mockErrors(SEARCH_PRODUCTS_QUERY, { query: "lamp", first: 20 }, [
        { message: "Search backend unreachable", code: "SEARCH_UNAVAILABLE" },
      ]),
    ]);

    expect(await screen.findByTestId("search-unavailable")).toHaveTextContent(/temporarily unavailable/i);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.queryAllByTestId("search-result")).toHaveLength(0);
  });

  it("shows other errors as they are", async () => {
    renderWithApollo(<SearchPanel query="lamp" onOpen={vi.fn()} />, [
      mockErrors(SEARCH_PRODUCTS_QUERY, { query: "lamp", first: 20 }, [
        { message: "Too many requests", code: "RATE_LIMITED" },
      ]),
    ]);

    expect(await screen.findByRole("alert")).toHaveTextContent("Too many requests");
    expect(screen.queryByTestId("search-unavailable")).not.toBeInTheDocument();
  });

  it("says so when nothing matches", async () => {
    renderWithApollo(<SearchPanel query="zzz" onOpen={vi.fn()} />, [
      mockData(SEARCH_PRODUCTS_QUERY, { query: "zzz", first: 20 }, searchResult()),
    ]);

    expect(await screen.findByTestId("search-empty")).toHaveTextContent("No products match “zzz”.");
  });
});
