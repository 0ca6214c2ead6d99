import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import {
  filterProducts,
  notificationsMentioning,
  openCreateForm,
  signIn,
  submitLogin,
  tenantUrl,
  type Tenant,
  uniqueSuffix,
  unreadCount,
  waitForLiveFeed,
} from "./support";

const LOADED_MARKER = "__e2eLoadedOnce";

test.describe("a product created on acme", () => {
  test.describe.configure({ mode: "serial" });

  const suffix = uniqueSuffix();
  const product = {
    name: `E2E Lantern ${suffix}`,
    sku: `E2E-${suffix}`,
    price: "19.90",
    description: "Created by the browser end-to-end test",
  };
  const contexts: BrowserContext[] = [];
  let acmeMember: Page;
  let betaMember: Page;
  let acmeUnreadBefore: number;
  let betaUnreadBefore: number;

  async function openLiveSession(browser: Browser, tenant: Tenant, email: string): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await signIn(page, tenant, email);
    await waitForLiveFeed(page);
    await page.evaluate((marker) => Object.assign(window, { [marker]: true }), LOADED_MARKER);
    return page;
  }

  test.beforeAll(async ({ browser }) => {
    acmeMember = await openLiveSession(browser, "acme", "member@acme.test");
    betaMember = await openLiveSession(browser, "beta", "member@beta.test");
    acmeUnreadBefore = await unreadCount(acmeMember);
    betaUnreadBefore = await unreadCount(betaMember);
  });

  test.afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
  });

  test("(a) the acme owner sees the tenant, creates the product and finds it in the list", async ({ page }) => {
    await signIn(page, "acme", "owner@acme.test");
    await expect(page.getByTestId("tenant-schema")).toHaveText("acme");
    await expect(page.getByTestId("tenant-name")).not.toHaveText(/^(…)?$/);
    await expect(page.getByTestId("me-staff")).toBeVisible();

    await openCreateForm(page);
    await page.getByTestId("product-create-name").fill(product.name);
    await page.getByTestId("product-create-sku").fill(product.sku);
    await page.getByTestId("product-create-price").fill(product.price);
    await page.getByTestId("product-create-description").fill(product.description);
    await page.getByTestId("product-create-submit").click();
    await expect(page.getByTestId("product-create-name")).toHaveValue("");
    await expect(page.getByTestId("product-create-errors")).toHaveCount(0);

    await filterProducts(page, product.name);
    const rows = page.getByTestId("product-row");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText(product.name);
    await expect(rows.first()).toContainText(product.sku);
    await expect(page.getByTestId("product-total")).toHaveText("1");
  });

  test("(b) an acme member gets a live notification about it without reloading", async () => {
    await expect(notificationsMentioning(acmeMember, product.name)).toHaveCount(1);
    await expect.poll(() => unreadCount(acmeMember)).toBeGreaterThan(acmeUnreadBefore);
    await expect(acmeMember.getByTestId("ws-status")).toHaveText("live");
    expect(await acmeMember.evaluate((marker) => marker in window, LOADED_MARKER)).toBe(true);
  });

  test("(c) beta neither lists the product nor gets its notification", async () => {
    await filterProducts(betaMember, product.name);
    await expect(betaMember.getByTestId("product-total")).toHaveText("0");
    await expect(betaMember.getByTestId("product-empty")).toBeVisible();
    await expect(betaMember.getByTestId("product-row")).toHaveCount(0);

    await betaMember.getByTestId("search-input").fill(product.name);
    await betaMember.getByTestId("search-submit").click();
    await expect(
      betaMember.getByTestId("search-empty").or(betaMember.getByTestId("search-unavailable")),
    ).toBeVisible();
    await expect(betaMember.getByTestId("search-result").filter({ hasText: product.name })).toHaveCount(0);

    // Acme already received the event in (b); give a leaked copy the same time again to show up.
    await betaMember.waitForTimeout(2_000);
    await expect(betaMember.getByTestId("ws-status")).toHaveText("live");
    await expect(notificationsMentioning(betaMember, product.name)).toHaveCount(0);
    expect(await unreadCount(betaMember)).toBe(betaUnreadBefore);
  });
});

test("(d) a wrong password shows the server's error and stays signed out", async ({ page }) => {
  await submitLogin(page, "acme", "owner@acme.test", "not-the-password");

  await expect(page.getByTestId("login-error")).toHaveText(/\S/);
  await expect(page.getByTestId("logout")).toHaveCount(0);
  const storedTokens = await page.evaluate(() => Object.keys(window.localStorage));
  expect(storedTokens).toEqual([]);
  expect(page.url()).toBe(tenantUrl("acme"));
});
