import { parseQualityList, type QualityItem } from './parse-quality-list';

/**
 * Whether `GET /` should answer with the status page rather than the JSON status: only when the client
 * ranks `text/html` above `application/json`. Browsers do (`text/html` first, the wildcard at q=0.8); curl's
 * wildcard, an explicit JSON preference, a tie and a missing header all get JSON, which scripts and uptime
 * checks expect.
 */
export function prefersHtml(accept: string | null): boolean {
  const items = parseQualityList(accept);
  const html = qualityOf('text/html', items);
  return html > 0 && html > qualityOf('application/json', items);
}

/** The `q` of the most specific range that matches `type`: `text/html`, then `text/*`, then the wildcard. */
function qualityOf(type: string, items: readonly QualityItem[]): number {
  const family = `${type.slice(0, type.indexOf('/'))}/*`;
  for (const range of [type, family, '*/*']) {
    const match = items.find((item) => item.value === range);
    if (match) return match.q;
  }
  return 0;
}
