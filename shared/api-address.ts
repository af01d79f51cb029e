/**
 * Where the API key may be sent: the API address policy shared by the settings schema, the core
 * (STABILITY_API_BASE, the vault's binding of a key to its address) and the Settings page.
 *
 * An address is https, or plain http only on this computer (127.0.0.0/8, [::1], localhost: the
 * Sandbox and tests); never with a user name, password, query or fragment.
 */
import { API_DEFAULT_BASE_URL } from './endpoints/vocab';

/** Stability AI's own address: where a key is bound when no other address was given. */
export const DEFAULT_API_ADDRESS = API_DEFAULT_BASE_URL;

/** The sentence every refusal ends with (after "The API address ..."). */
export const API_ADDRESS_RULE =
  'must be an https address such as https://api.stability.ai (plain http only for this computer: localhost, 127.0.0.1 or [::1]), with no user name, password, query or #';

/** True for a host name that can only mean this computer. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]') return true;
  // The URL parser has already turned 127.1 or 0x7f.1 into dotted decimal.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The parsed address when it passes the policy, else null. */
function parseAllowed(value: string): URL | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const secure =
    url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  const plain = url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  return secure && plain && !value.includes('?') && !value.includes('#') ? url : null;
}

/** Whether the key may be sent to this address at all. */
export function isAllowedApiAddress(value: string): boolean {
  return parseAllowed(value) !== null;
}

/**
 * One spelling per address, for binding a key to it: scheme, host (lower case, default port
 * dropped) and path without trailing slashes. Null when the address is not allowed.
 */
export function canonicalApiAddress(value: string): string | null {
  const url = parseAllowed(value.trim());
  if (url === null) return null;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
