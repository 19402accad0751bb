import { useT } from '../../i18n/useT';
import type { QualitySample } from '../../services/phone/phone';

/**
 * MOS from the last second of getStats, coloured by band; a poor band says what the agent can do about
 * it. Byte counters are data attributes so a support engineer (and the e2e test) can see audio moving.
 */
export function QualityBadge(props: { sample: QualitySample | undefined }) {
  const t = useT();
  const s = props.sample;
  return (
    <div className="quality" data-testid="call-quality" data-band={s?.band ?? 'unknown'} data-bytes-in={s?.bytesIn ?? 0} data-bytes-out={s?.bytesOut ?? 0} data-mos={s ? s.mos.toFixed(2) : ''}>
      <span className="quality__label">{t('phone.quality.label')}</span>
      {s ? (
        <span className={`quality__badge quality__badge--${s.band}`} title={`RTT ${Math.round(s.rttMs)} ms · jitter ${Math.round(s.jitterMs)} ms · loss ${s.lossPct.toFixed(1)}% · ${s.codec}`}>
          <span className="quality__dot" aria-hidden="true" />
          {t(`phone.quality.${s.band}`)} · {t('phone.quality.mos', { mos: s.mos.toFixed(1) })}
        </span>
      ) : (
        <span className="quality__badge">{t('phone.quality.measuring')}</span>
      )}
      {s?.band === 'poor' && (
        <p className="quality__warning" role="alert" data-testid="quality-warning">
          {t('phone.quality.warning')}
        </p>
      )}
    </div>
  );
}
