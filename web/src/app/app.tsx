import { CalculationsPanel } from '../features/calculations/components/calculations-panel';
import { ConnectionIndicator } from '../features/connection/components/connection-indicator';
import { HistoryPanel } from '../features/history/components/history-panel';
import { SubmitForm } from '../features/submit/components/submit-form';

/** The one page: the form on top, then results and submissions (side by side when there is room). */
export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <div>
          <h1>fibgraph</h1>
          <p className="tagline">Exact Fibonacci numbers, live in every open tab.</p>
        </div>
        <ConnectionIndicator />
      </header>
      <main>
        <SubmitForm />
        <div className="panels">
          <CalculationsPanel />
          <HistoryPanel />
        </div>
      </main>
    </div>
  );
}
