import { useEffect } from 'react';
import { LoginPage } from './features/login/LoginPage';
import { IncomingCallBanner } from './features/phone/IncomingCallBanner';
import { Shell } from './features/shell/Shell';
import { useT } from './i18n/useT';
import { useAppStore } from './stores/appStore';

export function App() {
  const t = useT();
  const locale = useAppStore((s) => s.locale);
  const status = useAppStore((s) => s.status);
  const resuming = useAppStore((s) => s.resuming);

  // Screen readers pick their voice, and browsers their CJK glyphs, from <html lang>.
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t('app.name');
  }, [locale, t]);

  if (resuming) {
    return (
      <div className="splash" role="status">
        {t('app.loading')}
      </div>
    );
  }
  return status === 'signed-in' ? (
    <>
      <Shell />
      <IncomingCallBanner />
    </>
  ) : (
    <LoginPage />
  );
}
