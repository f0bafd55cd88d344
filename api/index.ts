import type { RequestContext } from '@vercel/edge';
import { createGateway } from '../src/gateway';

export const config = { runtime: 'edge' };

// Module scope: one gateway (and so one key pool) per edge instance.
const gateway = createGateway({ env: process.env });

export default function handler(request: Request, _context?: RequestContext): Promise<Response> {
  return gateway(request);
}
