import type { Language } from './choose-language';
import { escapeHtml } from './escape-html';
import { KEY_CHECKER_SCRIPT } from './key-checker-script';
import { MESSAGES } from './messages';
import { USAGE_TABLE_SCRIPT } from './usage-table-script';

export interface ModelRow {
  alias: string;
  model: string;
  /** Set (or changed) by MODEL_MAP rather than the built-in table. */
  overridden: boolean;
}

export interface StatusPageView {
  language: Language;
  name: string;
  version: string;
  /** The gateway's origin as the browser reached it, e.g. https://my-gateway.vercel.app */
  origin: string;
  models: readonly ModelRow[];
  fallbackModel: string;
  serverKeyCount: number;
  allowClientKeys: boolean;
  /** Whether key-pool state is shared through Redis; without it the usage numbers are one instance's. */
  sharedState: boolean;
  /** Per-response CSP nonce that lets the page's own style and script run, and nothing else. */
  nonce: string;
}

/**
 * The status page as one self-contained document: no external assets, so the CSP can forbid every
 * source but this page's own inline style and script. Everything interpolated is escaped; the script's
 * data goes in as JSON with `<` escaped, so no value can close the `<script>` element.
 */
export function renderStatusPage(view: StatusPageView): string {
  const t = MESSAGES[view.language];
  const e = escapeHtml;
  const nonce = e(view.nonce);
  const urls: [string, string][] = [
    [t.openaiUrl, `${view.origin}/v1`],
    [t.nativeUrl, `${view.origin}/v1beta`],
    [t.genaiUrl, view.origin],
    [t.anthropicUrl, view.origin],
  ];
  const urlRows = urls
    .map(
      ([label, url]) =>
        `<dt>${e(label)}</dt><dd><code>${e(url)}</code><button type="button" data-copy="${e(url)}">${e(t.copy)}</button></dd>`,
    )
    .join('');
  const modelRows = view.models
    .map(
      (row) =>
        `<tr><td><code>${e(row.alias)}</code></td><td><code>${e(row.model)}</code>${row.overridden ? ` <span class="tag">${e(t.fromModelMap)}</span>` : ''}</td></tr>`,
    )
    .join('');
  const labels = JSON.stringify(t.script).replace(/</g, '\\u003c');
  const usageLabels = JSON.stringify(t.usageScript).replace(/</g, '\\u003c');
  const other = view.language === 'en' ? 'zh' : 'en';

  return `<!doctype html>
<html lang="${view.language === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${e(view.name)} — ${e(t.title)}</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
<header><h1>${e(view.name)} <span class="ver">v${e(view.version)}</span></h1><span class="ok">${e(t.running)}</span><a class="lang" href="?lang=${other}" hreflang="${other}">${e(t.switchTo)}</a></header>
<p class="sub">${e(t.title)}</p>
<section><h2>${e(t.urls)}</h2><dl>${urlRows}</dl></section>
<section><h2>${e(t.keys)}</h2><ul>
<li id="pool">${e(view.serverKeyCount > 0 ? t.pool(view.serverKeyCount) : t.noPool)}</li>
<li id="client-keys">${e(view.allowClientKeys ? t.clientKeys : t.noClientKeys)}</li>
<li class="muted">${e(t.sendKeys)}</li></ul></section>
<section><h2>${e(t.models)}</h2><table id="models"><thead><tr><th>${e(t.openaiName)}</th><th>${e(t.geminiModel)}</th></tr></thead><tbody>${modelRows}</tbody></table>
<p class="muted">${e(t.otherModels(view.fallbackModel))}</p></section>
<section><h2>${e(t.checker)}</h2><p class="muted">${e(t.checkerHint)}</p>
<form id="checker" autocomplete="off"><textarea id="keys" rows="4" spellcheck="false" autocapitalize="off" placeholder="${e(t.placeholder)}" aria-label="${e(t.checker)}"></textarea>
<button id="check" type="submit">${e(t.check)}</button> <span id="check-status" role="status"></span></form>
<table><thead><tr>${t.columns.map((column) => `<th>${e(column)}</th>`).join('')}</tr></thead><tbody id="results"></tbody></table></section>
<section><h2>${e(t.usage)}</h2><p class="muted">${e(t.usageHint)}</p>
<p id="usage-scope" class="${view.sharedState ? 'shared' : 'instance'}">${e(view.sharedState ? t.usageShared : t.usageInstance)}</p>
<form id="usage-form" autocomplete="off"><input id="usage-token" type="password" spellcheck="false" autocapitalize="off" placeholder="${e(t.usagePlaceholder)}" aria-label="${e(t.usagePlaceholder)}">
<button id="usage-show" type="submit">${e(t.showUsage)}</button> <span id="usage-status" role="status"></span></form>
<div class="scroll"><table><thead><tr>${t.usageColumns.map((column) => `<th>${e(column)}</th>`).join('')}</tr></thead><tbody id="usage-rows"></tbody></table></div></section>
</main>
<script nonce="${nonce}">(${KEY_CHECKER_SCRIPT})(${labels});(${USAGE_TABLE_SCRIPT})(${usageLabels});</script>
</body>
</html>
`;
}

const STYLE = `
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--fg:#1b1f24;--mute:#667085;--line:#e4e7ec;--acc:#1a73e8}
@media(prefers-color-scheme:dark){:root{--bg:#111418;--card:#1a1e24;--fg:#e6e8eb;--mute:#98a2b3;--line:#2c323a;--acc:#8ab4f8}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif}
main{max-width:860px;margin:0 auto;padding:28px 20px 48px}
header{display:flex;align-items:center;gap:12px;flex-wrap:wrap}
h1{font-size:24px;margin:0}.ver{color:var(--mute);font-weight:400;font-size:16px}
.ok{background:#e6f4ea;color:#137333;border-radius:99px;padding:2px 12px;font-size:13px;font-weight:600}
.ok::before{content:"● "}
.lang{margin-left:auto;color:var(--acc)}
.sub{color:var(--mute);margin:4px 0 20px}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin:14px 0}
h2{font-size:16px;margin:0 0 10px}
dl{margin:0}dt{color:var(--mute);font-size:13px;margin-top:8px}
dd{margin:2px 0 0;display:flex;gap:8px;align-items:center}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:3px 8px;overflow-wrap:anywhere}
button{font:inherit;font-size:13px;border:1px solid var(--line);background:var(--card);color:var(--fg);border-radius:6px;padding:3px 10px;cursor:pointer}
button[type=submit]{background:var(--acc);border-color:var(--acc);color:#fff;padding:6px 16px;margin-top:8px}
button:disabled{opacity:.6}
ul{margin:0;padding-left:20px}.muted{color:var(--mute);font-size:13px}
table{width:100%;border-collapse:collapse;margin-top:8px;font-size:14px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}th{color:var(--mute);font-weight:500}
td code{padding:1px 6px}
.tag{font-size:11px;background:#fef7e0;color:#8d5b00;border-radius:4px;padding:1px 6px}
textarea{width:100%;font:13px ui-monospace,Menlo,Consolas,monospace;border:1px solid var(--line);border-radius:8px;padding:8px;background:var(--bg);color:var(--fg)}
#results td:nth-child(2){font-family:ui-monospace,Menlo,Consolas,monospace}
#results td:nth-child(3){font-weight:600;white-space:nowrap}
.v-ok td:nth-child(3){color:#137333}.v-invalid td:nth-child(3){color:#c5221f}.v-denied td:nth-child(3){color:#a50e0e}
.v-rate-limited td:nth-child(3){color:#b06000}.v-unreachable td:nth-child(3){color:var(--mute)}
#usage-token{font:13px ui-monospace,Menlo,Consolas,monospace;border:1px solid var(--line);border-radius:8px;padding:6px 8px;background:var(--bg);color:var(--fg);width:min(100%,360px)}
#usage-scope{font-size:13px;border-radius:6px;padding:6px 10px;margin:8px 0}#usage-scope.instance{background:#fef7e0;color:#8d5b00}#usage-scope.shared{background:#e6f4ea;color:#137333}
.scroll{overflow-x:auto}#usage-rows td:nth-child(n+3){font-variant-numeric:tabular-nums}#usage-rows td:first-child{font-family:ui-monospace,Menlo,Consolas,monospace}#usage-rows td:nth-child(-n+2){white-space:nowrap}
#usage-rows .cooling td:last-child{color:#b06000;font-weight:600}
`
  .trim()
  .replace(/\n/g, '');
