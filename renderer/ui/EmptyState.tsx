import type { ReactNode } from 'react';

/** A calm explanation of what will appear where there is nothing yet. */
export function EmptyState(props: { icon: ReactNode; title: string; children: ReactNode }) {
  return (
    <section className="empty-state" aria-labelledby="empty-state-title">
      <div className="empty-state__icon">{props.icon}</div>
      <h2 id="empty-state-title" className="empty-state__title">
        {props.title}
      </h2>
      <p className="empty-state__body">{props.children}</p>
    </section>
  );
}

/** The frame every page shares: a heading and the page's content. */
export function Page(props: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <div className="page">
      <header className="page__header">
        <h1 className="page__title">{props.title}</h1>
        {props.actions}
      </header>
      <div className="page__body">{props.children}</div>
    </div>
  );
}
