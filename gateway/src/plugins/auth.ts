/**
 * Authentication: `Authorization: Bearer <API key>` resolves to a principal
 * before any route that needs one runs. A bad or missing key gets 401 and
 * nothing else — the same answer whatever was wrong with it.
 */
import type { PrincipalStore } from '@warden/access';
import type { Principal } from '@warden/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sendError } from '../http-errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Routes that answer without a principal (health, metrics). */
    public?: boolean;
  }
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string' || h.length > 512) return undefined;
  const m = /^Bearer ([A-Za-z0-9_-]+)$/.exec(h);
  return m?.[1];
}

async function authPlugin(app: FastifyInstance, opts: { principals: PrincipalStore }): Promise<void> {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (req, reply) => {
    if (req.routeOptions.config?.public || !req.routeOptions.url) return;
    const key = bearer(req);
    const principal = key ? await opts.principals.authenticateApiKey(key) : undefined;
    if (!principal) {
      reply.header('www-authenticate', 'Bearer realm="warden"');
      return sendError(reply, 'UNAUTHENTICATED');
    }
    req.principal = principal;
  });
}

export default fp(authPlugin, { name: '@warden/auth' });
