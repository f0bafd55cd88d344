/** Kept in step with package.json's version (a unit test checks it). */
export const VERSION = '1.0.0';
export const NAME = 'gemini-balance-lite';
