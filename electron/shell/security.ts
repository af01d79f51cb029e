/**
 * The Electron shell's security policy, in one place: the renderer's web preferences, its
 * Content-Security-Policy, which URLs count as the app itself, which links may open in the system
 * browser, and the hooks that hold every webContents and session to that policy.
 *
 * The renderer is treated as untrusted (like Signal Desktop): it gets no Node, a sandbox, an
 * isolated preload world, no navigation away from the app, no new windows, no permissions.
 */
import type {
  Event as ElectronEvent,
  OnHeadersReceivedListenerDetails,
  HeadersReceivedResponse,
  Session,
  WebContents,
} from 'electron';
import { APP_ORIGIN, APP_SCHEME } from './protocol';
import { MEDIA_SCHEME } from '../core/library/media';

/** Where the renderer comes from: the app:// protocol, or (development only) the Vite dev server. */
export interface OriginPolicy {
  /** The Vite dev server's origin (http://127.0.0.1:5173), only in development. */
  devOrigin?: string | undefined;
}

/** Hosts whose https links open in the system browser; every other link is ignored. */
export const EXTERNAL_HOSTS: readonly string[] = [
  'platform.stability.ai',
  'stability.ai',
  'github.com',
];

/**
 * The Content-Security-Policy of the renderer. Production: only the app's own origin; no inline or
 * remote script, no remote anything. Development adds the Vite dev server (its inline React-refresh
 * preamble and its hot-reload socket), and nothing when devOrigin is absent.
 */
export function contentSecurityPolicy(policy: OriginPolicy = {}): string {
  const dev = policy.devOrigin;
  const devSocket = dev ? dev.replace(/^http/, 'ws') : undefined;
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    // Vite's dev server injects an inline module script (React refresh); production never does.
    ['script-src', dev ? ["'self'", "'unsafe-inline'", dev] : ["'self'"]],
    // React sets styles through the CSSOM; inline style attributes are harmless with every remote
    // load blocked, and the built renderer's CSS comes from 'self'.
    ['style-src', ["'self'", "'unsafe-inline'", ...(dev ? [dev] : [])]],
    [
      'img-src',
      ["'self'", 'data:', 'blob:', `${APP_SCHEME}:`, `${MEDIA_SCHEME}:`, ...(dev ? [dev] : [])],
    ],
    ['font-src', ["'self'", 'data:']],
    ['media-src', ["'self'", 'data:', 'blob:']],
    ['connect-src', ["'self'", ...(dev && devSocket ? [dev, devSocket] : [])]],
    ['worker-src', ["'self'", 'blob:']],
    ['object-src', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['child-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
    ['form-action', ["'none'"]],
  ];
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ');
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** True when url belongs to the app itself: app://atelier/..., or the dev server in development. */
export function isAppUrl(url: string, policy: OriginPolicy = {}): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') return false;
  // For a standard custom scheme, URL.origin is 'null' in Node; compare scheme and host instead.
  if (`${parsed.protocol}//${parsed.host}` === APP_ORIGIN) return true;
  return policy.devOrigin !== undefined && parsed.origin === originOf(policy.devOrigin);
}

/** True for https links (no credentials, default port) to a host in EXTERNAL_HOSTS. */
export function isAllowedExternalUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === 'https:' &&
      parsed.username === '' &&
      parsed.password === '' &&
      parsed.port === '' &&
      EXTERNAL_HOSTS.includes(parsed.hostname)
    );
  } catch {
    return false;
  }
}

/** What the shell needs from Electron's `shell` module: a way to open a link in the system browser. */
export type OpenExternal = (url: string) => Promise<void>;

/**
 * Holds one webContents to the policy: no new windows (allowed links go to the system browser), no
 * navigation or redirect away from the app, no <webview>.
 */
export function hardenWebContents(
  contents: WebContents,
  policy: OriginPolicy,
  openExternal: OpenExternal,
): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void openExternal(url).catch(() => undefined);
    return { action: 'deny' };
  });
  const blockForeign = (event: ElectronEvent, url: string) => {
    if (isAppUrl(url, policy)) return;
    event.preventDefault();
    if (isAllowedExternalUrl(url)) void openExternal(url).catch(() => undefined);
  };
  contents.on('will-navigate', (event, url) => blockForeign(event, url));
  contents.on('will-frame-navigate', (details) => {
    if (!isAppUrl(details.url, policy)) details.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, policy)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Adds the Content-Security-Policy to every response the renderer's session receives. */
export function cspHeadersListener(policy: OriginPolicy) {
  const csp = contentSecurityPolicy(policy);
  return (
    details: OnHeadersReceivedListenerDetails,
    callback: (response: HeadersReceivedResponse) => void,
  ): void => {
    // Chromium's own pages (the developer tools in development) keep their own policy.
    if (details.url.startsWith('devtools:')) {
      callback({});
      return;
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      // Drop any policy a server sent: ours is the only one.
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value;
    }
    // electronegativity-justified: CSP_GLOBAL_CHECK — the policy is built by contentSecurityPolicy() (no inline or remote script; object-src, base-uri, frame-ancestors, form-action 'none'), which the scanner cannot evaluate statically; tests/electron/security.test.ts asserts every directive.
    headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  };
}

/** Holds a session to the policy: every permission denied, every response carrying our CSP. */
export function hardenSession(session: Session, policy: OriginPolicy): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived(cspHeadersListener(policy));
}
