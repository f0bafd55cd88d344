import type { RequestContext } from '@vercel/edge';
import { createGateway } from '../src/gateway';

/**
 * An Edge Function runs in the listed region nearest the caller. Every Vercel region except Hong Kong
 * (hkg1): Gemini does not serve Hong Kong, and hkg1 is the nearest region for users in mainland China, who
 * would get 400 "User location is not supported". Why and how to change it: docs/deploy.md, "Regions".
 */
export const config = {
  runtime: 'edge',
  regions: [
    'hnd1',
    'kix1',
    'icn1',
    'sin1',
    'bom1',
    'syd1',
    'fra1',
    'cdg1',
    'lhr1',
    'dub1',
    'arn1',
    'iad1',
    'cle1',
    'pdx1',
    'sfo1',
    'yul1',
    'gru1',
    'cpt1',
  ],
};

// Module scope: one gateway (and so one key pool) per edge instance.
const gateway = createGateway({ env: process.env });

// Vercel's RequestContext offers waitUntil: shared key-state writes finish after the answer has started.
export default function handler(request: Request, context?: RequestContext): Promise<Response> {
  return gateway(request, context && { waitUntil: (promise) => context.waitUntil(promise) });
}
