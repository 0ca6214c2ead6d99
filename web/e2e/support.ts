import { expect, type Page } from "@playwright/test";

export type Tenant = "acme" | "beta";

const port = process.env.E2E_PORT ?? "8000";
export const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? "demo-pass-2026";

export function tenantUrl(tenant: Tenant): string {
  return `http://${tenant}.localhost:${port}/`;
}

export async function submitLogin(page: Page, tenant: Tenant, email: string, password: string): Promise<void> {
  await page.goto(tenantUrl(tenant));
  await page.getByTestId("login-email").fill(email);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
}

export async function signIn(page: Page, tenant: Tenant, email: string): Promise<void> {
  await submitLogin(page, tenant, email, DEMO_PASSWORD);
  await expect(page.getByTestId("me-email")).toHaveText(email);
}

export async function waitForLiveFeed(page: Page): Promise<void> {
  await expect(page.getByTestId("ws-status")).toHaveText("live");
  await expect(page.getByTestId("unread-count")).toHaveText(/^\d+$/);
}

export async function unreadCount(page: Page): Promise<number> {
  return Number(await page.getByTestId("unread-count").textContent());
}

export async function filterProducts(page: Page, name: string): Promise<void> {
  await expect(page.getByTestId("product-total")).toBeVisible();
  await page.getByTestId("search-input").fill(name);
}

/** The "New product" form starts collapsed. */
export async function openCreateForm(page: Page): Promise<void> {
  const toggle = page.getByTestId("product-create-toggle");
  if ((await page.getByTestId("product-create-name").isVisible()) === false) await toggle.click();
  await expect(page.getByTestId("product-create-name")).toBeVisible();
}

export function notificationsMentioning(page: Page, text: string) {
  return page.getByTestId("notification-item").filter({ hasText: text });
}

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`.toUpperCase();
}
