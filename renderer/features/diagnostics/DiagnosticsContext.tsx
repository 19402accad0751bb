import { createContext, useContext, type ReactNode } from 'react';
import type { Diagnostics } from '../../services/log/diagnostics';

const DiagnosticsContext = createContext<Diagnostics | null>(null);

export function DiagnosticsProvider(props: { diagnostics: Diagnostics; children: ReactNode }) {
  return <DiagnosticsContext.Provider value={props.diagnostics}>{props.children}</DiagnosticsContext.Provider>;
}

/** The app's diagnostics; null without a provider (component tests of other pages), which hides the section. */
export function useDiagnostics(): Diagnostics | null {
  return useContext(DiagnosticsContext);
}
