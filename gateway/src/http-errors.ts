/** How errors leave Warden over HTTP: catalogue codes only, a request id for anything unexpected. */
import { ERRORS, type ErrorCode, formatMessage, type WardenError } from '@warden/core';
import type { FastifyReply } from 'fastify';

export interface ClientError {
  message: string;
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  extensions: { code: ErrorCode; requestId?: string };
}

/** Where an error points, and the request id when the client needs one to report it. */
export interface ErrorPlace {
  path?: readonly (string | number)[];
  locations?: readonly { line: number; column: number }[];
  requestId?: string;
}

function withPlace(message: string, code: ErrorCode, { requestId, ...place }: ErrorPlace): ClientError {
  return { message, ...place, extensions: requestId === undefined ? { code } : { code, requestId } };
}

export function clientError(code: ErrorCode, params: Record<string, unknown> = {}, place: ErrorPlace = {}): ClientError {
  return withPlace(formatMessage(ERRORS[code].message, params), code, place);
}

export function fromWardenError(e: WardenError, place: ErrorPlace = {}): ClientError {
  return withPlace(e.message, e.code, place);
}

export function unexpected(requestId: string, place: ErrorPlace = {}): ClientError {
  return clientError('INTERNAL_ERROR', { requestId }, { ...place, requestId });
}

export function sendErrors(reply: FastifyReply, status: number, errors: ClientError[]): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send({ errors });
}

export function sendError(reply: FastifyReply, code: ErrorCode, params: Record<string, unknown> = {}): FastifyReply {
  return sendErrors(reply, ERRORS[code].status, [clientError(code, params)]);
}

/**
 * An error as it may be logged: driver and GraphQL messages can quote the
 * values they choke on, so quoted text and long digit runs are cut.
 */
export function loggableError(e: unknown): { type: string; code?: string; message: string; stack?: string } {
  const scrub = (s: string) =>
    s
      .replace(/"[^"\n]*"/g, '"…"')
      .replace(/'[^'\n]*'/g, "'…'")
      .replace(/\d{6,}/g, '…');
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as { code?: unknown }).code;
  return {
    type: err.name,
    code: typeof code === 'string' ? code : undefined,
    message: scrub(err.message),
    stack: err.stack ? scrub(err.stack) : undefined,
  };
}
