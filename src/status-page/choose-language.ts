import { parseQualityList } from './parse-quality-list';

export type Language = 'en' | 'zh';

/**
 * The status page's language: `?lang=` when it names one we have, else the first of the browser's
 * `Accept-Language` choices (by `q`) that we have, else English.
 */
export function chooseLanguage(langParam: string | null, acceptLanguage: string | null): Language {
  const asked = supported(langParam?.trim().toLowerCase() ?? '');
  if (asked) return asked;
  for (const { value, q } of parseQualityList(acceptLanguage)) {
    const language = q > 0 ? supported(value) : undefined;
    if (language) return language;
  }
  return 'en';
}

function supported(tag: string): Language | undefined {
  if (tag === 'zh' || tag.startsWith('zh-')) return 'zh';
  if (tag === 'en' || tag.startsWith('en-')) return 'en';
  return undefined;
}
