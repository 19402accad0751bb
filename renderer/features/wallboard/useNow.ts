import { useEffect, useState } from 'react';

/** This machine's clock, re-read every `everyMs` (the wallboard's timers tick without asking the server). */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}
