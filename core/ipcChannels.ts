/**
 * The IPC channel names alone, without their zod schemas, for the sandboxed preload: it only needs the
 * names to build its named functions, and importing core/ipc.ts would bundle zod into every window
 * (~450 kB parsed at each start). core/ipc.ts checks at compile time that these lists match its contract.
 */
export const invokeChannels = [
  'app:get-info',
  'app:set-locale',
  'policy:get',
  'policy:set-user',
  'secrets:get',
  'secrets:set',
  'secrets:delete',
  'shell:open-external',
  'update:get-status',
  'update:install-now',
  'update:set-activity',
  'os:notify',
  'tray:set-presence',
  'window:bring-to-front',
  'net:get-hints',
  'window:set-full-screen',
  'logs:append',
  'diagnostics:export',
  'sso:begin',
  'sso:authorize',
] as const;

export const eventChannels = ['app:dial-request', 'power:resumed', 'power:suspending', 'update:status', 'notice:activated'] as const;

export const bridgeGlobal = 'switchboard';

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
export type BridgeName<C extends string> = C extends `${infer Area}:${infer Verb}` ? `${Area}${Capitalize<Camel<Verb>>}` : never;

/** `secrets:get` → `secretsGet`, `shell:open-external` → `shellOpenExternal`. */
export function bridgeName<C extends string>(channel: C): BridgeName<C> {
  const [area, verb] = channel.split(':') as [string, string];
  const camel = verb.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return `${area}${camel[0]!.toUpperCase()}${camel.slice(1)}` as BridgeName<C>;
}
