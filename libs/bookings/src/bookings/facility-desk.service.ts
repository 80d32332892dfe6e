import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import type { StaffPrincipal } from '@madoguchi/identity';
import { Clock, type MunicipalityId, OutboxRepository, AUDIT_RECORD_TOPIC } from '@madoguchi/kernel';
import { randomUUID } from 'node:crypto';
import { BookingError } from '../booking.errors';
import { dayPlan } from '../facilities/facility-rules';
import { localInstant, toMinutes } from '../facilities/facility-time';
import { FacilityRepository } from '../facilities/facility.repository';
import type { Facility } from '../facilities/facility.types';
import { toBlockDto, toStaffBookingDto } from './booking.mapper';
import { BookingRepository } from './booking.repository';
import { type Booking, type FacilityBlock, isLapsed, type UseOutcome } from './booking.types';
import type { BlockDto, BlockRequestDto, BlockResultDto, DayListDto, StaffBookingDto } from './dto/booking.dto';
import { requireFacilityOf, requireFacilityRole } from './facility-staff-access';

/**
 * The facility desk: staff of the facility's department see a day's
 * bookings, take slots out for municipal use or maintenance (blocks), and
 * record whether a booking was used or nobody came (no-show).
 *
 * A block never drops a booking: the bookings under it stay and are flagged
 * `needsAttention` in the same transaction, for staff to contact the user
 * and resolve (keep, or cancel with a full refund). Blocks and holds of a
 * room take the same advisory lock, so a hold placed at the same moment is
 * either refused by the block or flagged by it.
 */
@Injectable()
export class FacilityDeskService {
  constructor(
    private readonly facilities: FacilityRepository,
    private readonly bookings: BookingRepository,
    private readonly outbox: OutboxRepository,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
  ) {}

  async day(staff: StaffPrincipal, code: string, date: string): Promise<DayListDto> {
    requireFacilityRole(staff);
    const facility = await this.facilities.find(staff.municipalityId, code);
    requireFacilityOf(staff, facility, code);
    const [bookings, blocks] = await Promise.all([this.bookings.ofDay(staff.municipalityId, code, date), this.bookings.blocksOfDay(staff.municipalityId, code, date)]);
    const now = this.clock.now();
    const timeZone = this.timeZone(staff.municipalityId);
    // Retired rooms still show when something happened in them that day.
    const rooms = facility.rooms.filter((room) => room.active || bookings.some((booking) => booking.roomCode === room.code));
    return {
      facility: facility.code,
      date,
      closed: dayPlan(facility.rules, date).closed,
      rooms: rooms.map((room) => ({
        code: room.code,
        name: room.name,
        bookings: bookings.filter((booking) => booking.roomCode === room.code).map((booking) => toStaffBookingDto(booking, facility, now)),
        blocks: blocks.filter((block) => block.roomCode === room.code).map((block) => toBlockDto(block, timeZone)),
      })),
    };
  }

  /**
   * What a block would do, without doing it: the bookings it would flag
   * now, for staff to see before they confirm. Same checks as `block`; the
   * answer can change before the block is made (a hold placed in between),
   * and `block` flags whatever is under it then.
   */
  async previewBlock(staff: StaffPrincipal, code: string, request: BlockRequestDto): Promise<StaffBookingDto[]> {
    const { facility, roomCodes, startsAt, endsAt, now } = await this.blockPlan(staff, code, request);
    const found = await this.bookings.transaction(async (manager) => {
      const under: Booking[] = [];
      for (const roomCode of [...roomCodes].sort()) under.push(...(await this.bookings.liveOverlapping(manager, staff.municipalityId, code, roomCode, startsAt, endsAt)));
      return under;
    });
    return found.filter((booking) => !isLapsed(booking, now)).map((booking) => toStaffBookingDto(booking, facility, now));
  }

  /** The checks of a block request (access, rooms, times) and the instants it covers. */
  private async blockPlan(staff: StaffPrincipal, code: string, request: BlockRequestDto) {
    requireFacilityRole(staff);
    const municipalityId = staff.municipalityId;
    const facility = await this.facilities.find(municipalityId, code);
    requireFacilityOf(staff, facility, code);
    const roomCodes = request.rooms ?? facility.rooms.filter((room) => room.active).map((room) => room.code);
    for (const roomCode of roomCodes) if (!facility.rooms.some((room) => room.code === roomCode)) throw BookingError.roomNotFound(code, roomCode);
    const start = toMinutes(request.start)!;
    const end = toMinutes(request.end)!;
    if (end <= start) throw BookingError.slotInvalid([request.start, request.end]);
    const timeZone = this.timeZone(municipalityId);
    return { facility, roomCodes, timeZone, startsAt: localInstant(request.date, start, timeZone), endsAt: localInstant(request.date, end, timeZone), now: this.clock.now() };
  }

  async block(staff: StaffPrincipal, code: string, request: BlockRequestDto): Promise<BlockResultDto> {
    const municipalityId = staff.municipalityId;
    const { facility, roomCodes, timeZone, startsAt, endsAt, now } = await this.blockPlan(staff, code, request);

    const { blocks, flagged } = await this.bookings.transaction(async (manager) => {
      const made: FacilityBlock[] = [];
      const flagged: Booking[] = [];
      for (const roomCode of [...roomCodes].sort()) {
        await this.bookings.lockRoom(manager, municipalityId, code, roomCode);
        const id = randomUUID();
        const block = { id, facilityCode: code, roomCode, useDate: request.date, startsAt, endsAt, reason: request.reason, note: request.note ?? null, createdBy: staff.id, now };
        if (!(await this.bookings.insertBlock(manager, municipalityId, block))) throw BookingError.blockOverlap(roomCode);
        made.push({ ...block, createdAt: now, liftedAt: null });
        for (const booking of await this.bookings.liveOverlapping(manager, municipalityId, code, roomCode, startsAt, endsAt)) {
          // A hold past its expiry is going anyway: nobody needs to call its holder.
          if (isLapsed(booking, now)) continue;
          const reason = `${request.reason === 'maintenance' ? '点検等' : '市の使用'}のため利用停止（${request.date} ${request.start}–${request.end}）`;
          const updated = await this.bookings.update(manager, municipalityId, booking.id, { attention: { reason }, now });
          await this.bookings.appendEvent(manager, municipalityId, booking.id, {
            seq: updated.revision,
            type: 'attention.flagged',
            fromStatus: booking.status,
            toStatus: updated.status,
            actor: { kind: 'staff', id: staff.id },
            details: { blockId: id },
            at: now,
          });
          flagged.push(updated);
        }
      }
      await this.outbox.enqueue(manager, municipalityId, {
        topic: AUDIT_RECORD_TOPIC,
        availableAt: now,
        payload: {
          actor: { kind: 'staff', id: staff.id },
          action: 'facility.block.created',
          target: { type: 'facility', id: code },
          details: { blocks: made.map((block) => block.id), rooms: roomCodes, date: request.date, reason: request.reason, flagged: flagged.map((booking) => booking.id) },
        },
      });
      return { blocks: made, flagged };
    });
    return { blocks: blocks.map((block) => toBlockDto(block, timeZone)), flagged: flagged.map((booking) => toStaffBookingDto(booking, facility, now)) };
  }

  async liftBlock(staff: StaffPrincipal, code: string, blockId: string): Promise<BlockDto> {
    requireFacilityRole(staff);
    const municipalityId = staff.municipalityId;
    const facility = await this.facilities.find(municipalityId, code);
    requireFacilityOf(staff, facility, code);
    const now = this.clock.now();
    const lifted = await this.bookings.transaction(async (manager) => {
      const block = await this.bookings.liftBlock(manager, municipalityId, code, blockId, staff.id, now);
      if (!block) throw BookingError.blockNotFound(blockId);
      await this.outbox.enqueue(manager, municipalityId, {
        topic: AUDIT_RECORD_TOPIC,
        availableAt: now,
        payload: { actor: { kind: 'staff', id: staff.id }, action: 'facility.block.lifted', target: { type: 'facility', id: code }, details: { blockId } },
      });
      return block;
    });
    return toBlockDto(lifted, this.timeZone(municipalityId));
  }

  /** Used or no-show, once the booking has begun; recording the same outcome again is a harmless repeat. */
  async markUse(staff: StaffPrincipal, bookingId: string, outcome: UseOutcome): Promise<StaffBookingDto> {
    const { booking, facility } = await this.staffBooking(staff, bookingId);
    const now = this.clock.now();
    const updated = await this.bookings.transaction(async (manager) => {
      const locked = (await this.bookings.find(staff.municipalityId, booking.id, manager, { lock: true }))!;
      if (locked.status !== 'confirmed') throw BookingError.notConfirmed(locked.status);
      if (locked.useOutcome === outcome) return locked;
      if (locked.useOutcome) throw BookingError.useAlreadyMarked(locked.useOutcome);
      if (locked.startsAt.getTime() > now.getTime()) throw BookingError.useNotYet();
      const changed = await this.bookings.update(manager, staff.municipalityId, locked.id, { use: { outcome, by: staff.id }, now });
      await this.bookings.appendEvent(manager, staff.municipalityId, locked.id, {
        seq: changed.revision,
        type: outcome === 'used' ? 'use.recorded' : 'use.noShow',
        fromStatus: locked.status,
        toStatus: changed.status,
        actor: { kind: 'staff', id: staff.id },
        details: { outcome },
        at: now,
      });
      return changed;
    });
    return toStaffBookingDto(updated, facility, now);
  }

  /** The user was contacted about a block and the booking stands: the flag goes, the note stays in its history. */
  async resolveAttention(staff: StaffPrincipal, bookingId: string, note: string): Promise<StaffBookingDto> {
    const { booking, facility } = await this.staffBooking(staff, bookingId);
    const now = this.clock.now();
    const updated = await this.bookings.transaction(async (manager) => {
      const locked = (await this.bookings.find(staff.municipalityId, booking.id, manager, { lock: true }))!;
      if (!locked.needsAttention) throw BookingError.noAttention();
      const changed = await this.bookings.update(manager, staff.municipalityId, locked.id, { attention: null, now });
      await this.bookings.appendEvent(manager, staff.municipalityId, locked.id, {
        seq: changed.revision,
        type: 'attention.resolved',
        fromStatus: locked.status,
        toStatus: changed.status,
        actor: { kind: 'staff', id: staff.id },
        details: { note },
        at: now,
      });
      return changed;
    });
    return toStaffBookingDto(updated, facility, now);
  }

  private async staffBooking(staff: StaffPrincipal, id: string): Promise<{ booking: Booking; facility: Facility }> {
    requireFacilityRole(staff);
    const booking = await this.bookings.find(staff.municipalityId, id);
    const facility = booking ? await this.facilities.find(staff.municipalityId, booking.facilityCode) : null;
    if (!booking || !facility || !staff.departments.includes(facility.department)) throw BookingError.notFound(id);
    return { booking, facility };
  }

  private timeZone(municipalityId: MunicipalityId): string {
    return this.directory.get(municipalityId)?.timeZone ?? 'Asia/Tokyo';
  }
}
