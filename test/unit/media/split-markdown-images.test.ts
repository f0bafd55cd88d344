import { describe, expect, it } from 'vitest';
import { splitMarkdownImages } from '../../../src/media/split-markdown-images';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const image = { inlineData: { mimeType: 'image/png', data: PNG } };

describe('splitMarkdownImages', () => {
  it.each([
    ['plain text', [{ text: 'plain text' }]],
    [`Here: ![image](data:image/png;base64,${PNG})`, [{ text: 'Here: ' }, image]],
    [`![a](data:image/png;base64,${PNG})![b](data:image/png;base64,${PNG}) done`, [image, image, { text: ' done' }]],
    [`![x](data:image/webp;base64,UklGRg==)`, [{ inlineData: { mimeType: 'image/webp', data: 'UklGRg==' } }]],
    // Not ours: links to the web, broken base64, other media types stay text.
    ['![x](https://example.com/a.png)', [{ text: '![x](https://example.com/a.png)' }]],
    ['![x](data:image/png;base64,abcde)', [{ text: '![x](data:image/png;base64,abcde)' }]],
    ['![x](data:text/plain;base64,aGk=)', [{ text: '![x](data:text/plain;base64,aGk=)' }]],
  ])('%s', (text, parts) => {
    expect(splitMarkdownImages(text)).toEqual(parts);
  });

  // A backtracking pattern would not finish these within the test's timeout.
  it('scans a large image, and a large unterminated one, in one pass', () => {
    const big = 'A'.repeat(4_000_000);
    expect(splitMarkdownImages(`![image](data:image/png;base64,${big})`)).toEqual([
      { inlineData: { mimeType: 'image/png', data: big } },
    ]);
    expect(splitMarkdownImages(`![image](data:image/png;base64,${big}`)).toEqual([
      { text: `![image](data:image/png;base64,${big}` },
    ]);
  });
});
