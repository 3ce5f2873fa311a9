// Pure data shaping for the dashboard: no DOM, no fetch.

/** The `n` UTC days ending at `today` (YYYY-MM-DD), oldest first. */
export function lastDays(today, n) {
  const end = Date.parse(today + 'T00:00:00Z');
  const days = [];
  for (let i = n - 1; i >= 0; i--) {
    days.push(new Date(end - i * 86_400_000).toISOString().slice(0, 10));
  }
  return days;
}

/** Today's UTC day, YYYY-MM-DD. */
export function todayUtc(now = new Date()) {
  return now.toISOString().slice(0, 10);
}

/**
 * Stock per sku and region from each region's low-stock answer (all of its levels).
 * @param {Map<string, Array<{sku: string, available: number}>>} itemsByRegion
 * @returns {{regions: string[], skus: string[], available: (sku: string, region: string) => number | undefined}}
 */
export function stockMatrix(itemsByRegion) {
  const regions = [...itemsByRegion.keys()].sort();
  const cells = new Map();
  for (const [region, items] of itemsByRegion) {
    for (const item of items) {
      cells.set(item.sku + '\u0000' + region, item.available);
    }
  }
  const skus = [...new Set([...itemsByRegion.values()].flat().map((i) => i.sku))].sort();
  return { regions, skus, available: (sku, region) => cells.get(sku + '\u0000' + region) };
}

/** Levels with available < threshold (strictly, as the API's low-stock), fewest first, then region, then sku. */
export function lowStockAlerts(matrix, threshold) {
  const alerts = [];
  for (const region of matrix.regions) {
    for (const sku of matrix.skus) {
      const available = matrix.available(sku, region);
      if (available !== undefined && available < threshold) {
        alerts.push({ sku, region, available });
      }
    }
  }
  return alerts.sort((a, b) => a.available - b.available || cmp(a.region, b.region) || cmp(a.sku, b.sku));
}

/** Units sold in a top-sellers answer: the sum of `qty` over its items. */
export function unitsSold(items) {
  return items.reduce((sum, item) => sum + item.qty, 0);
}

/** A positive integer from a query parameter, else the fallback. */
export function intParam(params, name, fallback, min = 0) {
  const raw = params.get(name);
  if (raw === null || !/^\d+$/.test(raw)) {
    return fallback;
  }
  const value = Number(raw);
  return value >= min ? value : fallback;
}

function cmp(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
