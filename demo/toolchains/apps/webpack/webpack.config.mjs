import path from 'node:path';
import { fileURLToPath } from 'node:url';

// webpack's getting-started configuration: one entry, bundled into dist/,
// which index.html loads.
export default {
  mode: 'production',
  entry: './main.js',
  output: {
    path: path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'dist'),
    filename: 'main.js',
    clean: true,
  },
};
