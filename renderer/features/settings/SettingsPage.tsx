import { useId, type ReactNode } from 'react';
import { presences, type Presence } from '../../../core/presence';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import { Page } from '../../ui/EmptyState';
import { DiagnosticsSection } from '../diagnostics/DiagnosticsSection';
import { AudioProcessingSettings } from '../phone/AudioProcessingSettings';
import { AutoAnswerToggle } from '../phone/AutoAnswerToggle';
import { HeadsetButtons } from '../phone/HeadsetButtons';
import { PhoneAccountSettings } from '../phone/PhoneAccountSettings';
import { ShortcutList } from '../shell/ShortcutList';
import { LanguageSelect } from './LanguageSelect';
import { UpdatesSection } from './UpdatesSection';
import { PolicySettings } from './PolicySettings';
import './settings.css';

function Section(props: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="settings__section" aria-labelledby={props.id}>
      <h2 id={props.id} className="settings__heading">
        {props.title}
      </h2>
      {props.children}
    </section>
  );
}

export function SettingsPage() {
  const t = useT();
  const presenceId = useId();
  const defaultPresence = useAppStore((s) => s.defaultPresence);
  const setDefaultPresence = useAppStore((s) => s.setDefaultPresence);
  const hostInfo = useAppStore((s) => s.hostInfo);
  const role = useAppStore((s) => s.user?.role);
  const languageManaged = useAppStore((s) => s.policy.sources.DefaultLanguage === 'machine-policy');

  return (
    <Page title={t('settings.title')}>
      <div className="settings">
        <Section id="settings-language" title={t('language.label')}>
          <LanguageSelect className="settings__control" labelHidden />
          <p className="field__hint">{t(languageManaged ? 'settings.language.managed' : 'settings.language.hint')}</p>
        </Section>

        <Section id="settings-policy" title={t('settings.policy.title')}>
          <PolicySettings />
        </Section>

        <Section id="settings-presence" title={t('settings.presence.title')}>
          <div className="field settings__control">
            <label htmlFor={presenceId} className="visually-hidden">
              {t('settings.presence.label')}
            </label>
            <select id={presenceId} className="select" data-testid="default-presence-select" value={defaultPresence} onChange={(e) => setDefaultPresence(e.target.value as Presence)}>
              {presences.map((p) => (
                <option key={p} value={p}>
                  {t(`presence.${p}`)}
                </option>
              ))}
            </select>
          </div>
          <p className="field__hint">{t('settings.presence.hint')}</p>
        </Section>

        <Section id="settings-phone" title={t('settings.phone.title')}>
          <AutoAnswerToggle testId="settings-auto-answer" />
          <AudioProcessingSettings />
          <HeadsetButtons />
          <PhoneAccountSettings />
        </Section>

        <Section id="settings-shortcuts" title={t('settings.shortcuts.title')}>
          <ShortcutList t={t} hideTeam={role !== 'lead' && role !== 'admin'} />
        </Section>

        <DiagnosticsSection />

        <UpdatesSection />

        <Section id="settings-about" title={t('settings.about.title')}>
          <dl className="settings__about" data-testid="about">
            <dt>{t('settings.about.version')}</dt>
            <dd>{hostInfo?.appVersion ?? '—'}</dd>
            <dt>{t('settings.about.host')}</dt>
            <dd>{hostInfo ? t(`settings.about.host.${hostInfo.kind}`) : '—'}</dd>
            <dt>{t('settings.about.server')}</dt>
            <dd>{hostInfo?.serverUrl ?? t('settings.about.sameOrigin', { origin: window.location.origin })}</dd>
          </dl>
        </Section>
      </div>
    </Page>
  );
}
