import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page, type TestInfo } from "@playwright/test";
import {
  DEMO_PASSWORD,
  filterProducts,
  openCreateForm,
  signIn,
  tenantUrl,
  uniqueSuffix,
  waitForLiveFeed,
} from "./support";

/** Screenshots are kept as artifacts of the run, per viewport: test-results/screenshots/<project>-<name>.png. */
async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = path.join(testInfo.project.outputDir, "screenshots", `${testInfo.project.name}-${name}.png`);
  await page.screenshot({ path: file });
}

async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
}

async function expectNoSeriousAxeViolations(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(" ")).join(", ")}`);
  expect(serious, `axe on ${where}`).toEqual([]);
}

async function openSession(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ viewport: test.info().project.use.viewport ?? undefined });
  const page = await context.newPage();
  await signIn(page, "acme", email);
  await waitForLiveFeed(page);
  return page;
}

test("a change in one browser updates the product list open in another, delete asks first", async ({
  browser,
}, testInfo) => {
  const suffix = uniqueSuffix();
  const name = `Live Kettle ${suffix}`;
  const owner = await openSession(browser, "owner@acme.test");
  const member = await openSession(browser, "member@acme.test");
  try {
    await filterProducts(member, name);
    await expect(member.getByTestId("product-total")).toHaveText("0");

    await openCreateForm(owner);
    await owner.getByTestId("product-create-name").fill(name);
    await owner.getByTestId("product-create-sku").fill(`LK-${suffix}`);
    await owner.getByTestId("product-create-price").fill("12,5");
    await owner.getByTestId("product-create-submit").click();
    await expect(owner.getByTestId("toast")).toHaveText(`Created “${name}”.`);
    await expect(owner.getByTestId("product-create-name")).toHaveValue("");

    // The member's open list follows without a reload: the row appears, with the total.
    const memberRow = member.getByTestId("product-row").filter({ hasText: name });
    await expect(memberRow).toHaveCount(1);
    await expect(member.getByTestId("product-total")).toHaveText("1");
    await expect(memberRow.getByTestId("product-price")).toHaveText("$12.50");
    await screenshot(member, testInfo, "live-list");

    // An edit by the owner changes the price on the member's screen.
    await filterProducts(owner, name);
    const ownerRow = owner.getByTestId("product-row").filter({ hasText: name });
    await ownerRow.getByTestId("product-edit").click();
    await owner.getByTestId("product-edit-price").fill("15");
    await owner.getByTestId("product-edit-submit").click();
    await expect(owner.getByTestId("toast")).toHaveText(`Saved “${name}”.`);
    await expect(ownerRow).toHaveAttribute("data-highlighted", "true");
    await expect(memberRow.getByTestId("product-price")).toHaveText("$15.00");

    // Delete asks first; keeping it changes nothing.
    await ownerRow.getByTestId("product-delete").click();
    await expect(ownerRow.getByTestId("product-delete-question")).toHaveText(`Delete “${name}”?`);
    await screenshot(owner, testInfo, "delete-confirmation");
    await ownerRow.getByTestId("product-delete-cancel").click();
    await expect(ownerRow.getByTestId("product-delete")).toBeFocused();
    await expect(owner.getByTestId("product-total")).toHaveText("1");

    await ownerRow.getByTestId("product-delete").click();
    await ownerRow.getByTestId("product-delete-confirm").click();
    await expect(owner.getByTestId("toast")).toHaveText(`Deleted “${name}”.`);
    await expect(ownerRow).toHaveCount(0);
    await expect(owner.getByTestId("product-total")).toHaveText("0");
    await expect(memberRow).toHaveCount(0);
    await expect(member.getByTestId("product-total")).toHaveText("0");
  } finally {
    await owner.context().close();
    await member.context().close();
  }
});

test("prices are checked before sending, with the problem under the field", async ({ page }, testInfo) => {
  await signIn(page, "acme", "owner@acme.test");
  const mutations: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.postData()?.includes("CreateProduct")) mutations.push(request.url());
  });
  await openCreateForm(page);
  await page.getByTestId("product-create-name").fill(`Invalid ${uniqueSuffix()}`);
  await page.getByTestId("product-create-sku").fill(`INV-${uniqueSuffix()}`);
  await page.getByTestId("product-create-price").fill("-5,00");
  await page.getByTestId("product-create-submit").click();

  const price = page.getByTestId("product-create-price");
  const error = page.getByTestId("product-create-error-price");
  await expect(error).toHaveText("The price cannot be negative.");
  await expect(price).toHaveAttribute("aria-invalid", "true");
  await expect(price).toHaveAttribute("aria-describedby", (await error.getAttribute("id")) ?? "missing");
  await expect(price).toBeFocused();
  await expect(page.getByText(/Variable '\$input'/)).toHaveCount(0);
  await screenshot(page, testInfo, "field-validation");

  await price.fill("");
  await page.getByTestId("product-create-name").fill("");
  await page.getByTestId("product-create-submit").click();
  await expect(page.getByTestId("product-create-error-name")).toHaveText("Enter a name.");
  await expect(page.getByTestId("product-create-error-price")).toHaveText("Enter a price.");
  await expect(page.getByTestId("product-create-name")).toBeFocused();
  expect(mutations).toEqual([]);
});

test("logging out in one tab signs the other tabs out", async ({ browser }, testInfo) => {
  const first = await openSession(browser, "member@acme.test");
  const second = await first.context().newPage();
  try {
    await second.goto(tenantUrl("acme"));
    await expect(second.getByTestId("me-email")).toHaveText("member@acme.test");

    await first.getByTestId("logout").click();
    await expect(first.getByTestId("login-email")).toBeVisible();
    await expect(first.getByTestId("session-notice")).toHaveCount(0);

    await expect(second.getByTestId("login-email")).toBeVisible();
    await expect(second.getByTestId("session-notice")).toHaveText(/signed out in another tab/);
    await expect(second.getByTestId("product-row")).toHaveCount(0);
    await screenshot(second, testInfo, "signed-out-elsewhere");
  } finally {
    await first.context().close();
  }
});

test("a token the server no longer accepts leads to sign-in with a session-expired message", async ({ page }) => {
  test.skip(test.info().project.name === "phone", "not size-dependent; covered at desktop size");
  await page.goto(tenantUrl("acme"));
  const host = new URL(tenantUrl("acme")).host;
  await page.evaluate((key) => window.localStorage.setItem(key, "revoked-token"), `saas.authToken@${host}`);
  await page.reload();
  await expect(page.getByTestId("login-email")).toBeVisible();
  await expect(page.getByTestId("session-notice")).toHaveText("Your session has expired. Please sign in again.");
});

test("the layout fits the screen, keeps Log out in view, and passes axe", async ({ page }, testInfo) => {
  await page.goto(tenantUrl("acme"));
  await expect(page.getByTestId("login-email")).toBeVisible();
  await expectNoSeriousAxeViolations(page, "the sign-in page");
  await expectNoSidewaysScroll(page);
  await screenshot(page, testInfo, "sign-in");

  await page.getByTestId("login-email").fill("owner@acme.test");
  await page.getByTestId("login-password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await waitForLiveFeed(page);
  await expect(page.getByTestId("product-row").first()).toBeVisible();
  await expect(page.getByRole("heading", { level: 1 })).toHaveCount(1);
  await expect(page.getByTestId("unread-count")).toHaveAttribute("aria-label", /^\d+ unread$/);
  await expect(page.getByTestId("logout")).toBeInViewport();
  await expect(page.getByTestId("product-edit").first()).toBeInViewport();
  await expect(page.getByTestId("product-delete").first()).toBeInViewport();
  await expectNoSidewaysScroll(page);
  await expectNoSeriousAxeViolations(page, "the workspace");
  await screenshot(page, testInfo, "workspace");

  await openCreateForm(page);
  await expectNoSidewaysScroll(page);
  await expectNoSeriousAxeViolations(page, "the new-product form");

  await page.getByTestId("product-name").first().click();
  await expect(page.getByTestId("product-dialog")).toBeVisible();
  expect(new URL(page.url()).pathname).toMatch(/^\/products\//);
  await expectNoSeriousAxeViolations(page, "a product");
  await screenshot(page, testInfo, "product");
  await page.reload();
  await expect(page.getByTestId("product-dialog")).toBeVisible();
  await page.getByTestId("product-dialog-close").click();
  await expect(page.getByTestId("product-dialog")).toHaveCount(0);
  expect(new URL(page.url()).pathname).toBe("/");
});

test("one search narrows the list and finds close matches that open the product", async ({ page }) => {
  test.skip(test.info().project.name === "phone", "not size-dependent; covered at desktop size");
  await signIn(page, "acme", "member@acme.test");
  const first = page.getByTestId("product-name").first();
  const name = (await first.textContent()) ?? "";
  await filterProducts(page, name);
  await expect(page.getByTestId("product-total")).toHaveText("1");
  await page.getByTestId("search-submit").click();
  const result = page.getByTestId("search-result").filter({ hasText: name }).first();
  await result.getByRole("button").click();
  await expect(page.getByTestId("product-dialog").getByRole("heading")).toHaveText(name);
});

test("an unreachable server's error clears by itself once the connection is back", async ({ page, context }) => {
  test.skip(test.info().project.name === "phone", "not size-dependent; covered at desktop size");
  await signIn(page, "acme", "member@acme.test");
  await expect(page.getByTestId("product-row").first()).toBeVisible();

  await context.setOffline(true);
  await page.getByTestId("product-status-filter").selectOption("inactive");
  await expect(page.getByTestId("product-error")).toHaveText(/cannot be reached/);

  await context.setOffline(false);
  await expect(page.getByTestId("product-error")).toHaveCount(0);
  await expect(page.getByTestId("product-total")).toBeVisible();
});
