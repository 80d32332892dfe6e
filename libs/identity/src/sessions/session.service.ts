import { Injectable } from '@nestjs/common';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { randomUUID } from 'node:crypto';
import { csrfTokenOf, randomToken, tokenHash } from '../crypto/tokens';
import { IdentityError } from '../identity.errors';
import { SessionRepository, type SessionRow } from './session.repository';

export const ACCESS_TTL_MS = 15 * 60_000;
export const COOKIE_SESSION_TTL_MS = 8 * 60 * 60_000;
/**
 * A staff member's browser session ends after this long without a request
 * (a desk left signed in), besides its absolute 8 hours. Office pages warn
 * a few minutes before (the office script) and offer to stay signed in.
 */
export const STAFF_IDLE_TIMEOUT_MS = 30 * 60_000;
/** Last use is written at most this often: not one UPDATE per request. */
const LAST_SEEN_RESOLUTION_MS = 60_000;
const REFRESH_TTL_MS: Record<'resident' | 'staff', number> = { resident: 30 * 24 * 60 * 60_000, staff: 12 * 60 * 60_000 };

export interface IssuedTokens {
  accessToken: string;
  accessExpiresAt: Date;
  refreshToken: string | null;
  refreshExpiresAt: Date | null;
  /** For cookie sessions: send it back in X-CSRF-Token on every change. */
  csrfToken: string | null;
  sessionId: string;
}

export interface ResolvedSession extends SessionRow {
  municipalityId: MunicipalityId;
}

/**
 * Opaque tokens, stored only as SHA-256 hashes, prefixed with the
 * municipality so a lookup never crosses tenants. Access tokens are short;
 * refresh tokens rotate on every use, and a reused one ends its family.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
  ) {}

  async issue(
    municipalityId: MunicipalityId,
    subject: { kind: 'resident' | 'staff'; id: string },
    transport: 'bearer' | 'cookie',
    authMethod: string,
    familyId: string = randomUUID(),
  ): Promise<IssuedTokens> {
    const now = this.clock.now();
    const accessToken = `${municipalityId}.${randomToken()}`;
    const refreshToken = transport === 'bearer' ? `${municipalityId}.${randomToken()}` : null;
    const csrfToken = transport === 'cookie' ? csrfTokenOf(accessToken) : null;
    const accessExpiresAt = new Date(now.getTime() + (transport === 'cookie' ? COOKIE_SESSION_TTL_MS : ACCESS_TTL_MS));
    const refreshExpiresAt = refreshToken ? new Date(now.getTime() + REFRESH_TTL_MS[subject.kind]) : null;
    const id = randomUUID();
    await this.sessions.insert(municipalityId, {
      id,
      subjectKind: subject.kind,
      subjectId: subject.id,
      transport,
      authMethod,
      familyId,
      accessHash: tokenHash(accessToken),
      accessExpiresAt,
      refreshHash: refreshToken ? tokenHash(refreshToken) : null,
      refreshExpiresAt,
      csrfSecret: csrfToken ? tokenHash(csrfToken) : null,
      now,
    });
    return { accessToken, accessExpiresAt, refreshToken, refreshExpiresAt, csrfToken, sessionId: id };
  }

  /** The live session an access token (or session cookie) belongs to, or null. */
  async resolve(token: string): Promise<ResolvedSession | null> {
    const municipalityId = municipalityOf(token);
    if (!municipalityId) return null;
    const session = await this.sessions.findByAccessHash(municipalityId, tokenHash(token));
    const now = this.clock.now();
    if (!session || session.revokedAt || session.accessExpiresAt <= now) return null;
    if (session.subjectKind === 'staff' && session.transport === 'cookie') {
      const idleFor = now.getTime() - (session.lastSeenAt ?? session.createdAt).getTime();
      if (idleFor >= STAFF_IDLE_TIMEOUT_MS) {
        await this.sessions.revoke(municipalityId, session.id, 'idle', now);
        return null;
      }
      if (idleFor >= LAST_SEEN_RESOLUTION_MS) await this.sessions.touch(municipalityId, session.id, now);
    }
    return { ...session, municipalityId };
  }

  async refresh(refreshToken: string): Promise<{ municipalityId: MunicipalityId; tokens: IssuedTokens; session: SessionRow }> {
    const municipalityId = municipalityOf(refreshToken);
    if (!municipalityId) throw IdentityError.tokenInvalid();
    const hash = tokenHash(refreshToken);
    const now = this.clock.now();
    const session = await this.sessions.consumeRefresh(municipalityId, hash, now);
    if (!session) {
      const family = await this.sessions.findFamilyOfUsedRefresh(municipalityId, hash);
      if (family) {
        await this.sessions.revokeFamily(municipalityId, family, 'refresh token reused', now);
        throw IdentityError.refreshReused();
      }
      throw IdentityError.tokenInvalid();
    }
    const tokens = await this.issue(municipalityId, { kind: session.subjectKind, id: session.subjectId }, 'bearer', session.authMethod, session.familyId);
    return { municipalityId, tokens, session };
  }

  async revoke(municipalityId: MunicipalityId, sessionId: string, reason: string): Promise<void> {
    await this.sessions.revoke(municipalityId, sessionId, reason, this.clock.now());
  }

  listLive(municipalityId: MunicipalityId, subject: { kind: 'resident' | 'staff'; id: string }) {
    return this.sessions.listLive(municipalityId, subject.kind, subject.id, this.clock.now());
  }

  async revokeAllOf(municipalityId: MunicipalityId, subject: { kind: 'resident' | 'staff'; id: string }, reason: string, exceptSessionId?: string): Promise<void> {
    await this.sessions.revokeSubject(municipalityId, subject.kind, subject.id, reason, this.clock.now(), exceptSessionId);
  }
}

function municipalityOf(token: string): MunicipalityId | null {
  const match = /^([0-9]{6})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return match ? (match[1] as MunicipalityId) : null;
}
