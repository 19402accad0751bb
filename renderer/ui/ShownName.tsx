import { showName } from '../../core/chat/safeText';

/**
 * A customer- or user-controlled name on one line (customer, author, ticket customer, reply title), shown
 * through the one text policy (core/chat/safeText showName): bidi controls and invisible characters are
 * removed, so "invoice\u202Egpj.exe" cannot read as "invoiceexe.jpg", and a visible marker says that
 * something was removed. React text nodes only.
 */
export function ShownName(props: { text: string | null | undefined; fallback?: string; flagLabel: string; className?: string; testId?: string }) {
  const shown = showName(props.text);
  return (
    <span className={props.className} data-testid={props.testId} data-flagged={shown.flagged ? 'true' : undefined}>
      {shown.text || props.fallback}
      {shown.flagged ? <TextFlag label={props.flagLabel} /> : null}
    </span>
  );
}

/** The visible marker for "characters were removed from this text"; the label is the explanation. */
export function TextFlag(props: { label: string }) {
  return (
    <span className="text-flag" role="img" aria-label={props.label} title={props.label} data-testid="text-flag">
      {' ⚠'}
    </span>
  );
}
