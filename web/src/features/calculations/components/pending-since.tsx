import { formatDuration } from '../../../lib/format';
import { useNow } from '../../../lib/use-now';

/** "Calculating… 3 s": a pending entry shows that it works and for how long (since it was queued). */
export function PendingSince({ since }: { since: string | null }) {
  const now = useNow(1000);
  // Clocks of server and browser differ a little: a negative age would read as nonsense.
  const age = Math.max(0, now - (since ? Date.parse(since) : NaN));
  return (
    <p className="pending">
      <span className="spinner" aria-hidden="true" />
      Calculating…
      {age >= 1000 && <span className="pending-age"> {formatDuration(age)}</span>}
    </p>
  );
}
