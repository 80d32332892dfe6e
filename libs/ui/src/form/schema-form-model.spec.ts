import { keepBlankSensitive } from '@madoguchi/applications';
import { applyListAction, isoFromParts, partsFromIso, rawFromAnswers, readSection, sectionsOf } from './schema-form-model';

/** A schema as it comes back from jsonb: keys reordered, only `required` keeps the author's order. */
const SCHEMA = {
  type: 'object',
  required: ['name', 'phone', 'children', 'bank'],
  properties: {
    bank: { type: 'object', required: ['code', 'number'], properties: { number: { type: 'string', 'x-sensitive': true }, code: { type: 'string', pattern: '^[0-9]{4}$' } } },
    name: { type: 'string' },
    count: { type: 'integer' },
    notes: { type: 'array', items: { type: 'string' } },
    phone: { type: 'string', pattern: '^0\\d{1,4}-?\\d{1,4}-?\\d{3,4}$' },
    children: { type: 'array', minItems: 1, items: { type: 'object', required: ['born'], properties: { born: { type: 'string', format: 'date' }, home: { type: 'boolean' } } } },
  },
};

describe('the form as pages', () => {
  it('puts the plain fields first in required order, then a page per group', () => {
    expect(sectionsOf(SCHEMA)).toEqual([
      { number: 1, keys: ['name', 'phone', 'count', 'notes'], group: null },
      { number: 2, keys: ['children'], group: 'children' },
      { number: 3, keys: ['bank'], group: 'bank' },
    ]);
  });

  it('reads a post into answers: blanks absent, digits half-width, numbers as numbers (or left for the validator), rows and 和暦 dates', () => {
    const [plain, children] = sectionsOf(SCHEMA);
    expect(readSection(SCHEMA, plain, { name: ' 花子 ', phone: '０３-１２３４-５６７８', count: '１,２００', 'notes.0': 'a', 'notes.1': ' ', '_n.notes': '2' })).toEqual({
      name: '花子',
      phone: '03-1234-5678',
      count: 1200,
      notes: ['a'],
    });
    expect(readSection(SCHEMA, plain, { name: '', count: 'many' })).toEqual({ count: 'many' });
    expect(
      readSection(SCHEMA, children, { '_n.children': '2', 'children.0.born-era': 'H', 'children.0.born-year': '31', 'children.0.born-month': '4', 'children.0.born-day': '30', 'children.0.home': 'true', 'children.1.born-era': 'R', 'children.1.born-year': '1', 'children.1.born-month': '4', 'children.1.born-day': '30' }),
    ).toEqual({ children: [{ born: '2019-04-30', home: true }, { born: 'R1-4-30', home: false }] });
  });

  it('converts 和暦 both ways and refuses dates that do not exist', () => {
    expect(isoFromParts('R', '8', '11', '22')).toBe('2026-11-22');
    expect(isoFromParts('S', '64', '1', '7')).toBe('1989-01-07');
    expect(isoFromParts('R', '6', '2', '30')).toBe('R6-2-30');
    expect(isoFromParts('R', '', '', '')).toBeUndefined();
    expect(partsFromIso('2019-05-01')).toEqual({ era: 'R', year: '1', month: '5', day: '1' });
  });

  it('fills a page from stored answers without the sensitive ones, with at least the rows a list needs', () => {
    const [, children, bank] = sectionsOf(SCHEMA);
    expect(rawFromAnswers(SCHEMA, bank, { bank: { code: '0001', number: '***4567' } })).toEqual({ 'bank.code': '0001' });
    expect(rawFromAnswers(SCHEMA, children, {})).toEqual({ '_n.children': '1' });
  });

  it('adds and removes rows, shifting the later rows up', () => {
    const raw = { '_n.children': '3', 'children.0.born-year': '1', 'children.1.born-year': '2', 'children.2.born-year': '3', name: 'x' };
    expect(applyListAction(raw, 'add:children')).toEqual({ ...raw, '_n.children': '4' });
    expect(applyListAction(raw, 'remove:children.1')).toEqual({ '_n.children': '2', 'children.0.born-year': '1', 'children.1.born-year': '3', name: 'x' });
    expect(applyListAction(raw, 'save')).toBeNull();
  });

  it('keeps a stored sensitive answer when its box comes back blank, and takes a new one', () => {
    const masked = { bank: { code: '0001', number: '***4567' }, list: [{ secret: '**12' }] };
    expect(keepBlankSensitive({ bank: { code: '0002' }, list: [{ secret: '' }] }, masked, ['bank.number', 'list.*.secret'])).toEqual({ bank: { code: '0002', number: '***4567' }, list: [{ secret: '**12' }] });
    expect(keepBlankSensitive({ bank: { code: '0002', number: '7654321' } }, masked, ['bank.number'])).toEqual({ bank: { code: '0002', number: '7654321' } });
  });
});
