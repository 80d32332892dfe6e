import { changedFields, sameValue, valueAt } from './form-diff';

const SCHEMA = {
  type: 'object',
  required: ['name', 'phone'],
  properties: {
    name: { title: '氏名', type: 'string' },
    phone: { title: '電話番号', type: 'string' },
    children: { title: '児童', type: 'array', items: { type: 'object', properties: { name: { title: '児童の氏名' } } } },
    bank: {
      title: '振込先口座',
      type: 'object',
      properties: { code: { title: '金融機関コード', type: 'string' }, number: { title: '口座番号', type: 'string' } },
    },
  },
};

describe('changedFields', () => {
  it('lists changed top-level fields with their titles, required ones first in the order the schema requires them, then the rest alphabetically', () => {
    expect(changedFields({ phone: '03-1111-2222', name: '窓口 花子', bank: null }, { bank: { code: '0001' }, phone: '03-3333-4444', name: '窓口 はなこ' }, SCHEMA)).toEqual([
      { field: 'name', title: '氏名' },
      { field: 'phone', title: '電話番号' },
      { field: 'bank', title: '振込先口座' },
    ]);
  });

  it('goes into objects member by member and names the path and both titles', () => {
    const before = { bank: { code: '0001', number: '1234567' } };
    const after = { bank: { number: '7654321', code: '0001' } };
    expect(changedFields(before, after, SCHEMA)).toEqual([{ field: 'bank.number', title: '振込先口座 / 口座番号' }]);
  });

  it('compares arrays whole, and ignores key order inside them', () => {
    expect(changedFields({ children: [{ name: 'A', age: 1 }] }, { children: [{ age: 1, name: 'A' }] }, SCHEMA)).toEqual([]);
    expect(changedFields({ children: [{ name: 'A' }] }, { children: [{ name: 'B' }] }, SCHEMA)).toEqual([{ field: 'children', title: '児童' }]);
    expect(changedFields({ children: [{ name: 'A' }] }, { children: [{ name: 'A' }, { name: 'B' }] }, SCHEMA)).toEqual([{ field: 'children', title: '児童' }]);
  });

  it('reports added and removed answers, treats absent and null alike, and knows fields the schema does not', () => {
    expect(changedFields({ name: 'A', zeta: 1, alpha: 1 }, { phone: '03', zeta: 2, alpha: 2, gone: null }, SCHEMA)).toEqual([
      { field: 'name', title: '氏名' },
      { field: 'phone', title: '電話番号' },
      { field: 'alpha', title: null },
      { field: 'zeta', title: null },
    ]);
  });

  it('treats a value that became an object (or stopped being one) as one change', () => {
    expect(changedFields({ bank: null }, { bank: { code: '0001' } }, SCHEMA)).toEqual([{ field: 'bank', title: '振込先口座' }]);
    expect(changedFields({ bank: { code: '0001' } }, {}, SCHEMA)).toEqual([{ field: 'bank', title: '振込先口座' }]);
  });

  it('works without a schema', () => {
    expect(changedFields({ b: 1, a: 1 }, { b: 2, a: 2 }, undefined)).toEqual([
      { field: 'a', title: null },
      { field: 'b', title: null },
    ]);
  });
});

describe('valueAt and sameValue', () => {
  it('reads dotted paths, null when absent', () => {
    expect(valueAt({ bank: { number: '1' } }, 'bank.number')).toBe('1');
    expect(valueAt({ bank: { number: '1' } }, 'bank.code')).toBeNull();
    expect(valueAt({ bank: '1' }, 'bank.code')).toBeNull();
    expect(valueAt({}, 'phone')).toBeNull();
  });

  it('compares JSON deeply', () => {
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] })).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
    expect(sameValue(1, '1')).toBe(false);
    expect(sameValue({ a: undefined }, { b: undefined })).toBe(false);
  });
});
