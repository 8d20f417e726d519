import { scopeProblems, unknownAccessKey, wrongScope } from "./auth-errors.ts";
import { BoundedCache } from "./bounded-cache.ts";
import { readCredentialScope } from "./credential-scope.ts";
import type { CredentialScope } from "./credential-scope.ts";
import type { Credential } from "./signed-request.ts";
import { SigningKey, deriveSigningKey } from "./signing-key.ts";

/** A credential scope that passed its checks, whose access key is known, with its signing key. */
export interface ScopedKey {
  scope: CredentialScope;
  credential: Credential;
  key: SigningKey;
}

/**
 * Checked credential scopes and their signing keys, by the credential as sent
 * (`AKID/20261204/us-east-1/sqs/aws4_request`). The scope is checked, the
 * access key looked up and the signing key derived (four HMACs) once per key,
 * day and region, not on every request; only the scope's date is compared
 * with each request's. Bounded (64 by default): a new day's scopes push out
 * the old ones, and made-up regions cannot grow it.
 */
export class ScopedKeys {
  private readonly byKeyId = new Map<string, Credential>();
  private readonly keys: BoundedCache<ScopedKey>;

  /** @throws Error when an access key id is listed twice. */
  constructor(
    credentials: readonly Credential[],
    private readonly service: string,
    maxEntries = 64,
  ) {
    for (const credential of credentials) {
      if (this.byKeyId.has(credential.accessKeyId)) {
        throw new Error(`access key id ${credential.accessKeyId} is listed twice`);
      }
      this.byKeyId.set(credential.accessKeyId, credential);
    }
    this.keys = new BoundedCache(maxEntries);
  }

  /**
   * The checked scope and key for `credential` on a request signed at `amzDate`.
   *
   * @throws ProtocolError IncompleteSignature or SignatureDoesNotMatch for a
   *   bad scope (see readCredentialScope), InvalidClientTokenId for an
   *   unknown access key.
   */
  forRequest(credential: string, amzDate: string): ScopedKey {
    const cached = this.keys.get(credential);
    if (cached !== undefined) {
      // Everything else about the scope is the text itself, checked when cached.
      if (!amzDate.startsWith(cached.scope.date)) {
        throw wrongScope(scopeProblems.date(cached.scope.date, amzDate));
      }
      return cached;
    }
    const scope = readCredentialScope(credential, amzDate, this.service);
    const known = this.byKeyId.get(scope.accessKeyId);
    if (known === undefined) throw unknownAccessKey();
    const key = new SigningKey(
      deriveSigningKey(known.secretAccessKey, scope.date, scope.region, scope.service),
    );
    const scoped = { scope, credential: known, key };
    this.keys.set(credential, scoped);
    return scoped;
  }

  get size(): number {
    return this.keys.size;
  }
}
