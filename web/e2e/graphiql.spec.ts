import { expect, test } from "@playwright/test";
import { DEMO_PASSWORD, tenantUrl, uniqueSuffix } from "./support";

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
  // One operation left: the run button stops offering the starter's operations.
  await expect(page.getByRole("button", { name: /execute query/i })).not.toHaveAttribute("aria-haspopup", "menu");
  await page.getByRole("button", { name: /execute query/i }).click();

  await expect(page.locator(".graphiql-response")).toContainText(/"schemaName":\s*"acme"/);
  expect(foreignRequests).toEqual([]);
});

test("GraphiQL signs in from its form: the token goes to the headers editor, never into the URL", async ({ page }) => {
  const password = DEMO_PASSWORD;
  const sent: { method: string; url: string }[] = [];
  page.on("request", (request) => sent.push({ method: request.method(), url: request.url() }));

  await page.goto(graphiqlUrl);
  sent.length = 0;
  const queryEditor = page.locator(".graphiql-query-editor .CodeMirror");
  await expect(queryEditor).toContainText("(acme) on acme.localhost");
  await expect(queryEditor).toContainText("subscription Notifications");

  await page.locator("#sign-in-email").fill("member@acme.test");
  await page.locator("#sign-in-password").fill(password);
  await page.locator("#sign-in-submit").click();
  await expect(page.locator("#sign-in-status")).toHaveText("Signed in as member@acme.test");
  await page.getByText("Headers", { exact: true }).click();
  await expect(page.locator(".graphiql-editor-tool .CodeMirror").last()).toContainText("Authorization");

  // Without the session cookie, only the Authorization header can sign the console in.
  await page.context().clearCookies();
  await page.getByRole("button", { name: /execute query/i }).click();
  await page.getByRole("menuitem", { name: "Whoami" }).click();
  await expect(page.locator(".graphiql-response")).toContainText(/"email":\s*"member@acme\.test"/);

  // The subscription's socket carries the same token in connection_init.
  await page.getByRole("button", { name: /execute query/i }).click();
  await page.getByRole("menuitem", { name: "Notifications" }).click();
  const message = `Console check ${uniqueSuffix()}`;
  await expect(async () => {
    await page.evaluate(async (text) => {
      const post = async (body: object, token?: string) =>
        (
          await fetch("/graphql/", {
            method: "POST",
            credentials: "omit",
            headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
            body: JSON.stringify(body),
          })
        ).json();
      const signedIn = await post({
        query: "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
        variables: { e: "owner@acme.test", p: text.password },
      });
      await post({ query: "mutation($m: String!) { sendNotification(message: $m) { id } }", variables: { m: text.message } },
        signedIn.data.login.token);
    }, { message, password });
    await expect(page.locator(".graphiql-response")).toContainText(message, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });

  const graphqlRequests = sent.filter((request) => new URL(request.url).pathname === "/graphql/");
  expect(graphqlRequests.length).toBeGreaterThan(3);
  for (const request of graphqlRequests) {
    expect(request).toEqual({ method: "POST", url: graphiqlUrl });
  }
  expect(page.url()).toBe(graphiqlUrl);
});
