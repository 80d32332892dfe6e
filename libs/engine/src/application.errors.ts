import { RequestError } from '@madoguchi/kernel';
import type { FormProblem } from '@madoguchi/workflow';

export enum ApplicationErrorCode {
  NotFound = 'APPLICATION_NOT_FOUND',
  ChannelClosed = 'APPLICATION_CHANNEL_CLOSED',
  FormInvalid = 'APPLICATION_FORM_INVALID',
  NotDraft = 'APPLICATION_NOT_DRAFT',
  DraftLimit = 'APPLICATION_DRAFT_LIMIT',
}

export class ApplicationError extends RequestError {
  static notFound(id: string): ApplicationError {
    return new ApplicationError(404, ApplicationErrorCode.NotFound, {
      ja: '申請が見つかりません。',
      en: 'Application not found.',
    }, { id });
  }

  static channelClosed(channel: string): ApplicationError {
    return new ApplicationError(409, ApplicationErrorCode.ChannelClosed, {
      ja: 'この手続は現在この方法では受け付けていません。',
      en: `This procedure does not accept applications through "${channel}" now.`,
    }, { channel });
  }

  static formInvalid(errors: FormProblem[]): ApplicationError {
    return new ApplicationError(422, ApplicationErrorCode.FormInvalid, {
      ja: '入力内容に誤りがあります。各項目をご確認ください。',
      en: 'Some answers in the form need fixing.',
    }, { errors });
  }

  static noIndividualNumber(): ApplicationError {
    return new ApplicationError(404, 'APPLICATION_NO_INDIVIDUAL_NUMBER', {
      ja: 'この申請には個人番号の記載がありません。',
      en: 'This application holds no individual number.',
    });
  }

  static notSubmitted(): ApplicationError {
    return new ApplicationError(409, 'APPLICATION_NOT_SUBMITTED', { ja: 'まだ提出されていません。', en: 'The application has not been submitted yet.' });
  }

  static notReturned(): ApplicationError {
    return new ApplicationError(409, 'APPLICATION_NOT_RETURNED', {
      ja: '修正のお願いが届いている申請だけ修正できます。',
      en: 'Only an application returned for correction can be corrected.',
    });
  }

  static fieldsNotFlagged(fields: string[]): ApplicationError {
    return new ApplicationError(
      422,
      'APPLICATION_FIELDS_NOT_FLAGGED',
      { ja: '修正をお願いした項目以外は変更できません。', en: 'Only the fields staff asked you to fix can be changed.' },
      { fields },
    );
  }

  /** A draft entered at or handed over to the counter: staff finish it, the resident's copy is read-only. */
  static atCounter(): ApplicationError {
    return new ApplicationError(409, 'APPLICATION_AT_COUNTER', {
      ja: 'この申請は窓口で手続中のため、ここでは変更できません。窓口の職員にお申し出ください。',
      en: 'This application is being completed at the counter and cannot be changed here.',
    });
  }

  /** MAX_DRAFTS_PER_RESIDENT: one account cannot fill the database with drafts. */
  static draftLimit(maxDrafts: number): ApplicationError {
    return new ApplicationError(409, ApplicationErrorCode.DraftLimit, {
      ja: `下書きは${maxDrafts}件まで保存できます。使わない下書きを破棄してから、もう一度お試しください。`,
      en: `You can keep at most ${maxDrafts} drafts. Discard a draft you no longer need, then try again.`,
    }, { maxDrafts });
  }

  static notDraft(): ApplicationError {
    return new ApplicationError(409, ApplicationErrorCode.NotDraft, {
      ja: '提出済みの申請は編集できません。',
      en: 'Only a draft can be edited.',
    });
  }
}
