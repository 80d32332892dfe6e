import { toAdminFacilityDto, toDefinition, toFacilityInput } from './facility.mapper';
import type { Facility } from './facility.types';

const facility: Facility = {
  municipalityId: '990001',
  code: 'chuo-kominkan',
  name: { ja: '中央公民館', en: 'Central Community Centre' },
  kind: 'meetingRoom',
  department: 'shogaigakushu',
  procedureCode: 'kominkan-yoyaku',
  rules: {
    openingHours: { sun: { open: '09:00', close: '17:00' }, mon: null, tue: { open: '09:00', close: '21:00' }, wed: null, thu: null, fri: null, sat: null },
    slotMinutes: 120,
    holidays: 'open',
    holidayHours: { open: '10:00', close: '16:00' },
    closedDates: ['2026-12-15'],
    closedAnnually: ['12-31'],
    bookingWindowDays: 60,
    holds: { onlineMinutes: 20, counterMinutes: 600 },
    cancellation: [
      { daysBefore: 7, refundPercent: 100 },
      { daysBefore: 0, refundPercent: 0 },
    ],
    reductions: [{ code: 'registered-group', label: { ja: '登録団体', en: 'Registered group' }, percent: 50 }],
  },
  details: { nameKana: null, address: '試験市中央1-2-3', latitude: null, longitude: null, phone: '099-123-4567', url: null },
  rooms: [
    { code: 'kaigi-1', name: { ja: '第1会議室', en: 'Room 1' }, capacity: 30, rates: { resident: 500, nonResident: 1000 }, active: true },
    { code: 'washitsu', name: { ja: '和室', en: 'Japanese room' }, capacity: 12, rates: { resident: 300, nonResident: 600 }, active: false },
  ],
  active: true,
  source: 'admin',
  configChecksum: null,
  revision: 3,
  updatedAt: new Date('2026-12-01T00:00:00Z'),
};

describe('toFacilityInput', () => {
  it('writes a stored facility back unchanged: every rule, detail and room (retired ones too) survives the round trip', () => {
    const definition = toDefinition(facility.code, toFacilityInput(toAdminFacilityDto(facility)));
    const { municipalityId: _m, source: _s, configChecksum: _c, revision: _r, updatedAt: _u, ...expected } = facility;
    expect(definition).toEqual(expected);
  });

  it('leaves out the holiday hours and details that are not set, as a body written by hand would', () => {
    const input = toFacilityInput(toAdminFacilityDto({ ...facility, rules: { ...facility.rules, holidays: 'closed', holidayHours: null } }));
    expect(input).not.toHaveProperty('holidayHours');
    expect(input.details).toEqual({ address: '試験市中央1-2-3', phone: '099-123-4567' });
  });
});
