import { createRequire } from "node:module";
import { serve, htmlFiles } from "./lib/server.mjs";
const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const dir = process.argv[2];
const s = await serve(dir);
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const pages = ["index.html", "2023/timeline.html", "2023/categories/1.html", "units/sifa.html", "units/index.html", "2023/tasks/2-1-2.html", "2023/pilots.html"];
for (const care of ['{"size":2,"spacing":true}', '{"size":1}', '{}']) for (const w of [1366, 1024, 900, 800, 700, 500]) {
  const ctx = await b.newContext({ viewport: { width: w, height: 800 } });
  await ctx.addInitScript((v) => localStorage.setItem("gongkai-care", v), care);
  const pg = await ctx.newPage();
  for (const p of pages) {
    await pg.goto(s.url + p);
    const r = await pg.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    if (r[0] > r[1]) console.log(care, w, p, r);
  }
  await ctx.close();
}
await b.close(); await s.close();
