// 三审 in the browser over HTTPS (issue 14, items 7 and 9): start `gongkai serve --review` on a
// loopback address with its self-signed certificate (pinned by its key's hash, not ignored), enrol
// three reviewers in three separate browser profiles (Ed25519, ECDSA P-256, Ed25519), add the
// entries they show to content/reviewers.yaml as the clerk would, run one record through
// 初审 → 复审 → 终审, send another back (退回), refuse a signature by the wrong reviewer and a
// request with a foreign Host or without the CSRF token, then `gongkai build` publishes exactly
// the signed record. Prints "N passed, M failed" on its last line.
import { chromium } from "playwright-core";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, cpSync, readFileSync, writeFileSync, appendFileSync, rmSync, existsSync, readdirSync } from "node:fs";
import { X509Certificate, createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import https from "node:https";
import net from "node:net";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");
const bin = join(repo, "target", "release", "gongkai");
const work = mkdtempSync(join(tmpdir(), "gongkai-review-"));
const site = join(work, "site");
cpSync(join(repo, "content"), join(site, "content"), { recursive: true });
const rel = "content/plans/2023/progress/review-e2e.yaml";
const file = join(site, rel);
writeFileSync(file, [
  "# 三审网页测试用的记录",
  "format_version: 1",
  "records:",
  "  - id: web-1",
  "    task: 1-1-1",
  "    unit: fagai",
  "    date: 2023-09-01",
  "    status: in_progress",
  "    summary: MARKER-WEB-SIGNED-4c1d 经三审网页签署的记录",
  "  - id: web-2",
  "    task: 1-1-1",
  "    unit: jingxin",
  "    date: 2023-09-02",
  "    status: in_progress",
  "    summary: MARKER-WEB-RETURNED-9e2f 被退回的记录",
  "",
].join("\n"));
const env = { ...process.env, GONGKAI_CONFIG_DIR: join(work, "config"), GONGKAI_CACHE_DIR: join(work, "cache") };

const port = await new Promise((res) => {
  const s = net.createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => res(p)); });
});
const origin = `https://127.0.0.1:${port}`;
const server = spawn(bin, ["serve", "--root", site, "--review", "--listen", `127.0.0.1:${port}`], { env, stdio: ["ignore", "ignore", "pipe"] });
let log = "";
server.stderr.on("data", (d) => { log += d.toString(); });

let passed = 0, failed = 0;
async function check(name, fn) {
  try { await fn(); passed++; console.log(`ok - ${name}`); }
  catch (e) { failed++; console.log(`not ok - ${name}: ${e.message}`); }
}
const until = async (cond, ms = 15000) => {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) { if (await cond()) return; await new Promise((r) => setTimeout(r, 100)); }
  throw new Error("timed out");
};
const request = (path, { method = "GET", headers = {}, body } = {}) => new Promise((res, rej) => {
  const r = https.request({ host: "127.0.0.1", port, path, method, headers, rejectUnauthorized: false }, (resp) => {
    let data = ""; resp.on("data", (c) => { data += c; }); resp.on("end", () => res({ status: resp.statusCode, body: data }));
  });
  r.on("error", rej);
  if (body) r.write(body);
  r.end();
});

const contexts = [];
try {
  await until(async () => log.includes("三审网页已启动"));
  const fp = (log.match(/证书指纹（SHA-256）：([0-9A-F:]+)/) || [])[1];
  const certPath = (log.match(/这是自签名证书（([^）]+)）/) || [])[1];
  if (!fp || !certPath) throw new Error("no fingerprint or certificate path printed:\n" + log);
  const cert = new X509Certificate(readFileSync(certPath));
  // Pin the certificate: Chromium accepts exactly this key (as a reviewer would after comparing
  // the fingerprint), nothing else.
  const spki = createHash("sha256").update(cert.publicKey.export({ type: "spki", format: "der" })).digest("base64");
  await check("the printed fingerprint is the certificate's", async () => {
    if (cert.fingerprint256 !== fp) throw new Error(`${cert.fingerprint256} != ${fp}`);
  });
  await check("requests under another Host name are refused", async () => {
    const r = await request("/__gongkai/review/", { headers: { host: `evil.example:${port}` } });
    if (r.status !== 421) throw new Error(`status ${r.status}`);
  });
  await check("a POST without the page's CSRF token is refused", async () => {
    const r = await request("/__gongkai/review/prepare", {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ target: `${rel}#web-1`, act: "sign", stage: "first", reviewer: "web-chushen" }),
    });
    if (r.status !== 403 || !r.body.includes("CSRF")) throw new Error(`${r.status} ${r.body}`);
  });

  const launch = async (n) => {
    const ctx = await chromium.launchPersistentContext(join(work, `profile-${n}`), {
      executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", `--ignore-certificate-errors-spki-list=${spki}`],
    });
    contexts.push(ctx);
    return ctx.pages()[0] || ctx.newPage();
  };
  const reviewers = [
    { id: "web-chushen", name: "网页初审人", stage: "初审", alg: "" },
    { id: "web-fushen", name: "网页复审人", stage: "复审", alg: "?alg=p256" },
    { id: "web-zhongshen", name: "网页终审人", stage: "终审", alg: "" },
  ];
  const pages = [];
  for (const [i, r] of reviewers.entries()) {
    const page = await launch(i);
    pages.push(page);
    await check(`${r.stage} reviewer enrols in their own browser profile`, async () => {
      await page.goto(`${origin}/__gongkai/review/enrol${r.alg}`);
      await page.fill("#rid", r.id);
      await page.fill("#rname", r.name);
      await page.check(`input[name=stage][value=${r.stage}]`);
      await page.click("#make");
      await page.waitForFunction(() => !document.getElementById("entry").hidden, null, { timeout: 10000 });
      const entry = await page.locator("#entry").innerText();
      const want = r.alg ? "public_key: \"p256:" : "public_key: \"ed25519:";
      if (!entry.includes(`- id: ${r.id}`) || !entry.includes(want)) throw new Error(entry);
      // The private key stays in the browser, not extractable.
      const extractable = await page.evaluate(() => new Promise((res) => {
        const q = indexedDB.open("gongkai-review", 1);
        q.onsuccess = () => { const g = q.result.transaction("keys").objectStore("keys").get("me"); g.onsuccess = () => res(g.result.privateKey.extractable); };
      }));
      if (extractable !== false) throw new Error("private key is extractable");
      // The clerk adds the entry: enrolment is a visible content change.
      appendFileSync(join(site, "content/reviewers.yaml"), entry.replace(/\n?$/, "\n"));
    });
  }
  const before = () => readFileSync(file);
  const item = (id) => `${origin}/__gongkai/review/item?t=${encodeURIComponent(`${rel}#${id}`)}`;
  const act = async (page, id, button, reason) => {
    await page.goto(item(id));
    if (reason !== undefined) await page.fill("#reason", reason);
    await page.click(button);
    await page.waitForFunction(() => document.getElementById("result").textContent.length > 0, null, { timeout: 15000 });
    return page.locator("#result").innerText();
  };
  await check("初审 in the browser (Ed25519) writes a signed stage", async () => {
    const t = await act(pages[0], "web-1", "#approve");
    if (!t.includes("已签初审")) throw new Error(t);
    const yaml = readFileSync(file, "utf8");
    if (!/reviewer: "web-chushen"\n\s+date: \d{4}-\d\d-\d\d\n\s+fingerprint: sha256:[0-9a-f]{64}\n\s+signature: ed25519:/.test(yaml)) throw new Error(yaml);
  });
  await check("a reviewer not allowed the stage is refused and the file is unchanged", async () => {
    const b = before();
    const t = await act(pages[2], "web-1", "#approve");
    if (!t.includes("未签署") || !t.includes("不能签复审")) throw new Error(t);
    if (!b.equals(before())) throw new Error("file changed");
  });
  await check("a signature by the wrong reviewer's key is refused and the file is unchanged", async () => {
    const b = before();
    // 终审's browser claims to be the 复审 reviewer: its key does not match the registered one.
    await pages[2].goto(item("web-1"));
    const out = await pages[2].evaluate(async ({ target }) => {
      const csrf = document.querySelector('meta[name="gongkai-csrf"]').content;
      const me = await new Promise((res) => {
        const q = indexedDB.open("gongkai-review", 1);
        q.onsuccess = () => { const g = q.result.transaction("keys").objectStore("keys").get("me"); g.onsuccess = () => res(g.result); };
      });
      const post = (u, b) => fetch(u, { method: "POST", headers: { "content-type": "application/json", "x-gongkai-csrf": csrf }, body: JSON.stringify(b) }).then((r) => r.json());
      const body = { target, act: "sign", stage: "second", reviewer: "web-fushen" };
      const p = await post("/__gongkai/review/prepare", body);
      if (p.error) return "prepare: " + p.error;
      const sigs = [];
      for (const text of p.payloads) {
        const s = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, me.privateKey, new TextEncoder().encode(text)));
        sigs.push("p256:" + btoa(String.fromCharCode(...s)));
      }
      body.signatures = sigs;
      const r = await post("/__gongkai/review/submit", body);
      return r.error || r.message;
    }, { target: `${rel}#web-1` });
    if (!out.includes("签名与登记的审核人公钥不符")) throw new Error(out);
    if (!b.equals(before())) throw new Error("file changed");
  });
  await check("复审 in the browser (ECDSA P-256) and 终审 (Ed25519)", async () => {
    let t = await act(pages[1], "web-1", "#approve");
    if (!t.includes("已签复审")) throw new Error(t);
    t = await act(pages[2], "web-1", "#approve");
    if (!t.includes("已签终审") || !t.includes("下次生成站点时发布")) throw new Error(t);
    const yaml = readFileSync(file, "utf8");
    if (!yaml.includes("signature: p256:")) throw new Error("no P-256 signature written");
  });
  await check("退回 needs a reason and is recorded, signed, in the history", async () => {
    let t = await act(pages[0], "web-2", "#return", "");
    if (!t.includes("退回须写明理由")) throw new Error(t);
    t = await act(pages[0], "web-2", "#return", "摘要缺少完成时间，请补充");
    if (!t.includes("已在初审退回")) throw new Error(t);
    const yaml = readFileSync(file, "utf8");
    if (!/- action: return\n\s+stage: first\n\s+reviewer: "web-chushen"\n\s+date: .*\n\s+reason: "摘要缺少完成时间，请补充"/.test(yaml)) throw new Error(yaml);
    await pages[0].goto(item("web-2"));
    const page = await pages[0].locator("main").innerText();
    if (!page.includes("摘要缺少完成时间") || !page.includes("待初审")) throw new Error(page);
  });
  await check("the signed site checks, and the build publishes exactly the signed record", async () => {
    server.kill();
    execFileSync(bin, ["check", "--root", site], { env, stdio: "pipe" });
    execFileSync(bin, ["build", "--root", site, "--output", join(work, "out")], { env, stdio: "pipe" });
    const all = [];
    const walk = (d) => { for (const f of readdirSync(d, { withFileTypes: true })) { const p = join(d, f.name); if (f.isDirectory()) walk(p); else all.push(readFileSync(p, "utf8")); } };
    walk(join(work, "out"));
    if (!all.some((t) => t.includes("MARKER-WEB-SIGNED-4c1d"))) throw new Error("signed record not published");
    if (all.some((t) => t.includes("MARKER-WEB-RETURNED-9e2f"))) throw new Error("returned record published");
    if (all.some((t) => t.includes("web-chushen") || t.includes("网页初审人"))) throw new Error("reviewer published");
    const reg = readFileSync(join(work, "out.publication-register.jsonl"), "utf8");
    if (!reg.includes("\"item\":\"2023#web-1\"") || !reg.includes("\"reviewer\":\"web-fushen\"")) throw new Error(reg);
    if (!/"item":"2023#web-2","path":"[^"]+","reason":"退回：摘要缺少完成时间/.test(reg)) throw new Error(reg);
  });
} catch (e) {
  failed++;
  console.log(`not ok - setup: ${e.message}`);
} finally {
  for (const c of contexts) await c.close().catch(() => {});
  server.kill();
  if (existsSync(work)) rmSync(work, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
