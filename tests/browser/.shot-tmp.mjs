// temp helper (deleted later): node .shot-tmp.mjs DIR PAGE WIDTH Y H CARE OUT
import { createRequire } from "node:module";
import { serve } from "./lib/server.mjs";
const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const [dir, page, w, y, h, care, out] = process.argv.slice(2);
const s = await serve(dir);
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"] });
const ctx = await b.newContext({ viewport: { width: +w, height: 900 } });
if (care && care !== "-") await ctx.addInitScript((v) => localStorage.setItem("gongkai-care", v), care);
const pg = await ctx.newPage();
await pg.goto(s.url + page, { waitUntil: "load" });
await pg.screenshot({ path: out, fullPage: true, clip: { x: 0, y: +y, width: +w, height: +h } });
await b.close(); await s.close();
