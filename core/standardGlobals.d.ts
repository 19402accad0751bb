/**
 * The few WHATWG globals that exist in every runtime core/ runs in (browser, Electron main, Node).
 * core/ compiles without the DOM and Node libraries on purpose, so they are declared here, narrowly.
 */
declare class URL {
  constructor(input: string, base?: string);
  readonly protocol: string;
  readonly hostname: string;
  readonly host: string;
  readonly username: string;
  readonly password: string;
  readonly pathname: string;
  readonly search: string;
  readonly origin: string;
  toString(): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
