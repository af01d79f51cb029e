/**
 * The browser shell's credential, as the page gets and keeps it. The page is opened at
 * `/#code=CODE`: it drops the code from the address bar at once (history.replaceState), swaps it
 * for the session credential (POST /session, single use), and keeps the credential in
 * sessionStorage: the page's origin's own (port included), so no other server on this computer
 * ever receives it, and it survives a reload of this tab only. No cookie is ever set.
 */
import { SESSION_PATH, SessionAnswer } from '../../shared/transport';

export const SESSION_STORAGE_KEY = 'atelier.session';

export interface SessionPlace {
  location: { hash: string; pathname: string; search: string };
  history: Pick<History, 'replaceState'>;
  sessionStorage: Pick<Storage, 'getItem' | 'setItem'>;
  fetch: (input: string, init: RequestInit) => Promise<Response>;
}

/** The one-time code in the address's fragment (#code=...), or null. */
export function launchCode(hash: string): string | null {
  const code = new URLSearchParams(hash.replace(/^#/, '')).get('code');
  return code !== null && code.length > 0 ? code : null;
}

/**
 * The credential for this tab: swapped for the launch code when the address carries one, else the
 * one kept from before in this tab; null when there is none (the page then says how to open it).
 */
export async function takeSessionCredential(place: SessionPlace): Promise<string | null> {
  const code = launchCode(place.location.hash);
  if (code !== null) {
    // Out of the address bar (and history) before anything else happens.
    place.history.replaceState(null, '', `${place.location.pathname}${place.location.search}`);
    const token = await exchange(place, code);
    if (token !== null) {
      place.sessionStorage.setItem(SESSION_STORAGE_KEY, token);
      return token;
    }
  }
  return place.sessionStorage.getItem(SESSION_STORAGE_KEY);
}

async function exchange(place: SessionPlace, code: string): Promise<string | null> {
  try {
    const response = await place.fetch(SESSION_PATH, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code }),
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!response.ok) return null;
    const parsed = SessionAnswer.safeParse(await response.json());
    return parsed.success ? parsed.data.token : null;
  } catch {
    return null;
  }
}
