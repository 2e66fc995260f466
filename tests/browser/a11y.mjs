// Browser accessibility suite for the default theme (issue 4 part 3).
//
//   node a11y.mjs NAME=OUTPUT_DIR [NAME=OUTPUT_DIR ...]
//
// Usually started by run.sh, which builds the sites first. For every HTML page of every site:
// axe-core (wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa, best-practice; no rule disabled, no element
// excluded) in the normal look and in the largest-text + high-contrast + wide-spacing care mode,
// the Nu HTML Checker, reflow at 320 CSS px and at 1280 px with 200% zoom, body text >= 18 px,
// 44x44 targets, content shown without JavaScript, no external requests. On the home page: a
// keyboard walk, the care toolbar clicked for real, read-aloud with a stubbed speechSynthesis.
//
// Environment: CHROMIUM (default /usr/bin/chromium), JAVA (default java), CONCURRENCY (default 2),
// CI=true turns a missing browser or JRE into a failure instead of a skip.
import fs from "node:fs";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { serve, htmlFiles } from "./lib/server.mjs";
import { test, runAll, expect, expectNone, pool } from "./lib/harness.mjs";

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const CI = /^(1|true|yes)$/i.test(process.env.CI || "");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const JAVA = process.env.JAVA || "java";
const CONCURRENCY = Number(process.env.CONCURRENCY || 2);
// FULL=1 also runs the second axe pass (largest text + high contrast at 320px) on every page, not
// only on a sample of each folder (all pages of small folders, index and the 2 largest of big ones).
const FULL = /^(1|true|yes)$/i.test(process.env.FULL || "");
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
const CARE_KEY = "gongkai-care";
const MIN_BODY_PX = 18;
const MIN_TARGET_PX = 44;
const CARE_WIDTHS = [480, 768, 1024, 1366]; // also checked with the largest text, besides 320

const sites = process.argv.slice(2).map((a) => {
  const i = a.indexOf("=");
  if (i < 1) throw new Error(`argument must be NAME=DIR, got ${a}`);
  return { name: a.slice(0, i), dir: path.resolve(a.slice(i + 1)) };
});
if (!sites.length) {
  console.error("usage: node a11y.mjs NAME=OUTPUT_DIR [...]");
  process.exit(2);
}

const figures = { sites: sites.length, pages: 0, htmlFiles: 0, axeViolations: 0, axeNodes: 0, vnuErrors: 0, keyboardStops: 0 };

// ---------------------------------------------------------------- tools present?
const haveChromium = fs.existsSync(CHROMIUM);
const haveJava = spawnSync(JAVA, ["-version"], { stdio: "ignore" }).status === 0;
const VNU_JAR = path.join(HERE, "node_modules/vnu-jar/build/dist/vnu.jar");
let chromium;
try {
  ({ chromium } = require("playwright-core"));
} catch { /* reported below */ }
const AXE_SOURCE = (() => {
  try { return fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8"); } catch { return null; }
})();

function missingTool(what) {
  if (CI) {
    test(`${what} is available`, () => expect(false, `${what} is missing (CI=true: this is a failure, not a skip)`));
    return true;
  }
  console.log(`SKIP: ${what} is missing; set CI=true to make this a failure`);
  return true;
}

// ---------------------------------------------------------------- Nu HTML Checker, started at once
function runVnu(files) {
  return new Promise((resolve) => {
    const p = spawn(JAVA, ["-Xss8m", "-jar", VNU_JAR, "--errors-only", "--format", "json", ...files], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (out += d));
    p.on("close", (code) => {
      let messages = [];
      const start = out.indexOf("{");
      try { messages = JSON.parse(out.slice(start)).messages || []; } catch {
        messages = [{ type: "error", message: `could not parse vnu output (exit ${code}): ${out.slice(0, 500)}` }];
      }
      resolve(messages.filter((m) => m.type === "error" || m.type === "non-document-error" || m.subType === "fatal"));
    });
    p.on("error", (e) => resolve([{ type: "error", message: `could not start java: ${e.message}` }]));
  });
}

// ---------------------------------------------------------------- in-page probes
// Measure a page: overflow, font sizes, targets, headings. Runs in the page.
function probe({ minTarget, allText }) {
  const out = {};
  const de = document.documentElement;
  out.scrollWidth = de.scrollWidth;
  out.clientWidth = de.clientWidth;
  out.bodyFont = parseFloat(getComputedStyle(document.body).fontSize);
  out.lang = de.getAttribute("lang");
  out.title = document.title.trim();
  out.h1 = document.querySelectorAll("h1").length;
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && cs.visibility !== "hidden";
  };
  // Running text in main: paragraphs, list items, cells, definitions.
  out.smallText = [];
  for (const el of document.querySelectorAll("main p, main li, main td, main th, main dd, main dt, main blockquote, main caption")) {
    if (!visible(el)) continue;
    const fs = parseFloat(getComputedStyle(el).fontSize);
    if (fs < 18 - 0.01) out.smallText.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}" is ${fs}px`);
  }
  // Every visible text node on the page (header, toolbar, breadcrumb, badges, footer included).
  if (allText) {
    const tw = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = tw.nextNode(); node; node = tw.nextNode()) {
      if (!node.data.trim()) continue;
      const el = node.parentElement;
      if (!el || !visible(el)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      if (![...range.getClientRects()].some((q) => q.width > 1 && q.height > 1)) continue;
      // Visually hidden (clipped to 1px) text, e.g. the header row of a stacked table.
      let hidden = false;
      for (let a = el; a && a !== document.body; a = a.parentElement) {
        const r = a.getBoundingClientRect();
        if (r.width <= 1 || r.height <= 1) { hidden = true; break; }
      }
      if (hidden) continue;
      const fs = parseFloat(getComputedStyle(el).fontSize);
      if (fs < 18 - 0.01) out.smallText.push(`text "${node.data.trim().slice(0, 30)}" in ${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : ""} is ${fs}px`);
    }
  }
  // Target size: buttons, navigation links, toolbar controls, card/chip/pager links, summaries.
  out.smallTargets = [];
  for (const el of document.querySelectorAll("button, nav a[href], summary, .cards a, .chips a, .site-title a, input, select")) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < minTarget - 0.5 || r.height < minTarget - 0.5) {
      out.smallTargets.push(`${el.tagName.toLowerCase()} "${(el.textContent || "").trim().slice(0, 20)}" is ${r.width.toFixed(1)}×${r.height.toFixed(1)}`);
    }
  }
  // Elements wider than the viewport (to explain an overflow).
  out.wide = [];
  if (de.scrollWidth > de.clientWidth) {
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.right > de.clientWidth + 0.5 && visible(el)) {
        const cls = el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "";
        out.wide.push(`${el.tagName.toLowerCase()}${cls} right=${r.right.toFixed(0)}`);
        if (out.wide.length > 4) break;
      }
    }
  }
  // Table cells must not be squeezed (e.g. Chinese headers one character a line).
  out.squeezed = [];
  for (const el of document.querySelectorAll("main th, main td")) {
    if (!visible(el)) continue;
    const head = el.closest("thead");
    if (head && head.getBoundingClientRect().width <= 1) continue; // visually hidden header row of a stacked table
    if (getComputedStyle(el).display !== "block") continue; // only stacked cells here
    const r = el.getBoundingClientRect();
    const fs = parseFloat(getComputedStyle(el).fontSize);
    if (r.width < 3.5 * fs) out.squeezed.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 12)}" is ${r.width.toFixed(0)}px wide`);
  }
  // Text squeezed to about one character a line (a shrunken flex item, a too narrow column): each
  // text node of 3+ characters must not need a line for (almost) every character.
  const main = document.querySelector("main");
  const walker = main ? document.createTreeWalker(main, NodeFilter.SHOW_TEXT) : null;
  for (let node = walker && walker.nextNode(); node; node = walker.nextNode()) {
    const chars = node.data.replace(/\s+/g, "").length;
    if (chars < 3) continue;
    const el = node.parentElement;
    const head = el.closest("thead");
    if (head && head.getBoundingClientRect().width <= 1) continue; // visually hidden header row
    const range = document.createRange();
    range.selectNodeContents(node);
    const tops = [...range.getClientRects()].filter((q) => q.width > 0 && q.height > 0).map((q) => q.top).sort((x, y) => x - y);
    let lines = 0;
    let last = -Infinity;
    for (const t of tops) if (t - last > 4) { lines++; last = t; }
    if (lines >= 3 && lines >= Math.ceil(chars * 0.6)) out.squeezed.push(`${el.tagName.toLowerCase()} "${node.data.trim().slice(0, 12)}" takes ${lines} lines for ${chars} characters (about one character a line)`);
  }
  return out;
}

// With JavaScript off: everything in main is rendered, the toolbar is not.
function probeNoJs() {
  const problems = [];
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && cs.visibility !== "hidden" && cs.opacity !== "0";
  };
  const main = document.querySelector("main");
  if (!main || !visible(main)) problems.push("main is missing or not visible");
  const h1 = document.querySelector("h1");
  if (!h1 || !visible(h1)) problems.push("h1 is missing or not visible");
  let checked = 0;
  for (const el of document.querySelectorAll("main h1, main h2, main h3, main p, main li, main tr, main dt, main dd, main caption")) {
    const closed = el.closest("details:not([open])");
    if (closed && !el.closest("summary")) continue;
    checked++;
    if (!visible(el)) problems.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 30)}" not visible`);
  }
  const care = document.getElementById("care");
  if (care && visible(care)) problems.push("care toolbar is shown although it cannot work without JavaScript");
  // A page part marked data-js-only (the search form) is hidden without JavaScript and replaced
  // by links (checked by portal.mjs): such a page's text differs by design.
  return { problems, checked, text: main ? main.innerText : "", jsOnly: !!document.querySelector("main [data-js-only]") };
}

const sameClasses = (a, b) => a.split(/\s+/).filter(Boolean).sort().join(" ") === b.split(/\s+/).filter(Boolean).sort().join(" ");

// Runs in every page of the care-test contexts: record what the page looks like before first paint.
function recordFirstPaint() {
  const snap = (when) => ({
    when,
    cls: document.documentElement.className,
    font: document.body ? parseFloat(getComputedStyle(document.body).fontSize) : null,
  });
  window.__paint = {};
  document.addEventListener("DOMContentLoaded", () => { window.__paint.dcl = snap("DOMContentLoaded"); }, { once: true });
  requestAnimationFrame(() => { window.__paint.raf = snap("first animation frame"); });
}

// Stub speechSynthesis with the given voice languages, loaded asynchronously like Chromium does.
function stubSpeech(langs) {
  const spoken = [];
  const listeners = [];
  let voices = [];
  window.__spoken = spoken;
  window.__cancelled = 0;
  const synth = {
    speaking: false, pending: false, paused: false, onvoiceschanged: null,
    getVoices: () => voices.slice(),
    speak(u) { spoken.push({ text: u.text, lang: u.lang, voice: u.voice ? u.voice.lang : null }); },
    cancel() { window.__cancelled++; },
    pause() {}, resume() {},
    addEventListener(type, fn) { if (type === "voiceschanged") listeners.push(fn); },
    removeEventListener() {},
    dispatchEvent() { return true; },
  };
  Object.defineProperty(window, "speechSynthesis", { configurable: true, get: () => synth });
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ""; this.voice = null; this.onend = null; };
  setTimeout(() => {
    voices = langs.map((lang, i) => ({ name: "stub " + lang, lang, voiceURI: "stub-" + i, localService: true, default: i === 0 }));
    const ev = { type: "voiceschanged" };
    listeners.forEach((f) => f(ev));
    if (typeof synth.onvoiceschanged === "function") synth.onvoiceschanged(ev);
  }, 100);
}

// Every host name but the loopback address fails to resolve: nothing leaves the machine.
const LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"];

// ---------------------------------------------------------------- main
async function main() {
  if (!chromium || !AXE_SOURCE) {
    if (CI) test("npm packages are installed", () => expect(false, "playwright-core or axe-core missing: run npm ci in tests/browser"));
    else console.log("SKIP: playwright-core or axe-core missing (npm ci in tests/browser)");
    return runAll();
  }
  if (!haveChromium) missingTool(`Chromium (${CHROMIUM})`);
  if (!haveJava || !fs.existsSync(VNU_JAR)) missingTool(`Java runtime and vnu.jar (${JAVA})`);
  if (!haveChromium || !haveJava || !fs.existsSync(VNU_JAR)) return runAll();

  const allFiles = [];
  for (const s of sites) {
    expect(fs.existsSync(s.dir), `site output ${s.dir} does not exist`);
    s.pages = htmlFiles(s.dir);
    for (const p of s.pages) allFiles.push(path.join(s.dir, p));
    figures.htmlFiles += s.pages.length;
  }
  const t0 = Date.now();
  const vnuPromise = runVnu(allFiles).then((m) => { figures.vnuMs = Date.now() - t0; return m; });

  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
  try {
    for (const site of sites) await checkSite(browser, site);
    // Nu HTML Checker over all files of all sites, one run.
    const vnu = await vnuPromise;
    figures.vnuErrors = vnu.length;
    test(`Nu HTML Checker: no errors in ${allFiles.length} files (${sites.map((s) => s.name).join(", ")})`, () =>
      expectNone(vnu.map((m) => `${m.url ? decodeURIComponent(m.url.replace(/^file:/, "")) : "?"}:${m.lastLine || "?"}: ${m.message}`), "Nu HTML Checker errors"));
    figures.ms = Date.now() - t0;
    return await runAll({
      onSummary: () => {
        console.log(`summary: pages checked ${figures.pages} of ${figures.htmlFiles} HTML files in ${figures.sites} site(s); ` +
          `axe violations ${figures.axeViolations} (${figures.axeNodes} elements); vnu errors ${figures.vnuErrors}; ` +
          `keyboard stops ${figures.keyboardStops}; ${(figures.ms / 1000).toFixed(1)} s`);
      },
    });
  } finally {
    await browser.close();
  }
}

async function checkSite(browser, site) {
  const server = await serve(site.dir);
  const base = server.url;
  const url = (p) => base + p;
  const external = [];
  const pageErrors = [];
  const guard = async (ctx, label) => {
    // No external requests: anything not from our server is recorded (and fails: the browser
    // resolves no host name but the loopback's, LAUNCH_ARGS). Watched, not intercepted, so
    // the browser's cache works as a reader's would.
    ctx.on("request", (r) => {
      const u = r.url();
      if (!(u.startsWith(base) || u.startsWith("data:") || u.startsWith("blob:"))) external.push(`${label}: ${u}`);
    });
    ctx.on("page", (pg) => {
      pg.on("pageerror", (e) => pageErrors.push(`${label} ${pg.url()}: ${e.message}`));
      pg.on("response", (r) => { if (r.status() >= 400 && !r.url().endsWith("/404.html") && r.request().resourceType() !== "document") pageErrors.push(`${label} ${pg.url()}: ${r.status()} ${r.url()}`); });
    });
    return ctx;
  };
  const careMax = JSON.stringify({ size: 2, contrast: true, spacing: true });
  const ctx = {
    desktop: await guard(await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN" }), "1280px"),
    // Largest text + high contrast + wide spacing, at 320 CSS px (the care settings are preset).
    care: await guard(await browser.newContext({ viewport: { width: 320, height: 800 }, locale: "zh-CN" }), "320px care max"),
    narrow: await guard(await browser.newContext({ viewport: { width: 320, height: 800 }, locale: "zh-CN", isMobile: false }), "320px"),
    // 1280 px window at 200% browser zoom = 640 CSS px viewport, 2 device pixels per CSS px.
    zoom: await guard(await browser.newContext({ viewport: { width: 640, height: 450 }, deviceScaleFactor: 2, locale: "zh-CN" }), "200% zoom"),
    nojs: await guard(await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false, locale: "zh-CN" }), "no JavaScript"),
  };
  await ctx.desktop.addInitScript(AXE_SOURCE);
  await ctx.care.addInitScript(AXE_SOURCE);
  await ctx.care.addInitScript(([k, v]) => { try { localStorage.setItem(k, v); } catch { /* ignore */ } }, [CARE_KEY, careMax]);

  const find = { axe: [], axeCare: [], reflow320: [], reflowCare: [], reflowZoom: [], font: [], smallText: [], targets: [], targets320: [], squeezed: [], nojs: [], nojsText: [], titles: new Map(), basics: [] };
  let checked = 0;

  const runAxe = async (page) => page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(" ")} — ${(n.failureSummary || "").replace(/\s+/g, " ").slice(0, 160)}`) }));
  }, AXE_TAGS);
  const axeLines = (p, vs, mode) => vs.flatMap((v) => v.nodes.slice(0, 3).map((n) => `${p} [${mode}] ${v.id} (${v.impact}): ${v.help} @ ${n}`).concat(v.nodes.length > 3 ? [`${p} [${mode}] ${v.id}: … ${v.nodes.length - 3} more elements`] : []));

  const byDir = new Map();
  for (const p of site.pages) {
    const d = path.posix.dirname(p);
    if (!byDir.has(d)) byDir.set(d, []);
    byDir.get(d).push(p);
  }
  const careAxe = new Set();
  for (const ps of byDir.values()) {
    if (FULL || ps.length <= 6) { ps.forEach((p) => careAxe.add(p)); continue; }
    ps.filter((p) => path.posix.basename(p) === "index.html").forEach((p) => careAxe.add(p));
    [...ps].sort((a, b) => fs.statSync(path.join(site.dir, b)).size - fs.statSync(path.join(site.dir, a)).size).slice(0, 2).forEach((p) => careAxe.add(p));
  }
  site.careAxe = careAxe.size;

  const workers = [];
  await pool(site.pages, CONCURRENCY, async (p, i, w) => {
    if (!workers[w]) {
      workers[w] = {};
      for (const k of Object.keys(ctx)) workers[w][k] = await ctx[k].newPage();
    }
    const pg = workers[w];
    const u = url(p);

    // 1. Normal look at 1280 px: axe, body font, targets, basics.
    await pg.desktop.goto(u, { waitUntil: "load" });
    const va = await runAxe(pg.desktop);
    figures.axeViolations += va.length;
    figures.axeNodes += va.reduce((n, v) => n + v.nodes.length, 0);
    find.axe.push(...axeLines(p, va, "normal"));
    const d = await pg.desktop.evaluate(probe, { minTarget: MIN_TARGET_PX, allText: true });
    if (d.bodyFont < MIN_BODY_PX) find.font.push(`${p}: body ${d.bodyFont}px`);
    find.smallText.push(...d.smallText.map((s) => `${p}: ${s}`));
    find.targets.push(...d.smallTargets.map((s) => `${p}: ${s}`));
    find.squeezed.push(...d.squeezed.map((s) => `${p} at 1280px: ${s}`));
    if (d.lang !== "zh-CN") find.basics.push(`${p}: lang="${d.lang}"`);
    if (d.h1 !== 1) find.basics.push(`${p}: ${d.h1} h1 elements`);
    if (!d.title) find.basics.push(`${p}: empty title`);
    if (!find.titles.has(d.title)) find.titles.set(d.title, []);
    find.titles.get(d.title).push(p);
    const jsText = await pg.desktop.evaluate(() => document.querySelector("main")?.innerText || "");

    // 2. Largest text + high contrast + wide spacing at 320 px: axe and reflow.
    await pg.care.goto(u, { waitUntil: "load" });
    const vc = careAxe.has(p) ? await runAxe(pg.care) : [];
    figures.axeViolations += vc.length;
    figures.axeNodes += vc.reduce((n, v) => n + v.nodes.length, 0);
    find.axeCare.push(...axeLines(p, vc, "care max, 320px"));
    const c = await pg.care.evaluate(probe, { minTarget: MIN_TARGET_PX });
    if (c.scrollWidth > c.clientWidth) find.reflowCare.push(`${p}: scrollWidth ${c.scrollWidth} > ${c.clientWidth} (${c.wide.join(", ")})`);
    if (c.bodyFont < 30) find.font.push(`${p}: largest text step gives body ${c.bodyFont}px (< 30)`);
    // Same settings at wider windows (tables must stack earlier when the text is larger).
    for (const width of CARE_WIDTHS) {
      await pg.care.setViewportSize({ width, height: 800 });
      const m = await pg.care.evaluate(probe, { minTarget: MIN_TARGET_PX });
      if (m.scrollWidth > m.clientWidth) find.reflowCare.push(`${p} at ${width}px: scrollWidth ${m.scrollWidth} > ${m.clientWidth} (${m.wide.join(", ")})`);
    }
    await pg.care.setViewportSize({ width: 320, height: 800 });

    // 3. 320 CSS px: reflow, targets, unsqueezed table cells.
    await pg.narrow.goto(u, { waitUntil: "load" });
    const n = await pg.narrow.evaluate(probe, { minTarget: MIN_TARGET_PX });
    if (n.scrollWidth > n.clientWidth) find.reflow320.push(`${p}: scrollWidth ${n.scrollWidth} > ${n.clientWidth} (${n.wide.join(", ")})`);
    find.targets320.push(...n.smallTargets.map((s) => `${p}: ${s}`));
    find.squeezed.push(...n.squeezed.map((s) => `${p}: ${s}`));
    if (n.bodyFont < MIN_BODY_PX) find.font.push(`${p} at 320px: body ${n.bodyFont}px`);

    // 4. 1280 px at 200% zoom.
    await pg.zoom.goto(u, { waitUntil: "load" });
    const z = await pg.zoom.evaluate(probe, { minTarget: MIN_TARGET_PX });
    if (z.scrollWidth > z.clientWidth) find.reflowZoom.push(`${p}: scrollWidth ${z.scrollWidth} > ${z.clientWidth} (${z.wide.join(", ")})`);
    if (z.bodyFont < MIN_BODY_PX) find.font.push(`${p} at 200%: body ${z.bodyFont}px`);

    // 5. JavaScript disabled.
    await pg.nojs.goto(u, { waitUntil: "load" });
    const nj = await pg.nojs.evaluate(probeNoJs);
    find.nojs.push(...nj.problems.map((s) => `${p}: ${s}`));
    if (!nj.jsOnly && nj.text.replace(/\s+/g, "") !== jsText.replace(/\s+/g, "")) find.nojsText.push(`${p}: main text differs with and without JavaScript (${nj.text.length} vs ${jsText.length} chars)`);
    checked++;
  });
  for (const w of workers) for (const k of Object.keys(w)) await w[k].close();
  figures.pages += checked;
  const S = `[${site.name}]`;

  test(`${S} every HTML file was checked (${checked} pages)`, () => {
    expect(checked === site.pages.length && checked > 0, `checked ${checked} pages but the output has ${site.pages.length} .html files`);
    expect(site.pages.includes("index.html"), "no index.html in the output");
  });
  test(`${S} axe-core: no violations (${AXE_TAGS.join(", ")}) on every page, normal look`, () => expectNone(find.axe, "axe violations"));
  test(`${S} axe-core: no violations with largest text, high contrast and wide spacing at 320px (${careAxe.size} pages${FULL ? "" : ", sampled; FULL=1 for all"})`, () => expectNone(find.axeCare, "axe violations"));
  test(`${S} no horizontal scrolling at 320 CSS px`, () => expectNone(find.reflow320, "pages scroll sideways"));
  test(`${S} no horizontal scrolling at 1280px with 200% zoom`, () => expectNone(find.reflowZoom, "pages scroll sideways"));
  test(`${S} no horizontal scrolling with the largest text and wide spacing at 320, ${CARE_WIDTHS.join(", ")} px`, () => expectNone(find.reflowCare, "pages scroll sideways"));
  test(`${S} body text and every visible text node (toolbar, breadcrumb, badges, footer) are at least ${MIN_BODY_PX}px (largest step >= 30px)`, () => expectNone(find.font.concat(find.smallText), "text too small"));
  test(`${S} no text squeezed to one character a line (tables reflow with labels at 320px)`, () => expectNone(find.squeezed, "squeezed cells"));
  test(`${S} buttons, navigation links and toolbar controls are at least ${MIN_TARGET_PX}×${MIN_TARGET_PX} px`, () => expectNone(find.targets.concat(find.targets320.map((s) => s + " (320px)")), "small targets", 400));
  test(`${S} lang="zh-CN", one h1 and a distinct non-empty title on every page`, () => {
    const dup = [...find.titles].filter(([, ps]) => ps.length > 1).map(([t, ps]) => `title "${t}" used by ${ps.join(", ")}`);
    expectNone(find.basics.concat(dup), "problems");
  });
  test(`${S} without JavaScript every page shows all its main content and no toolbar`, () => expectNone(find.nojs.concat(find.nojsText), "problems"));

  // ------------------------------------------------------------ home page interaction tests
  if (site.pages.includes("index.html")) await homeTests(browser, site, url, guard);
  // Other pages of the site get their interactions tested by the pages above; errors seen anywhere:
  test(`${S} no external requests, no script errors, no missing assets`, () => expectNone(external.concat(pageErrors), "problems"));
  await runPendingClose(ctx);
  await server.close();
}

async function runPendingClose(ctx) {
  for (const c of Object.values(ctx)) await c.close();
}

async function homeTests(browser, site, url, guard) {
  const S = `[${site.name}]`;
  // Tests are queued now and run in runAll(); they share nothing but the browser.
  const ctxPromise = async (opts = {}, label = "home") => guard(await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN", ...opts }), label);

  // Keyboard walk.
  const kbd = await (async () => {
    const ctx = await ctxPromise({}, "keyboard");
    const page = await ctx.newPage();
    const r = { problems: [], stops: 0 };
    try {
      await page.goto(url("index.html"), { waitUntil: "load" });
      await page.keyboard.press("Tab");
      const first = await page.evaluate(() => {
        const a = document.activeElement;
        const rect = a.getBoundingClientRect();
        return { cls: a.className, href: a.getAttribute("href"), tag: a.tagName, text: a.textContent.trim(), inView: rect.top >= 0 && rect.bottom <= innerHeight && rect.width > 0 };
      });
      if (!(first.tag === "A" && first.href === "#main")) r.problems.push(`first Tab reached ${first.tag} "${first.text}" (href ${first.href}), not the skip link`);
      if (!first.inView) r.problems.push("the focused skip link is not visible in the viewport");
      await page.keyboard.press("Enter");
      await page.waitForTimeout(100);
      const afterSkip = await page.evaluate(() => ({ id: document.activeElement.id, tag: document.activeElement.tagName, top: document.getElementById("main").getBoundingClientRect().top }));
      if (afterSkip.id !== "main") r.problems.push(`Enter on the skip link focused ${afterSkip.tag}#${afterSkip.id}, not #main`);
      await page.keyboard.press("Tab");
      const inMain = await page.evaluate(() => !!document.activeElement.closest("main") && document.activeElement.id !== "main");
      if (!inMain) r.problems.push("Tab after the skip link did not continue inside main");

      // Full walk from the top: every stop must show a focus indicator different from its unfocused look.
      await page.goto(url("index.html"), { waitUntil: "load" });
      await page.mouse.move(0, 0);
      await page.evaluate(() => {
        const sig = (el) => { const s = getComputedStyle(el); return { outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, shadow: s.boxShadow }; };
        window.__unfocused = new Map();
        for (const el of document.querySelectorAll("a[href], button, summary, input, select, textarea, [tabindex]")) window.__unfocused.set(el, sig(el));
      });
      let firstEl = null;
      for (let i = 0; i < 1500; i++) {
        await page.keyboard.press("Tab");
        const s = await page.evaluate((i) => {
          const el = document.activeElement;
          if (!el || el === document.body || el === document.documentElement) return { end: true };
          if (i === 0) window.__firstStop = el;
          else if (el === window.__firstStop) return { end: true };
          const cs = getComputedStyle(el);
          const now = { outline: `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}`, shadow: cs.boxShadow };
          const before = window.__unfocused.get(el) || { outline: "none 0px", shadow: "none" };
          const outlineOn = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 2;
          const shadowOn = cs.boxShadow && cs.boxShadow !== "none";
          const rect = el.getClientRects()[0] || el.getBoundingClientRect();
          const cx = rect.left + rect.width / 2, cy = rect.top + rect.height / 2;
          const hit = cx >= 0 && cy >= 0 && cx < innerWidth && cy < innerHeight ? document.elementFromPoint(cx, cy) : null;
          const name = `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute("aria-label") || "").trim().slice(0, 24)}"`;
          return {
            name,
            changed: now.outline !== before.outline || now.shadow !== before.shadow,
            strong: outlineOn || shadowOn,
            visible: !!hit && (hit === el || el.contains(hit)),
            hitName: hit ? hit.tagName.toLowerCase() + (hit.className ? "." + String(hit.className).split(" ")[0] : "") : "nothing",
          };
        }, i);
        if (s.end) break;
        r.stops++;
        if (!s.changed) r.problems.push(`stop ${r.stops} ${s.name}: focus does not change outline or box-shadow`);
        else if (!s.strong) r.problems.push(`stop ${r.stops} ${s.name}: focus indicator too weak (outline < 2px and no box-shadow)`);
        if (!s.visible) r.problems.push(`stop ${r.stops} ${s.name}: focused element is covered by ${s.hitName} or off screen`);
      }
      if (r.stops < 5) r.problems.push(`only ${r.stops} tab stops found`);
    } finally {
      await ctx.close();
    }
    return r;
  })().catch((e) => ({ problems: [String(e.stack || e)], stops: 0 }));
  figures.keyboardStops += kbd.stops;
  test(`${S} keyboard: first Tab is the skip link, Enter moves focus to #main, every one of ${kbd.stops} stops shows focus`, () => expectNone(kbd.problems, "problems"));

  // Care toolbar clicked for real.
  const care = await (async () => {
    const ctx = await ctxPromise({}, "toolbar");
    await ctx.addInitScript(recordFirstPaint);
    const page = await ctx.newPage();
    page.setDefaultTimeout(10000);
    const p = [];
    const body = () => page.evaluate(() => {
      const s = getComputedStyle(document.body);
      return { font: parseFloat(s.fontSize), lh: parseFloat(s.lineHeight), color: s.color, bg: s.backgroundColor, cls: document.documentElement.className };
    });
    const btn = (name) => page.getByRole("button", { name, exact: true });
    const pressed = async (name) => (await btn(name).getAttribute("aria-pressed")) === "true";
    try {
      await page.goto(url("index.html"), { waitUntil: "load" });
      const bar = page.getByRole("group", { name: "无障碍与关怀模式" });
      if (!(await bar.isVisible())) p.push("the care toolbar is not visible");
      const sizes = await bar.locator("button").evaluateAll((bs) => bs.filter((b) => b.offsetParent).map((b) => ({ t: b.textContent.trim(), w: b.getBoundingClientRect().width, h: b.getBoundingClientRect().height, tag: b.tagName })));
      for (const b of sizes) if (b.w < MIN_TARGET_PX || b.h < MIN_TARGET_PX) p.push(`toolbar button ${b.t} is ${b.w}×${b.h}`);
      const s0 = await body();
      if (s0.font < MIN_BODY_PX) p.push(`default body font ${s0.font}px`);
      const steps = ["标准字", "大字", "特大字"];
      let prev = 0;
      const got = [];
      for (const name of steps) {
        await btn(name).click();
        const s = await body();
        got.push(s.font);
        if (!(s.font > prev)) p.push(`text size "${name}" gives ${s.font}px, not larger than the previous step ${prev}px`);
        if (!(await pressed(name))) p.push(`"${name}" is not aria-pressed after the click`);
        prev = s.font;
      }
      if (prev < 30) p.push(`largest text step is ${prev}px (< 30px)`);
      const beforeHc = await body();
      await btn("高对比度").click();
      const hc = await body();
      if (hc.color === beforeHc.color && hc.bg === beforeHc.bg) p.push("high contrast did not change the colours");
      if (!(await pressed("高对比度"))) p.push("高对比度 is not aria-pressed after the click");
      await btn("加宽行距").click();
      const wide = await body();
      if (!(wide.lh / wide.font > hc.lh / hc.font + 0.2)) p.push(`wider spacing: line-height ${hc.lh / hc.font} -> ${wide.lh / wide.font}`);
      if (!(await pressed("加宽行距"))) p.push("加宽行距 is not aria-pressed after the click");

      // Navigate to another page by clicking a navigation link; settings must apply before first paint.
      const want = { font: wide.font, color: wide.color, bg: wide.bg, lh: wide.lh, cls: wide.cls };
      // The first main-navigation link to another page of this site.
      const hrefs = await page.getByRole("navigation", { name: "主导航" }).getByRole("link").evaluateAll((as) => as.map((a) => a.href));
      const target = hrefs.findIndex((h) => h.startsWith(url("")) && site.pages.includes(h.slice(url("").length)) && h !== url("index.html"));
      const link = page.getByRole("navigation", { name: "主导航" }).getByRole("link").nth(Math.max(0, target));
      await Promise.all([page.waitForNavigation({ waitUntil: "load" }), link.click()]);
      const checkCarried = async (label) => {
        const now = await body();
        for (const k of ["font", "color", "bg", "lh"]) if (now[k] !== want[k]) p.push(`${label}: body ${k} is ${now[k]}, expected ${want[k]}`);
        const paint = await page.evaluate(() => window.__paint);
        for (const when of ["dcl", "raf"]) {
          const snap = paint && paint[when];
          if (!snap) { p.push(`${label}: no ${when} snapshot`); continue; }
          if (!sameClasses(snap.cls, want.cls)) p.push(`${label}: at ${snap.when} <html class="${snap.cls}">, expected "${want.cls}" (settings not applied before first paint)`);
          if (snap.font !== null && snap.font !== want.font) p.push(`${label}: at ${snap.when} body font ${snap.font}px, expected ${want.font}px`);
        }
        for (const [name, on] of [["特大字", true], ["标准字", false], ["高对比度", true], ["加宽行距", true]]) {
          if ((await pressed(name)) !== on) p.push(`${label}: ${name} aria-pressed should be ${on}`);
        }
      };
      await checkCarried(`after navigating to ${new URL(page.url()).pathname}`);
      await page.reload({ waitUntil: "load" });
      await checkCarried("after reload");
      // A new visit (new tab, same browser profile).
      const page2 = await ctx.newPage();
      await page2.goto(url("index.html"), { waitUntil: "load" });
      const v = await page2.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
      if (v !== want.font) p.push(`new visit: body font ${v}px, expected ${want.font}px`);
      await page2.close();
      // Reset.
      await btn("恢复默认").click();
      const r = await body();
      if (r.font !== s0.font || r.color !== s0.color || r.lh !== s0.lh) p.push(`reset: body ${r.font}px/${r.lh}px ${r.color}, expected ${s0.font}px/${s0.lh}px ${s0.color}`);
      await page.reload({ waitUntil: "load" });
      const r2 = await body();
      if (r2.font !== s0.font || r2.color !== s0.color) p.push("reset did not survive a reload");
      if (!(await pressed("标准字"))) p.push("after reset 标准字 is not pressed");
    } finally {
      await ctx.close();
    }
    return p;
  })().catch((e) => [String(e.stack || e)]);
  test(`${S} care toolbar: text sizes grow (largest >= 30px), high contrast, wider spacing, persist across navigation, reload and visits before first paint, reset`, () => expectNone(care, "problems"));

  // Read aloud (on a task page: headings, tables read as 「列名：值」, no decorative icons).
  const taskPage = site.pages.find((p) => /(^|\/)tasks\/[^/]+\.html$/.test(p)) || "index.html";
  const ICONS = /[✔✖◐○↻›▸▾]/;
  const speech = async (langs, where = "index.html") => {
    const ctx = await ctxPromise({}, "read-aloud");
    if (langs) await ctx.addInitScript(stubSpeech, langs);
    else await ctx.addInitScript(() => { Object.defineProperty(window, "speechSynthesis", { configurable: true, get: () => undefined }); });
    const page = await ctx.newPage();
    try {
      await page.goto(url(where), { waitUntil: "load" });
      await page.waitForTimeout(300);
      const b = page.locator("#care [data-read]");
      const res = { visible: (await b.count()) > 0 && (await b.isVisible()) };
      if (res.visible) {
        res.name = (await b.textContent()).trim();
        const box = await b.boundingBox();
        res.size = box ? [box.width, box.height] : null;
        await b.click();
        res.after = await page.evaluate(() => {
          const main = document.getElementById("main");
          const hiddenChars = [...main.querySelectorAll('[aria-hidden="true"]')].map((e) => e.textContent).join("");
          const msg = document.querySelector("#care .care-msg");
          const r = msg ? msg.getBoundingClientRect() : null;
          return {
            spoken: window.__spoken || [],
            h1: document.querySelector("h1").innerText.trim(),
            heads: [...main.querySelectorAll("table thead th")].map((th) => th.innerText.trim()),
            hiddenChars,
            pressed: document.querySelector("#care [data-read]").getAttribute("aria-pressed"),
            msg: msg ? msg.textContent.trim() : "",
            msgShown: !!r && r.width > 0 && r.height > 0,
            msgLive: msg ? msg.getAttribute("aria-live") || msg.getAttribute("role") : null,
          };
        });
        if (res.after.spoken.length) {
          await b.click();
          res.stop = await page.evaluate(() => ({ cancelled: window.__cancelled, pressed: document.querySelector("#care [data-read]").getAttribute("aria-pressed") }));
        }
      }
      return res;
    } finally {
      await ctx.close();
    }
  };
  const zhCheck = (zh, label) => {
    expect(!zh.error, zh.error);
    expect(zh.visible, `${label}: the read-aloud button is not shown`);
    expect(zh.size && zh.size[0] >= MIN_TARGET_PX && zh.size[1] >= MIN_TARGET_PX, `button size ${zh.size}`);
    const sp = zh.after.spoken;
    expect(sp.length === 1, `${label}: speak() called ${sp.length} times`);
    const text = sp[0].text;
    const norm = (s) => s.replace(/\s+/g, "");
    expect(text.length > 20 && norm(text).includes(norm(zh.after.h1)), `${label}: spoke "${text.slice(0, 60)}…", without the h1 "${zh.after.h1}"`);
    expect(sp[0].voice === "zh-CN", `${label}: voice ${sp[0].voice}, expected the zh-CN one`);
    expect(/^zh-CN$/i.test(sp[0].lang || ""), `${label}: utterance language ${sp[0].lang}`);
    expect(!ICONS.test(text), `${label}: decorative icon read: ${(text.match(ICONS) || [])[0]}`);
    for (const ch of new Set(zh.after.hiddenChars.replace(/\s/g, ""))) expect(!text.includes(ch) || !ICONS.test(ch), `${label}: aria-hidden "${ch}" is read`);
    expect(zh.after.pressed === "true", `${label}: the button is not aria-pressed while reading`);
    expect(zh.stop && zh.stop.cancelled > 0 && zh.stop.pressed === "false", `${label}: a second click does not stop reading`);
    return text;
  };
  const mixed = ["en-US", "zh-TW", "zh-HK", "yue-HK", "zh-CN"];
  const zh = await speech(mixed).catch((e) => ({ error: String(e) }));
  test(`${S} read-aloud: with zh-TW, zh-HK, yue and zh-CN voices the zh-CN one reads #main without icons`, () => { zhCheck(zh, "home"); });
  const zhTask = await speech(mixed, taskPage).catch((e) => ({ error: String(e) }));
  test(`${S} read-aloud on ${taskPage}: zh-CN voice, table cells read as 「列名：值」, no aria-hidden icons`, () => {
    const text = zhCheck(zhTask, taskPage);
    const heads = zhTask.after.heads.filter(Boolean);
    if (heads.length) {
      const pairs = heads.filter((h) => new RegExp(h.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "：\\S").test(text));
      expect(pairs.length >= Math.min(2, heads.length), `no 「列名：值」 pairs for the table columns ${heads.join(", ")} in "${text.slice(0, 200)}…"`);
    }
  });
  const noZh = await speech(["zh-TW", "zh-HK", "yue-HK", "en-US"]).catch((e) => ({ error: String(e) }));
  const none = await speech(null).catch((e) => ({ error: String(e) }));
  const empty = await speech([]).catch((e) => ({ error: String(e) }));
  test(`${S} read-aloud: without a zh-CN voice (only zh-TW/zh-HK/yue, none, no speech synthesis) the button stays and a visible message explains`, () => {
    for (const [label, r] of [["zh-TW/zh-HK/yue voices", noZh], ["no speech synthesis", none], ["no voices", empty]]) {
      expect(!r.error, r.error);
      expect(r.visible, `${label}: the read-aloud button was removed`);
      expect(r.after.spoken.length === 0, `${label}: speak() was called with ${JSON.stringify(r.after.spoken[0] || {})}`);
      expect(r.after.msgShown && /中文朗读语音/.test(r.after.msg), `${label}: no visible message (got "${r.after.msg}")`);
      expect(!!r.after.msgLive, `${label}: the message is not in a live region`);
    }
  });

  // 长者模式 (elder mode) in one click, and 特大鼠标 (large pointer) alone.
  const elder = await (async () => {
    const ctx = await ctxPromise({}, "elder");
    const page = await ctx.newPage();
    page.setDefaultTimeout(10000);
    const p = [];
    const look = () => page.evaluate(() => {
      const s = getComputedStyle(document.body);
      const a = document.querySelector("main a[href]") || document.querySelector("a[href]");
      const small = [];
      for (const el of document.querySelectorAll("#care button, button, summary, .mainnav a")) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        if (r.width < 59.5 || r.height < 59.5) small.push(`${el.tagName.toLowerCase()} "${el.textContent.trim().slice(0, 12)}" ${r.width.toFixed(0)}×${r.height.toFixed(0)}`);
      }
      return {
        font: parseFloat(s.fontSize), lh: parseFloat(s.lineHeight), ls: s.letterSpacing, color: s.color, bg: s.backgroundColor,
        cursor: s.cursor, linkCursor: a ? getComputedStyle(a).cursor : "", buttonCursor: getComputedStyle(document.querySelector("#care button")).cursor,
        cls: document.documentElement.className, small,
      };
    });
    const btn = (name) => page.getByRole("button", { name, exact: true });
    try {
      await page.goto(url("index.html"), { waitUntil: "load" });
      const s0 = await look();
      if (s0.cursor.includes("url(")) p.push("large pointer on before it was asked for");
      await btn("长者模式").click();
      const check = async (label) => {
        const e = await look();
        if (!(e.font >= 24)) p.push(`${label}: body font ${e.font}px (< 24)`);
        if (e.color === s0.color && e.bg === s0.bg) p.push(`${label}: colours unchanged (no stronger contrast)`);
        if (!(e.lh / e.font > s0.lh / s0.font + 0.2)) p.push(`${label}: line-height ratio ${(e.lh / e.font).toFixed(2)} not wider than ${(s0.lh / s0.font).toFixed(2)}`);
        if (!e.cursor.includes("url(")) p.push(`${label}: body cursor is ${e.cursor}, not a large image pointer`);
        if (!e.linkCursor.includes("url(")) p.push(`${label}: link cursor is ${e.linkCursor}`);
        if (!e.buttonCursor.includes("url(")) p.push(`${label}: button cursor is ${e.buttonCursor}`);
        for (const s of e.small) p.push(`${label}: control smaller than 60×60: ${s}`);
        if ((await btn("长者模式").getAttribute("aria-pressed")) !== "true") p.push(`${label}: 长者模式 is not aria-pressed`);
        return e;
      };
      await check("after clicking 长者模式");
      await page.reload({ waitUntil: "load" });
      await check("after reload");
      await btn("长者模式").click();
      const off = await look();
      if (off.font !== s0.font || off.cursor !== s0.cursor || off.color !== s0.color) p.push(`长者模式 off: ${off.font}px ${off.cursor} ${off.color}, expected ${s0.font}px ${s0.cursor} ${s0.color}`);
      // The large pointer on its own.
      await btn("特大鼠标").click();
      const c = await look();
      if (!c.cursor.includes("url(") || !c.linkCursor.includes("url(")) p.push(`特大鼠标 alone: body cursor ${c.cursor}, link cursor ${c.linkCursor}`);
      if (c.font !== s0.font || c.color !== s0.color) p.push(`特大鼠标 alone also changed the text (${c.font}px ${c.color})`);
      if ((await btn("特大鼠标").getAttribute("aria-pressed")) !== "true") p.push("特大鼠标 is not aria-pressed");
      await page.reload({ waitUntil: "load" });
      const c2 = await look();
      if (!c2.cursor.includes("url(")) p.push("特大鼠标 did not survive a reload");
      await btn("恢复默认").click();
    } finally {
      await ctx.close();
    }
    return p;
  })().catch((e) => [String(e.stack || e)]);
  test(`${S} 长者模式: one click gives large text, stronger contrast, wider spacing, a large pointer and 60×60 controls, kept on reload; 特大鼠标 alone`, () => expectNone(elder, "problems"));

  // The 404 page, served at any depth, has the working toolbar.
  const nf = await (async () => {
    const ctx = await ctxPromise({}, "404");
    const page = await ctx.newPage();
    const p = [];
    try {
      for (const where of ["404.html", "no/such/deep/path/page.html"]) {
        await page.goto(url(where), { waitUntil: "load" });
        const bar = page.getByRole("group", { name: "无障碍与关怀模式" });
        if (!(await bar.isVisible())) { p.push(`${where}: no visible care toolbar`); continue; }
        const f0 = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
        await page.getByRole("button", { name: "特大字", exact: true }).click();
        const f1 = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
        if (!(f1 > f0)) p.push(`${where}: 特大字 gives ${f1}px after ${f0}px`);
        await page.reload({ waitUntil: "load" });
        const f2 = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
        if (f2 !== f1) p.push(`${where}: the setting is not applied after reload (${f2}px)`);
        await page.getByRole("button", { name: "恢复默认", exact: true }).click();
      }
    } finally {
      await ctx.close();
    }
    return p;
  })().catch((e) => [String(e.stack || e)]);
  if (site.pages.includes("404.html")) test(`${S} the 404 page (also served at a deep path) has the care toolbar, working and persistent`, () => expectNone(nf, "problems"));

  // Media features and print.
  const media = await (async () => {
    const ctx = await ctxPromise({}, "media");
    await ctx.addInitScript(AXE_SOURCE);
    const page = await ctx.newPage();
    const p = [];
    try {
      for (const [label, m] of [["prefers-contrast: more", { contrast: "more" }], ["prefers-reduced-motion", { reducedMotion: "reduce" }]]) {
        await page.emulateMedia(m);
        await page.goto(url("index.html"), { waitUntil: "load" });
        const v = await page.evaluate(async (tags) => (await window.axe.run(document, { runOnly: { type: "tag", values: tags } })).violations.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`), AXE_TAGS);
        p.push(...v.map((s) => `${label}: ${s}`));
      }
      await page.emulateMedia({ contrast: "no-preference", reducedMotion: "no-preference", forcedColors: "active" });
      await page.goto(url("index.html"), { waitUntil: "load" });
      const fc = await page.evaluate(() => getComputedStyle(document.querySelector(".st") || document.body).borderTopStyle);
      if (fc === "none") p.push("forced-colors: status badges lose their border");
      await page.emulateMedia({ forcedColors: "none", media: "print" });
      const pr = await page.evaluate(() => ({ care: getComputedStyle(document.getElementById("care")).display, nav: getComputedStyle(document.querySelector(".mainnav")).display, main: getComputedStyle(document.querySelector("main")).display }));
      if (pr.care !== "none" || pr.nav !== "none") p.push(`print: toolbar display ${pr.care}, navigation display ${pr.nav} (expected hidden)`);
      if (pr.main === "none") p.push("print: main is hidden");
    } finally {
      await ctx.close();
    }
    return p;
  })().catch((e) => [String(e.stack || e)]);
  test(`${S} home page: axe clean with prefers-contrast and reduced motion; forced colours keep shapes; print hides the toolbar`, () => expectNone(media, "problems"));
}

main().then((failed) => process.exit(failed ? 1 : 0), (e) => {
  console.error(e);
  console.log("0 passed, 1 failed");
  process.exit(1);
});
