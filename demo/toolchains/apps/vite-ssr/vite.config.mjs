// The server build of an SSR app (`vite build --ssr entry-server.js`), with
// Vite's defaults: packages from node_modules stay imports, which Node
// resolves with its "node" condition when the server starts.
export default {
  build: { outDir: 'dist/external' },
};
