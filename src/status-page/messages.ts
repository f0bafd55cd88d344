import type { Language } from './choose-language';

/** What the key checker's script shows; `{s}`, `{n}`, `{ok}` and `{total}` are filled in by the script. */
export interface CheckerLabels {
  verdicts: Readonly<Record<'ok' | 'invalid' | 'denied' | 'rate-limited' | 'unreachable', string>>;
  retry: string;
  working: string;
  checking: string;
  serverPool: string;
  empty: string;
  failed: string;
  summary: string;
  copied: string;
}

/** What the usage table's script shows; `{t}` is filled in with a time. */
export interface UsageLabels {
  working: string;
  empty: string;
  failed: string;
  none: string;
  shared: string;
  instance: string;
  day: string;
  wholeKey: string;
  cooling: string;
}

export interface Messages {
  title: string;
  running: string;
  switchTo: string;
  urls: string;
  openaiUrl: string;
  nativeUrl: string;
  genaiUrl: string;
  anthropicUrl: string;
  copy: string;
  keys: string;
  pool: (count: number) => string;
  noPool: string;
  clientKeys: string;
  noClientKeys: string;
  sendKeys: string;
  models: string;
  openaiName: string;
  geminiModel: string;
  fromModelMap: string;
  otherModels: (fallback: string) => string;
  checker: string;
  checkerHint: string;
  placeholder: string;
  check: string;
  columns: readonly [string, string, string, string];
  script: CheckerLabels;
  usage: string;
  usageHint: string;
  usageShared: string;
  usageInstance: string;
  usagePlaceholder: string;
  showUsage: string;
  usageColumns: readonly [string, string, string, string, string, string, string, string, string];
  usageScript: UsageLabels;
}

export const MESSAGES: Readonly<Record<Language, Messages>> = {
  en: {
    title: 'Gemini API gateway',
    running: 'Running',
    switchTo: '中文',
    urls: 'Base URLs',
    openaiUrl: 'OpenAI-compatible clients (Cherry Studio, Codex CLI, the openai SDK…)',
    nativeUrl: 'Gemini API, native (REST, curl)',
    genaiUrl: '@google/genai — httpOptions.baseUrl',
    anthropicUrl: 'Claude Code (ANTHROPIC_BASE_URL), the Anthropic SDK',
    copy: 'Copy',
    keys: 'Keys',
    pool: (count) => `Server key pool: ${count} ${count === 1 ? 'key' : 'keys'}, used by holders of an access token.`,
    noPool: 'No server key pool: callers bring their own Gemini keys.',
    clientKeys: 'Callers may bring their own Gemini keys.',
    noClientKeys: 'Callers’ own Gemini keys are refused; an access token is required.',
    sendKeys:
      'Send keys or a token as "Authorization: Bearer KEY1,KEY2", "x-api-key: KEY", "x-goog-api-key: KEY" or "?key=KEY".',
    models: 'Model mapping (OpenAI surface)',
    openaiName: 'OpenAI model name',
    geminiModel: 'Gemini model',
    fromModelMap: 'MODEL_MAP',
    otherModels: (fallback) =>
      `Names starting with gemini-, gemma- or learnlm- are used as they are; any other name is served by ${fallback}.`,
    checker: 'Key checker',
    checkerHint:
      'Paste Gemini keys (comma or newline separated) or an access token. They are sent only to this gateway, which lists one model per key: no generation quota is spent.',
    placeholder: 'AIza…, AIza…',
    check: 'Check keys',
    columns: ['#', 'Key', 'Result', 'Details'],
    script: {
      verdicts: {
        ok: 'OK',
        invalid: 'Invalid',
        denied: 'Denied / leaked',
        'rate-limited': 'Rate limited',
        unreachable: 'Unreachable',
      },
      retry: 'retry in {s} s',
      working: 'Checking…',
      checking: 'Checking {n} keys…',
      serverPool: '[server key pool] ',
      empty: 'Enter at least one key or token.',
      failed: 'The check failed: ',
      summary: '{ok} of {total} keys work.',
      copied: 'Copied',
    },
    usage: 'Usage today',
    usageHint:
      'Requests, answers, 429s and tokens per key and model since midnight Pacific time (when Gemini’s daily quotas reset), and which keys are cooling down. Enter an access token for the server pool, or your own keys.',
    usageShared: 'Shared state (Redis) is on: these are every instance’s numbers.',
    usageInstance:
      'No shared state is configured: these numbers are this instance’s only. Vercel runs many instances, each counting its own since it started; set UPSTASH_REDIS_REST_URL and UPSTASH_REDIS_REST_TOKEN to count them together.',
    usagePlaceholder: 'Access token or keys',
    showUsage: 'Show usage',
    usageColumns: [
      'Key',
      'Model',
      'Requests',
      'OK',
      '429',
      'Other failures',
      'Input tokens',
      'Output tokens',
      'Cooling until',
    ],
    usageScript: {
      working: 'Loading…',
      empty: 'Enter an access token or at least one key.',
      failed: 'Could not load the numbers: ',
      none: 'No requests yet today.',
      shared: 'All instances (shared state) · Pacific day {t}',
      instance: 'This instance only · Pacific day {t}',
      day: '{t}',
      wholeKey: 'every model',
      cooling: 'until {t}',
    },
  },
  zh: {
    title: 'Gemini API 网关',
    running: '运行中',
    switchTo: 'English',
    urls: '接口地址',
    openaiUrl: 'OpenAI 兼容客户端（Cherry Studio、Codex CLI、openai SDK 等）',
    nativeUrl: 'Gemini 原生 API（REST、curl）',
    genaiUrl: '@google/genai 的 httpOptions.baseUrl',
    anthropicUrl: 'Claude Code（ANTHROPIC_BASE_URL）、Anthropic SDK',
    copy: '复制',
    keys: '密钥',
    pool: (count) => `服务器密钥池：${count} 个密钥，持访问令牌即可使用。`,
    noPool: '未配置服务器密钥池：调用方需自带 Gemini 密钥。',
    clientKeys: '允许调用方自带 Gemini 密钥。',
    noClientKeys: '不接受调用方自带的 Gemini 密钥，必须使用访问令牌。',
    sendKeys:
      '密钥或令牌可放在 "Authorization: Bearer KEY1,KEY2"、"x-api-key: KEY"、"x-goog-api-key: KEY" 或 "?key=KEY" 中。',
    models: '模型映射（OpenAI 接口）',
    openaiName: 'OpenAI 模型名',
    geminiModel: 'Gemini 模型',
    fromModelMap: 'MODEL_MAP',
    otherModels: (fallback) => `以 gemini-、gemma- 或 learnlm- 开头的模型名原样使用；其他模型名由 ${fallback} 提供。`,
    checker: '密钥检测',
    checkerHint:
      '粘贴 Gemini 密钥（用逗号或换行分隔）或访问令牌。密钥只发送到本网关，每个密钥仅列出一个模型，不消耗生成配额。',
    placeholder: 'AIza…, AIza…',
    check: '检测',
    columns: ['#', '密钥', '结果', '详情'],
    script: {
      verdicts: {
        ok: '可用',
        invalid: '无效',
        denied: '被拒绝 / 已泄露',
        'rate-limited': '已限流',
        unreachable: '无法连接',
      },
      retry: '{s} 秒后重试',
      working: '检测中…',
      checking: '正在检测 {n} 个密钥…',
      serverPool: '【服务器密钥池】',
      empty: '请至少输入一个密钥或令牌。',
      failed: '检测失败：',
      summary: '{total} 个密钥中 {ok} 个可用。',
      copied: '已复制',
    },
    usage: '今日用量',
    usageHint:
      '从太平洋时间零点（Gemini 每日配额重置的时刻）起，每个密钥、每个模型的请求数、成功数、429 次数和 token 数，以及哪些密钥正在冷却。输入访问令牌查看服务器密钥池，或输入你自己的密钥。',
    usageShared: '已启用共享状态（Redis）：这里是所有实例的合计。',
    usageInstance:
      '未配置共享状态：这些数字仅来自当前这一个实例。Vercel 会同时运行多个实例，每个实例从启动起各自计数；设置 UPSTASH_REDIS_REST_URL 和 UPSTASH_REDIS_REST_TOKEN 即可合并统计。',
    usagePlaceholder: '访问令牌或密钥',
    showUsage: '查看用量',
    usageColumns: ['密钥', '模型', '请求', '成功', '429', '其他失败', '输入 token', '输出 token', '冷却至'],
    usageScript: {
      working: '加载中…',
      empty: '请输入访问令牌或至少一个密钥。',
      failed: '无法加载：',
      none: '今天还没有请求。',
      shared: '所有实例（共享状态）· 太平洋时间 {t}',
      instance: '仅当前实例 · 太平洋时间 {t}',
      day: '{t}',
      wholeKey: '所有模型',
      cooling: '至 {t}',
    },
  },
};
