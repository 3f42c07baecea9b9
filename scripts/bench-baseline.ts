/**
 * The bare page `npm run bench` compares every page with (issue 9): Express 5 + express-handlebars
 * with a layout, rendering 50 rows of a 100,000-row better-sqlite3 table (a file in WAL mode, like
 * the app's). Run in its own process by scripts/bench.ts:
 *   PORT=4000 NODE_ENV=production tsx scripts/bench-baseline.ts /tmp/dir/baseline.db
 * Each request reads a random keyset page (`WHERE id > ? ORDER BY id LIMIT 50`) through one
 * prepared statement and escapes every cell, as the app's lists do.
 */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';
import { engine } from 'express-handlebars';

const ROWS = 100_000;
const dbPath = process.argv[2] ?? join(mkdtempSync(join(tmpdir(), 'ewc-baseline-')), 'baseline.db');

const sqlite = new Database(dbPath);
sqlite.pragma('journal_mode = WAL');
sqlite.exec(
  'CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, region TEXT NOT NULL, year INTEGER NOT NULL, amount INTEGER NOT NULL)',
);
if ((sqlite.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n < ROWS) {
  const insert = sqlite.prepare('INSERT INTO items (name, region, year, amount) VALUES (?, ?, ?, ?)');
  sqlite.transaction(() => {
    for (let i = 1; i <= ROWS; i++) insert.run(`项目 <${i}> & 协作`, `${320000 + (i % 97)}`, 2016 + (i % 10), i * 7919);
  })();
}
const page = sqlite.prepare('SELECT id, name, region, year, amount FROM items WHERE id > ? ORDER BY id LIMIT 50');

const views = join(dbPath, '..', 'baseline-views');
mkdirSync(join(views, 'layouts'), { recursive: true });
writeFileSync(
  join(views, 'layouts', 'main.hbs'),
  `<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{{title}} · 基准</title><link rel="stylesheet" href="/assets/app.css"></head>
<body>
<header><nav><a href="/">首页</a> <a href="/pairings">结对关系</a> <a href="/records/funds">资金</a></nav></header>
<main>{{{body}}}</main>
<footer>东西部协作工作平台</footer>
</body>
</html>
`,
);
writeFileSync(
  join(views, 'list.hbs'),
  `<h1>{{title}}</h1>
<table>
<thead><tr><th>编号</th><th>名称</th><th>地区</th><th>年度</th><th>金额（元）</th></tr></thead>
<tbody>
{{#each rows}}<tr><td>{{id}}</td><td>{{name}}</td><td>{{region}}</td><td>{{year}}</td><td>{{money amount}}</td></tr>
{{/each}}</tbody>
</table>
<p>第 {{from}} 条起</p>
`,
);

const yuan = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2 });
const app = express();
app.disable('x-powered-by');
app.engine('hbs', engine({ extname: '.hbs', helpers: { money: (fen: number) => yuan.format(fen / 100) } }));
app.set('view engine', 'hbs');
app.set('views', views);
app.get('/', (_req, res) => {
  const from = Math.floor(Math.random() * (ROWS - 50));
  res.render('list', { title: '基准列表', rows: page.all(from), from: from + 1 });
});

const port = Number(process.env.PORT ?? 4000);
const server = app.listen(port, '127.0.0.1', () => console.log(`baseline listening on ${port}`));
process.once('SIGTERM', () => {
  server.close(() => sqlite.close());
  server.closeAllConnections();
});
