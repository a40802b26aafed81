// A deliberately wrong client, for the test that the side-by-side harness
// notices a difference: gotrue-wasm whose login forgets `remember`.
import GoTrue from '/js/gotrue.mjs';

export * from '/js/gotrue.mjs';

export default class Mutant extends GoTrue {
  login(email, password) {
    return super.login(email, password);
  }
}
