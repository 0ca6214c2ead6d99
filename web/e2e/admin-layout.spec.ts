import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "./support";

const port = process.env.E2E_PORT ?? "8000";
const platform = `http://localhost:${port}`;

/** Nothing in the change list is pushed out of its box, and header labels keep a visible gap between them. */
async function expectTableFits(page: Page) {
  const sizes = await page.evaluate(() => {
    const table = document.querySelector("#result_list") as HTMLElement;
    const box = table.parentElement as HTMLElement;
    const labels = Array.from(table.querySelectorAll("thead th"))
      .filter((th) => (th.textContent ?? "").trim())
      .map((th) => {
        // The extent of the label's text itself, not of the boxes around it.
        const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
        let left = Infinity;
        let right = -Infinity;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (!node.textContent?.trim()) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          const rect = range.getBoundingClientRect();
          left = Math.min(left, rect.left);
          right = Math.max(right, rect.right);
        }
        return { left, right };
      })
      .sort((a, b) => a.left - b.left);
    const gaps = labels.slice(1).map((label, index) => label.left - labels[index].right);
    return { table: table.scrollWidth, box: box.clientWidth, page: document.documentElement.scrollWidth, gaps };
  });
  expect(sizes.table).toBeLessThanOrEqual(sizes.box);
  expect(sizes.page).toBeLessThanOrEqual(1280);
  for (const gap of sizes.gaps) expect(gap).toBeGreaterThanOrEqual(8);
}

test("the platform admin's tenant list and tenant users fit at 1280 px", async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${platform}/admin/login/`);
  await page.locator("#id_username").fill("admin@platform.test");
  await page.locator("#id_password").fill(DEMO_PASSWORD);
  await page.locator("input[type=submit]").click();

  await page.goto(`${platform}/admin/tenants/client/`);
  const manage = page.locator("td.field-manage_links a", { hasText: "users" }).first();
  await expect(manage).toBeInViewport();
  await expectTableFits(page);
  await page.screenshot({ path: path.join(testInfo.project.outputDir, "screenshots", "desktop-admin-tenants.png") });

  await manage.click();
  await expect(page.locator("#result_list")).toBeVisible();
  await expectTableFits(page);
  await page.screenshot({ path: path.join(testInfo.project.outputDir, "screenshots", "desktop-admin-users.png") });
});
