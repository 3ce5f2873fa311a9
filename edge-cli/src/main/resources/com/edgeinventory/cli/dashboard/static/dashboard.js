// The analysts' dashboard: reads the central analytics API every few seconds and draws it.
import { behaviourOf, forecastOf, freshness, lostDemandOf, performanceOf, sellersOn, stockOf, SELLERS_LIMIT,
  STOCK_LIMIT } from './api.js';
import { intParam, lastDays, lowStockAlerts, stockMatrix, todayUtc, unitsSold } from './data.js';

const params = new URLSearchParams(location.search);
const REFRESH_SECONDS = intParam(params, 'refresh', 5); // 0: no automatic refresh
const STALE_SECONDS = intParam(params, 'stale', 60);
const SALES_DAYS = intParam(params, 'days', 14, 1);
/** Days before yesterday rarely change: their sums are fetched again after this long, not on every refresh. */
const PAST_DAY_TTL_MS = 60_000;
const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

const $ = (id) => document.getElementById(id);
const state = { matrix: null, refreshes: 0 };
const daySums = new Map(); // "region|day" -> {units, truncated, at}
let stockChart = null;
let salesChart = null;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) {
      node.setAttribute(key, String(value));
    }
  }
  node.append(...children.map((c) => (c instanceof Node ? c : document.createTextNode(String(c)))));
  return node;
}

const color = (i) => COLORS[i % COLORS.length];
const fmt = (n) => n.toLocaleString('en-US');

async function daySum(region, day, yesterday) {
  const key = region + '|' + day;
  const cached = daySums.get(key);
  if (cached && day < yesterday && Date.now() - cached.at < PAST_DAY_TTL_MS) {
    return cached;
  }
  const answer = await sellersOn(region, day);
  const sum = { units: unitsSold(answer.items), truncated: answer.items.length >= SELLERS_LIMIT, at: Date.now() };
  daySums.set(key, sum);
  return sum;
}

async function load() {
  const fresh = await freshness();
  const regions = fresh.items.map((i) => i.region).sort();
  const today = todayUtc();
  const days = lastDays(today, SALES_DAYS);
  const yesterday = lastDays(today, 2)[0];
  const errors = [];
  const stock = await Promise.allSettled(regions.map((r) => stockOf(r)));
  const itemsByRegion = new Map();
  const truncatedStock = [];
  stock.forEach((result, i) => {
    if (result.status === 'fulfilled') {
      itemsByRegion.set(regions[i], result.value.items);
      if (result.value.items.length >= STOCK_LIMIT) {
        truncatedStock.push(regions[i]);
      }
    } else {
      errors.push(result.reason.message);
    }
  });
  const sales = await Promise.all(regions.map(async (region) => {
    const points = await Promise.allSettled(days.map((day) => daySum(region, day, yesterday)));
    return points.map((p) => {
      if (p.status === 'rejected') {
        errors.push(p.reason.message);
        return null;
      }
      return p.value;
    });
  }));
  const [performance, behaviour, lost] = await Promise.allSettled([performanceOf(days[0], today),
    behaviourOf(days[0], today), lostDemandOf(days[0], today)]);
  [performance, behaviour, lost].filter((r) => r.status === 'rejected').forEach((r) => errors.push(r.reason.message));
  const matrix = stockMatrix(itemsByRegion);
  const lostItems = lost.status === 'fulfilled' ? lost.value.items : null;
  // The sku typed in, else the most refused one, else the first in stock.
  const sku = $('forecast-sku').value.trim() || (lostItems && lostItems.length > 0 ? lostItems[0].sku : matrix.skus[0]);
  let forecast = null;
  if (sku) {
    try {
      forecast = { sku, items: (await forecastOf(sku)).items };
    } catch (e) {
      errors.push(e.message);
    }
  }
  return { fresh: fresh.items, regions, days, matrix, truncatedStock, sales, errors,
    performance: performance.status === 'fulfilled' ? performance.value.items : null,
    behaviour: behaviour.status === 'fulfilled' ? behaviour.value.items : null,
    lost: lostItems, forecast };
}

const amountsText = (amounts) => Object.entries(amounts || {}).map(([c, a]) => `${a} ${c}`).join(', ');
const topOf = (units, n = 3) => Object.entries(units || {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  .slice(0, n).map(([k, v]) => `${k} ${fmt(v)}`).join(', ');

function renderPerformance(items) {
  if (items === null) {
    return; // the error is listed; the last table stays
  }
  $('performance-body').replaceChildren(...items.map((row) => el('tr', { 'data-testid': 'performance-row',
    'data-region': row.region, 'data-store': row.store, class: row.store === 'ALL' ? 'subtotal' : '' },
  el('th', { scope: 'row' }, row.region), el('td', {}, row.store),
  el('td', { 'data-testid': 'performance-baskets', 'data-value': row.baskets, class: 'num' }, fmt(row.baskets)),
  el('td', { 'data-testid': 'performance-units', 'data-value': row.units, class: 'num' }, fmt(row.units)),
  el('td', { 'data-testid': 'performance-upb', 'data-value': row.unitsPerBasket ?? '', class: 'num' },
    row.unitsPerBasket ?? '—'),
  el('td', { 'data-testid': 'performance-revenue', 'data-value': amountsText(row.amounts), class: 'num' },
    amountsText(row.amounts)))));
  $('performance-empty').hidden = items.length > 0;
}

function renderLost(items) {
  if (items === null) {
    return;
  }
  $('lost-body').replaceChildren(...items.map((row) => el('tr', { 'data-testid': 'lost-row', 'data-region': row.region,
    'data-sku': row.sku },
  el('td', { class: 'num' }, row.rank), el('td', {}, row.region), el('th', { scope: 'row' }, row.sku),
  el('td', { 'data-testid': 'lost-units', 'data-value': row.refusedUnits, class: 'num' }, fmt(row.refusedUnits)),
  el('td', { 'data-testid': 'lost-refusals', 'data-value': row.refusals, class: 'num' }, fmt(row.refusals)),
  el('td', { 'data-testid': 'lost-offered', 'data-value': row.offered, class: 'num' }, fmt(row.offered)),
  el('td', { 'data-testid': 'lost-alternatives-bought', 'data-value': row.alternativesBought ?? 0, class: 'num' },
    fmt(row.alternativesBought ?? 0)))));
  $('lost-empty').hidden = items.length > 0;
}

function renderForecast(forecast) {
  if (forecast === null) {
    return;
  }
  $('forecast').dataset.sku = forecast.sku;
  $('forecast-body').replaceChildren(...forecast.items.map((row) => el('tr', { 'data-testid': 'forecast-row',
    'data-region': row.region, 'data-sku': forecast.sku },
  el('th', { scope: 'row' }, row.region), el('td', {}, row.method),
  el('td', { 'data-testid': 'forecast-units', 'data-value': row.forecastUnits, class: 'num' }, row.forecastUnits),
  el('td', { 'data-testid': 'forecast-available', 'data-value': row.available, class: 'num' }, fmt(row.available)),
  el('td', { 'data-testid': 'forecast-cover', 'data-value': row.daysOfCover ?? '', class: 'num' },
    row.daysOfCover ?? '—'),
  el('td', { 'data-testid': 'forecast-reorder', 'data-value': row.reorderUnits, class: 'num' },
    fmt(row.reorderUnits)))));
}

function renderBehaviour(items) {
  if (items === null) {
    return;
  }
  $('behaviour-body').replaceChildren(...items.map((row) => el('tr', { 'data-testid': 'behaviour-row',
    'data-region': row.region },
  el('th', { scope: 'row' }, row.region),
  el('td', { 'data-testid': 'behaviour-baskets', 'data-value': row.baskets, class: 'num' }, fmt(row.baskets)),
  el('td', { 'data-testid': 'behaviour-new', 'data-value': row.new, class: 'num' }, fmt(row.new)),
  el('td', { 'data-testid': 'behaviour-returning', 'data-value': row.returning, class: 'num' }, fmt(row.returning)),
  el('td', { 'data-testid': 'behaviour-anonymous', 'data-value': row.anonymous, class: 'num' }, fmt(row.anonymous)),
  el('td', { 'data-testid': 'behaviour-share', 'data-value': row.returningShare ?? '', class: 'num' },
    row.returningShare === null || row.returningShare === undefined ? '—'
      : (Number(row.returningShare) * 100).toFixed(1) + ' %'),
  el('td', { 'data-testid': 'behaviour-categories' }, topOf(row.categories)),
  el('td', { 'data-testid': 'behaviour-sizes' }, topOf(row.sizes)))));
}

function renderFreshness(items) {
  const body = $('freshness-body');
  body.replaceChildren(...items.map((item) => {
    const stale = item.lagSeconds > STALE_SECONDS;
    return el('tr', { 'data-testid': 'freshness-row', 'data-region': item.region, 'data-stale': stale,
      class: stale ? 'stale' : 'fresh' },
      el('th', { scope: 'row' }, item.region),
      el('td', { 'data-testid': 'freshness-lag', 'data-value': item.lagSeconds, class: 'num' },
        fmt(item.lagSeconds) + ' s'),
      el('td', { 'data-testid': 'freshness-newest', 'data-value': item.newestEventAt }, item.newestEventAt),
      el('td', {}, stale ? `stale (> ${STALE_SECONDS} s)` : 'ok'));
  }));
  $('freshness-empty').hidden = items.length > 0;
}

function renderStockTable(matrix, truncated) {
  $('stock-head').replaceChildren(el('tr', {}, el('th', { scope: 'col' }, 'SKU'),
    ...matrix.regions.map((r) => el('th', { scope: 'col', class: 'num', 'data-region': r }, r))));
  $('stock-body').replaceChildren(...matrix.skus.map((sku) => el('tr', { 'data-sku': sku },
    el('th', { scope: 'row' }, sku),
    ...matrix.regions.map((region) => {
      const value = matrix.available(sku, region);
      return el('td', { 'data-testid': 'stock-cell', 'data-sku': sku, 'data-region': region,
        'data-value': value ?? '', class: 'num' }, value === undefined ? '—' : fmt(value));
    }))));
  $('stock-empty').hidden = matrix.skus.length > 0;
  $('stock-truncated').hidden = truncated.length === 0;
  $('stock-truncated').textContent = `Only the first ${STOCK_LIMIT} skus of ${truncated.join(', ')} are shown.`;
}

function renderStockChart(matrix) {
  const datasets = matrix.regions.map((region, i) => ({
    label: region,
    data: matrix.skus.map((sku) => matrix.available(sku, region) ?? null),
    backgroundColor: color(i),
  }));
  if (!stockChart) {
    stockChart = new Chart($('stock-chart'), {
      type: 'bar',
      data: { labels: matrix.skus, datasets },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: 'available' } } },
      },
    });
  } else {
    stockChart.data.labels = matrix.skus;
    stockChart.data.datasets = datasets;
    stockChart.update('none');
  }
  $('stock-legend').replaceChildren(...datasets.flatMap((ds) => matrix.skus.map((sku, j) => ds.data[j] === null ? null
    : el('tr', {}, el('td', {}, sku), el('td', {}, ds.label),
      el('td', { 'data-testid': 'stock-chart-value', 'data-sku': sku, 'data-region': ds.label,
        'data-value': ds.data[j], class: 'num' }, fmt(ds.data[j])))).filter((row) => row !== null)));
}

function renderSalesChart(regions, days, sales) {
  const datasets = regions.map((region, i) => ({
    label: region,
    data: sales[i].map((p) => (p === null ? null : p.units)),
    borderColor: color(i),
    backgroundColor: color(i),
    tension: 0, // straight segments: a curve would overshoot between days
  }));
  if (!salesChart) {
    salesChart = new Chart($('sales-chart'), {
      type: 'line',
      data: { labels: days, datasets },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false,
        scales: { y: { beginAtZero: true, title: { display: true, text: 'units sold' } } },
      },
    });
  } else {
    salesChart.data.labels = days;
    salesChart.data.datasets = datasets;
    salesChart.update('none');
  }
  $('sales-head').replaceChildren(el('tr', {}, el('th', { scope: 'col' }, 'day (UTC)'),
    ...regions.map((r) => el('th', { scope: 'col', class: 'num' }, r))));
  $('sales-legend').replaceChildren(...days.map((day, j) => el('tr', {}, el('th', { scope: 'row' }, day),
    ...regions.map((region, i) => {
      const point = sales[i][j];
      return el('td', { 'data-testid': 'sales-chart-value', 'data-day': day, 'data-region': region,
        'data-value': point === null ? '' : point.units, 'data-truncated': point !== null && point.truncated,
        class: 'num' }, point === null ? '—' : (point.truncated ? '≥ ' : '') + fmt(point.units));
    }))));
  const totals = regions.map((region, i) => sales[i].reduce((sum, p) => sum + (p === null ? 0 : p.units), 0));
  $('sales-summary').replaceChildren(...regions.map((region, i) => el('li', { 'data-testid': 'sales-total',
    'data-region': region, 'data-value': totals[i] }, `${region}: ${fmt(totals[i])} units in ${days.length} days`)));
}

function renderAlerts() {
  const threshold = Number($('alert-threshold').value);
  const valid = Number.isInteger(threshold) && threshold >= 0;
  const alerts = state.matrix && valid ? lowStockAlerts(state.matrix, threshold) : [];
  $('alerts').replaceChildren(...alerts.map((a) => el('li', { 'data-testid': 'alert', 'data-sku': a.sku,
    'data-region': a.region, 'data-value': a.available, class: a.available === 0 ? 'out' : 'low' },
    el('strong', {}, a.sku), ` in ${a.region}: `,
    el('span', { class: 'num' }, fmt(a.available)), ' available')));
  $('alert-count').dataset.value = String(alerts.length);
  $('alert-count').textContent = alerts.length === 0 ? 'no alerts' : `${alerts.length} alert${alerts.length > 1 ? 's' : ''}`;
}

function renderErrors(errors) {
  const box = $('errors');
  box.hidden = errors.length === 0;
  box.replaceChildren(...errors.slice(0, 10).map((e) => el('li', {}, e)));
}

async function refresh() {
  try {
    const data = await load();
    state.matrix = data.matrix;
    renderFreshness(data.fresh);
    renderStockTable(data.matrix, data.truncatedStock);
    renderStockChart(data.matrix);
    renderSalesChart(data.regions, data.days, data.sales);
    renderPerformance(data.performance);
    renderBehaviour(data.behaviour);
    renderLost(data.lost);
    renderForecast(data.forecast);
    renderAlerts();
    renderErrors(data.errors);
    state.refreshes += 1;
    document.body.dataset.refreshes = String(state.refreshes);
    document.body.dataset.state = data.errors.length === 0 ? 'ready' : 'partial';
    $('updated').textContent = 'Updated ' + new Date().toISOString().slice(11, 19) + ' UTC';
  } catch (e) {
    renderErrors([e.message]);
    document.body.dataset.state = 'error';
  } finally {
    if (REFRESH_SECONDS > 0) {
      setTimeout(refresh, REFRESH_SECONDS * 1000);
    }
  }
}

$('alert-threshold').value = String(intParam(params, 'threshold', 10));
$('alert-threshold').addEventListener('input', renderAlerts);
$('refresh-every').textContent = REFRESH_SECONDS > 0 ? `refreshes every ${REFRESH_SECONDS} s` : 'no automatic refresh';
$('sales-days').textContent = String(SALES_DAYS);
document.querySelectorAll('.range-days').forEach((span) => { span.textContent = String(SALES_DAYS); });
$('stale-seconds').textContent = String(STALE_SECONDS);
refresh();
