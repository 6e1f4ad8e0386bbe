import { useConnectionStatus, type ConnectionState } from '../../../lib/connection-status';
import './connection-indicator.css';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

const DETAILS: Record<ConnectionState, string> = {
  connecting: 'Opening the live connection to the server.',
  live: 'Results arrive as soon as they are calculated.',
  reconnecting: 'The live connection dropped; trying again. Nothing is lost: the page catches up.',
  offline: 'No connection to the server; still trying. The page catches up once it is back.',
};

/** Whether results arrive live. A status region: changes are read out politely, never interrupting. */
export function ConnectionIndicator() {
  const { state } = useConnectionStatus();
  return (
    <p
      className={`connection connection-${state}`}
      role="status"
      title={DETAILS[state]}
      data-testid="connection-status"
      data-state={state}
    >
      <span className="connection-dot" aria-hidden="true" />
      {LABELS[state]}
      <span className="visually-hidden"> {DETAILS[state]}</span>
    </p>
  );
}
