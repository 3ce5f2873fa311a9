// The analytics API, through DashboardServer's signing proxy (same origin, so no credentials in the page).

export const STOCK_THRESHOLD = 1_000_000_000; // the API's maximum threshold: every level of the region
export const STOCK_LIMIT = 1000; // the API's maximum limit
export const SELLERS_LIMIT = 100; // the API's maximum limit

export class ApiError extends Error {
  constructor(path, status, detail) {
    super(`${path}: ${status}${detail ? ' ' + detail : ''}`);
    this.status = status;
  }
}

/** GETs /analytics/{path} and returns the parsed 200 body; throws ApiError otherwise. */
export async function analytics(path, params = {}) {
  const query = new URLSearchParams(params).toString();
  const url = '/api/analytics/' + path + (query ? '?' + query : '');
  const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
  const text = await response.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: reported below with the status
  }
  if (!response.ok || body === null) {
    const detail = body && (body.detail || body.message);
    throw new ApiError('/analytics/' + path, response.status, detail || text.slice(0, 200));
  }
  return body;
}

export const freshness = () => analytics('freshness');

/** Every level of a region: low-stock with the largest threshold. */
export const stockOf = (region) =>
  analytics('low-stock', { region, threshold: STOCK_THRESHOLD, limit: STOCK_LIMIT });

/** One day's best sellers of a region (up to the API's limit of 100 skus). */
export const sellersOn = (region, day) =>
  analytics('top-sellers', { region, from: day, to: day, limit: SELLERS_LIMIT });

/** Revenue, baskets and units per basket per region and store over the days from..to (every region). */
export const performanceOf = (from, to) => analytics('regional-performance', { from, to });

/** New, returning and anonymous baskets, the returning share and the category and size mix per region. */
export const behaviourOf = (from, to) => analytics('customer-behaviour', { from, to });

/** The skus with the most units refused as out of stock over the days from..to, every region. */
export const lostDemandOf = (from, to) => analytics('lost-demand', { from, to, limit: 10 });

/** A sku's demand forecast per region: the next 7 days, days of cover, units to reorder for a 7-day lead time. */
export const forecastOf = (sku) => analytics('forecast/' + encodeURIComponent(sku), { days: 7, leadTime: 7, history: 28 });
