import { createHash } from 'node:crypto';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { pdfText } from '../../../../test/support/pdf-text';
import type { DocumentContent, IssueContext } from '../layout/document-content';
import { DocumentRenderer, documentFont } from './document-renderer';

/**
 * Every layout rendered and read back the way a reader copies text (pdf.js):
 * names, 和暦 dates, yen amounts, serial and verification code are on the
 * page, the font is a subset that parses, and the output is A4.
 */
describe('document rendering (pdf-lib, embedded BIZ UD明朝 subset)', () => {
  const renderer = new DocumentRenderer();
  const issuedAt = new Date('2026-11-22T01:00:00Z');
  const context = (title: { ja: string; en: string }): IssueContext => ({
    municipality: { id: '990001', name: { ja: '桜ヶ丘市', en: 'Sakuragaoka City' } },
    timeZone: 'Asia/Tokyo',
    title,
    serial: 'R8-C000042',
    issuedOn: '2026-11-22',
    verificationCode: 'K7QM2X9DHW4TPZ3R',
    verifyUrl: 'https://madoguchi.example.jp/verify/K7QM-2X9D-HW4T-PZ3R?m=990001',
  });
  const render = async (title: { ja: string; en: string }, content: DocumentContent) => {
    const { pdf, printed } = await renderer.render(context(title), content, issuedAt);
    const [page] = await pdfText(pdf);
    return { pdf, printed, text: page.replace(/\n/g, '') };
  };
  const common = (text: string) => {
    for (const expected of ['桜ヶ丘市長', 'R8-C000042', '令和8年11月22日（2026年11月22日）', 'K7QM-2X9D-HW4T-PZ3R', 'https://madoguchi.example.jp/verify/K7QM-2X9D-HW4T-PZ3R?m=990001']) {
      expect(text).toContain(expected);
    }
  };

  it('a certificate of residence: household, 和暦 birth dates, domicile, and no individual number', async () => {
    const { pdf, text, printed } = await render(
      { ja: '住民票の写し', en: 'Certificate of residence' },
      {
        kind: 'residenceCertificate',
        address: '桜ヶ丘市本町一丁目2番3号',
        householdHead: '窓口 太郎',
        members: [
          { name: '窓口 太郎', kana: 'マドグチ タロウ', birthDate: '1980-05-15', sex: 'male', relationship: '世帯主', residentSince: '2015-04-01' },
          { name: '窓口 花子', kana: 'マドグチ ハナコ', birthDate: '1982-09-03', sex: 'female', relationship: '妻', residentSince: '2015-04-01' },
          { name: '髙橋 﨑子', kana: 'タカハシ サキコ', birthDate: '2019-05-01', sex: 'female', relationship: '子', residentSince: '2019-05-01' },
        ],
        domicile: { domicile: '桜ヶ丘市本町一丁目2番地', head: '窓口 太郎' },
      },
    );
    common(text);
    for (const expected of ['住民票の写し', '窓口 太郎', 'マドグチ タロウ', '昭和55年5月15日', '窓口 花子', '昭和57年9月3日', '平成27年4月1日', '令和元年5月1日', '髙橋 﨑子', '本籍', '桜ヶ丘市本町一丁目2番地', 'この写しは、住民票の原本と相違ないことを証明する。']) {
      expect(text).toContain(expected);
    }
    expect(printed.map((field) => field.value)).toContain('窓口 花子（マドグチ ハナコ）／昭和57年9月3日生／女／妻／平成27年4月1日住民となる');

    // A4, one page, the font embedded as a subset that a font parser accepts, with only the glyphs used.
    const document = await PDFDocument.load(pdf);
    expect(document.getPageCount()).toBe(1);
    expect(document.getPage(0).getSize()).toEqual({ width: 595.28, height: 841.89 });
    const raw = Buffer.from(pdf).toString('latin1');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+BIZUDMincho-Regular/);
    expect(raw).toContain('/FontFile2');
    expect(pdf.length).toBeLessThan(80_000);
  });

  it('a seal registration certificate with the seal and its registration number', async () => {
    const { text } = await render(
      { ja: '印鑑登録証明書', en: 'Seal registration certificate' },
      {
        kind: 'sealCertificate',
        name: '窓口 太郎',
        kana: 'マドグチ タロウ',
        birthDate: '1980-05-15',
        sex: 'male',
        address: '桜ヶ丘市本町一丁目2番3号',
        registrationNumber: '10000001',
        registeredOn: '2015-04-10',
        sealText: '窓口',
      },
    );
    common(text);
    for (const expected of ['印鑑登録証明書', '窓口 太郎（マドグチ タロウ）', '昭和55年5月15日（1980年5月15日）', '10000001', '平成27年4月10日', 'この写しは、登録されている印影と相違ないことを証明する。']) {
      expect(text).toContain(expected);
    }
  });

  it('an income and tax certificate with yen amounts and the year of income', async () => {
    const { text } = await render(
      { ja: '所得・課税証明書', en: 'Income and tax certificate' },
      {
        kind: 'incomeTaxCertificate',
        fiscalYear: 2026,
        name: '窓口 太郎',
        address: '桜ヶ丘市本町一丁目2番3号',
        birthDate: '1980-05-15',
        nonTaxable: false,
        figures: {
          salaryIncome: 6200000,
          salaryEarnings: 4520000,
          otherEarnings: 120000,
          totalEarnings: 4640000,
          deductions: 1650000,
          taxableIncome: 2990000,
          municipalTax: 184400,
          prefecturalTax: 122600,
          dependents: 2,
        },
      },
    );
    common(text);
    for (const expected of ['令和8年度（令和7年中の所得）', '6,200,000円', '4,640,000円', '184,400円', '122,600円', '307,000円', '2人']) expect(text).toContain(expected);
  });

  it('a tax payment certificate with installments, paid and unpaid', async () => {
    const { text } = await render(
      { ja: '納税証明書', en: 'Tax payment certificate' },
      {
        kind: 'taxPaymentCertificate',
        name: '窓口 太郎',
        address: '桜ヶ丘市本町一丁目2番3号',
        taxItem: '軽自動車税（種別割）',
        fiscalYear: 2026,
        certificateType: '納税額の証明',
        lines: [{ installment: '全期', dueOn: '2026-05-31', assessed: 10800, paid: 10800 }],
      },
    );
    common(text);
    for (const expected of ['納税証明書', '軽自動車税（種別割）', '令和8年度', '全期（納期限 令和8年5月31日）', '税額 10,800円', '未納額 0円']) expect(text).toContain(expected);
  });

  it('a disaster-damage certificate', async () => {
    const { text } = await render(
      { ja: '罹災証明書', en: 'Disaster-damage certificate' },
      {
        kind: 'disasterCertificate',
        name: '窓口 花子',
        address: '桜ヶ丘市本町一丁目2番3号',
        disasterName: '令和8年台風第10号',
        disasterDate: '2026-09-01',
        propertyAddress: '桜ヶ丘市本町一丁目2番3号',
        propertyType: '住家',
        applicantRole: '所有者（居住している）',
        damageLevel: '半壊',
      },
    );
    common(text);
    for (const expected of ['罹災証明書', '令和8年台風第10号', '令和8年9月1日（2026年9月1日）', '半壊', '上記のとおり、り災したことを証明する。']) expect(text).toContain(expected);
  });

  it('grant and non-grant decision notices, with the appeal notice', async () => {
    const base = {
      addressee: '窓口 花子',
      address: '桜ヶ丘市本町1-2-3',
      procedureName: '住宅用太陽光発電設備設置費補助金の交付申請',
      referenceNumber: 'R8-000017',
      submittedOn: '2026-11-02',
      decisionNumber: 'R8-kankyo-00001',
      decidedOn: '2026-11-22',
      requestedAmount: 100000,
    };
    const granted = await render({ ja: '補助金交付決定通知書', en: 'Grant decision notice' }, { kind: 'grantDecision', ...base, amount: 90000, reason: null });
    common(granted.text);
    expect(granted.text).toMatch(/窓口 花子[ 　]様/);
    for (const expected of ['補助金交付決定通知書', 'R8-kankyo-00001', '100,000円', '90,000円', '令和8年11月2日付けで申請のあった', '交付することに決定', '審査請求']) {
      expect(granted.text).toContain(expected);
    }
    const refused = await render({ ja: '補助金不交付決定通知書', en: 'Notice of decision not to grant' }, { kind: 'nonGrantDecision', ...base, amount: null, reason: '予算の上限に達したため' });
    for (const expected of ['補助金不交付決定通知書', '交付しないことに決定', '予算の上限に達したため']) expect(refused.text).toContain(expected);
    expect(refused.text).not.toContain('90,000円');
  });

  it('a facility use permit with its slots, fee and reduction', async () => {
    const { text } = await render(
      { ja: '利用許可証', en: 'Facility use permit' },
      {
        kind: 'usePermit',
        referenceNumber: 'R8-000099',
        permit: {
          bookingNumber: 'B-2026-000123',
          facility: { ja: '桜ヶ丘市民体育館', en: 'Sakuragaoka Gymnasium' },
          room: { ja: 'アリーナ（A面）', en: 'Arena A' },
          slots: [
            { date: '2026-12-05', start: '09:00', end: '11:00' },
            { date: '2026-12-06', start: '13:00', end: '15:00' },
          ],
          organizerName: '桜ヶ丘バドミントンクラブ',
          purpose: 'バドミントン',
          attendees: 24,
          fee: 1000,
          reduction: '登録団体による利用（50%）',
        },
      },
    );
    common(text);
    for (const expected of ['利用許可証', 'B-2026-000123', '桜ヶ丘市民体育館', '令和8年12月5日（土） 09:00〜11:00', '令和8年12月6日（日） 13:00〜15:00', '桜ヶ丘バドミントンクラブ', '24人', '1,000円', '登録団体による利用（50%）']) {
      expect(text).toContain(expected);
    }
  });

  it('a generic notice and a receipt', async () => {
    const notice = await render(
      { ja: '母子健康手帳', en: 'Maternal and child health handbook' },
      { kind: 'notice', addressee: null, procedureName: '妊娠の届出', referenceNumber: 'R8-000321', submittedOn: '2026-11-20', decision: '申請の内容のとおり決定しました。', appealable: false },
    );
    for (const expected of ['母子健康手帳', '妊娠の届出', 'R8-000321', '令和8年11月20日', '申請の内容のとおり決定しました。']) expect(notice.text).toContain(expected);
    const receipt = await render(
      { ja: '受付票', en: 'Receipt of application' },
      { kind: 'receipt', procedureName: '住民票の写しの交付請求', referenceNumber: 'R8-000123', submittedAt: issuedAt, channel: 'online', fee: 1200, standardProcessingDays: 3, dueOn: '2026-11-25' },
    );
    for (const expected of ['受付票', 'R8-000123', '令和8年11月22日（2026年11月22日） 10:00', 'オンライン', '1,200円', '3日（閉庁日を除く）', '令和8年11月25日']) {
      expect(receipt.text).toContain(expected);
    }
  });

  it('prints 〓 for a character the typeface lacks, and verification shows what is printed', async () => {
    const { text, printed } = await render(
      { ja: '罹災証明書', en: 'Disaster-damage certificate' },
      {
        kind: 'disasterCertificate',
        name: '窓口 🏠 花子\n改行',
        address: '桜ヶ丘市',
        disasterName: '台風',
        disasterDate: '2026-09-01',
        propertyAddress: '桜ヶ丘市',
        propertyType: '住家',
        applicantRole: '所有者（居住している）',
        damageLevel: '一部損壊',
      },
    );
    // A line break in an answer starts a new line on paper; verification shows it as " / ".
    expect(text).toContain('窓口 〓 花子改行');
    expect(printed[0].value).toBe('窓口 〓 花子 / 改行');
  });

  it('renders the same bytes for the same input, and the subset is a valid TrueType font', async () => {
    const content: DocumentContent = { kind: 'notice', addressee: '窓口 花子', procedureName: '試験', referenceNumber: 'R8-1', submittedOn: '2026-11-20', decision: '決定', appealable: true };
    const first = await renderer.render(context({ ja: '通知書', en: 'Notice' }), content, issuedAt);
    const second = await renderer.render(context({ ja: '通知書', en: 'Notice' }), content, issuedAt);
    expect(createHash('sha256').update(first.pdf).digest('hex')).toBe(createHash('sha256').update(second.pdf).digest('hex'));
    const font = documentFont();
    const { bytes } = font.subset([0, font.glyph(0x7a93).gid, font.glyph(0x6c11).gid, font.glyph(0x41).gid]);
    const parsed = fontkit.create(Buffer.from(bytes));
    expect(parsed.numGlyphs).toBe(4);
    expect(parsed.getGlyph(1).path.toSVG().length).toBeGreaterThan(50);
    expect(parsed.getGlyph(1).advanceWidth).toBe(parsed.unitsPerEm);
  });
});
