// Types of `gotrue-wasm/load`: the loader without top-level await.

import type GoTrue from './index.js';
import type { User, Admin, HTTPError, TextHTTPError, JSONHTTPError } from './index.js';

export interface Classes {
  GoTrue: typeof GoTrue;
  User: typeof User;
  Admin: typeof Admin;
  HTTPError: typeof HTTPError;
  TextHTTPError: typeof TextHTTPError;
  JSONHTTPError: typeof JSONHTTPError;
}

export interface LoadOptions {
  /**
   * Where gotrue.wasm is, when not beside the loader: a bundler's asset URL
   * (`import wasmURL from 'gotrue-wasm/gotrue.wasm?url'`), a CDN. Resolved
   * against the page (in Node.js: a path or URL, against the working
   * directory).
   */
  wasmURL?: string | URL;
  /** The module itself instead of a URL: its bytes, or a Response. */
  wasm?: BufferSource | Response | Promise<BufferSource | Response>;
}

/**
 * Starts gotrue.wasm and resolves its classes. Only the first call loads;
 * later calls resolve the same classes (and ignore their options).
 */
export function load(options?: LoadOptions): Promise<Classes>;
