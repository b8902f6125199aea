/**
 * A section named by its own title: the title carries `id`, the section `aria-labelledby` it,
 * so the two cannot drift apart. The title is a heading (`h2`) where it heads a part of the
 * page, a paragraph where it only labels a box inside one.
 * @module
 */
import type { ComponentChildren } from 'preact';

export interface TitledSectionProps {
  class: string;
  id: string;
  title: ComponentChildren;
  titleClass: string;
  titleTag?: 'h2' | 'p';
  children: ComponentChildren;
}

export function TitledSection({ class: className, id, title, titleClass, titleTag: Title = 'h2', children }: TitledSectionProps) {
  return (
    <section class={className} aria-labelledby={id}>
      <Title class={titleClass} id={id}>
        {title}
      </Title>
      {children}
    </section>
  );
}
