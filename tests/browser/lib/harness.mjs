// A minimal sequential test harness: named cases, a pass/fail line each, `N passed, M failed` last.
const cases = [];

export function test(name, fn) {
  cases.push({ name, fn });
}

export class Failure extends Error {}

// Fail with a list of problems, showing at most `max` of them.
export function expectNone(problems, what, max = 25) {
  if (!problems.length) return;
  const shown = problems.slice(0, max).map((p) => "    - " + p).join("\n");
  const more = problems.length > max ? `\n    … and ${problems.length - max} more` : "";
  throw new Failure(`${problems.length} ${what}:\n${shown}${more}`);
}

export function expect(cond, message) {
  if (!cond) throw new Failure(message);
}

export async function runAll({ onSummary } = {}) {
  let passed = 0;
  let failed = 0;
  for (const c of cases) {
    const t0 = Date.now();
    try {
      await c.fn();
      passed++;
      console.log(`ok   ${c.name} (${Date.now() - t0} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${c.name} (${Date.now() - t0} ms)`);
      const msg = e instanceof Failure ? e.message : (e && e.stack) || String(e);
      console.log(msg.split("\n").map((l) => "     " + l).join("\n"));
    }
  }
  cases.length = 0;
  if (onSummary) onSummary();
  console.log(`${passed} passed, ${failed} failed`);
  return failed;
}

// Run an async fn over items with at most n in flight.
export async function pool(items, n, fn) {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(n, items.length)) }, async (_, w) => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i, w);
    }
  });
  await Promise.all(workers);
}
