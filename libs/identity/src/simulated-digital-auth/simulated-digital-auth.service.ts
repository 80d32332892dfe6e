import { Inject, Injectable, Logger } from '@nestjs/common';
import { type AppConfig, SIMULATED_DIGITAL_AUTH_PATH } from '@madoguchi/config';
import { APP_CONFIG, Clock } from '@madoguchi/kernel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { type AccessTokenInstance, type InteractionDetails, errors, interactionPolicy } from 'oidc-provider';
import { CardLockRepository, type CardSecretKind } from './card-lock.repository';
import { type SimulatedCard, SimulatedCardStore } from './simulated-card.store';

/** The scopes of the Digital Agency's デジタル認証アプリ API the simulator answers. */
export const DIGITAL_AUTH_SCOPES = ['openid', 'name', 'address', 'birthdate', 'gender', 'sign'] as const;
/** Authorization parameter of a sign transaction: lower-case hex SHA-256 of what is to be signed. */
export const SIGN_CONTENT_HASH_PARAM = 'sign_content_hash';
/** A real card locks the PIN after 3 wrong entries and the signing password after 5. */
export const CARD_ATTEMPT_LIMITS: Record<CardSecretKind, number> = { pin: 3, signingPassword: 5 };

/** What the card produced in one interaction, handed to the relying party through userinfo. */
interface CardProof {
  readonly authentication?: { signature: string; certificateChain: string[] };
  readonly signing?: { signature: string; certificateChain: string[]; contentHash: string };
}

export type InteractionOutcome =
  | { kind: 'finished' }
  | { kind: 'retry'; card: SimulatedCard | undefined; error: 'cardMissing' | 'wrongSecret' | 'locked' | 'secretFormat'; attemptsLeft?: number };

/**
 * A stand-in for the Digital Agency's デジタル認証アプリ service, on
 * oidc-provider: authorization code flow, PKCE S256 required, pushed
 * authorization requests required (so a sign transaction's hash travels
 * client-authenticated, never through the browser), the 基本4情報 as
 * userinfo claims, `acr_values` honoured, and the card's own evidence (the
 * authentication signature over the OIDC nonce, or the signing signature
 * over the requested hash, with the certificate chain) in userinfo, so the
 * relying party verifies the card with its own JPKI verifier rather than
 * trusting this service.
 *
 * Sessions, codes and tokens live in memory (oidc-provider's memory
 * adapter): a restart drops logins in flight, which a simulator may do.
 * Every authorization needs the card again: no single sign-on.
 */
@Injectable()
export class SimulatedDigitalAuthService {
  private readonly logger = new Logger('SimulatedDigitalAuth');
  private providerPromise?: Promise<Provider>;
  /** Card evidence per grant (grants are single use: one per interaction). */
  private readonly proofs = new Map<string, CardProof & { at: number }>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly store: SimulatedCardStore,
    private readonly locks: CardLockRepository,
    private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.store.enabled;
  }

  provider(): Promise<Provider> {
    this.providerPromise ??= this.createProvider();
    return this.providerPromise;
  }

  async handle(request: IncomingMessage & { originalUrl?: string }, response: ServerResponse, mountedUrl: string): Promise<void> {
    const provider = await this.provider();
    // oidc-provider works out its mount path from originalUrl minus url, as under express's app.use(path).
    request.url = mountedUrl;
    provider.callback()(request, response);
  }

  async details(request: IncomingMessage, response: ServerResponse): Promise<InteractionDetails> {
    return (await this.provider()).interactionDetails(request, response);
  }

  async cards(): Promise<readonly SimulatedCard[]> {
    return (await this.store.state()).cards;
  }

  /**
   * The person chose a card and typed the PIN (sign-in) or the signing
   * password (sign transaction). A wrong entry counts against the card.
   */
  async submit(request: IncomingMessage, response: ServerResponse, input: { cardId?: string; secret?: string }): Promise<InteractionOutcome> {
    const provider = await this.provider();
    const details = await provider.interactionDetails(request, response);
    const signing = isSignRequest(details.params);
    const card = (await this.cards()).find((item) => item.id === input.cardId);
    if (!card) return { kind: 'retry', card: undefined, error: 'cardMissing' };
    const kind: CardSecretKind = signing ? 'signingPassword' : 'pin';
    const secret = input.secret ?? '';
    const wellFormed = signing ? /^[A-Z0-9]{6,16}$/.test(secret) : /^[0-9]{4}$/.test(secret);
    if (!wellFormed) return { kind: 'retry', card, error: 'secretFormat' };
    if (await this.locks.isLocked(card.id, kind)) return { kind: 'retry', card, error: 'locked' };
    const expected = signing ? card.signingPassword : card.pin;
    if (secret !== expected) {
      const attemptsLeft = await this.locks.fail(card.id, kind, CARD_ATTEMPT_LIMITS[kind], this.clock.now());
      return { kind: 'retry', card, error: attemptsLeft === 0 ? 'locked' : 'wrongSecret', attemptsLeft };
    }
    await this.locks.succeed(card.id, kind, this.clock.now());

    const grant = new provider.Grant({ accountId: card.id, clientId: details.params.client_id! });
    grant.addOIDCScope(details.params.scope ?? 'openid');
    const grantId = await grant.save();
    const proof: CardProof = signing
      ? { signing: { ...this.store.signHash(card, details.params[SIGN_CONTENT_HASH_PARAM]!), contentHash: details.params[SIGN_CONTENT_HASH_PARAM]! } }
      : { authentication: this.store.signNonce(card, details.params.nonce!) };
    const at = Date.now();
    // Grants live ten minutes; so does their evidence.
    for (const [id, item] of this.proofs) if (at - item.at > 600_000) this.proofs.delete(id);
    this.proofs.set(grantId, { ...proof, at });
    const requestedAcr = (details.params.acr_values ?? '').split(' ').find((value) => value === this.config.digitalAuth.acr);
    await provider.interactionFinished(
      request,
      response,
      {
        login: { accountId: card.id, acr: requestedAcr ?? this.config.digitalAuth.acr, amr: [signing ? 'pwd' : 'pin', 'hwk'], remember: false },
        consent: { grantId },
      },
      { mergeWithLastSubmission: false },
    );
    return { kind: 'finished' };
  }

  async cancel(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const provider = await this.provider();
    await provider.interactionFinished(request, response, { error: 'access_denied', error_description: 'the person cancelled' }, { mergeWithLastSubmission: false });
  }

  private async createProvider(): Promise<Provider> {
    const state = await this.store.state();
    const settings = this.config.digitalAuth;
    const policy = interactionPolicy.base();
    // The card is read for every request, as the real app asks for it each
    // time: only the result of this very interaction satisfies the check.
    policy.get('login')!.checks.add(
      new interactionPolicy.Check('card_required', 'the card is presented for every request', (ctx) =>
        (ctx as { oidc: { result?: { login?: unknown } } }).oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT,
      ),
    );
    const provider = new Provider(`${this.config.publicBaseUrl}${SIMULATED_DIGITAL_AUTH_PATH}`, {
      clients: [
        {
          client_id: settings.clientId,
          client_secret: state.clientSecret,
          client_name: 'Madoguchi',
          redirect_uris: [settings.redirectUri],
          grant_types: ['authorization_code'],
          response_types: ['code'],
          token_endpoint_auth_method: 'client_secret_basic',
          require_pushed_authorization_requests: true,
        },
      ],
      jwks: { keys: [{ ...state.idTokenKey.export({ format: 'jwk' }), kid: 'simulated-1', use: 'sig', alg: 'RS256' }] },
      pkce: { methods: ['S256'], required: () => true },
      features: {
        devInteractions: { enabled: false },
        pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: true },
        userinfo: { enabled: true },
        revocation: { enabled: false },
      },
      responseTypes: ['code'],
      scopes: [...DIGITAL_AUTH_SCOPES],
      claims: {
        openid: ['sub', 'jpki_auth_signature', 'jpki_auth_certificate_chain'],
        name: ['name'],
        address: ['address'],
        birthdate: ['birthdate'],
        gender: ['gender'],
        sign: ['jpki_signature', 'jpki_signing_certificate_chain', 'jpki_signed_content_hash'],
      },
      acrValues: [settings.acr],
      extraParams: {
        [SIGN_CONTENT_HASH_PARAM]: (ctx: { oidc: { params: Record<string, string | undefined> } }, value: string | undefined) => {
          const scopes = (ctx.oidc.params.scope ?? '').split(' ');
          if (scopes.includes('sign') && !/^[0-9a-f]{64}$/.test(value ?? '')) {
            throw new errors.InvalidRequest('a sign transaction needs sign_content_hash: the lower-case hex SHA-256 to sign');
          }
          if (!scopes.includes('sign') && value !== undefined) throw new errors.InvalidRequest('sign_content_hash needs the sign scope');
          if (!scopes.includes('sign') && !ctx.oidc.params.nonce) throw new errors.InvalidRequest('sign-in needs a nonce: the card signs it');
        },
      },
      cookies: { keys: [state.cookieKey] },
      ttl: { Interaction: 600, Session: 600, Grant: 600, AuthorizationCode: 60, AccessToken: 300, IdToken: 300, PushedAuthorizationRequest: 60 },
      interactions: { policy, url: (_ctx: unknown, interaction: { uid: string }) => `${SIMULATED_DIGITAL_AUTH_PATH}/interaction/${interaction.uid}` },
      findAccount: async (_ctx: unknown, sub: string, token?: AccessTokenInstance) => {
        const card = (await this.cards()).find((item) => item.id === sub);
        if (!card) return undefined;
        return {
          accountId: sub,
          claims: () => {
            const proof = token?.grantId ? this.proofs.get(token.grantId) : undefined;
            return {
              sub,
              name: card.basic4.name,
              address: { formatted: card.basic4.address },
              birthdate: card.basic4.dateOfBirth,
              gender: card.basic4.sex,
              jpki_auth_signature: proof?.authentication?.signature,
              jpki_auth_certificate_chain: proof?.authentication?.certificateChain,
              jpki_signature: proof?.signing?.signature,
              jpki_signing_certificate_chain: proof?.signing?.certificateChain,
              jpki_signed_content_hash: proof?.signing?.contentHash,
            };
          },
        };
      },
      renderError: async (ctx: { type: string; body: string }, out: Record<string, string>) => {
        ctx.type = 'html';
        ctx.body = errorPage(out.error ?? 'server_error', out.error_description ?? '');
      },
    });
    provider.proxy = true;
    provider.on('server_error', (_ctx: unknown, error: unknown) => this.logger.error({ msg: 'simulated digital auth error', reason: (error as Error).message }));
    return provider;
  }
}

export function isSignRequest(params: Record<string, string | undefined>): boolean {
  return (params.scope ?? '').split(' ').includes('sign');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export function errorPage(code: string, description: string): string {
  return `<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>エラー / Error</title></head>
<body><main><h1>デジタル認証（シミュレーター）: エラーが発生しました</h1><p lang="en">Simulated digital authentication: something went wrong.</p>
<p><code>${escapeHtml(code)}</code> ${escapeHtml(description)}</p></main></body></html>`;
}
