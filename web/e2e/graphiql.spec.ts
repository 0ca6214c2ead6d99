import { expect, test } from "@playwright/test";
import { tenantUrl } from "./support";

const graphiqlUrl = `${tenantUrl("acme")}graphql/`;

test("GraphiQL loads from the platform alone and runs a query on acme", async ({ page }) => {
  const origin = new URL(graphiqlUrl).origin;
  const foreignRequests: string[] = [];
  await page.route(
    (url) => url.origin !== origin && url.protocol !== "data:",
    async (route) => {
      foreignRequests.push(route.request().url());
      await route.abort();
    },
  );

  await page.goto(graphiqlUrl);
  const queryEditor = page.locator(".graphiql-query-editor .CodeMirror");
  await expect(queryEditor).toBeVisible();

  const assets = await page
    .locator('script[src], link[rel="stylesheet"]')
    .evaluateAll((elements) => elements.map((element) => element.getAttribute("src") ?? element.getAttribute("href")));
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of assets) {
    expect(asset).toMatch(/^\/graphiql\/[^/]+$/);
  }
  const statuses = await page.evaluate(
    (paths) => Promise.all(paths.map(async (path) => [path, (await fetch(path!)).status])),
    assets,
  );
  expect(statuses).toEqual(assets.map((asset) => [asset, 200]));

  await queryEditor.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.press("Backspace");
  await page.keyboard.insertText("{ tenant { schemaName } }");
  await page.getByRole("button", { name: /execute query/i }).click();

  await expect(page.locator(".graphiql-response")).toContainText(/"schemaName":\s*"acme"/);
  expect(foreignRequests).toEqual([]);
});
