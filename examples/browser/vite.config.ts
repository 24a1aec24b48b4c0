/**
 * Vite config of the browser example. Run it from the repository root with `npm run example:browser`
 * (or `npx vite examples/browser`).
 */
import { fileURLToPath } from 'node:url';
import { msw } from 'msw/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: {
    alias: {
      // In your app `okta-apigee-sim/browser` comes from node_modules. Here it points at the sources, so
      // the example runs without a build.
      'okta-apigee-sim/browser': fileURLToPath(new URL('../../src/browser/index.ts', import.meta.url)),
    },
  },
  plugins: [
    // msw's own Vite plugin serves /mockServiceWorker.js straight from the installed msw (and `vite build`
    // emits it), so the worker script always matches the msw version. 'worker-only': we start the worker
    // ourselves with setupSimulatorWorker(sim).start().
    msw({ mode: 'worker-only' }),
  ],
});
