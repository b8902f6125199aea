/**
 * The sessions of one origin, under the origin as a heading.
 * @module
 */
import type { OriginGroup as Group } from '../session-groups.js';
import { OriginName } from './origin-name.js';
import { PunycodeWarning } from './punycode-warning.js';
import { SessionCard } from './session-card.js';

export interface OriginGroupProps {
  group: Group;
  headingId: string;
  now: number;
  onRevoke: (sessionId: string) => Promise<void>;
}

export function OriginGroup({ group, headingId, now, onRevoke }: OriginGroupProps) {
  const n = group.sessions.length;
  return (
    <section class="origin-group" aria-labelledby={headingId}>
      <h2 class="origin-group__title" id={headingId}>
        <OriginName origin={group.origin} />
        <span class="origin-group__count">
          {n} {n === 1 ? 'session' : 'sessions'}
        </span>
      </h2>
      <PunycodeWarning origin={group.origin} />
      <div class="origin-group__list">
        {group.sessions.map((s) => (
          <SessionCard key={s.id} session={s} now={now} onRevoke={onRevoke} />
        ))}
      </div>
    </section>
  );
}
