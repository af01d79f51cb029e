import { AtelierError } from '../../shared/api';

/** The sentence a person sees when the window cannot reach the app's core. */
export const CONNECTION_LOST_MESSAGE =
  "Atelier lost its connection to the app's core. Check that Atelier is still running, then try again.";

export function connectionLost(): AtelierError {
  return new AtelierError({ code: 'disconnected', message: CONNECTION_LOST_MESSAGE });
}

export function misunderstoodAnswer(call: string): AtelierError {
  return new AtelierError({
    code: 'bad_response',
    message: `Atelier's core answered "${call}" in a way this window does not understand. Restart Atelier; if it keeps happening, reinstall it.`,
  });
}

export function missingToken(): AtelierError {
  return new AtelierError({
    code: 'no_token',
    message:
      'This page was not let in to Atelier. Open the address Atelier printed when it started (each address opens Atelier once; restart Atelier for a new one).',
  });
}
