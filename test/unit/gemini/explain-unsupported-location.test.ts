import { describe, expect, it } from 'vitest';
import { explainUnsupportedLocation } from '../../../src/gemini/explain-unsupported-location';

const body = (code: number, status: string, message: string) => JSON.stringify({ error: { code, message, status } });

describe('explainUnsupportedLocation', () => {
  it("keeps Gemini's code and status and says what to do in the message", () => {
    const explained = explainUnsupportedLocation(
      400,
      body(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.'),
    );
    expect(explained?.message).toMatch(
      /^User location is not supported for the API use\. .*not because of the API key/,
    );
    expect(explained?.message).toContain('regions` in api/index.ts');
    expect(JSON.parse(explained?.body ?? '')).toEqual({
      error: { code: 400, status: 'FAILED_PRECONDITION', message: explained?.message },
    });
  });

  it.each([
    [400, body(400, 'INVALID_ARGUMENT', 'Please use a valid role: user, model.')],
    [400, body(400, 'FAILED_PRECONDITION', 'Something else is not ready.')],
    [403, body(403, 'FAILED_PRECONDITION', 'User location is not supported for the API use.')],
    [400, 'FAILED_PRECONDITION: User location is not supported (not JSON)'],
  ])('leaves other answers alone (%i %s)', (status, text) => {
    expect(explainUnsupportedLocation(status, text)).toBeNull();
  });
});
