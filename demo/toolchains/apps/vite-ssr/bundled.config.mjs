// The same server build with its packages bundled in (ssr.noExternal), as
// deploys to serverless functions often do: the package's modules move
// into the build, away from the gotrue.wasm beside them.
export default {
  ssr: { noExternal: true },
  build: { outDir: 'dist/bundled' },
};
