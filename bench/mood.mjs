// bench/mood: mood scoring of one customer message on the server (jieba segmentation + lexicon, issue 20)
// and precision/recall of "negative" on the frozen labelled sets. Goal: p95 < 2 ms per message.
// Usage: npm run bench:mood [-- runs]   (default 200 passes over the 120 labelled messages). Ends with one JSON line.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../scripts/ensure.mjs';

const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench/mood/run.ts'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
