import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatCell, frameHtml, frameText, showFrame } from '../../lib/plots';
import { danfo } from '../../lib/results';

test('a DataFrame renders as an HTML table: index, header, escaped text, numbers to 4 decimals, NaN', () => {
  const df = new (danfo().DataFrame)([['<b>&', 0.123456, 3], ['x', NaN, 4]], { columns: ['name', 'f1', 'n'] });
  const html = frameHtml(df);
  assert.ok(html.includes('<thead><tr><th></th><th>name</th><th>f1</th><th>n</th></tr></thead>'), html);
  assert.ok(html.includes('<tr><th>0</th><td>&lt;b&gt;&amp;</td><td style="text-align: right">0.1235</td><td style="text-align: right">3</td></tr>'), html);
  assert.ok(html.includes('<td>NaN</td>') || html.includes('>NaN</td>'), html);
  assert.ok(html.includes('<p>2 rows × 3 columns</p>'));
  assert.equal(formatCell(0.5, 1), '0.5');
  assert.equal(formatCell(2), '2');
  assert.equal(formatCell(2, 1, false), '2.0'); // an integer in a column of fractions
  assert.equal(formatCell(null), 'NaN');
});

test('long frames are cut at maxRows with the rest counted; outside a kernel showFrame prints text', () => {
  const df = new (danfo().DataFrame)(Array.from({ length: 5 }, (_, i) => [i, i / 3]), { columns: ['i', 'third'] });
  const html = frameHtml(df, { maxRows: 2, caption: 'thirds' });
  assert.equal((html.match(/<tr><th>\d/g) ?? []).length, 2);
  assert.ok(html.includes('<p>... 3 more rows</p>'));
  assert.ok(html.startsWith('<p><b>thirds</b></p>'));
  assert.equal(frameText(df, { maxRows: 2, digits: 2 }), '\ti\tthird\n0\t0\t0.00\n1\t1\t0.33');
  const out: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((s: string) => (out.push(s), true)) as typeof process.stdout.write;
  try {
    showFrame(df, { maxRows: 1 });
  } finally {
    process.stdout.write = write;
  }
  assert.deepEqual(out, ['\ti\tthird\n0\t0\t0.0000\n']);
});
