import { defineConfig } from 'vite';

// The identity API lives on another server in development; Vite's dev
// server proxies it (https://vite.dev/config/server-options#server-proxy).
// IDENTITY_URL is that server's origin, e.g. http://127.0.0.1:8080.
export default defineConfig({
  server: {
    proxy: process.env.IDENTITY_URL
      ? { '/.netlify/identity': process.env.IDENTITY_URL }
      : {},
  },
});
