import { useT } from '../../i18n/useT';
import { PolicyCheckbox } from '../settings/PolicyCheckbox';

/**
 * Echo cancellation, noise suppression and automatic gain on the microphone (the EchoCancellation,
 * NoiseSuppression and AutoGainControl policies): in Settings → Phone, locked where IT sets them. A change
 * applies from the next call.
 */
export function AudioProcessingSettings() {
  const t = useT();
  return (
    <fieldset className="audio-processing" data-testid="audio-processing">
      <legend className="field__label">{t('phone.processing.title')}</legend>
      <PolicyCheckbox name="EchoCancellation" label={t('phone.processing.echo')} testId="processing-echo" inputTestId="processing-echo-input" />
      <PolicyCheckbox name="NoiseSuppression" label={t('phone.processing.noise')} testId="processing-noise" inputTestId="processing-noise-input" />
      <PolicyCheckbox name="AutoGainControl" label={t('phone.processing.gain')} testId="processing-gain" inputTestId="processing-gain-input" />
      <p className="field__hint">{t('phone.processing.hint')}</p>
    </fieldset>
  );
}
