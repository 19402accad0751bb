import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Bridge, EventChannel, EventPayload } from '../core/ipc';
import { bridgeGlobal, bridgeName, eventChannels, invokeChannels } from '../core/ipcChannels';
import { fail } from '../core/result';

/**
 * The sandboxed preload: the only code with `ipcRenderer`. It exposes one named function per contract
 * channel (never a generic send(channel, ...) that would let page script pick any channel), and an `on`
 * that accepts only contract event names. A sandboxed preload can only require('electron'); core/ is
 * bundled in by esbuild.
 */
export function buildBridge(renderer: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>): Bridge {
  const api: Record<string, unknown> = {};
  for (const channel of invokeChannels) {
    api[bridgeName(channel)] = async (...args: unknown[]) => {
      try {
        return await renderer.invoke(channel, ...args);
      } catch (err) {
        // Only when main has no handler (starting up or shutting down): keep the IpcResult promise.
        return fail('unavailable', `${channel}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
  }
  // A dial link that started the app can arrive before the page subscribes; hold the latest one for the
  // first subscriber instead of losing the agent's click.
  let heldDial: EventPayload<'app:dial-request'> | null = null;
  let dialListeners = 0;
  renderer.on('app:dial-request', (_event: IpcRendererEvent, payload: EventPayload<'app:dial-request'>) => {
    if (dialListeners === 0) heldDial = payload;
  });

  api.on = <E extends EventChannel>(event: E, listener: (payload: EventPayload<E>) => void): (() => void) => {
    if (typeof event !== 'string' || !(eventChannels as readonly string[]).includes(event)) throw new TypeError(`unknown event ${String(event)}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    // The IpcRendererEvent (with its sender) stays here: the page gets the payload only.
    const relay = (_event: IpcRendererEvent, payload: EventPayload<E>) => listener(payload);
    renderer.on(event, relay);
    if (event === 'app:dial-request') {
      dialListeners++;
      const held = heldDial;
      heldDial = null;
      if (held) queueMicrotask(() => listener(held as EventPayload<E>));
    }
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      renderer.removeListener(event, relay);
      if (event === 'app:dial-request') dialListeners--;
    };
  };
  return Object.freeze(api) as Bridge;
}

contextBridge.exposeInMainWorld(bridgeGlobal, buildBridge(ipcRenderer));
