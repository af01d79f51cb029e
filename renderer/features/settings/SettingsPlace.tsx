import { useState } from 'react';
import {
  DEFAULT_API_ADDRESS,
  type AppInfo,
  type Settings,
  type ThemeChoice,
} from '../../../shared/api';
import { useApp, useSettings } from '../../state';
import { PlaceHeader } from '../../ui/PlaceHeader';
import { Segmented } from '../../ui/Segmented';
import { AccountSection } from './AccountSection';
import { LibraryFolder } from './LibraryFolder';
import { SettingRow } from './SettingRow';
import { TextSetting, errorSentence } from './TextSetting';

const THEMES: readonly { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

const CONCURRENCY = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ value: n, label: String(n) }));

export function SettingsPlace() {
  const settings = useSettings((s) => s.settings);
  const loadError = useSettings((s) => s.loadError);
  const load = useSettings((s) => s.load);

  return (
    <>
      <PlaceHeader title="Settings" />
      <div className="place__content place__content--scroll">
        <div className="settings">
          {loadError && !settings ? (
            <div className="notice" role="alert">
              <p>{loadError}</p>
              <button type="button" className="button" onClick={() => void load()}>
                Try again
              </button>
            </div>
          ) : null}
          {settings ? <SettingsForm settings={settings} /> : null}
          {!settings && !loadError ? <p className="muted">Loading settings…</p> : null}
          <About />
        </div>
      </div>
    </>
  );
}

function SettingsForm({ settings }: { settings: Settings }) {
  const errors = useSettings((s) => s.errors);
  const update = useSettings((s) => s.update);
  // A choice shows as made at once; it settles to what the core answers (or back, if refused).
  const [pending, setPending] = useState<Partial<Pick<Settings, 'theme' | 'concurrency'>>>({});
  function choose(patch: Partial<Pick<Settings, 'theme' | 'concurrency'>>) {
    setPending((current) => ({ ...current, ...patch }));
    void update(patch).finally(() =>
      setPending((current) => {
        const next = { ...current };
        if ('theme' in patch && next.theme === patch.theme) delete next.theme;
        if ('concurrency' in patch && next.concurrency === patch.concurrency)
          delete next.concurrency;
        return next;
      }),
    );
  }

  return (
    <>
      <section className="settings__section" aria-labelledby="appearance-heading">
        <h2 className="settings__heading" id="appearance-heading">
          Appearance
        </h2>
        <SettingRow
          id="theme"
          label="Theme"
          description="System follows your computer's light or dark mode."
          error={errorSentence('The theme', errors.theme)}
        >
          <Segmented
            name="theme"
            labelledBy="theme-label"
            describedBy="theme-description"
            options={THEMES}
            value={pending.theme ?? settings.theme}
            onChange={(theme) => choose({ theme })}
          />
        </SettingRow>
      </section>

      <AccountSection />

      <section className="settings__section" aria-labelledby="generation-heading">
        <h2 className="settings__heading" id="generation-heading">
          Making images
        </h2>
        <SettingRow
          id="concurrency"
          label="Jobs at once"
          description="How many requests Atelier sends at the same time. More finishes big batches sooner."
          error={errorSentence('The number of jobs at once', errors.concurrency)}
        >
          <Segmented
            name="concurrency"
            labelledBy="concurrency-label"
            describedBy="concurrency-description"
            options={CONCURRENCY}
            value={pending.concurrency ?? settings.concurrency}
            onChange={(concurrency) => choose({ concurrency })}
            compact
          />
        </SettingRow>
        <LibraryFolder key={settings.libraryDir ?? ''} saved={settings.libraryDir} />
      </section>

      <section className="settings__section" aria-labelledby="advanced-heading">
        <h2 className="settings__heading" id="advanced-heading">
          Advanced
        </h2>
        <ApiAddress key={settings.apiBaseUrl ?? ''} saved={settings.apiBaseUrl} />
      </section>
    </>
  );
}

/** The API base URL: a draft the person edits, saved on Enter or Save; Reset goes back to default. */
function ApiAddress({ saved }: { saved: string | null }) {
  const update = useSettings((s) => s.update);
  const [draft, setDraft] = useState(saved ?? '');
  return (
    <TextSetting
      id="api-address"
      setting="apiBaseUrl"
      subject="The API address"
      label="API address"
      description={
        <>
          Where Atelier sends its requests and your key. Leave it empty to use Stability AI&apos;s
          own address (<span className="mono">{DEFAULT_API_ADDRESS}</span>) or the one set by
          STABILITY_API_BASE. Change it only for a proxy: it must start with https:// (http:// only
          for this computer). Your key is sent only to the address it was entered for, so after a
          change you enter the key to use with the new address.
        </>
      }
      placeholder={DEFAULT_API_ADDRESS}
      inputMode="url"
      saved={saved}
      draft={draft}
      setDraft={setDraft}
      save={(value) => void update({ apiBaseUrl: value })}
    />
  );
}

const PLATFORMS: Record<string, string> = {
  darwin: 'macOS',
  win32: 'Windows',
  linux: 'Linux',
};

function describeShell(shell: AppInfo['shell']): string {
  return shell === 'electron' ? 'Desktop app' : 'In your browser';
}

function About() {
  const info = useApp((s) => s.info);
  const infoError = useApp((s) => s.infoError);
  return (
    <section className="settings__section" aria-labelledby="about-heading">
      <h2 className="settings__heading" id="about-heading">
        About
      </h2>
      {info ? (
        <dl className="about">
          <div>
            <dt>Version</dt>
            <dd data-testid="about-version">
              {info.name} {info.version}
            </dd>
          </div>
          <div>
            <dt>Running as</dt>
            <dd>{describeShell(info.shell)}</dd>
          </div>
          <div>
            <dt>System</dt>
            <dd>{PLATFORMS[info.platform] ?? info.platform}</dd>
          </div>
          <div>
            <dt>Data folder</dt>
            <dd className="mono selectable">{info.dataDir}</dd>
          </div>
        </dl>
      ) : (
        <p className="muted">{infoError ?? 'Loading…'}</p>
      )}
    </section>
  );
}
