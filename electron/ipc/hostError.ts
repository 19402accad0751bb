import type { IpcErrorCode } from '../../core/result';

/**
 * What a handler throws to fail with a specific code; the IPC wrapper turns it into
 * `{ ok: false, error: { code, message } }`. Any other throw becomes 'internal'.
 */
export class HostError extends Error {
  override readonly name = 'HostError';
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
  }
}
