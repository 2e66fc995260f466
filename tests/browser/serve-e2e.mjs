// End-to-end test of the reviewers' preview (issue 5): start `gongkai serve` on a copy of the
// default content, open a task page in Chromium, edit the record's file, and see the open page
// reload with the new text; then break the file, see the located error in the page, fix it and
// see the preview recover. Prints "N passed, M failed" on its last line.
import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, cpSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import net from "node:net";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");
const bin = join(repo, "target", "release", "gongkai");
const site = mkdtempSync(join(tmpdir(), "gongkai-serve-"));
cpSync(join(repo, "content"), join(site, "content"), { recursive: true });
const file = join(site, "content/plans/2023/progress/bumen.yaml");

const port = await new Promise((res) => {
  const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => res(p)); });
});
const server = spawn(bin, ["serve", "--root", site, "--port", String(port)], { stdio: ["ignore", "ignore", "pipe"] });
let log = "";
server.stderr.on("data", (d) => { log += d.toString(); });

let passed = 0, failed = 0;
async function check(name, fn) {
  try { await fn(); passed++; console.log(`ok - ${name}`); }
  catch (e) { failed++; console.log(`not ok - ${name}: ${e.message}`); }
}
const until = async (cond, ms = 10000) => {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) { if (await cond()) return; await new Promise((r) => setTimeout(r, 100)); }
  throw new Error("timed out");
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  await until(async () => log.includes("预览已启动"));
  const page = await browser.newPage();
  const url = `http://127.0.0.1:${port}/2023/tasks/2-2-2.html`;
  await page.goto(url);
  await check("preview shows the banner and the unsigned record with its badge", async () => {
    const text = await page.locator("main").innerText();
    if (!(await page.locator(".preview-banner").innerText()).includes("预览版，未经三审，不得对外发布")) throw new Error("no banner");
    if (!text.includes("联合个体劳动者协会开展政策宣讲2场")) throw new Error("unsigned record not shown");
    if (!text.includes("待初审")) throw new Error("no 待初审 badge");
    if ((await page.locator('meta[name="robots"]').getAttribute("content")) !== "noindex") throw new Error("no noindex");
  });
  await check("an edit reloads the open page with the new text", async () => {
    writeFileSync(file, readFileSync(file, "utf8").replace("政策宣讲2场", "政策宣讲5场（已更新）"));
    await page.waitForFunction(() => document.body.innerText.includes("政策宣讲5场（已更新）"), null, { timeout: 10000 });
  });
  await check("a content error shows the located error in the page", async () => {
    writeFileSync(file, readFileSync(file, "utf8").replace("status: in_progress", "status: in_progres"));
    await page.waitForFunction(() => document.body.innerText.includes("bumen.yaml:"), null, { timeout: 10000 });
    const t = await page.locator("pre").innerText();
    if (!/bumen\.yaml:\d+:\d+: 错误：不认识的取值 "in_progres"，是否指 "in_progress"？/.test(t)) throw new Error(t);
  });
  await check("fixing the file recovers the preview", async () => {
    writeFileSync(file, readFileSync(file, "utf8").replace("status: in_progres\n", "status: in_progress\n"));
    await page.waitForFunction(() => document.body.innerText.includes("政策宣讲5场（已更新）"), null, { timeout: 10000 });
  });
  await check("the review queue lists what waits for each stage", async () => {
    await page.goto(`http://127.0.0.1:${port}/review.html`);
    const t = await page.locator("main").innerText();
    if (!t.includes("待初审") || !t.includes("待终审")) throw new Error(t);
  });
  await check("each rebuild is reported with its time", async () => {
    // Reported, not asserted: timings belong to the benchmark, not to a test.
    const times = [...log.matchAll(/生成用时 (\d+) 毫秒（从收到通知起/g)].map((m) => Number(m[1]));
    if (times.length < 3) throw new Error("rebuilds not logged: " + log);
    console.log(`# preview rebuild times (ms): ${times.join(", ")}`);
  });
  await check("the preview never wrote an output folder", async () => {
    const ls = execFileSync("ls", ["-a", site]).toString();
    if (ls.includes("output")) throw new Error(ls);
  });
} finally {
  await browser.close();
  server.kill();
  rmSync(site, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
