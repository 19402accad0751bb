import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import {
  events,
  invoke,
  type EventChannel,
  type EventPayload,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeValue,
} from '../../core/ipc';
import { fail, ok, type IpcResult } from '../../core/result';
import { isAppUrl } from '../config';
import { HostError } from './hostError';

/**
 * The one file that touches `ipcMain` (lint enforces it). Every invoke channel is registered here, and
 * every call goes through three gates before a handler runs, as VS Code's validated ipcMain does:
 * 1. the sender is our main window's top frame showing app://switchboard (not a subframe, not another
 *    webContents, not a page that was navigated elsewhere);
 * 2. the arguments parse with the channel's schema from core/ipc.ts;
 * 3. the result (or a throw) is wrapped as IpcResult, because Electron carries only an Error's message
 *    across `invoke` and we want typed codes on the other side.
 */

export type Handler<C extends InvokeChannel> = (...args: InvokeArgs<C>) => InvokeValue<C> | Promise<InvokeValue<C>>;
/** The handler table: `satisfies Handlers` makes a missing or mistyped channel a compile error. */
export type Handlers = { [C in InvokeChannel]: Handler<C> };

export type IpcLog = (line: string) => void;

export type IpcOptions = {
  /** The webContents of the main window, or null while it does not exist. */
  mainContents: () => WebContents | null;
  log?: IpcLog;
};

export function senderProblem(event: IpcMainInvokeEvent, main: WebContents | null): string | null {
  if (!main || event.sender !== main) return 'not the main window';
  const frame = event.senderFrame;
  if (!frame) return 'frame is gone';
  if (frame.parent !== null) return 'not the top frame';
  if (!isAppUrl(frame.url)) return `frame shows ${frame.url}`;
  return null;
}

export async function dispatch<C extends InvokeChannel>(
  channel: C,
  impl: Handler<C>,
  options: IpcOptions,
  event: IpcMainInvokeEvent,
  rawArgs: unknown[],
): Promise<IpcResult<InvokeValue<C>>> {
  const log = options.log ?? defaultLog;
  const problem = senderProblem(event, options.mainContents());
  if (problem) {
    log(`[ipc ${channel}] refused sender: ${problem}`);
    return fail('bad-sender', `${channel}: sender refused`);
  }
  const parsed = invoke[channel].args.safeParse(rawArgs);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(args)'}: ${i.message}`).join('; ');
    log(`[ipc ${channel}] dropped bad arguments: ${issues}`);
    return fail('bad-args', `${channel}: ${issues}`);
  }
  try {
    const value = await impl(...(parsed.data as InvokeArgs<C>));
    return ok(value);
  } catch (err) {
    if (err instanceof HostError) {
      log(`[ipc ${channel}] ${err.code}: ${err.message}`);
      return fail(err.code, err.message);
    }
    log(`[ipc ${channel}] handler threw: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return fail('internal', `${channel} failed`);
  }
}

export function handle<C extends InvokeChannel>(channel: C, impl: Handler<C>, options: IpcOptions): void {
  ipcMain.handle(channel, (event, ...args: unknown[]) => dispatch(channel, impl, options, event, args));
}

export function registerHandlers(handlers: Handlers, options: IpcOptions): () => void {
  const channels = Object.keys(invoke) as InvokeChannel[];
  for (const channel of channels) handleAny(channel, handlers, options);
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
  };
}

// A helper so each channel's handler keeps its own type inside the loop above.
function handleAny<C extends InvokeChannel>(channel: C, handlers: Handlers, options: IpcOptions): void {
  handle(channel, handlers[channel] as Handler<C>, options);
}

/**
 * Sends a contract event to the renderer after checking the payload against its schema, so a bug in
 * main cannot hand the renderer a shape it does not expect. Returns false when nothing was sent.
 */
export function sendEvent<E extends EventChannel>(
  target: WebContents | null,
  event: E,
  payload: EventPayload<E>,
  log: IpcLog = defaultLog,
): boolean {
  const parsed = events[event].safeParse(payload);
  if (!parsed.success) {
    log(`[ipc ${event}] not sent: payload does not match the contract`);
    return false;
  }
  if (!target || target.isDestroyed()) return false;
  target.send(event, parsed.data);
  return true;
}

const defaultLog: IpcLog = (line) => console.warn(line);
