import { describe, expect, test } from 'vitest';
import { coachModes, hears, mixGains, parseCoachInfo } from './modes';

describe('who hears whom', () => {
  test('the customer never hears the lead except in barge; the agent hears the lead in whisper and barge', () => {
    expect(coachModes.map((m) => hears[m].customer.lead)).toEqual([false, false, true]);
    expect(coachModes.map((m) => hears[m].agent.lead)).toEqual([false, true, true]);
  });
  test('in every mode the lead hears both and the agent and customer hear each other', () => {
    for (const m of coachModes) {
      expect(hears[m].lead).toMatchObject({ customer: true, agent: true });
      expect(hears[m].agent.customer && hears[m].customer.agent).toBe(true);
    }
  });
  test('the mixer gains follow the table', () => {
    expect(mixGains('listen')).toEqual({ leadToAgent: 0, leadToCustomer: 0, agentToLead: 1, customerToLead: 1 });
    expect(mixGains('whisper')).toEqual({ leadToAgent: 1, leadToCustomer: 0, agentToLead: 1, customerToLead: 1 });
    expect(mixGains('barge')).toEqual({ leadToAgent: 1, leadToCustomer: 1, agentToLead: 1, customerToLead: 1 });
  });
});

describe('mode change INFO bodies from the network', () => {
  test('a well-formed body parses; anything else is null', () => {
    expect(parseCoachInfo('{"mode":"whisper","seq":3}')).toEqual({ mode: 'whisper', seq: 3 });
    for (const bad of [undefined, '', 'mode=barge', '{"mode":"shout","seq":1}', '{"mode":"barge","seq":-1}', `{"mode":"barge","seq":1,"x":"${'a'.repeat(300)}"}`]) {
      expect(parseCoachInfo(bad)).toBeNull();
    }
  });
});
