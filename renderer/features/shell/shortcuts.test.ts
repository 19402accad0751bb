import { describe, expect, it } from 'vitest';
import { matchShortcut, shortcutDocs, type KeyInput } from './shortcuts';

const key = (over: Partial<KeyInput>): KeyInput => ({ key: '', code: '', altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, inEditable: false, ...over });

describe('keyboard shortcuts', () => {
  it('Alt or Ctrl with a digit goes to the page in rail order', () => {
    expect(matchShortcut(key({ code: 'Digit1', key: '1', altKey: true }))).toEqual({ type: 'go', page: 'inbox' });
    expect(matchShortcut(key({ code: 'Digit5', key: '5', ctrlKey: true }))).toEqual({ type: 'go', page: 'team' });
    expect(matchShortcut(key({ code: 'Digit6', key: '6', altKey: true }))).toEqual({ type: 'go', page: 'wallboard' });
    expect(matchShortcut(key({ code: 'Digit7', key: '7', altKey: true }))).toEqual({ type: 'go', page: 'alarms' });
    expect(matchShortcut(key({ code: 'Digit8', key: '8', altKey: true }))).toEqual({ type: 'go', page: 'kpi' });
    expect(matchShortcut(key({ code: 'Digit9', key: '9', altKey: true }))).toEqual({ type: 'go', page: 'settings' });
    expect(matchShortcut(key({ code: 'Digit0', key: '0', altKey: true }))).toBeNull();
    expect(matchShortcut(key({ code: 'Digit1', key: '1' }))).toBeNull();
  });

  it('Alt+Shift+letter sets presence by physical key, even when Alt changed the character', () => {
    expect(matchShortcut(key({ code: 'KeyB', key: '∫', altKey: true, shiftKey: true }))).toEqual({ type: 'presence', presence: 'busy' });
    expect(matchShortcut(key({ code: 'KeyA', key: 'A', altKey: true, shiftKey: true }))).toEqual({ type: 'presence', presence: 'available' });
  });

  it('? opens help except while typing in a field; F1 always does', () => {
    expect(matchShortcut(key({ key: '?', code: 'Slash', shiftKey: true }))).toEqual({ type: 'help' });
    expect(matchShortcut(key({ key: '?', code: 'Slash', shiftKey: true, inEditable: true }))).toBeNull();
    expect(matchShortcut(key({ key: 'F1', code: 'F1', inEditable: true }))).toEqual({ type: 'help' });
  });

  it('every documented combination does what the documentation says', () => {
    for (const doc of shortcutDocs) {
      for (const combo of doc.keys) {
        const last = combo[combo.length - 1]!;
        const code = /^[0-9]$/.test(last) ? `Digit${last}` : /^[A-Z]$/.test(last) ? `Key${last}` : last === '?' ? 'Slash' : last;
        const input = key({ key: last, code, altKey: combo.includes('Alt'), ctrlKey: combo.includes('Ctrl'), shiftKey: combo.includes('Shift') || last === '?' });
        expect(matchShortcut(input), combo.join('+')).toEqual(doc.action);
      }
    }
  });
});
