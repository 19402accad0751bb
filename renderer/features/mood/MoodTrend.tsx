import { useEffect, useState } from 'react';
import type { MoodPoint } from '../../../core/wire/mood';
import type { Translate } from '../../i18n/i18n';
import './mood.css';

const band = (score: number) => (score <= -0.45 ? 'bad' : score < -0.1 ? 'low' : score > 0.2 ? 'good' : 'calm');

/** A score as a coloured figure (-1 … +1), the same in the banner and the trend. */
export function MoodScore(props: { score: number }) {
  return <span className={`mood-score mood-score--${band(props.score)}`}>{props.score.toFixed(2)}</span>;
}

/**
 * The conversation's mood trend for the agent and the lead: one bar per customer message, oldest left,
 * re-read whenever a customer message arrives (`lastCustomerSeq`).
 */
export function MoodTrend(props: { conversationId: string; lastCustomerSeq: number; t: Translate; load(conversationId: string): Promise<{ points: MoodPoint[] }> }) {
  const { load } = props;
  const [points, setPoints] = useState<MoodPoint[]>([]);
  useEffect(() => {
    let live = true;
    load(props.conversationId).then(
      (m) => live && setPoints(m.points),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [load, props.conversationId, props.lastCustomerSeq]);
  if (points.length === 0) return null;
  const last = points.at(-1)!;
  return (
    <div className="mood-trend" data-testid="mood-trend" data-score={last.score} aria-label={props.t('mood.trend.label', { score: last.score.toFixed(2) })}>
      <span className="mood-trend__title">{props.t('mood.trend.title')}</span>
      <span className="mood-trend__bars" aria-hidden="true">
        {points.slice(-12).map((p) => (
          <span key={p.seq} className={`mood-trend__bar mood-score--${band(p.score)}`} style={{ height: `${Math.round(4 + (1 - p.score) * 8)}px` }} title={p.score.toFixed(2)} />
        ))}
      </span>
      <MoodScore score={last.score} />
    </div>
  );
}
