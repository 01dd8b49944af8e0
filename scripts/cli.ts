import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Runs `main` when the module at `moduleUrl` (its `import.meta.url`) is the script node was
 * started with, not when it is imported (tests and other scripts import the CLIs' functions).
 * A failure prints its message, without a stack, and exits 1; a number `main` returns is the
 * exit code.
 */
export function runIfMain(moduleUrl: string, main: () => Promise<number | void>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(resolve(process.argv[1])).href) return;
  main().then(
    (code) => {
      if (typeof code === 'number') process.exit(code);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
