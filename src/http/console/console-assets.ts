// GET /console: the operator console, one page over the operator API, every file served here.

export interface ConsoleAssets {
  /** Chart.js's UMD bundle (chart.umd.min.js), read by the runtime entry from the chart.js package. */
  readonly chart: string;
}

/** No request may leave for another origin; scripts only from files this service serves. */
export const CONSOLE_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

export const CONSOLE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sms-verify console</title>
<link rel="stylesheet" href="/console/console.css">
</head>
<body>
<header><h1>sms-verify console</h1><button type="button" id="logout" hidden>Sign out</button></header>
<main>
<section id="login" aria-labelledby="login-title">
  <h2 id="login-title">Sign in</h2>
  <form id="login-form">
    <label for="admin-key">Admin API key</label>
    <input id="admin-key" name="key" type="password" autocomplete="off" required minlength="16">
    <button type="submit">Sign in</button>
    <p id="login-error" role="alert"></p>
  </form>
  <p class="note">The key is kept in this tab's session storage only, and sent as a Bearer token.</p>
</section>
<div id="app" hidden>
  <section aria-labelledby="conversion-title">
    <h2 id="conversion-title">Conversion</h2>
    <p id="totals" aria-live="polite"></p>
    <div class="charts">
      <figure><canvas id="chart-country" role="img" aria-label="Conversion by country, last day and last week"></canvas><figcaption>By country (% of sends approved)</figcaption></figure>
      <figure><canvas id="chart-channel" role="img" aria-label="Conversion by channel, last day and last week"></canvas><figcaption>By channel (% of sends approved)</figcaption></figure>
    </div>
  </section>
  <section aria-labelledby="providers-title">
    <h2 id="providers-title">Providers</h2>
    <table><thead><tr><th scope="col">Provider</th><th scope="col">Circuit</th></tr></thead><tbody id="providers"></tbody></table>
  </section>
  <section aria-labelledby="blocks-title">
    <h2 id="blocks-title">Fraud blocks</h2>
    <table><thead><tr><th scope="col">Prefix</th><th scope="col">Country</th><th scope="col">Mode</th><th scope="col">Until</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead><tbody id="blocks"></tbody></table>
  </section>
  <section aria-labelledby="safe-title">
    <h2 id="safe-title">Safe list</h2>
    <form id="safe-form">
      <label for="safe-number">Number or prefix (+4420*)</label>
      <input id="safe-number" name="phoneNumber" required pattern="\\+[1-9][0-9]{0,14}\\*?">
      <button type="submit">Add</button>
      <p id="safe-error" role="alert"></p>
    </form>
    <table><thead><tr><th scope="col">Entry</th><th scope="col">Added</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead><tbody id="safe-list"></tbody></table>
  </section>
  <section aria-labelledby="attempts-title">
    <h2 id="attempts-title">Recent attempts</h2>
    <table><thead><tr><th scope="col">Time</th><th scope="col">Number</th><th scope="col">Country</th><th scope="col">Channel</th><th scope="col">Provider</th><th scope="col">Delivery</th><th scope="col">Converted</th></tr></thead><tbody id="attempts"></tbody></table>
  </section>
  <section aria-labelledby="services-title">
    <h2 id="services-title">Services</h2>
    <table><thead><tr><th scope="col">Service</th><th scope="col">Name</th><th scope="col">Code length</th><th scope="col">Custom codes</th></tr></thead><tbody id="services"></tbody></table>
  </section>
</div>
</main>
<script src="/console/chart.js"></script>
<script src="/console/console.js"></script>
</body>
</html>
`;

export const CONSOLE_CSS = `body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}
header{display:flex;justify-content:space-between;align-items:center;padding:.8rem 1.5rem;background:#12355b;color:#fff}
header h1{font-size:1.2rem;margin:0}
main{padding:1rem 1.5rem;max-width:1100px}
section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:1rem;margin:0 0 1rem}
h2{font-size:1.05rem;margin:0 0 .6rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e4e4e4}
button{font:inherit;padding:.3rem .8rem;border:1px solid #12355b;border-radius:4px;background:#12355b;color:#fff;cursor:pointer}
header button{background:#fff;color:#12355b}
input{font:inherit;padding:.3rem .5rem;border:1px solid #767676;border-radius:4px}
label{margin-right:.5rem}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:1rem}
figure{margin:0}
figcaption{font-size:.85rem;color:#444}
.note{color:#444;font-size:.85rem}
[role=alert]{color:#a40000;min-height:1.2em;margin:.3rem 0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
`;

export const CONSOLE_JS = `'use strict';
const KEY = 'sms-verify-admin-key';
const $ = (selector) => document.querySelector(selector);
const charts = (window.consoleCharts = {});

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text == null ? '' : String(text);
  return td;
}
function row(cells, action) {
  const tr = document.createElement('tr');
  for (const c of cells) tr.append(cell(c));
  if (action) {
    const td = document.createElement('td');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = action.label;
    button.setAttribute('aria-label', action.label + ' ' + action.target);
    button.addEventListener('click', action.run);
    td.append(button);
    tr.append(td);
  }
  return tr;
}
function fill(id, rows) {
  $(id).replaceChildren(...rows);
}

async function api(path, init) {
  const headers = { Authorization: 'Bearer ' + sessionStorage.getItem(KEY) };
  if (init && init.body) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, Object.assign({}, init, { headers }));
  if (res.status === 401) {
    signOut('That key was refused: it must be one of ADMIN_API_KEYS.');
    throw new Error('unauthorized');
  }
  return res;
}
const json = async (path) => (await api(path)).json();

function signOut(message) {
  sessionStorage.removeItem(KEY);
  $('#app').hidden = true;
  $('#logout').hidden = true;
  $('#login').hidden = false;
  $('#login-error').textContent = message || '';
}

const percent = (t) => (t && t.totalAttempts ? Math.round((t.converted / t.totalAttempts) * 1000) / 10 : 0);

async function drawChart(groupBy) {
  const now = Date.now();
  const since = (ms) => new Date(now - ms).toISOString();
  const [day, week] = await Promise.all([
    json('/v1/attempts/summary?groupBy=' + groupBy + '&from=' + since(86400000)),
    json('/v1/attempts/summary?groupBy=' + groupBy + '&from=' + since(7 * 86400000)),
  ]);
  const labels = week.groups.map((g) => g[groupBy]);
  const of = (summary) => labels.map((label) => percent(summary.groups.find((g) => g[groupBy] === label)));
  const data = {
    labels,
    datasets: [
      { label: 'Last day', data: of(day), backgroundColor: '#12355b' },
      { label: 'Last week', data: of(week), backgroundColor: '#7aa6d6' },
    ],
  };
  if (charts[groupBy]) {
    charts[groupBy].data = data;
    charts[groupBy].update();
  } else {
    charts[groupBy] = new Chart($('#chart-' + groupBy), {
      type: 'bar',
      data,
      options: { animation: false, scales: { y: { min: 0, max: 100 } } },
    });
  }
  return week;
}

async function load() {
  const [week, , status, blocks, safe, attempts] = await Promise.all([
    drawChart('country'),
    drawChart('channel'),
    json('/v1/operator/status'),
    json('/v1/fraud/blocks'),
    json('/v1/safe-list'),
    json('/v1/attempts?limit=20'),
  ]);
  $('#totals').textContent =
    'Last week: ' + week.totalAttempts + ' sends, ' + week.converted + ' approved (' + percent(week) + ' %).';
  const circuits = Object.entries(status.providers);
  fill('#providers', circuits.length ? circuits.map(([name, state]) => row([name, state])) : [row(['(one provider, no circuit)', ''])]);
  fill(
    '#blocks',
    blocks.blocks.map((b) =>
      row([b.prefix, b.country, b.mode, b.until], {
        label: 'Lift',
        target: b.prefix,
        run: async () => {
          await api('/v1/fraud/blocks/' + encodeURIComponent(b.prefix), { method: 'DELETE' });
          await load();
        },
      }),
    ),
  );
  fill(
    '#safe-list',
    safe.entries.map((e) =>
      row([e.phoneNumber, e.createdAt], {
        label: 'Remove',
        target: e.phoneNumber,
        run: async () => {
          await api('/v1/safe-list/' + encodeURIComponent(e.phoneNumber), { method: 'DELETE' });
          await load();
        },
      }),
    ),
  );
  fill(
    '#attempts',
    attempts.attempts.map((a) =>
      row([a.createdAt, a.phoneTail, a.country, a.channel, a.provider, a.deliveryStatus || '', a.converted ? 'yes' : 'no']),
    ),
  );
  fill('#services', status.services.map((s) => row([s.sid, s.friendlyName, s.codeLength, s.customCodeEnabled ? 'yes' : 'no'])));
  document.body.dataset.loaded = 'true';
}

async function start() {
  $('#login').hidden = true;
  $('#app').hidden = false;
  $('#logout').hidden = false;
  try {
    await load();
  } catch (error) {
    if (error.message !== 'unauthorized') $('#totals').textContent = 'Could not load: ' + error.message;
  }
}

$('#login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, $('#admin-key').value);
  $('#admin-key').value = '';
  void start();
});
$('#logout').addEventListener('click', () => signOut(''));
$('#safe-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const res = await api('/v1/safe-list', { method: 'POST', body: JSON.stringify({ phoneNumber: $('#safe-number').value }) });
  $('#safe-error').textContent = res.ok ? '' : (await res.json()).detail;
  if (res.ok) {
    $('#safe-number').value = '';
    await load();
  }
});
if (sessionStorage.getItem(KEY)) void start();
`;
