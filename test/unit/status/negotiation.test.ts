import { describe, expect, it } from 'vitest';
import { chooseLanguage } from '../../../src/status-page/choose-language';
import { parseQualityList } from '../../../src/status-page/parse-quality-list';
import { prefersHtml } from '../../../src/status-page/prefers-html';

const CHROME =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7';
const FIREFOX = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const SAFARI = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe('prefersHtml', () => {
  it.each([
    ['Chrome', CHROME, true],
    ['Firefox', FIREFOX, true],
    ['Safari', SAFARI, true],
    ['text/html alone', 'text/html', true],
    ['text/* ranked above JSON', 'text/*, application/json;q=0.5', true],
    ['curl', '*/*', false],
    ['no Accept header', null, false],
    ['empty Accept header', '', false],
    ['JSON', 'application/json', false],
    ['JSON preferred over HTML', 'application/json, text/html;q=0.9', false],
    ['a tie', 'text/html, application/json', false],
    ['HTML refused', 'text/html;q=0, */*', false],
    ['a malformed q', 'text/html;q=high, application/json;q=0.1', false],
    ['an event stream', 'text/event-stream', false],
  ])('%s → html: %s', (_, accept, expected) => {
    expect(prefersHtml(accept)).toBe(expected);
  });
});

describe('chooseLanguage', () => {
  it.each([
    [null, 'zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    [null, 'zh-TW', 'zh'],
    [null, 'ZH', 'zh'],
    [null, 'en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
    [null, 'en;q=0.5, zh-Hans;q=0.9', 'zh'],
    [null, 'fr-FR, zh;q=0.5', 'zh'],
    [null, 'fr-FR, de', 'en'],
    [null, 'zh;q=0, en', 'en'],
    [null, '*', 'en'],
    [null, null, 'en'],
    ['en', 'zh-CN', 'en'],
    ['zh', 'en-US', 'zh'],
    ['zh-cn', null, 'zh'],
    ['klingon', 'zh-CN', 'zh'],
  ] as const)('?lang=%s with Accept-Language %s → %s', (lang, acceptLanguage, expected) => {
    expect(chooseLanguage(lang, acceptLanguage)).toBe(expected);
  });
});

describe('parseQualityList', () => {
  it('orders by q, keeps header order among equals, drops parameters other than q', () => {
    expect(parseQualityList('a;q=0.5, B;level=1, c;q=1.000, d;q=0.5, , e;q=2')).toEqual([
      { value: 'b', q: 1 },
      { value: 'c', q: 1 },
      { value: 'a', q: 0.5 },
      { value: 'd', q: 0.5 },
      { value: 'e', q: 0 },
    ]);
  });
});
