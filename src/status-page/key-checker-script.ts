/**
 * The status page's only script: copy buttons, and the key checker that posts to `/verify` and shows each
 * key's result as its event arrives. Plain JavaScript in a string rather than a function's `toString()`,
 * because bundlers may rewrite functions (esbuild's `keepNames` adds calls to its own helpers) and the
 * page must not depend on how the gateway was bundled. It runs as `(SCRIPT)(labels)`; it renders only with
 * `textContent`, never `innerHTML`, so nothing an upstream says can become markup. The e2e test drives it.
 */
export const KEY_CHECKER_SCRIPT = String.raw`(t) => {
  const $ = (id) => document.getElementById(id);
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.addEventListener('click', async () => {
      const text = button.dataset.copy;
      try {
        await navigator.clipboard.writeText(text);
      } catch {
        const area = document.createElement('textarea');
        area.value = text;
        document.body.append(area);
        area.select();
        document.execCommand('copy');
        area.remove();
      }
      const label = button.textContent;
      button.textContent = t.copied;
      setTimeout(() => (button.textContent = label), 1500);
    });
  }

  const form = $('checker'), input = $('keys'), status = $('check-status'), rows = $('results'), submit = $('check');
  const show = (result) => {
    const tr = document.createElement('tr');
    tr.dataset.index = result.index;
    tr.className = 'v-' + result.verdict;
    const details = [result.retryDelayMs == null ? '' : fill(t.retry, { s: Math.ceil(result.retryDelayMs / 1000) }), result.verdict === 'ok' ? '' : result.message];
    for (const text of [result.index + 1, result.key, t.verdicts[result.verdict] || result.verdict, details.filter(Boolean).join(' — ')]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.append(td);
    }
    const next = [...rows.children].find((row) => Number(row.dataset.index) > result.index);
    rows.insertBefore(tr, next || null);
  };
  let pool = '';
  const started = (start) => {
    pool = start.source === 'server' ? t.serverPool : '';
    status.textContent = pool + fill(t.checking, { n: start.total });
  };
  const done = (summary) => (status.textContent = pool + fill(t.summary, summary));

  // One SSE block per event; /verify sends only single-line "event:" and "data:" fields.
  const readEvents = async (body, onEvent) => {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer = (buffer + value).replace(/\r\n?/g, '\n');
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        let event = 'message', data = '';
        for (const line of buffer.slice(0, end).split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data += line.slice(5).trim();
        }
        buffer = buffer.slice(end + 2);
        if (data) onEvent(event, JSON.parse(data));
      }
    }
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const keys = input.value.split(/[\s,]+/).filter(Boolean);
    rows.textContent = '';
    if (keys.length === 0) return void (status.textContent = t.empty);
    const streaming = typeof TextDecoderStream === 'function' && 'body' in Response.prototype;
    submit.disabled = true;
    pool = '';
    status.textContent = t.working;
    try {
      const response = await fetch('/verify', {
        method: 'POST',
        headers: { authorization: 'Bearer ' + keys.join(','), accept: streaming ? 'text/event-stream' : 'application/json' },
        cache: 'no-store',
      });
      if (!response.ok) {
        const body = await response.json().catch(() => null);
        throw new Error((body && body.error && body.error.message) || 'HTTP ' + response.status);
      }
      if (streaming && response.body && (response.headers.get('content-type') || '').includes('text/event-stream')) {
        let finished = false;
        await readEvents(response.body, (name, data) => {
          if (name === 'start') started(data);
          else if (name === 'key') show(data);
          else if (name === 'done') (finished = true), done(data);
        });
        if (!finished) throw new Error('the answer was cut short');
      } else {
        const body = await response.json();
        started({ total: body.results.length, source: body.source });
        body.results.forEach((result, index) => show({ index, ...result }));
        done(body.summary);
      }
    } catch (error) {
      status.textContent = t.failed + (error instanceof Error ? error.message : String(error));
    } finally {
      submit.disabled = false;
    }
  });
}`;
