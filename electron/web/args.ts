/** The browser shell's command line: `[--port N] [--library DIR] [--no-open] [--help]`. */

export const USAGE = `Usage: npm run serve -- [--port N] [--library DIR] [--no-open] [--help]

  --port N        listen on 127.0.0.1 port N (0, the default, picks a free port)
  --library DIR   use DIR as the library folder for this run
  --no-open       do not open the system browser
  --help          show this help`;

export interface CliOptions {
  port: number;
  libraryDir: string | undefined;
  open: boolean;
}

export type ParsedArgs =
  { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'error'; message: string };

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const options: CliOptions = { port: 0, libraryDir: undefined, open: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const takeValue = (): string | undefined => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) return undefined;
      i++;
      return next;
    };
    switch (name) {
      case '--help':
      case '-h':
        return { kind: 'help' };
      case '--no-open':
        if (inline !== undefined) return error('--no-open takes no value.');
        options.open = false;
        break;
      case '--port': {
        const value = takeValue();
        if (value === undefined) return error('--port needs a number, for example --port 8080.');
        if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
          return error(`--port must be a whole number from 0 to 65535, not "${value}".`);
        }
        options.port = Number(value);
        break;
      }
      case '--library': {
        const value = takeValue();
        if (value === undefined || value.trim() === '') {
          return error('--library needs a folder, for example --library ~/Pictures/Atelier.');
        }
        options.libraryDir = value;
        break;
      }
      default:
        return error(`Atelier does not know the option "${arg}".`);
    }
  }
  return { kind: 'run', options };
}

function error(message: string): ParsedArgs {
  return { kind: 'error', message };
}
