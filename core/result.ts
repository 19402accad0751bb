/**
 * The one result shape that crosses a process boundary (IPC, and the browser host that mimics it).
 * Electron only carries an Error's message across `ipcRenderer.invoke`, so handlers never throw
 * across the boundary: they return this, and the renderer's host module turns failures into typed errors.
 */
export type IpcError = { code: IpcErrorCode; message: string };
export type IpcErrorCode =
  | 'bad-args'
  | 'bad-sender'
  | 'not-allowed'
  | 'not-found'
  | 'unavailable'
  | 'internal';
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value });
export const fail = (code: IpcErrorCode, message: string): IpcResult<never> => ({
  ok: false,
  error: { code, message },
});
