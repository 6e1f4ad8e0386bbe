// Placeholder page so the local stack has a client to serve until the real web app lands.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

function App() {
  return (
    <main>
      <h1>fibgraph</h1>
      <p>The web client is not built yet. The GraphQL API is at /api/graphql.</p>
    </main>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
