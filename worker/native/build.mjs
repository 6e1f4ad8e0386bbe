// Builds native/decimal.c against GMP with node-gyp: this package's install script, so `npm ci`
// runs it (and `npm rebuild -w worker` runs it again). Without GMP's headers or a C compiler it
// says what is missing and succeeds: the worker then converts with V8's BigInt toString, exact
// but 5-6x slower for huge values (docs/local-stack.md). `npm test` checks that it was built.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const worker = new URL('..', import.meta.url);
const built = spawnSync('node-gyp', ['rebuild'], {
  cwd: worker,
  encoding: 'utf8',
  shell: process.platform === 'win32',
});
if (built.status === 0) {
  console.log('worker: built native/decimal.c against GMP (build/Release/decimal.node)');
} else {
  // A half-built addon must not be loaded: remove what the failed build left.
  rmSync(new URL('build', worker), { recursive: true, force: true });
  const output = `${built.stdout ?? ''}${built.stderr ?? ''}${built.error ? String(built.error) : ''}`;
  const reason = output.includes('gmp.h')
    ? "GMP's headers are missing (apt-get install libgmp-dev)"
    : 'node-gyp failed';
  // The compiler's own complaint, not node-gyp's stack of where it failed.
  const lines = output.trim().split('\n');
  const said = lines.filter((line) => /error/i.test(line) && !line.startsWith('gyp ')).slice(0, 3);
  console.warn(
    `worker: native/decimal.c was not built: ${reason}.\n` +
      "The worker will convert values to decimal with V8's BigInt toString (exact, 5-6x slower for huge values).\n" +
      `Once that is fixed: npm rebuild -w worker\n${(said.length > 0 ? said : lines.slice(-8)).join('\n')}`,
  );
}
