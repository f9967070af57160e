import Database from 'better-sqlite3';
const db = new Database('/tmp/purchases-bench-4G01dS/bench.db', { readonly: true });
const COLS = `SELECT a."id", s."id" AS "subscriptionId", pu."name" AS "purchaserName", pu."email" AS "purchaserEmail", u."name" AS "userName", u."email" AS "userEmail", a."assignedAt" FROM "Subscription" s JOIN "LicenseAssignment" a ON a."subscriptionId" = s."id" AND a."removedAt" IS NULL JOIN "Person" u ON u."id" = a."userId" LEFT JOIN "Person" pu ON pu."id" = s."purchaserId"`;
const P='CFQ7TTC0H9MP';
function iter() { let n=0; for (const r of db.prepare(`${COLS} WHERE s."productId" = ? ORDER BY s."id", a."id"`).raw(true).iterate(P)) n++; return n; }
function keyset(size) {
  const rest = db.prepare(`${COLS} WHERE s."id" = ? AND a."id" > ? ORDER BY a."id" LIMIT ?`).raw(true);
  const fol = db.prepare(`${COLS} WHERE s."productId" = ? AND s."id" > ? ORDER BY s."id", a."id" LIMIT ?`).raw(true);
  let n=0, after;
  for (;;) { const rows = after ? rest.all(after[1], after[0], size) : []; if (rows.length < size) rows.push(...fol.all(P, after?.[1] ?? '', size - rows.length)); n+=rows.length; if (rows.length<size) return n; const l=rows[rows.length-1]; after=[l[0],l[1]]; }
}
for (const [name, f] of [['iter', iter], ['keyset1000', () => keyset(1000)], ['iter', iter], ['keyset1000', () => keyset(1000)], ['keyset5000', () => keyset(5000)]]) {
  const c = process.cpuUsage(); const t = performance.now(); const n = f(); const u = process.cpuUsage(c);
  console.log(name, n, 'wall', (performance.now()-t).toFixed(0), 'cpu', ((u.user+u.system)/1000).toFixed(0));
}
