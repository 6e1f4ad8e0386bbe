import { useEffect, useState } from 'react';
import { useAnnounce } from './announcer';

interface CopyButtonProps {
  /** What is copied, for people who cannot see the context: "F(100)". */
  what: string;
  /** Resolves with the text to copy (it may have to be fetched first). */
  getText: () => Promise<string>;
}

type CopyState = 'idle' | 'copying' | 'copied' | 'failed';

/** Copies to the clipboard and says so, on screen for a moment and to screen readers. */
export function CopyButton({ what, getText }: CopyButtonProps) {
  const [state, setState] = useState<CopyState>('idle');
  const announce = useAnnounce();

  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  const label = state === 'copied' ? 'Copied' : 'Copy';

  async function copy() {
    setState('copying');
    try {
      await navigator.clipboard.writeText(await getText());
      setState('copied');
      announce(`Copied ${what}.`);
    } catch {
      setState('failed');
    }
  }

  return (
    <>
      <button
        type="button"
        className="button-small"
        onClick={() => void copy()}
        disabled={state === 'copying'}
        // The visible word first, then what it applies to: "Copy F(10)" is findable by voice and by reader.
        aria-label={`${label} ${what}`}
      >
        {label}
      </button>
      {state === 'failed' && (
        <span role="alert" className="inline-error">
          Could not copy: the browser refused, or the digits could not be loaded.
        </span>
      )}
    </>
  );
}
