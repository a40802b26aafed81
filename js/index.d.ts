// Types of gotrue-wasm: the API of gotrue-js 1.0.1, plus the loader's
// globals (GoTrueReady, GOTRUE_WASM_URL).

export interface GoTrueInit {
  /** Default `/.netlify/identity`. */
  APIUrl?: string;
  /** Sent as `X-JWT-AUD`; default `''` (none). */
  audience?: string;
  /** Ask the server for an `nf_jwt` cookie (`X-Use-Cookie`); default `false`. */
  setCookie?: boolean;
  /** Sent as `X-Nf-Client`; default `'gotrue-js'`. */
  clientName?: string;
  /**
   * gotrue-wasm only: keep the current user's access token fresh in the
   * background while the page is visible (one tab at a time, within the
   * server's /token rate limit); each refresh fires `'token_refresh'`.
   * Default `false`.
   */
  autoRefresh?: boolean;
}

/** gotrue-wasm only: the events of `gotrue.on()`. */
export type AuthEvent = 'login' | 'logout' | 'token_refresh' | 'user_update';

/** The listener of each event: the user, or nothing for `'logout'`. */
export type AuthListener<E extends AuthEvent> = E extends 'logout' ? () => void : (user: User) => void;

/** gotrue-wasm only: what `gotrue.handleRedirect()` did with a link. */
export type RedirectResult =
  | { type: 'confirmation' | 'recovery' | 'external' | 'email_change'; user: User }
  | { type: 'invite'; token: string }
  | { type: 'error'; error: Error };

/** gotrue-wasm only: the options of `user.admin.listUsers({...})`. */
export interface ListUsersOptions {
  /** From 1. */
  page?: number;
  /** The server's default is 50. */
  perPage?: number;
  /** Keeps the users whose email or full name contain it. */
  filter?: string;
  /** The user's audience when left out. */
  aud?: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  credentials?: RequestCredentials;
  audience?: string;
}

/** gotrue.api: the class is not exported, as in gotrue-js. */
export interface API {
  apiURL: string;
  defaultHeaders: Record<string, string>;
  request<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
}

export interface Settings {
  autoconfirm: boolean;
  disable_signup: boolean;
  external: {
    bitbucket: boolean;
    email: boolean;
    facebook: boolean;
    github: boolean;
    gitlab: boolean;
    google: boolean;
    [provider: string]: boolean;
  };
  external_labels?: Record<string, string>;
}

export interface SignupResponse {
  id: string;
  email: string;
  confirmation_sent_at?: string;
  confirmed_at?: string;
  [key: string]: unknown;
}

export interface Token {
  access_token: string;
  expires_at: number;
  expires_in: number;
  refresh_token: string;
  token_type: 'bearer';
}

export interface AppMetadata {
  provider: string;
  roles?: string[];
  [key: string]: unknown;
}

export interface UserData {
  id: string;
  aud: string;
  email: string;
  role: string;
  app_metadata: AppMetadata;
  user_metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
  [key: string]: unknown;
}

export interface UserAttributes {
  email?: string;
  password?: string;
  [key: string]: unknown;
}

export default class GoTrue {
  /** The module's other exports, for code written for gotrue-js's script-tag bundle (window.GoTrue.JSONHTTPError). */
  static readonly default: typeof GoTrue;
  static readonly User: typeof User;
  static readonly Admin: typeof Admin;
  static readonly HTTPError: typeof HTTPError;
  static readonly TextHTTPError: typeof TextHTTPError;
  static readonly JSONHTTPError: typeof JSONHTTPError;
  audience?: string;
  setCookie: boolean;
  api: API;
  constructor(options?: GoTrueInit);
  _request<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
  settings(): Promise<Settings>;
  signup(email: string, password: string, data?: Record<string, unknown>): Promise<SignupResponse>;
  login(email: string, password: string, remember?: boolean): Promise<User>;
  loginExternalUrl(provider: string): string;
  confirm(token: string, remember?: boolean): Promise<User>;
  requestPasswordRecovery(email: string): Promise<void>;
  recover(token: string, remember?: boolean): Promise<User>;
  acceptInvite(token: string, password: string, remember?: boolean): Promise<User>;
  acceptInviteExternalUrl(provider: string, token: string): string;
  /** tokenResponse may hold strings only, as parsed from an OAuth callback's URL hash. */
  createUser(tokenResponse: Partial<Record<keyof Token, string | number>> | Token, remember?: boolean): Promise<User>;
  currentUser(): User | null;
  validateCurrentSession(): Promise<User | null>;
  verify(type: string, token: string, remember?: boolean): Promise<User>;
  _setRememberHeaders(remember?: boolean): void;
  /**
   * gotrue-wasm only: call listener on every `event` of the session, from
   * any GoTrue of the page or another tab of the same origin. Returns the
   * function that removes it. A listener that throws is reported and does
   * not stop the others.
   */
  on<E extends AuthEvent>(event: E, listener: AuthListener<E>): () => void;
  /** gotrue-wasm only: remove a listener added by `on`. */
  off<E extends AuthEvent>(event: E, listener: AuthListener<E>): void;
  /**
   * gotrue-wasm only: handle the link the page was opened with (or `url`):
   * a mail's `#confirmation_token`, `#recovery_token`, `#invite_token`,
   * `#email_change_token`, an external login's `#access_token…` or
   * `#error…`. Resolves `null` when there is nothing to handle; removes
   * the parameters it used from the address bar. `remember` defaults to
   * `true`.
   */
  handleRedirect(url?: string, remember?: boolean): Promise<RedirectResult | null>;
}

/** Made by GoTrue (login, currentUser, …); a page rarely needs the constructor. */
export class User {
  api: API;
  url: string;
  audience: string;
  token: Token | null;
  _fromStorage?: boolean;
  id: string;
  aud: string;
  email: string;
  role: string;
  app_metadata: AppMetadata;
  user_metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  confirmed_at: string | null;
  new_email?: string;
  [key: string]: unknown;
  constructor(api: API, tokenResponse: Token, audience: string);
  static removeSavedSession(): void;
  static recoverSession(apiInstance?: API): User | null;
  get admin(): Admin;
  update(attributes: UserAttributes): Promise<User>;
  jwt(forceRefresh?: boolean): Promise<string>;
  logout(): Promise<void>;
  _refreshToken(refresh_token: string): Promise<string>;
  _request<T = unknown>(path: string, options?: RequestOptions): Promise<T>;
  getUserData(): Promise<User>;
  _saveUserData(attributes: Record<string, unknown>, fromStorage?: boolean): User;
  _processTokenResponse(tokenResponse: Token): void;
  _refreshSavedSession(): User;
  get _details(): Record<string, unknown>;
  _saveSession(): User;
  tokenDetails(): Token | null;
  clearSession(): void;
}

export class Admin {
  private user;
  constructor(user: User);
  listUsers(aud?: string): Promise<{ aud: string; users: UserData[] }>;
  /** gotrue-wasm only: one page of users; `total` is the server's X-Total-Count (null when the page cannot read it). */
  listUsers(options: ListUsersOptions): Promise<{ aud: string; users: UserData[]; total: number | null }>;
  getUser(user: Pick<UserData, 'id'>): Promise<UserData>;
  updateUser(user: Pick<UserData, 'id'>, attributes?: UserAttributes): Promise<UserData>;
  createUser(email: string, password: string, attributes?: UserAttributes): Promise<UserData>;
  deleteUser(user: Pick<UserData, 'id'>): Promise<void>;
  /** gotrue-wasm only: invite a user by mail (POST /invite); `data` becomes the user's user_metadata. */
  inviteUser(email: string, data?: Record<string, unknown>): Promise<UserData>;
}

export class HTTPError extends Error {
  status: number;
  constructor(response: { status: number; statusText: string });
}

export class TextHTTPError extends HTTPError {
  data: string;
  constructor(response: { status: number; statusText: string }, data: string);
}

export class JSONHTTPError extends HTTPError {
  json: {
    msg?: string;
    error?: string;
    error_description?: string;
    [key: string]: unknown;
  };
  constructor(response: { status: number; statusText: string }, json: Record<string, unknown>);
}

declare global {
  interface Window {
    /** The GoTrue class, once gotrue.wasm is running. */
    GoTrue: typeof GoTrue;
    /** gotrue.js (classic script): resolves to the GoTrue class, or rejects if loading failed. */
    GoTrueReady: Promise<typeof GoTrue>;
  }
  interface WindowEventMap {
    'gotrue:ready': CustomEvent<typeof GoTrue>;
  }
  /** Set before importing gotrue.mjs to load gotrue.wasm from another URL. */
  var GOTRUE_WASM_URL: string | undefined;
}
