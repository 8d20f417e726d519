/** Access keys for a broker that runs with `--auth sigv4`. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
}

const KEY = "mailroom.credentials";

/** Kept in session storage only: gone when the tab closes, never sent anywhere but in signatures. */
export function storedCredentials(): Credentials | undefined {
  const text = sessionStorage.getItem(KEY);
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as Credentials;
  } catch {
    return undefined;
  }
}

export function storeCredentials(credentials: Credentials | undefined): void {
  if (credentials === undefined) sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, JSON.stringify(credentials));
}
