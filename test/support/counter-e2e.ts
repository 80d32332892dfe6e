import { SessionService } from '@madoguchi/identity';
import { asMunicipalityId } from '@madoguchi/kernel';
import type { Server } from 'node:http';
import request from 'supertest';
import { SAMPLE_MUNICIPALITY, type TestApp } from './test-app';

/** Someone who calls the API: a resident or staff member of one municipality. */
export interface Caller {
  kind: 'resident' | 'staff';
  id: string;
  municipalityId: string;
}

type Method = 'get' | 'post' | 'put' | 'delete';

/** A response on its way, with `.expect(status)` that names the call and the body when the status differs. */
export type Call = Promise<request.Response> & { expect(status: number): Promise<request.Response> };

/**
 * HTTP helpers for the counter suites. Tests move the clock by hours and
 * days, past the 15-minute access tokens, so each caller gets a session
 * issued the way sign-in issues one whenever its last token has expired
 * (the sign-in routes themselves are the identity suites' business).
 */
export class CounterDriver {
  readonly server: Server;
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(private readonly t: TestApp) {
    this.server = t.app.getHttpServer();
  }

  async token(caller: Caller): Promise<string> {
    const key = `${caller.kind}:${caller.id}`;
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt > this.t.clock.now().getTime()) return cached.token;
    const issued = await this.t.get(SessionService).issue(asMunicipalityId(caller.municipalityId), { kind: caller.kind, id: caller.id }, 'bearer', 'password');
    this.tokens.set(key, { token: issued.accessToken, expiresAt: issued.accessExpiresAt.getTime() });
    return issued.accessToken;
  }

  /** A request as `caller`, or anonymous (with an optional X-Municipality-Id) when caller is null. */
  as(caller: Caller | null, method: Method, path: string, body?: object, municipalityId?: string): Call {
    const response = (async () => {
      // Paths are written relative to the JSON API (it moved under /api/v1).
      let pending = request(this.server)[method](path.startsWith('/api/') ? path : `/api/v1${path}`);
      if (caller) pending = pending.auth(await this.token(caller), { type: 'bearer' });
      if (municipalityId) pending = pending.set('X-Municipality-Id', municipalityId);
      if (body !== undefined) pending = pending.send(body);
      return pending;
    })();
    return Object.assign(response, {
      expect: async (status: number) => {
        const answered = await response;
        if (answered.status !== status) throw new Error(`${method.toUpperCase()} ${path}: expected ${status}, got ${answered.status} ${JSON.stringify(answered.body)}`);
        return answered;
      },
    });
  }

  /** The kiosk: anonymous, for the sample municipality unless told otherwise. */
  kiosk(serviceCode: string, extra: Record<string, unknown> = {}, municipalityId = SAMPLE_MUNICIPALITY): Call {
    return this.as(null, 'post', '/api/v1/counter/tickets', { serviceCode, ...extra }, municipalityId);
  }

  async createService(admin: Caller, code: string, prefix: string, name: { ja: string; en: string }, slotCapacity = 0): Promise<void> {
    const response = await this.as(admin, 'post', '/api/v1/admin/counter-services', { code, name, ticketPrefix: prefix, slotCapacity });
    if (response.status !== 201) throw new Error(`service ${code}: ${response.status} ${JSON.stringify(response.body)}`);
  }

  async createCounter(admin: Caller, name: string, serviceCodes: string[], open = true): Promise<string> {
    const response = await this.as(admin, 'post', '/api/v1/admin/counters', { name: { ja: name, en: name }, serviceCodes, open });
    if (response.status !== 201) throw new Error(`counter ${name}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.id as string;
  }

  /** Staff issue a walk-in ticket; answers its id and number. */
  async staffTicket(clerk: Caller, serviceCode: string, extra: Record<string, unknown> = {}): Promise<{ id: string; number: string }> {
    const response = await this.as(clerk, 'post', '/api/v1/staff/counter-tickets', { serviceCode, ...extra });
    if (response.status !== 201) throw new Error(`ticket for ${serviceCode}: ${response.status} ${JSON.stringify(response.body)}`);
    return { id: response.body.id as string, number: response.body.number as string };
  }

  callNext(clerk: Caller, counterId: string): Call {
    return this.as(clerk, 'post', `/api/v1/staff/counters/${counterId}/call-next`);
  }

  /** A staff action on a ticket that must succeed. */
  async act(clerk: Caller, ticketId: string, action: 'recall' | 'no-show' | 'start' | 'finish', expected = 200): Promise<request.Response> {
    const response = await this.as(clerk, 'post', `/api/v1/staff/counter-tickets/${ticketId}/${action}`);
    if (response.status !== expected) throw new Error(`${action} ${ticketId}: ${response.status} ${JSON.stringify(response.body)}`);
    return response;
  }
}

/** An instant given as Japan time, e.g. jst('2026-11-24 09:30'). */
export function jst(local: string): Date {
  return new Date(`${local.replace(' ', 'T')}:00+09:00`);
}
