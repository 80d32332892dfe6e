import { ResidentRepository, SessionService, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId, type MunicipalityId } from '@madoguchi/kernel';
import type { StaffRole } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import type { Caller } from './payments-driver';
import { OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from './test-app';

/**
 * Shared set-up of the facility booking suites (libs/bookings/*.e2e-spec.ts):
 * callers of either municipality, the booking forms, and reads of the
 * booking tables. The test clock starts on Sunday 2026-11-22 at 10:00 in
 * Japan; the dates below are chosen against it.
 */

export const CITY = asMunicipalityId(SAMPLE_MUNICIPALITY);
export const TOWN = asMunicipalityId(OTHER_MUNICIPALITY);
export const KOMINKAN = 'chuo-kominkan';
export const GYM = 'shimin-taiikukan';
/** Tuesday: the community centre is open 09:00–21:00 (slots of two hours from 09:00). */
export const TUESDAY = '2026-11-24';
/** 勤労感謝の日, a Monday: the community centre is closed (holiday and weekly closure), the gymnasium opens 09:00–17:00. */
export const LABOR_THANKSGIVING = '2026-11-23';
/** 成人の日 2027, a Monday. */
export const COMING_OF_AGE_DAY = '2027-01-11';
/** An ordinary Monday: the community centre's weekly closed day. */
export const MONDAY = '2026-11-30';

export async function residentOf(t: TestApp, municipalityId: MunicipalityId = CITY): Promise<Caller> {
  const id = randomUUID();
  await t.get(ResidentRepository).insert(municipalityId, { id, email: `${id}@example.jp`, passwordHash: null, jpkiSubject: null, now: t.clock.now() });
  const tokens = await t.get(SessionService).issue(municipalityId, { kind: 'resident', id }, 'bearer', 'password');
  return { id, token: tokens.accessToken };
}

export async function staffOf(t: TestApp, roles: StaffRole[], departments: string[], municipalityId: MunicipalityId = CITY): Promise<Caller> {
  const { account } = await t.get(StaffAdminService).create(municipalityId, 'test-setup', {
    loginId: `staff-${randomUUID().slice(0, 8)}`,
    password: 'correct-horse-battery-staple',
    displayName: 'テスト職員',
    roles,
    approvalLevel: roles.includes('approver') ? 'kacho' : null,
    departments,
    active: true,
  });
  const tokens = await t.get(SessionService).issue(municipalityId, { kind: 'staff', id: account.id }, 'bearer', 'password');
  return { id: account.id, token: tokens.accessToken };
}

export async function administratorOf(t: TestApp, municipalityId: MunicipalityId = CITY): Promise<Caller> {
  const created = await t.get(StaffAdminService).bootstrapAdministrator(municipalityId, {
    loginId: `admin-${randomUUID().slice(0, 8)}`,
    displayName: '施設管理者',
    password: 'correct-horse-battery-staple',
  });
  const tokens = await t.get(SessionService).issue(municipalityId, { kind: 'staff', id: created.id }, 'bearer', 'password');
  return { id: created.id, token: tokens.accessToken };
}

/** Sessions last 15 minutes; tests that move the clock far ask for a fresh token. */
export async function refreshed(t: TestApp, caller: Caller, kind: 'resident' | 'staff' = 'resident', municipalityId: MunicipalityId = CITY): Promise<Caller> {
  const tokens = await t.get(SessionService).issue(municipalityId, { kind, id: caller.id }, 'bearer', 'password');
  return { id: caller.id, token: tokens.accessToken };
}

export type Api = ReturnType<typeof as>;

/** Requests as the holder of a bearer token (or nobody). */
export function as(server: Server, caller: Caller | null, municipalityId?: string) {
  const prepare = (test: request.Test) => {
    if (caller) test.auth(caller.token, { type: 'bearer' });
    if (municipalityId) test.set('X-Municipality-Id', municipalityId);
    return test;
  };
  return {
    get: (url: string, query: Record<string, string> = {}) => prepare(request(server).get(url)).query(query),
    post: (url: string, body: object = {}) => prepare(request(server).post(url)).send(body),
    put: (url: string, body: object) => prepare(request(server).put(url)).send(body),
    delete: (url: string) => prepare(request(server).delete(url)),
  };
}

/** A complete 公民館 form (kominkan-yoyaku v2) for Meeting Room 1. */
export function kominkanForm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    facility: KOMINKAN,
    room: 'kaigi-1',
    date: TUESDAY,
    slots: ['13:00', '15:00'],
    residency: 'resident',
    organizerName: '桜ヶ丘読書会',
    phone: '03-1234-5678',
    email: 'dokusho@example.jp',
    purpose: '定例会',
    attendees: 12,
    ...overrides,
  };
}

/** A complete 体育館 form (taiikukan-yoyaku v2) for court A. */
export function gymForm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    facility: GYM,
    room: 'arena-a',
    date: TUESDAY,
    slots: ['19:00'],
    residency: 'resident',
    organizerName: '桜ヶ丘バレーボールクラブ',
    phone: '03-1234-5678',
    email: 'volley@example.jp',
    purpose: 'バレーボール',
    attendees: 20,
    ...overrides,
  };
}

/** Creates a draft of `procedureCode` and submits it; returns the id and the submit answer. */
export async function applyFor(api: Api, procedureCode: string, formData: Record<string, unknown>): Promise<{ id: string; submitted: request.Response }> {
  const created = await api.post('/api/v1/applications', { procedureCode, formData });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  return { id, submitted: await api.post(`/api/v1/applications/${id}/submit`, {}) };
}

export interface BookingRow {
  id: string;
  status: string;
  application_id: string | null;
  expires_at: Date | null;
  fee_base: number | null;
  fee_amount: number | null;
  needs_attention: boolean;
  refund_amount: number | null;
  use_outcome: string | null;
}

export async function bookingRow(t: TestApp, id: string): Promise<BookingRow> {
  const rows: BookingRow[] = await t.dataSource.query(
    `SELECT id, status, application_id, expires_at, fee_base, fee_amount, needs_attention, refund_amount, use_outcome FROM bookings WHERE id = $1`,
    [id],
  );
  return rows[0];
}

export async function bookingOfApplication(t: TestApp, applicationId: string): Promise<BookingRow | undefined> {
  const rows: BookingRow[] = await t.dataSource.query(
    `SELECT id, status, application_id, expires_at, fee_base, fee_amount, needs_attention, refund_amount, use_outcome FROM bookings WHERE application_id = $1`,
    [applicationId],
  );
  return rows[0];
}

export async function applicationState(t: TestApp, id: string): Promise<string> {
  const rows: Array<{ state: string }> = await t.dataSource.query(`SELECT state FROM applications WHERE id = $1`, [id]);
  return rows[0].state;
}

/** Live bookings (held or confirmed) of a room on a day. */
export async function liveBookings(t: TestApp, facility: string, room: string, date: string): Promise<number> {
  const rows: Array<{ n: number }> = await t.dataSource.query(
    `SELECT count(*)::int AS n FROM bookings WHERE facility_code = $1 AND room_code = $2 AND use_date = $3 AND status IN ('held', 'confirmed')`,
    [facility, room, date],
  );
  return rows[0].n;
}

/** The status of each slot of a room on a day, from the public availability. */
export async function slotStatuses(server: Server, facility: string, room: string, date: string, municipalityId?: string): Promise<Record<string, string>> {
  const response = await as(server, null, municipalityId).get(`/api/v1/facilities/${facility}/availability`, { from: date, to: date, room });
  if (response.status !== 200) throw new Error(`availability failed: ${response.status} ${JSON.stringify(response.body)}`);
  const slots = response.body.days[0].rooms[0]?.slots ?? [];
  return Object.fromEntries(slots.map((slot: { start: string; status: string }) => [slot.start, slot.status]));
}
