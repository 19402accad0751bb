import { useEffect, useId, useState } from 'react';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/appStore';
import type { DeviceKind } from '../../services/phone/phone';

const kinds: Array<{ kind: DeviceKind; media: MediaDeviceKind }> = [
  { kind: 'microphone', media: 'audioinput' },
  { kind: 'speaker', media: 'audiooutput' },
  { kind: 'ringer', media: 'audiooutput' },
];

/** Lists audio devices and follows plugging/unplugging; a change applies to live calls at once. */
function useMediaDevices(): MediaDeviceInfo[] {
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  useEffect(() => {
    const media = navigator.mediaDevices as MediaDevices | undefined;
    if (!media) return;
    let alive = true;
    const load = () => {
      media
        .enumerateDevices()
        .then((list) => alive && setDevices(list))
        .catch(() => undefined);
    };
    load();
    media.addEventListener('devicechange', load);
    return () => {
      alive = false;
      media.removeEventListener('devicechange', load);
    };
  }, []);
  return devices;
}

export function DevicePickers() {
  const t = useT();
  const id = useId();
  const chosen = useAppStore((s) => s.phone.devices);
  const setDevice = useAppStore((s) => s.setPhoneDevice);
  const secondRing = useAppStore((s) => s.phone.secondRing);
  const setSecondRing = useAppStore((s) => s.setSecondRing);
  const devices = useMediaDevices();
  const outputs = devices.filter((d) => d.kind === 'audiooutput' && d.deviceId !== 'default' && d.deviceId !== 'communications' && d.deviceId !== '');
  return (
    <section className="devices" aria-labelledby={`${id}-title`}>
      <h2 className="phone__section-title" id={`${id}-title`}>
        {t('phone.devices.title')}
      </h2>
      {kinds.map(({ kind, media }) => {
        // "default" and "communications" are aliases Chromium adds; the empty id already means the default.
        const options = devices.filter((d) => d.kind === media && d.deviceId !== 'default' && d.deviceId !== 'communications' && d.deviceId !== '');
        return (
          <div className="field" key={kind}>
            <label htmlFor={`${id}-${kind}`} className="field__label">
              {t(`phone.devices.${kind}`)}
            </label>
            <select id={`${id}-${kind}`} className="select" data-testid={`device-${kind}`} value={chosen[kind]} onChange={(e) => void setDevice(kind, e.target.value)}>
              <option value="">{t('phone.devices.default')}</option>
              {options.map((d, i) => (
                <option key={d.deviceId} value={d.deviceId}>
                  {d.label || t('phone.devices.unnamed', { n: i + 1 })}
                </option>
              ))}
            </select>
          </div>
        );
      })}
      <div className="field">
        <label htmlFor={`${id}-second-ring`} className="field__label">
          {t('phone.devices.secondRing')}
        </label>
        {/* '-' stands for off in the select: '' already means the system default output. */}
        <select id={`${id}-second-ring`} className="select" data-testid="device-second-ring" value={secondRing ?? '-'} onChange={(e) => void setSecondRing(e.target.value === '-' ? null : e.target.value)}>
          <option value="-">{t('phone.devices.secondRingOff')}</option>
          <option value="">{t('phone.devices.default')}</option>
          {outputs.map((d, i) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label || t('phone.devices.unnamed', { n: i + 1 })}
            </option>
          ))}
        </select>
      </div>
      <p className="field__hint">{t('phone.devices.hint')}</p>
    </section>
  );
}
