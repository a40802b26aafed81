// Vite 5 with its defaults: nothing to configure. (A plain object, not
// defineConfig from 'vite', because in this directory 'vite' is Vite 8;
// Vite 5 is installed under the alias vite5.)
export default {};
