import { createContext, useContext, type ReactNode } from 'react';
import type { HidHeadset } from '../../services/headset/hidHeadset';

const HeadsetContext = createContext<HidHeadset | null>(null);

export function HeadsetProvider(props: { headset: HidHeadset; children: ReactNode }) {
  return <HeadsetContext.Provider value={props.headset}>{props.children}</HeadsetContext.Provider>;
}

/** The headset link; null without a provider (component tests), which hides the headset setting. */
export function useHeadset(): HidHeadset | null {
  return useContext(HeadsetContext);
}
