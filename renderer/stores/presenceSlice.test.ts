import { describe, expect, it } from 'vitest';
import { createAppStore } from './appStore';
import { fakeDeps } from '../../tests/support/renderer/storeFakes';

describe('presence slice', () => {
  it('mirrors the chosen presence to the tray and remembers it', () => {
    const { deps, host, storage } = fakeDeps();
    const store = createAppStore(deps);
    store.getState().setPresence('after-call');
    expect(store.getState().presence).toBe('after-call');
    expect(host.setTrayPresence).toHaveBeenCalledWith('after-call');
    expect(storage.data.get('switchboard.presence')).toBe('after-call');
  });

  it('remembers the default presence and ignores a corrupted stored value', () => {
    const { deps, storage } = fakeDeps();
    createAppStore(deps).getState().setDefaultPresence('busy');
    expect(createAppStore(deps).getState().defaultPresence).toBe('busy');
    storage.data.set('switchboard.presence-default', 'dancing');
    expect(createAppStore(deps).getState().defaultPresence).toBe('available');
  });
});
