/**
 * The status page's usage table: asks `GET /stats` with the token or keys the visitor enters and shows one
 * row per key and model. Plain JavaScript in a string for the same reason as the key checker's
 * (key-checker-script.ts); it renders only with `textContent`. The e2e test drives it.
 */
export const USAGE_TABLE_SCRIPT = String.raw`(t) => {
  const $ = (id) => document.getElementById(id);
  const fill = (text, value) => text.replace('{t}', value);
  const form = $('usage-form'), input = $('usage-token'), status = $('usage-status'), rows = $('usage-rows'), submit = $('usage-show');
  const time = (iso) => (iso ? new Date(iso).toLocaleString() : '');
  const row = (cells, className) => {
    const tr = document.createElement('tr');
    if (className) tr.className = className;
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = String(text);
      tr.append(td);
    }
    rows.append(tr);
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const credential = input.value.split(/[\s,]+/).filter(Boolean).join(',');
    rows.textContent = '';
    if (!credential) return void (status.textContent = t.empty);
    submit.disabled = true;
    status.textContent = t.working;
    try {
      const response = await fetch('/stats', { headers: { authorization: 'Bearer ' + credential }, cache: 'no-store' });
      const body = await response.json().catch(() => null);
      if (!response.ok) throw new Error((body && body.error && body.error.message) || 'HTTP ' + response.status);
      status.textContent = fill(body.scope === 'shared' ? t.shared : t.instance, body.day);
      for (const key of body.keys) {
        if (key.coolingUntil) row([key.key, t.wholeKey, '', '', '', '', '', '', fill(t.cooling, time(key.coolingUntil))], 'cooling');
        for (const m of key.models) {
          row(
            [key.key, m.model, m.requests, m.successes, m.rateLimited, m.failures, m.inputTokens, m.outputTokens, m.coolingUntil ? fill(t.cooling, time(m.coolingUntil)) : ''],
            m.coolingUntil ? 'cooling' : '',
          );
        }
      }
      if (!rows.children.length) row([t.none]);
    } catch (error) {
      status.textContent = t.failed + (error instanceof Error ? error.message : String(error));
    } finally {
      submit.disabled = false;
    }
  });
}`;
