// `npm run bench -- <name> [args…]`: bundles bench/<name>.ts with esbuild (our imports are
// extensionless, so Node's own type stripping cannot load them) and runs it with Node.
// With no name, lists the benchmarks. Node flags for the run go in BENCH_NODE_OPTIONS.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../', import.meta.url).pathname;
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));

if (!name || !available.includes(name)) {
  console.log(`Usage: npm run bench -- <name>\nBenchmarks: ${available.join(', ') || '(none)'}`);
  process.exit(name ? 1 : 0);
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = mkdtempSync(join(tmpdir(), 'atelier-bench-'));
const outfile = join(out, `${name}.mjs`);
await build({
  entryPoints: [join(root, 'bench', `${name}.ts`)],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  packages: 'external',
  nodePaths: [join(root, 'node_modules')],
  logLevel: 'warning',
  define: { __ATELIER_VERSION__: JSON.stringify(pkg.version) },
  banner: {
    js: "import { createRequire as __benchCreateRequire } from 'node:module'; const require = __benchCreateRequire(import.meta.url);",
  },
});
// Resolve packages from the project: run the bundle from a file inside it.
const runner = join(root, 'bench', `.${name}.run.mjs`);
try {
  writeFileSync(runner, readFileSync(outfile, 'utf8'));
  const nodeArgs = (process.env.BENCH_NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
  const result = spawnSync(process.execPath, [...nodeArgs, runner, ...args], {
    stdio: 'inherit',
    cwd: root,
  });
  process.exitCode = result.status ?? 1;
} finally {
  if (existsSync(runner)) rmSync(runner);
  rmSync(out, { recursive: true, force: true });
}
