/** Opens a URL in the system browser, detached; any failure is ignored (the URL is printed). */
import { spawn } from 'node:child_process';

export function browserCommand(
  url: string,
  platform: string = process.platform,
): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""', `"${url}"`] };
  return { command: 'xdg-open', args: [url] };
}

export function openBrowser(url: string, platform: string = process.platform): void {
  const { command, args } = browserCommand(url, platform);
  // The browser does not need the key of this run: keep it out of the child's environment.
  const env = { ...process.env };
  delete env.STABILITY_API_KEY;
  try {
    const child = spawn(command, args, {
      detached: true,
      stdio: 'ignore',
      env,
      windowsHide: true,
      windowsVerbatimArguments: platform === 'win32',
    });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener on this machine: the person can copy the printed address.
  }
}
