import { useEffect } from 'react';
import { LoginPage } from './features/login/LoginPage';
import { Shell } from './features/shell/Shell';
import { WebModeBlocked } from './features/settings/WebModeBlocked';
import { useT } from './i18n/useT';
import { useAppStore } from './stores/appStore';

export function App() {
  const t = useT();
  const locale = useAppStore((s) => s.locale);
  const status = useAppStore((s) => s.status);
  const resuming = useAppStore((s) => s.resuming);
  // IT turned web mode off (AllowWebMode policy, served by the central server): nothing but the way out.
  const webBlocked = useAppStore((s) => s.hostInfo?.kind === 'browser' && s.policy.values.AllowWebMode === false);

  // Screen readers pick their voice, and browsers their CJK glyphs, from <html lang>.
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t('app.name');
  }, [locale, t]);

  if (webBlocked) return <WebModeBlocked />;
  if (resuming) {
    return (
      <div className="splash" role="status">
        {t('app.loading')}
      </div>
    );
  }
  return status === 'signed-in' ? (
    <Shell />
  ) : (
    <LoginPage />
  );
}
