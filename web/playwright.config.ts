import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "./e2e",
  workers: 1,
  retries: 0,
  fullyParallel: false,
  reporter: "list",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  // Existing journeys run at desktop size; the user-experience spec runs at desktop and phone sizes.
  projects: [
    { name: "desktop", use: { viewport: { width: 1280, height: 800 } } },
    { name: "phone", testMatch: /ux\.spec\.ts/, use: { viewport: { width: 360, height: 740 }, hasTouch: true } },
  ],
  use: {
    actionTimeout: 15_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--headless",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
