// Boot only: the client, the providers and the page.
// Base styles first: the features' own stylesheets, imported by their components, refine them.
import './app/styles.css';
import './app/layout.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createAppClient } from './app/apollo-client';
import { App } from './app/app';
import { Providers } from './app/providers';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <Providers appClient={createAppClient()}>
      <App />
    </Providers>
  </StrictMode>,
);
