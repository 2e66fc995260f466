// Portal pages in Chromium (issue 17): on a 375 × 812 phone with 特大字 (and with 长者模式) the
// page's heading is on the first screen; and site search (item 2): the default site as built, served from 127.0.0.1 at
// the root and under a sub-path. A township name, a unit name and phrases from task texts put the
// expected page among the first 5 results; nothing is requested off the site; the header's search
// box works from the keyboard; without JavaScript, or opened from file://, the search page shows
// the site map and ledger links instead. Prints "N passed, M failed" on its last line.
//
//   node portal.mjs SITE_DIR      (run.sh passes the default site it built)
import { chromium } from "playwright-core";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { serve } from "./lib/server.mjs";

const SITE = path.resolve(process.argv[2] || "../../output");
let passed = 0, failed = 0;
async function check(name, fn) {
  const t0 = Date.now();
  try { await fn(); passed++; console.log(`ok   ${name} (${Date.now() - t0} ms)`); }
  catch (e) { failed++; console.log(`FAIL ${name}: ${e.message}`); }
}
const expect = (cond, msg) => { if (!cond) throw new Error(msg); };

// The site twice: at the root, and under /zwgk/gongkai/ (a symlink in a scratch folder).
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-search-"));
fs.mkdirSync(path.join(scratch, "zwgk"));
fs.symlinkSync(SITE, path.join(scratch, "zwgk", "gongkai"));
const atRoot = await serve(SITE);
const atSub = await serve(scratch);
const subUrl = atSub.url + "zwgk/gongkai/";

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const offSite = [];
async function newPage(base, opts = {}) {
  const ctx = await browser.newContext({ locale: "zh-CN", viewport: { width: 1366, height: 900 }, ...opts });
  const page = await ctx.newPage();
  page.on("request", (r) => {
    const u = r.url();
    if (!u.startsWith(base) && !u.startsWith("data:")) offSite.push(u);
  });
  return page;
}
// Run a search on the search page; the result links (as paths from the site root) in order.
async function search(page, base, q) {
  await page.goto(base + "search.html?q=" + encodeURIComponent(q));
  await page.waitForFunction(() => {
    const s = document.getElementById("search-status").textContent;
    return s && !s.startsWith("正在");
  }, null, { timeout: 20000 });
  const status = await page.textContent("#search-status");
  const hrefs = await page.$$eval("#search-results a", (as) => as.map((a) => a.href));
  return { status, hrefs: hrefs.map((h) => h.slice(base.length)) };
}

try {
  const cases = [
    ["a township's name", "白沙镇", "units/baisha.html"],
    ["a unit's name", "市司法局", "units/sifa.html"],
    ["a phrase of a task text", "建设政策咨询库", "2023/tasks/2-3-2.html"],
    ["a phrase of a task assigned to 31 departments", "人大代表建议和政协委员提案办理结果", "2023/tasks/1-4-1.html"],
    ["a phrase of a task text", "第三方评估", "2023/tasks/4-2-2.html"],
  ];
  for (const [base, where] of [[atRoot.url, "at the site root"], [subUrl, "under a sub-path"]]) {
    const page = await newPage(base.replace(/zwgk\/gongkai\/$/, ""));
    for (const [what, q, want] of cases) {
      await check(`search ${where}: ${what} (“${q}”) puts ${want} among the first 5 results`, async () => {
        const { status, hrefs } = await search(page, base, q);
        expect(hrefs.length > 0, `no results: ${status}`);
        expect(hrefs.slice(0, 5).includes(want), `first 5: ${hrefs.slice(0, 5).join(", ")}`);
        expect(/^找到 \d+ 个/.test(status), `status says how many: ${status}`);
      });
    }
    await page.context().close();
  }

  await check("a word no page holds says so and offers the site map", async () => {
    const page = await newPage(atRoot.url);
    const { status, hrefs } = await search(page, atRoot.url, "xyzzyqv");
    expect(hrefs.length === 0, `results: ${hrefs}`);
    expect(status.includes("没有找到"), status);
    expect(await page.isVisible("#search-fallback a[href$='sitemap.html']"), "site map link shown");
    await page.context().close();
  });

  await check("the header's search box works from the keyboard and the results are reachable by Tab", async () => {
    const page = await newPage(atRoot.url);
    await page.goto(atRoot.url + "units/index.html");
    await page.focus("#site-q");
    await page.keyboard.type("白沙镇");
    await page.keyboard.press("Enter");
    await page.waitForURL(/search\.html\?q=/);
    await page.waitForSelector("#search-results a");
    // From the search field, Tab reaches the button, then the first result.
    await page.focus("#search-q");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.closest("#search-results") !== null);
    expect(focused, "the first result link has focus after Tab, Tab");
    // The status is announced (a polite live region).
    expect(await page.getAttribute("#search-status", "role") === "status", "status is a live region");
    await page.context().close();
  });

  for (const [label, care] of [["特大字", { size: 2 }], ["长者模式", { elder: true, size: 1, contrast: true, spacing: true, cursor: true }]]) {
    await check(`on a 375 × 812 phone with ${label} the page heading is on the first screen`, async () => {
      const ctx = await browser.newContext({ locale: "zh-CN", viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
      await ctx.addInitScript((v) => { try { localStorage.setItem("gongkai-care", v); } catch { /* ignore */ } }, JSON.stringify(care));
      const page = await ctx.newPage();
      const bad = [];
      for (const p of ["index.html", "2023/tasks/2-1-2.html", "2023/tasks/2-4-1.html", "2023/categories/1.html", "units/sifa.html", "units/index.html", "2023/timeline.html", "search.html", "sitemap.html"]) {
        await page.goto(atRoot.url + p, { waitUntil: "load" });
        const r = await page.evaluate(() => {
          const h = document.querySelector("h1").getBoundingClientRect();
          const line = parseFloat(getComputedStyle(document.querySelector("h1")).lineHeight) || 40;
          return { top: Math.round(h.top), line: Math.round(line), fs2: document.documentElement.classList.contains("fs-2") || document.documentElement.classList.contains("fs-1") };
        });
        if (!r.fs2) bad.push(`${p}: the care setting was not applied`);
        // Its first line is wholly on the screen.
        if (r.top + r.line > 812) bad.push(`${p}: h1 starts at ${r.top} px`);
      }
      await ctx.close();
      expect(bad.length === 0, bad.join("; "));
    });
  }

  await check("no request leaves the site", async () => {
    expect(offSite.length === 0, `off-site requests: ${offSite.slice(0, 5).join(", ")}`);
  });

  await check("without JavaScript the search page shows the site map and ledger links", async () => {
    const page = await newPage(atRoot.url, { javaScriptEnabled: false });
    await page.goto(atRoot.url + "search.html?q=白沙镇");
    expect(!(await page.isVisible("#search-form")), "the form that needs a script is hidden");
    expect(await page.isVisible("#search-fallback a[href$='sitemap.html']"), "site map link shown");
    expect(await page.isVisible("#search-fallback a[href$='units/index.html']"), "ledgers link shown");
    await page.context().close();
  });

  await check("opened from file:// the search page says why and shows the links", async () => {
    const page = await newPage("file://");
    await page.goto(pathToFileURL(path.join(SITE, "search.html")).href + "?q=白沙镇");
    await page.waitForFunction(() => !document.getElementById("search-fallback").hidden);
    const why = await page.textContent("#search-why");
    expect(why.includes("直接打开"), why);
    expect(await page.isVisible("#search-fallback a[href$='units/index.html']"), "ledgers link shown");
    expect(!(await page.isVisible("#search-form")), "no search form that cannot work");
    await page.context().close();
  });
} finally {
  await browser.close();
  await atRoot.close();
  await atSub.close();
  fs.rmSync(scratch, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
