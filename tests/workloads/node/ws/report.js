// A node script of the kind an agent writes: totals per customer from
// input/, with fs (sync, callbacks and promises), a scratch file in
// os.tmpdir() ($TMPDIR) and the report in out/.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const crypto = require('crypto');

async function main() {
  const orders = JSON.parse(fs.readFileSync('input/orders.json', 'utf8'));
  const names = new Map(
    (await fs.promises.readFile('input/customers.tsv', 'utf8'))
      .trim().split('\n').map((line) => line.split('\t')));

  const totals = {};
  for (const order of orders) {
    const sum = order.items.reduce((s, it) => s + it.qty * it.price, 0);
    totals[order.customer] = (totals[order.customer] || 0) + sum;
  }
  const rows = Object.keys(totals).sort().map((c) => ({
    customer: names.get(c), orders: orders.filter((o) => o.customer === c).length,
    total: Math.round(totals[c] * 100) / 100,
  }));

  // a scratch copy in the temporary directory, read back with a callback
  const scratch = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'report-')), 'rows.json');
  fs.writeFileSync(scratch, JSON.stringify(rows));
  const back = await new Promise((resolve, reject) =>
    fs.readFile(scratch, 'utf8', (err, s) => (err ? reject(err) : resolve(JSON.parse(s)))));
  fs.rmSync(path.dirname(scratch), { recursive: true });

  const report = { rows: back, digest: crypto.createHash('sha256').update(JSON.stringify(back)).digest('hex').slice(0, 16) };
  await fs.promises.writeFile('out/report.json', JSON.stringify(report, null, 1) + '\n');

  for (const r of back) console.log(`${r.customer}: ${r.orders} orders, ${r.total.toFixed(2)}`);
  console.log(`digest ${report.digest}`);
  console.log(`tmpdir is $TMPDIR: ${os.tmpdir() === process.env.TMPDIR}, scratch removed: ${!fs.existsSync(scratch)}`);
  console.log(`cpus: ${os.cpus().length > 0}`);
}

main().catch((err) => { console.error(err); process.exit(1); });
