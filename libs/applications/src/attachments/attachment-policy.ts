import { RequestError } from '@madoguchi/kernel';
import { createHash } from 'node:crypto';

export type AttachmentType = 'pdf' | 'jpeg' | 'png';

export const CONTENT_TYPES: Record<AttachmentType, string> = { pdf: 'application/pdf', jpeg: 'image/jpeg', png: 'image/png' };

export interface AttachmentPolicy {
  maxCount: number;
  maxBytes: number;
  types: AttachmentType[];
}

/** When a definition says nothing: what a city counter accepts on paper. */
export const DEFAULT_ATTACHMENT_POLICY: AttachmentPolicy = { maxCount: 10, maxBytes: 10 * 1024 * 1024, types: ['pdf', 'jpeg', 'png'] };

/** The hard ceiling of one upload, whatever a definition says. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

export class AttachmentError extends RequestError {
  static empty(): AttachmentError {
    return new AttachmentError(400, 'ATTACHMENT_EMPTY', { ja: 'ファイルが空です。', en: 'The file is empty.' });
  }
  static tooLarge(maxBytes: number): AttachmentError {
    const size = sizeLabel(maxBytes);
    return new AttachmentError(413, 'ATTACHMENT_TOO_LARGE', { ja: `ファイルは${size}までです。`, en: `Files may be at most ${size}.` }, { maxBytes });
  }
  static typeNotAccepted(accepted: AttachmentType[]): AttachmentError {
    return new AttachmentError(
      415,
      'ATTACHMENT_TYPE_NOT_ACCEPTED',
      { ja: `添付できるのは ${accepted.join('・').toUpperCase()} 形式のファイルです。`, en: `Only ${accepted.join(', ').toUpperCase()} files are accepted.` },
      { accepted },
    );
  }
  static badName(): AttachmentError {
    return new AttachmentError(400, 'ATTACHMENT_NAME_INVALID', {
      ja: 'ファイル名が正しくありません（X-File-Name ヘッダー、200文字以内、フォルダ名を含めないでください）。',
      en: 'Give a plain file name of at most 200 characters in the X-File-Name header (percent-encoded UTF-8, no folders).',
    });
  }
  static limit(maxCount: number): AttachmentError {
    return new AttachmentError(422, 'ATTACHMENT_LIMIT', { ja: `添付できるファイルは${maxCount}件までです。`, en: `At most ${maxCount} files can be attached.` }, { maxCount });
  }
  /** MAX_ATTACHMENT_BYTES_PER_RESIDENT: what one account may store in all. */
  static quotaExceeded(maxBytes: number, usedBytes: number): AttachmentError {
    const size = sizeLabel(maxBytes);
    return new AttachmentError(
      409,
      'ATTACHMENT_QUOTA_EXCEEDED',
      {
        ja: `保存できる添付ファイルは合計${size}までです。下書きから不要な添付ファイルを削除してから、もう一度お試しください。`,
        en: `Your attachments may total at most ${size}. Remove files you no longer need from your drafts, then try again.`,
      },
      { maxBytes, usedBytes },
    );
  }
  static notFound(): AttachmentError {
    return new AttachmentError(404, 'ATTACHMENT_NOT_FOUND', { ja: '添付ファイルが見つかりません。', en: 'Attachment not found.' });
  }
  static notEditable(): AttachmentError {
    return new AttachmentError(409, 'ATTACHMENT_NOT_EDITABLE', {
      ja: '提出後は添付ファイルを変更できません（修正のお願いが届いた場合を除く）。',
      en: 'Attachments can change only in a draft or after a return for correction.',
    });
  }
}

/** 2 KB, 1.5 MB: a limit below 1 MB must not read as "0 MB". */
function sizeLabel(bytes: number): string {
  const [value, unit] = bytes >= 1024 * 1024 ? [bytes / (1024 * 1024), 'MB'] : [bytes / 1024, 'KB'];
  return `${Math.floor(value * 10) / 10}${unit}`;
}

/** The type a file really is, from its first bytes; the name and header are not trusted. */
export function sniffType(bytes: Buffer): AttachmentType | null {
  if (bytes.length >= 5 && bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/**
 * Folders, control characters (C0, DEL, C1) and the invisible direction and
 * width marks that make `invoice\u202Efdp.exe` display as `invoiceexe.pdf`.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_NAME_CHARACTERS = /[/\\\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;

/**
 * A file name safe to store and show: decoded from the header, no folders,
 * no control characters, no leading dots.
 */
export function cleanFileName(header: string | undefined): string {
  if (!header) throw AttachmentError.badName();
  let name: string;
  try {
    name = decodeURIComponent(header).normalize('NFC').trim();
  } catch {
    throw AttachmentError.badName();
  }
  if (!name || name.length > 200 || UNSAFE_NAME_CHARACTERS.test(name) || name.startsWith('.') || name.includes('..')) {
    throw AttachmentError.badName();
  }
  return name;
}

export function checkUpload(bytes: Buffer, policy: AttachmentPolicy): { type: AttachmentType; sha256: string } {
  if (bytes.length === 0) throw AttachmentError.empty();
  if (bytes.length > Math.min(policy.maxBytes, MAX_UPLOAD_BYTES)) throw AttachmentError.tooLarge(Math.min(policy.maxBytes, MAX_UPLOAD_BYTES));
  const type = sniffType(bytes);
  if (!type || !policy.types.includes(type)) throw AttachmentError.typeNotAccepted(policy.types);
  return { type, sha256: createHash('sha256').update(bytes).digest('hex') };
}
