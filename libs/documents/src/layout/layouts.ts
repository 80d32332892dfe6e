import { isoDateIn } from '@madoguchi/kernel';
import { A4, type Rgb } from '../render/draw-ops';
import { PageComposer } from './composer';
import type { Bilingual, DocumentContent, DocumentKind, IssueContext, PrintedField } from './document-content';
import {
  eraYearLabel,
  fiscalYearLabel,
  formatVerificationCode,
  headOfMunicipality,
  sexJa,
  timeIn,
  wareki,
  warekiWithGregorian,
  warekiWithWeekday,
  yen,
} from './japanese-format';
import type { TrueTypeFont } from '../render/truetype-font';

const LEFT = 56;
const RIGHT = A4.width - 56;
const WIDTH = RIGHT - LEFT;
const BODY_TOP = 712;
const LABEL_WIDTH = 128;
const LABEL_FILL: Rgb = [0.93, 0.93, 0.93];
const SEAL_RED: Rgb = [0.8, 0.1, 0.1];

const CHANNELS: Record<string, string> = { online: 'オンライン', counter: '窓口', mail: '郵送', convenienceStore: 'コンビニエンスストア' };

/** Fixed text per layout: the sentence that certifies, and who issues. */
const STATEMENTS: Record<DocumentKind, string | null> = {
  residenceCertificate: 'この写しは、住民票の原本と相違ないことを証明する。',
  sealCertificate: 'この写しは、登録されている印影と相違ないことを証明する。',
  incomeTaxCertificate: '上記のとおり証明する。',
  taxPaymentCertificate: '上記のとおり相違ないことを証明する。',
  disasterCertificate: '上記のとおり、り災したことを証明する。',
  grantDecision: null,
  nonGrantDecision: null,
  usePermit: '上記のとおり利用を許可します。',
  notice: null,
  receipt: '上記のとおり申請を受け付けました。',
};

const APPEAL_NOTICE =
  '【教示】この決定に不服がある場合は、この決定があったことを知った日の翌日から起算して3か月以内に、市長に対して審査請求をすることができます。' +
  'また、この決定の取消しを求める訴えは、この決定があったことを知った日の翌日から起算して6か月以内に、市を被告として提起することができます。';

/** What is fixed for one kind, municipality and title: drawn once per process (see PdfRenderer.prepare). */
export interface FixedKey {
  kind: DocumentKind;
  municipality: Bilingual;
  title: Bilingual;
}

export function fixedKeyString(key: FixedKey): string {
  return `${key.kind}|${key.municipality.ja}|${key.title.ja}|${key.title.en}`;
}

/** The frame every document shares, and the fixed text of its kind. */
export function layoutFixed(font: TrueTypeFont, key: FixedKey): PageComposer {
  const c = new PageComposer(font);
  c.rect(36, 36, A4.width - 72, A4.height - 72, 0.8);
  c.text(LEFT, 784, `${key.municipality.ja}　${key.municipality.en}`, 8.5);
  c.text(A4.width / 2, 744, key.title.ja, 20, { align: 'center', maxWidth: WIDTH });
  c.text(A4.width / 2, 728, key.title.en, 9, { align: 'center', maxWidth: WIDTH });
  c.text(372, 786, '発行番号', 8);
  c.text(372, 773, '交付日', 8);
  const statement = STATEMENTS[key.kind];
  if (statement) c.text(LEFT + 10, 262, statement, 11);
  c.text(RIGHT - 10, 206, headOfMunicipality(key.municipality.ja), 13, { align: 'right' });
  // Footer: how to check the document.
  c.line(LEFT, 160, RIGHT, 160, 0.5);
  c.text(152, 140, '検証コード　Verification code', 8);
  c.paragraph(
    152,
    98,
    RIGHT - 152,
    'この書類は電子的に交付されたものです（押印省略）。左のQRコードを読み取るか、検証ページで検証コードを入力すると、' +
      `${key.municipality.ja}が交付した書類であること、改ざんされていないこと、取り消されていないことを確認できます。`,
    7.5,
    11,
  );
  c.text(152, 64, `Issued electronically by ${key.municipality.en}. Scan the QR code or enter the code on the verification page to check it.`, 6.5, {
    maxWidth: RIGHT - 152,
  });
  return c;
}

/** The variable part: number, dates, the body of the kind, the code and its QR. Returns what it printed. */
export function layoutVariable(font: TrueTypeFont, context: IssueContext, content: DocumentContent): { composer: PageComposer; printed: PrintedField[] } {
  const c = new PageComposer(font);
  c.text(414, 786, context.serial, 9);
  c.text(414, 773, warekiWithGregorian(context.issuedOn), 8.5, { maxWidth: RIGHT - 414 });
  const printed = body(c, content, context);
  c.text(RIGHT - 10, 226, wareki(context.issuedOn), 11, { align: 'right' });
  c.qr(LEFT, 52, 88, context.verifyUrl);
  c.text(152, 120, formatVerificationCode(context.verificationCode), 15);
  c.text(152, 50, context.verifyUrl, 7, { maxWidth: RIGHT - 152 });
  return { composer: c, printed };
}

interface Row {
  label: Bilingual;
  value: string;
}

function body(c: PageComposer, content: DocumentContent, context: IssueContext): PrintedField[] {
  switch (content.kind) {
    case 'residenceCertificate':
      return residence(c, content);
    case 'sealCertificate':
      return seal(c, content);
    case 'incomeTaxCertificate':
      return incomeTax(c, content);
    case 'taxPaymentCertificate':
      return taxPayment(c, content);
    case 'disasterCertificate':
      return table(c, BODY_TOP, [
        row('被災者（世帯主）氏名', 'Name', content.name),
        row('住所', 'Address', content.address),
        row('災害の名称', 'Disaster', content.disasterName),
        row('被災日', 'Date of the disaster', warekiWithGregorian(content.disasterDate)),
        row('被災した住家等の所在地', 'Location of the building', content.propertyAddress),
        row('住家等の種類', 'Type of building', content.propertyType),
        row('申請者との関係', 'Relation to the building', content.applicantRole),
        row('被害の程度', 'Extent of damage', content.damageLevel),
      ]);
    case 'grantDecision':
    case 'nonGrantDecision':
      return decision(c, content, context);
    case 'usePermit':
      return permit(c, content);
    case 'notice':
      return notice(c, content);
    case 'receipt':
      return table(c, BODY_TOP, [
        row('受付番号', 'Reference number', content.referenceNumber),
        row('手続', 'Procedure', content.procedureName),
        row(
          '受付日時',
          'Received at',
          `${warekiWithGregorian(isoDateIn(content.submittedAt, context.timeZone))} ${timeIn(content.submittedAt, context.timeZone)}`,
        ),
        row('受付方法', 'Channel', CHANNELS[content.channel] ?? content.channel),
        row('手数料', 'Fee', content.fee === null || content.fee === 0 ? 'なし' : yen(content.fee)),
        row('標準処理期間', 'Standard processing time', content.standardProcessingDays === null ? '—' : `${content.standardProcessingDays}日（閉庁日を除く）`),
        row('処理予定日', 'Expected by', content.dueOn ? warekiWithGregorian(content.dueOn) : '—'),
      ]);
  }
}

function residence(c: PageComposer, content: Extract<DocumentContent, { kind: 'residenceCertificate' }>): PrintedField[] {
  const head: Row[] = [row('住所', 'Address', content.address)];
  if (content.householdHead) head.push(row('世帯主', 'Head of household', content.householdHead));
  let y = tableRows(c, BODY_TOP, head);
  // One line per member: 氏名（フリガナ）, 生年月日, 性別, 続柄, 住民となった日.
  const columns = [
    { ja: '氏名（フリガナ）', en: 'Name', width: 170 },
    { ja: '生年月日', en: 'Date of birth', width: 100 },
    { ja: '性別', en: 'Sex', width: 34 },
    { ja: '続柄', en: 'Relationship', width: 56 },
    { ja: '住民となった年月日', en: 'Resident since', width: WIDTH - 360 },
  ];
  y -= 10;
  c.fill(LEFT, y - 26, WIDTH, 26, LABEL_FILL);
  c.rect(LEFT, y - 26, WIDTH, 26, 0.6);
  let x = LEFT;
  for (const column of columns) {
    c.text(x + 5, y - 12, column.ja, 8.5, { maxWidth: column.width - 8 });
    c.text(x + 5, y - 22, column.en, 6, { maxWidth: column.width - 8 });
    x += column.width;
  }
  y -= 26;
  const printed: PrintedField[] = head.map((item) => fieldOf(c, item));
  content.members.forEach((member, index) => {
    const cells = [`${member.name}`, wareki(member.birthDate), sexJa(member.sex), member.relationship, wareki(member.residentSince)];
    c.rect(LEFT, y - 32, WIDTH, 32, 0.6);
    let cellX = LEFT;
    cells.forEach((cell, column) => {
      if (column === 0) {
        c.text(cellX + 5, y - 14, member.name, 10.5, { maxWidth: columns[0].width - 10 });
        c.text(cellX + 5, y - 26, `（${member.kana}）`, 7, { maxWidth: columns[0].width - 10 });
      } else {
        c.text(cellX + 5, y - 19, cell, 9, { maxWidth: columns[column].width - 10 });
      }
      if (column > 0) c.line(cellX, y, cellX, y - 32, 0.4);
      cellX += columns[column].width;
    });
    printed.push({
      label: { ja: `記載事項（${index + 1}）`, en: `Entry ${index + 1}` },
      value: c.printable(`${member.name}（${member.kana}）／${wareki(member.birthDate)}生／${sexJa(member.sex)}／${member.relationship}／${wareki(member.residentSince)}住民となる`),
    });
    y -= 32;
  });
  if (content.domicile) {
    const rows = [row('本籍', 'Registered domicile', content.domicile.domicile), row('筆頭者', 'Head of the family register', content.domicile.head)];
    tableRows(c, y - 10, rows);
    printed.push(...rows.map((item) => fieldOf(c, item)));
  }
  c.text(LEFT, 286, '個人番号及び住民票コードの記載は省略しています。', 8);
  return printed.concat([{ label: { ja: '備考', en: 'Note' }, value: '個人番号及び住民票コードの記載は省略しています。' }]);
}

function seal(c: PageComposer, content: Extract<DocumentContent, { kind: 'sealCertificate' }>): PrintedField[] {
  // The registered seal: a fictitious round seal with the surname, drawn in vermilion.
  const box = 120;
  c.rect(LEFT, BODY_TOP - box, box, box, 0.6);
  c.text(LEFT + 5, BODY_TOP - 12, '印影　Seal', 7.5);
  const cx = LEFT + box / 2;
  const cy = BODY_TOP - box / 2 - 6;
  c.circle(cx, cy, 36, SEAL_RED, 2);
  const characters = [...c.printable(content.sealText)].slice(0, 3);
  const size = characters.length >= 3 ? 17 : 22;
  characters.forEach((character, index) => {
    const top = cy + ((characters.length - 1) * size) / 2 - size * 0.35;
    c.text(cx, top - index * size, character, size, { align: 'center', color: SEAL_RED });
  });
  const rows = [
    row('氏名', 'Name', `${content.name}（${content.kana}）`),
    row('生年月日', 'Date of birth', warekiWithGregorian(content.birthDate)),
    row('性別', 'Sex', sexJa(content.sex)),
    row('住所', 'Address', content.address),
    row('登録番号', 'Registration number', content.registrationNumber),
    row('登録年月日', 'Registered on', wareki(content.registeredOn)),
  ];
  tableRows(c, BODY_TOP - box - 12, rows);
  return [{ label: { ja: '印影', en: 'Seal' }, value: c.printable(content.sealText) }, ...rows.map((item) => fieldOf(c, item))];
}

function incomeTax(c: PageComposer, content: Extract<DocumentContent, { kind: 'incomeTaxCertificate' }>): PrintedField[] {
  const rows: Row[] = [
    row('年度', 'Fiscal year', `${fiscalYearLabel(content.fiscalYear)}（${eraYearLabel(content.fiscalYear - 1)}中の所得）`),
    row('住所', 'Address', content.address),
    row('氏名', 'Name', content.name),
    row('生年月日', 'Date of birth', wareki(content.birthDate)),
  ];
  const figures = content.figures;
  if (!figures) {
    rows.push(row('所得・課税の状況', 'Income and tax', '該当する課税資料はありません。'));
  } else {
    rows.push(
      row('給与収入', 'Salary income', yen(figures.salaryIncome)),
      row('給与所得', 'Employment income', yen(figures.salaryEarnings)),
      row('その他の所得', 'Other income', yen(figures.otherEarnings)),
      row('合計所得金額', 'Total income', yen(figures.totalEarnings)),
      row('所得控除額合計', 'Total deductions', yen(figures.deductions)),
      row('課税標準額', 'Taxable income', yen(figures.taxableIncome)),
      row('扶養人数', 'Dependents', `${figures.dependents}人`),
      row('市民税', 'Municipal tax', content.nonTaxable ? '非課税' : yen(figures.municipalTax)),
      row('県民税', 'Prefectural tax', content.nonTaxable ? '非課税' : yen(figures.prefecturalTax)),
      row('年税額合計', 'Total annual tax', content.nonTaxable ? '非課税' : yen(figures.municipalTax + figures.prefecturalTax)),
    );
  }
  return table(c, BODY_TOP, rows, 9.5, 22);
}

function taxPayment(c: PageComposer, content: Extract<DocumentContent, { kind: 'taxPaymentCertificate' }>): PrintedField[] {
  const rows: Row[] = [
    row('住所', 'Address', content.address),
    row('氏名', 'Name', content.name),
    row('税目', 'Tax', content.taxItem),
    row('年度', 'Fiscal year', fiscalYearLabel(content.fiscalYear)),
    row('証明の内容', 'Certifies', content.certificateType),
  ];
  if (content.lines.length === 0) rows.push(row('納付の状況', 'Payments', '該当する課税はありません。'));
  let assessed = 0;
  let paid = 0;
  for (const line of content.lines) {
    assessed += line.assessed;
    paid += line.paid;
    rows.push(row(`${line.installment}（納期限 ${wareki(line.dueOn)}）`, 'Installment', `税額 ${yen(line.assessed)}　納付済額 ${yen(line.paid)}`));
  }
  if (content.lines.length > 0) {
    rows.push(row('合計', 'Total', `税額 ${yen(assessed)}　納付済額 ${yen(paid)}　未納額 ${yen(assessed - paid)}`));
  }
  return table(c, BODY_TOP, rows, 9.5, 22);
}

function decision(c: PageComposer, content: Extract<DocumentContent, { kind: 'grantDecision' | 'nonGrantDecision' }>, context: IssueContext): PrintedField[] {
  // A letter: number and addressee, then the decision and its particulars.
  c.text(RIGHT, BODY_TOP, `${content.decisionNumber}`, 10, { align: 'right' });
  c.text(LEFT, BODY_TOP - 24, content.address, 10, { maxWidth: WIDTH / 2 });
  c.text(LEFT, BODY_TOP - 44, `${content.addressee}　様`, 13, { maxWidth: WIDTH / 2 });
  const granted = content.kind === 'grantDecision';
  const sentence =
    `${wareki(content.submittedOn)}付けで申請のあった${content.procedureName}について、` +
    (granted ? '次のとおり交付することに決定したので通知します。' : '次の理由により交付しないことに決定したので通知します。');
  const y = c.paragraph(LEFT + 10, BODY_TOP - 84, WIDTH - 20, sentence, 11);
  const rows: Row[] = [
    row('文書番号', 'Decision number', content.decisionNumber),
    row('受付番号', 'Reference number', content.referenceNumber),
    row('申請年月日', 'Applied on', wareki(content.submittedOn)),
    row('補助事業の名称', 'Subsidy', content.procedureName),
    row('交付申請額', 'Amount requested', content.requestedAmount === null ? '—' : yen(content.requestedAmount)),
  ];
  if (granted) rows.push(row('交付決定額', 'Amount granted', content.amount === null ? '—' : yen(content.amount)));
  else rows.push(row('不交付の理由', 'Reason', content.reason ?? '—'));
  rows.push(row('決定年月日', 'Decided on', wareki(content.decidedOn)));
  const bottom = tableRows(c, y - 6, rows);
  c.paragraph(LEFT, Math.min(bottom - 18, 300), WIDTH, APPEAL_NOTICE.replace('市長', headOfMunicipality(context.municipality.name.ja)), 7.5, 11);
  return [row('宛名', 'Addressee', `${content.addressee}　様`), ...rows].map((item) => fieldOf(c, item));
}

function permit(c: PageComposer, content: Extract<DocumentContent, { kind: 'usePermit' }>): PrintedField[] {
  const permitContent = content.permit;
  const slots = permitContent.slots.map((slot) => `${warekiWithWeekday(slot.date)} ${slot.start}〜${slot.end}`);
  const rows: Row[] = [
    row('許可番号', 'Permit number', permitContent.bookingNumber),
    row('施設', 'Facility', `${permitContent.facility.ja}（${permitContent.facility.en}）`),
    row('利用場所', 'Room', `${permitContent.room.ja}（${permitContent.room.en}）`),
    row('利用日時', 'Date and time', slots.length > 0 ? slots.join('\n') : '予約内容のとおり'),
    row('利用者（団体）名', 'Organizer', permitContent.organizerName),
    row('利用目的', 'Purpose', permitContent.purpose),
    row('利用人数', 'Attendees', permitContent.attendees === null ? '—' : `${permitContent.attendees}人`),
    row('使用料', 'Fee', yen(permitContent.fee)),
    row('減免', 'Reduction', permitContent.reduction ?? 'なし'),
  ];
  const printed = table(c, BODY_TOP, rows, 10, 24);
  c.paragraph(
    LEFT,
    300,
    WIDTH,
    '利用当日は、この許可証（画面表示でも可）を施設の受付に提示してください。許可された目的以外に利用すること、権利を他人に譲ることはできません。',
    8,
    12,
  );
  return printed;
}

function notice(c: PageComposer, content: Extract<DocumentContent, { kind: 'notice' }>): PrintedField[] {
  let y = BODY_TOP;
  if (content.addressee) {
    c.text(LEFT, y, `${content.addressee}　様`, 13, { maxWidth: WIDTH / 2 });
    y -= 36;
  }
  y = c.paragraph(LEFT + 10, y, WIDTH - 20, `${wareki(content.submittedOn)}付けで申請のあった${content.procedureName}について、次のとおり決定したので通知します。`, 11);
  const rows: Row[] = [
    row('手続', 'Procedure', content.procedureName),
    row('受付番号', 'Reference number', content.referenceNumber),
    row('申請年月日', 'Applied on', wareki(content.submittedOn)),
    row('決定の内容', 'Decision', content.decision),
  ];
  const bottom = tableRows(c, y - 6, rows);
  if (content.appealable) c.paragraph(LEFT, Math.min(bottom - 18, 300), WIDTH, APPEAL_NOTICE, 7.5, 11);
  const printed = rows.map((item) => fieldOf(c, item));
  return content.addressee ? [fieldOf(c, row('宛名', 'Addressee', `${content.addressee}　様`)), ...printed] : printed;
}

function row(ja: string, en: string, value: string): Row {
  return { label: { ja, en }, value };
}

function fieldOf(c: PageComposer, item: Row): PrintedField {
  return { label: item.label, value: c.printable(item.value.replace(/\n/g, ' / ')) };
}

/** A two-column table (label, value) from `top` down; returns the fields as printed. */
function table(c: PageComposer, top: number, rows: Row[], size = 10.5, minHeight = 28): PrintedField[] {
  tableRows(c, top, rows, size, minHeight);
  return rows.map((item) => fieldOf(c, item));
}

/** Draws the rows; returns the y of the table's bottom edge. */
function tableRows(c: PageComposer, top: number, rows: Row[], size = 10.5, minHeight = 28): number {
  let y = top;
  const valueWidth = WIDTH - LABEL_WIDTH - 14;
  for (const item of rows) {
    const lines = c.wrap(item.value, size, valueWidth);
    const leading = size * 1.45;
    const height = Math.max(minHeight, lines.length * leading + (minHeight - leading));
    c.fill(LEFT, y - height, LABEL_WIDTH, height, LABEL_FILL);
    c.rect(LEFT, y - height, WIDTH, height, 0.6);
    c.line(LEFT + LABEL_WIDTH, y, LEFT + LABEL_WIDTH, y - height, 0.6);
    const labelY = y - Math.min(height / 2, minHeight / 2) + 1;
    c.text(LEFT + 6, labelY, item.label.ja, 9, { maxWidth: LABEL_WIDTH - 10 });
    c.text(LEFT + 6, labelY - 9, item.label.en, 5.5, { maxWidth: LABEL_WIDTH - 10 });
    let baseline = y - (minHeight - leading) / 2 - size * 0.95;
    for (const line of lines) {
      if (line !== '') c.text(LEFT + LABEL_WIDTH + 8, baseline, line, size);
      baseline -= leading;
    }
    y -= height;
  }
  return y;
}
