import { describe, expect, test } from 'vitest';
import { fillTemplate, pickVariant, templateVariables, usedVariables, type TemplateContext } from './template';

const context: TemplateContext = {
  customer: { name: 'Anna Schmidt', email: 'anna@example.com' },
  agent: { name: 'Li Na' },
  ticket: { id: 't-1', number: 1042, subject: 'Refund not received' },
  team: { name: 'Berlin' },
  company: { name: 'Acme' },
};

describe('fillTemplate', () => {
  test('fills every known variable with plain text', () => {
    const body =
      'Hi {{customer.firstName}} ({{customer.name}}), {{agent.name}} from {{team.name}} at {{company.name}} about {{ticket.number}} "{{ticket.subject}}" [{{ticket.id}}]';
    expect(fillTemplate(body, context)).toEqual({
      text: 'Hi Anna (Anna Schmidt), Li Na from Berlin at Acme about #1042 "Refund not received" [t-1]',
      unknown: [],
      missing: [],
    });
  });

  test('tolerates spaces inside the braces and any letter case', () => {
    expect(fillTemplate('{{ customer.name }} / {{Customer.Name}} / {{\tagent.name\n}}', context).text).toBe('Anna Schmidt / Anna Schmidt / Li Na');
  });

  test('a known variable without a value stays visible and is reported missing, once', () => {
    const filled = fillTemplate('Hello {{customer.name}}, about {{ticket.number}} and {{ticket.number}}', { customer: { name: 'Anna' }, ticket: { number: null } });
    expect(filled).toEqual({ text: 'Hello Anna, about {{ticket.number}} and {{ticket.number}}', unknown: [], missing: ['ticket.number'] });
  });

  test('a blank value counts as missing', () => {
    expect(fillTemplate('Hi {{customer.name}}', { customer: { name: '  \u202E ' } }).missing).toEqual(['customer.name']);
  });

  test('an unknown placeholder stays as written and is reported', () => {
    expect(fillTemplate('Hi {{customer.nmae}} {{ order.id }}', context)).toEqual({
      text: 'Hi {{customer.nmae}} {{ order.id }}',
      unknown: ['customer.nmae', 'order.id'],
      missing: [],
    });
  });

  test.each(['__proto__', 'constructor.name', 'constructor', 'toString', 'customer.__proto__', 'customer.constructor', "constructor.constructor('alert(1)')()", 'hasOwnProperty'])(
    'prototype or code {{%s}} is unknown, not evaluated',
    (name) => {
      const filled = fillTemplate(`x {{${name}}} y`, context);
      expect(filled.text).toBe(`x {{${name}}} y`);
      expect(filled.unknown).toEqual([name]);
    },
  );

  test('values are inserted once: a customer named like a placeholder is not expanded', () => {
    const filled = fillTemplate('Hi {{customer.name}}, I am {{agent.name}}', { customer: { name: '{{agent.name}} $& $1' }, agent: { name: 'Li' } });
    expect(filled.text).toBe('Hi {{agent.name}} $& $1, I am Li');
  });

  test('bidi controls and line breaks in a value cannot reshape the agent’s sentence', () => {
    const filled = fillTemplate('Dear {{customer.name}}, your refund is approved.', { customer: { name: 'Eve\u202E\n\u0000 Smith' } });
    expect(filled.text).toBe('Dear Eve Smith, your refund is approved.');
  });

  test('first names: first word of a Latin name, a Chinese name whole, an explicit one wins', () => {
    expect(fillTemplate('{{customer.firstName}}', { customer: { name: '  Anna  Maria Schmidt' } }).text).toBe('Anna');
    expect(fillTemplate('{{customer.firstName}}您好', { customer: { name: '王小明' } }).text).toBe('王小明您好');
    expect(fillTemplate('{{customer.firstName}}', { customer: { name: 'Schmidt, Anna', firstName: 'Anna' } }).text).toBe('Anna');
    expect(fillTemplate('{{agent.firstName}}', context).text).toBe('Li');
  });

  test('a long unknown placeholder is reported shortened', () => {
    const long = 'x'.repeat(500);
    expect(fillTemplate(`{{${long}}}`, {}).unknown).toEqual(['x'.repeat(60)]);
  });

  test('stray braces are left alone', () => {
    expect(fillTemplate('{{ {customer.name} }} {customer.name} {{customer.name}', context)).toEqual({
      text: '{{ {customer.name} }} {customer.name} {{customer.name}',
      unknown: [],
      missing: [],
    });
  });

  test('every seeded variable is known', () => {
    expect(templateVariables).toEqual(expect.arrayContaining(['customer.name', 'agent.name', 'ticket.number', 'team.name', 'company.name', 'ticket.subject', 'ticket.id', 'customer.firstName']));
  });
});

describe('usedVariables', () => {
  test('lists known and unknown placeholders in order of first use', () => {
    expect(usedVariables('{{agent.name}} {{ customer.name }} {{foo}} {{agent.name}}')).toEqual({ known: ['agent.name', 'customer.name'], unknown: ['foo'] });
  });
});

describe('pickVariant', () => {
  const all = { bodies: { en: 'Hello', 'zh-CN': '您好', 'zh-TW': '您好（繁）' } };

  test('the conversation language when there is a body for it', () => {
    expect(pickVariant(all, 'zh-TW')).toEqual({ language: 'zh-TW', body: '您好（繁）', match: 'exact', fallback: false });
    expect(pickVariant(all, 'en')).toMatchObject({ language: 'en', fallback: false });
  });

  test('the other Chinese script before English, flagged as a fallback', () => {
    expect(pickVariant({ bodies: { en: 'Hello', 'zh-CN': '您好' } }, 'zh-TW')).toEqual({ language: 'zh-CN', body: '您好', match: 'other-chinese', fallback: true });
    expect(pickVariant({ bodies: { en: 'Hello', 'zh-TW': '您好' } }, 'zh-CN')).toMatchObject({ language: 'zh-TW', match: 'other-chinese' });
  });

  test('English next, then whatever exists', () => {
    expect(pickVariant({ bodies: { en: 'Hello' } }, 'zh-CN')).toMatchObject({ language: 'en', match: 'english', fallback: true });
    expect(pickVariant({ bodies: { 'zh-TW': '您好' } }, 'en')).toMatchObject({ language: 'zh-TW', match: 'any', fallback: true });
    expect(pickVariant({ bodies: { 'zh-CN': '您好' } }, null)).toMatchObject({ language: 'zh-CN', match: 'any' });
  });

  test('an unknown conversation language prefers English', () => {
    expect(pickVariant(all, null)).toMatchObject({ language: 'en', match: 'english', fallback: true });
  });

  test('blank bodies do not count; no body at all gives null', () => {
    expect(pickVariant({ bodies: { 'zh-TW': '  ', en: 'Hello' } }, 'zh-TW')).toMatchObject({ language: 'en' });
    expect(pickVariant({ bodies: {} }, 'en')).toBeNull();
  });
});
