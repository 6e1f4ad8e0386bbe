import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  build: {
    rolldownOptions: {
      // The GraphQL playground is a second page with its own bundle (see docs/nginx-and-playground.md).
      input: { main: 'index.html', playground: 'playground.html' },
    },
  },
});
