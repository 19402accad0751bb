import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest } from './errors';

/**
 * The server's one JSON body parser. Fastify's default (secure-json-parse) answers a prototype key with the
 * same error as broken JSON and drops the reason; a client then looks for a typo that is not there. This
 * parser says which of the two it was. `JSON.parse` itself never touches a prototype (`__proto__` becomes
 * an own key), so refusing those keys after parsing is as safe as refusing them during it.
 */
export function parseJsonText(text: string): unknown {
  if (text.trim() === '') throw badRequest('Body is empty, but its content type says JSON.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest(`Body is not valid JSON: ${err instanceof Error ? err.message : String(err)}.`);
  }
  const key = prototypeKeyIn(value);
  if (key) throw badRequest(`Body has the key ${key}, which could change an object prototype; such keys are refused.`);
  return value;
}

/** The first `__proto__`, or `constructor` holding `prototype`, found by an iterative walk (deep input cannot overflow the stack). */
function prototypeKeyIn(root: unknown): string | null {
  const stack: unknown[] = [root];
  while (stack.length) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
      continue;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (key === '__proto__') return '__proto__';
      const child = record[key];
      if (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype')) return 'constructor.prototype';
      stack.push(child);
    }
  }
  return null;
}

/** Replaces Fastify's JSON parser on `app` (scopes that need the raw bytes remove it and add their own). */
export function useJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request: FastifyRequest, body: string | Buffer, done) => {
    try {
      done(null, parseJsonText(typeof body === 'string' ? body : body.toString('utf8')));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
