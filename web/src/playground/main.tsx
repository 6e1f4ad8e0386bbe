// Entry of playground.html: GraphiQL 5, bundled by Vite with its editor workers, so the page loads
// nothing from any other host (see docs/nginx-and-playground.md).
// Monaco needs to know how to start its workers before any editor exists: this import comes first.
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import './playground.css';
import { GraphiQL } from 'graphiql';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DEFAULT_TABS } from './default-tabs';
import { createPlaygroundFetcher } from './fetcher';

const fetcher = createPlaygroundFetcher();

const root = document.getElementById('playground');
if (!root) throw new Error('playground.html has no #playground element');
createRoot(root).render(
  <StrictMode>
    <GraphiQL fetcher={fetcher} defaultTabs={DEFAULT_TABS} defaultEditorToolsVisibility>
      <GraphiQL.Logo>fibgraph playground</GraphiQL.Logo>
    </GraphiQL>
  </StrictMode>,
);
