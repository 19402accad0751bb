import { useT } from '../../i18n/useT';
import { PolicyCheckbox } from '../settings/PolicyCheckbox';

/** "Answer calls automatically" (the AutoAnswer policy): on the Phone page and in Settings → Phone. */
export function AutoAnswerToggle(props: { testId: string }) {
  const t = useT();
  return (
    <PolicyCheckbox
      name="AutoAnswer"
      label={t('phone.autoAnswer.label')}
      hint={t('phone.autoAnswer.hint')}
      testId={props.testId}
      inputTestId={`${props.testId}-input`}
      className="auto-answer"
    />
  );
}
