// Copies the GraphiQL page's scripts and styles into dist/graphiql/, served at /graphiql/<file>.
// The backend's GraphiQL page (saas/graphql/views.py) links exactly these files.
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const web = join(dirname(fileURLToPath(import.meta.url)), "..");
const assets = JSON.parse(readFileSync(join(web, "scripts", "graphiql-assets.json"), "utf8"));
const target = join(web, "dist", "graphiql");

rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
for (const [name, source] of Object.entries(assets)) {
  copyFileSync(join(web, "node_modules", source), join(target, name));
}
console.log(`copied ${Object.keys(assets).length} GraphiQL files to dist/graphiql/`);
