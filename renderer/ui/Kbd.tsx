/** One key combination, e.g. Alt + 1, as <kbd> elements. */
export function KeyCombo(props: { keys: readonly string[] }) {
  return (
    <span className="key-combo">
      {props.keys.map((k, i) => (
        <kbd key={i}>{k}</kbd>
      ))}
    </span>
  );
}
