// Printing the default site (issue 17 item 3): pages are printed to PDF in Chromium (A4, the page
// size the style sheet asks for) in the default look and with the care settings preset (largest
// text + high contrast + wide spacing), the pages of each PDF are counted with `pdfinfo` and its
// text read with `pdftotext` (poppler-utils).
//
//   node print.mjs SITE_OUTPUT_DIR      (run.sh passes the built default site)
//
// Printed: the home page, the category with the most rows, task 2-1-2, the task page with the most
// text, and the largest ledger of a unit with 14 tasks. Asserted: task 2-1-2 fits on 1 A4 page, the
// longest task on ≤ 2, the home page on ≤ 3, the ledger on ≤ 2, the category on ≤ 3, and care mode
// never prints more pages than the default look; under print media, table rows stay table rows and
// no cell shows a stacked-layout label, text in high contrast is black, the largest text step
// leaves the h1 and the body text at their normal size, collapsed <details> (成员单位 lists) are
// printed open and closed again afterwards, evidence links print their URL.
//
// Measured on the 2023 万源市 plan (default content), A4 portrait, pages default / care:
//   index.html 2 / 2 · 2023/categories/1.html 2 / 2 · 2023/tasks/2-1-2.html 1 / 1 ·
//   2023/tasks/2-4-1.html (longest) 2 / 2 · units/nongye.html (14 tasks) 1 / 1
// (before this style sheet, default / care: home 3 / 12, category 3 / 8, task 2-1-2 2 / 3, longest
// task 2 / 4 without its member lists, the 14-task ledger 5 / 10).
//
// Environment: CHROMIUM (default /usr/bin/chromium), PDF_DIR=… keeps the PDFs there.
// Prints "N passed, M failed" on its last line.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { serve } from "./lib/server.mjs";
import { test, runAll, expect, expectNone } from "./lib/harness.mjs";

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CARE = JSON.stringify({ size: 2, contrast: true, spacing: true });
const SITE = process.argv[2] && path.resolve(process.argv[2]);
if (!SITE || !fs.existsSync(path.join(SITE, "index.html"))) {
  console.error("usage: node print.mjs SITE_OUTPUT_DIR (a built default site)");
  console.log("0 passed, 1 failed");
  process.exit(2);
}
const PDF_DIR = process.env.PDF_DIR ? path.resolve(process.env.PDF_DIR) : fs.mkdtempSync(path.join(os.tmpdir(), "gongkai-print-"));
fs.mkdirSync(PDF_DIR, { recursive: true });

// ------------------------------------------------------------------ which pages
const read = (rel) => fs.readFileSync(path.join(SITE, rel), "utf8");
const mainOf = (html) => (html.match(/<main[\s\S]*?<\/main>/) || [""])[0];
const textOf = (html) => html.replace(/<[^>]+>/g, "");
const inDir = (rel) => (fs.existsSync(path.join(SITE, rel)) ? fs.readdirSync(path.join(SITE, rel)).filter((f) => f.endsWith(".html")).map((f) => `${rel}/${f}`) : []);
const year = fs.readdirSync(SITE).filter((d) => /^\d{4}$/.test(d)).sort().pop();
const most = (files, score) => files.map((f) => [score(f), f]).sort((a, b) => b[0] - a[0] || a[1].localeCompare(b[1]))[0]?.[1];
const tasks = inDir(`${year}/tasks`);
const longestTask = most(tasks, (f) => textOf(mainOf(read(f))).length);
const category = most(inDir(`${year}/categories`), (f) => (read(f).match(/<tr/g) || []).length);
const ledger14 = most(inDir("units").filter((f) => /任务总数<\/dt><dd>14 项/.test(read(f))), (f) => read(f).length);
// limit: most A4 pages allowed (null: only "care ≤ default" is checked).
const PAGES = [
  { name: "home", rel: "index.html", limit: 3 },
  { name: "category", rel: category, limit: 3 },
  { name: "task 2-1-2", rel: `${year}/tasks/2-1-2.html`, limit: 1 },
  { name: "longest task", rel: longestTask, limit: 2 },
  { name: "14-task ledger", rel: ledger14, limit: 2 },
];

// ------------------------------------------------------------------ print
let chromium;
try {
  ({ chromium } = require("playwright-core"));
} catch { /* reported below */ }
const tools = ["pdfinfo", "pdftotext"].filter((t) => {
  try { execFileSync(t, ["-v"], { stdio: "ignore" }); return false; } catch (e) { return e.code === "ENOENT"; }
});
if (!chromium || !fs.existsSync(CHROMIUM) || tools.length || PAGES.some((p) => !p.rel)) {
  console.error(`print.mjs: missing ${[!chromium && "playwright-core", !fs.existsSync(CHROMIUM) && CHROMIUM, ...tools, ...PAGES.filter((p) => !p.rel).map((p) => `a ${p.name} page`)].filter(Boolean).join(", ")}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const pdfPages = (file) => Number((execFileSync("pdfinfo", [file], { encoding: "utf8" }).match(/^Pages:\s+(\d+)/m) || [])[1]);
const pdfText = (file) => execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });

const site = await serve(SITE);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const looks = {};
for (const look of ["default", "care"]) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" });
  if (look === "care") await ctx.addInitScript((v) => { try { localStorage.setItem("gongkai-care", v); } catch { /* ignore */ } }, CARE);
  // Runs before head.js adds its handlers: counts the <details> still closed while printing.
  await ctx.addInitScript(() => {
    window.__print = { before: 0, closedDuring: -1 };
    addEventListener("beforeprint", () => { window.__print.before++; });
    addEventListener("afterprint", () => { window.__print.closedDuring = document.querySelectorAll("details:not([open])").length; });
  });
  looks[look] = ctx;
}

// Print each page in each look; keep what the DOM looked like under print media.
const printed = {}; // `${look} ${name}` -> { pages, text, dom, closed <details> counts, print events, file }
const errors = [];
const t0 = Date.now();
for (const p of PAGES) {
  // The two looks are printed side by side (a PDF takes a few seconds, mostly font subsetting).
  await Promise.all(Object.entries(looks).map(async ([look, ctx]) => {
    const page = await ctx.newPage();
    page.on("pageerror", (e) => errors.push(`${look} ${p.rel}: ${e.message}`));
    try {
      await page.goto(site.url + p.rel, { waitUntil: "load" });
      const file = path.join(PDF_DIR, `${look}-${p.rel.replace(/[/.]/g, "_")}.pdf`);
      const closedBefore = await page.locator("details:not([open])").count();
      await page.pdf({ path: file, format: "A4", preferCSSPageSize: true });
      const closedAfter = await page.locator("details:not([open])").count();
      const events = await page.evaluate(() => window.__print);
      await page.emulateMedia({ media: "print" });
      const dom = await page.evaluate(() => {
        const cs = (el, pseudo) => getComputedStyle(el, pseudo);
        const main = document.querySelector("main");
        const rows = [...main.querySelectorAll("table tr")].map((tr) => cs(tr).display);
        const labels = [...main.querySelectorAll("th, td")].map((c) => cs(c, "::before").content).filter((c) => c && c !== "none" && c !== "normal" && c !== '""');
        const thead = [...main.querySelectorAll("thead")].map((t) => cs(t).display);
        const texts = [...main.querySelectorAll("h1, h2, p, td, th, dt, dd, li, caption")].filter((el) => el.textContent.trim());
        const colors = texts.map((el) => cs(el).color);
        const hidden = ["nav", ".skip", "#care", ".pager"].flatMap((s) => [...document.querySelectorAll(s)]).filter((el) => cs(el).display !== "none").map((el) => el.className || el.tagName);
        return {
          rows, labels, thead, colors, hidden,
          h1: cs(main.querySelector("h1")).fontSize,
          body: cs(main.querySelector("p, td") || main).fontSize,
          bodyBg: cs(document.body).backgroundColor,
          cls: document.documentElement.className,
        };
      });
      printed[`${look} ${p.name}`] = { pages: pdfPages(file), text: pdfText(file), dom, closedBefore, closedAfter, events, file };
    } finally {
      await page.close();
    }
  }));
}
const printMs = Date.now() - t0;
await browser.close();
await site.close();

// ------------------------------------------------------------------ checks
const figures = PAGES.map((p) => `${p.rel} ${printed[`default ${p.name}`].pages} / ${printed[`care ${p.name}`].pages}`);

test("the care settings were applied before printing (hc, fs-2, wide on <html>)", () => {
  for (const p of PAGES) {
    const c = printed[`care ${p.name}`].dom.cls;
    expect(/\bhc\b/.test(c) && /\bfs-2\b/.test(c) && /\bwide\b/.test(c), `${p.rel}: <html class="${c}">`);
  }
});

for (const p of PAGES) {
  const d = printed[`default ${p.name}`];
  const c = printed[`care ${p.name}`];
  if (p.limit) {
    test(`${p.name} (${p.rel}) prints on at most ${p.limit} A4 page(s): ${d.pages} default, ${c.pages} care mode`, () => {
      expect(d.pages <= p.limit && c.pages <= p.limit, `${d.pages} pages default, ${c.pages} care mode`);
    });
  }
  test(`${p.name}: care mode prints no more pages than the default look (${c.pages} ≤ ${d.pages})`, () => expect(c.pages <= d.pages, `${c.pages} > ${d.pages}`));
}

test("print: tables are tables (rows display:table-row, thead repeated as table-header-group, no cell labels)", () => {
  const problems = [];
  for (const [k, v] of Object.entries(printed)) {
    const bad = v.dom.rows.filter((r) => r !== "table-row");
    if (!v.dom.rows.length && !k.includes("2-1-2")) problems.push(`${k}: no table rows found`);
    if (bad.length) problems.push(`${k}: ${bad.length} of ${v.dom.rows.length} rows are display:${bad[0]}`);
    if (v.dom.thead.some((t) => t !== "table-header-group")) problems.push(`${k}: thead display ${v.dom.thead.join(", ")}`);
    if (v.dom.labels.length) problems.push(`${k}: ${v.dom.labels.length} cells show a label, e.g. ${v.dom.labels[0]}`);
  }
  expectNone(problems, "problems");
});

test("print: navigation, toolbar, skip link and pager are hidden", () => {
  expectNone(Object.entries(printed).filter(([, v]) => v.dom.hidden.length).map(([k, v]) => `${k}: shown: ${v.dom.hidden.join(", ")}`), "problems");
});

const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
test("print in high contrast: text is black-ish, the page white", () => {
  const problems = [];
  for (const p of PAGES) {
    const v = printed[`care ${p.name}`].dom;
    const light = v.colors.filter((c) => rgb(c).slice(0, 3).some((x) => x > 80));
    if (light.length) problems.push(`${p.rel}: ${light.length} of ${v.colors.length} text elements print in ${light[0]}`);
    const [r, g, b, a] = rgb(v.bodyBg);
    if (!(a === 0 || (r > 240 && g > 240 && b > 240))) problems.push(`${p.rel}: body background ${v.bodyBg}`);
  }
  expectNone(problems, "problems");
});

test("print with the largest text step: h1 and body text the same size as the default look", () => {
  const problems = [];
  for (const p of PAGES) {
    const d = printed[`default ${p.name}`].dom;
    const c = printed[`care ${p.name}`].dom;
    if (d.h1 !== c.h1) problems.push(`${p.rel}: h1 ${c.h1} in care mode, ${d.h1} default`);
    if (d.body !== c.body) problems.push(`${p.rel}: text ${c.body} in care mode, ${d.body} default`);
  }
  expectNone(problems, "problems");
});

test(`collapsed <details> lists print open (${longestTask}) and are closed again afterwards`, () => {
  const html = mainOf(read(longestTask));
  const lists = [...html.matchAll(/<details[ >][\s\S]*?<\/details>/g)].map((m) => m[0]);
  expect(lists.length, `${longestTask} has no <details>`);
  const names = lists.map((l) => [...l.matchAll(/<li><a [^>]*>([^<]+)<\/a>/g)].pop()?.[1]).filter(Boolean);
  for (const look of ["default", "care"]) {
    const v = printed[`${look} longest task`];
    const squash = v.text.replace(/\s+/g, "");
    const missing = names.filter((n) => !squash.includes(n));
    expect(!missing.length, `${look}: member units missing from the PDF: ${missing.join(", ")}`);
    expect(v.events.before === 1, `${look}: beforeprint fired ${v.events.before} times`);
    expect(v.closedBefore > 0 && v.events.closedDuring === 0 && v.closedAfter === v.closedBefore,
      `${look}: ${v.closedBefore} closed <details> before printing, ${v.events.closedDuring} while printing, ${v.closedAfter} after`);
  }
});

test("evidence links print their URL (task 2-1-2)", () => {
  const urls = [...mainOf(read(`${year}/tasks/2-1-2.html`)).matchAll(/<a href="?(https?:[^ >"]+)/g)].map((m) => m[1]);
  expect(urls.length, "task 2-1-2 has no evidence link");
  for (const look of ["default", "care"]) {
    const squash = printed[`${look} task 2-1-2`].text.replace(/\s+/g, "");
    expect(urls.every((u) => squash.includes(u)), `${look}: ${urls.filter((u) => !squash.includes(u)).join(", ")} not printed`);
  }
});

test("no script error while printing", () => expectNone(errors, "errors"));

const failed = await runAll({
  onSummary: () => {
    console.log(`print: A4 pages default / care: ${figures.join(" · ")}`);
    console.log(`print: ${Object.keys(printed).length} PDFs in ${(printMs / 1000).toFixed(1)} s${process.env.PDF_DIR ? ` (kept in ${PDF_DIR})` : ""}`);
  },
});
if (!process.env.PDF_DIR) fs.rmSync(PDF_DIR, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
