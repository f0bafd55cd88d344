export interface QualityItem {
  /** Lower-cased, parameters other than `q` dropped: `text/html`, `zh-cn`. */
  value: string;
  q: number;
}

/**
 * An `Accept`-style header (`Accept`, `Accept-Language`) as its items, highest `q` first, header order kept
 * among equals. A malformed `q` counts as 0, so a garbled preference never wins.
 * https://www.rfc-editor.org/rfc/rfc9110#name-quality-values
 */
export function parseQualityList(header: string | null): QualityItem[] {
  if (!header) return [];
  const items: QualityItem[] = [];
  for (const part of header.split(',')) {
    const [rawValue = '', ...params] = part.split(';');
    const value = rawValue.trim().toLowerCase();
    if (!value) continue;
    let q = 1;
    for (const param of params) {
      const [name = '', raw = ''] = param.split('=').map((piece) => piece.trim());
      if (name.toLowerCase() === 'q') q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(raw) ? Number(raw) : 0;
    }
    items.push({ value, q });
  }
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => b.item.q - a.item.q || a.index - b.index)
    .map(({ item }) => item);
}
