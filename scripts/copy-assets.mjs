// Copy the browser libraries from node_modules into Django's static tree.
// The copies are build output (git-ignored), never committed.
import { copyFileSync, mkdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const assets = [
  {
    from: "node_modules/mermaid/dist/mermaid.min.js",
    to: "src/deepwiki/static/vendor/mermaid/mermaid.min.js",
  },
];

for (const { from, to } of assets) {
  const src = join(root, from);
  if (!existsSync(src)) {
    console.error(`missing ${from}: run "npm ci" first`);
    process.exit(1);
  }
  const dest = join(root, to);
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(src, dest);
  console.log(`copied ${from} -> ${to}`);
}
