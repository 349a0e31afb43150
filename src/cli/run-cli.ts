import { ConfigError } from '../config/config';

/**
 * Runs a command-line entry point: a configuration error prints the same one line as the
 * server does at boot; any other failure prints its message. Both exit 1.
 */
export function runCli(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      if (error instanceof ConfigError) {
        process.stderr.write(`paymux: configuration error: ${error.message}\n`);
      } else {
        process.stderr.write(`paymux: ${error instanceof Error ? error.message : String(error)}\n`);
      }
      process.exit(1);
    },
  );
}

/** The value of `--<name> value` or `--<name>=value` in argv, or null when absent. */
export function argumentValue(argv: readonly string[], name: string): string | null {
  const flag = `--${name}`;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === flag) return argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[i + 1] : null;
    if (argv[i].startsWith(`${flag}=`)) return argv[i].slice(flag.length + 1);
  }
  return null;
}
