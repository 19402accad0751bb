import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { maxJsonDepth, nestsDeeperThan } from '../../core/sync/jsonShape';
import type { ApiError, ApiErrorCode } from '../../core/wire/auth';

/** An error a route means to return: its status and code reach the client as `{error:{code,message}}`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new HttpError(400, 'bad-request', message);
export const unauthorized = (message = 'Sign in again.') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message = 'Your role does not allow this.') => new HttpError(403, 'forbidden', message);
export const notFound = (message = 'Not found.') => new HttpError(404, 'not-found', message);

/** Parses untrusted input with a wire schema; a failure is a 400 that says which fields and why. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what = 'body'): z.output<S> {
  // Before the schema: a refinement may recurse (JSON.stringify), and JSON.parse does not bound depth.
  if (nestsDeeperThan(value)) throw badRequest(`Invalid ${what}: nested deeper than ${maxJsonDepth} levels`);
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : what}: ${issue.message}`)
    .join('; ');
  throw badRequest(`Invalid ${what}: ${issues}`);
}

const codeForStatus: Record<number, ApiErrorCode> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'bad-request',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'too-many-requests',
  503: 'unavailable',
};


/**
 * Fastify's own 4xx errors (bad JSON, body over bodyLimit, wrong content type) get the same body as ours.
 * Anything else is a bug: logged with the request id, answered as a bare 500 that leaks no internals.
 */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  let status = 500;
  let code: ApiErrorCode = 'internal';
  let message = 'Something went wrong on the server.';
  if (error instanceof HttpError) {
    ({ status, code, message } = error);
    reply.headers(error.headers);
  } else {
    const fastifyStatus = (error as Partial<FastifyError> | null)?.statusCode;
    if (fastifyStatus && fastifyStatus >= 400 && fastifyStatus < 500) {
      status = fastifyStatus;
      code = codeForStatus[status] ?? 'bad-request';
      message = status === 413 ? 'The request body is too large.' : String((error as FastifyError).message);
    } else {
      request.log.error({ err: error }, `${request.id}: unhandled error`);
    }
  }
  const body: ApiError = { error: { code, message } };
  return reply.status(status).type('application/json; charset=utf-8').send(body);
}
