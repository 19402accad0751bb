import { spawnSync } from 'node:child_process';

/**
 * Inserts iptables rules all or none: with iptables (nf_tables backend on Debian 12), else iptables-legacy.
 * Only for the private network namespaces the SIP and e2e runs create: the rules die with the namespace,
 * and `remove` takes them out before that. `failure` starts the error thrown when neither tool can.
 */
export type InsertedRules = { tool: string; rules: string[][]; remove(): void };

function run(tool: string, args: string[]): string | undefined {
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  return r.status === 0 ? undefined : (r.stderr || r.error?.message || `exit ${r.status}`).trim();
}

export function insertRules(wanted: string[][], failure: string): InsertedRules {
  const errors: string[] = [];
  for (const tool of ['iptables', 'iptables-legacy']) {
    const added: string[][] = [];
    for (const rule of wanted) {
      const err = run(tool, ['-I', ...rule]);
      if (err) {
        errors.push(`${tool}: ${err}`);
        break;
      }
      added.push(rule);
    }
    const remove = (): void => {
      for (const rule of added.splice(0)) run(tool, ['-D', ...rule]);
    };
    if (added.length === wanted.length) return { tool, rules: [...added], remove };
    remove();
  }
  throw new Error(`${failure}: ${errors.join('; ')}`);
}
