import * as z from 'zod/mini';

/**
 * What a Gemini 429 says about the quota that ran out. Free-tier quotas are per project and per model:
 * requests per minute, input tokens per minute, requests per day; the body's `google.rpc.QuotaFailure`
 * names which (`quotaId` such as `GenerateRequestsPerDayPerProjectPerModel-FreeTier`, the model in
 * `quotaDimensions.model`) and `google.rpc.RetryInfo` says how long to wait — there is no Retry-After header.
 * https://ai.google.dev/gemini-api/docs/rate-limits
 */
export interface ExhaustedQuota {
  /** `day` when any violated quota is daily (it wins over a per-minute one listed beside it); null when none is named. */
  window: 'minute' | 'day' | null;
  /** The model whose quota ran out; null for a project-wide quota or a 429 that names none: the whole key cools. */
  model: string | null;
  /** RetryInfo.retryDelay in ms; null when absent. Per-day 429s carry one too (seconds), which says nothing about the day. */
  retryDelayMs: number | null;
}

// Lenient: only the fields read here, anything else (and any new detail type) passes unseen.
const violationSchema = z.object({
  quotaId: z.optional(z.unknown()),
  quotaMetric: z.optional(z.unknown()),
  quotaDimensions: z.optional(z.unknown()),
});
const detailSchema = z.object({
  '@type': z.optional(z.unknown()),
  violations: z.optional(z.unknown()),
  retryDelay: z.optional(z.unknown()),
});
const errorBodySchema = z.object({ error: z.object({ details: z.optional(z.array(z.unknown())) }) });

const NOTHING: ExhaustedQuota = { window: null, model: null, retryDelayMs: null };

/**
 * `requestModel` is the model the request named: a per-model quota whose violation lacks the model
 * dimension (logs show it cut off) is still that model's.
 */
export function readQuotaFailure(body: string, requestModel: string | null): ExhaustedQuota {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return NOTHING;
  }
  const parsed = z.safeParse(errorBodySchema, json);
  if (!parsed.success) return NOTHING;
  let window: ExhaustedQuota['window'] = null;
  let model: string | null = null;
  let retryDelayMs: number | null = null;
  for (const raw of parsed.data.error.details ?? []) {
    const detail = z.safeParse(detailSchema, raw);
    if (!detail.success) continue;
    const type = detail.data['@type'];
    if (typeof type !== 'string') continue;
    if (type.endsWith('google.rpc.RetryInfo')) retryDelayMs ??= parseDuration(detail.data.retryDelay);
    if (!type.endsWith('google.rpc.QuotaFailure') || !Array.isArray(detail.data.violations)) continue;
    for (const rawViolation of detail.data.violations) {
      const violation = z.safeParse(violationSchema, rawViolation);
      if (!violation.success) continue;
      const id = `${stringOr(violation.data.quotaId)} ${stringOr(violation.data.quotaMetric)}`;
      const windowOfThis = /PerDay/i.test(id) ? 'day' : /PerMinute/i.test(id) ? 'minute' : null;
      if (windowOfThis === null) continue;
      if (window !== 'day') window = windowOfThis;
      const named = modelDimension(violation.data.quotaDimensions);
      const perModel = /PerModel/i.test(id);
      model ??= named ?? (perModel ? requestModel : null);
    }
  }
  return { window, model, retryDelayMs };
}

/** A protobuf Duration in JSON ("34s", "12.5s", "45.578569677s"), in ms; null when it is not one. */
export function parseDuration(value: unknown): number | null {
  const match = typeof value === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(value.trim()) : null;
  return match?.[1] ? Math.round(Number(match[1]) * 1000) : null;
}

function modelDimension(dimensions: unknown): string | null {
  if (typeof dimensions !== 'object' || dimensions === null) return null;
  const model = (dimensions as { model?: unknown }).model;
  return typeof model === 'string' && model.trim() ? model.trim().replace(/^models\//, '') : null;
}

function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
