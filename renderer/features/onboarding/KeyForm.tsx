import { useId, useState, type SyntheticEvent } from 'react';
import { AtelierError } from '../../../shared/api';
import { messageOf, useAccount } from '../../state';

export const GET_KEY_URL = 'https://platform.stability.ai/account/keys';

type Answer = { tone: 'ok' | 'error'; text: string } | null;

/**
 * Paste a Stability API key: masked (with Show), trimmed and checked by the core, tested against
 * Stability's balance endpoint, then saved to the system keychain (or for this session only when the
 * keychain cannot be used). The key is sent to the core and cleared from the field once saved.
 */
export function KeyForm({
  keychainProblem,
  onSaved,
  onCancel,
  autoFocus = false,
}: {
  keychainProblem?: string | undefined;
  onSaved?: () => void;
  onCancel?: () => void;
  autoFocus?: boolean;
}) {
  const id = useId();
  const saveKey = useAccount((s) => s.saveKey);
  const testKey = useAccount((s) => s.testKey);
  const [value, setValue] = useState('');
  const [show, setShow] = useState(false);
  const [busy, setBusy] = useState<'test' | 'save' | null>(null);
  const [answer, setAnswer] = useState<Answer>(null);
  const [problem, setProblem] = useState<string | undefined>(keychainProblem);
  const [sessionOnly, setSessionOnly] = useState(false);
  const keychainUnusable = problem !== undefined;

  async function test() {
    setBusy('test');
    setAnswer(null);
    try {
      const result = await testKey(value.trim());
      setAnswer({ tone: result.ok ? 'ok' : 'error', text: result.message });
    } catch (error) {
      setAnswer({ tone: 'error', text: messageOf(error) });
    } finally {
      setBusy(null);
    }
  }

  async function save(event: SyntheticEvent) {
    event.preventDefault();
    setBusy('save');
    setAnswer(null);
    try {
      await saveKey(value.trim(), keychainUnusable && sessionOnly);
      setValue('');
      setShow(false);
      setAnswer({ tone: 'ok', text: 'Key saved.' });
      onSaved?.();
    } catch (error) {
      if (error instanceof AtelierError && error.code === 'keychain_unavailable') {
        setProblem(error.message);
        setAnswer(null);
      } else {
        setAnswer({ tone: 'error', text: messageOf(error) });
      }
    } finally {
      setBusy(null);
    }
  }

  const inputId = `${id}-key`;
  const answerId = `${id}-answer`;
  return (
    <form className="key-form" onSubmit={(event) => void save(event)} noValidate>
      <div className="key-form__label-row">
        <label className="key-form__label" htmlFor={inputId}>
          Stability API key
        </label>
        <a className="link" href={GET_KEY_URL} target="_blank" rel="noopener noreferrer">
          Get a key
        </a>
      </div>
      <div className="key-form__field">
        <input
          id={inputId}
          className="text-input mono"
          type={show ? 'text' : 'password'}
          name="stability-api-key"
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          data-1p-ignore
          data-lpignore="true"
          autoFocus={autoFocus}
          placeholder="sk-…"
          aria-describedby={answer ? answerId : undefined}
          aria-invalid={answer?.tone === 'error' ? true : undefined}
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
            setAnswer(null);
          }}
        />
        <button
          type="button"
          className="button"
          aria-pressed={show}
          aria-controls={inputId}
          onClick={() => setShow((s) => !s)}
        >
          {show ? 'Hide' : 'Show'}
        </button>
      </div>
      {keychainUnusable ? (
        <div className="key-form__keychain" role="note">
          <p>{problem}</p>
          <label className="check">
            <input
              type="checkbox"
              checked={sessionOnly}
              onChange={(event) => setSessionOnly(event.target.checked)}
            />
            <span>Keep the key for this session only</span>
          </label>
        </div>
      ) : null}
      <div className="key-form__actions">
        {onCancel ? (
          <button type="button" className="button" onClick={onCancel} disabled={busy !== null}>
            Cancel
          </button>
        ) : null}
        <button
          type="button"
          className="button"
          disabled={busy !== null}
          onClick={() => void test()}
        >
          {busy === 'test' ? 'Testing…' : 'Test key'}
        </button>
        <button
          type="submit"
          className="button button--primary"
          disabled={busy !== null || (keychainUnusable && !sessionOnly)}
        >
          {busy === 'save' ? 'Saving…' : 'Save key'}
        </button>
      </div>
      <p
        id={answerId}
        className={
          answer ? `key-form__answer key-form__answer--${answer.tone}` : 'key-form__answer'
        }
        role="status"
        aria-live="polite"
      >
        {answer?.text ?? ''}
      </p>
    </form>
  );
}
