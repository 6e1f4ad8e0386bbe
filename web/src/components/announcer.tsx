import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';

type Announce = (message: string) => void;

const AnnounceContext = createContext<Announce>(() => undefined);

/** Messages arriving within this window are read out together, not cut off one by the next (ms). */
const GATHER_MS = 400;
/** More than this many gathered messages are summarised, not read one by one. */
const MAX_READ = 3;

/**
 * One polite live region for the whole page. Screen readers read its new text when they are idle;
 * a burst of results from other tabs becomes one sentence instead of a queue of interruptions.
 */
export function AnnouncerProvider({ children }: { children: ReactNode }) {
  const [text, setText] = useState('');
  const pending = useRef<string[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const announce = useCallback<Announce>((message) => {
    pending.current.push(message);
    if (timer.current) return;
    timer.current = setTimeout(() => {
      const messages = pending.current.splice(0);
      timer.current = undefined;
      const shown = messages.slice(-MAX_READ);
      const more = messages.length - shown.length;
      // A repeat of the same words must still be a change, or the screen reader stays silent.
      setText((previous) => {
        const next = [...(more > 0 ? [`${more} more before.`] : []), ...shown].join(' ');
        return previous === next ? `${next}\u00a0` : next;
      });
    }, GATHER_MS);
  }, []);

  useEffect(() => () => clearTimeout(timer.current), []);

  return (
    <AnnounceContext.Provider value={announce}>
      {children}
      <div role="status" aria-live="polite" className="visually-hidden" data-testid="announcer">
        {text}
      </div>
    </AnnounceContext.Provider>
  );
}

export function useAnnounce(): Announce {
  return useContext(AnnounceContext);
}
