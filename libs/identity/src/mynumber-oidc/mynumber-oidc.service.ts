import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '@madoguchi/config';
import { APP_CONFIG, Clock, isMunicipalityId, type MunicipalityId, RequestError } from '@madoguchi/kernel';
import * as client from 'openid-client';
import { randomBytes } from 'node:crypto';
import type { ResidentPrincipal } from '../access/principal';
import { localReturnPath } from '../access/return-path';
import { tokenHash } from '../crypto/tokens';
import { JpkiAuthService } from '../jpki-auth/jpki-auth.service';
import { SimulatedCardStore } from '../simulated-digital-auth/simulated-card.store';
import { MyNumberOidcError } from './mynumber-oidc.errors';
import { MyNumberSigningTargets } from './mynumber-signing-targets';
import { type MyNumberTransaction, MyNumberTransactionRepository } from './mynumber-transaction.repository';

export const MYNUMBER_TRANSACTION_TTL_MS = 10 * 60_000;
export const LOGIN_SCOPE = 'openid name address birthdate gender';
export const SIGN_SCOPE = 'openid sign';

/** What the callback did: a resident to start a session for, or a signature stored. */
export type MyNumberCallbackResult =
  | { purpose: 'login'; municipalityId: MunicipalityId; residentId: string; returnPath: string | null; basic4: { name: string; address: string; dateOfBirth: string; sex: string } }
  | { purpose: 'sign'; municipalityId: MunicipalityId; returnPath: string };

/**
 * The portal as an OpenID Connect relying party of the digital
 * authentication service (openid-client). The round trip is kept on the
 * server (state hash, PKCE verifier, nonce, what is being signed) and bound
 * to the browser by a random HTTP-only cookie; the service is never taken at
 * its word about the card: the card's signature and certificate chain from
 * userinfo go through our JPKI verifier (trust anchors, CRLs), exactly as in
 * `POST /auth/jpki/login` and `POST /applications/:id/signature`.
 */
@Injectable()
export class MyNumberOidcService {
  private readonly logger = new Logger('MyNumberOidc');
  private configuration?: Promise<client.Configuration>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly transactions: MyNumberTransactionRepository,
    private readonly jpki: JpkiAuthService,
    private readonly targets: MyNumberSigningTargets,
    private readonly simulatedCards: SimulatedCardStore,
    private readonly clock: Clock,
  ) {}

  /** Starts sign-in: returns where to send the browser and the binding to set as a cookie. */
  async startLogin(municipalityId: MunicipalityId, next?: unknown): Promise<{ redirectTo: string; browserBinding: string }> {
    this.assertEnabled();
    const returnPath = localReturnPath(next);
    // The OIDC nonce is a JPKI login nonce: the card signs it, and
    // JpkiAuthService.login spends it once, as for the API flow.
    const { nonce } = await this.jpki.issueNonce(municipalityId);
    return this.start({ municipalityId, purpose: 'login', nonce, residentId: null, targetKind: null, targetId: null, contentHash: null, returnPath }, LOGIN_SCOPE, {});
  }

  /** Starts a sign transaction over the target's content hash, for the signed-in resident. */
  async startSigning(resident: ResidentPrincipal, targetKind: string, targetId: string): Promise<{ redirectTo: string; browserBinding: string }> {
    // Whose application it is comes first: another resident's is a 404 whatever the configuration.
    const contentHash = await this.targets.get(targetKind).contentHash(resident, targetId);
    this.assertEnabled();
    const nonce = randomBytes(32).toString('base64url');
    return this.start(
      { municipalityId: resident.municipalityId, purpose: 'sign', nonce, residentId: resident.id, targetKind, targetId, contentHash, returnPath: null },
      SIGN_SCOPE,
      { sign_content_hash: contentHash },
    );
  }

  /**
   * The browser is back. Checks the transaction (state, this browser, once,
   * in time), redeems the code with PKCE, validates the ID token (issuer,
   * audience, signature, nonce, acr), reads userinfo and verifies the card.
   */
  async complete(callbackUrl: URL, browserBinding: string | undefined, signedIn: ResidentPrincipal | null): Promise<MyNumberCallbackResult> {
    this.assertEnabled();
    const state = callbackUrl.searchParams.get('state');
    const municipalityId = state ? municipalityOfState(state) : null;
    if (!state || !municipalityId || !browserBinding) throw MyNumberOidcError.transactionInvalid();
    const transaction = await this.transactions.consume(municipalityId, tokenHash(state), tokenHash(browserBinding), this.clock.now());
    if (!transaction) throw MyNumberOidcError.transactionInvalid();
    if (callbackUrl.searchParams.get('error') === 'access_denied') throw MyNumberOidcError.cancelled();
    const configuration = await this.discovered();
    let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
    let userinfo: client.UserInfoResponse;
    try {
      tokens = await client.authorizationCodeGrant(
        configuration,
        callbackUrl,
        { pkceCodeVerifier: transaction.codeVerifier, expectedState: state, expectedNonce: transaction.nonce, idTokenExpected: true },
        { redirect_uri: this.config.digitalAuth.redirectUri },
      );
      const claims = tokens.claims();
      if (!claims) throw new Error('no ID token');
      if (claims.acr !== this.config.digitalAuth.acr) throw new Error(`acr ${String(claims.acr)} is not the level asked for`);
      userinfo = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
    } catch (error) {
      if (error instanceof RequestError) throw error;
      // Reason codes only: never tokens or personal data in the log.
      const reason = error instanceof Error ? `${error.name}: ${(error as { code?: string }).code ?? error.message}` : 'unknown';
      this.logger.warn({ msg: 'OIDC callback refused', reason });
      throw MyNumberOidcError.responseInvalid(reason);
    }

    if (transaction.purpose === 'login') {
      const residentId = await this.jpki.login(transaction.municipalityId, {
        nonce: transaction.nonce,
        signature: stringClaim(userinfo, 'jpki_auth_signature'),
        certificateChain: chainClaim(userinfo, 'jpki_auth_certificate_chain'),
      });
      const address = userinfo.address as { formatted?: string } | undefined;
      return {
        purpose: 'login',
        municipalityId: transaction.municipalityId,
        residentId,
        // Checked again on the way out: the row could predate the rule.
        returnPath: localReturnPath(transaction.returnPath),
        basic4: { name: String(userinfo.name ?? ''), address: String(address?.formatted ?? ''), dateOfBirth: String(userinfo.birthdate ?? ''), sex: String(userinfo.gender ?? '') },
      };
    }

    // A sign transaction finishes in the session that started it.
    if (!signedIn || signedIn.id !== transaction.residentId || signedIn.municipalityId !== transaction.municipalityId) throw MyNumberOidcError.transactionInvalid();
    if (stringClaim(userinfo, 'jpki_signed_content_hash') !== transaction.contentHash) throw MyNumberOidcError.signedHashMismatch();
    const target = this.targets.get(transaction.targetKind!);
    // The target verifies with our JPKI verifier over its content now: had
    // it changed since the hash was sent, the signature would not verify.
    await target.store(signedIn, transaction.targetId!, stringClaim(userinfo, 'jpki_signature'), chainClaim(userinfo, 'jpki_signing_certificate_chain'));
    return { purpose: 'sign', municipalityId: transaction.municipalityId, returnPath: target.returnPath(transaction.targetId!) };
  }

  private async start(
    transaction: Omit<MyNumberTransaction, 'codeVerifier'>,
    scope: string,
    extra: Record<string, string>,
  ): Promise<{ redirectTo: string; browserBinding: string }> {
    const configuration = await this.discovered();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = stateFor(transaction.municipalityId);
    const browserBinding = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    await this.transactions.insert(tokenHash(state), tokenHash(browserBinding), { ...transaction, codeVerifier }, now, new Date(now.getTime() + MYNUMBER_TRANSACTION_TTL_MS));
    let url: URL;
    try {
      url = await client.buildAuthorizationUrlWithPAR(configuration, {
        redirect_uri: this.config.digitalAuth.redirectUri,
        scope,
        state,
        nonce: transaction.nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        acr_values: this.config.digitalAuth.acr,
        prompt: 'login',
        ...extra,
      });
    } catch (error) {
      this.logger.error({ msg: 'pushed authorization request failed', reason: (error as Error).message });
      throw MyNumberOidcError.serviceUnavailable();
    }
    return { redirectTo: url.href, browserBinding };
  }

  private assertEnabled(): void {
    if (this.config.digitalAuth.mode === 'off') throw MyNumberOidcError.disabled();
  }

  /** Discovery once per process (retried after a failure). */
  private discovered(): Promise<client.Configuration> {
    this.configuration ??= this.discover().catch((error: unknown) => {
      this.configuration = undefined;
      this.logger.error({ msg: 'OIDC discovery failed', reason: (error as Error).message });
      throw MyNumberOidcError.serviceUnavailable();
    });
    return this.configuration;
  }

  private async discover(): Promise<client.Configuration> {
    const settings = this.config.digitalAuth;
    const secret = settings.clientSecret ?? (await this.simulatedCards.state()).clientSecret;
    const issuer = new URL(settings.issuer);
    // Plain http only for a local simulator (development, tests).
    const options = issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : undefined;
    return client.discovery(issuer, settings.clientId, { client_secret: secret }, client.ClientSecretBasic(secret), options);
  }
}

/**
 * `state` names the municipality before its random part, so the callback
 * finds the round trip by its primary key (municipality, state hash) however
 * the callback request itself is scoped: the redirect URI is one for the
 * whole deployment. The municipality code is public; the random part is what
 * the state's hash keeps secret.
 */
function stateFor(municipalityId: MunicipalityId): string {
  return `${municipalityId}.${client.randomState()}`;
}

function municipalityOfState(state: string): MunicipalityId | null {
  const [municipalityId] = state.split('.', 1);
  return state.length > municipalityId.length && isMunicipalityId(municipalityId) ? municipalityId : null;
}

function stringClaim(userinfo: client.UserInfoResponse, name: string): string {
  const value = userinfo[name];
  if (typeof value !== 'string' || value.length === 0) throw MyNumberOidcError.responseInvalid(`userinfo lacks ${name}`);
  return value;
}

function chainClaim(userinfo: client.UserInfoResponse, name: string): string[] {
  const value = userinfo[name];
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string')) throw MyNumberOidcError.responseInvalid(`userinfo lacks ${name}`);
  return value as string[];
}
