// Screenshots of the default theme for the README (docs/screenshots/*.png).
//
//   cargo run --release -- build && node tests/browser/screenshot.mjs [SITE_OUTPUT_DIR]
//
// SITE_OUTPUT_DIR defaults to <repo>/output. Uses Debian's chromium (CHROMIUM to override).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { serve } from "./lib/server.mjs";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "../..");
const SITE = path.resolve(process.argv[2] || path.join(REPO, "output"));
const OUT = path.join(REPO, "docs/screenshots");
const MAX_H = 3000;
const WIDTHS = [1366, 375];

const shots = [
  // [file stem, page, care settings]
  ["home", "index.html", null],
  ["home-largest-text", "index.html", { size: 2 }],
  ["home-high-contrast", "index.html", { contrast: true }],
  ["category", "2023/categories/1.html", null],
  ["task", "2023/tasks/2-1-2.html", null],
  ["unit-ledger", "units/sifa.html", null],
  ["pilots", "2023/pilots.html", null],
  ["home-elder-mode", "index.html", { elder: true, size: 1, contrast: true, spacing: true, cursor: true }],
  ["search", "search.html?q=白沙镇", null],
  ["site-map", "sitemap.html", null],
];

fs.mkdirSync(OUT, { recursive: true });
const server = await serve(SITE);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"],
});
try {
  for (const [stem, page, care] of shots) {
    if (!fs.existsSync(path.join(SITE, page.split("?")[0]))) {
      console.log(`skip ${stem}: ${page} not in ${SITE}`);
      continue;
    }
    for (const width of WIDTHS) {
      const ctx = await browser.newContext({ viewport: { width, height: 900 }, locale: "zh-CN" });
      if (care) await ctx.addInitScript((v) => localStorage.setItem("gongkai-care", v), JSON.stringify(care));
      const pg = await ctx.newPage();
      await pg.goto(server.url + page, { waitUntil: "load" });
      if (page.startsWith("search.html?")) await pg.waitForSelector("#search-results li", { timeout: 20000 });
      const h = await pg.evaluate(() => document.documentElement.scrollHeight);
      const file = path.join(OUT, `${stem}-${width}.png`);
      await pg.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(h, MAX_H) } });
      console.log(`${path.relative(REPO, file)} (${width}×${Math.min(h, MAX_H)})`);
      await ctx.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
