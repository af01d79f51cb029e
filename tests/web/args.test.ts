import { describe, expect, it } from 'vitest';
import { parseArgs, USAGE } from '../../electron/web/args';
import { browserCommand } from '../../electron/web/open-browser';

describe('parseArgs', () => {
  it('defaults to a free port, the default library and opening the browser', () => {
    expect(parseArgs([])).toEqual({
      kind: 'run',
      options: { port: 0, libraryDir: undefined, open: true },
    });
  });

  it('reads every option, in both spellings', () => {
    expect(parseArgs(['--port', '8080', '--library', '/pics', '--no-open'])).toEqual({
      kind: 'run',
      options: { port: 8080, libraryDir: '/pics', open: false },
    });
    expect(parseArgs(['--port=0', '--library=/a b'])).toEqual({
      kind: 'run',
      options: { port: 0, libraryDir: '/a b', open: true },
    });
  });

  it('asks for help', () => {
    expect(parseArgs(['--port', '1', '--help'])).toEqual({ kind: 'help' });
    expect(USAGE).toMatch(/--port N.*--library DIR.*--no-open/s);
  });

  it('refuses bad arguments with one sentence', () => {
    const cases: [string[], RegExp][] = [
      [['--port'], /--port needs a number/],
      [['--port', '--no-open'], /--port needs a number/],
      [['--port', 'abc'], /whole number from 0 to 65535, not "abc"/],
      [['--port', '65536'], /65535/],
      [['--port', '-1'], /--port needs a number|whole number/],
      [['--port', '1.5'], /whole number/],
      [['--library'], /--library needs a folder/],
      [['--library='], /--library needs a folder/],
      [['--no-open=yes'], /takes no value/],
      [['--colour'], /does not know the option "--colour"/],
      [['serve'], /does not know the option "serve"/],
    ];
    for (const [argv, message] of cases) {
      const parsed = parseArgs(argv);
      expect(parsed.kind, argv.join(' ')).toBe('error');
      if (parsed.kind === 'error') {
        expect(parsed.message).toMatch(message);
        expect(parsed.message).toMatch(/\.$/);
      }
    }
  });
});

describe('browserCommand', () => {
  it('uses open, start or xdg-open', () => {
    expect(browserCommand('http://x', 'darwin')).toEqual({ command: 'open', args: ['http://x'] });
    expect(browserCommand('http://x', 'win32').command).toBe('cmd');
    expect(browserCommand('http://x', 'linux')).toEqual({
      command: 'xdg-open',
      args: ['http://x'],
    });
  });
});
